/* check_triage.c: triage_run() against a real PostgreSQL (VSOC_DB), run by
 * tests/integration/triage_db.sh under tests/with-pg.  Exit 77 (skip)
 * without VSOC_DB.
 *
 * Each test runs in its own forked process with its own connection (a
 * libpq connection must not be shared across fork) and makes its own
 * alerts, so tests never see each other's rows.  The race tests open a
 * second connection and run two threads that act at the same instant
 * (a barrier before every action). */
#include <check.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analyst.h"
#include "db.h"
#include "migrate.h"
#include "strbuf.h"
#include "triage.h"

#define RACE_ALERTS	50
#define BULK_ROUNDS	10
#define BULK_ALERTS	30

static struct db db;
static struct analyst alice, bob;

/* --- helpers ---------------------------------------------------------------- */

/* The first value of a one-row query, as text ("(null)" for NULL), in one
 * of a few rotating buffers. */
static const char *
q(const char *sql, int n, ...)
{
	static char bufs[8][2048];
	static int k;
	const char *p[8];
	char *b = bufs[k++ % 8];
	PGresult *res;
	va_list ap;
	int i;

	va_start(ap, n);
	for (i = 0; i < n && i < 8; i++)
		p[i] = va_arg(ap, const char *);
	va_end(ap);
	res = db_query(&db, sql, n, p);
	ck_assert_msg(res != NULL, "%s: %s", sql, db.errmsg);
	if (PQntuples(res) == 0 || PQgetisnull(res, 0, 0))
		snprintf(b, sizeof bufs[0], "(null)");
	else
		snprintf(b, sizeof bufs[0], "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return b;
}

static const char *
num(long long v)
{
	static char bufs[8][32];
	static int k;
	char *b = bufs[k++ % 8];

	snprintf(b, sizeof bufs[0], "%lld", v);
	return b;
}

/* "{1,2,3}" */
static const char *
idarr(const long long *ids, size_t n)
{
	static char bufs[4][4096];
	static int k;
	char *b = bufs[k++ % 4];
	size_t i, len = 0;

	len += (size_t)snprintf(b, sizeof bufs[0], "{");
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(b + len, sizeof bufs[0] - len, "%s%lld",
		    i ? "," : "", ids[i]);
	snprintf(b + len, sizeof bufs[0] - len, "}");
	return b;
}

/* A station of its own for each call (unique across forked tests). */
static long long
asset_make(void)
{
	static int seq;
	char ext[64];

	snprintf(ext, sizeof ext, "CT-%ld-%d", (long)getpid(), ++seq);
	return atoll(q("INSERT INTO assets (kind, external_id) VALUES ('station', $1)"
	    " RETURNING id", 1, ext));
}

static long long
alert_make(long long asset, const char *rule, int severity, const char *evidence)
{
	return atoll(q("INSERT INTO alerts (rule_id, title, severity, asset_id,"
	    " asset_ref, first_seen, last_seen, evidence)"
	    " SELECT $1, 'Test alert ' || $1, $2::smallint, id, external_id,"
	    " now(), now(), $4::jsonb FROM assets WHERE id = $3 RETURNING id", 4,
	    rule, num(severity), num(asset), evidence ? evidence : "{}"));
}

static const char *
col(long long alert, const char *column)
{
	static char sql[128];
	size_t n;

	/* The column name is a constant of the test, never input: an
	 * identifier cannot be a parameter. */
	n = strlen(column);
	ck_assert(n < 64 && strspn(column, "abcdefghijklmnopqrstuvwxyz_") == n);
	strcpy(sql, "SELECT ");
	strcat(sql, column);
	strcat(sql, "::text FROM alerts WHERE id = $1");
	return q(sql, 1, num(alert));
}

static long long
audit_count(const char *action, const long long *ids, size_t n)
{
	return atoll(q("SELECT count(*) FROM audit_log WHERE action = $1"
	    " AND alert_ids && $2::bigint[]", 2, action, idarr(ids, n)));
}

static enum triage_result
run(struct triage_req *req, struct triage_outcome *out)
{
	return triage_run(&db, req, out);
}

/* A connection as a login role, as an analyst's console or CLI has: the
 * database's own role checks apply to it (not to the DBA's connection). */
static void
connect_as(struct db *d, const char *user)
{
	char conninfo[1024];

	snprintf(conninfo, sizeof conninfo, "%s user=%s", getenv("VSOC_DB"), user);
	ck_assert_msg(db_connect(d, conninfo) == 0, "%s", d->errmsg);
}

/* got is evaluated once: it is usually the triage_run() call itself. */
#define ck_assert_result(got, want, out) do { \
	enum triage_result got_ = (got); \
	ck_assert_msg(got_ == (want), "result %d, expected %d: %s", (int)got_, \
	    (int)(want), (out).message); \
} while (0)
#define ck_assert_has(s, sub) \
	ck_assert_msg(strstr((s), (sub)) != NULL, "'%s' lacks '%s'", (s), (sub))

/* An analyst as the DBA creates it (the suite connects as the cluster's
 * superuser, so the database's own role checks pass; the checks under
 * test here are triage_run's, which read the actor's role). */
static void
analyst_make(const char *name, enum analyst_role role, struct analyst *out)
{
	int found = analyst_lookup(&db, name, out);

	ck_assert_msg(found >= 0, "%s", db.errmsg);
	if (found == 1)
		ck_assert_msg(analyst_add(&db, name, role, NULL) == 0, "%s", db.errmsg);
	else if (out->role != role)
		ck_assert_msg(analyst_set_role(&db, name, role) == 0, "%s", db.errmsg);
	ck_assert_int_eq(analyst_lookup(&db, name, out), 0);
}

static void
setup(void)
{
	ck_assert_msg(db_connect(&db, NULL) == 0, "%s", db.errmsg);
	ck_assert_msg(migrate_apply(&db, NULL, NULL) >= 0, "%s", db.errmsg);
	analyst_make("alice", ROLE_LEAD, &alice);
	analyst_make("bob", ROLE_ANALYST, &bob);
}

static void
teardown(void)
{
	db_disconnect(&db);
}

/* --- no database ------------------------------------------------------------ */

