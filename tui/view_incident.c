/* view_incident.c: one incident: its summary (status, severity with the
 * override and its reason, owner, scope, alert counts), its alerts as a
 * selectable list (Enter opens one as the queue does), its notes and its
 * timeline (audit records, newest first).  The actions of the incident
 * list work here too (action_incident.h), and changes arrive live.  Alerts
 * are marked with m and removed, moved to another incident, or another
 * incident is merged into this one (view_incident_marks.h).
 *
 * The content is a pager; the alert rows are pager lines whose index is
 * kept, so j/k move a selection over them and the other sections scroll
 * as in the alert view. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "action.h"
#include "action_incident.h"
#include "action_incident_alerts.h"
#include "action_page.h"
#include "console.h"
#include "display.h"
#include "format.h"
#include "incident_status.h"
#include "incident_view.h"
#include "marks.h"
#include "model.h"
#include "outbox.h"
#include "pager.h"
#include "sanitize.h"
#include "strbuf.h"
#include "theme.h"
#include "view_incident_marks.h"

#define IV_LABEL_W	14
#define IV_RELOAD_MS	200

struct iview {
	struct console	*con;
	long long	 id;
	json_t		*doc;
	struct pager	 pg;
	long long	*alert_ids;	/* in display order */
	int		*alert_line;	/* each one's pager line */
	int		 nalerts;
	int		 sel;		/* selected alert; -1 none */
	struct marks	 marks;		/* alerts marked for remove or move */
	bool		 stale;
	long long	 last_reload_ms;
};

static const struct view_hint incident_hints[] = {
	{ REQ_BACK, "back" },
	{ REQ_ENTER, "alert" },
	{ REQ_MARK, "mark" },
	{ REQ_MOVE_ALERTS, "move" },
	{ REQ_STATUS, "status" },
	{ REQ_NOTE, "note" },
	{ REQ_SEVERITY, "severity" },
	{ REQ_HELP, "help" },
	{ REQ_NONE, NULL }
};

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *
str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "";
}

