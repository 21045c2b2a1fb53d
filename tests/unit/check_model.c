/* check_model.c: names and parsers of the model's enumerations. */
#include <check.h>
#include <stdlib.h>

#include "model.h"
#include "queue.h"

START_TEST(test_severity)
{
	int s;

	for (s = SEV_INFO; s < SEV__COUNT; s++) {
		ck_assert_int_eq(severity_parse(severity_name(s)), s);
		ck_assert_int_eq(severity_parse(severity_label(s)), s);
	}
	ck_assert_int_eq(severity_parse("crit"), SEV_CRITICAL);
	ck_assert_int_eq(severity_parse("HIGH"), SEV_HIGH);
	ck_assert_int_eq(severity_parse("3"), SEV_MEDIUM);
	ck_assert_int_eq(severity_parse("m"), SEV_MEDIUM);
	ck_assert_int_eq(severity_parse("6"), SEV_NONE);
	ck_assert_int_eq(severity_parse("bogus"), SEV_NONE);
	ck_assert_int_eq(severity_parse(""), SEV_NONE);
	ck_assert_int_eq(severity_parse(NULL), SEV_NONE);
}
END_TEST

START_TEST(test_status)
{
	int s;

	for (s = 0; s < ST__COUNT; s++)
		ck_assert_int_eq(status_parse(status_name((enum alert_status)s)), s);
	ck_assert_int_eq(status_parse("ack"), ST_ACKNOWLEDGED);
	ck_assert_int_eq(status_parse("esc"), ST_ESCALATED);
	ck_assert_int_eq(status_parse("s"), ST_SUPPRESSED);
	ck_assert_int_eq(status_parse("x"), ST_UNKNOWN);
	ck_assert(status_is_open(ST_NEW));
	ck_assert(status_is_open(ST_ACKNOWLEDGED));
	ck_assert(!status_is_open(ST_CLOSED));
	ck_assert(!status_is_open(ST_ESCALATED));
}
END_TEST

START_TEST(test_disposition)
{
	ck_assert_int_eq(disposition_parse("tp"), DISP_TRUE_POSITIVE);
	ck_assert_int_eq(disposition_parse("false_positive"), DISP_FALSE_POSITIVE);
	ck_assert_int_eq(disposition_parse("FP"), DISP_FALSE_POSITIVE);
	ck_assert_int_eq(disposition_parse("benign"), DISP_BENIGN);
	ck_assert_int_eq(disposition_parse("dup"), DISP_DUPLICATE);
	ck_assert_int_eq(disposition_parse("maybe"), DISP_UNKNOWN);
	/* "" must not match the empty name of DISP_NONE. */
	ck_assert_int_eq(disposition_parse(""), DISP_UNKNOWN);
}
END_TEST

START_TEST(test_asset_kind)
{
	int k;

	for (k = 0; k < AK__COUNT; k++)
		ck_assert_int_eq(asset_kind_parse(asset_kind_name((enum asset_kind)k)), k);
	ck_assert_int_eq(asset_kind_parse("veh"), AK_VEHICLE);
	ck_assert_int_eq(asset_kind_parse("s"), AK_UNKNOWN);	/* site/station */
}
END_TEST

START_TEST(test_views_and_sorts)
{
	int i;

	for (i = 0; i < QV__COUNT; i++)
		ck_assert_int_eq(queue_view_parse(queue_view_name((enum queue_view)i)), i);
	ck_assert_int_eq(queue_view_parse("un"), QV_UNASSIGNED);
	ck_assert_int_eq(queue_view_parse("bogus"), QV__COUNT);
	for (i = 0; i < QS__COUNT; i++)
		ck_assert_int_eq(queue_sort_parse(queue_sort_name((enum queue_sort)i)), i);
	ck_assert_int_eq(queue_sort_parse("sev"), QS_SEVERITY);
	ck_assert_int_eq(queue_sort_parse("a"), QS__COUNT);	/* age/asset/assignee */
	ck_assert(queue_sort_descending(QS_SEVERITY));
	ck_assert(!queue_sort_descending(QS_AGE));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("model");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_severity);
	tcase_add_test(tc, test_status);
	tcase_add_test(tc, test_disposition);
	tcase_add_test(tc, test_asset_kind);
	tcase_add_test(tc, test_views_and_sorts);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
