/* outbox_agent.h: a deliverer in a thread, for the console.
 *
 * The console must never wait for the network on the key path, so its
 * deliverer runs in a thread of its own with its own database connection
 * (and curl handles): it listens on vsoc_outbox, claims due pages with
 * FOR UPDATE SKIP LOCKED as `vsoc outbox deliver` does (outbox.h), and
 * sleeps until the next page falls due.  It shares nothing with the
 * console but two pipes and a report under a mutex: the console polls
 * outbox_agent_fd() with the terminal, and the page states themselves
 * reach every console through the NOTIFY their change makes.
 *
 * Stopping is bounded: outbox_agent_stop() cancels the exchange in hand
 * (libcurl checks about once a second), rolls its row back so it stays due
 * for the next deliverer, and waits at most the time given; a thread that
 * is still busy then is left to end on its own (it owns everything it
 * uses) and the process may exit under it. */
#ifndef VSOC_OUTBOX_AGENT_H
#define VSOC_OUTBOX_AGENT_H

#include <stdbool.h>

struct strbuf;
struct outbox_agent;

/* What the deliverer did since the last report. */
struct outbox_agent_report {
	int	 sent, retrying, failed;	/* outcomes recorded */
	bool	 error_set;		/* error holds a new problem */
	char	 error[300];		/* one line, no secret */
};

/* Start delivering as the session db_flag (the --db value or NULL, as
 * db_connect takes it) opens, with the channels of the settings file at
 * cfg_path and the secrets file.  http_global_init() must have run.
 * NULL with the reason in err (a settings or secrets error, no channel,
 * no thread). */
struct outbox_agent *outbox_agent_start(const char *db_flag, const char *cfg_path,
	    struct strbuf *err);
/* Readable when a report waits (poll it with the terminal). */
int	 outbox_agent_fd(const struct outbox_agent *a);
/* Take the report (and drain the fd); false when nothing happened. */
bool	 outbox_agent_report(struct outbox_agent *a, struct outbox_agent_report *out);
/* Stop, waiting at most wait_ms; a frees itself if it is still busy then.
 * True when the thread had ended in time. */
bool	 outbox_agent_stop(struct outbox_agent *a, int wait_ms);

#endif
