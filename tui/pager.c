/* pager.c: wrapped, scrollable lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "display.h"
#include "format.h"
#include "pager.h"
#include "sanitize.h"
#include "strbuf.h"

void
pager_init(struct pager *p, int width, int label_w)
{
	memset(p, 0, sizeof *p);
	p->width = width;
	p->label_w = label_w;
}

void
pager_clear(struct pager *p, int width)
{
	int i;

	for (i = 0; i < p->n; i++) {
		free(p->lines[i].label);
		free(p->lines[i].text);
	}
	p->n = 0;
	p->width = width;
}

void
pager_free(struct pager *p)
{
	pager_clear(p, 0);
	free(p->lines);
	memset(p, 0, sizeof *p);
}

static void
push(struct pager *p, enum theme_role role, const char *label, const char *text,
    size_t len)
{
	struct pager_line *l;

	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->lines = xrealloc(p->lines, (size_t)p->cap * sizeof *p->lines);
	}
	l = &p->lines[p->n++];
	l->role = role;
	l->label = xstrdup_null(label);
	l->text = xstrndup(text, len);
}

size_t
pager_fit_bytes(const char *s, int width)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len = strlen(s), i = 0, n;
	unsigned int cp;
	int w = 0, cw;

	while (i < len) {
		n = utf8_decode(u + i, len - i, &cp);
		if (n == 0) {
			n = 1;
			cw = 1;
		} else {
			cw = cp < 0x80 ? 1 : wcwidth((wchar_t)cp);
			if (cw < 0)
				cw = 1;
		}
		if (w + cw > width)
			break;
		w += cw;
		i += n;
	}
	return i;
}

/* Where a long token may break when it has no space: after these, the
 * pieces of a URL, a path or a list still read as parts of it. */
#define WRAP_AFTER	"/,;&?=-"

/* How many bytes of s go on a line of avail columns: up to a space in the
 * second half of the line, else after a WRAP_AFTER character there, else
 * a hard cut.  Returns the bytes consumed; *shown is the bytes to draw,
 * without the space the line breaks at (which may be one column past
 * avail). */
static size_t
wrap_cut(const char *s, int avail, size_t *shown)
{
	size_t fit = pager_fit_bytes(s, avail), i;

	*shown = fit;
	if (s[fit] == '\0')
		return fit;
	for (i = fit; i > fit / 2; i--) {
		if (s[i] == ' ') {
			*shown = i;
			return i + 1;
		}
	}
	for (i = fit; i > fit / 2; i--) {
		if (strchr(WRAP_AFTER, s[i - 1]) != NULL) {
			*shown = i;
			return i;
		}
	}
	if (fit == 0) {
		/* Not even one character fits (a wide one in a sliver): take
		 * it whole rather than split its UTF-8 bytes. */
		unsigned int cp;
		size_t n = utf8_decode((const unsigned char *)s, strlen(s), &cp);

		*shown = fit = n > 0 ? n : 1;
	}
	return fit;
}

/* Wrap one line of clean text.  Continuation lines of an indented line
 * (pretty JSON, history) go two columns further in than its text, so the
 * nesting stays readable; unindented text (prose, field values) continues
 * at the margin. */
static void
wrap(struct pager *p, enum theme_role role, const char *label, const char *s,
    int indent)
{
	int avail, lead = (int)strspn(s, " "), cont = indent, at = indent;
	size_t cut, shown;
	char *seg;

	if (lead > 0 && s[lead] != '\0' && p->width - (indent + lead + 2) >= 20)
		cont = indent + lead + 2;
	do {
		avail = p->width - at;
		if (avail < 10)
			avail = 10;
		cut = wrap_cut(s, avail, &shown);
		seg = xmalloc((size_t)at + shown + 1);
		memset(seg, ' ', (size_t)at);
		memcpy(seg + at, s, shown);
		seg[at + shown] = '\0';
		push(p, role, label, seg, (size_t)at + shown);
		free(seg);
		label = NULL;
		s += cut;
		at = cont;
		/* Spaces left at the break would add to the hanging indent. */
		if (cont != indent)
			s += strspn(s, " ");
	} while (*s != '\0');
}

/* Split clean text at newlines and wrap each line. */
static void
add_lines(struct pager *p, enum theme_role role, const char *label,
    const char *clean, int indent)
{
	const char *nl;
	char *line;

	for (;;) {
		nl = strchr(clean, '\n');
		line = xstrndup(clean, nl ? (size_t)(nl - clean) : strlen(clean));
		wrap(p, role, label, line, indent);
		free(line);
		label = NULL;
		if (nl == NULL)
			break;
		clean = nl + 1;
	}
}

void
pager_text(struct pager *p, enum theme_role role, const char *text)
{
	add_lines(p, role, NULL, text, 0);
}

