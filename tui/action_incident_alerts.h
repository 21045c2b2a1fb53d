/* action_incident_alerts.h: the incident view's actions on its alerts,
 * through core/incident_action.h:
 *
 *   remove-alerts  the marked alerts leave the incident and go back to the
 *                  queue, acknowledged;
 *   move-alerts    the marked alerts go to another open incident, picked
 *                  from the searchable list escalate offers (action.h);
 *   merge          another open incident, picked the same way, is merged
 *                  into this one: its alerts, assets and notes move here,
 *                  and it is closed as merged with a link to this one.
 *
 * Each is one incident_run (one transaction, one audit record), confirmed
 * first when it moves more than one alert or merges, with the versions
 * the analyst saw of both incidents so a concurrent change is refused with
 * who made it and when. */
#ifndef VSOC_ACTION_INCIDENT_ALERTS_H
#define VSOC_ACTION_INCIDENT_ALERTS_H

#include <stdbool.h>
#include <stddef.h>

#include "request.h"

struct console;
struct incident_target;

/* Is req one of remove-alerts, move-alerts, merge? */
bool	 action_incident_alerts_handles(enum request req);

/* Run req from the view of incident t on alerts[0..n) (the marked ones,
 * else the selected one; merge takes none).  Returns how many alerts
 * changed, or -1 when cancelled, refused or failed (the reason on the
 * status line). */
long	 action_incident_alerts_run(struct console *c, enum request req,
	    const struct incident_target *t, const long long *alerts, size_t n);

#endif
