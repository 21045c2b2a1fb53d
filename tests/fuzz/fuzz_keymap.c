/* tests/fuzz/fuzz_keymap.c: lines of the keys file.  Invariants: an error
 * message is a NUL-terminated string, and every key the line bound has a
 * name that parses back to the same key (the help prints those names). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "keymap.h"
#include "strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct keymap km;
	char err[256], name[64], *line, *p, *nl;
	size_t i;
	int s, key;

	line = xstrndup((const char *)data, size);
	keymap_init(&km);
	for (p = line; p != NULL; p = nl) {
		if ((nl = strchr(p, '\n')) != NULL)
			*nl++ = '\0';
		err[0] = '\0';
		if (keymap_parse_line(&km, p, err, sizeof err) < 0 &&
		    (err[0] == '\0' || memchr(err, '\0', sizeof err) == NULL))
			abort();
	}
	for (s = 0; s < KS__COUNT; s++)
		for (i = 0; i < km.n[s]; i++) {
			keymap_key_name(km.b[s][i].key, name, sizeof name);
			if (keymap_parse_key(name, &key) != 0 || key != km.b[s][i].key)
				abort();
		}
	keymap_free(&km);
	free(line);
	return 0;
}
