/* sanitize.c: make untrusted text safe to show on a terminal. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "sanitize.h"
#include "strbuf.h"

size_t
utf8_decode(const unsigned char *s, size_t len, unsigned int *cp)
{
	unsigned int c;
	size_t n, i;

	if (len == 0)
		return 0;
	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		c &= 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		c &= 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		c &= 0x07;
	} else {
		return 0;	/* continuation byte, 0xc0/0xc1, or > 0xf4 */
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and the space past U+10FFFF. */
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) || c > 0x10ffff ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

bool
utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i = 0, n;
	unsigned int cp;

	while (i < len) {
		if ((n = utf8_decode(p + i, len - i, &cp)) == 0)
			return false;
		i += n;
	}
	return true;
}

/* Code points that must not reach a terminal even though they are valid:
 * C1 controls (8-bit CSI/OSC/DCS), bidi embeddings, overrides and
 * isolates (Trojan Source), zero-width and other invisible format
 * characters, line/paragraph separators, interlinear annotations, tag
 * characters and noncharacters. */
static bool
cp_dangerous(unsigned int c)
{
	if (c >= 0x80 && c <= 0x9f)
		return true;
	if (c == 0xad || c == 0x34f || c == 0x61c || c == 0x115f || c == 0x1160 ||
	    c == 0x17b4 || c == 0x17b5 || c == 0x180e || c == 0x3164 || c == 0xfeff ||
	    c == 0xffa0)
		return true;
	if (c >= 0x200b && c <= 0x200f)		/* ZWSP, ZWNJ, ZWJ, LRM, RLM */
		return true;
	if (c >= 0x2028 && c <= 0x202e)		/* LS, PS, LRE, RLE, PDF, LRO, RLO */
		return true;
	if (c >= 0x2060 && c <= 0x206f)		/* WJ, invisible ops, LRI..PDI */
		return true;
	if (c >= 0xfff9 && c <= 0xfffb)		/* interlinear annotation */
		return true;
	if (c >= 0xfe00 && c <= 0xfe0f)		/* variation selectors */
		return true;
	if (c >= 0xe0000 && c <= 0xe0fff)	/* tags, variation selectors supp. */
		return true;
	if ((c >= 0xfdd0 && c <= 0xfdef) || (c & 0xfffe) == 0xfffe)
		return true;
	return false;
}

size_t
sanitize(struct strbuf *out, const char *in, size_t len, int flags)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t i = 0, escapes = 0, n;
	unsigned int cp;

	if (in == NULL)
		return 0;
	while (i < len) {
		unsigned char c = s[i];

		if (c >= 0x20 && c < 0x7f) {
			/* Fast path for the printable ASCII run. */
			size_t j = i + 1;
			while (j < len && s[j] >= 0x20 && s[j] < 0x7f)
				j++;
			strbuf_appendn(out, in + i, j - i);
			i = j;
			continue;
		}
		if (c < 0x80) {
			switch (c) {
			case '\n':
				if (flags & SAN_NEWLINES) {
					strbuf_appendc(out, '\n');
					i++;
					continue;
				}
				strbuf_append(out, "\\n");
				break;
			case '\r': strbuf_append(out, "\\r"); break;
			case '\t': strbuf_append(out, "\\t"); break;
			case 0x1b: strbuf_append(out, "\\e"); break;
			default: strbuf_appendf(out, "\\x%02x", c); break;
			}
			escapes++;
			i++;
			continue;
		}
		n = utf8_decode(s + i, len - i, &cp);
		if (n == 0) {
			strbuf_appendf(out, "\\x%02x", c);
			escapes++;
			i++;
			continue;
		}
		if (cp_dangerous(cp) || (flags & SAN_ASCII)) {
			strbuf_appendf(out, "\\u{%04X}", cp);
			if (cp_dangerous(cp))
				escapes++;
		} else {
			strbuf_appendn(out, in + i, n);
		}
		i += n;
	}
	return escapes;
}

char *
sanitize_dup(const char *in, int flags)
{
	struct strbuf sb;

	strbuf_init(&sb);
	if (in != NULL)
		sanitize(&sb, in, strlen(in), flags);
	return strbuf_detach(&sb);
}
