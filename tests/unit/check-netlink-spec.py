#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Check that the vvp netlink spec and its uapi header agree.

kmod/specs/vvp.yaml is the contract; kmod/include/uapi/linux/vvp.h is what
C code (vvp.ko and libvvp) compiles against. This test reads both and
checks, in the kernel's generated-header naming (tools/net/ynl):

  - VVP_FAMILY_NAME / VVP_FAMILY_VERSION match the spec's name / version;
  - each flags definition (enum <family>_<name>) has its entries as
    VVP_<NAME>_<ENTRY> = 1 << i, in order;
  - each attribute set has its attributes as VVP_A_<SET>_<ATTR>, in order,
    the first one = 1, followed by __VVP_A_<SET>_MAX and
    VVP_A_<SET>_MAX = (__VVP_A_<SET>_MAX - 1);
  - the operations are VVP_CMD_<OP>, in order, the first one = 1 (the
    spec's msg-id-model is unified), followed by __VVP_CMD_MAX/VVP_CMD_MAX;
  - each multicast group has VVP_MCGRP_<NAME> "<name>";
  - libvvp.h has each cap flag as VVP_OWNER_CAP_<ENTRY> (1U << i), and
    libvvp/owner.c checks it against the uapi value and names it.

A coarse check that each op's request attributes appear in the kernel's
netlink code, kmod/vvp/vvp_netlink.c and vvp_nl.c (a policy entry or a use).

Usage: check-netlink-spec.py [SRCDIR]   (default: $srcdir or the tree
this script is in). Exit 0 agree, 1 disagree, 77 skip (no python3-yaml).
"""
import os
import re
import sys

try:
    import yaml
except ImportError:
    print("SKIP: python3-yaml is not installed (apt-get install python3-yaml)")
    sys.exit(77)


def c_name(s):
    return s.upper().replace("-", "_")


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def parse_enums(text):
    """Every enum in the header: [(name or None, [(ident, value-expr)])]."""
    enums = []
    for m in re.finditer(r"\benum\s+(\w+)?\s*\{(.*?)\}\s*;", text, flags=re.S):
        entries = []
        for item in m.group(2).split(","):
            item = item.strip()
            if not item:
                continue
            if "=" in item:
                ident, expr = item.split("=", 1)
                entries.append((ident.strip(), expr.strip()))
            else:
                entries.append((item, None))
        enums.append((m.group(1), entries))
    return enums


def eval_entries(entries):
    """Values of an enum's entries as C counts them; None if unknowable."""
    values = {}
    nxt = 0
    for ident, expr in entries:
        if expr is None:
            val = nxt
        else:
            e = expr
            for k in sorted(values, key=len, reverse=True):
                e = re.sub(r"\b%s\b" % re.escape(k), str(values[k]), e)
            if not re.fullmatch(r"[\d\s()+\-<|x*a-fA-F]*", e):
                val = None
            else:
                try:
                    val = eval(e, {"__builtins__": {}})  # noqa: S307
                except Exception:
                    val = None
        values[ident] = val
        nxt = (val + 1) if isinstance(val, int) else None
    return values


class Checker:
    def __init__(self):
        self.errors = []
        self.checks = 0

    def ok(self, cond, msg):
        self.checks += 1
        if not cond:
            self.errors.append(msg)
        return cond


def find_enum_with(enums, first_ident):
    for name, entries in enums:
        if any(i == first_ident for i, _ in entries):
            return name, entries
    return None, None


def main():
    srcdir = (sys.argv[1] if len(sys.argv) > 1 else os.environ.get("srcdir")) or \
        os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    spec_path = os.path.join(srcdir, "kmod", "specs", "vvp.yaml")
    hdr_path = os.path.join(srcdir, "kmod", "include", "uapi", "linux", "vvp.h")
    for p in (spec_path, hdr_path):
        if not os.path.exists(p):
            print("FAIL: %s is missing" % p)
            return 1
    with open(spec_path) as f:
        spec = yaml.safe_load(f)
    with open(hdr_path) as f:
        raw = f.read()
    text = strip_comments(raw)
    enums = parse_enums(text)
    c = Checker()

    fam = spec["name"]
    F = c_name(fam)
    defines = dict(re.findall(r"#define[ \t]+(\w+)[ \t]+(.+?)[ \t]*$", text, flags=re.M))

    # family name and version
    c.ok(defines.get("%s_FAMILY_NAME" % F) == '"%s"' % fam,
         "%s_FAMILY_NAME is %r, the spec's name is %r"
         % (F, defines.get("%s_FAMILY_NAME" % F), fam))
    want_ver = str(spec.get("version", 1))
    c.ok(defines.get("%s_FAMILY_VERSION" % F) == want_ver,
         "%s_FAMILY_VERSION is %r, the spec's version is %s"
         % (F, defines.get("%s_FAMILY_VERSION" % F), want_ver))

    # definitions: flags (1 << i) and enums (from 0, or value-start)
    for d in spec.get("definitions", []):
        if d.get("type") not in ("flags", "enum"):
            continue
        prefix = d.get("name-prefix", "%s-%s-" % (fam, d["name"]))
        idents = [c_name(prefix + (e if isinstance(e, str) else e["name"]))
                  for e in d["entries"]]
        ename = d.get("enum-name", "%s-%s" % (fam, d["name"])).replace("-", "_")
        name, entries = find_enum_with(enums, idents[0])
        if not c.ok(entries is not None, "enum for definition %s (%s) not found"
                    % (d["name"], idents[0])):
            continue
        c.ok(name == ename, "definition %s: enum is named %r, expected %r"
             % (d["name"], name, ename))
        got = [i for i, _ in entries]
        c.ok(got[:len(idents)] == idents,
             "definition %s: entries %s, expected %s in this order"
             % (d["name"], got, idents))
        values = eval_entries(entries)
        start = d.get("value-start", 0)
        for i, ident in enumerate(idents):
            want = (1 << (start + i)) if d["type"] == "flags" else start + i
            c.ok(values.get(ident) == want, "%s = %r, expected %d (%s)"
                 % (ident, values.get(ident), want,
                    "1 << %d" % (start + i) if d["type"] == "flags" else "in order"))

    # attribute sets
    for aset in spec["attribute-sets"]:
        S = c_name(aset["name"])
        prefix = "%s_A_%s_" % (F, S)
        idents = [prefix + c_name(a["name"]) for a in aset["attributes"]]
        name, entries = find_enum_with(enums, idents[0])
        if not c.ok(entries is not None, "attribute set %s: %s not found"
                    % (aset["name"], idents[0])):
            continue
        got = [i for i, _ in entries]
        want = idents + ["__%s_A_%s_MAX" % (F, S), "%s_A_%s_MAX" % (F, S)]
        c.ok(got == want, "attribute set %s: enum has %s, expected %s"
             % (aset["name"], got, want))
        values = eval_entries(entries)
        for i, ident in enumerate(idents):
            c.ok(values.get(ident) == i + 1, "%s = %r, expected %d"
                 % (ident, values.get(ident), i + 1))
        mx = "%s_A_%s_MAX" % (F, S)
        c.ok(values.get(mx) == len(idents), "%s = %r, expected %d"
             % (mx, values.get(mx), len(idents)))
        # attribute types the kernel side must agree on
        has_pad = any(a.get("type") == "pad" for a in aset["attributes"])
        for a in aset["attributes"]:
            c.ok(a.get("type") in ("string", "u8", "u16", "u32", "u64",
                                   "uint", "s32", "binary", "flag", "nest",
                                   "pad"),
                 "attribute %s.%s has an unknown type %r"
                 % (aset["name"], a["name"], a.get("type")))
            # a u64 is put 8-byte aligned behind a pad attribute
            # (nla_put_u64_64bit); without one declared, type 0 would be
            # used as the pad, which parsers take for a real attribute
            c.ok(a.get("type") != "u64" or has_pad,
                 "attribute %s.%s is a u64 but set %s declares no pad "
                 "attribute: use uint, or declare one"
                 % (aset["name"], a["name"], aset["name"]))

    # operations: unified ids from 1, in order
    ops = spec["operations"]["list"]
    idents = ["%s_CMD_%s" % (F, c_name(op["name"])) for op in ops]
    name, entries = find_enum_with(enums, idents[0])
    if c.ok(entries is not None, "operations: %s not found" % idents[0]):
        got = [i for i, _ in entries]
        want = idents + ["__%s_CMD_MAX" % F, "%s_CMD_MAX" % F]
        c.ok(got == want, "operations: enum has %s, expected %s" % (got, want))
        values = eval_entries(entries)
        for i, ident in enumerate(idents):
            c.ok(values.get(ident) == i + 1, "%s = %r, expected %d"
                 % (ident, values.get(ident), i + 1))
        c.ok(values.get("%s_CMD_MAX" % F) == len(idents), "%s_CMD_MAX = %r, expected %d"
             % (F, values.get("%s_CMD_MAX" % F), len(idents)))
    sets = {s["name"]: s for s in spec["attribute-sets"]}
    by_name = {op["name"]: op for op in ops}
    for op in ops:
        if "notify" in op:
            c.ok(op["notify"] in by_name, "op %s notifies unknown op %s"
                 % (op["name"], op["notify"]))
            c.ok(op.get("mcgrp") in [g["name"] for g in spec.get("mcast-groups", {}).get("list", [])],
                 "op %s: multicast group %r is not in mcast-groups"
                 % (op["name"], op.get("mcgrp")))
            continue
        aset = sets.get(op.get("attribute-set"))
        if not c.ok(aset is not None, "op %s: unknown attribute-set %r"
                    % (op["name"], op.get("attribute-set"))):
            continue
        names = [a["name"] for a in aset["attributes"]]
        for mode in ("do", "dump"):
            for part in ("request", "reply"):
                attrs = ((op.get(mode) or {}).get(part) or {}).get("attributes", [])
                for a in attrs:
                    c.ok(a in names, "op %s %s %s: attribute %s is not in set %s"
                         % (op["name"], mode, part, a, aset["name"]))

    # multicast groups
    for g in spec.get("mcast-groups", {}).get("list", []):
        macro = "%s_MCGRP_%s" % (F, c_name(g["name"]))
        c.ok(defines.get(macro) == '"%s"' % g["name"], "%s is %r, expected \"%s\""
             % (macro, defines.get(macro), g["name"]))

    # the kernel's policies name each request attribute
    nl_src = None
    for cand in ("vvp_nl.c", "vvp_netlink.c"):
        p = os.path.join(srcdir, "kmod", "vvp", cand)
        if os.path.exists(p):
            nl_src = (nl_src or "") + open(p).read()
    if c.ok(nl_src is not None,
            "kmod/vvp/vvp_netlink.c and vvp_nl.c are missing: policies not checked"):
        for op in ops:
            if "notify" in op:
                continue
            S = c_name(sets[op["attribute-set"]]["name"])
            for mode in ("do", "dump"):
                for a in ((op.get(mode) or {}).get("request") or {}).get("attributes", []):
                    ident = "%s_A_%s_%s" % (F, S, c_name(a))
                    c.ok(re.search(r"\b%s\b" % ident, nl_src) is not None,
                         "op %s %s request attribute %s is not mentioned in kmod's netlink code"
                         % (op["name"], mode, ident))
            if "admin-perm" in op.get("flags", []):
                c.ok("GENL_ADMIN_PERM" in nl_src,
                     "op %s is admin-perm but kmod's netlink code has no GENL_ADMIN_PERM"
                     % op["name"])

    # libvvp.h names the caps for users (the uapi header is not
    # installed); owner.c checks each name against the uapi value
    lib_h = os.path.join(srcdir, "libvvp", "libvvp.h")
    owner_c = os.path.join(srcdir, "libvvp", "owner.c")
    if os.path.exists(lib_h) and os.path.exists(owner_c):
        lib_text = strip_comments(open(lib_h).read())
        owner_text = strip_comments(open(owner_c).read())
        for d in spec.get("definitions", []):
            if d["name"] != "cap":
                continue
            for i, e in enumerate(d["entries"]):
                n = c_name(e if isinstance(e, str) else e["name"])
                m = re.search(r"#define[ \t]+VVP_OWNER_CAP_%s[ \t]+(.+?)[ \t]*$" % n,
                              lib_text, flags=re.M)
                c.ok(m is not None and
                     re.sub(r"\s", "", m.group(1)) == "(1U<<%d)" % i,
                     "libvvp.h: VVP_OWNER_CAP_%s is %r, expected (1U << %d)"
                     % (n, m and m.group(1), i))
                c.ok(re.search(r"\bSAME_CAP\(%s\)" % n, owner_text) is not None,
                     "libvvp/owner.c does not check VVP_OWNER_CAP_%s with SAME_CAP()" % n)
                c.ok(re.search(r"\{\s*VVP_OWNER_CAP_%s\s*," % n, owner_text) is not None,
                     "libvvp/owner.c: vvp_cap_name() has no name for VVP_OWNER_CAP_%s" % n)

    for e in c.errors:
        print("FAIL: " + e)
    print("%d checks, %d failed (%s vs %s)" % (c.checks, len(c.errors),
          os.path.relpath(spec_path), os.path.relpath(hdr_path)))
    return 1 if c.errors else 0


if __name__ == "__main__":
    sys.exit(main())