void
pager_field(struct pager *p, const char *label, const char *raw)
{
	struct strbuf sb;

	strbuf_init(&sb);
	sanitize(&sb, raw ? raw : "-", raw ? strlen(raw) : 1, display_san_flags());
	add_lines(p, ROLE_NORMAL, label, sb.buf, p->label_w);
	strbuf_free(&sb);
}

void
pager_field_time(struct pager *p, const char *label, time_t t)
{
	char ts[32], ago[24], buf[64];

	if (t == 0) {
		pager_field(p, label, "-");
		return;
	}
	format_ts(ts, sizeof ts, t);
	format_ago(ago, sizeof ago, time(NULL), t);
	snprintf(buf, sizeof buf, "%s UTC (%s)", ts, ago);
	pager_field(p, label, buf);
}

void
pager_untrusted(struct pager *p, enum theme_role role, const char *raw, int indent)
{
	struct strbuf sb;

	strbuf_init(&sb);
	sanitize(&sb, raw ? raw : "", raw ? strlen(raw) : 0,
	    display_san_flags() | SAN_NEWLINES);
	add_lines(p, role, NULL, sb.buf, indent);
	strbuf_free(&sb);
}

static void
pad_to(struct strbuf *sb, int *col, int to)
{
	while (*col < to) {
		strbuf_appendc(sb, ' ');
		(*col)++;
	}
}

void
pager_row(struct pager *p, enum theme_role role, int indent,
    const char *const *cells, const int *widths, int n)
{
	struct strbuf line;
	const char *s;
	size_t cut, shown;
	int col = 0, start = indent, i, w;

	if (n <= 0)
		return;
	strbuf_init(&line);
	pad_to(&line, &col, indent);
	for (i = 0; i + 1 < n; i++) {
		w = format_width(cells[i]);
		if (w > widths[i]) {
			/* Alone on its line, so the next cells keep their columns
			 * (man's tagged paragraphs) instead of shifting right. */
			format_fit(&line, cells[i], p->width > col ? p->width - col : 1,
			    display_fit_flags());
			push(p, role, NULL, line.buf, line.len);
			strbuf_reset(&line);
			col = 0;
		} else {
			strbuf_append(&line, cells[i]);
			col += w;
		}
		start += widths[i] + 1;
		pad_to(&line, &col, start);
	}
	/* Too little room left for the last cell: it goes below, indented,
	 * rather than in a sliver down the right edge. */
	if (p->width - start < PAGER_ROW_MIN) {
		if (strspn(line.buf, " ") < line.len)
			push(p, role, NULL, line.buf, line.len);
		strbuf_reset(&line);
		col = 0;
		start = indent + 4;
		pad_to(&line, &col, start);
	}
	s = cells[n - 1];
	do {
		cut = wrap_cut(s, p->width - start > 1 ? p->width - start : 1, &shown);
		strbuf_appendn(&line, s, shown);
		push(p, role, NULL, line.buf, line.len);
		s += cut;
		strbuf_reset(&line);
		col = 0;
		pad_to(&line, &col, start);
	} while (*s != '\0');
	strbuf_free(&line);
}

void
pager_section(struct pager *p, const char *title)
{
	pager_blank(p);
	push(p, ROLE_SECTION, NULL, title, strlen(title));
}

void
pager_blank(struct pager *p)
{
	push(p, ROLE_NORMAL, NULL, "", 0);
}

void
pager_draw(struct pager *p, WINDOW *w, int h, int width)
{
	int i, idx;

	if (p->top > p->n - h)
		p->top = p->n - h;
	if (p->top < 0)
		p->top = 0;
	for (i = 0; i < h; i++) {
		idx = p->top + i;
		if (idx >= p->n)
			break;
		display_put(w, i, 0, width, p->lines[idx].text,
		    theme_attr(p->lines[idx].role), false);
		if (p->lines[idx].label != NULL)
			display_put(w, i, 0, p->label_w - 1, p->lines[idx].label,
			    theme_attr(ROLE_LABEL), false);
	}
}

enum request
pager_request(struct pager *p, enum request req, int h)
{
	int max = p->n - h > 0 ? p->n - h : 0;

	switch (req) {
	case REQ_MOVE_DOWN:
		p->top++;
		break;
	case REQ_MOVE_UP:
		p->top--;
		break;
	case REQ_PAGE_DOWN:
		p->top += h > 1 ? h - 1 : 1;
		break;
	case REQ_PAGE_UP:
		p->top -= h > 1 ? h - 1 : 1;
		break;
	case REQ_MOVE_FIRST:
		p->top = 0;
		break;
	case REQ_MOVE_LAST:
		p->top = max;
		break;
	default:
		return req;
	}
	if (p->top > max)
		p->top = max;
	if (p->top < 0)
		p->top = 0;
	return REQ_NONE;
}

void
pager_position(const struct pager *p, int h, char *buf, size_t len)
{
	int last = p->top + h < p->n ? p->top + h : p->n;

	if (p->n == 0)
		snprintf(buf, len, "empty");
	else
		snprintf(buf, len, "lines %d-%d of %d", p->top + 1, last, p->n);
}
