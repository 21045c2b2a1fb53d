/* check_format.c: widths, fitting, ages, counts, timestamps. */
#include <check.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "auditlog.h"
#include "format.h"
#include "strbuf.h"

static char *
fit(const char *s, int w, int flags)
{
	struct strbuf sb;

	strbuf_init(&sb);
	format_fit(&sb, s, w, flags);
	return strbuf_detach(&sb);
}

/* PostgreSQL's ISO text of a UTC timestamptz, as audit verify reads it,
 * must give exactly what audit_ts() hashes: pairs read off PostgreSQL 15
 * (SET timezone 'UTC', datestyle 'ISO, YMD'; SELECT t::text, audit_ts(t)). */
START_TEST(test_audit_ts_from_iso)
{
	static const char *const cases[][2] = {
		{ "2026-12-02 09:13:56.123456+00", "2026-12-02T09:13:56.123456Z" },
		{ "2026-12-02 09:13:56.12+00", "2026-12-02T09:13:56.120000Z" },
		{ "2026-12-02 09:13:56+00", "2026-12-02T09:13:56.000000Z" },
		{ "2026-01-01 00:00:00.000001+00", "2026-01-01T00:00:00.000001Z" },
		{ "1999-12-31 18:59:59.9+00", "1999-12-31T18:59:59.900000Z" },
		/* Not that shape: passed through, so the hash cannot match. */
		{ "2026-12-02 09:13:56+01", "2026-12-02 09:13:56+01" },
		{ "infinity", "infinity" },
		{ "2026-12-02 09:13:56.1234567+00", "2026-12-02 09:13:56.1234567+00" },
		{ "", "" },
	};
	char out[64];
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		auditlog_ts_from_iso(cases[i][0], out, sizeof out);
		ck_assert_str_eq(out, cases[i][1]);
	}
}
END_TEST

START_TEST(test_width)
{
	ck_assert_int_eq(format_width("abc"), 3);
	ck_assert_int_eq(format_width(""), 0);
	ck_assert_int_eq(format_width("S\xc3\xa4ule"), 5);
	/* CJK is two columns wide in a UTF-8 locale. */
	ck_assert_int_eq(format_width("\xe5\x85\x85\xe7\x94\xb5"), 4);
}
END_TEST

START_TEST(test_fit)
{
	char *o;

	o = fit("abc", 5, FIT_PAD);
	ck_assert_str_eq(o, "abc  ");
	free(o);
	o = fit("abc", 5, FIT_RIGHT);
	ck_assert_str_eq(o, "  abc");
	free(o);
	o = fit("abcdefgh", 5, FIT_ASCII);
	ck_assert_str_eq(o, "abcd~");
	free(o);
	o = fit("abcdefgh", 5, 0);
	ck_assert_str_eq(o, "abcd\xe2\x80\xa6");
	free(o);
	/* Never split a wide character: 3 columns hold one CJK + ellipsis. */
	o = fit("\xe5\x85\x85\xe7\x94\xb5\xe7\x94\xb5", 3, FIT_ASCII | FIT_PAD);
	ck_assert_str_eq(o, "\xe5\x85\x85~");
	free(o);
	o = fit("abc", 0, FIT_PAD);
	ck_assert_str_eq(o, "");
	free(o);
}
END_TEST

START_TEST(test_age)
{
	char b[16];

	format_age(b, sizeof b, 1000, 1000);
	ck_assert_str_eq(b, "now");
	format_age(b, sizeof b, 1000, 958);
	ck_assert_str_eq(b, "42s");
	format_age(b, sizeof b, 10000, 10000 - 17 * 60);
	ck_assert_str_eq(b, "17m");
	format_age(b, sizeof b, 100000, 100000 - 5 * 3600);
	ck_assert_str_eq(b, "5h");
	format_age(b, sizeof b, 1000000, 1000000 - 3 * 86400);
	ck_assert_str_eq(b, "3d");
	format_age(b, sizeof b, 100000000, 100000000 - 6 * 7 * 86400);
	ck_assert_str_eq(b, "6w");
	format_age(b, sizeof b, 1000, 1600);
	ck_assert_str_eq(b, "-10m");
}
END_TEST

START_TEST(test_ago)
{
	char b[16];

	format_ago(b, sizeof b, 1000, 1000);
	ck_assert_str_eq(b, "just now");
	format_ago(b, sizeof b, 1000, 997);
	ck_assert_str_eq(b, "just now");
	format_ago(b, sizeof b, 1000, 958);
	ck_assert_str_eq(b, "42s ago");
	format_ago(b, sizeof b, 10000, 10000 - 5 * 60);
	ck_assert_str_eq(b, "5m ago");
	/* Ahead of our clock: never "-10m ago". */
	format_ago(b, sizeof b, 1000, 1600);
	ck_assert_str_eq(b, "in 10m");
	format_ago(b, sizeof b, 1000, 1030);
	ck_assert_str_eq(b, "in 30s");
	format_ago(b, sizeof b, 1000, 1002);
	ck_assert_str_eq(b, "just now");
}
END_TEST

