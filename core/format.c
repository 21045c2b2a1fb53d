/* format.c: widths, fitting, ages and timestamps. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "format.h"
#include "sanitize.h"
#include "strbuf.h"

static int
cp_width(unsigned int cp)
{
	int w;

	if (cp < 0x80)
		return cp >= 0x20 && cp < 0x7f ? 1 : 0;
	w = wcwidth((wchar_t)cp);
	/* Unknown to this libc, or the locale is not UTF-8: one column is the
	 * best guess and keeps columns aligned for everything else. */
	return w < 0 ? 1 : w;
}

int
format_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i = 0, n;
	unsigned int cp;
	int w = 0;

	while (i < len) {
		n = utf8_decode(p + i, len - i, &cp);
		if (n == 0) {
			w++;
			i++;
			continue;
		}
		w += cp_width(cp);
		i += n;
	}
	return w;
}

void
format_fit(struct strbuf *out, const char *s, int width, int flags)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i = 0, n, cut = 0;
	unsigned int cp;
	int w = 0, total, cw, pad;

	if (width <= 0)
		return;
	if (flags & FIT_RIGHT)
		flags |= FIT_PAD;
	total = format_width(s);
	if (total <= width) {
		pad = width - total;
		if ((flags & FIT_RIGHT) && pad > 0)
			while (pad-- > 0)
				strbuf_appendc(out, ' ');
		strbuf_append(out, s);
		if ((flags & FIT_PAD) && !(flags & FIT_RIGHT))
			while (pad-- > 0)
				strbuf_appendc(out, ' ');
		return;
	}
	/* Too wide: keep width-1 columns and an ellipsis. */
	while (i < len) {
		n = utf8_decode(p + i, len - i, &cp);
		cw = n ? cp_width(cp) : 1;
		if (n == 0)
			n = 1;
		if (w + cw > width - 1)
			break;
		w += cw;
		i += n;
	}
	cut = i;
	strbuf_appendn(out, s, cut);
	strbuf_append(out, (flags & FIT_ASCII) ? "~" : "\xe2\x80\xa6");
	w++;
	if (flags & FIT_PAD)
		while (w++ < width)
			strbuf_appendc(out, ' ');
}

void
format_age(char *buf, size_t len, time_t now, time_t then)
{
	long long d = (long long)now - (long long)then;
	const char *sign = "";

	if (d < 0) {
		/* A clock ahead of ours: show it, it is itself a signal. */
		sign = "-";
		d = -d;
	}
	if (d < 5 && *sign == '\0')
		snprintf(buf, len, "now");
	else if (d < 60)
		snprintf(buf, len, "%s%llds", sign, d);
	else if (d < 3600)
		snprintf(buf, len, "%s%lldm", sign, d / 60);
	else if (d < 86400)
		snprintf(buf, len, "%s%lldh", sign, d / 3600);
	else if (d < 86400 * 14)
		snprintf(buf, len, "%s%lldd", sign, d / 86400);
	else if (d < 86400LL * 365)
		snprintf(buf, len, "%s%lldw", sign, d / (86400 * 7));
	else
		snprintf(buf, len, "%s%lldy", sign, d / (86400LL * 365));
}

void
format_ago(char *buf, size_t len, time_t now, time_t then)
{
	char age[16];
	bool ahead = then > now;

	/* format_age's compact "now" and "-10m" fit a column, not a sentence;
	 * a few seconds either way (clock jitter) is "just now". */
	if (ahead)
		format_age(age, sizeof age, then, now);
	else
		format_age(age, sizeof age, now, then);
	if (strcmp(age, "now") == 0)
		snprintf(buf, len, "just now");
	else
		snprintf(buf, len, ahead ? "in %s" : "%s ago", age);
}

void
format_count(char *buf, size_t len, long long v)
{
	char tmp[32];
	size_t n, i, o = 0;
	int neg = v < 0;

	snprintf(tmp, sizeof tmp, "%lld", neg ? -v : v);
	n = strlen(tmp);
	if (len == 0)
		return;
	if (neg && o + 1 < len)
		buf[o++] = '-';
	for (i = 0; i < n && o + 1 < len; i++) {
		if (i > 0 && (n - i) % 3 == 0 && o + 1 < len)
			buf[o++] = ',';
		if (o + 1 < len)
			buf[o++] = tmp[i];
	}
	buf[o] = '\0';
}

void
format_iso(char *buf, size_t len, time_t t)
{
	struct tm tm;

	if (t == 0 || gmtime_r(&t, &tm) == NULL) {
		snprintf(buf, len, "%s", "");
		return;
	}
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void
format_ts(char *buf, size_t len, time_t t)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL) {
		snprintf(buf, len, "?");
		return;
	}
	strftime(buf, len, "%Y-%m-%d %H:%M:%S", &tm);
}

/* Days from civil, after Howard Hinnant: timegm without the TZ games. */
static long long
days_from_civil(long long y, unsigned m, unsigned d)
{
	long long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

time_t
format_parse_ts(const char *s)
{
	int y, mo, d, h, mi, sec, n = 0, tzh = 0, tzm = 0;
	const char *p;
	long long t;

	if (s == NULL)
		return (time_t)-1;
	if (sscanf(s, "%4d-%2d-%2d%*1[ T]%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi,
	    &sec, &n) != 6 || n == 0)
		return (time_t)-1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return (time_t)-1;
	p = s + n;
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++)
			;
	if (*p == '+' || *p == '-') {
		int sign = *p == '-' ? -1 : 1;
		if (sscanf(p + 1, "%2d", &tzh) != 1)
			return (time_t)-1;
		p += 3;
		if (*p == ':')
			p++;
		if (isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1]))
			tzm = (p[0] - '0') * 10 + (p[1] - '0');
		tzh *= sign;
		tzm *= sign;
	}
	t = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400LL +
	    h * 3600LL + mi * 60LL + sec;
	t -= tzh * 3600LL + tzm * 60LL;
	return (time_t)t;
}

long
format_parse_duration(const char *s)
{
	static const struct { const char *suffix; long mult; } units[] = {
		{ "", 1 }, { "s", 1 }, { "m", 60 }, { "min", 60 }, { "h", 3600 },
		{ "d", 86400 }, { "w", 7 * 86400 },
	};
	char *end;
	long v;
	size_t i;

	if (s == NULL || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || v <= 0 || v > FORMAT_DURATION_MAX)
		return -1;
	for (i = 0; i < sizeof units / sizeof units[0]; i++)
		if (strcmp(end, units[i].suffix) == 0)
			return v > FORMAT_DURATION_MAX / units[i].mult ? -1 :
			    v * units[i].mult;
	return -1;
}

int
format_parse_id(const char *s, long long *out)
{
	long long v = 0;
	const char *p;

	if (s == NULL)
		return -1;
	if (*s == '#')
		s++;
	if (*s == '\0')
		return -1;
	for (p = s; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		if (v > (LLONG_MAX - (*p - '0')) / 10)
			return -1;
		v = v * 10 + (*p - '0');
	}
	if (v <= 0)
		return -1;
	*out = v;
	return 0;
}
