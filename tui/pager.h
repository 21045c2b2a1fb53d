/* pager.h: scrollable lines of sanitized text with roles, wrapped to the
 * body width; the detail, help, asset and incident views are pagers. */
#ifndef VSOC_PAGER_H
#define VSOC_PAGER_H

#include <time.h>

#include <curses.h>

#include "request.h"
#include "theme.h"

#define PAGER_ROW_MIN	20

struct pager_line {
	enum theme_role	 role;
	char		*label;		/* NULL, or a field name in ROLE_LABEL */
	char		*text;		/* sanitized, one screen line */
};

struct pager {
	struct pager_line	*lines;
	int			 n, cap;
	int			 top;
	int			 width;		/* wrap width the lines were built for */
	int			 label_w;	/* column where values start */
};

void	 pager_init(struct pager *p, int width, int label_w);
/* Drop the lines, keep the scroll position (a rebuild after a reload). */
void	 pager_clear(struct pager *p, int width);
void	 pager_free(struct pager *p);

/* Add trusted text (may hold newlines), wrapped. */
void	 pager_text(struct pager *p, enum theme_role role, const char *text);
/* A "Label  value" field; the value is untrusted, sanitized here. */
void	 pager_field(struct pager *p, const char *label, const char *raw);
/* A timestamp field: "2026-11-21 19:06:47 UTC (5m ago)", or "-" for 0. */
void	 pager_field_time(struct pager *p, const char *label, time_t t);
/* Untrusted multi-line text (notes, evidence). */
void	 pager_untrusted(struct pager *p, enum theme_role role, const char *raw,
	    int indent);
/* One row of a table of trusted text: cells[i] in a column widths[i] wide,
 * one space apart, after indent.  A cell wider than its column stands
 * alone on its line (cut to the screen) and the next cells continue on
 * the line below, under their columns; the last cell takes the rest of
 * the width and wraps under itself (or below the row, indented, when less
 * than PAGER_ROW_MIN columns are left). */
void	 pager_row(struct pager *p, enum theme_role role, int indent,
	    const char *const *cells, const int *widths, int n);
/* A section heading with a rule. */
void	 pager_section(struct pager *p, const char *title);
void	 pager_blank(struct pager *p);

void	 pager_draw(struct pager *p, WINDOW *w, int h, int width);
/* Scrolling requests; returns REQ_NONE when handled. */
enum request pager_request(struct pager *p, enum request req, int h);
/* "lines 1-20 of 88". */
void	 pager_position(const struct pager *p, int h, char *buf, size_t len);

/* Bytes of s (sanitized UTF-8) that fit in width columns. */
size_t	 pager_fit_bytes(const char *s, int width);

#endif
