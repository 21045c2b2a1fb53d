/* view_detail.c: one alert with everything an analyst needs to decide:
 * fields, evidence (pretty JSON), notes, other alerts on the same asset,
 * and the alert's audit history.  The action keys act on this alert, with
 * the version shown here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "action.h"
#include "alert.h"
#include "console.h"
#include "display.h"
#include "evidence.h"
#include "format.h"
#include "model.h"
#include "pager.h"
#include "queue.h"
#include "sanitize.h"
#include "strbuf.h"

#define DETAIL_LABEL_W	13
#define DETAIL_HISTORY	50
#define DETAIL_SIBLINGS	10

struct detail {
	struct console		*con;
	long long		 id;
	struct alert		 a;
	bool			 loaded;
	struct alert_note	*notes;
	int			 nnotes;
	struct alert_event	*events;
	int			 nevents;
	struct queue_page	 siblings;
	struct pager		 pg;
	bool			 stale;
};

static const struct view_hint detail_hints[] = {
	{ REQ_BACK, "back" },
	{ REQ_TAKE, "take" },
	{ REQ_CLOSE, "close" },
	{ REQ_NOTE, "note" },
	{ REQ_ESCALATE, "escalate" },
	{ REQ_ASSET, "asset" },
	{ REQ_INCIDENT, "incident" },
	{ REQ_HELP, "help" },
	{ REQ_NONE, NULL }
};

static void
detail_unload(struct detail *d)
{
	if (d->loaded)
		alert_free(&d->a);
	alert_notes_free(d->notes, d->nnotes);
	alert_history_free(d->events, d->nevents);
	queue_page_free(&d->siblings);
	d->notes = NULL;
	d->events = NULL;
	d->nnotes = d->nevents = 0;
	d->loaded = false;
}

/* Four queries, each by primary key or index; only on open and reload. */
static int
detail_load(struct detail *d)
{
	int rc;

	detail_unload(d);
	if (!console_db_ready(d->con))
		return -1;
	rc = alert_get(d->con->db, d->id, &d->a);
	if (rc < 0) {
		console_db_error(d->con, "loading the alert");
		return -1;
	}
	if (rc > 0) {
		console_error(d->con, "alert %lld no longer exists", d->id);
		return -1;
	}
	d->loaded = true;
	d->nnotes = alert_notes(d->con->db, d->id, &d->notes);
	if (d->nnotes < 0) {
		d->nnotes = 0;
		d->notes = NULL;
	}
	d->nevents = alert_history(d->con->db, d->id, DETAIL_HISTORY, &d->events);
	if (d->nevents < 0) {
		d->nevents = 0;
		d->events = NULL;
	}
	/* By id: one ordered index range, whatever the asset's size. */
	if (queue_asset_latest(d->con->db, d->a.asset_id, DETAIL_SIBLINGS + 1,
	    &d->siblings) < 0)
		memset(&d->siblings, 0, sizeof d->siblings);
	d->stale = false;
	return 0;
}

static void
add_evidence(struct pager *p, const char *evidence)
{
	struct strbuf sb;

	/* Indented, sanitized, and bounded in depth and size: evidence is
	 * attacker-controlled and the pager keeps every line in memory. */
	strbuf_init(&sb);
	evidence_pretty(&sb, evidence, evidence ? strlen(evidence) : 0,
	    display_san_flags(), EVIDENCE_DEPTH_MAX, EVIDENCE_BYTES_MAX);
	pager_untrusted(p, ROLE_NORMAL, sb.buf, 2);
	strbuf_free(&sb);
}

