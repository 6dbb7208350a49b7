// SPDX-License-Identifier: GPL-2.0-or-later
/* libvvp/virtio_net.c and owner.c names: MAC addresses, feature bits, caps */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <linux/vvp.h>

#include "libvvp-private.h"
#include "ctx-fixture.h"

static void test_mac_parse(void **state)
{
	unsigned char mac[6];
	const unsigned char want[6] = { 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef };

	assert_int_equal(vvp_parse_mac("52:54:00:ab:cd:ef", mac), 0);
	assert_memory_equal(mac, want, 6);
	memset(mac, 0, 6);
	assert_int_equal(vvp_parse_mac("52:54:00:AB:CD:EF", mac), 0);
	assert_memory_equal(mac, want, 6);
	memset(mac, 0, 6);
	assert_int_equal(vvp_parse_mac("52-54-00-ab-cd-ef", mac), 0);
	assert_memory_equal(mac, want, 6);
	/* the kernel judges multicast and zero; the syntax is fine */
	assert_int_equal(vvp_parse_mac("01:00:5e:00:00:01", mac), 0);
	assert_int_equal(vvp_parse_mac("00:00:00:00:00:00", mac), 0);
}

static void test_mac_parse_bad(void **state)
{
	const unsigned char keep[6] = { 1, 2, 3, 4, 5, 6 };
	static const char *const bad[] = {
		"", "52:54:00:ab:cd", "52:54:00:ab:cd:ef:01", "52:54:00:ab:cd:e",
		"52:54:00:ab:cd:eg", "52:54-00:ab:cd:ef", "5254.00ab.cdef",
		"525400abcdef", "52:54:00:ab:cd:ef ", " 52:54:00:ab:cd:ef",
		"2:54:00:ab:cd:ef", "52::54:00:ab:cd", "zz:54:00:ab:cd:ef",
	};
	unsigned char mac[6];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(mac, keep, 6);
		assert_int_equal(vvp_parse_mac(bad[i], mac), -EINVAL);
		/* a failed parse leaves the output alone */
		assert_memory_equal(mac, keep, 6);
	}
	assert_int_equal(vvp_parse_mac(NULL, mac), -EINVAL);
}

