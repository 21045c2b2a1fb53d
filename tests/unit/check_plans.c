/* check_plans.c: the queue's statements use the indexes meant for them
 * (run by tests/integration/plans.sh under tests/with-pg, which sets
 * VSOC_DB).
 *
 * A demo database of some tens of thousands of alerts, analyzed.  The
 * session loads auto_explain with every statement's plan sent to the
 * client as a NOTICE, so what is checked is the plan of the exact
 * statement core/queue*.c ran, with its parameters, not a copy of it.
 * Sequential scans are disabled for the check: the planner then takes
 * one only when no index can answer, which is what a "Seq Scan on alerts"
 * in a plan means here.  Checked: word searches (words matching nearly
 * everything, little and nothing; 1- and 2-byte words; four views; every
 * sort; first page, next page, page before, the capped count and the
 * count before a row); an alert's open (the asset's latest alerts, busy
 * and rare asset, also under statistics that lie); "sev>=high asset=X";
 * the breaching views of alerts and incidents (one index range per
 * severity and clock: alerts_sla_idx, incidents_sla_idx).  And that the
 * check can fail: with an index dropped in a transaction that is rolled
 * back, it reports the scan. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "demo.h"
#include "format.h"
#include "incident_page.h"
#include "migrate.h"
#include "queue.h"
#include "strbuf.h"

#define SEED_ALERTS	40000

static struct db db;
/* The plans auto_explain sent since plans_start(), one NOTICE each,
 * separated by form feeds. */
static struct strbuf notices;
static long long busy_asset, rare_asset, me;
static char busy_ref[128], rare_ref[128];

static void
exec_ok(const char *sql)
{
	ck_assert_msg(db_command(&db, sql, 0, NULL) >= 0, "%s: %s", sql, db.errmsg);
}

static void
notice_capture(void *arg, const char *message)
{
	(void)arg;
	strbuf_append(&notices, message);
	strbuf_appendc(&notices, '\f');
}

static void
setup_once(void)
{
	struct demo_opts o;
	struct demo_stats st;
	PGresult *res;

	strbuf_init(&notices);
	ck_assert_msg(db_connect(&db, NULL) == 0, "%s", db.errmsg);
	ck_assert_msg(migrate_apply(&db, NULL, NULL) >= 0, "%s", db.errmsg);
	demo_opts_init(&o);
	o.alerts = SEED_ALERTS;
	ck_assert_int_eq(demo_parse_time("2026-12-01T00:00Z", &o.now), 0);
	ck_assert_msg(demo_seed(&db, &o, &st) == 0, "%s", db.errmsg);
	exec_ok("ANALYZE");

	/* The busiest asset and one of the quietest, and an analyst with
	 * alerts for the "mine" view. */
	res = db_query(&db, "(SELECT asset_id, asset_ref, count(*) FROM alerts"
	    " GROUP BY 1, 2 ORDER BY 3 DESC, 1 LIMIT 1) UNION ALL"
	    " (SELECT asset_id, asset_ref, count(*) FROM alerts"
	    " GROUP BY 1, 2 ORDER BY 3, 1 LIMIT 1)", 0, NULL);
	ck_assert_msg(res != NULL && PQntuples(res) == 2, "%s", db.errmsg);
	busy_asset = db_ll(res, 0, "asset_id");
	rare_asset = db_ll(res, 1, "asset_id");
	snprintf(busy_ref, sizeof busy_ref, "%s", db_value(res, 0, "asset_ref"));
	snprintf(rare_ref, sizeof rare_ref, "%s", db_value(res, 1, "asset_ref"));
	ck_assert_msg(atoll(PQgetvalue(res, 0, 2)) > 500, "busiest asset: %s alerts",
	    PQgetvalue(res, 0, 2));
	PQclear(res);
	res = db_query(&db, "SELECT assignee_id FROM alerts WHERE assignee_id IS NOT NULL"
	    " GROUP BY 1 ORDER BY count(*) DESC LIMIT 1", 0, NULL);
	ck_assert_msg(res != NULL && PQntuples(res) == 1, "%s", db.errmsg);
	me = db_ll(res, 0, "assignee_id");
	PQclear(res);

	/* Every plan of this session to the client; none analyzed (the
	 * statements run as usual). */
	exec_ok("LOAD 'auto_explain'");
	exec_ok("SET auto_explain.log_min_duration = 0");
	exec_ok("SET auto_explain.log_analyze = off");
	exec_ok("SET auto_explain.log_nested_statements = on");
	exec_ok("SET auto_explain.log_level = notice");
	exec_ok("SET client_min_messages = notice");
	exec_ok("SET enable_seqscan = off");
	/* A disabled scan costs 1e10, which would compile every plan with
	 * it (seconds each); the plans are the same without. */
	exec_ok("SET jit = off");
	PQsetNoticeProcessor(db.conn, notice_capture, NULL);
}

