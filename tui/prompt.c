/* prompt.c: line editing, history and completion helpers (no curses). */
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "keymap.h"
#include "prompt.h"
#include "sanitize.h"
#include "strbuf.h"

#include <curses.h>

void
edit_set(struct line_edit *e, const char *text)
{
	size_t n = text ? strlen(text) : 0;

	if (n >= sizeof e->buf)
		n = sizeof e->buf - 1;
	/* Never cut a UTF-8 sequence in half. */
	while (n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80)
		n--;
	if (n > 0)
		memcpy(e->buf, text, n);
	e->buf[n] = '\0';
	e->len = e->cur = n;
}

static size_t
prev_char(const struct line_edit *e, size_t at)
{
	if (at == 0)
		return 0;
	at--;
	while (at > 0 && ((unsigned char)e->buf[at] & 0xc0) == 0x80)
		at--;
	return at;
}

static size_t
next_char(const struct line_edit *e, size_t at)
{
	if (at >= e->len)
		return e->len;
	at++;
	while (at < e->len && ((unsigned char)e->buf[at] & 0xc0) == 0x80)
		at++;
	return at;
}

static void
delete_range(struct line_edit *e, size_t from, size_t to)
{
	memmove(e->buf + from, e->buf + to, e->len - to + 1);
	e->len -= to - from;
	if (e->cur > to)
		e->cur -= to - from;
	else if (e->cur > from)
		e->cur = from;
}

static bool
insert_bytes(struct line_edit *e, const char *s, size_t n)
{
	if (e->len + n >= sizeof e->buf)
		return false;
	memmove(e->buf + e->cur + n, e->buf + e->cur, e->len - e->cur + 1);
	memcpy(e->buf + e->cur, s, n);
	e->len += n;
	e->cur += n;
	return true;
}

/* Encode a code point as UTF-8; 0 for surrogates and out-of-range. */
static size_t
utf8_encode(unsigned int cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp >= 0xd800 && cp <= 0xdfff)
		return 0;
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	if (cp <= 0x10ffff) {
		out[0] = (char)(0xf0 | (cp >> 18));
		out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[3] = (char)(0x80 | (cp & 0x3f));
		return 4;
	}
	return 0;
}

enum edit_result
edit_key(struct line_edit *e, int key)
{
	size_t p;
	char u[4];
	size_t n;

	switch (key) {
	case '\n':
	case '\r':
	case KEYMAP_FKEY | KEY_ENTER:
		return EDIT_ENTER;
	case 27:
	case 7:		/* ^G */
		return EDIT_CANCEL;
	case '\t':
		return EDIT_TAB;
	case KEYMAP_FKEY | KEY_UP:
	case 16:	/* ^P */
		return EDIT_HIST_PREV;
	case KEYMAP_FKEY | KEY_DOWN:
	case 14:	/* ^N */
		return EDIT_HIST_NEXT;
	case KEYMAP_FKEY | KEY_LEFT:
	case 2:		/* ^B */
		e->cur = prev_char(e, e->cur);
		return EDIT_MOVED;
	case KEYMAP_FKEY | KEY_RIGHT:
	case 6:		/* ^F */
		e->cur = next_char(e, e->cur);
		return EDIT_MOVED;
	case KEYMAP_FKEY | KEY_HOME:
	case 1:		/* ^A */
		e->cur = 0;
		return EDIT_MOVED;
	case KEYMAP_FKEY | KEY_END:
	case 5:		/* ^E */
		e->cur = e->len;
		return EDIT_MOVED;
	case KEYMAP_FKEY | KEY_BACKSPACE:
	case 127:
	case 8:		/* ^H */
		if (e->cur == 0)
			return EDIT_MOVED;
		delete_range(e, prev_char(e, e->cur), e->cur);
		return EDIT_CHANGED;
	case KEYMAP_FKEY | KEY_DC:
	case 4:		/* ^D */
		if (e->cur == e->len)
			return EDIT_MOVED;
		delete_range(e, e->cur, next_char(e, e->cur));
		return EDIT_CHANGED;
	case 21:	/* ^U */
		delete_range(e, 0, e->cur);
		return EDIT_CHANGED;
	case 11:	/* ^K */
		delete_range(e, e->cur, e->len);
		return EDIT_CHANGED;
	case 23:	/* ^W: the word before the cursor and the spaces after it */
		p = e->cur;
		while (p > 0 && e->buf[p - 1] == ' ')
			p--;
		while (p > 0 && e->buf[p - 1] != ' ')
			p--;
		delete_range(e, p, e->cur);
		return EDIT_CHANGED;
	}
	if (key < ' ' || key == 127 || (key & KEYMAP_FKEY) ||
	    (key >= 0x80 && key <= 0x9f))
		return EDIT_NONE;
	n = utf8_encode((unsigned int)key, u);
	if (n == 0 || !insert_bytes(e, u, n))
		return EDIT_NONE;
	return EDIT_CHANGED;
}

