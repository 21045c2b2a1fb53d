/* demo.c: the deterministic demo fleet behind `vsoc demo seed`.
 *
 * Everything is drawn from xoshiro256** streams derived from --seed, and
 * every timestamp from --now, so the same options give the same rows (ids
 * included) on every machine.  The fleet and the alerts use separate
 * streams: changing --alerts does not change the fleet.
 *
 * Rows go in through COPY FROM STDIN (text format) in one transaction.
 * The big tables (alerts, notes, incident_alerts) load bare: their
 * secondary indexes and foreign keys are dropped and the triggers the seed
 * stands in for disabled, then all of it is put back once over the loaded
 * rows, from definitions read back from the catalog (demo_load.c): the
 * schema stays the one source of truth, and nothing is committed unless
 * all of it succeeded.
 *
 * The parts are listed in demo_int.h. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "analyst.h"
#include "audit.h"
#include "db.h"
#include "demo.h"
#include "demo_incidents.h"
#include "demo_int.h"
#include "rng.h"
#include "strbuf.h"
#include "twin_db.h"

void
demo_opts_init(struct demo_opts *o)
{
	time_t now = time(NULL);

	memset(o, 0, sizeof *o);
	o->seed = 1;
	o->sites = 3;
	o->stations = 200;
	o->vehicles = 500;
	o->alerts = 5000;
	o->now = now - now % 60;
}

/* --- the transaction ------------------------------------------------- */

/* Before the indexes come back (the table loaded, nothing to maintain
 * yet): link escalated alerts to their incidents and assets. */
static const char *const link_sql[] = {
	"INSERT INTO incident_alerts (incident_id, alert_id, added_by, added_at)"
	" SELECT incident_id, id, assignee_id, updated_at FROM alerts"
	" WHERE incident_id IS NOT NULL",
	"INSERT INTO incident_assets (incident_id, asset_id)"
	" SELECT DISTINCT incident_id, asset_id FROM alerts WHERE incident_id IS NOT NULL",
};

/* After: date the incidents by their alerts, bring every sequence past
 * the ids we chose ourselves, and give the planner fresh statistics. */
static const char *const post_sql[] = {
	/* The acknowledgement moves with the start: same delay. */
	"UPDATE incidents i SET created_at = least(i.created_at, a.first),"
	" acknowledged_at = i.acknowledged_at - (i.created_at - least(i.created_at, a.first)),"
	" updated_at = greatest(i.updated_at, a.last), severity = greatest(i.severity, a.sev)"
	" FROM (SELECT incident_id, min(first_seen) AS first, max(updated_at) AS last,"
	" max(severity) AS sev FROM alerts WHERE incident_id IS NOT NULL GROUP BY 1) a"
	" WHERE a.incident_id = i.id",
	"SELECT setval(pg_get_serial_sequence('assets', 'id'), coalesce(max(id), 0) + 1, false) FROM assets",
	"SELECT setval(pg_get_serial_sequence('asset_events', 'id'), coalesce(max(id), 0) + 1, false) FROM asset_events",
	"SELECT setval(pg_get_serial_sequence('alerts', 'id'), coalesce(max(id), 0) + 1, false) FROM alerts",
	"SELECT setval(pg_get_serial_sequence('incidents', 'id'), coalesce(max(id), 0) + 1, false) FROM incidents",
	"SELECT setval(pg_get_serial_sequence('notes', 'id'), coalesce(max(id), 0) + 1, false) FROM notes",
	"ANALYZE assets, asset_events, asset_state, incidents, alerts, incident_alerts,"
	" incident_assets, notes, alert_counts",
};

static double
mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
demo_audit(struct db *db, const struct demo_opts *o, const struct demo_stats *st)
{
	json_t *d;
	char ts[32], seed[32];
	long long rc;

	demo_ts_format(ts, o->now, true);
	snprintf(seed, sizeof seed, "%" PRIu64, o->seed);
	d = json_pack("{s:s, s:i, s:i, s:i, s:I, s:s, s:I, s:I}", "seed", seed,
	    "sites", o->sites, "stations", o->stations, "vehicles", o->vehicles,
	    "alerts", (json_int_t)o->alerts, "now", ts, "assets", (json_int_t)st->assets,
	    "incidents", (json_int_t)st->incidents);
	rc = audit_append(db, "demo.seed", "database", 0, NULL, 0, d);
	json_decref(d);
	return rc < 0 ? -1 : 0;
}

