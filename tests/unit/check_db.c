/* check_db.c: core/ against a real PostgreSQL (run by
 * tests/integration/core_db.sh under tests/with-pg, which sets VSOC_DB).
 * Migrations, the checked query path, and keyset pagination in every sort
 * order and direction compared with a plain ORDER BY. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert.h"
#include "audit.h"
#include "db.h"
#include "migrate.h"
#include "queue.h"
#include "strbuf.h"

static struct db db;

static void
exec_ok(const char *sql)
{
	ck_assert_msg(db_command(&db, sql, 0, NULL) >= 0, "%s: %s", sql, db.errmsg);
}

/* 1,000 alerts with many ties in every key, so that the id tie-breaker and
 * the row comparison really matter. */
static void
setup_once(void)
{
	ck_assert_msg(db_connect(&db, NULL) == 0, "%s", db.errmsg);
	ck_assert_msg(migrate_apply(&db, NULL, NULL) >= 0, "%s", db.errmsg);
	exec_ok("INSERT INTO analysts (name) VALUES ('alice'), ('bob') ON CONFLICT DO NOTHING");
	exec_ok("INSERT INTO assets (kind, external_id) SELECT 'station', 'CS-' || g"
	    " FROM generate_series(1, 7) g ON CONFLICT DO NOTHING");
	exec_ok("INSERT INTO alerts (rule_id, title, severity, status, disposition,"
	    " disposition_reason, asset_id, asset_ref, first_seen, last_seen,"
	    " occurrences, assignee_id)"
	    " SELECT 'R' || (1 + g % 5), 'title ' || (g % 13) || CASE WHEN g % 50 = 0"
	    " THEN ' firmware_100%' ELSE '' END, 1 + g % 5,"
	    " (ARRAY['new','acknowledged','escalated','closed','suppressed'])[1 + g % 5],"
	    " CASE WHEN g % 5 = 3 THEN 'benign' END, CASE WHEN g % 5 = 3 THEN 'x' END,"
	    " s.id, s.external_id,"
	    " timestamptz '2026-01-01' + (g % 17) * interval '1 hour',"
	    " timestamptz '2026-01-02' + (g % 11) * interval '1 minute',"
	    " 1 + g % 4, CASE g % 3 WHEN 0 THEN NULL WHEN 1 THEN"
	    " (SELECT id FROM analysts WHERE name = 'alice') ELSE"
	    " (SELECT id FROM analysts WHERE name = 'bob') END"
	    " FROM generate_series(1, 1000) g JOIN assets s ON s.external_id = 'CS-' || (1 + g % 7)");
}

static void
teardown_once(void)
{
	db_disconnect(&db);
}

static const char *const order_sql[QS__COUNT] = {
	[QS_SEVERITY] = "severity, last_seen, id",
	[QS_LAST] = "last_seen, id",
	[QS_AGE] = "first_seen, id",
	[QS_OCCURRENCES] = "occurrences, id",
	[QS_RULE] = "rule_id, severity, last_seen, id",
	[QS_ASSET] = "asset_id, severity, last_seen, id",
	[QS_STATUS] = "status, severity, last_seen, id",
	[QS_ASSIGNEE] = "coalesce(assignee_id,0), severity, last_seen, id",
	[QS_TITLE] = "title, id",
	[QS_ID] = "id",
};

/* The reference order: every id matching `where`, by a plain ORDER BY. */
static long long *
reference_ids(const char *where, enum queue_sort s, bool desc, int *n)
{
	struct strbuf sql;
	const char *c, *comma;
	PGresult *res;
	long long *ids;
	int i;

	/* The test's own trusted SQL: each column of the order plus a direction. */
	strbuf_init(&sql);
	strbuf_append(&sql, "SELECT id FROM alerts WHERE ");
	strbuf_append(&sql, where);
	strbuf_append(&sql, " ORDER BY ");
	for (c = order_sql[s]; c != NULL; c = comma ? comma + 2 : NULL) {
		comma = strstr(c, ", ");
		strbuf_appendn(&sql, c, comma ? (size_t)(comma - c) : strlen(c));
		strbuf_append(&sql, desc ? " DESC" : " ASC");
		if (comma)
			strbuf_append(&sql, ", ");
	}
	res = db_query(&db, sql.buf, 0, NULL);
	strbuf_free(&sql);
	ck_assert_msg(res != NULL, "%s", db.errmsg);
	*n = PQntuples(res);
	ids = malloc(sizeof *ids * (size_t)(*n + 1));
	for (i = 0; i < *n; i++)
		ids[i] = atoll(PQgetvalue(res, i, 0));
	PQclear(res);
	return ids;
}

