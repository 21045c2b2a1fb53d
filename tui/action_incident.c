/* action_incident.c: ask, confirm, run incident actions, report. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "action.h"
#include "action_incident.h"
#include "console.h"
#include "incident_action.h"
#include "model.h"
#include "strbuf.h"

/* What the analyst answered; the request points into it. */
struct ianswers {
	char	 who[128];
	char	 status[64];
	char	 sev[64];
	char	 reason[INCIDENT_TEXT_MAX + 1];
	char	 resolution[INCIDENT_TEXT_MAX + 1];
	char	 disp[64];
	char	 title[INCIDENT_TITLE_MAX + 1];
	char	 note[PROMPT_MAX];
};

bool
action_incident_handles(enum request req)
{
	switch (req) {
	case REQ_TAKE:
	case REQ_ASSIGN:
	case REQ_NOTE:
	case REQ_CLOSE:
	case REQ_REOPEN:
	case REQ_STATUS:
	case REQ_RENAME:
	case REQ_SEVERITY:
		return true;
	default:
		return false;
	}
}

int
action_complete_status(void *ctx, const char *line, size_t ws, const char *word,
    char **out, int max)
{
	size_t len = strlen(word);
	int i, n = 0;

	(void)ctx;
	(void)line;
	if (ws != 0)
		return 0;
	for (i = 0; i < IS__COUNT && n < max; i++)
		if (strncasecmp(incident_status_name((enum incident_status)i), word, len) == 0)
			out[n++] = xstrdup(incident_status_name((enum incident_status)i));
	return n;
}

/* The `:` value, else a prompt; too long is refused, never cut. */
static bool
given_or_ask(struct console *c, const char *given, const char *label,
    const char *initial, prompt_complete_fn complete, bool required,
    struct prompt_history *hist, char *out, size_t len)
{
	char typed[PROMPT_MAX];
	const char *src = given;

	if (src == NULL) {
		if (!action_ask(c, label, initial, complete, required, hist, typed,
		    sizeof typed))
			return false;
		src = typed;
	}
	if (strlen(src) >= len) {
		console_error(c, "too long: %zu bytes at most", len - 1);
		return false;
	}
	snprintf(out, len, "%s", src);
	return true;
}

static void
what_text(char *buf, size_t len, const struct incident_target *t, size_t n)
{
	if (n == 1)
		snprintf(buf, len, "incident %lld", t[0].id);
	else
		snprintf(buf, len, "%zu incidents", n);
}

/* A status change: which status, then what its moves need.  The moves
 * are judged per incident by the same rules the database applies
 * (incident_status.h), so the analyst is asked only for what is needed. */
static bool
gather_status(struct console *c, enum request r, const struct action_args *a,
    const struct incident_target *t, size_t n, struct incident_req *req,
    struct ianswers *ans)
{
	enum incident_move m;
	bool need_reason = false, need_resolution = false;
	long long open = 0;
	char q[160];
	size_t i;

	if (r == REQ_CLOSE)
		snprintf(ans->status, sizeof ans->status, "closed");
	else if (r == REQ_REOPEN)
		snprintf(ans->status, sizeof ans->status, "open");
	else if (!given_or_ask(c, a->status, "status (Tab completes): ", NULL,
	    action_complete_status, true, NULL, ans->status, sizeof ans->status))
		return false;
	req->status = incident_status_parse(ans->status);
	if (req->status == IS_UNKNOWN) {
		console_error(c, "unknown status '%s': open, triage, containment, "
		    "eradication, recovery, post_incident or closed", ans->status);
		return false;
	}
	for (i = 0; i < n; i++) {
		m = incident_move_of(t[i].status, req->status);
		need_reason |= m == IM_BACK || m == IM_REOPEN;
		need_resolution |= m == IM_CLOSE;
		if (m == IM_CLOSE)
			open += t[i].open_alerts;
	}
	if (r == REQ_REOPEN && !need_reason) {
		console_error(c, "%s not closed: S changes the status",
		    n == 1 ? "the incident is" : "these incidents are");
		return false;
	}
	if (need_reason) {
		if (!given_or_ask(c, a->text, r == REQ_REOPEN ? "reason for reopening: " :
		    "reason for moving back (required): ", NULL, NULL, true,
		    &c->hist_text, ans->reason, sizeof ans->reason))
			return false;
		req->reason = ans->reason;
	}
	if (need_resolution) {
		if (!given_or_ask(c, need_reason ? NULL : a->text,
		    "resolution summary (required): ", NULL, NULL, true, &c->hist_text,
		    ans->resolution, sizeof ans->resolution))
			return false;
		req->resolution = ans->resolution;
		if (open > 0) {
			snprintf(q, sizeof q, "close its %lld open alert%s with it? [y/N] ",
			    open, open == 1 ? "" : "s");
			if (!console_confirm(c, q)) {
				console_message(c, "cancelled: open alerts keep an "
				    "incident open");
				return false;
			}
			if (!given_or_ask(c, NULL, "close them as (Tab completes): ", NULL,
			    action_complete_disposition, true, NULL, ans->disp,
			    sizeof ans->disp))
				return false;
			req->disposition = disposition_parse(ans->disp);
			if (req->disposition == DISP_UNKNOWN || req->disposition == DISP_NONE) {
				console_error(c, "unknown disposition '%s'", ans->disp);
				return false;
			}
			req->force = true;
		}
	}
	return true;
}

