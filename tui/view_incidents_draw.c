/* view_incidents_draw.c: the incident list's columns and rows.  At 80
 * columns the title keeps 30 and the SLA's time left takes the place of
 * the last change's age; wider screens get both ages and the full status
 * names.  Owner and title are stored text: sanitized. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "console.h"
#include "display.h"
#include "format.h"
#include "model.h"
#include "sanitize.h"
#include "sla.h"
#include "strbuf.h"
#include "theme.h"
#include "view_incidents_int.h"

enum icol { IC_MARK, IC_ID, IC_SEV, IC_STATUS, IC_SLA, IC_OWNER, IC_ALERTS, IC_AGE,
	IC_UPDATED, IC_TITLE, IC__COUNT };

struct icol_layout {
	enum icol	 col;
	int		 x, w;
	bool		 right;
};

/* --- drawing ------------------------------------------------------------- */

static const char *
status_short(const char *s, bool wide)
{
	static const struct { const char *name, *label; } shorts[] = {
		{ "containment", "contain" }, { "eradication", "eradicate" },
		{ "post_incident", "post-inc" },
	};
	size_t i;

	if (!wide)
		for (i = 0; i < sizeof shorts / sizeof shorts[0]; i++)
			if (strcmp(s, shorts[i].name) == 0)
				return shorts[i].label;
	return s;
}

/* The columns that fit; the title takes the rest.  At 80 columns the
 * title keeps 30; wider screens get the created age and full names. */
static int
layout(int width, struct icol_layout *c, bool *wide)
{
	static const struct { enum icol col; int w, w_wide; bool right; } def[] = {
		{ IC_MARK, 1, 1, false }, { IC_ID, 6, 7, true }, { IC_SEV, 5, 5, false },
		{ IC_STATUS, 9, 13, false }, { IC_SLA, SLA_CELL_MAX, SLA_CELL_MAX, true },
		{ IC_OWNER, 8, 12, false },
		{ IC_ALERTS, 9, 11, true }, { IC_AGE, 0, 4, true },
		{ IC_UPDATED, 0, 4, true },
	};
	int x = 0, n = 0, w;
	size_t i;

	*wide = width >= 110;
	for (i = 0; i < sizeof def / sizeof def[0]; i++) {
		w = *wide ? def[i].w_wide : def[i].w;
		if (w == 0)
			continue;
		c[n].col = def[i].col;
		c[n].x = x;
		c[n].w = w;
		c[n].right = def[i].right;
		x += w + 1;
		n++;
	}
	c[n].col = IC_TITLE;
	c[n].x = x;
	c[n].w = width - x > 0 ? width - x : 0;
	c[n].right = false;
	return n + 1;
}

static const char *
col_header(enum icol c)
{
	static const char *const h[IC__COUNT] = {
		"", "ID", "SEV", "STATUS", "SLA", "OWNER", "OPEN/ALL", "AGE", "UPD", "TITLE"
	};

	return h[c];
}

static void
cell(struct strbuf *out, const struct incident_row *r, enum icol c, time_t now,
    bool marked, bool wide)
{
	char buf[64];

	switch (c) {
	case IC_MARK:
		strbuf_append(out, marked ? theme_sym(SYM_MARK) : " ");
		break;
	case IC_ID:
		strbuf_appendf(out, "%lld", r->id);
		break;
	case IC_SEV:
		/* "!" after it: a lead's override, not the computed value. */
		strbuf_appendf(out, "%s%s", severity_label(r->severity),
		    r->overridden ? "!" : "");
		break;
	case IC_STATUS:
		strbuf_append(out, status_short(r->status, wide));
		break;
	case IC_SLA: {
		struct sla_status s;

		incident_row_sla(r, now, &s);
		sla_cell(buf, sizeof buf, &s);
		strbuf_append(out, buf);
		break;
	}
	case IC_OWNER:
		sanitize(out, r->owner ? r->owner : "-", strlen(r->owner ? r->owner : "-"),
		    display_san_flags());
		break;
	case IC_ALERTS:
		strbuf_appendf(out, "%lld/%lld", r->open_alerts, r->alerts);
		break;
	case IC_AGE:
		format_age(buf, sizeof buf, now, r->created_at);
		strbuf_append(out, buf);
		break;
	case IC_UPDATED:
		format_age(buf, sizeof buf, now, r->updated_at);
		strbuf_append(out, buf);
		break;
	case IC_TITLE:
		sanitize(out, r->title, strlen(r->title), display_san_flags());
		break;
	case IC__COUNT:
		break;
	}
}

void
il_draw(struct view *v, WINDOW *w, int h, int width)
{
	struct ilist *l = v->priv;
	struct icol_layout cols[IC__COUNT];
	struct strbuf sb;
	time_t now = time(NULL);
	int nc, i, c, idx;
	attr_t base, a;
	bool marked, wide;
	struct sla_status sla;

	nc = layout(width, cols, &wide);
	display_fill(w, 0, 0, width, theme_attr(ROLE_COLUMNS));
	for (c = 0; c < nc; c++) {
		if (cols[c].right)
			display_put_right(w, 0, cols[c].x, cols[c].w, col_header(cols[c].col),
			    theme_attr(ROLE_COLUMNS));
		else
			display_put(w, 0, cols[c].x, cols[c].w, col_header(cols[c].col),
			    theme_attr(ROLE_COLUMNS), false);
	}
	if (l->n == 0) {
		display_put(w, 2, 2, width - 4, l->q.words[0] ? "No incidents match "
		    "the filter (/ to change it)." : "No incidents in this view "
		    "(v or 1-7 change it).", theme_attr(ROLE_DIM), false);
		return;
	}
	strbuf_init(&sb);
	for (i = 0; i + 1 < h; i++) {
		idx = l->top + i;
		if (idx >= l->n)
			break;
		marked = il_mark_find(l, l->rows[idx].id) >= 0;
		base = idx == l->cur ? theme_attr(ROLE_SELECTED) :
		    marked ? theme_attr(ROLE_MARKED) : theme_attr(ROLE_NORMAL);
		/* A breached incident is bold throughout, its SLA cell in the
		 * breach's colours (bold and reverse without colours). */
		incident_row_sla(&l->rows[idx], now, &sla);
		base = theme_sla_row((int)sla.state, base);
		if (idx == l->cur)
			display_fill(w, i + 1, 0, width, base);
		for (c = 0; c < nc; c++) {
			strbuf_reset(&sb);
			cell(&sb, &l->rows[idx], cols[c].col, now, marked, wide);
			a = base;
			if (idx != l->cur && cols[c].col == IC_SEV)
				a = theme_severity(l->rows[idx].severity) | (base & A_BOLD);
			if (cols[c].col == IC_SLA)
				a = theme_sla((int)sla.state, a);
			if (cols[c].right)
				display_put_right(w, i + 1, cols[c].x, cols[c].w, sb.buf, a);
			else
				display_put(w, i + 1, cols[c].x, cols[c].w, sb.buf, a,
				    idx == l->cur);
		}
	}
	strbuf_free(&sb);
}