/* Page forward with QD_AFTER, then backward from the end with QD_BEFORE;
 * both must reproduce the reference exactly. */
static void
check_paging(struct queue_query *q, const char *where, int pagesize)
{
	struct queue_page pg;
	struct queue_row cur;
	long long *ref;
	bool desc = queue_sort_descending(q->sort) != q->reverse, have = false;
	int n, seen = 0, i;

	ref = reference_ids(where, q->sort, desc, &n);
	memset(&cur, 0, sizeof cur);
	for (;;) {
		ck_assert_msg(queue_fetch(&db, q, have ? &cur : NULL, QD_AFTER, pagesize, &pg) == 0,
		    "%s", db.errmsg);
		for (i = 0; i < pg.n; i++, seen++) {
			ck_assert_msg(seen < n, "sort %s: too many rows", queue_sort_name(q->sort));
			ck_assert_msg(pg.rows[i].id == ref[seen], "sort %s%s: row %d is %lld, want %lld"
			    " (%s, search %d)", q->reverse ? "-" : "", queue_sort_name(q->sort), seen,
			    pg.rows[i].id, ref[seen], where, (int)q->search);
		}
		if (pg.n > 0) {
			queue_row_free(&cur);
			queue_row_copy(&cur, &pg.rows[pg.n - 1]);
			have = true;
		}
		ck_assert(pg.more == (seen < n));
		if (!pg.more) {
			queue_page_free(&pg);
			break;
		}
		queue_page_free(&pg);
	}
	ck_assert_int_eq(seen, n);

	/* Backwards from the end. */
	queue_row_free(&cur);
	have = false;
	seen = n;
	for (;;) {
		ck_assert(queue_fetch(&db, q, have ? &cur : NULL, QD_BEFORE, pagesize, &pg) == 0);
		for (i = pg.n - 1; i >= 0; i--) {
			seen--;
			ck_assert_msg(pg.rows[i].id == ref[seen], "backward %s: row %d",
			    queue_sort_name(q->sort), seen);
		}
		if (pg.n > 0) {
			queue_row_free(&cur);
			queue_row_copy(&cur, &pg.rows[0]);
			have = true;
		}
		if (!pg.more) {
			queue_page_free(&pg);
			break;
		}
		queue_page_free(&pg);
	}
	ck_assert_int_eq(seen, 0);

	/* QD_FROM the middle row starts with that row. */
	if (n > 4) {
		struct queue_row mid;
		bool m;
		ck_assert_int_eq(queue_fetch_one(&db, q, ref[n / 2], &mid, &m), 0);
		ck_assert(m);
		ck_assert(queue_fetch(&db, q, &mid, QD_FROM, 3, &pg) == 0);
		ck_assert_int_eq(pg.n, 3);
		ck_assert(pg.rows[0].id == ref[n / 2]);
		ck_assert(pg.rows[1].id == ref[n / 2 + 1]);
		ck_assert_int_eq(queue_count_before(&db, q, &mid, 100000), n / 2);
		queue_page_free(&pg);
		queue_row_free(&mid);
	}
	queue_row_free(&cur);
	free(ref);
}

START_TEST(test_every_sort_both_directions)
{
	struct queue_query q;
	int s;

	for (s = 0; s < QS__COUNT; s++) {
		queue_query_init(&q);
		q.view = QV_ALL;
		q.sort = (enum queue_sort)s;
		check_paging(&q, "true", 37);
		q.reverse = true;
		check_paging(&q, "true", 64);
		queue_query_free(&q);
	}
}
END_TEST