static void test_mac_format(void **state)
{
	const unsigned char mac[6] = { 0x52, 0x54, 0x00, 0xAB, 0x0c, 0xef };
	unsigned char back[6];
	char buf[18];

	assert_int_equal(vvp_format_mac(mac, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "52:54:00:ab:0c:ef");
	assert_int_equal(vvp_parse_mac(buf, back), 0);
	assert_memory_equal(back, mac, 6);
	assert_int_equal(vvp_format_mac(mac, buf, 17), -ENOSPC);
}

static void test_feature_names(void **state)
{
	assert_string_equal(vvp_feature_name(0), "csum");
	assert_string_equal(vvp_feature_name(5), "mac");
	assert_string_equal(vvp_feature_name(3), "mtu");
	assert_string_equal(vvp_feature_name(22), "mq");
	assert_string_equal(vvp_feature_name(24), "notify_on_empty");
	assert_string_equal(vvp_feature_name(27), "any_layout");
	assert_string_equal(vvp_feature_name(32), "version_1");
	assert_string_equal(vvp_feature_name(63), "speed_duplex");
	assert_null(vvp_feature_name(4));
	assert_null(vvp_feature_name(64));

	assert_int_equal(vvp_feature_from_name("csum"), 0);
	assert_int_equal(vvp_feature_from_name("guest_csum"), 1);
	assert_int_equal(vvp_feature_from_name("ctrl_mac_addr"), 23);
	assert_int_equal(vvp_feature_from_name("version_1"), 32);
	assert_int_equal(vvp_feature_from_name("bit4"), 4);
	assert_int_equal(vvp_feature_from_name("bit63"), 63);
	assert_int_equal(vvp_feature_from_name("bit64"), -EINVAL);
	assert_int_equal(vvp_feature_from_name("bit"), -EINVAL);
	assert_int_equal(vvp_feature_from_name("bit-1"), -EINVAL);
	assert_int_equal(vvp_feature_from_name("bit1x"), -EINVAL);
	assert_int_equal(vvp_feature_from_name("MAC"), -EINVAL);
	assert_int_equal(vvp_feature_from_name(""), -EINVAL);
	assert_int_equal(vvp_feature_from_name(NULL), -EINVAL);

	/* every name maps back to its own bit */
	for (unsigned int bit = 0; bit < 64; bit++)
		if (vvp_feature_name(bit))
			assert_int_equal(vvp_feature_from_name(vvp_feature_name(bit)),
					 bit);
}

static void test_features_list(void **state)
{
	struct vvp_ctx *ctx = *state;
	uint64_t set = 1234, clear = 5678;

	assert_int_equal(vvp_parse_features(ctx, "+mac,-mq", &set, &clear), 0);
	assert_true(set == 1ULL << 5);
	assert_true(clear == 1ULL << 22);

	assert_int_equal(vvp_parse_features(ctx, "+mac,+mtu,+version_1,-bit63",
					    &set, &clear), 0);
	assert_true(set == (1ULL << 5 | 1ULL << 3 | 1ULL << 32));
	assert_true(clear == 1ULL << 63);

	/* the last word on a bit counts */
	assert_int_equal(vvp_parse_features(ctx, "+mac,-mac", &set, &clear), 0);
	assert_true(set == 0 && clear == 1ULL << 5);
	assert_int_equal(vvp_parse_features(ctx, "-mac,+mac", &set, &clear), 0);
	assert_true(set == 1ULL << 5 && clear == 0);

	/* a number is the whole value */
	assert_int_equal(vvp_parse_features(ctx, "0x100000020", &set, &clear), 0);
	assert_true(set == 0x100000020ULL && clear == ~0ULL);
	assert_int_equal(vvp_parse_features(ctx, "0", &set, &clear), 0);
	assert_true(set == 0 && clear == ~0ULL);
	assert_int_equal(vvp_parse_features(ctx, "0xffffffffffffffff", &set,
					    &clear), 0);
	assert_true(set == ~0ULL);
}

static void test_features_list_bad(void **state)
{
	struct vvp_ctx *ctx = *state;
	uint64_t set = 1, clear = 2;

	assert_int_equal(vvp_parse_features(ctx, "mac", &set, &clear), -EINVAL);
	assert_non_null(strstr(vvp_get_last_error(ctx), "+mac adds it"));
	assert_int_equal(vvp_parse_features(ctx, "+nosuch", &set, &clear), -EINVAL);
	assert_non_null(strstr(vvp_get_last_error(ctx), "unknown feature 'nosuch'"));
	assert_int_equal(vvp_parse_features(ctx, "+mac,", &set, &clear), -EINVAL);
	assert_non_null(strstr(vvp_get_last_error(ctx), "empty entry"));
	assert_int_equal(vvp_parse_features(ctx, "+mac,,-mq", &set, &clear), -EINVAL);
	assert_int_equal(vvp_parse_features(ctx, "", &set, &clear), -EINVAL);
	assert_int_equal(vvp_parse_features(ctx, NULL, &set, &clear), -EINVAL);
	assert_int_equal(vvp_parse_features(ctx, "+", &set, &clear), -EINVAL);
	assert_int_equal(vvp_parse_features(ctx, "0x1g", &set, &clear), -EINVAL);
	assert_non_null(strstr(vvp_get_last_error(ctx), "'0x1g' is not a number"));
	assert_int_equal(vvp_parse_features(ctx, "12abc", &set, &clear), -EINVAL);
	assert_int_equal(vvp_parse_features(ctx, "0x", &set, &clear), -EINVAL);
	assert_int_equal(vvp_parse_features(ctx, "0x-1", &set, &clear), -EINVAL);
	assert_int_equal(vvp_parse_features(ctx, "+bit64", &set, &clear), -EINVAL);
	/* failures leave the outputs alone */
	assert_true(set == 1 && clear == 2);
	/* and the messages keep the library's form, "<what> (<why>)" */
	assert_string_equal(vvp_get_last_error(ctx),
			    "unknown feature 'bit64' (not a virtio-net feature name or bitN)");
}

/*
 * A value too big for 64 bits is out of range, said as such: strtoull's
 * ERANGE used to be dropped and the value taken for a list entry
 * ("feature '99999999999999999999999' has no + or -").
 */
static void test_features_number_range(void **state)
{
	struct vvp_ctx *ctx = *state;
	uint64_t set = 1, clear = 2;
	static const char *const too_big[] = {
		"99999999999999999999999",
		"18446744073709551616",		/* 2^64 */
		"0x10000000000000000",
		"0xffffffffffffffffff",
	};

	for (size_t i = 0; i < sizeof(too_big) / sizeof(too_big[0]); i++) {
		char want[128];

		assert_int_equal(vvp_parse_features(ctx, too_big[i], &set,
						    &clear), -ERANGE);
		snprintf(want, sizeof(want),
			 "feature value '%s' is out of range (at most 64 bits)",
			 too_big[i]);
		assert_string_equal(vvp_get_last_error(ctx), want);
		assert_true(set == 1 && clear == 2);
	}

	/* the largest values there are */
	assert_int_equal(vvp_parse_features(ctx, "18446744073709551615", &set,
					    &clear), 0);
	assert_true(set == ~0ULL && clear == ~0ULL);
	assert_int_equal(vvp_parse_features(ctx, "0XFFFFFFFFFFFFFFFF", &set,
					    &clear), 0);
	assert_true(set == ~0ULL);
	/* decimal or hex, as documented: a leading 0 is no octal */
	assert_int_equal(vvp_parse_features(ctx, "010", &set, &clear), 0);
	assert_true(set == 10);
	assert_int_equal(vvp_parse_features(ctx, "09", &set, &clear), 0);
	assert_true(set == 9);
}

static void test_cap_names(void **state)
{
	/* the public names, as a library user without linux/vvp.h has them */
	assert_string_equal(vvp_cap_name(VVP_OWNER_CAP_LEGACY_IO), "legacy_io");
	assert_string_equal(vvp_cap_name(VVP_OWNER_CAP_MAC), "mac");
	assert_string_equal(vvp_cap_name(VVP_OWNER_CAP_MTU), "mtu");
	assert_string_equal(vvp_cap_name(VVP_OWNER_CAP_MAX_VQ_PAIRS), "max_vq_pairs");
	assert_string_equal(vvp_cap_name(VVP_OWNER_CAP_FEATURES), "features");
	assert_string_equal(vvp_cap_name(VVP_OWNER_CAP_TRANSITIONAL), "transitional");
	assert_null(vvp_cap_name(0));
	assert_null(vvp_cap_name(VVP_OWNER_CAP_MAC | VVP_OWNER_CAP_MTU));
	assert_null(vvp_cap_name(1u << 31));

	/* the kernel's values (owner.c checks these at compile time too) */
	assert_int_equal(VVP_OWNER_CAP_LEGACY_IO, VVP_CAP_LEGACY_IO);
	assert_int_equal(VVP_OWNER_CAP_MAC, VVP_CAP_MAC);
	assert_int_equal(VVP_OWNER_CAP_MTU, VVP_CAP_MTU);
	assert_int_equal(VVP_OWNER_CAP_MAX_VQ_PAIRS, VVP_CAP_MAX_VQ_PAIRS);
	assert_int_equal(VVP_OWNER_CAP_FEATURES, VVP_CAP_FEATURES);
	assert_int_equal(VVP_OWNER_CAP_TRANSITIONAL, VVP_CAP_TRANSITIONAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mac_parse),
		cmocka_unit_test(test_mac_parse_bad),
		cmocka_unit_test(test_mac_format),
		cmocka_unit_test(test_feature_names),
		cmocka_unit_test_setup_teardown(test_features_list, setup_ctx,
						teardown_ctx),
		cmocka_unit_test_setup_teardown(test_features_list_bad, setup_ctx,
						teardown_ctx),
		cmocka_unit_test_setup_teardown(test_features_number_range,
						setup_ctx, teardown_ctx),
		cmocka_unit_test(test_cap_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
