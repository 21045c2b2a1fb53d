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
#include "sanitize.h"
#include "strbuf.h"
#include "triage.h"
#include "triage_int.h"

static enum triage_result	take_check(struct trun *, const struct trow *);
static bool	take_same(const struct trun *, const struct trow *);
static void	take_detail(struct trun *);
static void	take_suffix(const struct trun *, struct strbuf *);
static enum triage_result	reassign_check(struct trun *, const struct trow *);
static enum triage_result	assign_resolve(struct trun *);
static bool	assign_same(const struct trun *, const struct trow *);
static void	assign_detail(struct trun *);
static void	assign_suffix(const struct trun *, struct strbuf *);
static bool	unassign_same(const struct trun *, const struct trow *);
static bool	ack_same(const struct trun *, const struct trow *);
static enum triage_result	note_before(struct trun *);
static void	close_detail(struct trun *);
static void	close_suffix(const struct trun *, struct strbuf *);
static enum triage_result	reopen_before(struct trun *);
static enum triage_result	suppress_check(struct trun *, const struct trow *);
static enum triage_result	suppress_before(struct trun *);
static void	suppress_detail(struct trun *);
static void	suppress_suffix(const struct trun *, struct strbuf *);

/* Every action changes version and updated_at through triage_update(),
 * except note: notes are rows of their own, so a note never bumps the
 * alert's version and never turns a colleague's pending edit into a
 * conflict. */
static const struct tspec triage_specs[TA__COUNT] = {
	[TA_TAKE] = {
		.name = "take", .done = "taken", .from = FROM_LIVE,
		.to = ST_UNKNOWN, .text = TEXT_NONE,
		/* Taking a new alert also acknowledges it: its owner has seen it. */
		.set = "assignee_id = $2, status = CASE WHEN status = 'new'"
		    " THEN 'acknowledged' ELSE status END",
		.params = { TP_ACTOR }, .prev = PREV_STATUS | PREV_ASSIGNEE,
		.check = take_check, .same = take_same, .detail = take_detail,
		.suffix = take_suffix,
	},
	[TA_ASSIGN] = {
		.name = "assign", .done = "assigned", .from = FROM_LIVE,
		.to = ST_UNKNOWN, .text = TEXT_NONE,
		.set = "assignee_id = $2", .params = { TP_TARGET },
		.prev = PREV_ASSIGNEE,
		.resolve = assign_resolve, .check = reassign_check, .same = assign_same,
		.detail = assign_detail, .suffix = assign_suffix,
	},
	[TA_UNASSIGN] = {
		.name = "unassign", .done = "unassigned", .from = FROM_LIVE,
		.to = ST_UNKNOWN, .text = TEXT_NONE,
		.set = "assignee_id = NULL", .prev = PREV_ASSIGNEE,
		.check = reassign_check, .same = unassign_same,
	},
	[TA_ACK] = {
		.name = "ack", .done = "acknowledged", .from = FROM_LIVE,
		.to = ST_ACKNOWLEDGED, .text = TEXT_NONE,
		.set = "status = 'acknowledged'", .prev = PREV_STATUS,
		.same = ack_same,
	},
	[TA_NOTE] = {
		.name = "note", .lead = "note added to", .from = FROM_ANY,
		.to = ST_UNKNOWN, .text = TEXT_BODY,
		.before = note_before,
	},
	[TA_CLOSE] = {
		.name = "close", .done = "closed", .from = FROM_LIVE,
		.to = ST_CLOSED, .text = TEXT_REASON,
		.set = "status = 'closed', disposition = $2,"
		    " disposition_reason = $3, closed_at = now()",
		.params = { TP_DISPOSITION, TP_TEXT }, .prev = PREV_STATUS,
		.detail = close_detail, .suffix = close_suffix,
	},
	[TA_REOPEN] = {
		.name = "reopen", .done = "reopened", .from = FROM_DONE,
		.to = ST_UNKNOWN, .text = TEXT_REASON,
		/* Back to the queue; an owned alert stays with its owner. */
		.set = "status = CASE WHEN assignee_id IS NULL THEN 'new'"
		    " ELSE 'acknowledged' END, disposition = NULL,"
		    " disposition_reason = NULL, closed_at = NULL",
		.prev = PREV_STATUS | PREV_DISP,
		.before = reopen_before,
	},
	[TA_SUPPRESS] = {
		.name = "suppress", .done = "suppressed", .from = FROM_OPEN,
		.to = ST_SUPPRESSED, .text = TEXT_REASON,
		.set = "status = 'suppressed'", .prev = PREV_STATUS,
		.check = suppress_check, .before = suppress_before,
		.detail = suppress_detail, .suffix = suppress_suffix,
	},
	[TA_ESCALATE] = {
		.name = "escalate", .done = "escalated", .from = FROM_LIVE,
		.to = ST_ESCALATED, .text = TEXT_NONE,
		.set = "status = 'escalated', incident_id = $2",
		.params = { TP_INCIDENT }, .prev = PREV_STATUS,
		.resolve = escalate_resolve, .check = escalate_check,
		.same = escalate_same, .before = escalate_before,
		.after = escalate_after, .suffix = escalate_suffix,
	},
};

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

