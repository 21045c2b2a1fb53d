/* tests/fuzz/fuzz_filter.c: the filter language (`:filter`, --filter, saved
 * views).  Invariant: a filter that parses prints to text that parses back
 * to the same text (filter_format is a fixed point), and the time parsers
 * never crash on the same bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "format.h"
#include "strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct filter f, g;
	struct strbuf a, b;
	char err[256], *s;

	s = xstrndup((const char *)data, size);
	filter_init(&f);
	if (filter_parse(&f, s, err, sizeof err) == 0) {
		strbuf_init(&a);
		strbuf_init(&b);
		filter_format(&f, &a);
		filter_init(&g);
		if (filter_parse(&g, a.buf, err, sizeof err) != 0)
			abort();	/* printed text must parse */
		filter_format(&g, &b);
		if (strcmp(a.buf, b.buf) != 0)
			abort();	/* and print the same */
		filter_free(&g);
		strbuf_free(&a);
		strbuf_free(&b);
	} else if (memchr(err, '\0', sizeof err) == NULL) {
		abort();
	}
	filter_free(&f);
	format_parse_ts(s);
	format_parse_duration(s);
	free(s);
	return 0;
}
