/* action_escalate.c: the incident picker: open incidents listed under a
 * prompt and searched by the typed words (title or #id), so nobody has to
 * look an id up and type it.  Escalating marked alerts from the queue uses
 * it (a new incident, or an open one), and so do the incident view's move
 * and merge (action_incident_alerts.c), which offer every open incident
 * but the one on screen.
 *
 * The list is an overlay of the prompt (prompt_spec.overlay): Up/Down move
 * in it, Enter on a picked row takes that incident.  For escalate, with no
 * row picked the typed text counts as before ("new TITLE" or an id), so
 * `:escalate ID` and typed ids keep working; for move and merge a typed id
 * takes that incident when it is open. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "action.h"
#include "console.h"
#include "display.h"
#include "format.h"
#include "incident_page.h"
#include "model.h"
#include "sanitize.h"
#include "strbuf.h"
#include "theme.h"

#define PICK_MAX	50	/* rows searched; the screen shows what fits */

struct picker {
	struct console			*con;
	const struct incident_pick	*spec;
	struct incident_page		 page;
	int				 sel;	/* -1: the typed text counts */
	bool				 failed;
};

/* Drop the incident the analyst is acting from: it cannot be its own
 * target. */
static void
drop_excluded(struct picker *pk)
{
	int i, n = 0;

	for (i = 0; i < pk->page.n; i++) {
		if (pk->page.rows[i].id == pk->spec->exclude)
			incident_row_free(&pk->page.rows[i]);
		else
			pk->page.rows[n++] = pk->page.rows[i];
	}
	pk->page.n = n;
}

/* Words to search by.  Escalate: none when the line is "new ..." or an
 * id (the typed text is the answer).  Move, merge: an id searches #id, so
 * the incident it names is listed and can be taken. */
static void
search(struct picker *pk, const char *text)
{
	struct incident_list_query q;
	long long id;
	const char *t = text + strspn(text, " ");

	incident_list_query_init(&q);
	q.view = ILV_OPEN;
	q.me = pk->con->me->id;
	if (!pk->spec->new_ok && format_parse_id(t, &id) == 0)
		snprintf(q.words, sizeof q.words, "#%lld", id);
	else if ((!pk->spec->new_ok || strncmp(t, "new", 3) != 0) &&
	    format_parse_id(t, &id) < 0 && strlen(t) <= INCIDENT_WORDS_MAX)
		snprintf(q.words, sizeof q.words, "%s", t);
	incident_page_free(&pk->page);
	pk->sel = -1;
	pk->failed = false;
	if (incident_page_fetch(pk->con->db, &q, NULL, QD_AFTER, PICK_MAX, &pk->page) < 0) {
		pk->failed = true;
		console_db_error(pk->con, "searching incidents");
		return;
	}
	drop_excluded(pk);
}

static void
pick_changed(void *ctx, const char *text)
{
	search(ctx, text);
}

static void
pick_updown(void *ctx, int delta)
{
	struct picker *pk = ctx;

	pk->sel += delta;
	if (pk->sel < -1)
		pk->sel = -1;
	if (pk->sel >= pk->page.n)
		pk->sel = pk->page.n - 1;
	console_dirty(pk->con);
}