START_TEST(test_names)
{
	int a;

	for (a = 0; a < TA__COUNT; a++)
		ck_assert_int_eq(triage_action_parse(triage_action_name(a)), a);
	ck_assert_int_eq(triage_action_parse("acknowledge"), TA_ACK);
	ck_assert_int_eq(triage_action_parse("bogus"), TA__COUNT);
	ck_assert_int_eq(triage_action_parse(NULL), TA__COUNT);
}
END_TEST

START_TEST(test_validate)
{
	static char big[TRIAGE_NOTE_MAX + 2];
	long long ids[] = { 1 }, bad[] = { 0 };
	struct triage_outcome out;
	struct triage_req req;

	memset(&req, 0, sizeof req);
	req.action = TA_CLOSE;
	req.ids = ids;
	req.n = 1;
	req.disposition = DISP_FALSE_POSITIVE;
	ck_assert_int_eq(triage_validate(&req, &out), TRIAGE_USAGE);
	ck_assert_str_eq(out.message, "a reason is required to close");
	req.text = "  \n";
	ck_assert_int_eq(triage_validate(&req, &out), TRIAGE_USAGE);
	req.text = "maintenance";
	ck_assert_int_eq(triage_validate(&req, &out), TRIAGE_OK);
	req.disposition = DISP_NONE;
	ck_assert_int_eq(triage_validate(&req, &out), TRIAGE_USAGE);
	ck_assert_has(out.message, "disposition");
	req.disposition = DISP_BENIGN;
	req.text = "\xff\xfe";
	ck_assert_int_eq(triage_validate(&req, &out), TRIAGE_USAGE);
	ck_assert_has(out.message, "UTF-8");

	req.action = TA_NOTE;
	memset(big, 'x', sizeof big - 1);
	req.text = big;
	ck_assert_int_eq(triage_validate(&req, &out), TRIAGE_USAGE);
	ck_assert_has(out.message, "65536");
	big[TRIAGE_NOTE_MAX] = '\0';
	ck_assert_int_eq(triage_validate(&req, &out), TRIAGE_OK);
	req.text = "";
	ck_assert_int_eq(triage_validate(&req, &out), TRIAGE_USAGE);

	req.action = TA_SUPPRESS;
	req.text = "noise";
	req.duration = 0;
	ck_assert_int_eq(triage_validate(&req, &out), TRIAGE_USAGE);
	req.duration = TRIAGE_SUPPRESS_MAX + 1;
	ck_assert_int_eq(triage_validate(&req, &out), TRIAGE_USAGE);
	ck_assert_has(out.message, "90 days");
	req.duration = TRIAGE_SUPPRESS_MAX;
	ck_assert_int_eq(triage_validate(&req, &out), TRIAGE_OK);
	req.scope = SUPPRESS_EVIDENCE;
	req.evidence_key = "src..ip";
	ck_assert_int_eq(triage_validate(&req, &out), TRIAGE_USAGE);
	req.evidence_key = "src.ip";
	ck_assert_int_eq(triage_validate(&req, &out), TRIAGE_OK);

	req.action = TA_ESCALATE;
	req.incident_id = 3;
	req.incident_title = "x";
	ck_assert_int_eq(triage_validate(&req, &out), TRIAGE_USAGE);
	req.action = TA_ASSIGN;
	ck_assert_int_eq(triage_validate(&req, &out), TRIAGE_USAGE);
	req.ids = bad;
	req.action = TA_TAKE;
	ck_assert_int_eq(triage_validate(&req, &out), TRIAGE_USAGE);
	req.n = 0;
	ck_assert_int_eq(triage_validate(&req, &out), TRIAGE_USAGE);
}
END_TEST

/* --- take, assign, ack ------------------------------------------------------- */

START_TEST(test_take)
{
	long long asset = asset_make(), id = alert_make(asset, "R1", 4, NULL);
	struct triage_req req = { .action = TA_TAKE, .ids = &id, .n = 1, .actor = &alice };
	struct triage_outcome out;
	enum triage_result r;
	char want[128];

	r = run(&req, &out);
	ck_assert_result(r, TRIAGE_OK, out);
	ck_assert_int_eq(out.changed, 1);
	ck_assert_has(out.message, "taken by alice");
	ck_assert_str_eq(col(id, "status"), "acknowledged");
	ck_assert_str_eq(col(id, "assignee_id"), num(alice.id));
	ck_assert_str_eq(col(id, "version"), "2");
	ck_assert_int_eq(audit_count("alert.take", &id, 1), 1);
	ck_assert_str_eq(q("SELECT details->>'assignee' FROM audit_log WHERE id = $1",
	    1, num(out.audit_id)), "alice");

	/* Again by alice: fine, and nothing changes. */
	r = run(&req, &out);
	ck_assert_result(r, TRIAGE_OK, out);
	ck_assert_int_eq(out.changed, 0);
	ck_assert_has(out.message, "already taken by alice");
	ck_assert_str_eq(col(id, "version"), "2");

	/* By bob: a conflict naming alice, nothing changes. */
	req.actor = &bob;
	r = run(&req, &out);
	ck_assert_result(r, TRIAGE_CONFLICT, out);
	ck_assert_int_eq(out.failed_id, id);
	snprintf(want, sizeof want, "alert %lld is already taken by alice", id);
	ck_assert_str_eq(out.message, want);
	ck_assert_str_eq(col(id, "assignee_id"), num(alice.id));
	ck_assert_int_eq(audit_count("alert.take", &id, 1), 2);
}
END_TEST

START_TEST(test_take_closed)
{
	long long id = alert_make(asset_make(), "R2", 3, NULL);
	struct triage_req req = { .action = TA_CLOSE, .ids = &id, .n = 1,
	    .actor = &alice, .disposition = DISP_BENIGN, .text = "test" };
	struct triage_outcome out;

	ck_assert_result(run(&req, &out), TRIAGE_OK, out);
	req.action = TA_TAKE;
	ck_assert_result(run(&req, &out), TRIAGE_CONFLICT, out);
	ck_assert_has(out.message, "is closed; reopen it first");
	req.action = TA_CLOSE;
	ck_assert_result(run(&req, &out), TRIAGE_CONFLICT, out);
	ck_assert_has(out.message, "is already closed");
}
END_TEST

