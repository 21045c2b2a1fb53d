/* twin_bench.c: the twin's database path on one station with a long
 * history (run by bench/twin_bench.sh; needs a migrated database in
 * VSOC_DB that it may fill).
 *
 *   twin_bench [EVENTS]      default 100,000
 *
 * Loads EVENTS events in one INSERT ... SELECT, folds them with the bulk
 * path (twin_db_rebuild), then times: twin_db_add in order, twin_db_add
 * late (a re-fold from a snapshot), the state now, the state as of random
 * moments, and timeline pages at random depths.  Prints median and max. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db.h"
#include "migrate.h"
#include "rng.h"
#include "twin.h"
#include "twin_db.h"
#include "twin_query.h"

#define T0	1764547200LL
#define US	1000000LL
#define REPS	200

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
report(const char *what, double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, dcmp);
	printf("%-34s median %8.3f ms  max %8.3f ms  (%d runs)\n", what, v[n / 2], v[n - 1], n);
}

static void
die(struct db *db, const char *what)
{
	fprintf(stderr, "twin_bench: %s: %s\n", what, db->errmsg);
	exit(1);
}

int
main(int argc, char **argv)
{
	long long n = argc > 1 ? atoll(argv[1]) : 100000, id, sid;
	static double t[REPS];
	struct db db;
	struct rng r;
	char ns[24], sids[24];
	const char *p[2] = { ns, sids };
	PGresult *res;
	double t0;
	long folded;
	int i;

	if (n < 1000)
		n = 1000;
	if (db_connect(&db, NULL) < 0 || migrate_apply(&db, NULL, NULL) < 0)
		die(&db, "connect");
	if (db_command(&db, "INSERT INTO assets (kind, external_id) VALUES ('station', 'BENCH-1')"
	    " ON CONFLICT DO NOTHING", 0, NULL) < 0)
		die(&db, "asset");
	res = db_query(&db, "SELECT id FROM assets WHERE external_id = 'BENCH-1'", 0, NULL);
	if (res == NULL)
		die(&db, "asset id");
	sid = atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	snprintf(ns, sizeof ns, "%lld", n);
	snprintf(sids, sizeof sids, "%lld", sid);
	t0 = now_ms();
	/* A station's mix: heartbeats, remote starts, authorizations, a boot
	 * a day with a firmware change now and then, security events. */
	if (db_command(&db, "INSERT INTO asset_events (asset_id, occurred_at, kind, source, data)"
	    " SELECT $2::bigint, timestamptz '2025-12-01' + g * interval '30 seconds',"
	    " (ARRAY['Heartbeat','Heartbeat','Heartbeat','RemoteStartTransaction','Authorize',"
	    "'SecurityEventNotification','ChangeConfiguration','BootNotification'])[1 + g % 8],"
	    " 'csms', CASE g % 8 WHEN 4 THEN '{\"idTagInfo\": {\"status\": \"Invalid\"}}'::jsonb"
	    " WHEN 5 THEN '{\"type\": \"InvalidMessages\"}'::jsonb"
	    " WHEN 6 THEN jsonb_build_object('key', 'HeartbeatInterval', 'value', (g % 600)::text,"
	    " 'status', 'Accepted')"
	    " WHEN 7 THEN jsonb_build_object('chargePointVendor', 'Voltara', 'chargePointModel',"
	    " 'VX', 'firmwareVersion', '1.' || (g / 20000)) ELSE '{}'::jsonb END"
	    " FROM generate_series(1, $1::bigint) g", 2, p) < 0)
		die(&db, "load");
	printf("loaded %lld events in %.0f ms\n", n, now_ms() - t0);
	t0 = now_ms();
	if (db_begin(&db) < 0 || twin_db_rebuild(&db, sid, &folded) < 0 || db_commit(&db) < 0)
		die(&db, "rebuild");
	printf("bulk fold (twin_db_rebuild): %ld events in %.0f ms (%.0f events/s)\n", folded,
	    now_ms() - t0, folded / ((now_ms() - t0) / 1e3));
	db_command(&db, "ANALYZE asset_events, asset_snapshots, asset_state", 0, NULL);

	rng_seed(&r, 1);
	for (i = 0; i < REPS; i++) {
		json_t *d = json_object();
		struct twin_db_event e = { sid, (T0 + (n + 1 + i) * 30LL) * US, "Heartbeat", "csms",
			NULL, d };

		t0 = now_ms();
		if (twin_db_add(&db, &e, &id) != TWIN_FOLDED)
			die(&db, "add");
		t[i] = now_ms() - t0;
		json_decref(d);
	}
	report("add one event (in order)", t, REPS);
	for (i = 0; i < REPS / 4; i++) {
		json_t *d = json_object();
		struct twin_db_event e = { sid, (T0 + (long long)rng_below(&r, (uint64_t)n) * 30LL)
			* US + 7, "RemoteStartTransaction", "csms", NULL, d };

		t0 = now_ms();
		if (twin_db_add(&db, &e, &id) < 0)
			die(&db, "add late");
		t[i] = now_ms() - t0;
		json_decref(d);
	}
	report("add one late event (re-fold)", t, REPS / 4);
	for (i = 0; i < REPS; i++) {
		json_t *st;

		t0 = now_ms();
		if ((st = twin_db_state(&db, sid, -1)) == NULL)
			die(&db, "state");
		t[i] = now_ms() - t0;
		json_decref(st);
	}
	report("state now", t, REPS);
	for (i = 0; i < REPS; i++) {
		json_t *st;
		long long at = (T0 + (long long)rng_below(&r, (uint64_t)n) * 30LL) * US;

		t0 = now_ms();
		if ((st = twin_db_state(&db, sid, at)) == NULL)
			die(&db, "state as of");
		t[i] = now_ms() - t0;
		json_decref(st);
	}
	report("state as of a random moment", t, REPS);
	for (i = 0; i < REPS; i++) {
		struct twin_page_query q;
		json_t *ev;
		char next[64];

		memset(&q, 0, sizeof q);
		q.asset_id = sid;
		q.limit = 50;
		q.has_after = i > 0;
		q.after_at = (T0 + (long long)rng_below(&r, (uint64_t)n) * 30LL) * US;
		q.after_id = 0x7fffffffffffffffLL;
		t0 = now_ms();
		if (twin_timeline_page(&db, &q, &ev, next, sizeof next) < 0)
			die(&db, "page");
		t[i] = now_ms() - t0;
		json_decref(ev);
	}
	report("timeline page of 50 at any depth", t, REPS);
	db_disconnect(&db);
	return 0;
}