const char *
triage_action_name(enum triage_action a)
{
	return a >= 0 && a < TA__COUNT ? triage_specs[a].name : "unknown";
}

enum triage_action
triage_action_parse(const char *s)
{
	int a;

	if (s == NULL)
		return TA__COUNT;
	if (strcmp(s, "acknowledge") == 0)
		return TA_ACK;
	for (a = 0; a < TA__COUNT; a++)
		if (strcmp(s, triage_specs[a].name) == 0)
			return (enum triage_action)a;
	return TA__COUNT;
}

/* --- helpers ------------------------------------------------------------- */

void
triage_message_vset(char *msg, size_t len, const char *fmt, va_list ap)
{
	char *p;

	vsnprintf(msg, len, fmt, ap);
	/* One line, whatever the database said. */
	for (p = msg; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
}

static void
outcome_set(struct triage_outcome *out, enum triage_result res, long long id,
    const char *fmt, va_list ap)
{
	out->result = res;
	out->failed_id = id;
	triage_message_vset(out->message, sizeof out->message, fmt, ap);
}

static enum triage_result __attribute__((format(printf, 3, 4)))
usage(struct triage_outcome *out, long long id, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	outcome_set(out, TRIAGE_USAGE, id, fmt, ap);
	va_end(ap);
	return TRIAGE_USAGE;
}

enum triage_result __attribute__((format(printf, 4, 5)))
trun_fail(struct trun *r, enum triage_result res, long long id, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	outcome_set(r->out, res, id, fmt, ap);
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

static json_t *
ids_json(const long long *ids, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_integer(ids[i]));
	return a;
}

/* 4h, 7d, 90m, 45s: the largest unit that divides the duration. */
static void
duration_text(char *buf, size_t len, long secs)
{
	if (secs % 86400 == 0)
		snprintf(buf, len, "%ldd", secs / 86400);
	else if (secs % 3600 == 0)
		snprintf(buf, len, "%ldh", secs / 3600);
	else if (secs % 60 == 0)
		snprintf(buf, len, "%ldm", secs / 60);
	else
		snprintf(buf, len, "%lds", secs);
}

static bool
text_blank(const char *s)
{
	if (s == NULL)
		return true;
	for (; *s != '\0'; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

/* PostgreSQL would reject it anyway, but with a message about encodings
 * rather than about the analyst's text. */
static bool
text_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), k;
	unsigned int cp;

	while (len > 0) {
		if ((k = utf8_decode(p, len, &cp)) == 0)
			return false;
		p += k;
		len -= k;
	}
	return true;
}

/* An evidence path a.b.c: no empty segment, no control characters. */
static bool
evidence_key_valid(const char *k)
{
	const char *p;

	if (k == NULL || *k == '\0' || *k == '.' ||
	    strlen(k) > TRIAGE_EVIDENCE_KEY_MAX || !text_utf8(k))
		return false;
	for (p = k; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return false;
		if (*p == '.' && (p[1] == '.' || p[1] == '\0'))
			return false;
	}
	return true;
}

const char *
trow_text(const struct trun *r, const struct trow *w, const char *col)
{
	return db_value(r->locked, w->row, col);
}

/* The name of an assignee of a locked alert ("" if unknown). */
static const char *
analyst_name_of(const struct trun *r, int id)
{
	int i;

	if (id == 0)
		return NOBODY;
	if (id == r->req->actor->id)
		return r->req->actor->name;
	if (id == r->target.id)
		return r->target.name;
	for (i = 0; r->names != NULL && i < PQntuples(r->names); i++)
		if (db_int(r->names, i, "id") == id)
			return db_value(r->names, i, "name");
	return "";
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

/* --- validation ---------------------------------------------------------- */

enum triage_result
triage_validate(const struct triage_req *req, struct triage_outcome *out)
{
	const struct tspec *spec;
	size_t i, max;

	memset(out, 0, sizeof *out);
	if (req->action < 0 || req->action >= TA__COUNT)
		return usage(out, 0, "unknown triage action");
	spec = &triage_specs[req->action];
	if (req->n == 0 || req->ids == NULL)
		return usage(out, 0, "%s: no alert given", spec->name);
	for (i = 0; i < req->n; i++)
		if (req->ids[i] <= 0)
			return usage(out, 0, "%lld is not an alert id", req->ids[i]);

	if (spec->text != TEXT_NONE) {
		const char *what = spec->text == TEXT_BODY ? "note" : "reason";

		max = spec->text == TEXT_BODY ? TRIAGE_NOTE_MAX : TRIAGE_REASON_MAX;
		if (text_blank(req->text)) {
			if (spec->text == TEXT_BODY)
				return usage(out, 0, "a note needs text");
			return usage(out, 0, "a reason is required to %s", spec->name);
		}
		if (strlen(req->text) > max)
			return usage(out, 0, "the %s is longer than %zu bytes", what, max);
		if (!text_utf8(req->text))
			return usage(out, 0, "the %s is not valid UTF-8", what);
	}

	switch (req->action) {
	case TA_ASSIGN:
		if (text_blank(req->assignee))
			return usage(out, 0, "assign needs an analyst name");
		break;
	case TA_CLOSE:
		if (req->disposition <= DISP_NONE || req->disposition >= DISP__COUNT)
			return usage(out, 0, "a disposition is required to close: "
			    "true_positive (tp), false_positive (fp), benign or duplicate");
		break;
	case TA_SUPPRESS:
		if (req->duration <= 0)
			return usage(out, 0, "a duration is required to suppress "
			    "(for example 4h or 7d)");
		if (req->duration > TRIAGE_SUPPRESS_MAX)
			return usage(out, 0, "a suppression lasts at most 90 days");
		if (req->scope != SUPPRESS_ASSET && req->scope != SUPPRESS_EVIDENCE)
			return usage(out, 0, "unknown suppression scope");
		if (req->scope == SUPPRESS_EVIDENCE &&
		    !evidence_key_valid(req->evidence_key))
			return usage(out, 0, "'%s' is not an evidence key "
			    "(use a dotted path such as src.ip)",
			    req->evidence_key ? req->evidence_key : "");
		break;
	case TA_ESCALATE:
		if (req->incident_id < 0)
			return usage(out, 0, "%lld is not an incident id", req->incident_id);
		if (req->incident_title != NULL && req->incident_id > 0)
			return usage(out, 0, "a title only applies to a new incident");
		if (req->incident_title != NULL) {
			if (text_blank(req->incident_title))
				return usage(out, 0, "the incident title is empty");
			if (strlen(req->incident_title) > TRIAGE_TITLE_MAX)
				return usage(out, 0, "the incident title is longer "
				    "than %d bytes", TRIAGE_TITLE_MAX);
			if (!text_utf8(req->incident_title))
				return usage(out, 0, "the incident title is not valid UTF-8");
		}
		break;
	default:
		break;
	}
	return TRIAGE_OK;
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

/* Group the changed alerts by a previous value: {"new": [1, 2], ...}. */
static void
details_previous(struct trun *r, const char *key, int what)
{
	json_t *groups = json_object();
	size_t i;

	for (i = 0; i < r->nrows; i++) {
		const struct trow *w = &r->rows[i];
		const char *v;
		json_t *list;

		if (!w->change)
			continue;
		if (what == PREV_STATUS)
			v = status_name(w->status);
		else if (what == PREV_ASSIGNEE)
			v = analyst_name_of(r, w->assignee_id);
		else
			v = trow_text(r, w, "disposition");
		if (v == NULL)
			v = NOBODY;
		if ((list = json_object_get(groups, v)) == NULL) {
			list = json_array();
			json_object_set_new(groups, v, list);
		}
		json_array_append_new(list, json_integer(w->id));
	}
	json_object_set_new(r->details, key, groups);
}

/* The values the changed alerts have now, beside the previous_* groups:
 * the record says what changed from what to what. */
static void
details_after(struct trun *r)
{
	const struct triage_req *req = r->req;
	json_t *after = json_object(), *reopened;
	bool was_new = false;
	size_t i;

	for (i = 0; i < r->nrows; i++)
		if (r->rows[i].change && r->rows[i].status == ST_NEW)
			was_new = true;
	if (r->spec->to != ST_UNKNOWN)
		json_object_set_new(after, "status", json_string(status_name(r->spec->to)));
	switch (req->action) {
	case TA_TAKE:
		json_object_set_new(after, "assignee", json_string(req->actor->name));
		if (was_new)
			json_object_set_new(after, "status", json_string("acknowledged"));
		break;
	case TA_ASSIGN:
		json_object_set_new(after, "assignee", json_string(r->target.name));
		break;
	case TA_UNASSIGN:
		json_object_set_new(after, "assignee", json_null());
		break;
	case TA_CLOSE:
		json_object_set_new(after, "disposition",
		    json_string(disposition_name(req->disposition)));
		break;
	case TA_ESCALATE:
		json_object_set_new(after, "incident", json_integer(r->incident));
		break;
	case TA_REOPEN:
		/* Back to new, or to acknowledged when someone owns it. */
		reopened = json_object();
		for (i = 0; i < r->nrows; i++) {
			const char *st;
			json_t *list;

			if (!r->rows[i].change)
				continue;
			st = r->rows[i].assignee_id ? "acknowledged" : "new";
			if ((list = json_object_get(reopened, st)) == NULL) {
				list = json_array();
				json_object_set_new(reopened, st, list);
			}
			json_array_append_new(list, json_integer(r->rows[i].id));
		}
		json_object_set_new(after, "status", reopened);
		break;
	default:
		break;
	}
	if (json_object_size(after) > 0)
		json_object_set_new(r->details, "after", after);
	else
		json_decref(after);
}

static enum triage_result
triage_audit(struct trun *r)
{
	const struct tspec *spec = r->spec;
	char action[32];
	long long id;
	size_t i;

	if (r->nsame > 0) {
		json_t *same = json_array();

		for (i = 0; i < r->nrows; i++)
			if (r->rows[i].same)
				json_array_append_new(same, json_integer(r->rows[i].id));
		json_object_set_new(r->details, "unchanged", same);
	}
	if (spec->text == TEXT_REASON)
		json_object_set_new(r->details, "reason", json_string(r->req->text));
	if (spec->prev & PREV_STATUS)
		details_previous(r, "previous_status", PREV_STATUS);
	if (spec->prev & PREV_ASSIGNEE)
		details_previous(r, "previous_assignee", PREV_ASSIGNEE);
	if (spec->prev & PREV_DISP)
		details_previous(r, "previous_disposition", PREV_DISP);
	if (spec->detail != NULL)
		spec->detail(r);
	details_after(r);

	if (r->req->audit_extra != NULL)
		json_object_update(r->details, r->req->audit_extra);
	if (r->req->audit_action != NULL)
		snprintf(action, sizeof action, "%s", r->req->audit_action);
	else
		snprintf(action, sizeof action, "alert.%s", spec->name);
	if (r->req->action == TA_ESCALATE)
		id = audit_append(r->db, action, "incident", r->incident, r->touched,
		    r->ntouched, r->details);
	else
		id = audit_append(r->db, action, "alert", r->n == 1 ? r->ids[0] : 0,
		    r->touched, r->ntouched, r->details);
	if (id < 0)
		return trun_dberror(r);
	r->out->audit_id = id;
	return TRIAGE_OK;
}

/* "alert 42 taken by alice", "3 alerts closed as false_positive (1 ...)" */
static void
triage_message(struct trun *r)
{
	const struct tspec *spec = r->spec;
	size_t nreq_changed = r->n - r->nsame;
	struct strbuf sb;

	strbuf_init(&sb);
	if (spec->lead != NULL) {
		strbuf_appendf(&sb, "%s ", spec->lead);
		if (r->n == 1)
			strbuf_appendf(&sb, "alert %lld", r->ids[0]);
		else
			strbuf_appendf(&sb, "%zu alerts", r->n);
	} else {
		size_t count = nreq_changed ? nreq_changed : r->n;

		if (r->n == 1)
			strbuf_appendf(&sb, "alert %lld ", r->ids[0]);
		else
			strbuf_appendf(&sb, "%zu alert%s ", count, count == 1 ? "" : "s");
		strbuf_appendf(&sb, "%s%s", nreq_changed == 0 ? "already " : "", spec->done);
		if (spec->suffix != NULL)
			spec->suffix(r, &sb);
		if (nreq_changed > 0 && r->nsame > 0)
			strbuf_appendf(&sb, " (%zu already)", r->nsame);
	}
	snprintf(r->out->message, sizeof r->out->message, "%s", sb.buf);
	strbuf_free(&sb);
}

/* Who changed the alert under the analyst's feet, for the conflict
 * message: the last audit record that changed it (notes and no-ops do not
 * change versions).  Best effort: without it the versions alone say it. */
static void
triage_stale_message(struct trun *r)
{
	const struct trow *w = r->stale;
	char id[32];
	const char *p[1] = { id };
	PGresult *res;

	snprintf(id, sizeof id, "%lld", w->id);
	res = db_query(r->db, "SELECT actor, CASE WHEN at::date = now()::date"
	    " THEN to_char(at, 'HH24:MI') ELSE to_char(at, 'YYYY-MM-DD HH24:MI') END"
	    " AS at FROM audit_log WHERE alert_ids @> ARRAY[$1::bigint]"
	    " AND action <> 'alert.note'"
	    " AND NOT coalesce(details -> 'unchanged' @> to_jsonb($1::bigint), false)"
	    " ORDER BY id DESC LIMIT 1", 1, p);
	if (res != NULL && PQntuples(res) == 1)
		trun_fail(r, TRIAGE_CONFLICT, w->id, "alert %lld was changed by %s at "
		    "%s UTC (version %d, you had %d); reload and retry", w->id,
		    db_value(res, 0, "actor"), db_value(res, 0, "at"), w->version,
		    w->expect);
	PQclear(res);
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
		return usage(out, 0, "no acting analyst");
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

/* --- take, assign, unassign, ack ------------------------------------------ */

static enum triage_result
take_check(struct trun *r, const struct trow *w)
{
	if (w->assignee_id != 0 && w->assignee_id != r->req->actor->id)
		return trun_fail(r, TRIAGE_CONFLICT, w->id,
		    "alert %lld is already taken by %s", w->id,
		    analyst_name_of(r, w->assignee_id));
	return TRIAGE_OK;
}

static bool
take_same(const struct trun *r, const struct trow *w)
{
	return w->assignee_id == r->req->actor->id && w->status != ST_NEW;
}

static void
take_detail(struct trun *r)
{
	json_object_set_new(r->details, "assignee", json_string(r->req->actor->name));
}

static void
take_suffix(const struct trun *r, struct strbuf *sb)
{
	strbuf_appendf(sb, " by %s", r->req->actor->name);
}

/* Moving an alert away from another analyst is a lead's call; the
 * database checks it too (vsoc_guard_owner). */
static enum triage_result
reassign_check(struct trun *r, const struct trow *w)
{
	const struct analyst *me = r->req->actor;

	if (w->assignee_id != 0 && w->assignee_id != me->id &&
	    (r->req->action == TA_UNASSIGN || w->assignee_id != r->target.id) &&
	    !analyst_can(me, ROLE_LEAD))
		return trun_fail(r, TRIAGE_DENIED, w->id, "alert %lld belongs to %s:"
		    " reassigning it needs the lead role (you are %s)", w->id,
		    analyst_name_of(r, w->assignee_id), analyst_role_name(me->role));
	return TRIAGE_OK;
}

static enum triage_result
assign_resolve(struct trun *r)
{
	const char *p[1] = { r->req->assignee };
	PGresult *res;
	bool active;

	res = db_query(r->db, "SELECT id, name, active FROM analysts WHERE name = $1",
	    1, p);
	if (res == NULL)
		return trun_dberror(r);
	if (PQntuples(res) != 1) {
		PQclear(res);
		return trun_fail(r, TRIAGE_NOT_FOUND, 0, "no analyst named '%s'",
		    r->req->assignee);
	}
	r->target.id = db_int(res, 0, "id");
	snprintf(r->target.name, sizeof r->target.name, "%s", db_value(res, 0, "name"));
	active = db_bool(res, 0, "active");
	PQclear(res);
	if (!active)
		return trun_fail(r, TRIAGE_USAGE, 0, "analyst '%s' is not active",
		    r->target.name);
	return TRIAGE_OK;
}

static bool
assign_same(const struct trun *r, const struct trow *w)
{
	return w->assignee_id == r->target.id;
}

static void
assign_detail(struct trun *r)
{
	json_object_set_new(r->details, "assignee", json_string(r->target.name));
}

static void
assign_suffix(const struct trun *r, struct strbuf *sb)
{
	strbuf_appendf(sb, " to %s", r->target.name);
}

static bool
unassign_same(const struct trun *r, const struct trow *w)
{
	return w->assignee_id == 0;
}

/* Acknowledging an escalated alert is harmless: it is past that point. */
static bool
ack_same(const struct trun *r, const struct trow *w)
{
	return w->status != ST_NEW;
}

/* --- note ------------------------------------------------------------------ */

static enum triage_result
note_before(struct trun *r)
{
	char actor[16];
	const char *p[3];
	struct strbuf ids;
	PGresult *res;
	json_t *notes;
	int i;

	strbuf_init(&ids);
	triage_ids_text(&ids, r->ids, r->n);
	snprintf(actor, sizeof actor, "%d", r->req->actor->id);
	p[0] = ids.buf;
	p[1] = actor;
	p[2] = r->req->text;
	res = db_query(r->db, "INSERT INTO notes (alert_id, author_id, body)"
	    " SELECT unnest($1::bigint[]), $2::int, $3 RETURNING id", 3, p);
	strbuf_free(&ids);
	if (res == NULL)
		return trun_dberror(r);
	notes = json_array();
	for (i = 0; i < PQntuples(res); i++)
		json_array_append_new(notes, json_integer(db_ll(res, i, "id")));
	PQclear(res);
	/* The body stays in notes: it may quote anything, even a secret an
	 * analyst pasted, and the audit log is forever. */
	json_object_set_new(r->details, "notes", notes);
	json_object_set_new(r->details, "bytes", json_integer((json_int_t)strlen(r->req->text)));
	return TRIAGE_OK;
}

/* --- close, reopen --------------------------------------------------------- */

static void
close_detail(struct trun *r)
{
	json_object_set_new(r->details, "disposition",
	    json_string(disposition_name(r->req->disposition)));
}

static void
close_suffix(const struct trun *r, struct strbuf *sb)
{
	strbuf_appendf(sb, " as %s", disposition_name(r->req->disposition));
}

/* Ingest deduplicates on dedup_key while an alert is live (a unique
 * index); reopening one whose key a newer live alert took would break it.
 * Say which alert instead of showing the index violation. */
static enum triage_result
reopen_before(struct trun *r)
{
	struct strbuf ids;
	const char *p[1];
	PGresult *res;
	long long a, b;

	strbuf_init(&ids);
	triage_ids_text(&ids, r->changed, r->nchanged);
	p[0] = ids.buf;
	res = db_query(r->db, "SELECT a.id AS a, b.id AS b FROM alerts a"
	    " JOIN alerts b ON b.dedup_key = a.dedup_key AND b.id <> a.id"
	    " WHERE a.id = ANY($1::bigint[])"
	    "  AND (b.status NOT IN ('closed', 'suppressed') OR b.id = ANY($1::bigint[]))"
	    " ORDER BY a.id, b.id LIMIT 1", 1, p);
	strbuf_free(&ids);
	if (res == NULL)
		return trun_dberror(r);
	if (PQntuples(res) == 0) {
		PQclear(res);
		return TRIAGE_OK;
	}
	a = db_ll(res, 0, "a");
	b = db_ll(res, 0, "b");
	PQclear(res);
	return trun_fail(r, TRIAGE_CONFLICT, a, "alert %lld cannot be reopened: "
	    "alert %lld has the same dedup key and would be open too", a, b);
}

/* --- suppress -------------------------------------------------------------- */

static enum triage_result
suppress_check(struct trun *r, const struct trow *w)
{
	if (r->req->scope == SUPPRESS_EVIDENCE &&
	    trow_text(r, w, "evidence_value") == NULL)
		return trun_fail(r, TRIAGE_USAGE, w->id, "alert %lld has no evidence "
		    "field '%s'", w->id, r->req->evidence_key);
	return TRIAGE_OK;
}

/* One suppression per distinct (rule, asset) or (rule, evidence value)
 * among the selected alerts.  The evidence key is stored as the dotted
 * path the analyst gave; ingest splits it the same way to match new
 * alerts.  The alerts they cover were locked with the selection. */
static enum triage_result
suppress_before(struct trun *r)
{
	const struct triage_req *req = r->req;
	char actor[16], secs[32];
	const char *p[5];
	struct strbuf ids;
	PGresult *res;
	json_t *list;
	int i;

	strbuf_init(&ids);
	triage_ids_text(&ids, r->ids, r->n);
	snprintf(actor, sizeof actor, "%d", req->actor->id);
	snprintf(secs, sizeof secs, "%ld", req->duration);
	p[0] = ids.buf;
	p[1] = req->text;
	p[2] = actor;
	p[3] = secs;
	p[4] = req->evidence_key;
	if (req->scope == SUPPRESS_EVIDENCE)
		res = db_query(r->db, "INSERT INTO suppressions (rule_id, evidence_key,"
		    " evidence_value, reason, created_by, expires_at)"
		    " SELECT DISTINCT rule_id, $5::text,"
		    " evidence #>> string_to_array($5::text, '.'), $2::text, $3::int,"
		    " now() + make_interval(secs => $4::double precision)"
		    " FROM alerts WHERE id = ANY($1::bigint[])"
		    " RETURNING id, expires_at", 5, p);
	else
		res = db_query(r->db, "INSERT INTO suppressions (rule_id, asset_id,"
		    " reason, created_by, expires_at)"
		    " SELECT DISTINCT rule_id, asset_id, $2::text, $3::int,"
		    " now() + make_interval(secs => $4::double precision)"
		    " FROM alerts WHERE id = ANY($1::bigint[])"
		    " RETURNING id, expires_at", 4, p);
	strbuf_free(&ids);
	if (res == NULL)
		return trun_dberror(r);
	list = json_array();
	for (i = 0; i < PQntuples(res); i++) {
		long long id = db_ll(res, i, "id");

		if (r->out->suppression_id == 0 || id < r->out->suppression_id)
			r->out->suppression_id = id;
		json_array_append_new(list, json_integer(id));
	}
	r->nsuppressions = (size_t)PQntuples(res);
	if (PQntuples(res) > 0)
		json_object_set_new(r->details, "expires_at",
		    json_string(db_value(res, 0, "expires_at")));
	PQclear(res);
	json_object_set_new(r->details, "suppressions", list);
	return TRIAGE_OK;
}

static void
suppress_detail(struct trun *r)
{
	const struct triage_req *req = r->req;
	char dur[32];

	duration_text(dur, sizeof dur, req->duration);
	json_object_set_new(r->details, "scope",
	    json_string(req->scope == SUPPRESS_EVIDENCE ? "evidence" : "asset"));
	if (req->scope == SUPPRESS_EVIDENCE)
		json_object_set_new(r->details, "evidence_key",
		    json_string(req->evidence_key));
	json_object_set_new(r->details, "duration", json_integer(req->duration));
	json_object_set_new(r->details, "duration_text", json_string(dur));
	json_object_set_new(r->details, "selected", ids_json(r->ids, r->n));
	json_object_set_new(r->details, "similar", json_integer((json_int_t)r->nsimilar));
}

static void
suppress_suffix(const struct trun *r, struct strbuf *sb)
{
	char dur[32];

	duration_text(dur, sizeof dur, r->req->duration);
	strbuf_appendf(sb, " for %s", dur);
	if (r->nsimilar > 0)
		strbuf_appendf(sb, " with %zu similar open alert%s", r->nsimilar,
		    r->nsimilar == 1 ? "" : "s");
	if (r->nsuppressions == 1)
		strbuf_appendf(sb, " (suppression %lld)", r->out->suppression_id);
	else
		strbuf_appendf(sb, " (%zu suppressions)", r->nsuppressions);
}
