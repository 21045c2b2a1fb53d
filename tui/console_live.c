/* console_live.c: live updates.  Change notices (LISTEN/NOTIFY) on the
 * alert, incident and outbox channels are gathered into batches and told
 * to the views through view_ops.notify; the views reload what is stale
 * and the header recounts, once per batch.  A page's state change is told
 * as a change of its incident: any view showing the incident reloads it,
 * pages included, without a key. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "console_int.h"
#include "strbuf.h"

#define MAX_CHANGE_IDS	1024

void
console_refresh_counts(struct console *c)
{
	struct queue_counts was = c->counts;

	if (!c->counts_stale || c->db_lost)
		return;
	c->counts_stale = false;
	c->stats.counts++;
	if (queue_counts(c->db, &c->counts) < 0) {
		console_db_error(c, "counting alerts");
		return;
	}
	/* A batch of notices that left the counts as they were (an update
	 * of occurrences, say) repaints nothing by itself. */
	if (!c->counts_ok || memcmp(&was, &c->counts, sizeof was) != 0)
		c->dirty = true;
	c->counts_ok = true;
}

/* Parse "insert:1,2,3;new" / "update:*;new,closed" (sql/003_search.sql)
 * into the waiting ids and statuses.  Anything unexpected widens the
 * change to "all, any status" rather than miss one. */
static void
change_add(struct console *c, const char *payload)
{
	const char *p = strchr(payload, ':'), *st;
	char *end, name[32];
	long long id;
	size_t len;
	enum alert_status s;

	if (strncmp(payload, "insert:", 7) != 0)
		c->live_inserts = false;
	st = p != NULL ? strchr(p, ';') : NULL;
	if (st == NULL) {
		c->live_statuses = ~0u;
	} else {
		for (st++; *st != '\0'; st += len + (st[len] == ',')) {
			len = strcspn(st, ",");
			snprintf(name, sizeof name, "%.*s", (int)(len < sizeof name ?
			    len : sizeof name - 1), st);
			s = status_parse(name);
			c->live_statuses |= s == ST_UNKNOWN ? ~0u : 1u << s;
			if (len == 0)
				break;
		}
	}
	if (p == NULL || p[1] == '*') {
		c->live_all = true;
		return;
	}
	for (p++; *p != '\0' && *p != ';'; p = *end == ',' ? end + 1 : end) {
		id = strtoll(p, &end, 10);
		if (end == p)
			break;
		if (c->live_n < MAX_CHANGE_IDS)
			c->live_ids[c->live_n++] = id;
		else
			c->live_all = true;
	}
}

/* "insert:1,2" / "update:*" / "note:7" (sql/004_incidents.sql): the
 * incidents named wait apart from the alerts. */
static void
incident_change_add(struct console *c, const char *payload)
{
	const char *p = strchr(payload, ':');
	char *end;
	long long id;

	if (p == NULL || p[1] == '*') {
		c->inc_all = true;
		return;
	}
	for (p++; *p != '\0'; p = *end == ',' ? end + 1 : end) {
		id = strtoll(p, &end, 10);
		if (end == p)
			break;
		if (c->inc_n < MAX_CHANGE_IDS)
			c->inc_ids[c->inc_n++] = id;
		else
			c->inc_all = true;
	}
}

/* "insert:12;7;pending" / "update:12;7;sent" (sql/006_outbox.sql): the
 * page's incident changed, as far as any view showing it is concerned;
 * told with the incident notices.  A notice without an incident (a page
 * of none) concerns no view. */
static void
page_change_add(struct console *c, const char *payload)
{
	const char *p = strchr(payload, ';');
	char *end;
	long long id;

	if (p == NULL) {
		c->inc_all = true;
		return;
	}
	id = strtoll(p + 1, &end, 10);
	if (end == p + 1)
		return;
	if (c->inc_n < MAX_CHANGE_IDS)
		c->inc_ids[c->inc_n++] = id;
	else
		c->inc_all = true;
}

/* One round trip and one commit for the three channels: a console deaf
 * to a stream listens again once a second.  The names are constants. */
int
console_listen(struct console *c)
{
	return db_script(c->db, "LISTEN " LIVE_CHANNEL "; LISTEN " INCIDENT_CHANNEL
	    "; LISTEN " OUTBOX_CHANNEL);
}

/* A stream is on: stop hearing it until this batch is told (see
 * CONSOLE_LIVE_DEAF), and tell the batch as "anything changed". */
static void
live_deafen(struct console *c)
{
	/* Every channel: a backend listening on any channel is woken by
	 * every notifying commit in the database, whatever the channel. */
	if (db_unlisten(c->db, "*") < 0)
		return;		/* still listening: the ids stay exact */
	c->live_deaf = true;
	c->live_all = true;
	c->live_statuses = ~0u;
	c->live_inserts = false;
	c->inc_all = true;
	c->live_incidents = true;
	c->stats.deaf++;
}

