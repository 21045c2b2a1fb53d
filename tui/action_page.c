/* action_page.c: paging on-call from the console (see action_page.h). */
#include <stdio.h>

#include "action_page.h"
#include "console.h"
#include "outbox.h"
#include "outbox_follow.h"
#include "settings.h"
#include "strbuf.h"

int
action_page_run(struct console *c, long long id, enum page_action a)
{
	struct outbox_paged paged;
	struct strbuf err, chans;
	char question[128];
	size_t k;
	int n;

	/* The role as the database grants it now (an admin may have
	 * lowered it); the database refuses anyway. */
	if (!console_may(c, REQ_PAGE_ONCALL, true))
		return -1;
	if (c->cfg == NULL || c->cfg->channels.n == 0) {
		console_error(c, "no on-call channel is configured: add a [channel NAME]"
		    " section to the settings file");
		return -1;
	}
	snprintf(question, sizeof question, "%s on-call about incident %lld? [y/N] ",
	    a == PAGE_TRIGGER ? "Page" : a == PAGE_ACKNOWLEDGE ? "Acknowledge" : "Resolve",
	    id);
	if (!console_confirm(c, question)) {
		console_message(c, "cancelled: nobody paged");
		return -1;
	}
	if (!console_db_ready(c))
		return -1;
	strbuf_init(&err);
	n = outbox_page_action(c->db, c->cfg, id, a, &paged, &err);
	if (n < 0) {
		console_db_error(c, "paging");
	} else if (n == 0) {
		console_error(c, "%s", err.buf);
	} else {
		strbuf_init(&chans);
		for (k = 0; k < paged.n; k++)
			strbuf_appendf(&chans, "%s%s", k ? ", " : "", paged.channel[k]);
		console_message(c, "incident %lld: %s queued on %s", id, page_action_name(a),
		    chans.buf);
		strbuf_free(&chans);
		c->actions++;
	}
	strbuf_free(&err);
	return n > 0 ? 0 : -1;
}
