/* action.c: ask, confirm, run one triage action, report. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "action.h"
#include "analyst.h"
#include "console.h"
#include "format.h"
#include "model.h"
#include "strbuf.h"

static const struct {
	enum request		 req;
	enum triage_action	 ta;
	const char		*done;	/* past tense for the status line */
} action_table[] = {
	{ REQ_TAKE,	TA_TAKE,	"taken" },
	{ REQ_ASSIGN,	TA_ASSIGN,	"assigned" },
	{ REQ_ACK,	TA_ACK,		"acknowledged" },
	{ REQ_NOTE,	TA_NOTE,	"noted" },
	{ REQ_CLOSE,	TA_CLOSE,	"closed" },
	{ REQ_REOPEN,	TA_REOPEN,	"reopened" },
	{ REQ_SUPPRESS,	TA_SUPPRESS,	"suppressed" },
	{ REQ_ESCALATE,	TA_ESCALATE,	"escalated" },
};

enum triage_action
action_for_request(enum request req)
{
	size_t i;

	for (i = 0; i < sizeof action_table / sizeof action_table[0]; i++)
		if (action_table[i].req == req)
			return action_table[i].ta;
	return TA__COUNT;
}

static const char *
action_done(enum request req)
{
	size_t i;

	for (i = 0; i < sizeof action_table / sizeof action_table[0]; i++)
		if (action_table[i].req == req)
			return action_table[i].done;
	return "done";
}

static int
complete_from(const char *const *names, const char *word, char **out, int max)
{
	int i, n = 0;
	size_t len = strlen(word);

	for (i = 0; names[i] != NULL && n < max; i++)
		if (strncasecmp(names[i], word, len) == 0)
			out[n++] = xstrdup(names[i]);
	return n;
}

int
action_complete_analyst(void *ctx, const char *line, size_t ws, const char *word,
    char **out, int max)
{
	struct console *c = ctx;
	int n;

	n = analyst_names(c->db, word, out, max);
	return n < 0 ? 0 : n;
}

int
action_complete_disposition(void *ctx, const char *line, size_t ws,
    const char *word, char **out, int max)
{
	const char *names[DISP__COUNT];
	int i, n = 0;

	/* Only the first word is a disposition; the rest is the reason. */
	if (ws != 0)
		return 0;
	for (i = DISP_NONE + 1; i < DISP__COUNT; i++)
		names[n++] = disposition_name((enum disposition)i);
	names[n] = NULL;
	return complete_from(names, word, out, max);
}

/* Ask for one line; required ones are asked again until given. */
bool
action_ask(struct console *c, const char *label, const char *initial,
    prompt_complete_fn complete, bool required, struct prompt_history *hist,
    char *out, size_t len)
{
	struct prompt_spec spec;

	memset(&spec, 0, sizeof spec);
	spec.label = label;
	spec.initial = initial;
	spec.complete = complete;
	spec.complete_ctx = c;
	spec.hist = hist;
	for (;;) {
		size_t n;

		if (!console_prompt(c, &spec, out, len))
			return false;
		/* Completion leaves a space after a word; it is not part of it. */
		n = strlen(out);
		while (n > 0 && out[n - 1] == ' ')
			out[--n] = '\0';
		if (!required || out[strspn(out, " ")] != '\0')
			return true;
		console_error(c, "a reason is required (Esc cancels)");
		spec.initial = NULL;
	}
}

static void
what_text(char *buf, size_t len, const struct action_target *t)
{
	if (t->n == 1)
		snprintf(buf, len, "alert %lld", t->ids[0]);
	else
		snprintf(buf, len, "%zu alerts", t->n);
}

/* Fill the parts of req the action needs, asking for what args lack.
 * Strings live in the caller's buffers.  False when cancelled or bad. */
struct answers {
	char	 who[128];
	char	 text[PROMPT_MAX];
	char	 disp[64];
	char	 dur[32];
	char	 scope[sizeof "evidence:" + TRIAGE_EVIDENCE_KEY_MAX];
	char	 inc[PROMPT_MAX];
};

