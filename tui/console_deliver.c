/* console_deliver.c: pages delivered while the console runs.
 *
 * The deliverer is a thread with its own database connection
 * (core/outbox_agent.c): the network is never on the key path, and the
 * thread never touches the screen.  It runs only when
 *
 *   - the settings file configures channels,
 *   - [console] deliver is yes (the default; VSOC_DELIVER=no turns it off),
 *   - the console is not --read-only (it writes outcomes), and
 *   - an admin made the analyst a deliverer (GRANT vsoc_deliverer TO
 *     alice; the database says so through vsoc_console_delivers()),
 *
 * so which consoles hold the channels' secrets and send is decided, and
 * any number of them (and `vsoc outbox deliver --follow`) may run at once:
 * rows are claimed with FOR UPDATE SKIP LOCKED, each sent once.  Page
 * states reach the screen through the outbox's NOTIFY (console_live.c),
 * like any other change; only the deliverer's own problems (no database,
 * a channel's secret missing) come here, to the status line. */
#include <stdio.h>

#include "console.h"
#include "console_int.h"
#include "http.h"
#include "outbox_agent.h"
#include "settings.h"
#include "strbuf.h"

/* Quitting waits this long for a page in flight, then leaves it: its row
 * is rolled back and stays due for the next deliverer. */
#define DELIVER_STOP_MS	1500

void
console_deliver_start(struct console *c, const struct console_options *opt)
{
	struct strbuf err;
	PGresult *res;
	bool may;

	if (opt->cfg == NULL || opt->cfg->channels.n == 0 || c->read_only ||
	    !settings_get_bool(opt->cfg, "console", "deliver"))
		return;
	if ((res = db_query(c->db, "SELECT vsoc_console_delivers() AS ok", 0, NULL)) == NULL) {
		console_error(c, "page delivery off: %s", c->db->errmsg);
		return;
	}
	may = db_bool(res, 0, "ok");
	PQclear(res);
	if (!may)
		return;
	if (http_global_init() < 0) {
		console_error(c, "page delivery off: libcurl could not start");
		return;
	}
	strbuf_init(&err);
	if ((c->deliver = outbox_agent_start(opt->db_flag, opt->cfg->path, &err)) == NULL)
		console_error(c, "page delivery off: %s", err.buf);
	strbuf_free(&err);
}

int
console_deliver_fd(const struct console *c)
{
	return c->deliver != NULL ? outbox_agent_fd(c->deliver) : -1;
}

void
console_deliver_poll(struct console *c)
{
	struct outbox_agent_report r;

	if (c->deliver == NULL || !outbox_agent_report(c->deliver, &r))
		return;
	if (r.error_set) {
		console_error(c, "%s", r.error);
		c->dirty = true;
	}
}

void
console_deliver_stop(struct console *c)
{
	if (c->deliver == NULL)
		return;
	outbox_agent_stop(c->deliver, DELIVER_STOP_MS);
	c->deliver = NULL;
}
