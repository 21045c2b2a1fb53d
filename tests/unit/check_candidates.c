/* check_candidates.c: candidate keys and reasons, without a database (the
 * grouping itself is SQL, tested on a real cluster by
 * tests/integration/candidates.sh). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "candidates.h"

START_TEST(test_kinds)
{
	int k;

	for (k = 0; k < CK__COUNT; k++)
		ck_assert_int_eq(cand_kind_parse(cand_kind_name((enum cand_kind)k)), k);
	ck_assert_int_eq(cand_kind_parse("bogus"), CK__COUNT);
	ck_assert_int_eq(cand_kind_parse(NULL), CK__COUNT);
	ck_assert_str_eq(cand_kind_name(CK_FIRMWARE_HOST), "firmware_host");
}
END_TEST

START_TEST(test_keys)
{
	static const char *const good[] = {
		"asset:4711.integrity@20261202T0800Z",
		"campaign:R7@20261202T0800Z",
		"source_ip:192.0.2.7@20261202T0000Z",
		"principal:svc@realm@20261202T0800Z",	/* the last @ ends it */
		"principal:~0123456789abcdef0123@20261202T0800Z",
		"source_ip:2001:db8::1@20261202T0000Z",
	};
	static const char *const bad[] = {
		"", "asset", "asset:@20261202T0800Z", ":x@20261202T0800Z",
		"Asset:1.a@20261202T0800Z", "asset:1.a@2026120T0800Z",
		"asset:1.a@20261202T0800", "asset:1.a@20261202X0800Z",
		"asset:1 a@20261202T0800Z", "asset:1.a@20261202T08a0Z",
		"asset:1.\x1b[31m@20261202T0800Z", "asset:1.a\n@20261202T0800Z",
		"asset:1.a@20261202T0800Z ",
	};
	char *longkey;
	size_t i;

	for (i = 0; i < sizeof good / sizeof good[0]; i++)
		ck_assert_msg(cand_key_valid(good[i]), "should be valid: %s", good[i]);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(!cand_key_valid(bad[i]), "should be invalid: %s", bad[i]);
	ck_assert(!cand_key_valid(NULL));
	longkey = malloc(CAND_KEY_MAX + 32);
	memset(longkey, 'a', CAND_KEY_MAX + 31);
	memcpy(longkey, "source_ip:", 10);
	memcpy(longkey + CAND_KEY_MAX + 31 - 15, "@20261202T0800Z", 15);
	longkey[CAND_KEY_MAX + 31] = '\0';
	ck_assert(!cand_key_valid(longkey));
	free(longkey);
}
END_TEST

static void
reason_of(struct candidate *c, char *buf, size_t len)
{
	cand_reason(c, buf, len);
}

START_TEST(test_reasons)
{
	struct candidate c;
	char buf[512];

	memset(&c, 0, sizeof c);
	c.kind = CK_ASSET;
	c.subject = (char *)"CS-0042";
	c.family = (char *)"integrity";
	c.rules = (char *)"R11,R7";
	c.alerts = 3;
	c.assets = 1;
	c.window_secs = 3600;
	reason_of(&c, buf, sizeof buf);
	ck_assert_str_eq(buf, "3 integrity alerts (R11, R7) on CS-0042 within 1h");

	c.kind = CK_PARENT;
	c.assets = 2;
	reason_of(&c, buf, sizeof buf);
	ck_assert_str_eq(buf, "3 integrity alerts (R11, R7) on CS-0042 and its parts"
	    " (2 assets) within 1h");

	c.kind = CK_SITE;
	c.subject = (char *)"SITE-001";
	c.subject_name = (char *)"Hamburg Depot";
	c.assets = 4;
	c.alerts = 9;
	reason_of(&c, buf, sizeof buf);
	ck_assert_str_eq(buf, "9 integrity alerts (R11, R7) on 4 assets at site Hamburg"
	    " Depot within 1h");

	c.kind = CK_CAMPAIGN;
	c.subject = (char *)"R8";
	c.subject_name = (char *)"Charging-profile manipulation";
	c.assets = 6;
	c.alerts = 7;
	c.window_secs = 5400;
	reason_of(&c, buf, sizeof buf);
	ck_assert_str_eq(buf, "campaign: R8 (Charging-profile manipulation) on 6 assets"
	    " (7 alerts) within 90m");

	/* An indicator's value goes in raw: the screen sanitizes it. */
	c.kind = CK_PRINCIPAL;
	c.subject = (char *)"\x1b[31mroot";
	c.subject_name = NULL;
	c.rules = (char *)"R9";
	c.assets = 3;
	c.alerts = 3;
	c.window_secs = 86400;
	reason_of(&c, buf, sizeof buf);
	ck_assert_str_eq(buf, "operator principal \x1b[31mroot in 3 alerts (R9) on 3 assets"
	    " within 1d");

	/* No rules known yet: no parentheses. */
	c.kind = CK_SOURCE_IP;
	c.subject = (char *)"203.0.113.66";
	c.rules = NULL;
	c.window_secs = 6 * 3600;
	reason_of(&c, buf, sizeof buf);
	ck_assert_str_eq(buf, "source address 203.0.113.66 in 3 alerts on 3 assets within 6h");

	/* A small buffer is cut, never overrun. */
	reason_of(&c, buf, 10);
	ck_assert_uint_eq(strlen(buf), 9);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("candidates");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_kinds);
	tcase_add_test(tc, test_keys);
	tcase_add_test(tc, test_reasons);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
