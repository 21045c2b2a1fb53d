/* check_twin_db.c: the twin's database path against a real cluster (run
 * by tests/integration/twin.sh).  Events go in through twin_db_add, some
 * late and some twice; the stored state must equal a full replay in
 * memory, the state as of random moments must equal a full replay up to
 * them, and the bulk rebuild must give the same rows. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asset.h"
#include "db.h"
#include "migrate.h"
#include "rng.h"
#include "twin.h"
#include "twin_db.h"

#define T0	1764547200LL
#define US	1000000LL
#define NEV	700

static struct db db;
static long long station, connector;

static long long
query_ll(const char *sql, const char *param)
{
	const char *p[1] = { param };
	PGresult *res = db_query(&db, sql, param != NULL ? 1 : 0, p);
	long long v;

	ck_assert_msg(res != NULL, "%s: %s", sql, db.errmsg);
	v = PQgetisnull(res, 0, 0) ? 0 : atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	return v;
}

static void
setup_once(void)
{
	ck_assert_msg(db_connect(&db, NULL) == 0, "%s", db.errmsg);
	ck_assert_msg(migrate_apply(&db, NULL, NULL) >= 0, "%s", db.errmsg);
	ck_assert(db_command(&db, "INSERT INTO assets (kind, external_id) VALUES"
	    " ('station', 'CS-T1'), ('connector', 'CS-T1-1')", 0, NULL) == 2);
	station = query_ll("SELECT id FROM assets WHERE external_id = 'CS-T1'", NULL);
	connector = query_ll("SELECT id FROM assets WHERE external_id = 'CS-T1-1'", NULL);
}

static void
teardown_once(void)
{
	db_disconnect(&db);
}

static const char *const types[] = {
	"Heartbeat", "RemoteStartTransaction", "Authorize", "BootNotification", "CallError",
	"SecurityEventNotification", "Disconnected", "ChangeConfiguration",
};

static json_t *
event_data(const char *type, int i)
{
	if (strcmp(type, "Authorize") == 0)
		return json_pack("{s:{s:s}}", "idTagInfo", "status", i % 2 ? "Invalid" : "Accepted");
	if (strcmp(type, "BootNotification") == 0)
		return json_pack("{s:s, s:s, s:s}", "chargePointVendor", "Voltara",
		    "chargePointModel", "VX", "firmwareVersion", i % 3 ? "1.0" : "1.1");
	if (strcmp(type, "SecurityEventNotification") == 0)
		return json_pack("{s:s}", "type", i % 2 ? "InvalidMessages" : "ResetOrReboot");
	if (strcmp(type, "ChangeConfiguration") == 0)
		return json_pack("{s:s, s:i}", "key", "HeartbeatInterval", "value", i);
	return json_object();
}

static int
state_equal(const json_t *a, const json_t *b, const char *what)
{
	if (!json_equal((json_t *)a, (json_t *)b)) {
		char *x = json_dumps(a, JSON_SORT_KEYS), *y = json_dumps(b, JSON_SORT_KEYS);

		ck_abort_msg("%s:\n%.1500s\n%.1500s", what, x, y);
	}
	return 1;
}

static json_t *
stored_state(long long asset)
{
	char aid[24];
	const char *p[1] = { aid };
	PGresult *res;
	json_t *st;

	snprintf(aid, sizeof aid, "%lld", asset);
	res = db_query(&db, "SELECT state::text FROM asset_state WHERE asset_id = $1", 1, p);
	ck_assert_msg(res != NULL && PQntuples(res) == 1, "state of %lld", asset);
	st = json_loads(PQgetvalue(res, 0, 0), 0, NULL);
	PQclear(res);
	return st;
}

START_TEST(test_add_late_duplicate_as_of)
{
	struct twin_event *mem = calloc(NEV + 2, sizeof *mem);
	json_t **data = calloc(NEV + 2, sizeof *data), *st, *full;
	long long *at = calloc(NEV, sizeof *at), id, before;
	struct rng r;
	int i, j, n = 0, late = 0;
	char aid[24];

	rng_seed(&r, 2026);
	/* Times over three days (so the windows turn over), then a tenth of
	 * the events swapped far out of place: they arrive late. */
	for (i = 0; i < NEV; i++)
		at[i] = (T0 + i * 370LL + (long long)rng_below(&r, 300)) * US;
	for (i = 0; i < NEV / 10; i++) {
		long long t;

		j = (int)rng_below(&r, NEV);
		t = at[j];
		at[j] = at[NEV - 1 - i];
		at[NEV - 1 - i] = t;
	}
	for (i = 0; i < NEV; i++) {
		const char *type = types[rng_below(&r, sizeof types / sizeof types[0])];
		char key[32];
		struct twin_db_event e = { station, at[i], type, "csms", key, NULL };
		int rc;

		data[n] = event_data(type, i);
		e.data = data[n];
		snprintf(key, sizeof key, "m%d", i);
		rc = twin_db_add(&db, &e, &id);
		ck_assert_msg(rc >= 0, "add %d: %s", i, db.errmsg);
		ck_assert_int_ne(rc, TWIN_DUPLICATE);
		late += rc == TWIN_LATE;
		mem[n].id = id;
		mem[n].at = at[i];
		mem[n].type = type;
		mem[n].data = data[n];
		n++;
		/* Now and then the sender repeats itself. */
		if (i % 50 == 7) {
			before = query_ll("SELECT count(*) FROM asset_events", NULL);
			ck_assert_int_eq(twin_db_add(&db, &e, &id), TWIN_DUPLICATE);
			ck_assert_int_eq(id, 0);
			ck_assert_int_eq(query_ll("SELECT count(*) FROM asset_events", NULL), before);
		}
	}
	ck_assert_int_gt(late, NEV / 20);
	st = stored_state(station);
	full = twin_replay(TWIN_STATION, NULL, mem, (size_t)n, 0x7fffffffffffffffLL);
	state_equal(st, full, "stored state after late events");
	ck_assert_int_eq(json_integer_value(json_object_get(st, "events")), NEV);
	json_decref(full);
	json_decref(st);
	/* The state's position is in the row too. */
	snprintf(aid, sizeof aid, "%lld", station);
	ck_assert_int_eq(query_ll("SELECT count(*) FROM asset_state WHERE asset_id = $1"
	    " AND event_id = (state->>'event_id')::bigint", aid), 1);
	ck_assert_int_eq(query_ll("SELECT count(*) FROM asset_snapshots WHERE asset_id = $1",
	    aid), NEV / TWIN_SNAPSHOT_EVERY);

	/* As of random moments (and before the first, and at an event):
	 * equal to a full replay up to them. */
	for (i = 0; i < 40; i++) {
		long long t = i == 0 ? T0 * US - 1 : i == 1 ? mem[NEV / 2].at :
		    (T0 + (long long)rng_below(&r, NEV * 370ULL + 400)) * US;
		json_t *got = twin_db_state(&db, station, t);

		ck_assert_msg(got != NULL, "%s", db.errmsg);
		full = twin_replay(TWIN_STATION, NULL, mem, (size_t)n, t);
		state_equal(got, full, "as of");
		json_decref(got);
		json_decref(full);
	}
	/* A late event by hand: before every other one. */
	{
		json_t *d = json_pack("{s:s}", "type", "TamperDetectionActivated");
		struct twin_db_event e = { station, T0 * US - 5 * US, "SecurityEventNotification",
			"csms", NULL, d };

		ck_assert_int_eq(twin_db_add(&db, &e, &id), TWIN_LATE);
		mem[n].id = id;
		mem[n].at = e.at;
		mem[n].type = e.type;
		mem[n].data = d;
		data[n++] = d;
		st = stored_state(station);
		full = twin_replay(TWIN_STATION, NULL, mem, (size_t)n, 0x7fffffffffffffffLL);
		state_equal(st, full, "after the earliest event came last");
		json_decref(full);
		json_decref(st);
	}
	/* The bulk path gives the same state and the same snapshots. */
	st = stored_state(station);
	before = query_ll("SELECT count(*) FROM asset_snapshots WHERE asset_id = $1", aid);
	{
		long folded;

		ck_assert(db_begin(&db) == 0);
		ck_assert_msg(twin_db_rebuild(&db, station, &folded) == 0, "%s", db.errmsg);
		ck_assert(db_commit(&db) == 0);
		ck_assert_int_eq(folded, NEV + 1);
	}
	full = stored_state(station);
	state_equal(full, st, "rebuilt");
	ck_assert_int_eq(query_ll("SELECT count(*) FROM asset_snapshots WHERE asset_id = $1",
	    aid), before);
	json_decref(full);
	json_decref(st);
	/* The rebuilt snapshots are the states at their own moments: as of
	 * any moment still agrees with a full replay, and so does a late
	 * event re-folded from one of them. */
	for (i = 0; i < 20; i++) {
		long long t = (T0 + (long long)rng_below(&r, NEV * 370ULL + 400)) * US;
		json_t *got = twin_db_state(&db, station, t);

		ck_assert_msg(got != NULL, "%s", db.errmsg);
		full = twin_replay(TWIN_STATION, NULL, mem, (size_t)n, t);
		state_equal(got, full, "as of, after the rebuild");
		json_decref(got);
		json_decref(full);
	}
	{
		json_t *d = json_pack("{s:{s:s}}", "idTagInfo", "status", "Blocked");
		struct twin_db_event e = { station, (T0 + NEV / 2 * 370LL) * US + 1, "Authorize", "csms",
			NULL, d };

		ck_assert_int_eq(twin_db_add(&db, &e, &id), TWIN_LATE);
		mem[n].id = id;
		mem[n].at = e.at;
		mem[n].type = e.type;
		mem[n].data = d;
		data[n++] = d;
		st = stored_state(station);
		full = twin_replay(TWIN_STATION, NULL, mem, (size_t)n, 0x7fffffffffffffffLL);
		state_equal(st, full, "a late event after the rebuild");
		json_decref(full);
		json_decref(st);
	}
	/* The asset panel shows the state without the fold's working memory. */
	{
		struct asset as;

		ck_assert_int_eq(asset_get(&db, station, &as), 0);
		ck_assert_ptr_nonnull(as.state);
		ck_assert_ptr_nonnull(strstr(as.state, "\"counters\""));
		ck_assert_ptr_null(strstr(as.state, "_buckets"));
		asset_free(&as);
		ck_assert_int_eq(asset_get(&db, connector, &as), 0);
		ck_assert_ptr_null(as.state);	/* no events yet: no state */
		asset_free(&as);
	}
	for (i = 0; i < n; i++)
		json_decref(data[i]);
	free(data);
	free(mem);
	free(at);
}
END_TEST

