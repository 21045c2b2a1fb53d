/* action_incident.h: incident actions from the console, through
 * core/incident_action.h.
 *
 * The incident list and the incident view share this, as the queue and
 * the alert view share action.c: what a `:` command gave is used, the
 * rest is asked for on the status line (a back move or a reopen asks for
 * a reason, a close for a resolution summary and, with open alerts, for
 * whether to close them too), and the version the analyst saw goes with
 * each request so a concurrent change is refused.  One incident_run (one
 * transaction, one audit record) per incident. */
#ifndef VSOC_ACTION_INCIDENT_H
#define VSOC_ACTION_INCIDENT_H

#include <stdbool.h>
#include <stddef.h>

#include "incident_status.h"
#include "request.h"

struct console;
struct action_args;

/* One incident as the analyst sees it. */
struct incident_target {
	long long		 id;
	int			 version;
	enum incident_status	 status;
	long long		 open_alerts;
	const char		*title;
};

/* Is req an incident action (take, assign, note, close, reopen, status,
 * rename, override-severity)? */
bool	 action_incident_handles(enum request req);

/* Run req on n incidents.  Returns how many changed, or -1 when the
 * analyst cancelled or nothing could be sent (the reason on the status
 * line). */
int	 action_incident_run(struct console *c, enum request req,
	    const struct incident_target *t, size_t n, const struct action_args *args);

/* Completion of incident status names (prompt_complete_fn). */
int	 action_complete_status(void *ctx, const char *line, size_t ws,
	    const char *word, char **out, int max);

#endif