static bool
gather(struct console *c, enum request r, const struct action_args *a,
    const struct incident_target *t, size_t n, struct incident_req *req,
    struct ianswers *ans)
{
	switch (r) {
	case REQ_TAKE:
		req->action = IA_ASSIGN;
		req->assignee = c->me->name;
		return true;
	case REQ_ASSIGN:
		req->action = IA_ASSIGN;
		if (!given_or_ask(c, a->assignee, "assign incident to (none: nobody): ",
		    NULL, action_complete_analyst, true, NULL, ans->who, sizeof ans->who))
			return false;
		req->assignee = strcmp(ans->who, "none") == 0 ? NULL : ans->who;
		return true;
	case REQ_NOTE:
		req->action = IA_NOTE;
		if (!given_or_ask(c, a->text, "note: ", NULL, NULL, true, &c->hist_text,
		    ans->note, sizeof ans->note))
			return false;
		req->text = ans->note;
		return true;
	case REQ_RENAME:
		req->action = IA_RENAME;
		if (n != 1) {
			console_error(c, "rename one incident at a time (u unmarks)");
			return false;
		}
		if (!given_or_ask(c, a->title, "title: ", t[0].title, NULL, true, NULL,
		    ans->title, sizeof ans->title))
			return false;
		req->title = ans->title;
		return true;
	case REQ_SEVERITY:
		req->action = IA_SEVERITY;
		if (!given_or_ask(c, a->severity, "override severity (critical, high, "
		    "medium, low, info; none clears): ", NULL, NULL, true, NULL,
		    ans->sev, sizeof ans->sev))
			return false;
		if (strcmp(ans->sev, "none") == 0) {
			req->severity = 0;
		} else if ((req->severity = severity_parse(ans->sev)) <= 0) {
			console_error(c, "unknown severity '%s': critical, high, medium, "
			    "low, info, or none", ans->sev);
			return false;
		}
		if (!given_or_ask(c, a->text, "reason (required): ", NULL, NULL, true,
		    &c->hist_text, ans->reason, sizeof ans->reason))
			return false;
		req->reason = ans->reason;
		return true;
	case REQ_STATUS:
	case REQ_CLOSE:
	case REQ_REOPEN:
		req->action = IA_STATUS;
		return gather_status(c, r, a, t, n, req, ans);
	default:
		return false;
	}
}

int
action_incident_run(struct console *c, enum request r, const struct incident_target *t,
    size_t n, const struct action_args *args)
{
	static const struct action_args none;
	struct incident_req req;
	struct incident_outcome out;
	struct ianswers *ans;
	char what[64], q[160], first[sizeof out.message];
	size_t i, ok = 0, failed = 0;

	if (!action_incident_handles(r) || n == 0)
		return -1;
	if (args == NULL)
		args = &none;
	if (!console_db_ready(c))
		return -1;
	/* The role as the database grants it now, before any prompt. */
	if (!console_may(c, r, true))
		return -1;
	memset(&req, 0, sizeof req);
	req.actor = c->me;
	ans = xcalloc(1, sizeof *ans);
	if (!gather(c, r, args, t, n, &req, ans)) {
		free(ans);
		return -1;
	}
	what_text(what, sizeof what, t, n);
	if (n > 1) {
		snprintf(q, sizeof q, "%s %s? [y/N] ", request_name(r), what);
		if (!console_confirm(c, q)) {
			console_message(c, "cancelled: nothing changed");
			free(ans);
			return -1;
		}
	}
	first[0] = '\0';	/* the single success, else the first refusal */
	for (i = 0; i < n; i++) {
		req.id = t[i].id;
		req.version = t[i].version;
		memset(&out, 0, sizeof out);
		incident_run(c->db, &req, &out);
		if (out.result == TRIAGE_OK) {
			ok++;
			c->actions++;
			if (n == 1)
				snprintf(first, sizeof first, "%s", out.message);
			continue;
		}
		if (out.result == TRIAGE_ERROR && out.message[0] == '\0') {
			console_db_error(c, incident_action_name(req.action));
			if (c->db_lost)
				break;
			snprintf(out.message, sizeof out.message, "%s", c->msg);
		}
		if (failed++ == 0)
			snprintf(first, sizeof first, "%s", out.message[0] ?
			    out.message : "refused");
		if (out.result == TRIAGE_DENIED)
			break;	/* the next ones would be refused too */
	}
	if (c->db_lost)
		;	/* console_db_error said so */
	else if (failed == 0 && n == 1)
		console_message(c, "%s", first);
	else if (failed == 0)
		console_message(c, "%s: %s done", what, request_name(r));
	else if (n == 1)
		console_error(c, "%s", first);
	else
		console_error(c, "%zu of %s changed; %s", ok, what, first);
	console_counts_stale(c);
	free(ans);
	return (int)ok;
}
