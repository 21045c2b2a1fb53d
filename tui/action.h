/* action.h: triage actions from the console, through core/triage.h.
 *
 * The same code serves a key on the queue, a key in the detail view and a
 * `:` command: what the command line already gave is used, anything else
 * is asked for on the status line (a close reason is required), bulk
 * closes, suppressions and escalations are confirmed, and the versions the
 * analyst saw go with the request so a concurrent change is refused. */
#ifndef VSOC_ACTION_H
#define VSOC_ACTION_H

#include <stddef.h>

#include "prompt.h"
#include "request.h"
#include "triage.h"

struct console;
struct incident_row;

/* What a `:` command supplied; NULL fields are asked for. */
struct action_args {
	const char	*assignee;	/* assign */
	const char	*text;		/* note body, close/reopen/suppress reason */
	const char	*disposition;	/* close */
	const char	*duration;	/* suppress: "24h" */
	const char	*scope;		/* suppress: "asset" or "evidence:KEY" */
	const char	*incident;	/* escalate: "12", "#12" or "new" */
	const char	*title;		/* escalate new, incident rename: title */
	const char	*status;	/* incident status: a phase name */
	const char	*severity;	/* incident override: a severity or "none" */
};

struct action_target {
	const long long	*ids;
	const int	*versions;	/* as displayed */
	size_t		 n;
};

/* The triage action behind a request; TA__COUNT if none. */
enum triage_action action_for_request(enum request req);

/* Run req on the target.  Returns the triage result, or -1 when the
 * analyst cancelled (nothing was sent).  Messages go to the status line. */
int	 action_run(struct console *c, enum request req,
	    const struct action_target *t, const struct action_args *args);

/* Ask for one line on the status line; a required one is asked again
 * until given (Esc cancels: false).  Trailing spaces are dropped. */
bool	 action_ask(struct console *c, const char *label, const char *initial,
	    prompt_complete_fn complete, bool required, struct prompt_history *hist,
	    char *out, size_t len);

/* Escalate's question (action_escalate.c): a new incident or an open one
 * picked from a searchable list.  False when cancelled; else *picked is
 * the incident picked, or 0 with the typed text ("new TITLE", an id) in
 * out. */
bool	 action_escalate_pick(struct console *c, char *out, size_t len,
	    long long *picked);

/* The incident picker behind it, for whatever needs an open incident
 * (the incident view's move and merge). */
struct incident_pick {
	const char	*label;		/* the prompt */
	const char	*header;	/* the list's first line */
	const char	*initial;	/* the prompt's text at first; NULL none */
	long long	 exclude;	/* an incident not offered; 0 none */
	/* Escalate: with no row picked, the typed text ("new TITLE", an id)
	 * is the answer.  Otherwise only an open incident is: a picked row,
	 * or one whose id was typed. */
	bool		 new_ok;
};

/* False when cancelled.  Else *picked is a copy of the row taken
 * (incident_row_free() it), or has id 0 with the typed text in out (only
 * with new_ok). */
bool	 action_incident_pick(struct console *c, const struct incident_pick *pick,
	    struct incident_row *picked, char *out, size_t len);

/* Completion of analyst names, dispositions (prompt_complete_fn). */
int	 action_complete_analyst(void *ctx, const char *line, size_t ws,
	    const char *word, char **out, int max);
int	 action_complete_disposition(void *ctx, const char *line, size_t ws,
	    const char *word, char **out, int max);

#endif