START_TEST(test_views_and_filters)
{
	struct queue_query q;
	char err[128];
	PGresult *res;
	char where[256];
	int alice;

	res = db_query(&db, "SELECT id FROM analysts WHERE name = 'alice'", 0, NULL);
	alice = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);

	queue_query_init(&q);
	check_paging(&q, "status IN ('new','acknowledged')", 50);
	q.view = QV_UNASSIGNED;
	check_paging(&q, "status IN ('new','acknowledged') AND assignee_id IS NULL", 20);
	q.view = QV_MINE;
	q.me = alice;
	snprintf(where, sizeof where, "status IN ('new','acknowledged','escalated')"
	    " AND assignee_id = %d", alice);
	check_paging(&q, where, 20);
	q.view = QV_ESCALATED;
	check_paging(&q, "status = 'escalated'", 20);
	q.view = QV_CLOSED;
	check_paging(&q, "status IN ('closed','suppressed')", 20);

	q.view = QV_ALL;
	ck_assert_int_eq(filter_parse(&q.filter, "sev>=high rule=R5 asset=CS-3", err, sizeof err), 0);
	check_paging(&q, "severity >= 4 AND rule_id = 'R5' AND asset_ref = 'CS-3'", 5);
	filter_free(&q.filter);
	filter_init(&q.filter);
	/* LIKE metacharacters in the text are literal. */
	ck_assert_int_eq(filter_parse(&q.filter, "FIRMWARE_100%", err, sizeof err), 0);
	check_paging(&q, "title LIKE '%firmware\\_100\\%%'", 7);
	filter_free(&q.filter);
	filter_init(&q.filter);
	ck_assert_int_eq(filter_parse(&q.filter, "assignee=bob status!=closed", err, sizeof err), 0);
	check_paging(&q, "assignee_id = (SELECT id FROM analysts WHERE name='bob')"
	    " AND status <> 'closed'", 33);
	queue_query_free(&q);
}
END_TEST

/* Words through both plans (walk the sort index; trigram index first) give
 * the same rows in the same order as a plain query, forward, backward and
 * from the middle, in the open view (partial index) and all alerts. */
START_TEST(test_word_search_plans)
{
	static const struct { const char *words, *where; } cases[] = {
		/* Three bytes or more: anywhere in title, asset or rule. */
		{ "itle", "true" },
		{ "FIRMWARE_100%", "title LIKE '%firmware\\_100\\%%'" },
		{ "cs-3", "asset_ref = 'CS-3'" },
		{ "zzqx", "false" },
		/* Under three: the start of a word. */
		{ "R3", "rule_id = 'R3'" },
		{ "1", "title ~ ' 1'" },
		{ "title 1 cs-", "title ~ ' 1'" },
		{ "r", "true" },
	};
	static const enum queue_search modes[] = { QSEARCH_WALK, QSEARCH_INDEX };
	static const enum queue_view views[] = { QV_OPEN, QV_ALL };
	struct queue_query q;
	struct queue_page pg;
	enum queue_total kind;
	char err[128], where[512];
	size_t c, m, v;
	long long n;
	PGresult *res;

	exec_ok("ANALYZE alerts");
	for (c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		for (v = 0; v < 2; v++) {
			snprintf(where, sizeof where, "(%s)%s", cases[c].where,
			    views[v] == QV_OPEN ? " AND status IN ('new','acknowledged')" : "");
			res = db_query(&db, "SELECT 1", 0, NULL);
			PQclear(res);
			for (m = 0; m < 3; m++) {
				queue_query_init(&q);
				q.view = views[v];
				q.search = m < 2 ? modes[m] : QSEARCH_AUTO;
				ck_assert_int_eq(filter_parse(&q.filter, cases[c].words, err,
				    sizeof err), 0);
				if (m < 2) {
					check_paging(&q, where, 17);
				} else {
					/* The planner's choice: the first page is right. */
					ck_assert_int_eq(queue_fetch(&db, &q, NULL, QD_AFTER, 5, &pg), 0);
					queue_page_free(&pg);
				}
				n = queue_count(&db, &q, 100000, &kind);
				ck_assert_msg(n >= 0, "%s", db.errmsg);
				if (kind == QT_EXACT) {
					/* The test's own trusted SQL, as in reference_ids. */
					struct strbuf sql;
					strbuf_init(&sql);
					strbuf_append(&sql, "SELECT count(*) FROM alerts WHERE ");
					strbuf_append(&sql, where);
					res = db_query(&db, sql.buf, 0, NULL);
					strbuf_free(&sql);
					ck_assert_msg(atoll(PQgetvalue(res, 0, 0)) == n,
					    "'%s' counted %lld", cases[c].words, n);
					PQclear(res);
				}
				queue_query_free(&q);
			}
		}
	}
}
END_TEST