START_TEST(test_assign)
{
	long long asset = asset_make();
	long long ids[] = { alert_make(asset, "R3", 3, NULL), alert_make(asset, "R3", 3, NULL) };
	struct triage_req req = { .action = TA_TAKE, .ids = ids, .n = 1, .actor = &alice };
	struct triage_outcome out;
	struct analyst dora;

	ck_assert_result(run(&req, &out), TRIAGE_OK, out);
	/* A lead's assign overrides alice. */
	req.action = TA_ASSIGN;
	req.n = 2;
	req.assignee = "bob";
	ck_assert_result(run(&req, &out), TRIAGE_OK, out);
	ck_assert_int_eq(out.changed, 2);
	ck_assert_has(out.message, "2 alerts assigned to bob");
	ck_assert_str_eq(col(ids[0], "assignee_id"), num(bob.id));
	ck_assert_str_eq(col(ids[1], "status"), "new");
	ck_assert_str_eq(q("SELECT details->'previous_assignee'->'alice'->>0"
	    " FROM audit_log WHERE id = $1", 1, num(out.audit_id)), num(ids[0]));

	req.assignee = "nobody-here";
	ck_assert_result(run(&req, &out), TRIAGE_NOT_FOUND, out);
	ck_assert_str_eq(out.message, "no analyst named 'nobody-here'");

	analyst_make("dora", ROLE_ANALYST, &dora);
	q("UPDATE analysts SET active = false WHERE name = 'dora' RETURNING id", 0);
	req.assignee = "dora";
	ck_assert_result(run(&req, &out), TRIAGE_USAGE, out);
	ck_assert_has(out.message, "not active");

	req.action = TA_UNASSIGN;
	req.assignee = NULL;
	ck_assert_result(run(&req, &out), TRIAGE_OK, out);
	ck_assert_str_eq(col(ids[0], "assignee_id"), "(null)");
	ck_assert_result(run(&req, &out), TRIAGE_OK, out);
	ck_assert_int_eq(out.changed, 0);
}
END_TEST

START_TEST(test_ack)
{
	long long asset = asset_make();
	long long ids[] = { alert_make(asset, "R4", 3, NULL), alert_make(asset, "R4", 3, NULL) };
	struct triage_req req = { .action = TA_ACK, .ids = ids, .n = 1, .actor = &bob };
	struct triage_outcome out;

	ck_assert_result(run(&req, &out), TRIAGE_OK, out);
	req.n = 2;
	ck_assert_result(run(&req, &out), TRIAGE_OK, out);
	ck_assert_int_eq(out.changed, 1);
	ck_assert_has(out.message, "(1 already)");
	ck_assert_str_eq(col(ids[0], "version"), "2");
	ck_assert_str_eq(col(ids[1], "status"), "acknowledged");
	/* The no-op is listed as unchanged in the audit record. */
	ck_assert_str_eq(q("SELECT details->'unchanged'->>0 FROM audit_log WHERE id = $1",
	    1, num(out.audit_id)), num(ids[0]));
}
END_TEST

/* --- roles ---------------------------------------------------------------------- */

/* What triage_run refuses, the database refuses too, on the analysts' own
 * connections; every refusal triage_run meets is in the audit log. */
START_TEST(test_roles)
{
	long long asset = asset_make();
	long long id = alert_make(asset, "R3", 3, NULL);
	struct analyst erin, carol;
	struct triage_req req = { .action = TA_TAKE, .ids = &id, .n = 1 };
	struct triage_outcome out;
	struct db as_erin, as_carol, as_alice, as_bob;
	char sql[128];

	analyst_make("erin", ROLE_VIEWER, &erin);
	analyst_make("carol", ROLE_ANALYST, &carol);
	connect_as(&as_erin, "erin");
	connect_as(&as_carol, "carol");
	connect_as(&as_alice, "alice");
	connect_as(&as_bob, "bob");

	/* A viewer takes nothing: refused by triage_run, audited as erin. */
	req.actor = &erin;
	ck_assert_result(triage_run(&as_erin, &req, &out), TRIAGE_DENIED, out);
	ck_assert_has(out.message, "needs the analyst role");
	ck_assert_str_eq(col(id, "assignee_id"), "(null)");
	ck_assert_str_eq(q("SELECT actor || ' ' || (details->>'tried') FROM audit_log"
	    " WHERE action = 'permission.denied' AND alert_ids @> ARRAY[$1::bigint]"
	    " ORDER BY seq DESC LIMIT 1", 1, num(id)), "erin alert.take");
	/* ... and by the database, whatever the client claims. */
	snprintf(sql, sizeof sql, "UPDATE alerts SET status = 'acknowledged' WHERE id = %lld", id);
	ck_assert_int_eq(db_command(&as_erin, sql, 0, NULL), -1);
	ck_assert_str_eq(as_erin.sqlstate, "42501");

	/* bob takes it; carol (an analyst) cannot reassign bob's alert. */
	req.actor = &bob;
	ck_assert_result(triage_run(&as_bob, &req, &out), TRIAGE_OK, out);
	req.action = TA_ASSIGN;
	req.actor = &carol;
	req.assignee = "carol";
	ck_assert_result(triage_run(&as_carol, &req, &out), TRIAGE_DENIED, out);
	ck_assert_has(out.message, "belongs to bob: reassigning it needs the lead role");
	req.action = TA_UNASSIGN;
	ck_assert_result(triage_run(&as_carol, &req, &out), TRIAGE_DENIED, out);
	/* Even past triage_run (a forged actor with the lead role), the
	 * database refuses carol's session. */
	carol.role = ROLE_LEAD;
	req.action = TA_ASSIGN;
	ck_assert_result(triage_run(&as_carol, &req, &out), TRIAGE_DENIED, out);
	ck_assert_has(out.message, "needs the lead role");
	ck_assert_str_eq(col(id, "assignee_id"), num(bob.id));
	/* The lead can. */
	req.actor = &alice;
	ck_assert_result(triage_run(&as_alice, &req, &out), TRIAGE_OK, out);
	ck_assert_str_eq(col(id, "assignee_id"), num(carol.id));
	/* An analyst's change without an audit record is refused at commit. */
	snprintf(sql, sizeof sql, "UPDATE alerts SET status = 'new' WHERE id = %lld", id);
	ck_assert_int_eq(db_command(&as_bob, sql, 0, NULL), -1);
	ck_assert_has(as_bob.errmsg, "must be recorded in the audit log");
	ck_assert_str_eq(col(id, "status"), "acknowledged");
	db_disconnect(&as_erin);
	db_disconnect(&as_carol);
	db_disconnect(&as_alice);
	db_disconnect(&as_bob);
}
END_TEST

