/* view_candidates_draw.c: the candidates list's columns and rows.  At 80
 * columns the reason keeps 40; wider screens add when the candidate was
 * first seen.  The reason names assets, rules and indicators from the
 * evidence: sanitized. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "console.h"
#include "display.h"
#include "format.h"
#include "model.h"
#include "sanitize.h"
#include "strbuf.h"
#include "theme.h"
#include "view_candidates_int.h"

enum ccol { CC_SEV, CC_KIND, CC_ALERTS, CC_ASSETS, CC_FIRST, CC_LAST, CC_REASON, CC__COUNT };

struct ccol_layout {
	enum ccol	 col;
	int		 x, w;
	bool		 right;
};

/* Short, so the reason keeps its room; the reason says the rest. */
static const char *const kind_labels[CK__COUNT] = {
	[CK_ASSET] = "asset",
	[CK_PARENT] = "station",
	[CK_SITE] = "site",
	[CK_CAMPAIGN] = "campaign",
	[CK_SOURCE_IP] = "address",
	[CK_ID_TAG] = "idTag",
	[CK_PRINCIPAL] = "principal",
	[CK_FIRMWARE_HOST] = "firmware",
};

static int
layout(int width, struct ccol_layout *c)
{
	static const struct { enum ccol col; int w; bool wide, right; } def[] = {
		{ CC_SEV, 5, false, false }, { CC_KIND, 9, false, false },
		{ CC_ALERTS, 6, false, true }, { CC_ASSETS, 6, false, true },
		{ CC_FIRST, 5, true, true }, { CC_LAST, 5, false, true },
	};
	bool wide = width >= 110;
	int x = 0, n = 0;
	size_t i;

	for (i = 0; i < sizeof def / sizeof def[0]; i++) {
		if (def[i].wide && !wide)
			continue;
		c[n].col = def[i].col;
		c[n].x = x;
		c[n].w = def[i].w;
		c[n].right = def[i].right;
		x += def[i].w + 1;
		n++;
	}
	c[n].col = CC_REASON;
	c[n].x = x;
	c[n].w = width - x > 0 ? width - x : 0;
	c[n].right = false;
	return n + 1;
}

static const char *
col_header(enum ccol c)
{
	static const char *const h[CC__COUNT] = {
		"SEV", "KIND", "ALERTS", "ASSETS", "FIRST", "LAST", "REASON"
	};

	return h[c];
}

static void
cell(struct strbuf *out, const struct candidate *r, enum ccol c, time_t now)
{
	char buf[64];

	switch (c) {
	case CC_SEV:
		strbuf_append(out, r->max_severity > 0 ? severity_label(r->max_severity) : "-");
		break;
	case CC_KIND:
		strbuf_append(out, r->kind < CK__COUNT ? kind_labels[r->kind] : "?");
		break;
	case CC_ALERTS:
		format_count(buf, sizeof buf, r->alerts);
		strbuf_append(out, buf);
		break;
	case CC_ASSETS:
		format_count(buf, sizeof buf, r->assets);
		strbuf_append(out, buf);
		break;
	case CC_FIRST:
	case CC_LAST:
		if ((c == CC_FIRST ? r->first_seen : r->last_seen) == 0) {
			strbuf_append(out, "-");
			break;
		}
		format_age(buf, sizeof buf, now, c == CC_FIRST ? r->first_seen : r->last_seen);
		strbuf_append(out, buf);
		break;
	case CC_REASON:
		if (r->reason != NULL)
			sanitize(out, r->reason, strlen(r->reason), display_san_flags());
		break;
	case CC__COUNT:
		break;
	}
}

void
cl_draw(struct view *v, WINDOW *w, int h, int width)
{
	struct clist *l = v->priv;
	struct ccol_layout cols[CC__COUNT];
	struct strbuf sb;
	time_t now = time(NULL);
	int nc, i, c, idx;
	attr_t base, a;

	nc = layout(width, cols);
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
		display_put(w, 2, 2, width - 4, "No incident candidates: no open alerts in no"
		    " incident meet a correlation threshold now.", theme_attr(ROLE_DIM), false);
		return;
	}
	strbuf_init(&sb);
	for (i = 0; i + 1 < h; i++) {
		idx = l->top + i;
		if (idx >= l->n)
			break;
		base = idx == l->cur ? theme_attr(ROLE_SELECTED) : theme_attr(ROLE_NORMAL);
		if (idx == l->cur)
			display_fill(w, i + 1, 0, width, base);
		for (c = 0; c < nc; c++) {
			strbuf_reset(&sb);
			cell(&sb, &l->rows[idx], cols[c].col, now);
			a = base;
			if (idx != l->cur && cols[c].col == CC_SEV)
				a = theme_severity(l->rows[idx].max_severity);
			if (cols[c].right)
				display_put_right(w, i + 1, cols[c].x, cols[c].w, sb.buf, a);
			else
				display_put(w, i + 1, cols[c].x, cols[c].w, sb.buf, a,
				    idx == l->cur);
		}
	}
	strbuf_free(&sb);
}
