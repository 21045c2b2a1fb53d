/* evidence.c: validate, pretty-print and re-emit an alert's evidence.
 *
 * Evidence is stored as jsonb, so it is valid JSON, but anything may be in
 * it: nesting thousands of levels deep (past jansson's 2048-level limit),
 * numbers past int64 and double, megabytes of text, escape sequences and
 * bidi overrides in strings.  jansson would refuse some of it, and a
 * recursive printer could run out of stack, so one iterative scanner with
 * an explicit stack of open brackets drives all three uses. */
#include <stdbool.h>
#include <string.h>

#include "evidence.h"
#include "sanitize.h"
#include "strbuf.h"

enum tok {
	TOK_ERROR, TOK_END, TOK_OPEN, TOK_CLOSE, TOK_COLON, TOK_COMMA,
	TOK_STRING, TOK_SCALAR
};

enum expect {
	EX_VALUE, EX_VALUE_OR_CLOSE, EX_KEY, EX_KEY_OR_CLOSE, EX_COLON,
	EX_COMMA_OR_CLOSE, EX_END
};

enum mode { MODE_CHECK, MODE_PRETTY, MODE_ASCII };

struct walk {
	const unsigned char *s;
	size_t		 len, i;
	struct strbuf	 stack;		/* '{' or '[' per open level */
	int		 deepest;
	enum mode	 mode;
	struct strbuf	*out;
	/* MODE_PRETTY */
	int		 max_depth;
	size_t		 max_bytes;
	size_t		 skip;		/* > 0: inside a container cut at this level */
	bool		 opened;	/* the last token opened a container */
	const char	*ellipsis;
	int		 cut;
};

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Four hex digits at s[0..4) (len bytes available); -1 if not. */
static long
hex4(const unsigned char *s, size_t len)
{
	long v = 0;
	int i, h;

	if (len < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		if ((h = hexval(s[i])) < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

/* A string starting at the opening quote w->s[w->i]; leaves w->i past the
 * closing quote. */
static enum tok
scan_string(struct walk *w)
{
	const unsigned char *s = w->s;
	size_t i = w->i + 1;
	unsigned int cp;
	long u, lo;
	size_t n;

	while (i < w->len) {
		unsigned char c = s[i];

		if (c == '"') {
			w->i = i + 1;
			return TOK_STRING;
		}
		if (c < 0x20)
			return TOK_ERROR;
		if (c == '\\') {
			if (i + 1 >= w->len)
				return TOK_ERROR;
			c = s[i + 1];
			if (c != 'u') {
				if (strchr("\"\\/bfnrt", c) == NULL || c == '\0')
					return TOK_ERROR;
				i += 2;
				continue;
			}
			if ((u = hex4(s + i + 2, w->len - i - 2)) < 0)
				return TOK_ERROR;
			i += 6;
			if (u >= 0xdc00 && u <= 0xdfff)
				return TOK_ERROR;	/* a low surrogate alone */
			if (u >= 0xd800 && u <= 0xdbff) {
				if (i + 1 >= w->len || s[i] != '\\' || s[i + 1] != 'u')
					return TOK_ERROR;
				lo = hex4(s + i + 2, w->len - i - 2);
				if (lo < 0xdc00 || lo > 0xdfff)
					return TOK_ERROR;
				i += 6;
			}
			continue;
		}
		if (c >= 0x80) {
			if ((n = utf8_decode(s + i, w->len - i, &cp)) == 0)
				return TOK_ERROR;
			i += n;
			continue;
		}
		i++;
	}
	return TOK_ERROR;
}

static bool
is_digit(const struct walk *w, size_t i)
{
	return i < w->len && w->s[i] >= '0' && w->s[i] <= '9';
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static enum tok
scan_number(struct walk *w)
{
	size_t i = w->i;

	if (w->s[i] == '-')
		i++;
	if (!is_digit(w, i))
		return TOK_ERROR;
	if (w->s[i] == '0')
		i++;
	else
		while (is_digit(w, i))
			i++;
	if (i < w->len && w->s[i] == '.') {
		if (!is_digit(w, ++i))
			return TOK_ERROR;
		while (is_digit(w, i))
			i++;
	}
	if (i < w->len && (w->s[i] == 'e' || w->s[i] == 'E')) {
		i++;
		if (i < w->len && (w->s[i] == '+' || w->s[i] == '-'))
			i++;
		if (!is_digit(w, i))
			return TOK_ERROR;
		while (is_digit(w, i))
			i++;
	}
	w->i = i;
	return TOK_SCALAR;
}

static enum tok
next_token(struct walk *w, size_t *start)
{
	static const char *const words[] = { "true", "false", "null" };
	unsigned char c;
	size_t k, n;

	while (w->i < w->len && (w->s[w->i] == ' ' || w->s[w->i] == '\t' ||
	    w->s[w->i] == '\n' || w->s[w->i] == '\r'))
		w->i++;
	*start = w->i;
	if (w->i >= w->len)
		return TOK_END;
	c = w->s[w->i];
	switch (c) {
	case '{': case '[':
		w->i++;
		return TOK_OPEN;
	case '}': case ']':
		w->i++;
		return TOK_CLOSE;
	case ':':
		w->i++;
		return TOK_COLON;
	case ',':
		w->i++;
		return TOK_COMMA;
	case '"':
		return scan_string(w);
	}
	if (c == '-' || (c >= '0' && c <= '9'))
		return scan_number(w);
	for (k = 0; k < sizeof words / sizeof words[0]; k++) {
		n = strlen(words[k]);
		if (w->len - w->i >= n && memcmp(w->s + w->i, words[k], n) == 0) {
			w->i += n;
			return TOK_SCALAR;
		}
	}
	return TOK_ERROR;
}

/* --- MODE_PRETTY ----------------------------------------------------- */

/* Append, but never past max_bytes; false once the budget is spent. */
static bool
put(struct walk *w, const char *s, size_t n)
{
	size_t room = w->max_bytes - w->out->len;

	if (w->out->len >= w->max_bytes) {
		w->cut |= EVIDENCE_CUT_SIZE;
		return false;
	}
	if (n > room) {
		strbuf_appendn(w->out, s, room);
		w->cut |= EVIDENCE_CUT_SIZE;
		return false;
	}
	strbuf_appendn(w->out, s, n);
	return true;
}

static bool
newline(struct walk *w, size_t depth)
{
	static const char spaces[] = "                                ";
	size_t n = depth * 2, k;

	if (!put(w, "\n", 1))
		return false;
	while (n > 0) {
		k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
		if (!put(w, spaces, k))
			return false;
		n -= k;
	}
	return true;
}

/* A string as written, but \u escapes in upper case (\u001B), the way
 * jansson printed them before, whoever stored the JSON. */
static bool
put_string(struct walk *w, const char *text, size_t n)
{
	struct strbuf sb;
	size_t i, k;
	bool ok;

	strbuf_init(&sb);
	strbuf_appendn(&sb, text, n);
	for (i = 0; i + 1 < n; i++) {
		if (sb.buf[i] != '\\')
			continue;
		if (sb.buf[i + 1] == 'u' && i + 5 < n) {
			for (k = i + 2; k < i + 6; k++)
				if (sb.buf[k] >= 'a' && sb.buf[k] <= 'f')
					sb.buf[k] = (char)(sb.buf[k] - 'a' + 'A');
			i += 5;
		} else {
			i++;	/* the escaped character, a backslash included */
		}
	}
	ok = put(w, sb.buf, sb.len);
	strbuf_free(&sb);
	return ok;
}

/* Print one token; depth is the nesting after it was taken into account.
 * False stops the walk (the size budget is spent). */
static bool
pretty_token(struct walk *w, enum tok t, size_t start, size_t depth)
{
	const char *text = (const char *)w->s + start;
	size_t n = w->i - start;
	bool opened = w->opened;

	if (w->skip > 0) {
		/* Inside a cut container: print nothing until it closes. */
		if (t == TOK_CLOSE && depth < w->skip)
			w->skip = 0;
		return true;
	}
	w->opened = false;
	if (t == TOK_CLOSE)
		return (opened || newline(w, depth)) && put(w, text, 1);
	if (opened && !newline(w, depth - (t == TOK_OPEN)))
		return false;
	switch (t) {
	case TOK_OPEN:
		if ((int)depth > w->max_depth) {
			w->skip = depth;
			w->cut |= EVIDENCE_CUT_DEPTH;
			return put(w, text, 1) && put(w, w->ellipsis, strlen(w->ellipsis)) &&
			    put(w, *text == '{' ? "}" : "]", 1);
		}
		w->opened = true;
		return put(w, text, 1);
	case TOK_COMMA:
		return put(w, ",", 1) && newline(w, depth);
	case TOK_COLON:
		return put(w, ": ", 2);
	case TOK_STRING:
		return put_string(w, text, n);
	default:
		return put(w, text, n);
	}
}

/* --- MODE_ASCII ------------------------------------------------------ */

static void
ascii_token(struct walk *w, enum tok t, size_t start)
{
	const unsigned char *s = w->s;
	unsigned int cp;
	size_t i, n;

	if (t != TOK_STRING) {
		strbuf_appendn(w->out, (const char *)s + start, w->i - start);
		return;
	}
	for (i = start; i < w->i; i += n) {
		if (s[i] < 0x80) {
			strbuf_appendc(w->out, (char)s[i]);
			n = 1;
			continue;
		}
		n = utf8_decode(s + i, w->i - i, &cp);	/* checked by the scan */
		if (cp >= 0x10000) {
			cp -= 0x10000;
			strbuf_appendf(w->out, "\\u%04x\\u%04x", 0xd800 + (cp >> 10),
			    0xdc00 + (cp & 0x3ff));
		} else {
			strbuf_appendf(w->out, "\\u%04x", cp);
		}
	}
}

/* --- the walk -------------------------------------------------------- */

static enum expect
after_value(const struct walk *w)
{
	return w->stack.len == 0 ? EX_END : EX_COMMA_OR_CLOSE;
}

/* 0: valid JSON; -1: not; 1: stopped early (the output budget is spent). */
static int
walk_run(struct walk *w)
{
	enum expect ex = EX_VALUE;
	enum tok t;
	size_t start;
	char open;

	for (;;) {
		t = next_token(w, &start);
		if (t == TOK_ERROR)
			return -1;
		if (t == TOK_END)
			return ex == EX_END ? 0 : -1;
		switch (ex) {
		case EX_END:
			return -1;
		case EX_COLON:
			if (t != TOK_COLON)
				return -1;
			ex = EX_VALUE;
			break;
		case EX_KEY:
		case EX_KEY_OR_CLOSE:
			if (t == TOK_STRING) {
				ex = EX_COLON;
				break;
			}
			if (t != TOK_CLOSE || ex != EX_KEY_OR_CLOSE || w->s[start] != '}')
				return -1;
			w->stack.len--;
			ex = after_value(w);
			break;
		case EX_VALUE:
		case EX_VALUE_OR_CLOSE:
			if (t == TOK_CLOSE && ex == EX_VALUE_OR_CLOSE && w->s[start] == ']') {
				w->stack.len--;
				ex = after_value(w);
			} else if (t == TOK_OPEN) {
				strbuf_appendc(&w->stack, (char)w->s[start]);
				if ((int)w->stack.len > w->deepest)
					w->deepest = (int)w->stack.len;
				ex = w->s[start] == '{' ? EX_KEY_OR_CLOSE : EX_VALUE_OR_CLOSE;
			} else if (t == TOK_STRING || t == TOK_SCALAR) {
				ex = after_value(w);
			} else {
				return -1;
			}
			break;
		case EX_COMMA_OR_CLOSE:
			open = w->stack.buf[w->stack.len - 1];
			if (t == TOK_COMMA) {
				ex = open == '{' ? EX_KEY : EX_VALUE;
			} else if (t == TOK_CLOSE &&
			    w->s[start] == (open == '{' ? '}' : ']')) {
				w->stack.len--;
				ex = after_value(w);
			} else {
				return -1;
			}
			break;
		}
		if (w->mode == MODE_PRETTY && !pretty_token(w, t, start, w->stack.len))
			return 1;
		if (w->mode == MODE_ASCII)
			ascii_token(w, t, start);
	}
}

static int
walk_text(struct walk *w, enum mode mode, const char *text, size_t len,
    struct strbuf *out)
{
	int rc;

	w->s = (const unsigned char *)text;
	w->len = len;
	w->mode = mode;
	w->out = out;
	strbuf_init(&w->stack);
	rc = walk_run(w);
	strbuf_free(&w->stack);
	return rc;
}

int
evidence_check(const char *text, size_t len, int *depth)
{
	struct walk w;
	int rc;

	memset(&w, 0, sizeof w);
	rc = text == NULL ? -1 : walk_text(&w, MODE_CHECK, text, len, NULL);
	if (depth != NULL)
		*depth = w.deepest;
	return rc;
}

int
evidence_json_ascii(struct strbuf *out, const char *text, size_t len)
{
	struct walk w;
	size_t mark = out->len;

	memset(&w, 0, sizeof w);
	if (text == NULL || walk_text(&w, MODE_ASCII, text, len, out) != 0) {
		out->len = mark;
		out->buf[mark] = '\0';
		return -1;
	}
	return 0;
}

int
evidence_pretty(struct strbuf *out, const char *text, size_t len,
    int san_flags, int max_depth, size_t max_bytes)
{
	const char *ell = (san_flags & SAN_ASCII) ? "..." : "\xe2\x80\xa6";
	struct strbuf raw, clean;
	struct walk w;
	size_t n;

	if (text == NULL || len == 0) {
		strbuf_append(out, "(none)");
		return 0;
	}
	memset(&w, 0, sizeof w);
	strbuf_init(&raw);
	w.max_depth = max_depth;
	w.max_bytes = max_bytes;
	w.ellipsis = ell;
	if (walk_text(&w, MODE_PRETTY, text, len, &raw) < 0) {
		/* Not JSON: the text itself, sanitized, within the budget. */
		w.cut = EVIDENCE_INVALID;
		strbuf_reset(&raw);
		strbuf_appendn(&raw, text, len < max_bytes ? len : max_bytes);
		if (len > max_bytes)
			w.cut |= EVIDENCE_CUT_SIZE;
	}
	strbuf_init(&clean);
	sanitize(&clean, raw.buf, raw.len, (san_flags & SAN_ASCII) | SAN_NEWLINES);
	if (clean.len > max_bytes) {
		/* Escapes made it longer: cut on a character boundary. */
		n = max_bytes;
		while (n > 0 && ((unsigned char)clean.buf[n] & 0xc0) == 0x80)
			n--;
		clean.len = n;
		clean.buf[n] = '\0';
		w.cut |= EVIDENCE_CUT_SIZE;
	}
	strbuf_appendn(out, clean.buf, clean.len);
	if (w.cut & EVIDENCE_INVALID)
		strbuf_appendf(out, "\n%s (not valid JSON: shown as text)", ell);
	if (w.cut & EVIDENCE_CUT_DEPTH)
		strbuf_appendf(out, "\n%s (nested deeper than %d levels: cut)", ell,
		    max_depth);
	if (w.cut & EVIDENCE_CUT_SIZE)
		strbuf_appendf(out, "\n%s (cut at %zu bytes of %zu)", ell, max_bytes, len);
	strbuf_free(&clean);
	strbuf_free(&raw);
	return w.cut;
}