START_TEST(test_count)
{
	char b[32];

	format_count(b, sizeof b, 0);
	ck_assert_str_eq(b, "0");
	format_count(b, sizeof b, 999);
	ck_assert_str_eq(b, "999");
	format_count(b, sizeof b, 1000);
	ck_assert_str_eq(b, "1,000");
	format_count(b, sizeof b, 1234567);
	ck_assert_str_eq(b, "1,234,567");
	format_count(b, sizeof b, -45000);
	ck_assert_str_eq(b, "-45,000");
}
END_TEST

START_TEST(test_timestamps)
{
	char b[32];
	time_t t = format_parse_ts("2026-11-21 19:06:47.123456+00");

	ck_assert(t != (time_t)-1);
	format_ts(b, sizeof b, t);
	ck_assert_str_eq(b, "2026-11-21 19:06:47");
	ck_assert(format_parse_ts("2026-11-21T19:06:47Z") == t);
	ck_assert(format_parse_ts("2026-11-21 21:06:47+02") == t);
	ck_assert(format_parse_ts("2026-11-21 18:36:47-00:30") == t);
	ck_assert(format_parse_ts("1970-01-01 00:00:00+00") == 0);
	ck_assert(format_parse_ts("garbage") == (time_t)-1);
	ck_assert(format_parse_ts("2026-13-01 00:00:00") == (time_t)-1);
	ck_assert(format_parse_ts(NULL) == (time_t)-1);
}
END_TEST

START_TEST(test_duration)
{
	ck_assert_int_eq(format_parse_duration("90"), 90);
	ck_assert_int_eq(format_parse_duration("90s"), 90);
	ck_assert_int_eq(format_parse_duration("15m"), 900);
	ck_assert_int_eq(format_parse_duration("4h"), 14400);
	ck_assert_int_eq(format_parse_duration("7d"), 604800);
	ck_assert_int_eq(format_parse_duration("2w"), 1209600);
	ck_assert_int_eq(format_parse_duration("0h"), -1);
	ck_assert_int_eq(format_parse_duration("-1h"), -1);
	ck_assert_int_eq(format_parse_duration("4x"), -1);
	ck_assert_int_eq(format_parse_duration(""), -1);
	/* Bounded at 100 years: longer ones overflow a timestamp. */
	ck_assert_int_eq(format_parse_duration("99999999h"), -1);
	ck_assert_int_eq(format_parse_duration("99999999999999999999s"), -1);
	ck_assert_int_eq(format_parse_duration("5229w"), -1);
	ck_assert_int_eq(format_parse_duration("5200w"), 5200L * 7 * 86400);
	ck_assert_int_eq(format_parse_duration("36600d"), FORMAT_DURATION_MAX);
	ck_assert_int_eq(format_parse_duration("36601d"), -1);
}
END_TEST

START_TEST(test_parse_id)
{
	long long v = 7;

	ck_assert_int_eq(format_parse_id("42", &v), 0);
	ck_assert(v == 42);
	ck_assert_int_eq(format_parse_id("#43", &v), 0);
	ck_assert(v == 43);
	ck_assert_int_eq(format_parse_id("9223372036854775807", &v), 0);
	ck_assert(v == 9223372036854775807LL);
	v = 7;
	ck_assert_int_eq(format_parse_id("9223372036854775808", &v), -1);
	ck_assert_int_eq(format_parse_id("99999999999999999999", &v), -1);
	ck_assert_int_eq(format_parse_id("0", &v), -1);
	ck_assert_int_eq(format_parse_id("-1", &v), -1);
	ck_assert_int_eq(format_parse_id("+1", &v), -1);
	ck_assert_int_eq(format_parse_id(" 1", &v), -1);
	ck_assert_int_eq(format_parse_id("1 ", &v), -1);
	ck_assert_int_eq(format_parse_id("12abc", &v), -1);
	ck_assert_int_eq(format_parse_id("", &v), -1);
	ck_assert_int_eq(format_parse_id("#", &v), -1);
	ck_assert_int_eq(format_parse_id(NULL, &v), -1);
	ck_assert(v == 7);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("format");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	setlocale(LC_ALL, "C.UTF-8");
	tcase_add_test(tc, test_width);
	tcase_add_test(tc, test_audit_ts_from_iso);
	tcase_add_test(tc, test_fit);
	tcase_add_test(tc, test_age);
	tcase_add_test(tc, test_ago);
	tcase_add_test(tc, test_count);
	tcase_add_test(tc, test_timestamps);
	tcase_add_test(tc, test_duration);
	tcase_add_test(tc, test_parse_id);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
