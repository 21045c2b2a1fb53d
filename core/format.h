/* format.h: pure formatting shared by the console and the command line:
 * display widths, fitting text into columns, ages, counts, timestamps. */
#ifndef VSOC_FORMAT_H
#define VSOC_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct strbuf;

#define FIT_PAD		0x1	/* pad with spaces to exactly width columns */
#define FIT_ASCII	0x2	/* ellipsis is "~" instead of U+2026 */
#define FIT_RIGHT	0x4	/* right-align (implies FIT_PAD) */

/* Display columns of a sanitized UTF-8 string (wcwidth per code point;
 * needs a UTF-8 LC_CTYPE for non-ASCII, else counts 1 each). */
int	 format_width(const char *s);
/* Append s cut to at most width columns, marking a cut with an ellipsis. */
void	 format_fit(struct strbuf *out, const char *s, int width, int flags);

/* "now", "42s", "17m", "5h", "3d", "6w", "2y" (at most 3 columns + sign). */
void	 format_age(char *buf, size_t len, time_t now, time_t then);
/* The same as a phrase for prose: "just now", "5m ago", and "in 10m" for a
 * time ahead of ours (a skewed clock). */
void	 format_ago(char *buf, size_t len, time_t now, time_t then);
/* 1234567 -> "1,234,567". */
void	 format_count(char *buf, size_t len, long long v);
/* "2026-11-21T19:06:47Z", the JSON form; "" for 0 (never set). */
void	 format_iso(char *buf, size_t len, time_t t);
/* "2026-11-21 19:06:47" in UTC. */
void	 format_ts(char *buf, size_t len, time_t t);
/* Parse PostgreSQL's ISO output ("2026-11-21 19:06:47.123+00") or an
 * ISO 8601 "2026-11-21T19:06:47Z"; returns (time_t)-1 on failure. */
time_t	 format_parse_ts(const char *s);
/* The longest duration format_parse_duration accepts: 100 years.  Longer
 * ones reach back past what a timestamp holds ("age<99999999h"). */
#define FORMAT_DURATION_MAX	(100L * 366 * 86400)
/* "90s", "15m", "4h", "7d", "2w" -> seconds; -1 on a malformed value or
 * one longer than FORMAT_DURATION_MAX. */
long	 format_parse_duration(const char *s);
/* A database id: "123" or "#123", decimal digits only, 1 to INT64_MAX.
 * Returns 0 and stores it, or -1 (malformed, zero, or too large: strtoll
 * would quietly make 99999999999999999999 into 9223372036854775807). */
int	 format_parse_id(const char *s, long long *out);

#endif