/* --- optimistic concurrency, not found, rollback ----------------------------- */

START_TEST(test_version_conflict)
{
	long long id = alert_make(asset_make(), "R5", 3, NULL);
	int v1 = 1;
	struct triage_req req = { .action = TA_ACK, .ids = &id, .n = 1,
	    .actor = &alice, .versions = &v1 };
	struct triage_outcome out;
	struct db as_alice, as_bob;

	/* Each analyst on a connection of their own: the audit log names the
	 * session user, so the conflict message names alice. */
	connect_as(&as_alice, "alice");
	connect_as(&as_bob, "bob");
	ck_assert_result(triage_run(&as_alice, &req, &out), TRIAGE_OK, out);
	ck_assert_str_eq(col(id, "version"), "2");
	/* bob still looks at version 1. */
	req.action = TA_CLOSE;
	req.actor = &bob;
	req.disposition = DISP_FALSE_POSITIVE;
	req.text = "looks benign";
	ck_assert_result(triage_run(&as_bob, &req, &out), TRIAGE_CONFLICT, out);
	db_disconnect(&as_alice);
	db_disconnect(&as_bob);
	ck_assert_int_eq(out.failed_id, id);
	ck_assert_has(out.message, "was changed by alice at ");
	ck_assert_has(out.message, "(version 2, you had 1); reload and retry");
	ck_assert_str_eq(col(id, "status"), "acknowledged");
	/* A note does not bump the version and is not blamed for a change. */
	req.action = TA_NOTE;
	req.versions = NULL;
	req.text = "bob was here";
	ck_assert_result(run(&req, &out), TRIAGE_OK, out);
	ck_assert_str_eq(col(id, "version"), "2");
	req.action = TA_CLOSE;
	req.versions = &v1;
	req.text = "looks benign";
	ck_assert_result(run(&req, &out), TRIAGE_CONFLICT, out);
	ck_assert_has(out.message, "changed by alice");
	/* With the right version it goes through. */
	v1 = 2;
	ck_assert_result(run(&req, &out), TRIAGE_OK, out);
	ck_assert_str_eq(col(id, "version"), "3");
}
END_TEST

/* A stale version behind a specific conflict reports the specific one. */
START_TEST(test_version_specific_first)
{
	long long id = alert_make(asset_make(), "R5", 3, NULL);
	int v1 = 1;
	struct triage_req req = { .action = TA_TAKE, .ids = &id, .n = 1, .actor = &bob };
	struct triage_outcome out;

	ck_assert_result(run(&req, &out), TRIAGE_OK, out);
	/* alice's screen still shows version 1. */
	req.actor = &alice;
	req.versions = &v1;
	ck_assert_result(run(&req, &out), TRIAGE_CONFLICT, out);
	ck_assert_has(out.message, "is already taken by bob");
	req.action = TA_CLOSE;
	req.actor = &bob;
	req.versions = NULL;
	req.disposition = DISP_BENIGN;
	req.text = "ok";
	ck_assert_result(run(&req, &out), TRIAGE_OK, out);
	req.actor = &alice;
	req.versions = &v1;
	ck_assert_result(run(&req, &out), TRIAGE_CONFLICT, out);
	ck_assert_has(out.message, "is already closed");
}
END_TEST

/* The same alert twice, once with the version the analyst saw and once
 * with "any" (0): the version must still be checked, whichever order the
 * caller gave them in. */
START_TEST(test_duplicate_id_versions)
{
	long long id = alert_make(asset_make(), "R5", 3, NULL);
	long long twice[] = { id, id };
	int stale[] = { 0, 1 }, stale_rev[] = { 1, 0 }, fresh[] = { 0, 2 };
	struct triage_req req = { .action = TA_ACK, .ids = &id, .n = 1, .actor = &bob };
	struct triage_outcome out;

	ck_assert_result(run(&req, &out), TRIAGE_OK, out);
	ck_assert_str_eq(col(id, "version"), "2");
	req.action = TA_CLOSE;
	req.actor = &alice;
	req.disposition = DISP_BENIGN;
	req.text = "seen at version 1";
	req.ids = twice;
	req.n = 2;
	req.versions = stale;
	ck_assert_result(run(&req, &out), TRIAGE_CONFLICT, out);
	ck_assert_has(out.message, "(version 2, you had 1)");
	req.versions = stale_rev;
	ck_assert_result(run(&req, &out), TRIAGE_CONFLICT, out);
	ck_assert_str_eq(col(id, "status"), "acknowledged");
	req.versions = fresh;
	ck_assert_result(run(&req, &out), TRIAGE_OK, out);
	ck_assert_int_eq(out.changed, 1);
	ck_assert_str_eq(col(id, "status"), "closed");
}
END_TEST

START_TEST(test_not_found_rolls_back)
{
	long long asset = asset_make();
	long long ids[] = { alert_make(asset, "R6", 3, NULL), 999999999LL,
	    alert_make(asset, "R6", 3, NULL) };
	const char *before = q("SELECT count(*) FROM audit_log", 0);
	struct triage_req req = { .action = TA_CLOSE, .ids = ids, .n = 3,
	    .actor = &alice, .disposition = DISP_TRUE_POSITIVE, .text = "bulk" };
	struct triage_outcome out;

	ck_assert_result(run(&req, &out), TRIAGE_NOT_FOUND, out);
	ck_assert_int_eq(out.failed_id, 999999999LL);
	ck_assert_str_eq(out.message, "alert 999999999 not found");
	ck_assert_str_eq(col(ids[0], "status"), "new");
	ck_assert_str_eq(col(ids[2], "status"), "new");
	ck_assert_str_eq(q("SELECT count(*) FROM audit_log", 0), before);
}
END_TEST

