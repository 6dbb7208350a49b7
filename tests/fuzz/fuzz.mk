# SPDX-License-Identifier: GPL-2.0-or-later
# The libFuzzer build and runs, driven by the top-level 'make fuzz' and
# 'make fuzz-long' (Makefile.am passes the variables below). clang builds
# the harnesses and every source they reach with -fsanitize=fuzzer,
# ASan and UBSan, into tests/fuzz/clang/ of the build tree, whatever
# compiler ./configure chose for the rest.
#
# Each run starts from the checked-in seeds (tests/fuzz/corpus/NAME) and
# the inputs that once crashed (tests/fuzz/regress/NAME); what it finds
# goes to clang/corpus-NAME (emptied first: with FUZZ_SEED the same run
# twice does the same), not into the source tree. A crash leaves
# clang/crash-NAME-* and fails the target; the summary of each run is
# clang/NAME.log, one line per harness in clang/summary.txt.
#
#   make fuzz [FUZZ_RUNS=100000] [FUZZ_SEED=1] [FUZZ_HARNESSES="config ..."]

CLANG ?= clang
FUZZ_RUNS ?= 100000
FUZZ_SEED ?= 1
FUZZ_MAX_LEN ?= 4096
FUZZ_HARNESSES ?= config parse args netlink hook journal serial

fdir := $(top_builddir)/tests/fuzz/clang
sdir := $(top_srcdir)/tests/fuzz

# -O1 and frame pointers: fast enough, readable stacks. UBSan stops at
# its first finding, so that it is a crash libFuzzer keeps.
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
CFLAGS_FUZZ := -g -O1 $(SAN) -fsanitize=fuzzer-no-link \
	-include $(top_builddir)/config.h -I$(top_srcdir)/libvvp \
	-I$(top_srcdir)/cli -I$(top_srcdir)/kmod/include/uapi \
	-I$(sdir) -DSYSCONFDIR=\"$(sysconfdir)\" \
	-D_GNU_SOURCE $(my_CFLAGS) -Wno-unused-command-line-argument \
	$(LIBVVP_CFLAGS)

lib_objs := $(patsubst %.c,$(fdir)/obj/%.o,$(filter %.c,$(LIBVVP_SOURCES)))
# what fuzz-args needs of vvpctl: its option parsers and their messages
cli_objs := $(patsubst %,$(fdir)/obj/cli/%.o,util advice lock provision_args)
bins := $(patsubst %,$(fdir)/fuzz-%,$(FUZZ_HARNESSES))

all: $(bins)

$(fdir)/obj/%.o: $(top_srcdir)/%.c
	@mkdir -p $(dir $@)
	@echo "  CLANG    $*.o"
	@$(CLANG) $(CFLAGS_FUZZ) $(HARNESS_CFLAGS) -c -o $@ $<

$(fdir)/obj/fuzz/%.o: $(sdir)/%.c $(sdir)/fuzz.h
	@mkdir -p $(dir $@)
	@echo "  CLANG    fuzz/$*.o"
	@$(CLANG) $(CFLAGS_FUZZ) $(HARNESS_CFLAGS) -c -o $@ $<

$(fdir)/fuzz-args: $(cli_objs)
# fuzz-hook: the hook's XML reading, with libxml2
$(fdir)/fuzz-hook: $(fdir)/obj/cli/hook_xml.o
$(fdir)/fuzz-hook: HARNESS_LIBS = $(LIBXML_LIBS)
$(fdir)/obj/cli/hook_xml.o $(fdir)/obj/fuzz/fuzz-hook.o: \
	HARNESS_CFLAGS = $(LIBXML_CFLAGS)

$(fdir)/fuzz-%: $(fdir)/obj/fuzz/fuzz-%.o $(fdir)/obj/fuzz/util.o $(lib_objs)
	@echo "  CCLD     fuzz-$*"
	@$(CLANG) $(SAN) -fsanitize=fuzzer -o $@ $^ $(LIBVVP_LIBS) \
		$(HARNESS_LIBS)

# one harness, FUZZ_RUNS executions; its line in the summary
run-%: $(fdir)/fuzz-%
	@rm -rf $(fdir)/corpus-$* $(fdir)/crash-$*-*
	@mkdir -p $(fdir)/corpus-$*
	@echo "  FUZZ     $* ($(FUZZ_RUNS) runs)"
	@cd $(fdir) && ./fuzz-$* -runs=$(FUZZ_RUNS) -seed=$(FUZZ_SEED) \
		-max_len=$(FUZZ_MAX_LEN) -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix=crash-$*- \
		corpus-$* $(abspath $(wildcard $(sdir)/corpus/$* \
		$(sdir)/regress/$*)) >$*.log 2>&1 || \
		{ tail -60 $*.log; echo "fuzz-$*: CRASH (tests/fuzz/clang/$*.log)"; exit 1; }
	@sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/fuzz-$*: \1 runs in \2 s, 0 crashes/p' \
		$(fdir)/$*.log | tee $(fdir)/$*.summary

run: $(patsubst %,run-%,$(FUZZ_HARNESSES))
	@cat $(patsubst %,$(fdir)/%.summary,$(FUZZ_HARNESSES)) >$(fdir)/summary.txt

.PHONY: all run
# the objects are kept between runs
.SECONDARY:
