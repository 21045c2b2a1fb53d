/* candidates_act.c: an analyst's decision on an incident candidate.
 *
 * Accept: the candidate's alerts, minus those the analyst split out,
 * become a new incident through triage's escalation (triage.h): the same
 * locks, checks and conflicts as `vsoc alert escalate`, one transaction,
 * one audit record, here "candidate.accept" naming the key and the split.
 * The candidate is read again first, so a key whose alerts were triaged
 * in the meantime is "not found" rather than a smaller incident.
 *
 * Dismiss: a row in candidate_dismissals and its audit record, one
 * transaction.  The database names who and when and refuses viewers; the
 * role is checked here first for a clear message, and every refusal is
 * recorded (audit_denied). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "analyst.h"
#include "audit.h"
#include "candidates.h"
#include "db.h"
#include "format.h"
#include "sanitize.h"
#include "strbuf.h"

/* Alert ids listed in a dismissal's audit record (the count is always
 * there). */
#define DISMISS_AUDIT_IDS	1000

static enum triage_result __attribute__((format(printf, 3, 4)))
fail(struct cand_outcome *out, enum triage_result r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out->message, sizeof out->message, fmt, ap);
	va_end(ap);
	out->result = r;
	return r;
}

static enum triage_result
denied(const struct analyst *actor, const char *what, struct cand_outcome *out)
{
	return fail(out, TRIAGE_DENIED, "cannot %s candidates: %s is %s, and that"
	    " needs the analyst role", what, actor->name, actor->active ?
	    analyst_role_name(actor->role) : "disabled");
}

static void
record_denied(struct db *db, const char *action, const struct cand_outcome *out)
{
	audit_denied(db, action, "candidate", 0, NULL, 0, out->message);
}

static bool
text_blank(const char *s)
{
	for (; s != NULL && *s != '\0'; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

/* Read the candidate for an action: 0, or the result with the message. */
static enum triage_result
candidate_load(struct db *db, const char *key, size_t ids_max, struct candidate *c,
    struct cand_outcome *out)
{
	switch (candidates_get(db, key, ids_max, c)) {
	case 0:
		return TRIAGE_OK;
	case 1:
		return fail(out, TRIAGE_NOT_FOUND, "no candidate %s now: its alerts were"
		    " triaged, or it fell below its thresholds", key);
	}
	if (db_sqlstate_is(db, "22023"))
		return fail(out, TRIAGE_USAGE, "%s", db->errmsg);
	return fail(out, TRIAGE_ERROR, "%s", db->errmsg);
}

enum triage_result
candidates_accept(struct db *db, const struct analyst *actor, const char *key,
    const long long *except, size_t nexcept, const char *title,
    struct cand_outcome *out)
{
	struct triage_outcome tout;
	struct triage_req req;
	struct candidate c;
	enum triage_result r;
	long long *ids;
	json_t *extra, *split;
	size_t i, j, n = 0;
	char dflt[TRIAGE_TITLE_MAX + 1];

	memset(out, 0, sizeof *out);
	if (!cand_key_valid(key))
		return fail(out, TRIAGE_USAGE, "'%s' is not a candidate key (see vsoc"
		    " candidates list)", key);
	if (title != NULL && (text_blank(title) || strlen(title) > TRIAGE_TITLE_MAX ||
	    !utf8_valid(title)))
		return fail(out, TRIAGE_USAGE, "the title must be 1-%d bytes of UTF-8",
		    TRIAGE_TITLE_MAX);
	if (actor == NULL || !analyst_can(actor, ROLE_ANALYST)) {
		if (actor == NULL)
			return fail(out, TRIAGE_USAGE, "no acting analyst");
		denied(actor, "accept", out);
		record_denied(db, "candidate.accept", out);
		return TRIAGE_DENIED;
	}
	if ((r = candidate_load(db, key, CAND_ACCEPT_MAX + 1, &c, out)) != TRIAGE_OK)
		return r;
	if (c.nids > CAND_ACCEPT_MAX) {
		candidate_free(&c);
		return fail(out, TRIAGE_USAGE, "candidate %s has more than %d alerts:"
		    " escalate them in parts", key, CAND_ACCEPT_MAX);
	}
	for (j = 0; j < nexcept; j++) {
		for (i = 0; i < c.nids && c.ids[i] != except[j]; i++)
			;
		if (i == c.nids) {
			candidate_free(&c);
			return fail(out, TRIAGE_NOT_FOUND, "alert %lld is not in candidate %s",
			    except[j], key);
		}
	}
	ids = xcalloc(c.nids + 1, sizeof *ids);
	for (i = 0; i < c.nids; i++) {
		for (j = 0; j < nexcept && except[j] != c.ids[i]; j++)
			;
		if (j == nexcept)
			ids[n++] = c.ids[i];
	}
	if (n == 0) {
		free(ids);
		candidate_free(&c);
		return fail(out, TRIAGE_USAGE, "every alert of candidate %s is split out:"
		    " nothing to accept", key);
	}
	if (title == NULL) {
		/* The reason, cut on a character boundary. */
		snprintf(dflt, sizeof dflt, "%s", c.reason);
		for (i = strlen(dflt); i > 0 && !utf8_valid(dflt); i--)
			dflt[i - 1] = '\0';
		title = dflt;
	}

	split = json_array();
	for (j = 0; j < nexcept; j++)
		json_array_append_new(split, json_integer(except[j]));
	extra = json_pack("{s:s, s:s, s:s, s:o}", "candidate", c.key, "kind",
	    cand_kind_name(c.kind), "reason", c.reason, "split", split);
	memset(&req, 0, sizeof req);
	req.action = TA_ESCALATE;
	req.ids = ids;
	req.n = n;
	req.actor = actor;
	req.incident_title = title;
	req.audit_action = "candidate.accept";
	req.audit_extra = extra;
	r = triage_run(db, &req, &tout);
	out->result = r;
	if (r == TRIAGE_OK) {
		out->incident_id = tout.incident_id;
		out->audit_id = tout.audit_id;
		out->alerts = n;
		snprintf(out->message, sizeof out->message, "candidate %s accepted: new"
		    " incident %lld with %zu alert%s%s", key, tout.incident_id, n,
		    n == 1 ? "" : "s", nexcept ? " (" : "");
		if (nexcept)
			snprintf(out->message + strlen(out->message),
			    sizeof out->message - strlen(out->message), "%zu split out)",
			    nexcept);
	} else {
		snprintf(out->message, sizeof out->message, "%s", tout.message);
	}
	json_decref(extra);
	free(ids);
	candidate_free(&c);
	return r;
}

static enum triage_result
dismiss_once(struct db *db, const char *key, long secs, const char *reason,
    struct cand_outcome *out)
{
	struct candidate c;
	enum triage_result r;
	char dur[32], until[32];
	const char *p[3];
	PGresult *res;
	json_t *d;
	long long aid;

	if ((r = candidate_load(db, key, DISMISS_AUDIT_IDS, &c, out)) != TRIAGE_OK)
		return r;
	snprintf(dur, sizeof dur, "%ld", secs);
	p[0] = key;
	p[1] = reason;
	p[2] = dur;
	/* dismissed_by and dismissed_at are set by the database. */
	res = db_query(db, "INSERT INTO candidate_dismissals (candidate_key, reason,"
	    " dismissed_by, until) VALUES ($1, $2, 0, now() + $3::bigint * interval '1 second')"
	    " RETURNING id, until", 3, p);
	if (res == NULL) {
		candidate_free(&c);
		return fail(out, db_sqlstate_is(db, DB_SQLSTATE_NO_PRIV) ? TRIAGE_DENIED :
		    TRIAGE_ERROR, "%s", db->errmsg);
	}
	out->dismissal_id = db_ll(res, 0, "id");
	out->until = db_time(res, 0, "until");
	d = json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:s}", "candidate", c.key,
	    "kind", cand_kind_name(c.kind), "reason", reason, "until",
	    db_value(res, 0, "until"), "alerts", (json_int_t)c.alerts, "assets",
	    (json_int_t)c.assets, "candidate_reason", c.reason);
	PQclear(res);
	aid = audit_append(db, "candidate.dismiss", "candidate", out->dismissal_id,
	    c.ids, c.nids, d);
	json_decref(d);
	if (aid < 0) {
		candidate_free(&c);
		return fail(out, db_sqlstate_is(db, DB_SQLSTATE_NO_PRIV) ? TRIAGE_DENIED :
		    TRIAGE_ERROR, "%s", db->errmsg);
	}
	out->audit_id = aid;
	format_ts(until, sizeof until, out->until);
	snprintf(out->message, sizeof out->message, "candidate %s dismissed until %s UTC",
	    key, until);
	candidate_free(&c);
	return TRIAGE_OK;
}