START_TEST(test_check_rolls_back)
{
	long long asset = asset_make();
	long long ids[] = { alert_make(asset, "R7", 5, NULL), alert_make(asset, "R7", 5, NULL) };
	struct triage_req req = { .action = TA_TAKE, .ids = &ids[1], .n = 1, .actor = &bob };
	struct triage_outcome out;

	ck_assert_result(run(&req, &out), TRIAGE_OK, out);
	/* alice takes both: the second is bob's, so neither changes. */
	req.ids = ids;
	req.n = 2;
	req.actor = &alice;
	ck_assert_result(run(&req, &out), TRIAGE_CONFLICT, out);
	ck_assert_int_eq(out.failed_id, ids[1]);
	ck_assert_str_eq(col(ids[0], "assignee_id"), "(null)");
	ck_assert_str_eq(col(ids[0], "version"), "1");
}
END_TEST

START_TEST(test_bulk_close_one_audit)
{
	long long asset = asset_make();
	long long ids[] = { alert_make(asset, "R8", 4, NULL), alert_make(asset, "R8", 4, NULL),
	    alert_make(asset, "R9", 2, NULL) };
	/* Unordered, with a repeat: one lock pass in id order all the same. */
	long long given[] = { ids[2], ids[0], ids[1], ids[0] };
	struct triage_req req = { .action = TA_CLOSE, .ids = given, .n = 4,
	    .actor = &alice, .disposition = DISP_FALSE_POSITIVE, .text = "scanner test" };
	struct triage_outcome out;
	size_t i;

	ck_assert_result(run(&req, &out), TRIAGE_OK, out);
	ck_assert_int_eq(out.changed, 3);
	ck_assert_str_eq(out.message, "3 alerts closed as false_positive");
	for (i = 0; i < 3; i++) {
		ck_assert_str_eq(col(ids[i], "status"), "closed");
		ck_assert_str_eq(col(ids[i], "disposition"), "false_positive");
		ck_assert_str_eq(col(ids[i], "disposition_reason"), "scanner test");
		ck_assert_str_ne(col(ids[i], "closed_at"), "(null)");
	}
	ck_assert_int_eq(audit_count("alert.close", ids, 3), 1);
	ck_assert_str_eq(q("SELECT alert_ids::text FROM audit_log WHERE id = $1", 1,
	    num(out.audit_id)), idarr(ids, 3));
	ck_assert_str_eq(q("SELECT details->>'reason' FROM audit_log WHERE id = $1", 1,
	    num(out.audit_id)), "scanner test");
	ck_assert_str_eq(q("SELECT object_id IS NULL FROM audit_log WHERE id = $1", 1,
	    num(out.audit_id)), "t");
}
END_TEST

/* --- note, reopen ----------------------------------------------------------- */

START_TEST(test_note)
{
	static const char hostile[] = "\x1b]0;pwned\x07\x1b[2J\xe2\x80\xae evil\r\nline 2 'quoted' $1";
	long long asset = asset_make();
	long long ids[] = { alert_make(asset, "R10", 5, NULL), alert_make(asset, "R10", 5, NULL) };
	struct triage_req req = { .action = TA_NOTE, .ids = ids, .n = 2,
	    .actor = &bob, .text = hostile };
	struct triage_outcome out;

	ck_assert_result(run(&req, &out), TRIAGE_OK, out);
	ck_assert_str_eq(out.message, "note added to 2 alerts");
	ck_assert_str_eq(q("SELECT count(*) FROM notes WHERE alert_id = ANY($1::bigint[])"
	    " AND body = $2 AND author_id = $3", 3, idarr(ids, 2), hostile, num(bob.id)), "2");
	ck_assert_str_eq(col(ids[0], "version"), "1");
	/* The body stays out of the audit log. */
	ck_assert_str_eq(q("SELECT details::text LIKE '%pwned%' FROM audit_log WHERE id = $1",
	    1, num(out.audit_id)), "f");
	ck_assert_str_eq(q("SELECT details->>'bytes' FROM audit_log WHERE id = $1", 1,
	    num(out.audit_id)), num((long long)strlen(hostile)));
}
END_TEST

START_TEST(test_reopen)
{
	long long asset = asset_make();
	long long ids[] = { alert_make(asset, "R11", 5, NULL), alert_make(asset, "R11", 5, NULL) };
	struct triage_req req = { .action = TA_TAKE, .ids = ids, .n = 1, .actor = &alice };
	struct triage_outcome out;

	ck_assert_result(run(&req, &out), TRIAGE_OK, out);
	req.action = TA_REOPEN;
	req.text = "again";
	ck_assert_result(run(&req, &out), TRIAGE_CONFLICT, out);
	ck_assert_has(out.message, "not closed or suppressed");
	req.text = NULL;
	ck_assert_result(run(&req, &out), TRIAGE_USAGE, out);
	ck_assert_str_eq(out.message, "a reason is required to reopen");

	req.action = TA_CLOSE;
	req.n = 2;
	req.disposition = DISP_DUPLICATE;
	req.text = "dup";
	ck_assert_result(run(&req, &out), TRIAGE_OK, out);
	req.action = TA_REOPEN;
	req.text = "it came back";
	ck_assert_result(run(&req, &out), TRIAGE_OK, out);
	ck_assert_int_eq(out.changed, 2);
	/* The owned alert goes back to its owner, the other to the queue. */
	ck_assert_str_eq(col(ids[0], "status"), "acknowledged");
	ck_assert_str_eq(col(ids[1], "status"), "new");
	ck_assert_str_eq(col(ids[0], "disposition"), "(null)");
	ck_assert_str_eq(col(ids[0], "closed_at"), "(null)");
	ck_assert_str_eq(q("SELECT details->'previous_disposition'->'duplicate'->>1"
	    " FROM audit_log WHERE id = $1", 1, num(out.audit_id)), num(ids[1]));
}
END_TEST

