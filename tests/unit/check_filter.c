/* check_filter.c: the filter language. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "model.h"
#include "strbuf.h"

static struct filter f;
static char err[256];

static void
setup(void)
{
	filter_init(&f);
	err[0] = '\0';
}

static void
teardown(void)
{
	filter_free(&f);
}

START_TEST(test_terms)
{
	ck_assert_int_eq(filter_parse(&f, "sev>=high status=new,ack rule=R7 "
	    "asset=CS-0042 assignee=alice kind=station incident=#12 age<2h last<30m",
	    err, sizeof err), 0);
	ck_assert_int_eq(f.sev_min, SEV_HIGH);
	ck_assert_int_eq(f.sev_max, 0);
	ck_assert_uint_eq(f.status_mask, 1u << ST_NEW | 1u << ST_ACKNOWLEDGED);
	ck_assert_str_eq(f.rule, "R7");
	ck_assert_str_eq(f.asset, "CS-0042");
	ck_assert_str_eq(f.assignee, "alice");
	ck_assert_str_eq(f.kind, "station");
	ck_assert_int_eq(f.incident_id, 12);
	ck_assert_int_eq(f.first_within, 7200);
	ck_assert_int_eq(f.last_within, 1800);
	ck_assert_ptr_null(f.text);
}
END_TEST

START_TEST(test_free_words_and_quotes)
{
	ck_assert_int_eq(filter_parse(&f, "firmware \"untrusted host\" sev=crit",
	    err, sizeof err), 0);
	ck_assert_str_eq(f.text, "firmware untrusted host");
	ck_assert_int_eq(f.sev_min, SEV_CRITICAL);
	ck_assert_int_eq(f.sev_max, SEV_CRITICAL);
}
END_TEST

START_TEST(test_errors_name_the_term)
{
	ck_assert_int_eq(filter_parse(&f, "bogus=1", err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "bogus"));
	ck_assert_int_eq(filter_parse(&f, "sev>=extreme", err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "extreme"));
	ck_assert_int_eq(filter_parse(&f, "status=weird", err, sizeof err), -1);
	ck_assert_int_eq(filter_parse(&f, "age>2h", err, sizeof err), -1);
	ck_assert_int_eq(filter_parse(&f, "age<soon", err, sizeof err), -1);
	ck_assert_int_eq(filter_parse(&f, "rule=", err, sizeof err), -1);
	ck_assert_int_eq(filter_parse(&f, "incident=x", err, sizeof err), -1);
	ck_assert_int_eq(filter_parse(&f, "sev<info", err, sizeof err), -1);
}
END_TEST

START_TEST(test_unassigned_and_not)
{
	ck_assert_int_eq(filter_parse(&f, "owner=none status!=closed,suppressed",
	    err, sizeof err), 0);
	ck_assert(f.unassigned);
	ck_assert_ptr_null(f.assignee);
	ck_assert_uint_eq(f.status_not, 1u << ST_CLOSED | 1u << ST_SUPPRESSED);
}
END_TEST

START_TEST(test_roundtrip)
{
	struct filter g;
	struct strbuf a, b;

	ck_assert_int_eq(filter_parse(&f, "sev=high status=escalated asset=\"CS 1\" "
	    "text=\"a \\\"quoted\\\" word\" age<1d assignee=none", err, sizeof err), 0);
	strbuf_init(&a);
	strbuf_init(&b);
	filter_format(&f, &a);
	filter_init(&g);
	ck_assert_int_eq(filter_parse(&g, a.buf, err, sizeof err), 0);
	filter_format(&g, &b);
	ck_assert_str_eq(a.buf, b.buf);
	ck_assert_str_eq(g.asset, "CS 1");
	ck_assert_str_eq(g.text, "a \"quoted\" word");
	filter_free(&g);
	strbuf_free(&a);
	strbuf_free(&b);
}
END_TEST

/* Long durations (age<1200d is past 10^8 seconds) must format as something
 * filter_parse takes back: saved views store the formatted text. */
START_TEST(test_roundtrip_long_duration)
{
	struct filter g;
	struct strbuf a;

	ck_assert_int_eq(filter_parse(&f, "age<1200d last<200w", err, sizeof err), 0);
	ck_assert_int_eq(f.first_within, 1200L * 86400);
	strbuf_init(&a);
	filter_format(&f, &a);
	filter_init(&g);
	ck_assert_msg(filter_parse(&g, a.buf, err, sizeof err) == 0, "%s: %s", a.buf, err);
	ck_assert_int_eq(g.first_within, f.first_within);
	ck_assert_int_eq(g.last_within, f.last_within);
	filter_free(&g);
	strbuf_free(&a);
}
END_TEST

START_TEST(test_empty_and_copy)
{
	struct filter g;

	ck_assert(filter_empty(&f));
	ck_assert_int_eq(filter_parse(&f, "   ", err, sizeof err), 0);
	ck_assert(filter_empty(&f));
	ck_assert_int_eq(filter_parse(&f, "rule=R1 tamper", err, sizeof err), 0);
	ck_assert(!filter_empty(&f));
	filter_copy(&g, &f);
	ck_assert_str_eq(g.rule, "R1");
	ck_assert_str_eq(g.text, "tamper");
	ck_assert_ptr_ne(g.rule, f.rule);
	filter_free(&g);
}
END_TEST