/* A failed check inside a transaction leaves no index dropped and no
 * statistics changed for the next test. */
static void
teardown_each(void)
{
	PGresult *res = db_query(&db, "SELECT 1", 0, NULL);

	PQclear(res);
	if (PQtransactionStatus(db.conn) != PQTRANS_IDLE)
		(void)db_command(&db, "ROLLBACK", 0, NULL);
}

static void
teardown_once(void)
{
	db_disconnect(&db);
	strbuf_free(&notices);
}

/* auto_explain reports a statement when its executor ends, which for
 * the unnamed portal of PQexecParams inside a transaction block is only
 * when the next statement replaces it: one more statement brings the
 * last plan in. */
static void
plans_flush(void)
{
	PGresult *res = db_query(&db, "SELECT 1", 0, NULL);

	ck_assert_msg(res != NULL, "%s", db.errmsg);
	PQclear(res);
}

static void
plans_start(void)
{
	plans_flush();
	strbuf_free(&notices);
	strbuf_init(&notices);
}

/* Look at the plans captured since plans_start().  Returns the number
 * of plans that read the alerts table (EXPLAINs, which plan without
 * running, are skipped), and sets *why to the first plan with a
 * sequential scan of alerts (NULL when none; the caller frees it). */
static int
plans_read(char **why)
{
	const char *p, *end, *q;
	int n = 0;

	/* Before p points into the buffer: the flush may move it. */
	plans_flush();
	p = notices.buf ? notices.buf : "";
	*why = NULL;
	for (; *p != '\0'; p = *end ? end + 1 : end) {
		size_t len;
		char *one;

		end = strchr(p, '\f');
		if (end == NULL)
			end = p + strlen(p);
		len = (size_t)(end - p);
		one = strndup(p, len);
		q = strstr(one, "Query Text: ");
		if (q == NULL || strncmp(q + 12, "EXPLAIN", 7) == 0 ||
		    strstr(one, " on alerts") == NULL) {
			free(one);
			continue;
		}
		n++;
		if (*why == NULL && strstr(one, "Seq Scan on alerts") != NULL)
			*why = one;
		else
			free(one);
	}
	return n;
}

/* The statements since plans_start() read alerts through indexes only;
 * at least min_plans of them were captured. */
static void
assert_no_seq_scan(const char *what, int min_plans)
{
	char *why;
	int n = plans_read(&why);

	ck_assert_msg(why == NULL, "%s: sequential scan of alerts:\n%s", what,
	    why ? why : "");
	ck_assert_msg(n >= min_plans, "%s: %d plans captured, want %d", what, n, min_plans);
}

/* The one plan since plans_start() that reads alerts: an ordered index
 * scan of index under a Limit, nothing sorted.  NULL when it is, else
 * why not (the caller frees it). */
static char *
plan_ordered_by(const char *index)
{
	const char *p, *q;
	struct strbuf sb;
	int n = 0;

	plans_flush();
	p = notices.buf ? notices.buf : "";
	strbuf_init(&sb);
	for (; (q = strstr(p, "Query Text: ")) != NULL; p = q + 1) {
		const char *end = strchr(q, '\f');
		size_t len = end ? (size_t)(end - q) : strlen(q);
		char *one = strndup(q, len);

		if (strncmp(one + 12, "EXPLAIN", 7) == 0 || strstr(one, " on alerts") == NULL) {
			free(one);
			continue;
		}
		n++;
		if (strstr(one, "Limit") == NULL || strstr(one, "Sort") != NULL ||
		    strstr(one, "Bitmap") != NULL || strstr(one, "Seq Scan on alerts") != NULL ||
		    strstr(one, index) == NULL)
			strbuf_appendf(&sb, "not an ordered scan of %s:\n%s\n", index, one);
		free(one);
	}
	if (n != 1)
		strbuf_appendf(&sb, "%d plans read alerts, want 1\n", n);
	if (sb.len == 0) {
		strbuf_free(&sb);
		return NULL;
	}
	return strbuf_detach(&sb);
}

/* The capture itself works: a statement of this session shows its plan. */
START_TEST(test_capture)
{
	PGresult *res;

	plans_start();
	res = db_query(&db, "SELECT count(*) FROM alerts WHERE id = 1", 0, NULL);
	ck_assert(res != NULL);
	PQclear(res);
	assert_no_seq_scan("capture", 1);
	ck_assert_ptr_nonnull(strstr(notices.buf, "alerts_pkey"));
}
END_TEST

