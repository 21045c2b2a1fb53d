/* demo_incidents.h: the demo fleet's incidents walked through the
 * workflow, so that every phase is on show: one in post_incident and two
 * with a lead's severity override, and with ten incidents or more (5,000
 * alerts) one closed with its alerts and one merged into another; some
 * are paged, their pages sent, retrying, failed and followed up. */
#ifndef VSOC_DEMO_INCIDENTS_H
#define VSOC_DEMO_INCIDENTS_H

struct db;

/* Run inside demo seed's transaction, as the DBA, after the incidents and
 * their links are loaded.  lead is the analyst id credited with the
 * overrides.  Deterministic: it picks incidents by status and id.  0, or
 * -1 with db->errmsg. */
int	demo_incidents(struct db *db, int lead);

/* Pages on a few of them, one of each delivery state (core/demo_pages.c);
 * demo_incidents() ends with it.  0, or -1 with db->errmsg. */
int	demo_pages(struct db *db, int lead);

#endif