static void
pick_overlay(void *ctx, WINDOW *w, int h, int width)
{
	struct picker *pk = ctx;
	struct strbuf raw, clean;
	const struct incident_row *r;
	int i, first = 0;
	attr_t a;

	display_put(w, 0, 0, width, pk->spec->header, theme_attr(ROLE_SECTION), true);
	if (pk->failed)
		return;
	if (pk->page.n == 0) {
		display_put(w, 2, 2, width - 2, "(no open incident matches)",
		    theme_attr(ROLE_DIM), false);
		return;
	}
	/* Keep the picked row on screen. */
	if (pk->sel >= h - 2)
		first = pk->sel - (h - 3);
	strbuf_init(&raw);
	strbuf_init(&clean);
	for (i = first; i < pk->page.n && 1 + i - first < h; i++) {
		r = &pk->page.rows[i];
		strbuf_reset(&raw);
		strbuf_reset(&clean);
		strbuf_appendf(&raw, "%s %7lld  %-4s%s %-13s %5lld/%-5lld %s",
		    i == pk->sel ? ">" : " ", r->id, severity_label(r->severity),
		    r->overridden ? "!" : " ", r->status, r->open_alerts, r->alerts, r->title);
		/* Titles are stored text from anyone: sanitized. */
		sanitize(&clean, raw.buf, raw.len, display_san_flags());
		a = theme_attr(i == pk->sel ? ROLE_SELECTED : ROLE_NORMAL);
		if (i == pk->sel)
			display_fill(w, 1 + i - first, 0, width, a);
		display_put(w, 1 + i - first, 0, width, clean.buf, a, i == pk->sel);
	}
	strbuf_free(&raw);
	strbuf_free(&clean);
}

/* A typed id's row among those listed, or NULL. */
static const struct incident_row *
typed_row(const struct picker *pk, const char *line)
{
	long long id;
	int i;

	if (format_parse_id(line + strspn(line, " "), &id) < 0)
		return NULL;
	for (i = 0; i < pk->page.n; i++)
		if (pk->page.rows[i].id == id)
			return &pk->page.rows[i];
	return NULL;
}

bool
action_incident_pick(struct console *c, const struct incident_pick *pick,
    struct incident_row *picked, char *out, size_t len)
{
	struct picker pk;
	struct prompt_spec spec;
	char line[PROMPT_MAX];
	const struct incident_row *row;
	long long id;
	bool ok;

	memset(&pk, 0, sizeof pk);
	memset(picked, 0, sizeof *picked);
	pk.con = c;
	pk.spec = pick;
	pk.sel = -1;
	search(&pk, pick->initial ? pick->initial : "");
	memset(&spec, 0, sizeof spec);
	spec.label = pick->label;
	spec.initial = pick->initial;
	spec.changed = pick_changed;
	spec.changed_ctx = &pk;
	spec.overlay = pick_overlay;
	spec.updown = pick_updown;
	spec.overlay_ctx = &pk;
	for (;;) {
		if (!(ok = console_prompt(c, &spec, line, sizeof line)))
			break;
		if (pk.sel >= 0 && pk.sel < pk.page.n) {
			incident_row_copy(picked, &pk.page.rows[pk.sel]);
			break;
		}
		if (pick->new_ok) {
			if (line[strspn(line, " ")] != '\0')
				break;
			console_error(c, "new TITLE, an id, or pick an incident (Esc cancels)");
		} else if ((row = typed_row(&pk, line)) != NULL) {
			incident_row_copy(picked, row);
			break;
		} else if (format_parse_id(line + strspn(line, " "), &id) == 0) {
			console_error(c, "incident %lld is not an open incident to pick "
			    "(Esc cancels)", id);
		} else {
			console_error(c, "pick an incident with Up/Down or type its id "
			    "(Esc cancels)");
		}
		spec.initial = NULL;
		search(&pk, "");
	}
	if (ok && picked->id == 0)
		snprintf(out, len, "%s", line);
	incident_page_free(&pk.page);
	return ok;
}

bool
action_escalate_pick(struct console *c, char *out, size_t len, long long *picked)
{
	static const struct incident_pick escalate = {
		.label = "escalate into incident (ID | new [TITLE] | words): ",
		.header = "Escalate into: new TITLE, an id, or words that search open "
		    "incidents; Up/Down pick one.",
		.initial = "new",
		.new_ok = true,
	};
	struct incident_row row;
	bool ok;

	ok = action_incident_pick(c, &escalate, &row, out, len);
	*picked = row.id;
	incident_row_free(&row);
	return ok;
}
