/* tests/fuzz/fuzz_settings.c: the settings file.  Invariants: errors and
 * warnings are lines "NAME:LINE: ..." free of control bytes; the count
 * returned matches the error lines; with any error no setting changes;
 * every value kept is already in normal form. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "settings.h"
#include "strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
check_lines(const struct strbuf *sb)
{
	const char *p;
	int lines = 0;
	size_t i;

	for (i = 0; i < sb->len; i++)
		if ((unsigned char)sb->buf[i] < 0x20 && sb->buf[i] != '\n')
			abort();
	for (p = sb->buf; *p != '\0'; p = strchr(p, '\n') + 1) {
		if (strncmp(p, "f:", 2) != 0 || strchr(p, '\n') == NULL)
			abort();
		lines++;
	}
	return lines;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct settings c;
	struct strbuf err, warn;
	const char *why;
	char *norm;
	int n, i;

	settings_init(&c);
	strbuf_init(&err);
	strbuf_init(&warn);
	n = settings_parse(&c, "f", (const char *)data, size, &err, &warn);
	if (check_lines(&err) != n)
		abort();
	check_lines(&warn);
	for (i = 0; i < SETTINGS_NKEYS; i++) {
		if (n > 0 && (c.source[i] != SETTINGS_DEFAULT ||
		    strcmp(c.value[i], settings_keys[i].def) != 0))
			abort();
		if ((norm = settings_value_check(settings_keys[i].type, c.value[i],
		    &why)) == NULL || strcmp(norm, c.value[i]) != 0)
			abort();
		free(norm);
	}
	strbuf_free(&err);
	strbuf_free(&warn);
	settings_free(&c);
	return 0;
}