static long long
num(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

/* The alert rows for view_incident_marks.c. */
static const struct incident_rows *
rows_of(const struct iview *iv, struct incident_rows *rows)
{
	rows->ids = iv->alert_ids;
	rows->lines = iv->alert_line;
	rows->alerts = json_object_get(iv->doc, "alerts");
	rows->n = iv->nalerts;
	rows->sel = iv->sel;
	return rows;
}

/* --- building ------------------------------------------------------------ */

static long long
open_alerts(const json_t *alerts)
{
	const json_t *a;
	size_t i;
	long long n = 0;

	json_array_foreach(alerts, i, a) {
		const char *s = str(a, "status");
		if (strcmp(s, "new") == 0 || strcmp(s, "acknowledged") == 0 ||
		    strcmp(s, "escalated") == 0)
			n++;
	}
	return n;
}

static void
build_summary(struct iview *iv, int width)
{
	struct pager *p = &iv->pg;
	const json_t *d = iv->doc, *sev = json_object_get(d, "severity"), *alerts;
	char buf[256];
	struct strbuf sb;

	snprintf(buf, sizeof buf, "Incident %lld", iv->id);
	pager_text(p, ROLE_SECTION, buf);
	pager_field(p, "Title", str(d, "title"));
	pager_field(p, "Status", str(d, "status"));
	strbuf_init(&sb);
	if (json_is_integer(json_object_get(sev, "override"))) {
		strbuf_appendf(&sb, "%s (override by %s, computed %s)",
		    severity_name((int)num(sev, "override")), str(sev, "override_by"),
		    severity_name((int)num(sev, "computed")));
		pager_field(p, "Severity", sb.buf);
		pager_field(p, "Override why", str(sev, "override_reason"));
	} else {
		strbuf_appendf(&sb, "%s (computed)", severity_name((int)num(sev, "effective")));
		pager_field(p, "Severity", sb.buf);
	}
	strbuf_free(&sb);
	/* Why the classifier says so (core/severity.c): a line per factor. */
	{
		const json_t *lines = json_object_get(sev, "explanation");
		size_t k;

		for (k = 0; k < json_array_size(lines); k++)
			pager_field(p, k == 0 ? "Because" : "",
			    json_string_value(json_array_get(lines, k)));
	}
	pager_field(p, "Owner", json_is_string(json_object_get(d, "owner")) ?
	    str(d, "owner") : "(nobody)");
	pager_field(p, "Scope", str(d, "scope"));
	alerts = json_object_get(d, "alerts");
	snprintf(buf, sizeof buf, "%lld open of %lld", open_alerts(alerts),
	    num(d, "alerts_total"));
	pager_field(p, "Alerts", buf);
	pager_field(p, "Created", str(d, "created_at"));
	snprintf(buf, sizeof buf, "%s by %s (version %lld)", str(d, "updated_at"),
	    json_is_string(json_object_get(d, "updated_by")) ? str(d, "updated_by") : "-",
	    num(d, "version"));
	pager_field(p, "Updated", buf);
	if (json_is_string(json_object_get(d, "resolution")))
		pager_field(p, "Resolution", str(d, "resolution"));
	if (json_is_integer(json_object_get(d, "merged_into"))) {
		snprintf(buf, sizeof buf, "incident %lld (i opens it)", num(d, "merged_into"));
		pager_field(p, "Merged into", buf);
	}
	{
		const json_t *m;
		size_t k;

		/* pager_field sanitizes the stored titles. */
		json_array_foreach(json_object_get(d, "merged_from"), k, m) {
			strbuf_init(&sb);
			strbuf_appendf(&sb, "incident %lld: %s", num(m, "id"), str(m, "title"));
			pager_field(p, k == 0 ? "Merged from" : "", sb.buf);
			strbuf_free(&sb);
		}
	}
	(void)width;
}

static void
build_alerts(struct iview *iv, int width)
{
	struct pager *p = &iv->pg;
	const json_t *alerts = json_object_get(iv->doc, "alerts"), *a;
	struct strbuf raw, clean, line;
	size_t i, n = json_array_size(alerts);

	free(iv->alert_ids);
	free(iv->alert_line);
	iv->alert_ids = xcalloc(n + 1, sizeof *iv->alert_ids);
	iv->alert_line = xcalloc(n + 1, sizeof *iv->alert_line);
	iv->nalerts = 0;
	pager_section(p, "Alerts (j/k select, Enter opens)");
	if (n == 0) {
		pager_text(p, ROLE_DIM, "  (none)");
		return;
	}
	strbuf_init(&raw);
	strbuf_init(&clean);
	strbuf_init(&line);
	json_array_foreach(alerts, i, a) {
		strbuf_reset(&raw);
		strbuf_reset(&clean);
		strbuf_reset(&line);
		/* Rule, asset and title come from stations: sanitized. */
		strbuf_appendf(&raw, "  %-4s %7lld %-12s %-8s %-10s %s",
		    severity_label((int)num(a, "severity")), num(a, "id"), str(a, "status"),
		    str(a, "rule_id"), str(a, "asset_ref"), str(a, "title"));
		sanitize(&clean, raw.buf, raw.len, display_san_flags());
		format_fit(&line, clean.buf, width, display_fit_flags());
		iv->alert_ids[iv->nalerts] = num(a, "id");
		iv->alert_line[iv->nalerts] = p->n;
		iv->nalerts++;
		pager_text(p, ROLE_NORMAL, line.buf);
	}
	strbuf_free(&raw);
	strbuf_free(&clean);
	strbuf_free(&line);
}

/* A string member, or NULL (null, missing). */
static const char *
str_or_null(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The incident's on-call pages, newest first, each with its delivery
 * state; they change live (the outbox's NOTIFY reloads the view). */
static void
build_pages(struct iview *iv)
{
	struct pager *p = &iv->pg;
	const json_t *pages = json_object_get(iv->doc, "pages"), *pg;
	struct strbuf sb;
	size_t i;

	pager_section(p, "Pages (P pages on-call)");
	if (json_array_size(pages) == 0)
		pager_text(p, ROLE_DIM, "  (none)");
	strbuf_init(&sb);
	json_array_foreach(pages, i, pg) {
		const char *st = str(pg, "status");

		strbuf_reset(&sb);
		strbuf_appendf(&sb, "%-12s %-11s ", str(pg, "channel"), str(pg, "action"));
		outbox_state_text(st, num(pg, "attempts"), str_or_null(pg, "next_attempt"),
		    str_or_null(pg, "sent_at"), str_or_null(pg, "error"), &sb);
		/* The backend's message is untrusted: sanitized by the pager. */
		pager_untrusted(p, strcmp(st, "failed") == 0 ? ROLE_ERROR :
		    strcmp(st, "sent") == 0 ? ROLE_NORMAL : ROLE_STATUS, sb.buf, 2);
	}
	strbuf_free(&sb);
}

static void
build_notes(struct iview *iv)
{
	struct pager *p = &iv->pg;
	const json_t *notes = json_object_get(iv->doc, "notes"), *nt;
	struct strbuf sb;
	size_t i;

	pager_section(p, "Notes (n adds one)");
	if (json_array_size(notes) == 0)
		pager_text(p, ROLE_DIM, "  (none)");
	strbuf_init(&sb);
	json_array_foreach(notes, i, nt) {
		strbuf_reset(&sb);
		strbuf_appendf(&sb, "%s  %s", str(nt, "at"), str(nt, "author"));
		pager_untrusted(p, ROLE_LABEL, sb.buf, 2);
		pager_untrusted(p, ROLE_NORMAL, str(nt, "body"), 4);
	}
	strbuf_free(&sb);
}

static void
build_timeline(struct iview *iv)
{
	struct pager *p = &iv->pg;
	const json_t *tl = json_object_get(iv->doc, "timeline"), *r;
	struct strbuf sb;
	char *details;
	size_t i;

	pager_section(p, "Timeline (newest first)");
	if (json_array_size(tl) == 0)
		pager_text(p, ROLE_DIM, "  (none)");
	strbuf_init(&sb);
	json_array_foreach(tl, i, r) {
		const json_t *d = json_object_get(r, "details");
		const char *why = str(d, "reason");

		/* The why first (a reason, a resolution), then every detail. */
		if (*why == '\0')
			why = str(d, "resolution");
		strbuf_reset(&sb);
		strbuf_appendf(&sb, "%s  %s  %s%s%s", str(r, "at"), str(r, "actor"),
		    str(r, "action"), *why ? ": " : "", why);
		pager_untrusted(p, ROLE_NORMAL, sb.buf, 2);
		details = json_dumps(d, JSON_COMPACT | JSON_ENCODE_ANY);
		pager_untrusted(p, ROLE_DIM, details ? details : "", 6);
		free(details);
	}
	strbuf_free(&sb);
}

static void
build(struct iview *iv, int width)
{
	pager_clear(&iv->pg, width);
	build_summary(iv, width);
	build_alerts(iv, width);
	build_pages(iv);
	build_notes(iv);
	build_timeline(iv);
	if (iv->sel >= iv->nalerts)
		iv->sel = iv->nalerts - 1;
	if (iv->sel < 0 && iv->nalerts > 0)
		iv->sel = 0;
}

/* 0 loaded, -1 failed or gone (said on the status line). */
static int
load(struct iview *iv)
{
	long long sel = iv->sel >= 0 && iv->sel < iv->nalerts ? iv->alert_ids[iv->sel] : 0;
	struct incident_rows rows;
	bool found;
	json_t *doc;
	int i;

	iv->stale = false;
	iv->last_reload_ms = now_ms();
	if (!console_db_ready(iv->con))
		return -1;
	doc = incident_show_json(iv->con->db, iv->id, &found);
	if (doc == NULL) {
		if (found)
			console_db_error(iv->con, "loading the incident");
		else
			console_error(iv->con, "incident %lld does not exist", iv->id);
		return -1;
	}
	json_decref(iv->doc);
	iv->doc = doc;
	console_dirty(iv->con);
	/* Built now (the body is the screen's width), so the selection can
	 * follow its alert through the rebuild. */
	build(iv, iv->con->lay.cols);
	for (i = 0; i < iv->nalerts && sel != 0; i++)
		if (iv->alert_ids[i] == sel)
			iv->sel = i;
	incident_marks_keep(&iv->marks, rows_of(iv, &rows));
	return 0;
}

/* --- selection ------------------------------------------------------------ */

static void
sel_visible(struct iview *iv, int h)
{
	int line;

	if (iv->sel < 0 || iv->sel >= iv->nalerts)
		return;
	line = iv->alert_line[iv->sel];
	if (line < iv->pg.top)
		iv->pg.top = line;
	else if (line >= iv->pg.top + h)
		iv->pg.top = line - h + 1;
}

/* j/k move over the alerts while the list is on screen, and scroll past
 * its ends (to the notes and the timeline). */
static void
sel_move(struct iview *iv, int delta, int h)
{
	int line;

	if (iv->nalerts == 0 || iv->sel < 0) {
		pager_request(&iv->pg, delta > 0 ? REQ_MOVE_DOWN : REQ_MOVE_UP, h);
		return;
	}
	line = iv->alert_line[iv->sel];
	if (line < iv->pg.top || line >= iv->pg.top + h ||
	    (delta > 0 && iv->sel + 1 >= iv->nalerts) || (delta < 0 && iv->sel == 0)) {
		pager_request(&iv->pg, delta > 0 ? REQ_MOVE_DOWN : REQ_MOVE_UP, h);
		return;
	}
	iv->sel += delta;
	sel_visible(iv, h);
}

/* --- actions ---------------------------------------------------------------- */

static void
incident_action(struct view *v, enum request req, const struct action_args *args)
{
	struct iview *iv = v->priv;
	struct incident_target t;
	struct incident_rows rows;

	if (!action_incident_handles(req) && !action_incident_alerts_handles(req)) {
		console_error(iv->con, "%s acts on alerts: Enter opens the selected "
		    "alert", request_name(req));
		return;
	}
	t.id = iv->id;
	t.version = (int)num(iv->doc, "version");
	t.status = incident_status_parse(str(iv->doc, "status"));
	t.open_alerts = open_alerts(json_object_get(iv->doc, "alerts"));
	t.title = str(iv->doc, "title");
	if (action_incident_alerts_handles(req)) {
		if (incident_marks_act(iv->con, req, &t, &iv->marks, rows_of(iv, &rows)))
			load(iv);
		return;
	}
	if (action_incident_run(iv->con, req, &t, 1, args) >= 0)
		load(iv);
}

/* --- view ops ----------------------------------------------------------------- */

static int
incident_open(struct view *v, const void *arg)
{
	struct iview *iv = xcalloc(1, sizeof *iv);

	iv->con = v->con;
	iv->id = *(const long long *)arg;
	iv->sel = -1;
	marks_init(&iv->marks);
	pager_init(&iv->pg, 0, IV_LABEL_W);
	if (load(iv) < 0) {
		pager_free(&iv->pg);
		marks_free(&iv->marks);
		free(iv->alert_ids);
		free(iv->alert_line);
		free(iv);
		return -1;
	}
	v->priv = iv;
	return 0;
}

static void
incident_close(struct view *v)
{
	struct iview *iv = v->priv;

	json_decref(iv->doc);
	pager_free(&iv->pg);
	free(iv->alert_ids);
	free(iv->alert_line);
	marks_free(&iv->marks);
	free(iv);
}

static void
incident_draw(struct view *v, WINDOW *w, int h, int width)
{
	struct iview *iv = v->priv;
	const struct pager_line *ln;
	struct incident_rows rows;
	int y;

	if (iv->pg.width != width)
		build(iv, width);
	pager_draw(&iv->pg, w, h, width);
	if (marks_count(&iv->marks) > 0)
		incident_marks_draw(&iv->marks, rows_of(iv, &rows), &iv->pg, w, h, width);
	if (iv->sel < 0 || iv->sel >= iv->nalerts || marks_has(&iv->marks,
	    iv->alert_ids[iv->sel]))
		return;
	y = iv->alert_line[iv->sel] - iv->pg.top;
	if (y < 0 || y >= h)
		return;
	ln = &iv->pg.lines[iv->alert_line[iv->sel]];
	display_fill(w, y, 0, width, theme_attr(ROLE_SELECTED));
	display_put(w, y, 0, width, ln->text, theme_attr(ROLE_SELECTED), true);
}

static enum request
incident_request(struct view *v, enum request req)
{
	struct iview *iv = v->priv;
	struct incident_rows rows;

	switch (req) {
	case REQ_MOVE_DOWN:
		sel_move(iv, 1, v->h);
		return REQ_NONE;
	case REQ_MOVE_UP:
		sel_move(iv, -1, v->h);
		return REQ_NONE;
	case REQ_ENTER:
		if (iv->sel >= 0 && iv->sel < iv->nalerts)
			console_push(iv->con, &view_detail_ops, &iv->alert_ids[iv->sel]);
		else
			console_error(iv->con, "no alert in this incident");
		return REQ_NONE;
	case REQ_REFRESH:
		load(iv);
		return REQ_NONE;
	case REQ_MARK:
		if (incident_marks_toggle(iv->con, &iv->marks, rows_of(iv, &rows)) &&
		    iv->sel + 1 < iv->nalerts)
			sel_move(iv, 1, v->h);
		return REQ_NONE;
	case REQ_UNMARK_ALL:
		console_message(iv->con, "unmarked %zu alerts", marks_count(&iv->marks));
		marks_clear(&iv->marks);
		return REQ_NONE;
	case REQ_INCIDENT:
		/* A merged incident links to the one it was merged into;
		 * any other is already here. */
		if (json_is_integer(json_object_get(iv->doc, "merged_into"))) {
			long long to = num(iv->doc, "merged_into");

			console_push(iv->con, &view_incident_ops, &to);
		}
		return REQ_NONE;
	case REQ_PAGE_ONCALL:
		if (action_page_run(iv->con, iv->id, PAGE_TRIGGER) == 0)
			load(iv);
		return REQ_NONE;
	default:
		if (action_incident_handles(req) || action_incident_alerts_handles(req)) {
			incident_action(v, req, NULL);
			return REQ_NONE;
		}
		return pager_request(&iv->pg, req, v->h);
	}
}

static void
incident_notify(struct view *v, const struct view_change *c)
{
	struct iview *iv = v->priv;
	size_t i;
	int k;

	if (c->all)
		iv->stale = true;
	for (i = 0; i < c->n && !iv->stale; i++) {
		if (c->incidents) {
			iv->stale = c->ids[i] == iv->id;
			continue;
		}
		for (k = 0; k < iv->nalerts; k++)
			if (c->ids[i] == iv->alert_ids[k])
				iv->stale = true;
	}
}

static bool
incident_refresh(struct view *v)
{
	struct iview *iv = v->priv;

	if (!iv->stale)
		return false;
	if (now_ms() - iv->last_reload_ms < IV_RELOAD_MS)
		return true;
	if (!iv->con->db_lost)
		load(iv);
	return false;
}

static void
incident_position(struct view *v, char *buf, size_t len)
{
	struct iview *iv = v->priv;

	if (iv->sel >= 0 && iv->nalerts > 0) {
		char lines[64];
		pager_position(&iv->pg, v->h, lines, sizeof lines);
		snprintf(buf, len, "alert %d of %d, %s", iv->sel + 1, iv->nalerts, lines);
	} else {
		pager_position(&iv->pg, v->h, buf, len);
	}
}

static void
incident_summary(struct view *v, struct strbuf *left, struct strbuf *right)
{
	struct iview *iv = v->priv;
	struct strbuf clean;
	const char *title = str(iv->doc, "title");

	if (marks_count(&iv->marks) > 0)
		strbuf_appendf(right, "%zu marked", marks_count(&iv->marks));
	strbuf_init(&clean);
	sanitize(&clean, title, strlen(title), display_san_flags());
	strbuf_appendf(left, " incident %lld: %s  [%s]", iv->id, clean.buf,
	    str(iv->doc, "status"));
	strbuf_free(&clean);
}

/* `:status` and friends, here too (the list's are below on the stack
 * only when the list was opened). */
static void
exec_status(struct view *v, int argc, char **argv, const char *const *rest)
{
	struct action_args a = { 0 };

	a.status = argc > 1 ? argv[1] : NULL;
	a.text = argc > 2 ? rest[2] : NULL;
	incident_action(v, REQ_STATUS, &a);
}

static void
exec_rename(struct view *v, int argc, char **argv, const char *const *rest)
{
	struct action_args a = { 0 };

	a.title = argc > 1 ? rest[1] : NULL;
	incident_action(v, REQ_RENAME, &a);
}

static void
exec_severity(struct view *v, int argc, char **argv, const char *const *rest)
{
	struct action_args a = { 0 };

	a.severity = argc > 1 ? argv[1] : NULL;
	a.text = argc > 2 ? rest[2] : NULL;
	incident_action(v, REQ_SEVERITY, &a);
}

static void
exec_page(struct view *v, int argc, char **argv, const char *const *rest)
{
	struct iview *iv = v->priv;
	int a = argc > 1 ? page_action_parse(argv[1]) : PAGE_TRIGGER;

	if (argc > 2 || a < 0) {
		console_error(iv->con, "usage: :page [trigger|acknowledge|resolve]");
		return;
	}
	if (console_may(iv->con, REQ_PAGE_ONCALL, false) &&
	    action_page_run(iv->con, iv->id, (enum page_action)a) == 0)
		load(iv);
}

static int
complete_status(struct view *v, int argn, const char *word, char **out, int max)
{
	if (argn != 1)
		return 0;
	return action_complete_status(v->con, "", 0, word, out, max);
}

static const struct view_command incident_commands[] = {
	{ "status", NULL, "STATUS [REASON...]", "change the incident's status (a back "
	    "move or a reopen needs a reason, closing a resolution)", complete_status,
	    exec_status },
	{ "rename", NULL, "TITLE...", "rename the incident", NULL, exec_rename },
	{ "severity", NULL, "SEVERITY|none REASON...", "override the incident's "
	    "severity (lead)", NULL, exec_severity },
	{ "page", NULL, "[trigger|acknowledge|resolve]", "page on-call about the "
	    "incident (acknowledge, resolve: where it was triggered)", NULL, exec_page },
	{ NULL, NULL, NULL, NULL, NULL, NULL }
};

const struct view_ops view_incident_ops = {
	.name = "incident",
	.scope = KS_DETAIL,
	.open = incident_open,
	.close = incident_close,
	.draw = incident_draw,
	.request = incident_request,
	.notify = incident_notify,
	.reload = incident_refresh,
	.action = incident_action,
	.position = incident_position,
	.summary = incident_summary,
	.commands = incident_commands,
	.hints = incident_hints,
};