/* One word search in every way the console and `alerts list` run it. */
static void
check_words(const char *words, enum queue_view view)
{
	struct queue_query q;
	struct queue_page pg;
	struct queue_row cur;
	enum queue_total kind;
	char err[128], what[256];
	long long n;
	int s;

	queue_query_init(&q);
	q.view = view;
	q.me = (int)me;
	ck_assert_int_eq(filter_parse(&q.filter, words, err, sizeof err), 0);

	/* The capped count: counted, or estimated without running anything. */
	plans_start();
	n = queue_count(&db, &q, 10000, &kind);
	ck_assert_msg(n >= 0, "%s", db.errmsg);
	snprintf(what, sizeof what, "'%s' in %s: count", words, queue_view_name(view));
	assert_no_seq_scan(what, kind == QT_ABOUT ? 0 : 1);

	for (s = 0; s < QS__COUNT; s++) {
		q.sort = (enum queue_sort)s;
		snprintf(what, sizeof what, "'%s' in %s by %s", words, queue_view_name(view),
		    queue_sort_name(q.sort));
		plans_start();
		ck_assert_msg(queue_fetch(&db, &q, NULL, QD_AFTER, 50, &pg) == 0, "%s", db.errmsg);
		assert_no_seq_scan(what, 1);
		if (pg.n == 0) {
			queue_page_free(&pg);
			continue;
		}
		queue_row_copy(&cur, &pg.rows[pg.n - 1]);
		queue_page_free(&pg);

		/* j past the screen, k above it, the position "row N of M". */
		plans_start();
		ck_assert_msg(queue_fetch(&db, &q, &cur, QD_AFTER, 50, &pg) == 0, "%s", db.errmsg);
		queue_page_free(&pg);
		ck_assert_msg(queue_fetch(&db, &q, &cur, QD_BEFORE, 50, &pg) == 0, "%s", db.errmsg);
		queue_page_free(&pg);
		assert_no_seq_scan(what, 2);
		plans_start();
		n = queue_count_before(&db, &q, &cur, 10000);
		ck_assert_msg(n >= 0 || n == -2, "%s: %s", what, db.errmsg);
		/* -2: the position would cost a walk, so nothing ran. */
		assert_no_seq_scan(what, n == -2 ? 0 : 1);
		queue_row_free(&cur);
	}
	queue_query_free(&q);
}

static const char *const words_everything = "cs-";	/* stations: most alerts */
static const char *const words_little = "firmware";
static const char *const words_nothing = "zzqxjv";
static const char *const words_short[] = { "r", "on", "R7" };

static const enum queue_view views[] = { QV_OPEN, QV_MINE, QV_CLOSED, QV_ALL };

START_TEST(test_word_search)
{
	size_t v, w;

	for (v = 0; v < sizeof views / sizeof views[0]; v++) {
		check_words(words_everything, views[v]);
		check_words(words_little, views[v]);
		check_words(rare_ref, views[v]);
		check_words(words_nothing, views[v]);
		check_words("firmware cs-", views[v]);
		for (w = 0; w < sizeof words_short / sizeof words_short[0]; w++)
			check_words(words_short[w], views[v]);
	}
}
END_TEST

/* Counts without words: the view's rows up to the cap. */
START_TEST(test_counts)
{
	struct queue_query q;
	enum queue_total kind;
	size_t v;

	for (v = 0; v < sizeof views / sizeof views[0]; v++) {
		queue_query_init(&q);
		q.view = views[v];
		q.me = (int)me;
		plans_start();
		ck_assert(queue_count(&db, &q, 10000, &kind) >= 0);
		/* Views by status alone are summed from alert_counts and
		 * read no alert; mine and unowned count in alerts. */
		assert_no_seq_scan(queue_view_name(q.view),
		    q.view == QV_MINE || q.view == QV_UNASSIGNED ? 1 : 0);
		queue_query_free(&q);
	}
}
END_TEST

/* The breaching views (core/queue_sla.c, core/incident_page.c): a page,
 * the next, the one before and both counts read one index range per
 * severity and clock (alerts_sla_idx, incidents_sla_idx), never the
 * table, and come in deadline order.  The seed's "now" is in the past,
 * so its open alerts are all overdue: pages are full. */
