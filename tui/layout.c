/* layout.c: geometry and queue columns; no curses here. */
#include <stdio.h>
#include <string.h>

#include "format.h"
#include "layout.h"
#include "sanitize.h"
#include "sla.h"
#include "strbuf.h"

void
layout_screen(int rows, int cols, struct screen_layout *out)
{
	memset(out, 0, sizeof *out);
	out->rows = rows;
	out->cols = cols;
	out->too_small = rows < LAYOUT_MIN_ROWS || cols < LAYOUT_MIN_COLS;
	out->header_y = 0;
	out->header_h = 2;
	out->body_y = out->header_h;
	out->status_y = rows > 0 ? rows - 1 : 0;
	out->body_h = out->status_y - out->body_y;
	if (out->body_h < 1)
		out->body_h = 1;
}

/* Widths per terminal class: < 80, 80-99, 100-119, >= 120 columns; 0
 * hides the column.  The title is the flexible one.  The SLA's time left
 * takes the place of the rule under 100 columns (the title names the
 * rule's kind of attack, the rule id is in the detail and the filter) and
 * of the last-seen age under 120, so the title keeps its width. */
static const struct qcol_def {
	const char	*header;
	int		 w[4];
	int		 flags;
	enum queue_sort	 sort;
} qcols[QC__COUNT] = {
	[QC_MARK]	= { "",		{ 1, 1, 1, 1 },		0, QS__COUNT },
	[QC_SEV]	= { "SEV",	{ 4, 4, 4, 4 },		0, QS_SEVERITY },
	[QC_ID]		= { "ID",	{ 0, 0, 0, 8 },		QCOL_RIGHT, QS_ID },
	[QC_AGE]	= { "AGE",	{ 4, 4, 4, 4 },		QCOL_RIGHT, QS_AGE },
	[QC_LAST]	= { "LAST",	{ 0, 0, 0, 4 },		QCOL_RIGHT, QS_LAST },
	/* "-3h05": SLA_CELL_MAX; not a sort (the breaching view is one). */
	[QC_SLA]	= { "SLA",	{ 5, 5, 5, 5 },		QCOL_RIGHT, QS__COUNT },
	[QC_STATUS]	= { "STATUS",	{ 5, 6, 6, 6 },		0, QS_STATUS },
	[QC_ASSIGNEE]	= { "OWNER",	{ 0, 8, 9, 12 },	0, QS_ASSIGNEE },
	[QC_RULE]	= { "RULE",	{ 0, 0, 5, 6 },		0, QS_RULE },
	[QC_ASSET]	= { "ASSET",	{ 8, 9, 14, 18 },	0, QS_ASSET },
	[QC_TITLE]	= { "TITLE",	{ -1, -1, -1, -1 },	0, QS_TITLE },
	[QC_OCC]	= { "OCC",	{ 5, 6, 7, 7 },		QCOL_RIGHT, QS_OCCURRENCES },
};

int
layout_queue(int width, struct qcol_layout out[QC__COUNT])
{
	int cls = width < 80 ? 0 : width < 100 ? 1 : width < 120 ? 2 : 3;
	int i, n = 0, used = 0, x = 0, title = -1, w;

	for (i = 0; i < QC__COUNT; i++) {
		w = qcols[i].w[cls];
		if (w == 0)
			continue;
		out[n].col = (enum qcol)i;
		out[n].w = w;
		out[n].flags = qcols[i].flags;
		if (w < 0)
			title = n;
		else
			used += w;
		/* One space between columns, none after the mark. */
		if (n > 0 && out[n - 1].col != QC_MARK)
			used++;
		n++;
	}
	if (title >= 0) {
		out[title].w = width - used;
		if (out[title].w < 1)
			out[title].w = 1;
	}
	for (i = 0; i < n; i++) {
		out[i].x = x;
		x += out[i].w + (out[i].col == QC_MARK ? 0 : 1);
	}
	return n;
}

const char *
layout_qcol_header(enum qcol c)
{
	return c >= 0 && c < QC__COUNT ? qcols[c].header : "";
}

enum queue_sort
layout_qcol_sort(enum qcol c)
{
	return c >= 0 && c < QC__COUNT ? qcols[c].sort : QS__COUNT;
}

void
layout_queue_cell(struct strbuf *out, const struct queue_row *r, enum qcol c,
    time_t now, bool marked, const char *mark, int san_flags)
{
	char buf[32];
	const char *raw = NULL;

	switch (c) {
	case QC_MARK:
		strbuf_append(out, marked ? mark : " ");
		return;
	case QC_SEV:
		strbuf_append(out, severity_label(r->severity));
		return;
	case QC_ID:
		strbuf_appendf(out, "%lld", r->id);
		return;
	case QC_AGE:
		format_age(buf, sizeof buf, now, r->first_seen);
		strbuf_append(out, buf);
		return;
	case QC_LAST:
		format_age(buf, sizeof buf, now, r->last_seen);
		strbuf_append(out, buf);
		return;
	case QC_SLA: {
		struct sla_status s;

		queue_row_sla(r, now, &s);
		sla_cell(buf, sizeof buf, &s);
		strbuf_append(out, buf);
		return;
	}
	case QC_STATUS:
		strbuf_append(out, status_label(r->status));
		return;
	case QC_OCC:
		format_count(buf, sizeof buf, r->occurrences);
		strbuf_append(out, buf);
		return;
	case QC_ASSIGNEE:
		raw = r->assignee ? r->assignee : "-";
		break;
	case QC_RULE:
		raw = r->rule_id;
		break;
	case QC_ASSET:
		raw = r->asset_ref;
		break;
	case QC_TITLE:
		raw = r->title;
		break;
	case QC__COUNT:
		return;
	}
	/* Database text is untrusted: it passes the sanitizer here, once. */
	if (raw != NULL)
		sanitize(out, raw, strlen(raw), san_flags);
}

void
layout_queue_row(struct strbuf *out, const struct queue_row *r,
    const struct qcol_layout *cols, int n, time_t now, bool marked,
    const char *mark, int san_flags, int fit_flags)
{
	struct strbuf cell;
	int i;

	strbuf_init(&cell);
	for (i = 0; i < n; i++) {
		strbuf_reset(&cell);
		layout_queue_cell(&cell, r, cols[i].col, now, marked, mark, san_flags);
		format_fit(out, cell.buf, cols[i].w, fit_flags | FIT_PAD |
		    ((cols[i].flags & QCOL_RIGHT) ? FIT_RIGHT : 0));
		if (i + 1 < n && cols[i].col != QC_MARK)
			strbuf_appendc(out, ' ');
	}
	strbuf_free(&cell);
}

void
layout_position(char *buf, size_t len, long long row, long long total, bool exact)
{
	char r[32], t[32];

	if (total <= 0) {
		snprintf(buf, len, "no rows");
		return;
	}
	format_count(r, sizeof r, row);
	format_count(t, sizeof t, total);
	snprintf(buf, len, "row %s of %s%s", r, t, exact ? "" : "+");
}
