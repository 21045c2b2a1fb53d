/* tests/fuzz/fuzz_text.c: libFuzzer harness for the text paths that see
 * attacker-controlled input: the sanitizer, column fitting and the filter
 * language.  Invariants, not just "no crash": sanitized output holds no
 * control byte, fitted text is never wider than asked, and a parsed filter
 * prints to text that parses back to the same filter.
 * Run with tests/fuzz/run.sh (needs clang; not part of make check). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "sanitize.h"
#include "filter.h"
#include "format.h"
#include "strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf sb, fit;
	struct filter f, g;
	char err[256], *s;
	size_t i;

	strbuf_init(&sb);
	sanitize(&sb, (const char *)data, size, size & 1 ? SAN_ASCII : 0);
	for (i = 0; i < sb.len; i++)
		if ((unsigned char)sb.buf[i] < 0x20 || sb.buf[i] == 0x7f)
			abort();
	strbuf_init(&fit);
	format_fit(&fit, sb.buf, (int)(size % 40), FIT_PAD);
	if (size % 40 > 0 && format_width(fit.buf) > (int)(size % 40))
		abort();
	strbuf_free(&fit);
	strbuf_free(&sb);
	s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = 0;
	filter_init(&f);
	if (filter_parse(&f, s, err, sizeof err) == 0) {
		struct strbuf a, b;
		strbuf_init(&a);
		strbuf_init(&b);
		filter_format(&f, &a);
		filter_init(&g);
		if (filter_parse(&g, a.buf, err, sizeof err) != 0)
			abort();
		filter_format(&g, &b);
		if (strcmp(a.buf, b.buf) != 0)
			abort();
		filter_free(&g);
		strbuf_free(&a);
		strbuf_free(&b);
	}
	filter_free(&f);
	format_parse_ts(s);
	format_parse_duration(s);
	free(s);
	return 0;
}
