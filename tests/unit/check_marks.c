/* check_marks.c: the queue's marks (tui/marks.c): a set of alert ids with
 * the versions the analyst saw, kept in id order. */
#include <check.h>
#include <stdlib.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "marks.h"

START_TEST(test_add_remove)
{
	struct marks m;

	marks_init(&m);
	ck_assert_uint_eq(marks_count(&m), 0);
	ck_assert(!marks_has(&m, 7));
	ck_assert(marks_add(&m, 7, 1));
	ck_assert(marks_add(&m, 3, 2));
	ck_assert(marks_has(&m, 7));
	ck_assert(marks_has(&m, 3));
	ck_assert(!marks_has(&m, 5));
	ck_assert_uint_eq(marks_count(&m), 2);
	ck_assert(marks_remove(&m, 7));
	ck_assert(!marks_remove(&m, 7));
	ck_assert(!marks_has(&m, 7));
	ck_assert_uint_eq(marks_count(&m), 1);
	/* Removing from an empty set, and the last one. */
	ck_assert(marks_remove(&m, 3));
	ck_assert(!marks_remove(&m, 3));
	ck_assert_uint_eq(marks_count(&m), 0);
	marks_free(&m);
	marks_free(&m);		/* idempotent */
}
END_TEST

START_TEST(test_versions)
{
	struct marks m;

	marks_init(&m);
	ck_assert(marks_add(&m, 10, 1));
	/* Marking again is not a new mark, but the analyst now saw v4. */
	ck_assert(!marks_add(&m, 10, 4));
	ck_assert_uint_eq(marks_count(&m), 1);
	ck_assert_int_eq(marks_at(&m, 0)->version, 4);
	ck_assert(marks_update(&m, 10, 5));
	ck_assert_int_eq(marks_at(&m, 0)->version, 5);
	/* Update never marks. */
	ck_assert(!marks_update(&m, 11, 1));
	ck_assert(!marks_has(&m, 11));
	marks_free(&m);
}
END_TEST

START_TEST(test_toggle_clear)
{
	struct marks m;

	marks_init(&m);
	ck_assert(marks_toggle(&m, 42, 3));
	ck_assert(marks_has(&m, 42));
	ck_assert(!marks_toggle(&m, 42, 3));
	ck_assert(!marks_has(&m, 42));
	ck_assert(marks_toggle(&m, 42, 9));
	ck_assert_int_eq(marks_at(&m, 0)->version, 9);
	marks_add(&m, 1, 1);
	marks_clear(&m);
	ck_assert_uint_eq(marks_count(&m), 0);
	ck_assert(!marks_has(&m, 42));
	ck_assert(marks_at(&m, 0) == NULL);
	/* Usable after clear. */
	ck_assert(marks_add(&m, 42, 1));
	ck_assert_uint_eq(marks_count(&m), 1);
	marks_free(&m);
}
END_TEST

/* Iteration and copies are in id order whatever the marking order, and
 * negative and huge ids sort right. */
START_TEST(test_order_copy)
{
	static const long long in[] = { 50, -3, 9000000000LL, 7, 0, 49, 51 };
	static const long long want[] = { -3, 0, 7, 49, 50, 51, 9000000000LL };
	long long ids[7];
	int vers[7];
	struct marks m;
	size_t i;

	marks_init(&m);
	for (i = 0; i < 7; i++)
		marks_add(&m, in[i], (int)i + 100);
	ck_assert_uint_eq(marks_count(&m), 7);
	for (i = 0; i < 7; i++)
		ck_assert(marks_at(&m, i)->id == want[i]);
	ck_assert(marks_at(&m, 7) == NULL);
	marks_copy(&m, ids, vers);
	for (i = 0; i < 7; i++)
		ck_assert(ids[i] == want[i]);
	/* 50 was marked first, as version 100. */
	ck_assert_int_eq(vers[4], 100);
	marks_free(&m);
}
END_TEST

/* Against a plain array as the model, through growth past the first
 * allocation, with a fixed seed so a failure reproduces. */
