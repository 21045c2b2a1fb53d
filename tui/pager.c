/* pager.c: wrapped, scrollable lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
	l->label = label ? xstrdup(label) : NULL;
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

/* Wrap one line of clean text: at a space when there is one, else hard. */
static void
wrap(struct pager *p, enum theme_role role, const char *label, const char *s,
    int indent)
{
	int avail;
	size_t fit, cut;
	bool first = true;

	do {
		avail = p->width - indent;
		if (avail < 10)
			avail = 10;
		fit = pager_fit_bytes(s, avail);
		cut = fit;
		if (s[fit] != '\0') {
			size_t sp = fit;
			while (sp > 0 && s[sp] != ' ')
				sp--;
			if (sp > fit / 2)
				cut = sp + 1;
		}
		if (cut == 0)
			cut = strlen(s) > 0 ? 1 : 0;
		{
			char *seg = xmalloc((size_t)indent + cut + 1);
			memset(seg, ' ', (size_t)indent);
			memcpy(seg + indent, s, cut);
			seg[indent + cut] = '\0';
			push(p, role, first ? label : NULL, seg, (size_t)indent + cut);
			free(seg);
		}
		first = false;
		s += cut;
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
pager_untrusted(struct pager *p, enum theme_role role, const char *raw, int indent)
{
	struct strbuf sb;

	strbuf_init(&sb);
	sanitize(&sb, raw ? raw : "", raw ? strlen(raw) : 0,
	    display_san_flags() | SAN_NEWLINES);
	add_lines(p, role, NULL, sb.buf, indent);
	strbuf_free(&sb);
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
