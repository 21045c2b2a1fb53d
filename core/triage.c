/* triage.c: analyst actions on alerts.
 *
 * Every action has the same shape, written once in triage_once():
 *
 *   BEGIN
 *   resolve what the action points at (assign: the analyst; escalate: an
 *       existing incident, locked)
 *   lock the alerts in id order
 *   check every alert: it exists, its version is the one the analyst saw,
 *       its status allows the action, and the action's own rule (take:
 *       nobody else owns it)
 *   apply: one set-based statement for the alerts that change
 *   one audit record listing every alert touched
 *   COMMIT
 *
 * What differs between actions is data in triage_specs[] (the statuses an
 * action applies to, the reason it needs, its SET clause) plus a few small
 * hooks.  Any failed check rolls the whole action back.
 *
 * The run is here; the actions' table and hooks are in triage_actions.c,
 * checking a request in triage_validate.c, and the audit record and the
 * analyst's message in triage_message.c (shared through triage_int.h).
 *
 * Locking runs in READ COMMITTED: SELECT ... FOR UPDATE waits for a
 * concurrent writer and then returns the row as that writer committed it,
 * so the checks see the latest state.  That is what makes take atomic: the
 * second taker wakes up to an alert that has an owner, and gets a conflict
 * naming it.  Locking in id order means two bulk actions on overlapping
 * sets queue behind each other instead of deadlocking. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "analyst.h"
#include "audit.h"
#include "db.h"
#include "model.h"
#include "strbuf.h"
#include "triage.h"
#include "triage_int.h"

/* The lock statements.  Suppress also locks the open alerts its
 * suppressions will cover, in the same id-ordered pass, so it never holds
 * some locks while waiting for others out of order.  Only alerts are
 * locked (no join): after waiting, PostgreSQL re-reads the locked row but
 * not a joined one, so an assignee's name is looked up afterwards. */
#define LOCK_COLS \
	"SELECT id, status, version, coalesce(assignee_id, 0) AS assignee_id," \
	" rule_id, asset_id, severity, coalesce(incident_id, 0) AS incident_id," \
	" title, disposition"
#define LOCK_TAIL	" ORDER BY id FOR UPDATE"
#define EVIDENCE(t)	t ".evidence #>> string_to_array($2, '.')"

static const char lock_plain_sql[] =
	LOCK_COLS " FROM alerts WHERE id = ANY($1::bigint[])" LOCK_TAIL;
static const char lock_asset_sql[] =
	LOCK_COLS " FROM alerts WHERE id IN ("
	" SELECT unnest($1::bigint[])"
	" UNION SELECT m.id FROM alerts s JOIN alerts m"
	"  ON m.rule_id = s.rule_id AND m.asset_id = s.asset_id"
	"  WHERE s.id = ANY($1::bigint[]) AND m.status IN ('new', 'acknowledged'))"
	LOCK_TAIL;
static const char lock_evidence_sql[] =
	LOCK_COLS ", " EVIDENCE("alerts") " AS evidence_value"
	" FROM alerts WHERE id IN ("
	" SELECT unnest($1::bigint[])"
	" UNION SELECT m.id FROM alerts s JOIN alerts m"
	"  ON m.rule_id = s.rule_id AND " EVIDENCE("m") " = " EVIDENCE("s")
	"  WHERE s.id = ANY($1::bigint[]) AND m.status IN ('new', 'acknowledged'))"
	LOCK_TAIL;

/* --- helpers ------------------------------------------------------------- */

enum triage_result __attribute__((format(printf, 4, 5)))
trun_fail(struct trun *r, enum triage_result res, long long id, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	triage_outcome_vset(r->out, res, id, fmt, ap);
	va_end(ap);
	return res;
}

/* A failed statement.  A unique violation can only come from the live
 * dedup index (reopen racing ingest): that is a conflict, not a crash. */
enum triage_result
trun_dberror(struct trun *r)
{
	if (db_sqlstate_is(r->db, DB_SQLSTATE_NO_PRIV))
		return trun_fail(r, TRIAGE_DENIED, 0, "cannot %s: %s", r->spec->name,
		    r->db->errmsg);
	if (db_sqlstate_is(r->db, DB_SQLSTATE_UNIQUE))
		return trun_fail(r, TRIAGE_CONFLICT, 0, "cannot %s: another open "
		    "alert has the same dedup key (%s)", r->spec->name, r->db->errmsg);
	return trun_fail(r, TRIAGE_ERROR, 0, "cannot %s: %s", r->spec->name,
	    r->db->errmsg);
}

