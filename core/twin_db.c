/* twin_db.c: the twin's events, states and snapshots in PostgreSQL.
 *
 * Times cross the wire as microseconds since the epoch, both ways, so
 * the fold sees exactly what the database orders by: TS_PARAM turns a
 * bigint parameter into a timestamptz, US_COL a timestamptz column into
 * a bigint, neither through floating point. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "twin.h"
#include "twin_db.h"

#define TS_PARAM(n)	"('epoch'::timestamptz + $" #n "::bigint * interval '1 microsecond')"
#define US_COL(c)	"(extract(epoch FROM " c ") * 1000000)::bigint"
/* Rows read at a time from a timeline: memory stays bounded whatever the
 * history's length.  FETCH_ROWS_S is the same number inside SQL text. */
#define FETCH_ROWS	1000
#define FETCH_ROWS_S	"1000"
/* States and snapshots written per statement by the bulk path. */
#define BULK_ROWS	500

static const char twin_kinds[] = "{station,connector,vehicle,ecu,app_user,ota_rollout}";

static json_t *
parse_obj(const char *text)
{
	json_t *v = text != NULL ? json_loads(text, 0, NULL) : NULL;

	if (!json_is_object(v)) {
		json_decref(v);
		v = json_object();
	}
	return v;
}

static int
write_snapshot(struct db *db, long long asset_id, const json_t *state)
{
	char aid[24], at[24], eid[24];
	char *js = json_dumps(state, JSON_COMPACT);
	long long a, i;
	const char *p[4] = { aid, at, eid, js };
	long n;

	twin_state_key(state, &a, &i);
	snprintf(aid, sizeof aid, "%lld", asset_id);
	snprintf(at, sizeof at, "%lld", a);
	snprintf(eid, sizeof eid, "%lld", i);
	n = db_command(db, "INSERT INTO asset_snapshots (asset_id, as_of, event_id, state)"
	    " VALUES ($1, " TS_PARAM(2) ", $3, $4::jsonb)"
	    " ON CONFLICT (asset_id, as_of, event_id) DO UPDATE SET state = excluded.state",
	    4, p);
	free(js);
	return n < 0 ? -1 : 0;
}

static int
write_state(struct db *db, long long asset_id, const json_t *state)
{
	char aid[24], at[24], eid[24];
	char *js = json_dumps(state, JSON_COMPACT);
	long long a = 0, i = 0;
	const char *p[4] = { aid, at, eid, js };
	long n;

	twin_state_key(state, &a, &i);
	snprintf(aid, sizeof aid, "%lld", asset_id);
	snprintf(at, sizeof at, "%lld", a);
	snprintf(eid, sizeof eid, "%lld", i);
	n = db_command(db, "INSERT INTO asset_state (asset_id, state, as_of, event_id, updated_at)"
	    " VALUES ($1, $4::jsonb, " TS_PARAM(2) ", $3, now())"
	    " ON CONFLICT (asset_id) DO UPDATE SET state = excluded.state,"
	    " as_of = excluded.as_of, event_id = excluded.event_id, updated_at = now()", 4, p);
	free(js);
	return n < 0 ? -1 : 0;
}

#define EVENT_COLS "id, " US_COL("occurred_at") " AS at, kind AS type, data::text AS data"

/* Before any event: the start of a replay without a snapshot (year 69,
 * well inside timestamptz). */
#define TWIN_BEGINNING	(-60000000000000000LL)

/* Fold the asset's events after (after_at, after_id) and at or before
 * until_us (< TWIN_BEGINNING: no bound) into state, FETCH_ROWS at a time
 * by keyset on (occurred_at, id): each page is a range scan of
 * asset_events_asset_time_idx, and memory stays bounded whatever the
 * history's length.  Snapshots are written when due if asked. */