/* Reopening must not break ingest's live dedup index. */
START_TEST(test_reopen_dedup)
{
	long long asset = asset_make();
	long long a = alert_make(asset, "R12", 4, NULL), b;
	struct triage_req req = { .action = TA_CLOSE, .ids = &a, .n = 1,
	    .actor = &alice, .disposition = DISP_TRUE_POSITIVE, .text = "done" };
	struct triage_outcome out;
	char key[64];

	snprintf(key, sizeof key, "dedup-%lld", a);
	q("UPDATE alerts SET dedup_key = $2 WHERE id = $1 RETURNING id", 2, num(a), key);
	ck_assert_result(run(&req, &out), TRIAGE_OK, out);
	b = alert_make(asset, "R12", 4, NULL);
	q("UPDATE alerts SET dedup_key = $2 WHERE id = $1 RETURNING id", 2, num(b), key);
	req.action = TA_REOPEN;
	req.text = "again";
	ck_assert_result(run(&req, &out), TRIAGE_CONFLICT, out);
	ck_assert_has(out.message, "same dedup key");
	ck_assert_str_eq(col(a, "status"), "closed");
}
END_TEST

/* --- suppress ---------------------------------------------------------------- */

START_TEST(test_suppress_asset)
{
	long long s1 = asset_make(), s2 = asset_make();
	long long a = alert_make(s1, "R13", 4, NULL), b = alert_make(s1, "R13", 4, NULL),
	    c = alert_make(s1, "R13", 4, NULL), other_asset = alert_make(s2, "R13", 4, NULL),
	    other_rule = alert_make(s1, "R14", 3, NULL), closed = alert_make(s1, "R13", 4, NULL);
	long long all[] = { a, b, c };
	struct triage_req req = { .action = TA_CLOSE, .ids = &closed, .n = 1,
	    .actor = &alice, .disposition = DISP_BENIGN, .text = "x" };
	struct triage_outcome out;
	char want[128];

	ck_assert_result(run(&req, &out), TRIAGE_OK, out);
	memset(&req, 0, sizeof req);
	req.action = TA_SUPPRESS;
	req.ids = &a;
	req.n = 1;
	req.actor = &alice;
	req.text = "firmware rollout";
	req.duration = 4 * 3600;
	ck_assert_result(run(&req, &out), TRIAGE_OK, out);
	ck_assert_int_eq(out.changed, 3);
	ck_assert_has(out.message, "alert ");
	ck_assert_has(out.message, "suppressed for 4h with 2 similar open alerts");
	ck_assert_int_gt(out.suppression_id, 0);
	snprintf(want, sizeof want, "R13 %lld firmware rollout 04:00:00", s1);
	ck_assert_str_eq(q("SELECT rule_id || ' ' || asset_id || ' ' || reason ||"
	    " ' ' || (expires_at - created_at)::text FROM suppressions WHERE id = $1", 1,
	    num(out.suppression_id)), want);
	ck_assert_str_eq(col(b, "status"), "suppressed");
	ck_assert_str_eq(col(c, "status"), "suppressed");
	ck_assert_str_eq(col(other_asset, "status"), "new");
	ck_assert_str_eq(col(other_rule, "status"), "new");
	ck_assert_str_eq(col(closed, "status"), "closed");
	ck_assert_str_eq(q("SELECT alert_ids::text FROM audit_log WHERE id = $1", 1,
	    num(out.audit_id)), idarr(all, 3));
	/* Suppressed already: a conflict. */
	ck_assert_result(run(&req, &out), TRIAGE_CONFLICT, out);
	ck_assert_has(out.message, "is already suppressed");
}
END_TEST

START_TEST(test_suppress_evidence)
{
	long long s1 = asset_make(), s2 = asset_make();
	long long a = alert_make(s1, "R3", 3, "{\"card\": {\"id_tag\": \"04A1\"}}"),
	    b = alert_make(s2, "R3", 3, "{\"card\": {\"id_tag\": \"04A1\"}}"),
	    c = alert_make(s2, "R3", 3, "{\"card\": {\"id_tag\": \"FFFF\"}}"),
	    d = alert_make(s1, "R4", 3, "{\"card\": {\"id_tag\": \"04A1\"}}"),
	    none = alert_make(s1, "R3", 3, "{}");
	long long pair[] = { a, none };
	struct triage_req req = { .action = TA_SUPPRESS, .ids = &a, .n = 1,
	    .actor = &bob, .text = "test card", .duration = 7 * 86400,
	    .scope = SUPPRESS_EVIDENCE, .evidence_key = "card.id_tag" };
	struct triage_outcome out;

	req.ids = pair;
	req.n = 2;
	ck_assert_result(run(&req, &out), TRIAGE_USAGE, out);
	ck_assert_int_eq(out.failed_id, none);
	ck_assert_has(out.message, "has no evidence field 'card.id_tag'");
	ck_assert_str_eq(col(a, "status"), "new");

	req.ids = &a;
	req.n = 1;
	ck_assert_result(run(&req, &out), TRIAGE_OK, out);
	ck_assert_int_eq(out.changed, 2);
	ck_assert_str_eq(col(b, "status"), "suppressed");
	ck_assert_str_eq(col(c, "status"), "new");
	ck_assert_str_eq(col(d, "status"), "new");
	ck_assert_str_eq(q("SELECT evidence_key || '=' || evidence_value FROM suppressions"
	    " WHERE id = $1", 1, num(out.suppression_id)), "card.id_tag=04A1");
	ck_assert_str_eq(q("SELECT details->>'duration_text' FROM audit_log WHERE id = $1",
	    1, num(out.audit_id)), "7d");
}
END_TEST

/* --- escalate ---------------------------------------------------------------- */

