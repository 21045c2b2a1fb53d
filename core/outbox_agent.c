/* outbox_agent.c: the console's deliverer thread (see outbox_agent.h). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db.h"
#include "model.h"
#include "outbox.h"
#include "outbox_agent.h"
#include "secrets.h"
#include "settings.h"
#include "strbuf.h"

#define AGENT_BATCH	5	/* pages per pass before due times are re-read */
#define AGENT_IDLE_S	30	/* longest sleep without a notice */
#define AGENT_RETRY_MS	5000	/* after a lost or refused connection */

struct outbox_agent {
	pthread_t	 thread;
	atomic_bool	 stop;
	int		 wake[2];	/* console -> thread: stop */
	int		 note[2];	/* thread -> console: a report waits */

	pthread_mutex_t	 mu;		/* guards what follows */
	struct outbox_agent_report rep;
	bool		 have;		/* rep holds something */
	bool		 done;		/* the thread ended */
	bool		 orphan;	/* the console left: the thread frees a */

	/* The thread's own, never touched by the console after the start. */
	char		*db_flag;
	struct settings	 cfg;
	struct secrets	 sec;
};

static int
pipe_nb(int fd[2])
{
	int i;

	if (pipe(fd) < 0)
		return -1;
	for (i = 0; i < 2; i++) {
		fcntl(fd[i], F_SETFL, fcntl(fd[i], F_GETFL) | O_NONBLOCK);
		fcntl(fd[i], F_SETFD, FD_CLOEXEC);
	}
	return 0;
}

static void
poke(int fd)
{
	char b = 1;

	/* Full pipe: a wake-up is waiting already. */
	if (write(fd, &b, 1) < 0 && errno != EAGAIN)
		return;
}

static void
drain(int fd)
{
	char buf[64];

	while (read(fd, buf, sizeof buf) > 0)
		;
}

static void
agent_free(struct outbox_agent *a)
{
	close(a->wake[0]);
	close(a->wake[1]);
	close(a->note[0]);
	close(a->note[1]);
	pthread_mutex_destroy(&a->mu);
	free(a->db_flag);
	settings_free(&a->cfg);
	secrets_free(&a->sec);
	free(a);
}

static void __attribute__((format(printf, 2, 3)))
agent_error(struct outbox_agent *a, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&a->mu);
	va_start(ap, fmt);
	vsnprintf(a->rep.error, sizeof a->rep.error, fmt, ap);
	va_end(ap);
	a->rep.error[strcspn(a->rep.error, "\n")] = '\0';
	a->rep.error_set = true;
	a->have = true;
	pthread_mutex_unlock(&a->mu);
	poke(a->note[1]);
}

static void
agent_counts(struct outbox_agent *a, const struct outbox_run *run)
{
	if (run->sent + run->retrying + run->failed == 0)
		return;
	pthread_mutex_lock(&a->mu);
	a->rep.sent += run->sent;
	a->rep.retrying += run->retrying;
	a->rep.failed += run->failed;
	a->have = true;
	pthread_mutex_unlock(&a->mu);
	poke(a->note[1]);
}

/* Sleep until ms pass, the console says stop, or (with db) a notice. */
static void
agent_sleep(struct outbox_agent *a, struct db *db, long ms)
{
	struct pollfd p[2];
	char ch[64], payload[256];
	int n = 0, sock = db != NULL ? db_socket(db) : -1;

	p[n].fd = a->wake[0];
	p[n++].events = POLLIN;
	if (sock >= 0) {
		p[n].fd = sock;
		p[n++].events = POLLIN;
	}
	if (!atomic_load(&a->stop))
		poll(p, (nfds_t)n, (int)ms);
	drain(a->wake[0]);
	if (db != NULL)
		while (db_notification(db, ch, sizeof ch, payload, sizeof payload) == 1)
			;
}

