/* action_incident_alerts.c: remove, move and merge from the incident view
 * (see action_incident_alerts.h).
 *
 * The other incident is always picked from the open ones (never the one on
 * screen) with the picker escalate uses, so its version is the one the
 * analyst saw in the list; the questions hold ids and counts only, never a
 * title (stored text from anyone), so they fit the status line at 80
 * columns and need no sanitizing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "action.h"
#include "action_incident.h"
#include "action_incident_alerts.h"
#include "console.h"
#include "incident_action.h"
#include "incident_page.h"

bool
action_incident_alerts_handles(enum request req)
{
	return req == REQ_REMOVE_ALERTS || req == REQ_MOVE_ALERTS || req == REQ_MERGE;
}

static void
what_text(char *buf, size_t len, const long long *alerts, size_t n)
{
	if (n == 1)
		snprintf(buf, len, "alert %lld", alerts[0]);
	else
		snprintf(buf, len, "%zu alerts", n);
}

/* The other incident, from the picker; false when cancelled. */
static bool
pick_other(struct console *c, enum request r, const struct incident_target *t,
    const char *what, struct incident_row *row)
{
	struct incident_pick pick;
	char label[96], header[160], typed[PROMPT_MAX];

	memset(&pick, 0, sizeof pick);
	pick.exclude = t->id;
	pick.label = label;
	pick.header = header;
	if (r == REQ_MOVE_ALERTS) {
		snprintf(label, sizeof label, "move %s to incident (ID | words): ", what);
		snprintf(header, sizeof header, "Move %s of incident %lld into: an id, or "
		    "words that search open incidents; Up/Down pick one.", what, t->id);
	} else {
		snprintf(label, sizeof label, "merge into %lld (ID | words): ", t->id);
		snprintf(header, sizeof header, "Merge which incident into incident %lld? "
		    "An id, or words that search open incidents; Up/Down pick one.",
		    t->id);
	}
	return action_incident_pick(c, &pick, row, typed, sizeof typed);
}

/* Ask, confirm and fill req; false when cancelled or refused. */
static bool
gather(struct console *c, enum request r, const struct incident_target *t,
    const long long *alerts, size_t n, struct incident_req *req,
    struct incident_row *other)
{
	char what[64], q[160];

	what_text(what, sizeof what, alerts, n);
	if (r != REQ_MERGE && n == 0) {
		console_error(c, "no alert selected: j/k select one, m marks several");
		return false;
	}
	req->id = t->id;
	req->version = t->version;
	req->alerts = alerts;
	req->nalerts = n;
	switch (r) {
	case REQ_REMOVE_ALERTS:
		req->action = IA_REMOVE;
		snprintf(q, sizeof q, "remove %s from incident %lld (back to the queue, "
		    "acknowledged)? [y/N] ", what, t->id);
		return n == 1 || console_confirm(c, q);
	case REQ_MOVE_ALERTS:
		req->action = IA_MOVE;
		if (!pick_other(c, r, t, what, other))
			return false;
		req->target = other->id;
		req->target_version = other->version;
		snprintf(q, sizeof q, "move %s from incident %lld to incident %lld? [y/N] ",
		    what, t->id, other->id);
		return n == 1 || console_confirm(c, q);
	case REQ_MERGE:
		/* B (picked) is merged into A (this one): the core's id is B. */
		req->action = IA_MERGE;
		req->alerts = NULL;
		req->nalerts = 0;
		if (!pick_other(c, r, t, what, other))
			return false;
		req->id = other->id;
		req->version = other->version;
		req->target = t->id;
		req->target_version = t->version;
		/* Never silent: what moves, and what becomes of B. */
		snprintf(q, sizeof q, "merge %lld into %lld: its %lld alert%s, assets, "
		    "notes move; %lld closes as merged? [y/N] ", other->id, t->id,
		    other->alerts, other->alerts == 1 ? "" : "s", other->id);
		return console_confirm(c, q);
	default:
		return false;
	}
}

long
action_incident_alerts_run(struct console *c, enum request r,
    const struct incident_target *t, const long long *alerts, size_t n)
{
	struct incident_req req;
	struct incident_outcome out;
	struct incident_row other;
	bool go;

	if (!action_incident_alerts_handles(r))
		return -1;
	if (!console_db_ready(c))
		return -1;
	/* The role as the database grants it now, before any prompt. */
	if (!console_may(c, r, true))
		return -1;
	if (t->status == IS_CLOSED) {
		console_error(c, "incident %lld is closed: reopen it first (o)", t->id);
		return -1;
	}
	memset(&req, 0, sizeof req);
	memset(&other, 0, sizeof other);
	req.actor = c->me;
	go = gather(c, r, t, alerts, n, &req, &other);
	incident_row_free(&other);
	if (!go) {
		if (c->msg[0] == '\0')
			console_message(c, "cancelled: nothing changed");
		return -1;
	}
	memset(&out, 0, sizeof out);
	incident_run(c->db, &req, &out);
	console_counts_stale(c);
	switch (out.result) {
	case TRIAGE_OK:
		c->actions++;
		console_message(c, "%s", out.message);
		return (long)out.changed;
	case TRIAGE_ERROR:
		console_db_error(c, incident_action_name(req.action));
		if (out.message[0] != '\0' && !c->db_lost)
			console_error(c, "%s", out.message);
		return -1;
	default:
		/* Conflict (who changed it and when), not found, denied, usage. */
		console_error(c, "%s", out.message[0] ? out.message : "refused");
		return -1;
	}
}
