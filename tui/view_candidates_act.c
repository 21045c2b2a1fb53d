/* view_candidates_act.c: accepting and dismissing a candidate from the
 * console (the list and a candidate's alerts share it).
 *
 * The decisions themselves are core/candidates_act.c's (one transaction,
 * one audit record each, roles enforced by the database as well); this
 * file asks what the analyst has not said yet, confirms, and words the
 * outcome on the status line. */
#include <stdio.h>
#include <string.h>

#include "action.h"
#include "candidates.h"
#include "console.h"
#include "format.h"
#include "view_candidates_int.h"

/* The outcome on the status line; true when done. */
static bool
outcome_show(struct console *c, const struct cand_outcome *out, const char *what)
{
	switch (out->result) {
	case TRIAGE_OK:
		c->actions++;
		console_message(c, "%s", out->message);
		console_counts_stale(c);
		return true;
	case TRIAGE_ERROR:
		console_db_error(c, what);
		if (out->message[0] != '\0' && !c->db_lost)
			console_error(c, "%s", out->message);
		return false;
	default:
		/* Refused, stale, malformed: the core's one-line message. */
		console_error(c, "%s", out->message[0] ? out->message : "refused");
		return false;
	}
}

bool
cv_accept(struct console *c, const char *key, long long alerts, const long long *except,
    size_t nexcept, long long *incident)
{
	struct cand_outcome out;
	char q[256];

	*incident = 0;
	if (!console_db_ready(c) || !console_may(c, REQ_ACCEPT, true))
		return false;
	if (nexcept > 0 && (long long)nexcept >= alerts) {
		console_error(c, "every alert is marked out: nothing to accept");
		return false;
	}
	/* Short enough for 80 columns; the key is on the screen above. */
	if (nexcept > 0)
		snprintf(q, sizeof q, "accept: new incident with %lld alerts (%zu marked out)?"
		    " [y/N] ", alerts - (long long)nexcept, nexcept);
	else
		snprintf(q, sizeof q, "accept: new incident with %lld alerts? [y/N] ", alerts);
	if (!console_confirm(c, q)) {
		console_message(c, "cancelled: nothing changed");
		return false;
	}
	candidates_accept(c->db, c->me, key, except, nexcept, NULL, &out);
	if (!outcome_show(c, &out, "accepting the candidate"))
		return false;
	*incident = out.incident_id;
	return true;
}

bool
cv_dismiss(struct console *c, const char *key)
{
	struct cand_outcome out;
	char dur[64], reason[PROMPT_MAX];
	long secs;

	if (!console_db_ready(c) || !console_may(c, REQ_DISMISS, true))
		return false;
	if (!action_ask(c, "dismiss for how long (e.g. 4h, 7d): ", "24h", NULL, true,
	    NULL, dur, sizeof dur))
		return false;
	if ((secs = format_parse_duration(dur)) <= 0 || secs > CAND_DISMISS_MAX) {
		console_error(c, "bad duration '%s': 1s to 90d, e.g. 15m, 4h, 7d", dur);
		return false;
	}
	if (!action_ask(c, "reason (required): ", NULL, NULL, true, &c->hist_text,
	    reason, sizeof reason))
		return false;
	candidates_dismiss(c->db, c->me, key, secs, reason, &out);
	return outcome_show(c, &out, "dismissing the candidate");
}