static int
fold_range(struct db *db, enum twin_kind k, json_t *state, long long asset_id,
    bool snapshots, long long after_at, long long after_id, long long until_us)
{
	char aid[24], at[24], id[24], until[24];
	const char *p[4] = { aid, at, id, until_us >= TWIN_BEGINNING ? until : NULL };

	snprintf(aid, sizeof aid, "%lld", asset_id);
	snprintf(until, sizeof until, "%lld", until_us);
	for (;;) {
		PGresult *res;
		int i, n;

		snprintf(at, sizeof at, "%lld", after_at);
		snprintf(id, sizeof id, "%lld", after_id);
		res = db_query(db, "SELECT " EVENT_COLS " FROM asset_events WHERE asset_id = $1"
		    " AND (occurred_at, id) > (" TS_PARAM(2) ", $3::bigint)"
		    " AND ($4::bigint IS NULL OR occurred_at <= " TS_PARAM(4) ")"
		    " ORDER BY occurred_at, id LIMIT " FETCH_ROWS_S, 4, p);
		if (res == NULL)
			return -1;
		n = PQntuples(res);
		for (i = 0; i < n; i++) {
			json_t *d = parse_obj(db_value(res, i, "data"));
			struct twin_event ev = { db_ll(res, i, "id"), db_ll(res, i, "at"),
				db_value(res, i, "type"), d };

			if (twin_fold(k, state, &ev) == TWIN_FOLDED && snapshots &&
			    twin_snapshot_due(state) && write_snapshot(db, asset_id, state) < 0) {
				json_decref(d);
				PQclear(res);
				return -1;
			}
			json_decref(d);
			after_at = ev.at;
			after_id = ev.id;
		}
		PQclear(res);
		if (n < FETCH_ROWS)
			return 0;
	}
}


/* A late event: drop the snapshots after it, start again from the one
 * before it, and fold every event after that one. */
static json_t *
refold(struct db *db, enum twin_kind k, long long asset_id, long long at, long long id)
{
	char aid[24], sat[24], sid[24];
	const char *p[3] = { aid, sat, sid };
	PGresult *res;
	json_t *st;
	long long from_at = TWIN_BEGINNING, from_id = 0;
	int rc;

	snprintf(aid, sizeof aid, "%lld", asset_id);
	snprintf(sat, sizeof sat, "%lld", at);
	snprintf(sid, sizeof sid, "%lld", id);
	if (db_command(db, "DELETE FROM asset_snapshots WHERE asset_id = $1"
	    " AND (as_of, event_id) > (" TS_PARAM(2) ", $3)", 3, p) < 0)
		return NULL;
	res = db_query(db, "SELECT state::text AS state, " US_COL("as_of") " AS at, event_id"
	    " FROM asset_snapshots WHERE asset_id = $1 AND (as_of, event_id) < (" TS_PARAM(2)
	    ", $3) ORDER BY as_of DESC, event_id DESC LIMIT 1", 3, p);
	if (res == NULL)
		return NULL;
	if (PQntuples(res) == 1) {
		st = parse_obj(db_value(res, 0, "state"));
		from_at = db_ll(res, 0, "at");
		from_id = db_ll(res, 0, "event_id");
	} else {
		/* Fewer than TWIN_SNAPSHOT_EVERY events before it. */
		st = twin_state_new();
	}
	PQclear(res);
	rc = fold_range(db, k, st, asset_id, true, from_at, from_id, TWIN_BEGINNING - 1);
	if (rc < 0) {
		json_decref(st);
		return NULL;
	}
	return st;
}

static int
add_in_tx(struct db *db, const struct twin_db_event *e, long long *event_id)
{
	char aid[24], at[24];
	char *js = e->data != NULL ? json_dumps(e->data, JSON_COMPACT) : NULL;
	const char *p[6] = { aid, at, e->type, e->source, e->source_key, js != NULL ? js : "{}" };
	const char *p1[1] = { aid };
	PGresult *res;
	json_t *st = NULL;
	struct twin_event ev;
	int kind, r, rc = -1;

	snprintf(aid, sizeof aid, "%lld", e->asset_id);
	snprintf(at, sizeof at, "%lld", e->at);
	/* The asset's row lock orders concurrent writers of one timeline. */
	res = db_query(db, "SELECT a.kind, s.state::text AS state FROM assets a"
	    " LEFT JOIN asset_state s ON s.asset_id = a.id WHERE a.id = $1"
	    " FOR NO KEY UPDATE OF a", 1, p1);
	if (res == NULL)
		goto out;
	if (PQntuples(res) != 1) {
		PQclear(res);
		db_set_error(db, "asset %lld: no such asset", e->asset_id);
		goto out;
	}
	kind = twin_kind_parse(db_value(res, 0, "kind"));
	st = parse_obj(db_value(res, 0, "state"));
	PQclear(res);
	res = db_query(db, "INSERT INTO asset_events (asset_id, occurred_at, kind, source,"
	    " source_key, data) VALUES ($1, " TS_PARAM(2) ", $3, $4, $5, $6::jsonb)"
	    " ON CONFLICT (asset_id, source, source_key) WHERE source_key IS NOT NULL"
	    " DO NOTHING RETURNING id", 6, p);
	if (res == NULL)
		goto out;
	if (PQntuples(res) == 0) {
		PQclear(res);
		*event_id = 0;
		rc = TWIN_DUPLICATE;
		goto out;
	}
	*event_id = db_ll(res, 0, "id");
	PQclear(res);
	if (kind < 0) {		/* a site or a service: a timeline, no twin */
		rc = TWIN_FOLDED;
		goto out;
	}
	ev.id = *event_id;
	ev.at = e->at;
	ev.type = e->type;
	ev.data = e->data;
	r = twin_fold((enum twin_kind)kind, st, &ev);
	if (r == TWIN_LATE) {
		json_decref(st);
		if ((st = refold(db, (enum twin_kind)kind, e->asset_id, e->at, *event_id)) == NULL)
			goto out;
	} else if (twin_snapshot_due(st) && write_snapshot(db, e->asset_id, st) < 0) {
		goto out;
	}
	if (write_state(db, e->asset_id, st) < 0)
		goto out;
	rc = r;
out:
	json_decref(st);
	free(js);
	return rc;
}