/* Read the waiting notices; once the first has waited CONSOLE_LIVE_MS
 * and, while notices keep coming, the last batch is CONSOLE_LIVE_GAP_MS
 * old, tell the views about all of them at once.  Returns true while
 * notices wait, so the loop wakes up in time. */
bool
console_poll_database(struct console *c)
{
	char chan[64], payload[1024];
	struct view_change ch;
	long long now;
	int r;

	if (c->db_lost || c->db->conn == NULL)
		return false;
	if (c->live_ids == NULL)
		c->live_ids = xcalloc(MAX_CHANGE_IDS, sizeof *c->live_ids);
	if (c->inc_ids == NULL)
		c->inc_ids = xcalloc(MAX_CHANGE_IDS, sizeof *c->inc_ids);
	while ((r = db_notification(c->db, chan, sizeof chan, payload, sizeof payload)) > 0) {
		bool alerts = strcmp(chan, LIVE_CHANNEL) == 0;
		bool pages = strcmp(chan, OUTBOX_CHANNEL) == 0;

		if (!alerts && !pages && strcmp(chan, INCIDENT_CHANNEL) != 0)
			continue;
		now = console_now_ms();
		if (c->live_since == 0) {
			c->live_since = now;
			c->live_inserts = true;
			/* After a silence, told in CONSOLE_LIVE_MS whenever the
			 * last batch was: one change shows at once. */
			c->live_quiet = now - c->live_heard >= CONSOLE_LIVE_MS;
		}
		c->live_heard = now;
		if (alerts) {
			change_add(c, payload);
			c->live_alerts = true;
			if (++c->live_heard_n > CONSOLE_LIVE_DEAF && !c->live_deaf)
				live_deafen(c);
		} else {
			if (pages)
				page_change_add(c, payload);
			else
				incident_change_add(c, payload);
			c->live_incidents = true;
		}
		c->stats.notices++;
		console_trace(c, "notify");
	}
	if (r < 0) {
		/* Drawn now, not at the next 30 s repaint: an idle console
		 * must show DISCONNECTED as soon as the socket closes. */
		c->db_lost = true;
		c->dirty = true;
		console_error(c, "database connection lost: r reconnects");
		return false;
	}
	if (c->live_since == 0)
		return false;
	now = console_now_ms();
	if (now - c->live_since < CONSOLE_LIVE_MS ||
	    (!c->live_quiet && now - c->live_told < (c->live_deaf ?
	    CONSOLE_LIVE_DEAF_GAP_MS : CONSOLE_LIVE_GAP_MS)))
		return true;
	c->live_told = now;
	console_trace(c, "live");
	/* Listening again before the views reload: what commits after the
	 * LISTEN is heard, what committed before it the reload reads. */
	if (c->live_deaf) {
		if (console_listen(c) < 0) {
			c->db_lost = true;
			c->dirty = true;
			console_error(c, "database connection lost: r reconnects");
			return false;
		}
		c->live_deaf = false;
		/* Deaf is not quiet: the next notice continues the stream
		 * and waits for the gap like any other. */
		c->live_heard = now;
	}
	c->live_heard_n = 0;
	if (c->live_alerts) {
		memset(&ch, 0, sizeof ch);
		ch.all = c->live_all;
		ch.ids = c->live_ids;
		ch.n = c->live_n;
		ch.statuses = c->live_statuses;
		ch.inserts_only = c->live_inserts;
		console_changed(c, NULL, &ch);
	}
	if (c->live_incidents) {
		memset(&ch, 0, sizeof ch);
		ch.incidents = true;
		ch.all = c->inc_all;
		ch.ids = c->inc_ids;
		ch.n = c->inc_n;
		ch.statuses = 0;
		console_changed(c, NULL, &ch);
	}
	c->live_alerts = c->live_incidents = false;
	c->inc_n = 0;
	c->inc_all = false;
	c->live_n = 0;
	c->live_all = false;
	c->live_statuses = 0;
	c->live_since = 0;
	c->stats.batches++;
	console_stats_write(c);
	return false;
}

void
console_changed(struct console *c, struct view *from, const struct view_change *ch)
{
	int i;

	for (i = 0; i < c->depth; i++)
		if (c->stack[i] != from && c->stack[i]->ops->notify != NULL)
			c->stack[i]->ops->notify(c->stack[i], ch);
	/* Every status has its header count, so any change may move them:
	 * one read per batch.  The screen is redrawn only by what actually
	 * changed (a view's reload, other counts), not by the notice. */
	if (ch->statuses != 0)
		c->counts_stale = true;
	if (from != NULL)
		c->dirty = true;
}

/* Reload what is stale; true while something still waits (throttled). */
bool
console_refresh_views(struct console *c)
{
	struct view *v = console_top(c);
	bool pending = false;

	if (v->ops->reload != NULL)
		pending = v->ops->reload(v);
	console_refresh_counts(c);
	return pending;
}