static int
demo_run(struct gen *g, struct db *db, struct demo_stats *st)
{
	const struct demo_opts *o = g->o;
	struct bulk bulk = { { NULL, 0 }, 0, 0, 0, 0, 0 };
	PGresult *res;
	bool has_alerts, has_assets;
	int i, rc = -1;

	/* It drops and rebuilds indexes and creates login roles: the DBA's. */
	switch (analyst_is_dba(db)) {
	case -1:
		return -1;
	case 0:
		db_set_error(db, "demo seed needs the DBA (a PostgreSQL superuser or a"
		    " member of vsoc_owner), not an analyst's login; hint: run it as the"
		    " user who ran vsoc db migrate");
		return -1;
	}
	/* Bulk-load settings, for this transaction only.  The audit-required
	 * checks run at once (they pass for the DBA): deferred, they would
	 * block the index and key rebuilds below ("pending trigger events").
	 * Index builds sort in memory, and a trigram index over every alert
	 * merges far fewer runs with a large maintenance_work_mem. */
	if (demo_exec(db, "SET CONSTRAINTS ALL IMMEDIATE") < 0 ||
	    demo_exec(db, "SET LOCAL synchronous_commit = off") < 0 ||
	    demo_exec(db, "SET LOCAL maintenance_work_mem = '1GB'") < 0 ||
	    demo_exec(db, "SET LOCAL work_mem = '64MB'") < 0 ||
	    demo_exec(db, "LOCK TABLE assets, alerts, notes, incident_alerts"
	    " IN ACCESS EXCLUSIVE MODE") < 0)
		return -1;
	res = db_query(db, "SELECT EXISTS (SELECT 1 FROM alerts) AS alerts,"
	    " EXISTS (SELECT 1 FROM assets) AS assets", 0, NULL);
	if (res == NULL)
		return -1;
	has_alerts = db_bool(res, 0, "alerts");
	has_assets = db_bool(res, 0, "assets");
	PQclear(res);
	if (has_alerts || has_assets) {
		db_set_error(db, "the database already has %s: demo seed only fills an empty"
		    " database (use a fresh database, or scripts/pg destroy and start again)",
		    has_alerts ? "alerts" : "assets");
		return -1;
	}
	if (roles_setup(g, db) < 0)
		return -1;
	if ((g->inc_base = demo_query_ll(db, "SELECT max(id) FROM incidents", 0, NULL)) < 0 ||
	    (g->note_base = demo_query_ll(db, "SELECT max(id) FROM notes", 0, NULL)) < 0)
		return -1;
	g->alert_base = 0;

	if (o->progress)
		o->progress("assets", 0, 1, o->arg);
	if (fleet_assets_copy(db, g->f, o->now) < 0)
		return -1;
	{
		long long eb = demo_query_ll(db, "SELECT max(id) FROM asset_events",
		    0, NULL);

		long folded;

		/* The states come from the events through the twin's folds,
		 * the one path the ingest uses too. */
		if (eb < 0 || fleet_events_copy(db, g->f, o->seed, o->now, eb, &st->events) < 0 ||
		    twin_db_rebuild(db, 0, &folded) < 0)
			return -1;
	}
	if (history_incidents_copy(g, db) < 0)
		return -1;

	/* The big tables load bare; see demo_load.c. */
	if (bulk_begin(db, "{alerts,notes,incident_alerts}", &bulk) < 0)
		goto out;
	if (alerts_copy(g, db, &st->alerts) < 0)
		goto out;
	if (history_notes_copy(g, db) < 0)
		goto out;
	for (i = 0; i < (int)(sizeof link_sql / sizeof link_sql[0]); i++)
		if (db_command(db, link_sql[i], 0, NULL) < 0)
			goto out;
	if (bulk_restore_indexes(db, &bulk, o) < 0)
		goto out;
	for (i = 0; i < (int)(sizeof post_sql / sizeof post_sql[0]); i++)
		if (db_command(db, post_sql[i], 0, NULL) < 0)
			goto out;
	st->notes = g->nnotes;
	/* With the indexes back but the load's triggers still off: their
	 * changes are in the one notice and the counts bulk_end() gives. */
	if (demo_incidents(db, g->analysts[0]) < 0 || demo_candidates(db, o->now) < 0 ||
	    bulk_end(db, &bulk, o) < 0 || demo_audit(db, o, st) < 0)
		goto out;
	rc = 0;
out:
	bulk_free(&bulk);
	return rc;
}

int
demo_seed(struct db *db, const struct demo_opts *o, struct demo_stats *st)
{
	struct fleet f;
	struct gen *g;
	double t0 = mono_now();
	int rc;

	memset(st, 0, sizeof *st);
	if (o->sites < 1 || o->sites > DEMO_MAX_SITES || o->stations < 1 ||
	    o->stations > DEMO_MAX_STATIONS || o->vehicles < 1 ||
	    o->vehicles > DEMO_MAX_VEHICLES || o->alerts < 1 || o->alerts > DEMO_MAX_ALERTS) {
		db_set_error(db, "demo seed: option out of range");
		return -1;
	}
	fleet_build(&f, o);
	g = xcalloc(1, sizeof *g);
	g->o = o;
	g->f = &f;
	rng_seed(&g->r, o->seed ^ UINT64_C(0xa1e27));
	alerts_gen_init(g);
	g->nincidents = (int)(5 + o->alerts / 1000 > 1000 ? 1000 : 5 + o->alerts / 1000);

	st->sites = f.nsites;
	st->stations = f.nstations;
	st->connectors = f.connectors;
	st->vehicles = f.nvehicles;
	st->ecus = f.ecus;
	st->app_users = f.nusers;
	st->services = FLEET_N_SERVICES;
	st->rollouts = FLEET_N_ROLLOUTS;
	st->assets = f.assets;
	st->incidents = g->nincidents;

	rc = db_begin(db);
	if (rc == 0) {
		rc = demo_run(g, db, st);
		if (rc == 0)
			rc = db_commit(db);
		else
			db_rollback(db);
	}
	st->seconds = mono_now() - t0;

	alerts_gen_free(g);
	free(g->notes.buf);
	free(g);
	fleet_free(&f);
	return rc;
}
