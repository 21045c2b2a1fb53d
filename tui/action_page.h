/* action_page.h: paging on-call from the console (the incident view's P
 * and :page), through core/outbox_follow.h: one transaction writes a page
 * per channel and one audit record (incident.page).  Nothing is sent
 * here: a deliverer (a console's, or `vsoc outbox deliver`) sends it. */
#ifndef VSOC_ACTION_PAGE_H
#define VSOC_ACTION_PAGE_H

#include "channel.h"

struct console;

/* Page incident id (asking y/N first, since it wakes people up).  0 when
 * pages were written, -1 otherwise (the reason on the status line). */
int	 action_page_run(struct console *c, long long id, enum page_action a);

#endif