/* The value given on the `:` command line, else the answer to a prompt. */
static bool
given_or_ask(struct console *c, const char *given, const char *label,
    const char *initial, prompt_complete_fn complete,
    struct prompt_history *hist, char *out, size_t len)
{
	char typed[PROMPT_MAX];
	const char *src = given;
	int n;

	if (src == NULL) {
		if (!action_ask(c, label, initial, complete, true, hist, typed, sizeof typed))
			return false;
		src = typed;
	}
	/* Cutting it would act on another value (a shorter evidence key
	 * suppresses other alerts), perhaps mid-character: refuse instead. */
	if (strlen(src) >= len) {
		n = (int)strcspn(label, "(:");
		while (n > 0 && label[n - 1] == ' ')
			n--;
		console_error(c, "%.*s: too long, %zu bytes at most", n, label, len - 1);
		return false;
	}
	snprintf(out, len, "%s", src);
	return true;
}

static bool
gather(struct console *c, enum triage_action ta, const struct action_args *a,
    struct triage_req *req, struct answers *ans)
{
	long dur;

	/* Labels stay short: at 60 columns the answer needs room too, and the
	 * alerts are named on the status line and in bulk confirmations. */
	switch (ta) {
	case TA_ASSIGN:
		if (!given_or_ask(c, a->assignee, "assign to: ", NULL,
		    action_complete_analyst, NULL, ans->who, sizeof ans->who))
			return false;
		req->assignee = ans->who;
		return true;
	case TA_NOTE:
		if (!given_or_ask(c, a->text, "note: ", NULL, NULL, &c->hist_text,
		    ans->text, sizeof ans->text))
			return false;
		req->text = ans->text;
		return true;
	case TA_REOPEN:
		if (!given_or_ask(c, a->text, "reason for reopening: ", NULL, NULL,
		    &c->hist_text, ans->text, sizeof ans->text))
			return false;
		req->text = ans->text;
		return true;
	case TA_CLOSE:
		if (!given_or_ask(c, a->disposition, "disposition (Tab completes): ",
		    NULL, action_complete_disposition, NULL, ans->disp,
		    sizeof ans->disp))
			return false;
		req->disposition = disposition_parse(ans->disp);
		if (req->disposition == DISP_UNKNOWN || req->disposition == DISP_NONE) {
			console_error(c, "unknown disposition '%s': true_positive, "
			    "false_positive, benign or duplicate", ans->disp);
			return false;
		}
		if (!given_or_ask(c, a->text, "reason (required): ", NULL, NULL,
		    &c->hist_text, ans->text, sizeof ans->text))
			return false;
		req->text = ans->text;
		return true;
	case TA_SUPPRESS:
		if (!given_or_ask(c, a->scope, "suppress by (asset | evidence:KEY): ",
		    "asset", NULL, NULL, ans->scope, sizeof ans->scope))
			return false;
		if (strcmp(ans->scope, "asset") == 0) {
			req->scope = SUPPRESS_ASSET;
		} else if (strncmp(ans->scope, "evidence:", 9) == 0 && ans->scope[9]) {
			req->scope = SUPPRESS_EVIDENCE;
			req->evidence_key = ans->scope + 9;
		} else {
			console_error(c, "scope must be 'asset' or 'evidence:KEY'");
			return false;
		}
		if (!given_or_ask(c, a->duration, "for how long (e.g. 4h, 7d): ",
		    "24h", NULL, NULL, ans->dur, sizeof ans->dur))
			return false;
		if ((dur = format_parse_duration(ans->dur)) < 0) {
			console_error(c, "bad duration '%s': use 90s, 15m, 4h, 7d or 2w",
			    ans->dur);
			return false;
		}
		req->duration = dur;
		if (!given_or_ask(c, a->text, "reason (required): ", NULL, NULL,
		    &c->hist_text, ans->text, sizeof ans->text))
			return false;
		req->text = ans->text;
		return true;
	case TA_ESCALATE:
		if (a->incident) {
			snprintf(ans->inc, sizeof ans->inc, "%s%s%s", a->incident,
			    a->title ? " " : "", a->title ? a->title : "");
		} else {
			long long picked;

			if (!action_escalate_pick(c, ans->inc, sizeof ans->inc, &picked))
				return false;
			if (picked > 0) {
				req->incident_id = picked;
				return true;
			}
		}
		if (strncmp(ans->inc, "new", 3) == 0 &&
		    (ans->inc[3] == '\0' || ans->inc[3] == ' ')) {
			const char *title = ans->inc + 3;
			title += strspn(title, " ");
			req->incident_id = 0;
			req->incident_title = *title ? title : NULL;
		} else {
			char word[sizeof ans->inc];
			size_t len = strcspn(ans->inc, " ");
			const char *end = ans->inc + len;

			snprintf(word, sizeof word, "%.*s", (int)len, ans->inc);
			if (format_parse_id(word, &req->incident_id) < 0) {
				console_error(c, "'%s' is not an incident id; use a number "
				    "or 'new TITLE'", word);
				return false;
			}
			/* An existing incident keeps its title: words after the
			 * id were meant for something, so do not drop them. */
			if (end[strspn(end, " ")] != '\0') {
				console_error(c, "a title only names a new incident: "
				    "escalate %lld, or new TITLE", req->incident_id);
				return false;
			}
		}
		return true;
	default:
		return true;
	}
}