START_TEST(test_escalate)
{
	long long site = atoll(q("INSERT INTO assets (kind, external_id) VALUES ('site', $1)"
	    " RETURNING id", 1, num(asset_make())));
	long long s1 = asset_make(), s2 = asset_make(), lone = asset_make();
	long long a, b, c, d, inc;
	long long ab[2];
	struct triage_req req = { .action = TA_ESCALATE, .n = 2, .actor = &alice };
	struct triage_outcome out;

	q("UPDATE assets SET parent_id = $1 WHERE id = ANY($2::bigint[]) RETURNING id", 2,
	    num(site), q("SELECT ARRAY[$1::bigint, $2::bigint]::text", 2, num(s1), num(s2)));
	a = alert_make(s1, "R7", 3, NULL);
	b = alert_make(s2, "R10", 5, NULL);
	c = alert_make(lone, "R1", 2, NULL);
	d = alert_make(lone, "R1", 2, NULL);
	ab[0] = a;
	ab[1] = b;
	req.ids = ab;
	ck_assert_result(run(&req, &out), TRIAGE_OK, out);
	inc = out.incident_id;
	ck_assert_int_gt(inc, 0);
	ck_assert_has(out.message, "escalated to new incident");
	ck_assert_str_eq(q("SELECT title || '|' || severity || '|' || scope || '|' ||"
	    " owner_id || '|' || status FROM incidents WHERE id = $1", 1, num(inc)),
	    q("SELECT 'Test alert R7|5|site|' || $1 || '|open'", 1, num(alice.id)));
	ck_assert_str_eq(col(a, "status"), "escalated");
	ck_assert_str_eq(col(b, "incident_id"), num(inc));
	ck_assert_str_eq(q("SELECT count(*) FROM incident_alerts WHERE incident_id = $1",
	    1, num(inc)), "2");
	ck_assert_str_eq(q("SELECT count(*) FROM incident_assets WHERE incident_id = $1",
	    1, num(inc)), "2");
	ck_assert_str_eq(q("SELECT object_kind || ' ' || object_id FROM audit_log"
	    " WHERE id = $1", 1, num(out.audit_id)), q("SELECT 'incident ' || $1", 1, num(inc)));

	/* Into the existing incident; a is in it already (unchanged). */
	req.incident_id = inc;
	ab[1] = c;
	ck_assert_result(run(&req, &out), TRIAGE_OK, out);
	ck_assert_int_eq(out.changed, 1);
	ck_assert_int_eq(out.incident_id, inc);
	ck_assert_str_eq(col(c, "incident_id"), num(inc));
	ck_assert_str_eq(q("SELECT count(*) FROM incident_assets WHERE incident_id = $1",
	    1, num(inc)), "3");

	/* A new incident for one asset: scope asset, custom title. */
	req.incident_id = 0;
	req.incident_title = "Lone station";
	req.ids = &d;
	req.n = 1;
	ck_assert_result(run(&req, &out), TRIAGE_OK, out);
	ck_assert_str_eq(q("SELECT title || '|' || scope FROM incidents WHERE id = $1", 1,
	    num(out.incident_id)), "Lone station|asset");
	/* d belongs to that incident now: not to another. */
	req.incident_title = NULL;
	req.incident_id = inc;
	ck_assert_result(run(&req, &out), TRIAGE_CONFLICT, out);
	ck_assert_has(out.message, "already escalated to incident");

	req.incident_id = 999999999LL;
	ck_assert_result(run(&req, &out), TRIAGE_NOT_FOUND, out);
	ck_assert_str_eq(out.message, "incident 999999999 not found");
	q("UPDATE incidents SET status = 'closed' WHERE id = $1 RETURNING id", 1, num(inc));
	req.incident_id = inc;
	req.ids = &b;
	ck_assert_result(run(&req, &out), TRIAGE_CONFLICT, out);
	ck_assert_str_eq(out.message, q("SELECT 'incident ' || $1 || ' is closed'", 1, num(inc)));
}
END_TEST

/* --- races ------------------------------------------------------------------- */

struct racer {
	struct db		 db;
	const struct analyst	*who;
	enum triage_action	 action;
	const long long		*ids;		/* one per round, or all */
	size_t			 rounds;
	size_t			 bulk;		/* >0: every round acts on bulk ids */
	bool			 reverse;	/* bulk ids in reverse order */
	bool			 versioned;	/* expect version 1 */
	pthread_barrier_t	*start;
	enum triage_result	 res[RACE_ALERTS];
	char			 msg[RACE_ALERTS][512];
};

static void *
racer_main(void *arg)
{
	struct racer *r = arg;
	long long bulk[BULK_ALERTS];
	int one = 1;
	size_t i, k;

	for (i = 0; i < r->rounds; i++) {
		struct triage_req req = { .action = r->action, .actor = r->who };
		struct triage_outcome out;

		if (r->bulk > 0) {
			for (k = 0; k < r->bulk; k++)
				bulk[k] = r->ids[i * r->bulk +
				    (r->reverse ? r->bulk - 1 - k : k)];
			req.ids = bulk;
			req.n = r->bulk;
		} else {
			req.ids = &r->ids[i];
			req.n = 1;
		}
		if (r->versioned)
			req.versions = &one;
		pthread_barrier_wait(r->start);
		r->res[i] = triage_run(&r->db, &req, &out);
		snprintf(r->msg[i], sizeof r->msg[i], "%s", out.message);
	}
	return NULL;
}

/* Two connections, two threads, the same actions at the same instant. */
static void
race(struct racer *x, struct racer *y)
{
	pthread_barrier_t start;
	pthread_t tx, ty;

	ck_assert_int_eq(pthread_barrier_init(&start, NULL, 2), 0);
	x->start = y->start = &start;
	ck_assert_msg(db_connect(&x->db, NULL) == 0, "%s", x->db.errmsg);
	ck_assert_msg(db_connect(&y->db, NULL) == 0, "%s", y->db.errmsg);
	ck_assert_int_eq(pthread_create(&tx, NULL, racer_main, x), 0);
	ck_assert_int_eq(pthread_create(&ty, NULL, racer_main, y), 0);
	pthread_join(tx, NULL);
	pthread_join(ty, NULL);
	pthread_barrier_destroy(&start);
	db_disconnect(&x->db);
	db_disconnect(&y->db);
}