enum triage_result
candidates_dismiss(struct db *db, const struct analyst *actor, const char *key,
    long secs, const char *reason, struct cand_outcome *out)
{
	enum triage_result r;

	memset(out, 0, sizeof *out);
	if (!cand_key_valid(key))
		return fail(out, TRIAGE_USAGE, "'%s' is not a candidate key (see vsoc"
		    " candidates list)", key);
	if (secs < 1 || secs > CAND_DISMISS_MAX)
		return fail(out, TRIAGE_USAGE, "a dismissal lasts from 1 s to 90 days");
	if (reason == NULL || text_blank(reason))
		return fail(out, TRIAGE_USAGE, "a dismissal needs a reason (--reason)");
	if (strlen(reason) > TRIAGE_REASON_MAX || !utf8_valid(reason))
		return fail(out, TRIAGE_USAGE, "the reason must be at most %d bytes of UTF-8",
		    TRIAGE_REASON_MAX);
	if (actor == NULL)
		return fail(out, TRIAGE_USAGE, "no acting analyst");
	if (!analyst_can(actor, ROLE_ANALYST)) {
		denied(actor, "dismiss", out);
		record_denied(db, "candidate.dismiss", out);
		return TRIAGE_DENIED;
	}
	if (db_begin(db) < 0)
		return fail(out, TRIAGE_ERROR, "%s", db->errmsg);
	r = dismiss_once(db, key, secs, reason, out);
	if (r == TRIAGE_OK && db_commit(db) < 0)
		r = fail(out, db_sqlstate_is(db, DB_SQLSTATE_NO_PRIV) ? TRIAGE_DENIED :
		    TRIAGE_ERROR, "%s", db->errmsg);
	if (r != TRIAGE_OK) {
		db_rollback(db);
		if (r == TRIAGE_DENIED)
			record_denied(db, "candidate.dismiss", out);
	}
	out->result = r;
	return r;
}
