/* tests/fuzz/fuzz_secrets.c: the secrets file.  Invariants: errors are
 * control-free "NAME:LINE: ..." lines that never quote a value (each input
 * line after its '=' is looked for in the messages); a file with errors
 * keeps no secret; names kept are unique and values non-empty. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "secrets.h"
#include "strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Values are marked so they cannot be mistaken for message text: the
 * harness only looks for values holding a '%' (no message has one). */
static void
check_no_value(const char *err, const char *text, size_t len)
{
	const char *p = text, *end = text + len, *nl, *eq;
	char *v;

	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if ((eq = memchr(p, '=', (size_t)(nl - p))) == NULL)
			continue;
		v = strndup(eq + 1, (size_t)(nl - eq - 1));
		if (v != NULL && strchr(v, '%') != NULL && strlen(v) >= 4 &&
		    strstr(err, v) != NULL)
			abort();
		free(v);
		if (nl == end)
			break;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct secrets s;
	struct strbuf err;
	size_t i, j;
	int n;

	secrets_init(&s);
	strbuf_init(&err);
	n = secrets_parse(&s, "f", (const char *)data, size, &err);
	for (i = 0; i < err.len; i++)
		if ((unsigned char)err.buf[i] < 0x20 && err.buf[i] != '\n')
			abort();
	if ((n > 0) != (err.len > 0) || (n > 0 && s.n != 0))
		abort();
	check_no_value(err.buf, (const char *)data, size);
	for (i = 0; i < s.n; i++) {
		if (s.values[i][0] == '\0' || strchr(s.values[i], '\n') != NULL)
			abort();
		for (j = i + 1; j < s.n; j++)
			if (strcmp(s.names[i], s.names[j]) == 0)
				abort();
		if (secrets_get(&s, s.names[i]) == NULL)
			abort();
	}
	secrets_free(&s);
	strbuf_free(&err);
	return 0;
}
