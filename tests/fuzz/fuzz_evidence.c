/* tests/fuzz/fuzz_evidence.c: the evidence pretty-printer and scanner.
 * Invariants: the human form stays within max_bytes plus the notes, holds
 * no control byte but newlines and is valid UTF-8 (ASCII with SAN_ASCII);
 * whatever jansson accepts the scanner accepts; the ASCII re-emission is
 * ASCII, valid, and equal to the input as jansson reads both. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "evidence.h"
#include "sanitize.h"
#include "strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf out, ascii;
	const char *text;
	json_error_t jerr;
	json_t *a, *b;
	unsigned int cp;
	size_t max_bytes, i, n;
	int flags, max_depth, valid;

	if (size < 2)
		return 0;
	flags = data[0] & 1 ? SAN_ASCII : 0;
	max_depth = data[0] >> 1;		/* 0..127 */
	max_bytes = (size_t)data[1] * 16;	/* 0..4080 */
	text = (const char *)data + 2;
	size -= 2;
	strbuf_init(&out);
	evidence_pretty(&out, text, size, flags, max_depth, max_bytes);
	if (out.len > max_bytes + EVIDENCE_NOTE_MAX && out.len > 6)
		abort();
	for (i = 0; i < out.len; i += n) {
		unsigned char c = (unsigned char)out.buf[i];

		if ((c < 0x20 && c != '\n') || c == 0x7f || ((flags & SAN_ASCII) && c >= 0x80))
			abort();
		if ((n = utf8_decode((const unsigned char *)out.buf + i, out.len - i, &cp)) == 0)
			abort();
		if (cp >= 0x80 && cp <= 0x9f)
			abort();
	}
	strbuf_free(&out);

	valid = evidence_check(text, size, NULL) == 0;
	/* jansson reads a raw NUL byte as the end of the input ("12\0" is
	 * 12 to it): compare only without one (JSON never holds it raw). */
	a = memchr(text, '\0', size) != NULL ? NULL :
	    json_loadb(text, size, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
	if (a != NULL && !valid)
		abort();	/* jansson took what the scanner refused */
	strbuf_init(&ascii);
	if ((evidence_json_ascii(&ascii, text, size) == 0) != valid)
		abort();
	if (valid) {
		for (i = 0; i < ascii.len; i++)
			if ((unsigned char)ascii.buf[i] >= 0x80 ||
			    (unsigned char)ascii.buf[i] < 0x20)
				abort();
		if (evidence_check(ascii.buf, ascii.len, NULL) != 0)
			abort();
		b = json_loadb(ascii.buf, ascii.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
		if (a != NULL && (b == NULL || !json_equal(a, b)))
			abort();
		json_decref(b);
	}
	json_decref(a);
	strbuf_free(&ascii);
	return 0;
}