/* The detail's "other alerts of this asset" by asset id. */
START_TEST(test_asset_id)
{
	struct queue_query q;

	queue_query_init(&q);
	q.view = QV_ALL;
	q.sort = QS_LAST;
	q.asset_id = 3;
	check_paging(&q, "asset_id = 3", 40);
	queue_query_free(&q);
}
END_TEST

START_TEST(test_counts)
{
	struct queue_counts qc;
	struct queue_query q;
	PGresult *res;
	enum queue_total exact;
	long long total, open;

	ck_assert_int_eq(queue_counts(&db, &qc), 0);
	res = db_query(&db, "SELECT count(*) AS t, count(*) FILTER (WHERE status IN"
	    " ('new','acknowledged')) AS o FROM alerts", 0, NULL);
	total = db_ll(res, 0, "t");
	open = db_ll(res, 0, "o");
	PQclear(res);
	ck_assert_int_eq(qc.total, total);
	ck_assert_int_eq(qc.open, open);
	/* Triggers keep the counts right across updates and deletes. */
	exec_ok("UPDATE alerts SET status = 'new', disposition = NULL WHERE id <= 10");
	ck_assert_int_eq(queue_counts(&db, &qc), 0);
	res = db_query(&db, "SELECT count(*) AS o FROM alerts WHERE status IN ('new','acknowledged')",
	    0, NULL);
	ck_assert_int_eq(qc.open, db_ll(res, 0, "o"));
	PQclear(res);

	queue_query_init(&q);
	q.view = QV_ALL;
	ck_assert_int_eq(queue_count(&db, &q, 100000, &exact), total);
	ck_assert(exact == QT_EXACT);
	/* Status and severity alone: a sum of alert_counts cells, exact
	 * whatever the cap. */
	ck_assert_int_eq(queue_count(&db, &q, 10, &exact), total);
	ck_assert(exact == QT_EXACT);
	q.filter.sev_min = SEV_HIGH;
	res = db_query(&db, "SELECT count(*) AS n FROM alerts WHERE severity >= 4", 0, NULL);
	ck_assert_int_eq(queue_count(&db, &q, 10, &exact), db_ll(res, 0, "n"));
	PQclear(res);
	ck_assert(exact == QT_EXACT);
	q.view = QV_OPEN;
	q.filter.sev_min = 0;
	res = db_query(&db, "SELECT count(*) AS o FROM alerts WHERE status IN ('new','acknowledged')",
	    0, NULL);
	ck_assert_int_eq(queue_count(&db, &q, 10, &exact), db_ll(res, 0, "o"));
	PQclear(res);
	/* Anything else is counted in the table, up to the cap. */
	res = db_query(&db, "SELECT rule_id FROM alerts WHERE status IN ('new','acknowledged')"
	    " GROUP BY 1 HAVING count(*) > 1 LIMIT 1", 0, NULL);
	ck_assert_int_eq(PQntuples(res), 1);
	q.filter.rule = xstrdup(PQgetvalue(res, 0, 0));
	PQclear(res);
	ck_assert_int_eq(queue_count(&db, &q, 1, &exact), 1);
	ck_assert(exact == QT_AT_LEAST);
	queue_query_free(&q);
}
END_TEST

/* The default queue must come from an index in order, never from a sort
 * of every open alert: that is what keeps it instant at a million. */
START_TEST(test_plan_uses_index)
{
	PGresult *res;
	struct strbuf plan;
	int i;

	exec_ok("ANALYZE alerts");
	res = db_query(&db, "EXPLAIN SELECT id FROM alerts a WHERE a.status IN"
	    " ('new', 'acknowledged') ORDER BY a.severity DESC, a.last_seen DESC,"
	    " a.id DESC LIMIT 51", 0, NULL);
	ck_assert(res != NULL);
	strbuf_init(&plan);
	for (i = 0; i < PQntuples(res); i++)
		strbuf_append(&plan, PQgetvalue(res, i, 0));
	PQclear(res);
	ck_assert_msg(strstr(plan.buf, "Index") != NULL, "plan: %s", plan.buf);
	strbuf_free(&plan);
}
END_TEST