START_TEST(test_breaching)
{
	struct queue_query q;
	struct queue_page pg;
	struct queue_row cur;
	struct incident_list_query iq;
	struct incident_page ip;
	enum queue_total kind;
	time_t prev = 0, t;
	int i;

	queue_query_init(&q);
	q.view = QV_BREACHING;
	plans_start();
	ck_assert_msg(queue_fetch(&db, &q, NULL, QD_AFTER, 50, &pg) == 0, "%s", db.errmsg);
	ck_assert_int_eq(pg.n, 50);
	ck_assert(pg.more);
	for (i = 0; i < pg.n; i++) {
		t = format_parse_ts(pg.rows[i].key[0]);
		ck_assert_msg(t >= prev, "row %d: deadline %s before the row above", i,
		    pg.rows[i].key[0]);
		ck_assert_msg(pg.rows[i].status != ST_CLOSED && pg.rows[i].status != ST_SUPPRESSED,
		    "a closed alert in the breaching view");
		prev = t;
	}
	queue_row_copy(&cur, &pg.rows[pg.n - 1]);
	queue_page_free(&pg);
	ck_assert_msg(queue_fetch(&db, &q, &cur, QD_AFTER, 50, &pg) == 0, "%s", db.errmsg);
	ck_assert(pg.n > 0);
	ck_assert(format_parse_ts(pg.rows[0].key[0]) >= prev);
	ck_assert(pg.rows[0].id != cur.id);
	queue_page_free(&pg);
	ck_assert_msg(queue_fetch(&db, &q, &cur, QD_BEFORE, 50, &pg) == 0, "%s", db.errmsg);
	ck_assert_int_eq(pg.n, 49);
	queue_page_free(&pg);
	ck_assert(queue_count(&db, &q, 10000, &kind) > 50);
	ck_assert_int_eq(queue_count_before(&db, &q, &cur, 10000), 49);
	assert_no_seq_scan("breaching alerts", 5);
	ck_assert_msg(strstr(notices.buf, "alerts_sla_idx") != NULL,
	    "the breaching view did not read alerts_sla_idx:\n%s", notices.buf);
	queue_row_free(&cur);
	queue_query_free(&q);

	incident_list_query_init(&iq);
	iq.view = ILV_BREACHING;
	plans_start();
	ck_assert_msg(incident_page_fetch(&db, &iq, NULL, QD_AFTER, 20, &ip) == 0, "%s",
	    db.errmsg);
	ck_assert(ip.n > 0);
	ck_assert(incident_page_count(&db, &iq, 10000) >= ip.n);
	incident_page_free(&ip);
	plans_flush();
	ck_assert_msg(strstr(notices.buf, "incidents_sla_idx") != NULL,
	    "the incident breaching view did not read incidents_sla_idx:\n%s", notices.buf);
	ck_assert_msg(strstr(notices.buf, "Seq Scan on incidents") == NULL,
	    "the incident breaching view scanned incidents:\n%s", notices.buf);
}
END_TEST

/* Enter on an alert: its asset's latest alerts, read in order from
 * (asset_id, last_seen, id), limit rows whatever the asset's size. */
static void
check_alert_open(const char *what)
{
	struct queue_page pg;
	long long ids[2] = { busy_asset, rare_asset };
	char *why;
	int i;

	for (i = 0; i < 2; i++) {
		plans_start();
		ck_assert_msg(queue_asset_latest(&db, ids[i], 11, &pg) == 0, "%s", db.errmsg);
		ck_assert(pg.n > 0);
		queue_page_free(&pg);
		why = plan_ordered_by("alerts_asset_last_idx");
		ck_assert_msg(why == NULL, "%s, %s asset: %s", what, i ? "rare" : "busy", why);
	}
}

START_TEST(test_alert_open)
{
	check_alert_open("statistics from ANALYZE");
	/* Statistics that lie, both ways: two assets in all (each the
	 * size of half the table), and every alert its own asset. */
	exec_ok("BEGIN");
	exec_ok("ALTER TABLE alerts ALTER COLUMN asset_id SET (n_distinct = 2)");
	exec_ok("ANALYZE alerts");
	check_alert_open("n_distinct 2");
	exec_ok("ALTER TABLE alerts ALTER COLUMN asset_id SET (n_distinct = -1)");
	exec_ok("ANALYZE alerts");
	check_alert_open("n_distinct -1");
	exec_ok("ROLLBACK");
	/* And no statistics at all. */
	exec_ok("BEGIN");
	exec_ok("DELETE FROM pg_statistic WHERE starelid = 'alerts'::regclass");
	check_alert_open("no statistics");
	exec_ok("ROLLBACK");
}
END_TEST

/* "sev>=high asset=X" in the open view: an ordered range of the open
 * (asset_id, severity, last_seen, id) index, pages and count. */
