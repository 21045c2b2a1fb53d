/* tests/fuzz/fuzz_sanitize.c: the terminal sanitizer and column fitting,
 * the gate between attacker-controlled text and the terminal.  Invariants:
 * the output holds no C0 control, DEL or C1 control, is valid UTF-8 (pure
 * ASCII with SAN_ASCII), sanitizing it again changes nothing, and fitted
 * text is never wider than asked. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "sanitize.h"
#include "strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_clean(const struct strbuf *sb, int flags)
{
	const unsigned char *s = (const unsigned char *)sb->buf;
	unsigned int cp;
	size_t i, n;

	for (i = 0; i < sb->len; i += n) {
		if (s[i] < 0x20 && !(s[i] == '\n' && (flags & SAN_NEWLINES)))
			abort();
		if (s[i] == 0x7f || ((flags & SAN_ASCII) && s[i] >= 0x80))
			abort();
		if ((n = utf8_decode(s + i, sb->len - i, &cp)) == 0)
			abort();	/* not UTF-8 */
		if (cp >= 0x80 && cp <= 0x9f)
			abort();	/* C1: 8-bit CSI, OSC, DCS */
		if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
			abort();	/* bidi overrides and isolates */
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf sb, again, fit;
	int flags, width;

	if (size < 1)
		return 0;
	flags = data[0] & (SAN_ASCII | SAN_NEWLINES);
	width = data[0] >> 2;	/* 0..63 columns */
	data++;
	size--;
	strbuf_init(&sb);
	sanitize(&sb, (const char *)data, size, flags);
	check_clean(&sb, flags);
	strbuf_init(&again);
	if (sanitize(&again, sb.buf, sb.len, flags) != 0 || strcmp(again.buf, sb.buf) != 0)
		abort();	/* not idempotent: something slipped through */
	if (!(flags & SAN_NEWLINES)) {
		strbuf_init(&fit);
		format_fit(&fit, sb.buf, width, (flags & SAN_ASCII) ? FIT_ASCII | FIT_PAD :
		    FIT_PAD);
		if (format_width(fit.buf) > width)
			abort();
		check_clean(&fit, flags);
		strbuf_free(&fit);
	}
	strbuf_free(&again);
	strbuf_free(&sb);
	return 0;
}