static void
detail_build(struct detail *d, int width)
{
	struct pager *p = &d->pg;
	struct alert *a = &d->a;
	struct strbuf sb;
	char buf[256], ts[32];
	int i;

	pager_clear(p, width);
	if (!d->loaded) {
		pager_text(p, ROLE_DIM, "(alert not loaded: r to retry)");
		return;
	}
	strbuf_init(&sb);
	snprintf(buf, sizeof buf, "Alert %lld  %s  %s  (version %d)", a->id,
	    severity_name(a->severity), status_name(a->status), a->version);
	pager_text(p, ROLE_SECTION, buf);
	pager_field(p, "Title", a->title);
	strbuf_appendf(&sb, "%s  %s", a->rule_id ? a->rule_id : "-",
	    a->rule_name ? a->rule_name : "");
	pager_field(p, "Rule", sb.buf);
	strbuf_reset(&sb);
	strbuf_appendf(&sb, "%s %s%s%s%s", a->asset_kind ? a->asset_kind : "?",
	    a->asset_ref ? a->asset_ref : "?", a->asset_name ? " \"" : "",
	    a->asset_name ? a->asset_name : "", a->asset_name ? "\"" : "");
	pager_field(p, "Asset", sb.buf);
	pager_field(p, "Assignee", a->assignee ? a->assignee : "(nobody)");
	if (a->status == ST_CLOSED || a->disposition != DISP_NONE) {
		pager_field(p, "Disposition", disposition_name(a->disposition));
		pager_field(p, "Reason", a->disposition_reason);
	}
	if (a->incident_id != 0) {
		strbuf_reset(&sb);
		strbuf_appendf(&sb, "#%lld %s", a->incident_id,
		    a->incident_title ? a->incident_title : "");
		pager_field(p, "Incident", sb.buf);
	}
	pager_field_time(p, "First seen", a->first_seen);
	pager_field_time(p, "Last seen", a->last_seen);
	snprintf(buf, sizeof buf, "%d", a->occurrences);
	pager_field(p, "Occurrences", buf);
	if (a->dedup_key)
		pager_field(p, "Dedup key", a->dedup_key);
	if (a->closed_at)
		pager_field_time(p, "Closed", a->closed_at);
	pager_field_time(p, "Updated", a->updated_at);

	pager_section(p, "Evidence");
	add_evidence(p, a->evidence);

	snprintf(buf, sizeof buf, "Notes (%d)", d->nnotes);
	pager_section(p, buf);
	if (d->nnotes == 0)
		pager_text(p, ROLE_DIM, "  (none: n adds one)");
	for (i = 0; i < d->nnotes; i++) {
		format_ts(ts, sizeof ts, d->notes[i].at);
		strbuf_reset(&sb);
		sanitize(&sb, d->notes[i].author ? d->notes[i].author : "?",
		    d->notes[i].author ? strlen(d->notes[i].author) : 1,
		    display_san_flags());
		snprintf(buf, sizeof buf, "  %s  %s", ts, sb.buf);
		pager_text(p, ROLE_LABEL, buf);
		pager_untrusted(p, ROLE_NORMAL, d->notes[i].body, 4);
	}

	strbuf_reset(&sb);
	sanitize(&sb, a->asset_ref ? a->asset_ref : "", a->asset_ref ?
	    strlen(a->asset_ref) : 0, display_san_flags());
	snprintf(buf, sizeof buf, "Other alerts on %s", sb.buf);
	pager_section(p, buf);
	{
		int shown = 0;
		for (i = 0; i < d->siblings.n && shown < DETAIL_SIBLINGS; i++) {
			const struct queue_row *r = &d->siblings.rows[i];
			struct strbuf raw;
			char age[16];

			if (r->id == a->id)
				continue;
			format_age(age, sizeof age, time(NULL), r->last_seen);
			strbuf_init(&raw);
			strbuf_appendf(&raw, "  #%-6lld %-4s %-6s %4s %-4s %s", r->id,
			    severity_label(r->severity), status_label(r->status), age,
			    r->rule_id ? r->rule_id : "", r->title ? r->title : "");
			pager_untrusted(p, ROLE_NORMAL, raw.buf, 0);
			strbuf_free(&raw);
			shown++;
		}
		if (shown == 0)
			pager_text(p, ROLE_DIM, "  (none)");
	}

	snprintf(buf, sizeof buf, "History (%d)", d->nevents);
	pager_section(p, buf);
	for (i = 0; i < d->nevents; i++) {
		struct strbuf raw;

		format_ts(ts, sizeof ts, d->events[i].at);
		strbuf_init(&raw);
		strbuf_appendf(&raw, "  %s  %s  %s  %s", ts,
		    d->events[i].actor ? d->events[i].actor : "?",
		    d->events[i].action ? d->events[i].action : "?",
		    d->events[i].details ? d->events[i].details : "");
		pager_untrusted(p, ROLE_NORMAL, raw.buf, 0);
		strbuf_free(&raw);
	}
	if (d->nevents == 0)
		pager_text(p, ROLE_DIM, "  (no recorded actions)");
	strbuf_free(&sb);
}