START_TEST(test_query_path_errors)
{
	const char *p[1] = { "not a number" };

	ck_assert_ptr_null(db_query(&db, "SELECT $1::int", 1, p));
	ck_assert_str_eq(db.sqlstate, "22P02");
	ck_assert_ptr_nonnull(strstr(db.errmsg, "invalid input syntax"));
	ck_assert(strchr(db.errmsg, '\n') == NULL);
	/* A value is only ever data: this is a title, not SQL. */
	p[0] = "x'); DROP TABLE alerts; --";
	ck_assert_int_eq(db_command(&db, "UPDATE alerts SET title = $1 WHERE id = 1", 1, p), 1);
	exec_ok("SELECT 1 FROM alerts LIMIT 1");
}
END_TEST

START_TEST(test_migrate_idempotent)
{
	ck_assert_int_eq(migrate_apply(&db, NULL, NULL), 0);
	ck_assert_int_eq(migrate_current(&db), migrate_latest());
}
END_TEST

START_TEST(test_audit_append_only)
{
	long long ids[2] = { 1, 2 };
	json_t *d = json_pack("{s:s}", "why", "test");
	long long a = audit_append(&db, "test.one", "alert", 1, ids, 2, d);
	long long b = audit_append(&db, "test.two", "alert", 2, ids + 1, 1, NULL);
	PGresult *res;

	json_decref(d);
	ck_assert(a > 0 && b > a);
	/* Chained in seq order: b follows a, and the head is b. */
	res = db_query(&db, "SELECT (SELECT hash FROM audit_log WHERE seq = (SELECT max(seq) - 1"
	    " FROM audit_log)) = (SELECT prev_hash FROM audit_log ORDER BY seq DESC LIMIT 1)"
	    " AND (SELECT hash FROM audit_head) = (SELECT hash FROM audit_log ORDER BY seq DESC"
	    " LIMIT 1) AND (SELECT actor FROM audit_log ORDER BY seq DESC LIMIT 1) = session_user"
	    " AS ok", 0, NULL);
	ck_assert(db_bool(res, 0, "ok"));
	PQclear(res);
	ck_assert_int_eq(db_command(&db, "UPDATE audit_log SET actor = 'mallory'", 0, NULL), -1);
	ck_assert_str_eq(db.sqlstate, "42501");
	ck_assert_int_eq(db_command(&db, "DELETE FROM audit_log", 0, NULL), -1);
}
END_TEST

START_TEST(test_alert_get)
{
	struct alert a;
	struct alert_event *ev;
	int n;

	ck_assert_int_eq(alert_get(&db, 5, &a), 0);
	ck_assert_int_eq(a.id, 5);
	ck_assert_str_eq(a.asset_kind, "station");
	ck_assert_ptr_nonnull(a.rule_name);
	alert_free(&a);
	ck_assert_int_eq(alert_get(&db, 999999, &a), 1);
	n = alert_history(&db, 2, 10, &ev);
	ck_assert_int_ge(n, 0);
	alert_history_free(ev, n);
	ck_assert_int_eq(alert_id_parse("#42"), 42);
	ck_assert_int_eq(alert_id_parse("42x"), 0);
	ck_assert_int_eq(alert_id_parse("-1"), 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("db");
	TCase *tc = tcase_create("queue");
	SRunner *sr;
	int failed;

	if (getenv("VSOC_DB") == NULL) {
		fprintf(stderr, "SKIP: VSOC_DB not set (run through tests/with-pg)\n");
		return 77;
	}
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, setup_once, teardown_once);
	tcase_add_test(tc, test_migrate_idempotent);
	tcase_add_test(tc, test_every_sort_both_directions);
	tcase_add_test(tc, test_views_and_filters);
	tcase_add_test(tc, test_counts);
	tcase_add_test(tc, test_word_search_plans);
	tcase_add_test(tc, test_asset_id);
	tcase_add_test(tc, test_plan_uses_index);
	tcase_add_test(tc, test_query_path_errors);
	tcase_add_test(tc, test_audit_append_only);
	tcase_add_test(tc, test_alert_get);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	/* One process: the fixture's connection is shared by the tests. */
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