void
triage_ids_text(struct strbuf *sb, const long long *ids, size_t n)
{
	size_t i;

	strbuf_reset(sb);
	strbuf_appendc(sb, '{');
	for (i = 0; i < n; i++)
		strbuf_appendf(sb, "%s%lld", i ? "," : "", ids[i]);
	strbuf_appendc(sb, '}');
}

const char *
trow_text(const struct trun *r, const struct trow *w, const char *col)
{
	return db_value(r->locked, w->row, col);
}

const struct trow *
trow_find(const struct trun *r, long long id)
{
	size_t lo = 0, hi = r->nrows;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->rows[mid].id == id)
			return &r->rows[mid];
		if (r->rows[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* --- the steps every action shares --------------------------------------- */

static enum triage_result
triage_lock(struct trun *r)
{
	const struct triage_req *req = r->req;
	const char *sql = lock_plain_sql, *p[2];
	struct strbuf sb, aids;
	size_t i, j, nassignees = 0;
	int np = 1;

	if (req->action == TA_SUPPRESS) {
		sql = req->scope == SUPPRESS_EVIDENCE ? lock_evidence_sql : lock_asset_sql;
		np = req->scope == SUPPRESS_EVIDENCE ? 2 : 1;
	}
	strbuf_init(&sb);
	triage_ids_text(&sb, r->ids, r->n);
	p[0] = sb.buf;
	p[1] = req->evidence_key;
	r->locked = db_query(r->db, sql, np, p);
	strbuf_free(&sb);
	if (r->locked == NULL)
		return trun_dberror(r);

	r->nrows = (size_t)PQntuples(r->locked);
	r->rows = xcalloc(r->nrows ? r->nrows : 1, sizeof *r->rows);
	for (i = 0, j = 0; i < r->nrows; i++) {
		struct trow *w = &r->rows[i];

		w->row = (int)i;
		w->id = db_ll(r->locked, (int)i, "id");
		w->status = status_parse(db_value(r->locked, (int)i, "status"));
		w->version = db_int(r->locked, (int)i, "version");
		w->assignee_id = db_int(r->locked, (int)i, "assignee_id");
		w->asset_id = db_ll(r->locked, (int)i, "asset_id");
		w->incident_id = db_ll(r->locked, (int)i, "incident_id");
		w->severity = db_int(r->locked, (int)i, "severity");
		/* Both lists are sorted: walk them together. */
		while (j < r->n && r->ids[j] < w->id)
			j++;
		if (j < r->n && r->ids[j] == w->id) {
			w->requested = true;
			w->expect = r->expect ? r->expect[j] : 0;
		}
		if (w->assignee_id != 0)
			nassignees++;
	}
	for (i = 0; i < r->n; i++)
		if (trow_find(r, r->ids[i]) == NULL)
			return trun_fail(r, TRIAGE_NOT_FOUND, r->ids[i],
			    "alert %lld not found", r->ids[i]);

	if (nassignees == 0)
		return TRIAGE_OK;
	strbuf_init(&aids);
	strbuf_appendc(&aids, '{');
	for (i = 0, j = 0; i < r->nrows; i++)
		if (r->rows[i].assignee_id != 0)
			strbuf_appendf(&aids, "%s%d", j++ ? "," : "", r->rows[i].assignee_id);
	strbuf_appendc(&aids, '}');
	p[0] = aids.buf;
	r->names = db_query(r->db, "SELECT id, name FROM analysts"
	    " WHERE id = ANY($1::int[])", 1, p);
	strbuf_free(&aids);
	return r->names ? TRIAGE_OK : trun_dberror(r);
}

static enum triage_result
status_conflict(struct trun *r, const struct trow *w)
{
	const char *st = status_name(w->status);

	if (w->status == r->spec->to)
		return trun_fail(r, TRIAGE_CONFLICT, w->id, "alert %lld is already %s",
		    w->id, st);
	if ((BIT(w->status) & FROM_DONE) && !(r->spec->from & FROM_DONE))
		return trun_fail(r, TRIAGE_CONFLICT, w->id,
		    "alert %lld is %s; reopen it first", w->id, st);
	if (r->spec->from == FROM_DONE)
		return trun_fail(r, TRIAGE_CONFLICT, w->id,
		    "alert %lld is %s, not closed or suppressed", w->id, st);
	if (w->status == ST_ESCALATED && w->incident_id != 0)
		return trun_fail(r, TRIAGE_CONFLICT, w->id, "alert %lld is escalated "
		    "to incident %lld; cannot %s it", w->id, w->incident_id,
		    r->spec->name);
	return trun_fail(r, TRIAGE_CONFLICT, w->id, "alert %lld is %s; cannot %s it",
	    w->id, st, r->spec->name);
}

/* Check every requested alert, in id order, and decide what changes. */
static enum triage_result
triage_check(struct trun *r)
{
	const struct tspec *spec = r->spec;
	enum triage_result res;
	size_t i;

	for (i = 0; i < r->nrows; i++) {
		struct trow *w = &r->rows[i];

		if (!w->requested) {
			/* Matched by a suppression: covered if still open now
			 * that it is locked. */
			w->touched = w->change = status_is_open(w->status);
			if (w->change)
				r->nsimilar++;
			continue;
		}
		if (w->status == ST_UNKNOWN)
			return trun_fail(r, TRIAGE_ERROR, w->id, "alert %lld has an "
			    "unknown status '%s'", w->id, trow_text(r, w, "status"));
		/* The specific reasons first: "already taken by bob" or "is
		 * closed" tells the analyst more than a version number.  The
		 * version check then catches the change the action would
		 * otherwise silently overwrite. */
		if (!(spec->from & BIT(w->status)))
			return status_conflict(r, w);
		if (spec->check != NULL && (res = spec->check(r, w)) != TRIAGE_OK)
			return res;
		if (w->expect != 0 && w->version != w->expect) {
			r->stale = w;
			return trun_fail(r, TRIAGE_CONFLICT, w->id, "alert %lld was "
			    "changed (version %d, you had %d); reload and retry",
			    w->id, w->version, w->expect);
		}
		w->same = spec->same != NULL && spec->same(r, w);
		w->touched = true;
		w->change = !w->same;
		if (w->same)
			r->nsame++;
	}
	r->changed = xcalloc(r->nrows ? r->nrows : 1, sizeof *r->changed);
	r->touched = xcalloc(r->nrows ? r->nrows : 1, sizeof *r->touched);
	for (i = 0; i < r->nrows; i++) {
		if (r->rows[i].change)
			r->changed[r->nchanged++] = r->rows[i].id;
		if (r->rows[i].touched)
			r->touched[r->ntouched++] = r->rows[i].id;
	}
	return TRIAGE_OK;
}

static const char *
param_value(const struct trun *r, enum tparam tp, char *buf, size_t len)
{
	switch (tp) {
	case TP_ACTOR:
		snprintf(buf, len, "%d", r->req->actor->id);
		return buf;
	case TP_TARGET:
		snprintf(buf, len, "%d", r->target.id);
		return buf;
	case TP_DISPOSITION:
		return disposition_name(r->req->disposition);
	case TP_TEXT:
		return r->req->text;
	case TP_INCIDENT:
		snprintf(buf, len, "%lld", r->incident);
		return buf;
	case TP_NONE:
		break;
	}
	return NULL;
}

/* The one UPDATE: every change bumps version and updated_at, which is what
 * the optimistic check of the next action compares against. */
static enum triage_result
triage_update(struct trun *r)
{
	const struct tspec *spec = r->spec;
	char nums[2][32];
	const char *p[3];
	struct strbuf sql, ids;
	int np = 1, k;
	long n;

	if (spec->set == NULL || r->nchanged == 0)
		return TRIAGE_OK;
	strbuf_init(&sql);
	strbuf_init(&ids);
	strbuf_appendf(&sql, "UPDATE alerts SET %s, version = version + 1,"
	    " updated_at = now() WHERE id = ANY($1::bigint[])", spec->set);
	triage_ids_text(&ids, r->changed, r->nchanged);
	p[0] = ids.buf;
	for (k = 0; k < 2 && spec->params[k] != TP_NONE; k++)
		p[np++] = param_value(r, spec->params[k], nums[k], sizeof nums[k]);
	n = db_command(r->db, sql.buf, np, p);
	strbuf_free(&sql);
	strbuf_free(&ids);
	if (n < 0)
		return trun_dberror(r);
	if ((size_t)n != r->nchanged)
		return trun_fail(r, TRIAGE_ERROR, 0, "cannot %s: updated %ld of %zu "
		    "locked alerts", spec->name, n, r->nchanged);
	return TRIAGE_OK;
}

static void
trun_reset(struct trun *r)
{
	PQclear(r->locked);
	PQclear(r->names);
	free(r->rows);
	free(r->changed);
	free(r->touched);
	json_decref(r->details);
	r->locked = r->names = NULL;
	r->rows = NULL;
	r->changed = r->touched = NULL;
	r->details = NULL;
	r->nrows = r->nchanged = r->ntouched = r->nsame = r->nsimilar = 0;
	r->nsuppressions = 0;
	r->stale = NULL;
	memset(&r->target, 0, sizeof r->target);
	r->incident = 0;
	r->incident_new = false;
}

static enum triage_result
triage_once(struct trun *r)
{
	const struct tspec *spec = r->spec;
	enum triage_result res;

	memset(r->out, 0, sizeof *r->out);
	r->details = json_object();
	if (db_begin(r->db) < 0)
		return trun_dberror(r);
	if ((spec->resolve == NULL || (res = spec->resolve(r)) == TRIAGE_OK) &&
	    (res = triage_lock(r)) == TRIAGE_OK &&
	    (res = triage_check(r)) == TRIAGE_OK &&
	    (spec->before == NULL || (res = spec->before(r)) == TRIAGE_OK) &&
	    (res = triage_update(r)) == TRIAGE_OK &&
	    (spec->after == NULL || (res = spec->after(r)) == TRIAGE_OK) &&
	    (res = triage_audit(r)) == TRIAGE_OK) {
		if (db_commit(r->db) < 0)
			return trun_dberror(r);
		r->out->result = TRIAGE_OK;
		r->out->changed = r->nchanged;
		r->out->incident_id = r->incident;
		triage_message(r);
		return TRIAGE_OK;
	}
	db_rollback(r->db);
	if (r->stale != NULL)
		triage_stale_message(r);
	return res;
}

/* A refusal is worth a record of its own: who tried what on which alerts. */
static void
triage_denied(struct db *db, const struct triage_req *req,
    const struct triage_outcome *out)
{
	char action[32];

	if (req->audit_action != NULL)
		snprintf(action, sizeof action, "%s", req->audit_action);
	else
		snprintf(action, sizeof action, "alert.%s", triage_specs[req->action].name);
	audit_denied(db, action, "alert", req->n == 1 ? req->ids[0] : 0, req->ids,
	    req->n, out->message);
}

struct idver {
	long long	id;
	int		version;
};

static int
idver_cmp(const void *a, const void *b)
{
	const struct idver *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

enum triage_result
triage_run(struct db *db, const struct triage_req *req, struct triage_outcome *out)
{
	struct trun r;
	struct idver *iv;
	enum triage_result res;
	size_t i;
	int attempt;

	if (triage_validate(req, out) != TRIAGE_OK)
		return out->result;
	if (req->actor == NULL || req->actor->id <= 0)
		return triage_usage(out, 0, "no acting analyst");
	if (!analyst_can(req->actor, ROLE_ANALYST)) {
		snprintf(out->message, sizeof out->message, "cannot %s: %s is %s, and"
		    " triage needs the analyst role", triage_specs[req->action].name,
		    req->actor->name, req->actor->active ?
		    analyst_role_name(req->actor->role) : "disabled");
		out->result = TRIAGE_DENIED;
		triage_denied(db, req, out);
		return TRIAGE_DENIED;
	}

	memset(&r, 0, sizeof r);
	r.db = db;
	r.req = req;
	r.spec = &triage_specs[req->action];
	r.out = out;
	/* Sorted and unique: the lock order, and a repeated id counts once. */
	iv = xcalloc(req->n, sizeof *iv);
	for (i = 0; i < req->n; i++) {
		iv[i].id = req->ids[i];
		iv[i].version = req->versions ? req->versions[i] : 0;
	}
	qsort(iv, req->n, sizeof *iv, idver_cmp);
	r.ids = xcalloc(req->n, sizeof *r.ids);
	r.expect = req->versions ? xcalloc(req->n, sizeof *r.expect) : NULL;
	for (i = 0; i < req->n; i++) {
		int v = iv[i].version > 0 ? iv[i].version : 0;

		if (r.n > 0 && r.ids[r.n - 1] == iv[i].id) {
			/* A repeat keeps the oldest version it was seen at, not
			 * whichever qsort put first: a 0 ("any") must not hide
			 * a version the analyst saw, and versions only grow, so
			 * of two different ones the older is the stale one. */
			if (r.expect != NULL && v > 0 &&
			    (r.expect[r.n - 1] == 0 || v < r.expect[r.n - 1]))
				r.expect[r.n - 1] = v;
			continue;
		}
		if (r.expect != NULL)
			r.expect[r.n] = v;
		r.ids[r.n++] = iv[i].id;
	}
	free(iv);

	for (attempt = 1; ; attempt++) {
		res = triage_once(&r);
		trun_reset(&r);
		if (res != TRIAGE_ERROR || attempt == TRIAGE_ATTEMPTS ||
		    !(db_sqlstate_is(db, "40P01") || db_sqlstate_is(db, DB_SQLSTATE_SERIALIZE)))
			break;
	}
	if (res == TRIAGE_DENIED)
		triage_denied(db, req, out);
	free(r.ids);
	free(r.expect);
	return res;
}
