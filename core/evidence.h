/* evidence.h: an alert's evidence (JSON from a station, a vehicle or an
 * app, so attacker-controlled) shown to a human or re-emitted for scripts.
 *
 * One scanner validates the text without recursion, so no nesting depth
 * can exhaust the stack; the human form is indented, sanitized and bounded
 * in nesting and size, and says what it cut. */
#ifndef VSOC_EVIDENCE_H
#define VSOC_EVIDENCE_H

#include <stddef.h>

struct strbuf;

#define EVIDENCE_DEPTH_MAX	64		/* levels shown to a human */
#define EVIDENCE_BYTES_MAX	(256 * 1024)	/* bytes shown to a human */
/* Room for the notes saying what was cut, on top of max_bytes. */
#define EVIDENCE_NOTE_MAX	192

/* What evidence_pretty left out (bits of its return value). */
#define EVIDENCE_CUT_DEPTH	0x1	/* containers past max_depth shown as {…} */
#define EVIDENCE_CUT_SIZE	0x2	/* output stopped at max_bytes */
#define EVIDENCE_INVALID	0x4	/* not JSON: shown as sanitized text */

/* Append text[0..len) to out, indented by two spaces per level and
 * sanitized with san_flags (SAN_ASCII or 0; SAN_NEWLINES is implied), then
 * a line saying what was cut, if anything.  out grows by at most
 * max_bytes + EVIDENCE_NOTE_MAX bytes.  NULL or empty text shows "(none)".
 * Returns the EVIDENCE_* bits. */
int	 evidence_pretty(struct strbuf *out, const char *text, size_t len,
	    int san_flags, int max_depth, size_t max_bytes);

/* 0 when text[0..len) is exactly one JSON value (RFC 8259, valid UTF-8,
 * \u escapes with paired surrogates), at any depth; -1 otherwise.  When
 * depth is not NULL it receives the deepest nesting. */
int	 evidence_check(const char *text, size_t len, int *depth);

/* Append text[0..len) as compact JSON with every non-ASCII character as a
 * \uXXXX escape (the form output_json prints), whatever its depth or the
 * size of its numbers.  Returns -1, appending nothing, if it is not JSON. */
int	 evidence_json_ascii(struct strbuf *out, const char *text, size_t len);

#endif