void
edit_replace_word(struct line_edit *e, size_t from, const char *text)
{
	if (from > e->cur)
		from = e->cur;
	/* Check before deleting: a completion too long for the line must
	 * leave the word being completed, not erase it. */
	if (e->len - (e->cur - from) + strlen(text) >= sizeof e->buf)
		return;
	delete_range(e, from, e->cur);
	insert_bytes(e, text, strlen(text));
}

size_t
edit_word_start(const struct line_edit *e)
{
	size_t p = e->cur;

	while (p > 0 && e->buf[p - 1] != ' ')
		p--;
	return p;
}

int
edit_cursor_col(const struct line_edit *e, int san_flags)
{
	struct strbuf sb;
	int w;

	/* The prompt shows the sanitized text, with the flags it is drawn
	 * with (SAN_ASCII turns one character into \u{00E9}); measure that. */
	strbuf_init(&sb);
	sanitize(&sb, e->buf, e->cur, san_flags);
	w = format_width(sb.buf);
	strbuf_free(&sb);
	return w;
}

size_t
edit_scroll(const char *clean, int col, int width, int *skipped)
{
	size_t off = 0, len = strlen(clean);
	char one[8];

	*skipped = 0;
	/* Whole characters, counted in columns: a double-width character
	 * moves the text by two. */
	while (col - *skipped > width && off < len) {
		unsigned int cp;
		size_t n = utf8_decode((const unsigned char *)clean + off, len - off, &cp);

		if (n == 0 || n >= sizeof one)
			n = 1;
		memcpy(one, clean + off, n);
		one[n] = '\0';
		*skipped += format_width(one);
		off += n;
	}
	return off;
}

void
prompt_history_add(struct prompt_history *h, const char *line)
{
	if (line == NULL || *line == '\0')
		return;
	if (h->n > 0 && strcmp(h->item[h->n - 1], line) == 0)
		return;
	if (h->n == PROMPT_HISTORY) {
		free(h->item[0]);
		memmove(h->item, h->item + 1, (PROMPT_HISTORY - 1) * sizeof h->item[0]);
		h->n--;
	}
	h->item[h->n++] = xstrdup(line);
}

void
prompt_history_free(struct prompt_history *h)
{
	int i;

	for (i = 0; i < h->n; i++)
		free(h->item[i]);
	h->n = 0;
}

size_t
prompt_common_prefix(char *const *s, int n)
{
	size_t len;
	int i;

	if (n <= 0)
		return 0;
	len = strlen(s[0]);
	for (i = 1; i < n; i++) {
		size_t j = 0;
		while (j < len && s[i][j] == s[0][j])
			j++;
		len = j;
	}
	/* Keep whole UTF-8 characters. */
	while (len > 0 && ((unsigned char)s[0][len] & 0xc0) == 0x80)
		len--;
	return len;
}
