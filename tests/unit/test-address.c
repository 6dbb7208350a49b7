// SPDX-License-Identifier: GPL-2.0-or-later
/* vvp_parse_pci_address(): what is an address, and its canonical form */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "libvvp-private.h"

static void good(const char *in, const char *want)
{
	char buf[16];

	memset(buf, 'X', sizeof(buf));
	if (vvp_parse_pci_address(in, buf, sizeof(buf)) != 0) {
		print_error("'%s' was refused\n", in);
		fail();
	}
	assert_string_equal(buf, want);
}

static void bad(const char *in)
{
	char buf[16] = "untouched";

	if (vvp_parse_pci_address(in, buf, sizeof(buf)) != -EINVAL) {
		print_error("'%s' was taken as %s\n", in ? in : "(null)", buf);
		fail();
	}
}

static void test_full(void **state)
{
	good("0000:01:00.0", "0000:01:00.0");
	good("0000:00:1f.7", "0000:00:1f.7");
	good("ffff:ff:1f.7", "ffff:ff:1f.7");
	good("0001:3b:02.5", "0001:3b:02.5");
}

static void test_domainless(void **state)
{
	/* lspci -s: no domain means domain 0 */
	good("01:00.0", "0000:01:00.0");
	good("3b:1f.7", "0000:3b:1f.7");
}

static void test_short_fields(void **state)
{
	good("0:1:0.0", "0000:01:00.0");
	good("1:2.3", "0000:01:02.3");
}

static void test_upper_case(void **state)
{
	good("0000:3B:0A.1", "0000:3b:0a.1");
	good("ABCD:EF:1F.7", "abcd:ef:1f.7");
}

static void test_garbage(void **state)
{
	bad(NULL);
	bad("");
	bad("pf0");
	bad("0000:01:00");
	bad("0000:01.00.0");
	bad("0000:01:00.0.0");
	bad("0000:01:00.0:");
	bad("0000:01:00.0x");
	bad("0000:01:00:0");
	bad("0000:0g:00.0");
	bad("0x00:01:00.0");
	bad(":01:00.0");
	bad("0000::00.0");
	bad("0000:01:.0");
	bad("0000:01:00.");
	bad("../01:00.0");
	bad("0000:01:00.0/driver");
}

static void test_out_of_range(void **state)
{
	bad("10000:01:00.0");	/* domain > ffff */
	bad("0000:100:00.0");	/* bus > ff */
	bad("0000:01:20.0");	/* device > 1f */
	bad("0000:01:00.8");	/* function > 7 */
	/* too many digits must not wrap around into range */
	bad("100000000:01:00.0");
	bad("0000:100000001:00.0");
	bad("0000:01:100000000.0");
	bad("0000:01:00.100000000");
	bad("ffffffffffffffffffff:01:00.0");
}

static void test_signs_spaces(void **state)
{
	bad("-1:00.0");
	bad("+0000:01:00.0");
	bad("0000:-1:00.0");
	bad("0000:+1:00.0");
	bad(" 0000:01:00.0");
	bad("0000:01:00.0 ");
	bad("0000: 01:00.0");
	bad("0000:01:00.0\n");
	bad("\t01:00.0");
}

static void test_buffer(void **state)
{
	char small[8], exact[13];

	assert_int_equal(vvp_parse_pci_address("01:00.0", NULL, 16), -EINVAL);
	assert_int_equal(vvp_parse_pci_address("01:00.0", small, sizeof(small)),
			 -ENOSPC);
	assert_int_equal(vvp_parse_pci_address("01:00.0", exact, sizeof(exact)), 0);
	assert_string_equal(exact, "0000:01:00.0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_domainless),
		cmocka_unit_test(test_short_fields),
		cmocka_unit_test(test_upper_case),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_out_of_range),
		cmocka_unit_test(test_signs_spaces),
		cmocka_unit_test(test_buffer),
	};

	return cmocka_run_group_tests_name("address", tests, NULL, NULL);
}
