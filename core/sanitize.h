/* sanitize.h: the one gate between attacker-controlled text and a terminal.
 *
 * Everything that came from a station, a vehicle, an app or the database
 * passes through sanitize() before it is drawn or printed for a human.  The
 * output is valid UTF-8 with no C0/C1 controls, no escape sequences (CSI,
 * OSC, DCS start with ESC or a C1 byte, so they cannot survive), no bidi
 * overrides or isolates, and no invisible format characters.  What is
 * removed is shown as a visible escape: \e \n \r \t \xNN \u{XXXX}. */
#ifndef VSOC_SANITIZE_H
#define VSOC_SANITIZE_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf;

#define SAN_ASCII	0x1	/* terminal is not UTF-8: escape all non-ASCII */
#define SAN_NEWLINES	0x2	/* keep \n as a real newline (multi-line text) */

/* Append the sanitized form of in[0..len) to out; returns the number of
 * escapes made (0 when the text was already clean). */
size_t	 sanitize(struct strbuf *out, const char *in, size_t len, int flags);
/* Convenience: a fresh, sanitized copy of a NUL-terminated string (NULL is
 * treated as ""). The caller frees it. */
char	*sanitize_dup(const char *in, int flags);

/* Decode one UTF-8 sequence at s (at most len bytes).  Returns its length
 * and stores the code point, or returns 0 for an invalid sequence
 * (overlong, surrogate, truncated, > U+10FFFF). */
size_t	 utf8_decode(const unsigned char *s, size_t len, unsigned int *cp);
/* True when s is entirely valid UTF-8 (NUL-terminated).  Options that go
 * to the database are checked with it first: PostgreSQL would refuse
 * them anyway, but as a backend error (exit 1) that does not name the
 * option. */
bool	 utf8_valid(const char *s);

#endif
