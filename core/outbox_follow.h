/* outbox_follow.h: pages that follow the incident, and paging as one
 * analyst action.
 *
 * The rule (README, "On-call"): on every change of an incident's status,
 * each PagerDuty channel the incident was triggered on is brought to the
 * state the new status means, in the same transaction as the change:
 *
 *   closed                      resolve, if triggered and not resolved
 *   triage .. post_incident     acknowledge, if triggered, not resolved
 *                               and not acknowledged since the trigger
 *   reopened (from closed)      trigger again where the last trigger was
 *                               resolved (PagerDuty opens a new alert for
 *                               the same dedup key), then acknowledge if
 *                               the new status is past open
 *   back to open                nothing (PagerDuty cannot un-acknowledge)
 *
 * A trigger whose delivery failed counts as no trigger.  Only PagerDuty:
 * its Events API v2 defines acknowledge and resolve for a dedup key
 * (reference/backends-and-ocpp.md §3.1); the reference gives Opsgenie's
 * create alert only, and Slack and webhooks have no alert to follow, so
 * their follow-ups stay explicit (`vsoc outbox page --action`).
 *
 * Which channels were triggered is read from the outbox (outbox.kind,
 * sql/008_pages.sql), so any front end's status change follows without
 * the settings file; a channel no longer configured keeps its rows
 * pending until a deliverer that has it comes. */
#ifndef VSOC_OUTBOX_FOLLOW_H
#define VSOC_OUTBOX_FOLLOW_H

#include <jansson.h>

#include "outbox.h"

struct db;
struct settings;
struct strbuf;

/* In the caller's transaction, after the status changed from `from` to
 * `to` (database names): write the follow-up rows.  Each row written is
 * appended to pages as {"outbox", "channel", "page"} (for the action's
 * audit record).  Returns the number written, or -1 with db->errmsg. */
int	 outbox_follow_status(struct db *db, long long incident_id, const char *from,
	    const char *to, json_t *pages);

/* Page an incident as one analyst action: one transaction, the pages
 * (outbox_page_incident) and one audit record "incident.page".  Returns
 * the number of pages (out), 0 when no channel applies (why in err,
 * nothing written), or -1 with db->errmsg (sqlstate P0002: no incident;
 * 42501: refused, recorded as such). */
int	 outbox_page_action(struct db *db, const struct settings *cfg,
	    long long incident_id, enum page_action action, struct outbox_paged *out,
	    struct strbuf *err);

#endif