/* Out-of-range values are parse errors that name the value: the console
 * refuses the filter instead of showing it over the old rows, and the CLI
 * exits 2 instead of passing the database a timestamp it cannot hold. */
START_TEST(test_out_of_range)
{
	ck_assert_int_eq(filter_parse(&f, "sev=low age<99999999h", err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "'99999999h'"));
	ck_assert_int_eq(filter_parse(&f, "last<9999999999999999999999", err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "9999999999999999999999"));
	ck_assert_int_eq(filter_parse(&f, "age<5300w", err, sizeof err), -1);
	ck_assert_int_eq(filter_parse(&f, "age<5000w", err, sizeof err), 0);
	ck_assert_int_eq(filter_parse(&f, "incident=99999999999999999999", err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "'99999999999999999999'"));
	ck_assert_int_eq(filter_parse(&f, "incident=9223372036854775808", err, sizeof err), -1);
	ck_assert_int_eq(filter_parse(&f, "incident=+5", err, sizeof err), -1);
	ck_assert_int_eq(filter_parse(&f, "incident=9223372036854775807", err, sizeof err), 0);
	ck_assert(f.incident_id == 9223372036854775807LL);
}
END_TEST

/* A status list longer than 255 bytes was cut, dropping its last values. */
START_TEST(test_long_value_whole)
{
	struct strbuf e;
	int i;

	strbuf_init(&e);
	strbuf_append(&e, "status=");
	for (i = 0; i < 80; i++)
		strbuf_append(&e, "new,");
	strbuf_append(&e, "closed");
	ck_assert_uint_gt(e.len, 255);
	ck_assert_msg(filter_parse(&f, e.buf, err, sizeof err) == 0, "%s", err);
	ck_assert_uint_eq(f.status_mask, 1u << ST_NEW | 1u << ST_CLOSED);
	strbuf_free(&e);
}
END_TEST

START_TEST(test_bounds)
{
	struct strbuf e;
	int i;

	strbuf_init(&e);
	for (i = 0; i < FILTER_MAX_TERMS; i++)
		strbuf_append(&e, "w ");
	ck_assert_msg(filter_parse(&f, e.buf, err, sizeof err) == 0, "%s", err);
	strbuf_append(&e, "one-more");
	filter_free(&f);
	ck_assert_int_eq(filter_parse(&f, e.buf, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "more than 64 terms"));

	strbuf_reset(&e);
	strbuf_append(&e, "asset=");
	for (i = 0; i < FILTER_TERM_MAX - 6; i++)
		strbuf_appendc(&e, 'x');
	filter_free(&f);
	ck_assert_msg(filter_parse(&f, e.buf, err, sizeof err) == 0, "%s", err);
	strbuf_appendc(&e, 'x');
	ck_assert_int_eq(filter_parse(&f, e.buf, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "at most 1024"));
	/* A quoted word counts by its content, the quotes aside. */
	strbuf_reset(&e);
	strbuf_appendc(&e, '"');
	for (i = 0; i < 120000; i++)
		strbuf_appendc(&e, 'y');
	strbuf_appendc(&e, '"');
	ck_assert_int_eq(filter_parse(&f, e.buf, err, sizeof err), -1);
	/* Many words stay parseable once filter_format joins them into one
	 * text= term (a saved view must load again). */
	strbuf_reset(&e);
	for (i = 0; i < 10; i++) {
		int j;
		for (j = 0; j < 200; j++)
			strbuf_appendc(&e, 'a' + i);
		strbuf_appendc(&e, ' ');
	}
	filter_free(&f);
	ck_assert_int_eq(filter_parse(&f, e.buf, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "free words"));
	strbuf_reset(&e);
	for (i = 0; i < 5; i++) {
		int j;
		for (j = 0; j < 200; j++)
			strbuf_appendc(&e, 'a' + i);
		strbuf_appendc(&e, ' ');
	}
	filter_free(&f);
	ck_assert_msg(filter_parse(&f, e.buf, err, sizeof err) == 0, "%s", err);
	{
		struct filter g;
		struct strbuf a;

		strbuf_init(&a);
		filter_format(&f, &a);
		filter_init(&g);
		ck_assert_msg(filter_parse(&g, a.buf, err, sizeof err) == 0, "%s", err);
		ck_assert_str_eq(g.text, f.text);
		filter_free(&g);
		strbuf_free(&a);
	}
	strbuf_free(&e);
}
END_TEST

START_TEST(test_invalid_utf8)
{
	ck_assert_int_eq(filter_parse(&f, "asset=CS\xff", err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "UTF-8"));
	ck_assert_int_eq(filter_parse(&f, "caf\xc3", err, sizeof err), -1);
	ck_assert_int_eq(filter_parse(&f, "asset=caf\xc3\xa9", err, sizeof err), 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("filter");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_terms);
	tcase_add_test(tc, test_free_words_and_quotes);
	tcase_add_test(tc, test_errors_name_the_term);
	tcase_add_test(tc, test_unassigned_and_not);
	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_roundtrip_long_duration);
	tcase_add_test(tc, test_empty_and_copy);
	tcase_add_test(tc, test_out_of_range);
	tcase_add_test(tc, test_long_value_whole);
	tcase_add_test(tc, test_bounds);
	tcase_add_test(tc, test_invalid_utf8);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