static void *
agent_main(void *arg)
{
	struct outbox_agent *a = arg;
	struct outbox_run run;
	struct strbuf skipped;
	struct db db;
	bool connected = false, told_skipped = false, orphan;
	long due;
	int n;

	memset(&db, 0, sizeof db);
	strbuf_init(&skipped);
	while (!atomic_load(&a->stop)) {
		if (!connected) {
			if (db_connect(&db, a->db_flag) < 0 || db_listen(&db, "vsoc_outbox") < 0) {
				agent_error(a, "page delivery cannot reach the database: %s",
				    db.errmsg);
				db_disconnect(&db);
				agent_sleep(a, NULL, AGENT_RETRY_MS);
				continue;
			}
			connected = true;
		}
		memset(&run, 0, sizeof run);
		run.cancel = &a->stop;
		run.skipped = told_skipped ? NULL : &skipped;
		n = outbox_deliver_due(&db, &a->cfg, &a->sec, AGENT_BATCH, time(NULL), &run);
		agent_counts(a, &run);
		outbox_run_free(&run);
		if (!told_skipped && skipped.len > 0) {
			/* Said once: the channels left to other deliverers. */
			skipped.buf[strcspn(skipped.buf, "\n")] = '\0';
			agent_error(a, "page delivery skips %s", skipped.buf);
		}
		told_skipped = true;
		due = n < 0 ? -2 : n > 0 ? 0 : outbox_next_due(&db, &a->cfg);
		if (due == -2) {
			if (atomic_load(&a->stop))
				break;
			agent_error(a, "page delivery: %s", db.errmsg);
			if (db.conn == NULL || PQstatus(db.conn) != CONNECTION_OK) {
				db_disconnect(&db);
				connected = false;
			}
			agent_sleep(a, NULL, AGENT_RETRY_MS);
			continue;
		}
		if (due == 0 && n > 0)
			continue;
		/* Due but nothing claimed: another deliverer holds those pages;
		 * its outcome's NOTIFY (or a second) wakes this one. */
		if (due == 0)
			due = 1;
		agent_sleep(a, &db, (due < 0 || due > AGENT_IDLE_S ? AGENT_IDLE_S : due) * 1000L);
	}
	/* A claimed row not yet recorded was rolled back by the deliverer;
	 * closing the connection ends anything else. */
	db_disconnect(&db);
	strbuf_free(&skipped);
	pthread_mutex_lock(&a->mu);
	a->done = true;
	orphan = a->orphan;
	pthread_mutex_unlock(&a->mu);
	if (orphan)
		agent_free(a);
	else
		poke(a->note[1]);
	return NULL;
}

struct outbox_agent *
outbox_agent_start(const char *db_flag, const char *cfg_path, struct strbuf *err)
{
	struct outbox_agent *a = xcalloc(1, sizeof *a);
	struct strbuf warn;
	sigset_t all, old;
	int rc;

	a->wake[0] = a->wake[1] = a->note[0] = a->note[1] = -1;
	pthread_mutex_init(&a->mu, NULL);
	atomic_init(&a->stop, false);
	settings_init(&a->cfg);
	secrets_init(&a->sec);
	a->db_flag = db_flag != NULL ? xstrdup(db_flag) : NULL;
	/* The thread reads its own copy of the settings: it may outlive the
	 * console's (outbox_agent_stop). */
	strbuf_init(&warn);
	if (cfg_path == NULL || settings_load(&a->cfg, cfg_path, err, &warn) > 0 ||
	    settings_apply_env(&a->cfg, err) > 0 || secrets_load(&a->sec, NULL, err) > 0) {
		if (cfg_path == NULL)
			strbuf_append(err, "no settings file");
		strbuf_free(&warn);
		agent_free(a);
		return NULL;
	}
	strbuf_free(&warn);
	if (a->cfg.channels.n == 0) {
		strbuf_append(err, "no channel is configured");
		agent_free(a);
		return NULL;
	}
	if (pipe_nb(a->wake) < 0 || pipe_nb(a->note) < 0) {
		strbuf_appendf(err, "pipe: %s", strerror(errno));
		agent_free(a);
		return NULL;
	}
	/* Signals stay the console's: the thread blocks them all. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&a->thread, NULL, agent_main, a);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		strbuf_appendf(err, "no thread: %s", strerror(rc));
		agent_free(a);
		return NULL;
	}
	return a;
}

int
outbox_agent_fd(const struct outbox_agent *a)
{
	return a->note[0];
}

bool
outbox_agent_report(struct outbox_agent *a, struct outbox_agent_report *out)
{
	bool have;

	drain(a->note[0]);
	pthread_mutex_lock(&a->mu);
	have = a->have;
	*out = a->rep;
	memset(&a->rep, 0, sizeof a->rep);
	a->have = false;
	pthread_mutex_unlock(&a->mu);
	return have;
}

bool
outbox_agent_stop(struct outbox_agent *a, int wait_ms)
{
	struct pollfd p;
	struct timespec t0, t;
	long left = wait_ms;
	bool done;

	atomic_store(&a->stop, true);
	poke(a->wake[1]);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		pthread_mutex_lock(&a->mu);
		done = a->done;
		if (!done && left <= 0)
			a->orphan = true;
		pthread_mutex_unlock(&a->mu);
		if (done || left <= 0)
			break;
		p.fd = a->note[0];
		p.events = POLLIN;
		poll(&p, 1, (int)left);
		drain(a->note[0]);
		clock_gettime(CLOCK_MONOTONIC, &t);
		left = wait_ms - ((t.tv_sec - t0.tv_sec) * 1000L +
		    (t.tv_nsec - t0.tv_nsec) / 1000000L);
	}
	if (!done) {
		/* Still sending: it ends on its own and frees a. */
		pthread_detach(a->thread);
		return false;
	}
	pthread_join(a->thread, NULL);
	agent_free(a);
	return true;
}