/* A connector's state and an unknown asset. */
START_TEST(test_connector_and_errors)
{
	json_t *d = json_pack("{s:s, s:s}", "status", "Charging", "errorCode", "NoError"), *st;
	struct twin_db_event e = { connector, T0 * US, "StatusNotification", "csms", "s1", d };
	long long id;

	ck_assert_int_eq(twin_db_add(&db, &e, &id), TWIN_FOLDED);
	st = twin_db_state(&db, connector, -1);
	ck_assert_str_eq(json_string_value(json_object_get(st, "status")), "Charging");
	json_decref(st);
	/* The same key from another source is another event. */
	e.source = "other";
	ck_assert_int_eq(twin_db_add(&db, &e, &id), TWIN_FOLDED);
	e.asset_id = 999999;
	ck_assert_int_eq(twin_db_add(&db, &e, &id), -1);
	ck_assert_ptr_nonnull(strstr(db.errmsg, "no such asset"));
	ck_assert_ptr_null(twin_db_state(&db, 999999, -1));
	e.asset_id = connector;
	e.type = NULL;
	ck_assert_int_eq(twin_db_add(&db, &e, &id), -1);
	json_decref(d);
}
END_TEST

static Suite *
twin_db_suite(void)
{
	Suite *s = suite_create("twin_db");
	TCase *tc = tcase_create("db");

	tcase_add_unchecked_fixture(tc, setup_once, teardown_once);
	tcase_add_test(tc, test_add_late_duplicate_as_of);
	tcase_add_test(tc, test_connector_and_errors);
	tcase_set_timeout(tc, 300);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(twin_db_suite());
	int failed;

	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