int
twin_db_add(struct db *db, const struct twin_db_event *e, long long *event_id)
{
	int rc;

	*event_id = 0;
	if (e->type == NULL || e->source == NULL) {
		db_set_error(db, "twin event: a type and a source are required");
		return -1;
	}
	if (db_begin(db) < 0)
		return -1;
	rc = add_in_tx(db, e, event_id);
	if (rc < 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db) < 0 ? -1 : rc;
}

json_t *
twin_db_state(struct db *db, long long asset_id, long long at_us)
{
	char aid[24], at[24];
	const char *p[2] = { aid, at };
	PGresult *res;
	json_t *st;
	long long cur_at = 0, cur_id = 0;
	int kind;

	snprintf(aid, sizeof aid, "%lld", asset_id);
	res = db_query(db, "SELECT a.kind, s.state::text AS state FROM assets a"
	    " LEFT JOIN asset_state s ON s.asset_id = a.id WHERE a.id = $1", 1, p);
	if (res == NULL)
		return NULL;
	if (PQntuples(res) != 1) {
		PQclear(res);
		db_set_error(db, "asset %lld: no such asset", asset_id);
		return NULL;
	}
	kind = twin_kind_parse(db_value(res, 0, "kind"));
	st = parse_obj(db_value(res, 0, "state"));
	PQclear(res);
	/* Now, or a moment at or after the last event: the stored state. */
	if (kind < 0 || at_us < 0 || (twin_state_key(st, &cur_at, &cur_id) && at_us >= cur_at))
		return st;
	json_decref(st);
	if (at_us <= TWIN_BEGINNING)	/* before anything a timeline holds */
		return twin_state_new();
	snprintf(at, sizeof at, "%lld", at_us);
	res = db_query(db, "SELECT state::text AS state, " US_COL("as_of") " AS at, event_id"
	    " FROM asset_snapshots WHERE asset_id = $1 AND as_of <= " TS_PARAM(2)
	    " ORDER BY as_of DESC, event_id DESC LIMIT 1", 2, p);
	if (res == NULL)
		return NULL;
	cur_at = TWIN_BEGINNING;
	cur_id = 0;
	if (PQntuples(res) == 1) {
		st = parse_obj(db_value(res, 0, "state"));
		cur_at = db_ll(res, 0, "at");
		cur_id = db_ll(res, 0, "event_id");
	} else {
		/* None yet: fewer than TWIN_SNAPSHOT_EVERY events before it. */
		st = twin_state_new();
	}
	PQclear(res);
	if (fold_range(db, (enum twin_kind)kind, st, asset_id, false, cur_at, cur_id, at_us) < 0)
		goto fail;
	return st;
fail:
	json_decref(st);
	return NULL;
}

/* --- the bulk path ---------------------------------------------------- */

struct bulk_out {
	json_t	*states, *snaps;
};