START_TEST(test_add_many)
{
	struct marks m;
	struct mark add[5] = { { 9, 1 }, { 3, 1 }, { 5, 7 }, { 3, 2 }, { 11, 1 } };

	marks_init(&m);
	marks_add(&m, 5, 1);
	marks_add(&m, 1, 1);
	/* 9, 3 and 11 are new (3 twice in the batch); 5 takes version 7. */
	ck_assert_uint_eq(marks_add_many(&m, add, 5), 3);
	ck_assert_uint_eq(marks_count(&m), 5);
	ck_assert_int_eq(marks_at(&m, 0)->id, 1);
	ck_assert_int_eq(marks_at(&m, 1)->id, 3);
	ck_assert_int_eq(marks_at(&m, 2)->id, 5);
	ck_assert_int_eq(marks_at(&m, 2)->version, 7);
	ck_assert_int_eq(marks_at(&m, 3)->id, 9);
	ck_assert_int_eq(marks_at(&m, 4)->id, 11);
	ck_assert(marks_has(&m, 11));
	ck_assert_uint_eq(marks_add_many(&m, add, 0), 0);
	/* Still a proper set afterwards. */
	ck_assert(marks_add(&m, 4, 1));
	ck_assert(marks_remove(&m, 9));
	ck_assert_uint_eq(marks_count(&m), 5);
	marks_free(&m);
}
END_TEST

/* Mark-all on an empty set (the first use of the queue's mark-all), then
 * single marks: the capacity add_many records must be what it allocated,
 * or marks_add writes past the end of the array. */
START_TEST(test_add_many_then_add)
{
	struct marks m;
	struct mark add[3] = { { 30, 1 }, { 10, 1 }, { 20, 1 } };
	long long id;

	marks_init(&m);
	ck_assert_uint_eq(marks_add_many(&m, add, 3), 3);
#if defined(__GLIBC__)
	ck_assert_uint_le(m.cap * sizeof *m.v, malloc_usable_size(m.v));
#endif
	for (id = 100; id < 110; id++)
		ck_assert(marks_add(&m, id, 1));
	ck_assert_uint_eq(marks_count(&m), 13);
	ck_assert_int_eq(marks_at(&m, 12)->id, 109);
	marks_free(&m);
}
END_TEST

START_TEST(test_model)
{
	enum { RANGE = 3000, STEPS = 20000 };
	static int model[RANGE];	/* version, 0 = unmarked */
	struct marks m;
	size_t n = 0, i;
	unsigned int seed = 12345;
	int step;
	long long id, prev;

	marks_init(&m);
	for (step = 0; step < STEPS; step++) {
		seed = seed * 1103515245u + 12345u;
		id = (long long)((seed >> 8) % RANGE);
		switch ((seed >> 4) % 4) {
		case 0:
		case 1:
			ck_assert(marks_add(&m, id, step + 1) == (model[id] == 0));
			n += model[id] == 0;
			model[id] = step + 1;
			break;
		case 2:
			ck_assert(marks_remove(&m, id) == (model[id] != 0));
			n -= model[id] != 0;
			model[id] = 0;
			break;
		default:
			ck_assert(marks_toggle(&m, id, step + 1) == (model[id] == 0));
			n += model[id] == 0 ? 1 : (size_t)-1;
			model[id] = model[id] == 0 ? step + 1 : 0;
			break;
		}
		ck_assert_uint_eq(marks_count(&m), n);
	}
	prev = -1;
	for (i = 0; i < marks_count(&m); i++) {
		const struct mark *k = marks_at(&m, i);

		ck_assert(k->id > prev);
		ck_assert_int_eq(k->version, model[k->id]);
		prev = k->id;
	}
	for (id = 0; id < RANGE; id++)
		ck_assert(marks_has(&m, id) == (model[id] != 0));
	marks_free(&m);
}
END_TEST

static Suite *
marks_suite(void)
{
	Suite *s = suite_create("marks");
	TCase *tc = tcase_create("pure");

	tcase_add_test(tc, test_add_remove);
	tcase_add_test(tc, test_versions);
	tcase_add_test(tc, test_toggle_clear);
	tcase_add_test(tc, test_order_copy);
	tcase_add_test(tc, test_add_many);
	tcase_add_test(tc, test_add_many_then_add);
	tcase_add_test(tc, test_model);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(marks_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