START_TEST(test_race_take)
{
	static struct racer x, y;
	long long asset = asset_make(), ids[RACE_ALERTS];
	size_t i, wins_x = 0, wins_y = 0;

	for (i = 0; i < RACE_ALERTS; i++)
		ids[i] = alert_make(asset, "R1", 4, NULL);
	memset(&x, 0, sizeof x);
	memset(&y, 0, sizeof y);
	x.who = &alice;
	y.who = &bob;
	x.action = y.action = TA_TAKE;
	x.ids = y.ids = ids;
	x.rounds = y.rounds = RACE_ALERTS;
	race(&x, &y);

	for (i = 0; i < RACE_ALERTS; i++) {
		const struct racer *won, *lost;

		ck_assert_msg((x.res[i] == TRIAGE_OK) != (y.res[i] == TRIAGE_OK),
		    "alert %lld: alice %d (%s), bob %d (%s)", ids[i], x.res[i],
		    x.msg[i], y.res[i], y.msg[i]);
		won = x.res[i] == TRIAGE_OK ? &x : &y;
		lost = won == &x ? &y : &x;
		ck_assert_msg(lost->res[i] == TRIAGE_CONFLICT, "alert %lld: %d %s",
		    ids[i], lost->res[i], lost->msg[i]);
		ck_assert_has(lost->msg[i], "already taken by");
		ck_assert_has(lost->msg[i], won->who->name);
		ck_assert_str_eq(col(ids[i], "assignee_id"), num(won->who->id));
		ck_assert_str_eq(col(ids[i], "version"), "2");
		if (won == &x)
			wins_x++;
		else
			wins_y++;
	}
	ck_assert_int_eq(wins_x + wins_y, RACE_ALERTS);
	/* Only winners wrote audit records. */
	ck_assert_int_eq(audit_count("alert.take", ids, RACE_ALERTS), RACE_ALERTS);
}
END_TEST

START_TEST(test_race_version)
{
	static struct racer x, y;
	long long asset = asset_make(), ids[RACE_ALERTS];
	size_t i;

	for (i = 0; i < RACE_ALERTS; i++)
		ids[i] = alert_make(asset, "R2", 4, NULL);
	memset(&x, 0, sizeof x);
	memset(&y, 0, sizeof y);
	x.who = &alice;
	y.who = &bob;
	x.action = y.action = TA_ACK;
	x.ids = y.ids = ids;
	x.rounds = y.rounds = RACE_ALERTS;
	x.versioned = y.versioned = true;
	race(&x, &y);

	for (i = 0; i < RACE_ALERTS; i++) {
		const struct racer *lost = x.res[i] == TRIAGE_OK ? &y : &x;

		ck_assert_msg((x.res[i] == TRIAGE_OK) != (y.res[i] == TRIAGE_OK),
		    "alert %lld: %d (%s) / %d (%s)", ids[i], x.res[i], x.msg[i],
		    y.res[i], y.msg[i]);
		ck_assert_int_eq(lost->res[i], TRIAGE_CONFLICT);
		ck_assert_has(lost->msg[i], "(version 2, you had 1)");
		ck_assert_str_eq(col(ids[i], "version"), "2");
	}
}
END_TEST

/* Bulk takes of the same alerts given in opposite orders: locking in id
 * order means one waits for the other, never a deadlock. */
START_TEST(test_race_bulk_order)
{
	static struct racer x, y;
	static long long ids[BULK_ROUNDS * BULK_ALERTS];
	long long asset = asset_make();
	size_t i;

	for (i = 0; i < BULK_ROUNDS * BULK_ALERTS; i++)
		ids[i] = alert_make(asset, "R9", 3, NULL);
	memset(&x, 0, sizeof x);
	memset(&y, 0, sizeof y);
	x.who = &alice;
	y.who = &bob;
	x.action = y.action = TA_TAKE;
	x.ids = y.ids = ids;
	x.rounds = y.rounds = BULK_ROUNDS;
	x.bulk = y.bulk = BULK_ALERTS;
	y.reverse = true;
	race(&x, &y);

	for (i = 0; i < BULK_ROUNDS; i++) {
		const struct racer *won = x.res[i] == TRIAGE_OK ? &x : &y;
		const long long *round = &ids[i * BULK_ALERTS];

		ck_assert_msg((x.res[i] == TRIAGE_OK) != (y.res[i] == TRIAGE_OK),
		    "round %zu: %d (%s) / %d (%s)", i, x.res[i], x.msg[i],
		    y.res[i], y.msg[i]);
		ck_assert_msg(x.res[i] != TRIAGE_ERROR && y.res[i] != TRIAGE_ERROR,
		    "round %zu: %s / %s", i, x.msg[i], y.msg[i]);
		ck_assert_str_eq(q("SELECT count(*) FROM alerts WHERE id = ANY($1::bigint[])"
		    " AND assignee_id = $2", 2, idarr(round, BULK_ALERTS),
		    num(won->who->id)), num(BULK_ALERTS));
		ck_assert_int_eq(audit_count("alert.take", round, BULK_ALERTS), 1);
	}
}
END_TEST

static Suite *
triage_suite(void)
{
	Suite *s = suite_create("triage");
	TCase *tc;

	tc = tcase_create("offline");
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_validate);
	suite_add_tcase(s, tc);

	tc = tcase_create("actions");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_take);
	tcase_add_test(tc, test_take_closed);
	tcase_add_test(tc, test_assign);
	tcase_add_test(tc, test_ack);
	tcase_add_test(tc, test_version_conflict);
	tcase_add_test(tc, test_roles);
	tcase_add_test(tc, test_version_specific_first);
	tcase_add_test(tc, test_duplicate_id_versions);
	tcase_add_test(tc, test_not_found_rolls_back);
	tcase_add_test(tc, test_check_rolls_back);
	tcase_add_test(tc, test_bulk_close_one_audit);
	tcase_add_test(tc, test_note);
	tcase_add_test(tc, test_reopen);
	tcase_add_test(tc, test_reopen_dedup);
	tcase_add_test(tc, test_suppress_asset);
	tcase_add_test(tc, test_suppress_evidence);
	tcase_add_test(tc, test_escalate);
	suite_add_tcase(s, tc);

	tc = tcase_create("races");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_race_take);
	tcase_add_test(tc, test_race_version);
	tcase_add_test(tc, test_race_bulk_order);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	const char *dbenv = getenv("VSOC_DB");
	SRunner *sr;
	int failed;

	if (dbenv == NULL || *dbenv == '\0') {
		fprintf(stderr, "SKIP: VSOC_DB is not set (run via tests/with-pg)\n");
		return 77;
	}
	sr = srunner_create(triage_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