static int
bulk_flush(struct db *db, struct bulk_out *b, bool all)
{
	static const char *const sql[2] = {
		"INSERT INTO asset_state (asset_id, state, as_of, event_id, updated_at)"
		" SELECT (r->>'a')::bigint, r->'s', ('epoch'::timestamptz + (r->>'t')::bigint"
		" * interval '1 microsecond'), (r->>'i')::bigint, now()"
		" FROM jsonb_array_elements($1::jsonb) r"
		" ON CONFLICT (asset_id) DO UPDATE SET state = excluded.state,"
		" as_of = excluded.as_of, event_id = excluded.event_id, updated_at = now()",
		"INSERT INTO asset_snapshots (asset_id, as_of, event_id, state)"
		" SELECT (r->>'a')::bigint, ('epoch'::timestamptz + (r->>'t')::bigint"
		" * interval '1 microsecond'), (r->>'i')::bigint, r->'s'"
		" FROM jsonb_array_elements($1::jsonb) r"
		" ON CONFLICT (asset_id, as_of, event_id) DO UPDATE SET state = excluded.state",
	};
	json_t *arr[2] = { b->states, b->snaps };
	int i;

	for (i = 0; i < 2; i++) {
		char *js;
		long n;

		if (json_array_size(arr[i]) == 0 || (!all && json_array_size(arr[i]) < BULK_ROWS))
			continue;
		js = json_dumps(arr[i], JSON_COMPACT);
		n = db_command(db, sql[i], 1, (const char *const *)&js);
		free(js);
		if (n < 0)
			return -1;
		json_array_clear(arr[i]);
	}
	return 0;
}

static void
bulk_push(json_t *arr, long long asset_id, const json_t *state)
{
	long long at = 0, id = 0;

	twin_state_key(state, &at, &id);
	/* A copy: the fold goes on changing state after a snapshot is taken. */
	json_array_append_new(arr, json_pack("{s:I, s:I, s:I, s:o}", "a", (json_int_t)asset_id,
	    "t", (json_int_t)at, "i", (json_int_t)id, "s", json_deep_copy(state)));
}

int
twin_db_rebuild(struct db *db, long long asset_id, long *nevents)
{
	char aid[24];
	const char *p[2] = { aid, twin_kinds };
	struct bulk_out b = { json_array(), json_array() };
	json_t *st = NULL;
	long long cur = 0;
	int kind = -1, rc = -1;

	*nevents = 0;
	snprintf(aid, sizeof aid, "%lld", asset_id);
	if (db_command(db, "DELETE FROM asset_snapshots WHERE $1::bigint = 0 OR asset_id = $1",
	    1, p) < 0)
		goto out;
	if (db_command(db, "DECLARE twin_all NO SCROLL CURSOR FOR SELECT e.asset_id, a.kind"
	    " AS asset_kind, e.id, " US_COL("e.occurred_at") " AS at, e.kind AS type,"
	    " e.data::text AS data FROM asset_events e JOIN assets a ON a.id = e.asset_id"
	    " WHERE a.kind = ANY ($2::text[]) AND ($1::bigint = 0 OR e.asset_id = $1)"
	    " ORDER BY e.asset_id, e.occurred_at, e.id", 2, p) < 0)
		goto out;
	for (;;) {
		PGresult *res = db_query(db, "FETCH 10000 FROM twin_all", 0, NULL);
		int i, n;

		if (res == NULL)
			goto out;
		n = PQntuples(res);
		for (i = 0; i < n; i++) {
			long long a = db_ll(res, i, "asset_id");
			json_t *d;
			struct twin_event ev;

			if (st == NULL || a != cur) {
				if (st != NULL)
					bulk_push(b.states, cur, st);
				json_decref(st);
				st = twin_state_new();
				cur = a;
				kind = twin_kind_parse(db_value(res, i, "asset_kind"));
			}
			d = parse_obj(db_value(res, i, "data"));
			ev.id = db_ll(res, i, "id");
			ev.at = db_ll(res, i, "at");
			ev.type = db_value(res, i, "type");
			ev.data = d;
			if (twin_fold((enum twin_kind)kind, st, &ev) == TWIN_FOLDED &&
			    twin_snapshot_due(st))
				bulk_push(b.snaps, cur, st);
			json_decref(d);
			(*nevents)++;
		}
		PQclear(res);
		if (bulk_flush(db, &b, false) < 0)
			goto out;
		if (n == 0)
			break;
	}
	if (st != NULL)
		bulk_push(b.states, cur, st);
	if (bulk_flush(db, &b, true) < 0 || db_command(db, "CLOSE twin_all", 0, NULL) < 0)
		goto out;
	rc = 0;
out:
	json_decref(st);
	json_decref(b.states);
	json_decref(b.snaps);
	return rc;
}
