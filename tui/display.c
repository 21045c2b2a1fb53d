/* display.c: sanitized, fitted text into curses windows. */
#include <string.h>

#include "display.h"
#include "format.h"
#include "sanitize.h"
#include "strbuf.h"

static bool utf8_term;

void
display_init(bool utf8)
{
	utf8_term = utf8;
}

bool
display_utf8(void)
{
	return utf8_term;
}

int
display_san_flags(void)
{
	return utf8_term ? 0 : SAN_ASCII;
}

int
display_fit_flags(void)
{
	return utf8_term ? 0 : FIT_ASCII;
}

static int
put_fitted(WINDOW *w, int y, int x, int width, const char *clean, attr_t attr,
    int flags)
{
	struct strbuf sb;
	int used;

	if (width <= 0)
		return 0;
	strbuf_init(&sb);
	format_fit(&sb, clean, width, flags | display_fit_flags());
	used = format_width(sb.buf);
	wattrset(w, attr);
	mvwaddnstr(w, y, x, sb.buf, (int)sb.len);
	wattrset(w, A_NORMAL);
	strbuf_free(&sb);
	return used;
}

int
display_put(WINDOW *w, int y, int x, int width, const char *clean, attr_t attr,
    bool pad)
{
	return put_fitted(w, y, x, width, clean, attr, pad ? FIT_PAD : 0);
}

int
display_put_right(WINDOW *w, int y, int x, int width, const char *clean,
    attr_t attr)
{
	return put_fitted(w, y, x, width, clean, attr, FIT_RIGHT);
}

int
display_untrusted(WINDOW *w, int y, int x, int width, const char *raw,
    attr_t attr, bool pad)
{
	struct strbuf sb;
	int used;

	strbuf_init(&sb);
	sanitize(&sb, raw ? raw : "", raw ? strlen(raw) : 0, display_san_flags());
	used = display_put(w, y, x, width, sb.buf, attr, pad);
	strbuf_free(&sb);
	return used;
}

void
display_fill(WINDOW *w, int y, int x, int width, attr_t attr)
{
	int i;

	wattrset(w, attr);
	wmove(w, y, x);
	for (i = 0; i < width; i++)
		waddch(w, ' ');
	wattrset(w, A_NORMAL);
}