START_TEST(test_severity_asset)
{
	struct queue_query q;
	struct queue_page pg;
	struct queue_row cur;
	enum queue_total kind;
	char err[128], filt[200], *why;

	snprintf(filt, sizeof filt, "sev>=high asset=%s", busy_ref);
	queue_query_init(&q);
	ck_assert_int_eq(filter_parse(&q.filter, filt, err, sizeof err), 0);
	plans_start();
	ck_assert_msg(queue_fetch(&db, &q, NULL, QD_AFTER, 20, &pg) == 0, "%s", db.errmsg);
	why = plan_ordered_by("alerts_open_asset_idx");
	ck_assert_msg(why == NULL, "%s: %s", filt, why);
	ck_assert_int_eq(pg.n, 20);
	queue_row_copy(&cur, &pg.rows[pg.n - 1]);
	queue_page_free(&pg);
	plans_start();
	ck_assert_msg(queue_fetch(&db, &q, &cur, QD_AFTER, 20, &pg) == 0, "%s", db.errmsg);
	queue_page_free(&pg);
	why = plan_ordered_by("alerts_open_asset_idx");
	ck_assert_msg(why == NULL, "%s, next page: %s", filt, why);
	plans_start();
	ck_assert(queue_count(&db, &q, 10000, &kind) > 20);
	ck_assert(queue_count_before(&db, &q, &cur, 10000) >= 0);
	assert_no_seq_scan(filt, 2);
	ck_assert_ptr_nonnull(strstr(notices.buf, "alerts_open_asset_idx"));
	queue_row_free(&cur);
	queue_query_free(&q);
}
END_TEST

/* The checks above can fail: without the index each relies on, the same
 * calls show the scan they were written to avoid. */
START_TEST(test_check_can_fail)
{
	struct queue_query q;
	struct queue_page pg;
	enum queue_total kind;
	char err[128], *why;
	int n;

	/* Word search in all alerts without the trigram index. */
	exec_ok("BEGIN");
	exec_ok("DROP INDEX alerts_search_idx");
	queue_query_init(&q);
	q.view = QV_ALL;
	ck_assert_int_eq(filter_parse(&q.filter, rare_ref, err, sizeof err), 0);
	plans_start();
	ck_assert_msg(queue_count(&db, &q, 10000, &kind) >= 0, "%s", db.errmsg);
	ck_assert_msg(queue_fetch(&db, &q, NULL, QD_AFTER, 50, &pg) == 0, "%s", db.errmsg);
	queue_page_free(&pg);
	n = plans_read(&why);
	ck_assert_msg(why != NULL, "no sequential scan seen in %d plans without the index:\n%s",
	    n, notices.buf);
	free(why);
	exec_ok("ROLLBACK");
	/* The index back, the same calls pass. */
	plans_start();
	ck_assert(queue_count(&db, &q, 10000, &kind) >= 0);
	ck_assert(queue_fetch(&db, &q, NULL, QD_AFTER, 50, &pg) == 0);
	queue_page_free(&pg);
	assert_no_seq_scan("index restored", 2);
	queue_query_free(&q);

	/* Alert open without (asset_id, last_seen, id): another plan. */
	exec_ok("BEGIN");
	exec_ok("DROP INDEX alerts_asset_last_idx");
	plans_start();
	ck_assert(queue_asset_latest(&db, busy_asset, 11, &pg) == 0);
	queue_page_free(&pg);
	why = plan_ordered_by("alerts_asset_last_idx");
	ck_assert_msg(why != NULL, "ordered scan reported without its index:\n%s", notices.buf);
	free(why);
	exec_ok("ROLLBACK");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("plans");
	TCase *tc = tcase_create("plans");
	SRunner *sr;
	int failed;

	if (getenv("VSOC_DB") == NULL) {
		fprintf(stderr, "check_plans: VSOC_DB not set (run under tests/with-pg)\n");
		return 77;
	}
	/* Seeding and some thousand statements on a shared 2-CPU machine. */
	tcase_set_timeout(tc, 600);
	tcase_add_unchecked_fixture(tc, setup_once, teardown_once);
	tcase_add_checked_fixture(tc, NULL, teardown_each);
	tcase_add_test(tc, test_capture);
	tcase_add_test(tc, test_check_can_fail);
	tcase_add_test(tc, test_alert_open);
	tcase_add_test(tc, test_severity_asset);
	tcase_add_test(tc, test_counts);
	tcase_add_test(tc, test_word_search);
	tcase_add_test(tc, test_breaching);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	/* One connection for every test: the fixture's session settings. */
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