int
action_run(struct console *c, enum request r, const struct action_target *t,
    const struct action_args *args)
{
	static const struct action_args none;
	enum triage_action ta = action_for_request(r);
	struct triage_req req;
	struct triage_outcome out;
	struct answers *ans;
	char what[64], q[256];
	int rc;

	if (ta == TA__COUNT || t->n == 0)
		return -1;
	if (args == NULL)
		args = &none;
	if (!console_db_ready(c))
		return TRIAGE_ERROR;
	/* The role as the database grants it now, before any prompt: an admin
	 * may have disabled this analyst since the console opened. */
	if (!console_may(c, r, true))
		return TRIAGE_DENIED;
	memset(&req, 0, sizeof req);
	memset(&out, 0, sizeof out);
	req.action = ta;
	req.ids = t->ids;
	req.n = t->n;
	req.versions = t->versions;
	req.actor = c->me;
	ans = xcalloc(1, sizeof *ans);
	if (!gather(c, ta, args, &req, ans)) {
		free(ans);
		return -1;
	}
	what_text(what, sizeof what, t);
	/* Bulk changes that take alerts out of the queue are confirmed. */
	if (t->n > 1 && (ta == TA_CLOSE || ta == TA_SUPPRESS || ta == TA_ESCALATE)) {
		snprintf(q, sizeof q, "%s %s%s%s? [y/N] ", triage_action_name(ta), what,
		    ta == TA_CLOSE ? " as " : "",
		    ta == TA_CLOSE ? disposition_name(req.disposition) : "");
		if (!console_confirm(c, q)) {
			console_message(c, "cancelled: nothing changed");
			free(ans);
			return -1;
		}
	}
	rc = (int)triage_run(c->db, &req, &out);
	switch (out.result) {
	case TRIAGE_OK:
		c->actions++;
		if (ta == TA_ESCALATE)
			console_message(c, "%s escalated into incident %lld", what,
			    out.incident_id);
		else if (ta == TA_SUPPRESS)
			console_message(c, "%s suppressed (suppression %lld)", what,
			    out.suppression_id);
		else
			console_message(c, "%s %s", what, action_done(r));
		break;
	case TRIAGE_ERROR:
		console_db_error(c, triage_action_name(ta));
		if (out.message[0] != '\0' && !c->db_lost)
			console_error(c, "%s", out.message);
		break;
	default:
		/* Conflict, usage, not found: triage's own one-line message. */
		console_error(c, "%s", out.message[0] ? out.message : "refused");
		break;
	}
	console_counts_stale(c);
	free(ans);
	return rc;
}
