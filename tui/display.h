/* display.h: the only way text reaches a curses window.
 *
 * Text is drawn with waddnstr of a buffer that was sanitized and fitted to
 * a width; there is no printw anywhere, so no database string can become
 * a format or an escape sequence. */
#ifndef VSOC_DISPLAY_H
#define VSOC_DISPLAY_H

#include <stdbool.h>

#include <curses.h>

/* Call once after setlocale: decides UTF-8 vs ASCII escaping. */
void	 display_init(bool utf8);
bool	 display_utf8(void);
/* Flags for sanitize() and format_fit() matching the terminal. */
int	 display_san_flags(void);
int	 display_fit_flags(void);

/* Draw trusted or already-sanitized text at (y, x), cut to width columns
 * (and padded to it when pad).  Returns the columns used. */
int	 display_put(WINDOW *w, int y, int x, int width, const char *clean,
	    attr_t attr, bool pad);
/* Same, right-aligned in width. */
int	 display_put_right(WINDOW *w, int y, int x, int width, const char *clean,
	    attr_t attr);
/* Sanitize untrusted text, then display_put. */
int	 display_untrusted(WINDOW *w, int y, int x, int width, const char *raw,
	    attr_t attr, bool pad);
/* Blank width cells from (y, x) in attr. */
void	 display_fill(WINDOW *w, int y, int x, int width, attr_t attr);

#endif