static int
detail_open(struct view *v, const void *arg)
{
	struct detail *d = xcalloc(1, sizeof *d);

	d->con = v->con;
	d->id = *(const long long *)arg;
	pager_init(&d->pg, 0, DETAIL_LABEL_W);
	v->priv = d;
	if (detail_load(d) < 0) {
		detail_unload(d);
		pager_free(&d->pg);
		free(d);
		v->priv = NULL;
		return -1;
	}
	return 0;
}

static void
detail_close(struct view *v)
{
	struct detail *d = v->priv;

	detail_unload(d);
	pager_free(&d->pg);
	free(d);
}

static void
detail_draw(struct view *v, WINDOW *w, int h, int width)
{
	struct detail *d = v->priv;

	if (d->pg.width != width || d->pg.n == 0)
		detail_build(d, width);
	pager_draw(&d->pg, w, h, width);
}

static void
detail_reload(struct detail *d)
{
	detail_load(d);
	d->pg.width = 0;	/* rebuild at the next draw, same scroll */
	console_dirty(d->con);
}

static void
detail_action(struct view *v, enum request req, const struct action_args *args)
{
	struct detail *d = v->priv;
	struct action_target t;
	int rc;

	if (!d->loaded) {
		console_error(d->con, "the alert is not loaded (r to retry)");
		return;
	}
	t.ids = &d->a.id;
	t.versions = &d->a.version;
	t.n = 1;
	rc = action_run(d->con, req, &t, args);
	if (rc >= 0 && rc != TRIAGE_DENIED) {
		struct view_change ch = { .ids = &d->a.id, .n = 1, .statuses = ~0u };

		detail_reload(d);
		console_changed(d->con, v, &ch);
	}
}

static enum request
detail_request(struct view *v, enum request req)
{
	struct detail *d = v->priv;

	switch (req) {
	case REQ_REFRESH:
		detail_reload(d);
		return REQ_NONE;
	case REQ_ASSET:
		if (d->loaded)
			console_push(d->con, &view_asset_ops, &d->a.asset_id);
		return REQ_NONE;
	case REQ_INCIDENT:
		if (!d->loaded)
			return REQ_NONE;
		if (d->a.incident_id == 0)
			console_error(d->con, "alert %lld is not part of an incident "
			    "(e escalates it)", d->id);
		else
			console_push(d->con, &view_incident_ops, &d->a.incident_id);
		return REQ_NONE;
	case REQ_AUDIT:
		if (d->loaded) {
			char q[48];

			snprintf(q, sizeof q, "alert=%lld", d->id);
			console_push(d->con, &view_audit_ops, q);
		}
		return REQ_NONE;
	case REQ_ENTER:
		return REQ_NONE;
	default:
		if (action_for_request(req) != TA__COUNT) {
			detail_action(v, req, NULL);
			return REQ_NONE;
		}
		return pager_request(&d->pg, req, v->h);
	}
}

static void
detail_notify(struct view *v, const struct view_change *c)
{
	struct detail *d = v->priv;
	size_t i;

	if (c->incidents)
		return;		/* incident ids, not alerts */
	if (c->all)
		d->stale = true;
	for (i = 0; i < c->n; i++)
		if (c->ids[i] == d->id)
			d->stale = true;
}

static bool
detail_refresh(struct view *v)
{
	struct detail *d = v->priv;

	if (d->stale && !d->con->db_lost)
		detail_reload(d);
	return false;
}

static void
detail_position(struct view *v, char *buf, size_t len)
{
	struct detail *d = v->priv;

	pager_position(&d->pg, v->h, buf, len);
}

const struct view_ops view_detail_ops = {
	.name = "alert",
	.scope = KS_DETAIL,
	.open = detail_open,
	.close = detail_close,
	.draw = detail_draw,
	.request = detail_request,
	.notify = detail_notify,
	.reload = detail_refresh,
	.action = detail_action,
	.position = detail_position,
	.hints = detail_hints,
};
