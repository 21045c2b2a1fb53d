/* action_escalate.c: where marked alerts go when escalated: a new
 * incident, or an open one picked from a list that the typed words search
 * (title or #id), so nobody has to look an id up and type it.
 *
 * The list is an overlay of the escalate prompt (prompt_spec.overlay):
 * Up/Down move in it, Enter on a picked row escalates into that incident;
 * with no row picked the typed text counts as before ("new TITLE" or an
 * id), so `:escalate ID` and typed ids keep working. */
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
	struct console		*con;
	struct incident_page	 page;
	int			 sel;	/* -1: the typed text counts */
	bool			 failed;
};

/* Words to search by: none when the line is "new ..." or an id. */
static void
search(struct picker *pk, const char *text)
{
	struct incident_list_query q;
	long long id;
	const char *t = text + strspn(text, " ");

	incident_list_query_init(&q);
	q.view = ILV_OPEN;
	q.me = pk->con->me->id;
	if (strncmp(t, "new", 3) != 0 && format_parse_id(t, &id) < 0 &&
	    strlen(t) <= INCIDENT_WORDS_MAX)
		snprintf(q.words, sizeof q.words, "%s", t);
	incident_page_free(&pk->page);
	pk->sel = -1;
	pk->failed = false;
	if (incident_page_fetch(pk->con->db, &q, NULL, QD_AFTER, PICK_MAX, &pk->page) < 0) {
		pk->failed = true;
		console_db_error(pk->con, "searching incidents");
	}
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

	display_put(w, 0, 0, width, "Escalate into: new TITLE, an id, or words that "
	    "search open incidents; Up/Down pick one.", theme_attr(ROLE_SECTION), true);
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

bool
action_escalate_pick(struct console *c, char *out, size_t len, long long *picked)
{
	struct picker pk;
	struct prompt_spec spec;
	char line[PROMPT_MAX];
	bool ok;

	memset(&pk, 0, sizeof pk);
	pk.con = c;
	pk.sel = -1;
	*picked = 0;
	search(&pk, "new");
	memset(&spec, 0, sizeof spec);
	spec.label = "escalate into incident (ID | new [TITLE] | words): ";
	spec.initial = "new";
	spec.changed = pick_changed;
	spec.changed_ctx = &pk;
	spec.overlay = pick_overlay;
	spec.updown = pick_updown;
	spec.overlay_ctx = &pk;
	for (;;) {
		if (!(ok = console_prompt(c, &spec, line, sizeof line)))
			break;
		if (pk.sel >= 0 && pk.sel < pk.page.n) {
			*picked = pk.page.rows[pk.sel].id;
			break;
		}
		if (line[strspn(line, " ")] != '\0')
			break;
		console_error(c, "new TITLE, an id, or pick an incident (Esc cancels)");
		spec.initial = NULL;
	}
	if (ok && *picked == 0)
		snprintf(out, len, "%s", line);
	incident_page_free(&pk.page);
	return ok;
}
