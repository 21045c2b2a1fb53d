/* demo_copy.c: the demo seed's text plumbing: exact calendar arithmetic
 * for --now and timestamps, JSON escaping for evidence, and a COPY FROM
 * STDIN writer that sends rows in COPY_CHUNK pieces. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db.h"
#include "demo_int.h"
#include "strbuf.h"

#define COPY_CHUNK	(256 * 1024)

/* --- time ------------------------------------------------------------ */

/* Howard Hinnant's days_from_civil / civil_from_days: exact proleptic
 * Gregorian arithmetic without timegm() or the TZ environment. */
static long
days_from_civil(long y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(long z, int *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int
parse_digits(const char **s, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if ((*s)[i] < '0' || (*s)[i] > '9')
			return -1;
		v = v * 10 + ((*s)[i] - '0');
	}
	*s += n;
	*out = v;
	return 0;
}

int
demo_parse_time(const char *s, time_t *out)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, oh = 0, om = 0, sign = 0;
	long days;

	if (s == NULL || parse_digits(&s, 4, &y) < 0 || *s++ != '-' ||
	    parse_digits(&s, 2, &mo) < 0 || *s++ != '-' ||
	    parse_digits(&s, 2, &d) < 0)
		return -1;
	if (*s == 'T' || *s == 't' || *s == ' ') {
		s++;
		if (parse_digits(&s, 2, &h) < 0 || *s++ != ':' ||
		    parse_digits(&s, 2, &mi) < 0)
			return -1;
		if (*s == ':') {
			s++;
			if (parse_digits(&s, 2, &sec) < 0)
				return -1;
		}
		if (*s == 'Z' || *s == 'z')
			s++;
		else if (*s == '+' || *s == '-') {
			sign = *s++ == '-' ? -1 : 1;
			if (parse_digits(&s, 2, &oh) < 0)
				return -1;
			if (*s == ':')
				s++;
			if (*s != '\0' && parse_digits(&s, 2, &om) < 0)
				return -1;
		}
	}
	if (*s != '\0' || y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 ||
	    h > 23 || mi > 59 || sec > 59 || oh > 23 || om > 59)
		return -1;
	days = days_from_civil(y, mo, d);
	/* Reject 2026-02-31 and friends: the round trip must match. */
	{
		int cy, cm, cd;

		civil_from_days(days, &cy, &cm, &cd);
		if (cy != y || cm != mo || cd != d)
			return -1;
	}
	*out = (time_t)(days * DAY + h * 3600L + mi * 60L + sec -
	    sign * (oh * 3600L + om * 60L));
	return 0;
}

void
demo_ts_format(char *buf, time_t t, bool iso)
{
	long days = (long)(t >= 0 ? t / DAY : (t - DAY + 1) / DAY);
	long rem = (long)t - days * DAY;
	int y, m, d, i;

	civil_from_days(days, &y, &m, &d);
	/* Hand-rolled: strftime per timestamp is a visible cost at 1M rows. */
	buf[0] = (char)('0' + y / 1000 % 10);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + d / 10);
	buf[9] = (char)('0' + d % 10);
	buf[10] = iso ? 'T' : ' ';
	i = (int)(rem / 3600);
	buf[11] = (char)('0' + i / 10);
	buf[12] = (char)('0' + i % 10);
	buf[13] = ':';
	i = (int)(rem / 60 % 60);
	buf[14] = (char)('0' + i / 10);
	buf[15] = (char)('0' + i % 10);
	buf[16] = ':';
	i = (int)(rem % 60);
	buf[17] = (char)('0' + i / 10);
	buf[18] = (char)('0' + i % 10);
	if (iso) {
		buf[19] = 'Z';
		buf[20] = '\0';
	} else {
		memcpy(buf + 19, "+00", 4);
	}
}

/* --- JSON and COPY escaping ------------------------------------------ */

/* Append s as JSON string content (no quotes): escapes ", \ and every
 * control character, so any byte string yields valid JSON. */
void
demo_json_escape(struct strbuf *sb, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, start = 0;
	char u[6];

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
			continue;
		strbuf_appendn(sb, s + start, i - start);
		start = i + 1;
		switch (c) {
		case '"': strbuf_append(sb, "\\\""); break;
		case '\\': strbuf_append(sb, "\\\\"); break;
		case '\n': strbuf_append(sb, "\\n"); break;
		case '\r': strbuf_append(sb, "\\r"); break;
		case '\t': strbuf_append(sb, "\\t"); break;
		default:
			memcpy(u, "\\u00", 4);
			u[4] = hex[c >> 4];
			u[5] = hex[c & 15];
			strbuf_appendn(sb, u, 6);
		}
	}
	strbuf_appendn(sb, s + start, n - start);
}

void
demo_json_str(struct strbuf *sb, const char *s)
{
	strbuf_appendc(sb, '"');
	demo_json_escape(sb, s, strlen(s));
	strbuf_appendc(sb, '"');
}


static void
copy_reserve(struct copy *c, size_t n)
{
	if (c->len + n <= c->cap)
		return;
	while (c->len + n > c->cap)
		c->cap = c->cap ? c->cap * 2 : 2 * COPY_CHUNK;
	c->buf = xrealloc(c->buf, c->cap);
}

/* Record the error of a failed result the way db.c does. */
static void
copy_result_error(struct db *db, PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;

	snprintf(db->sqlstate, sizeof db->sqlstate, "%s", state ? state : "");
	if (primary != NULL && detail != NULL)
		db_set_error(db, "%s (%s)", primary, detail);
	else if (primary != NULL)
		db_set_error(db, "%s", primary);
	else
		db_set_error(db, "%s", PQerrorMessage(db->conn));
}

/* sql is a constant COPY ... FROM STDIN statement: no values in it. */
int
copy_begin(struct copy *c, struct db *db, const char *sql)
{
	PGresult *res;

	memset(c, 0, sizeof *c);
	c->db = db;
	res = PQexec(db->conn, sql);
	if (res == NULL || PQresultStatus(res) != PGRES_COPY_IN) {
		copy_result_error(db, res);
		PQclear(res);
		return -1;
	}
	PQclear(res);
	copy_reserve(c, COPY_CHUNK + 4096);
	return 0;
}

static void
copy_flush(struct copy *c)
{
	if (c->len > 0 && !c->failed &&
	    PQputCopyData(c->db->conn, c->buf, (int)c->len) != 1) {
		db_set_error(c->db, "COPY: %s", PQerrorMessage(c->db->conn));
		c->failed = true;
	}
	c->len = 0;
}

/* Finish the COPY; frees the buffer.  0, or -1 with db->errmsg. */
int
copy_end(struct copy *c)
{
	PGresult *res;
	int rc = 0;

	copy_flush(c);
	free(c->buf);
	c->buf = NULL;
	if (PQputCopyEnd(c->db->conn, c->failed ? "client error" : NULL) != 1) {
		db_set_error(c->db, "COPY: %s", PQerrorMessage(c->db->conn));
		rc = -1;
	}
	while ((res = PQgetResult(c->db->conn)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK && rc == 0 && !c->failed) {
			copy_result_error(c->db, res);
			rc = -1;
		}
		PQclear(res);
	}
	return c->failed ? -1 : rc;
}

/* A text field, escaped for COPY's text format. */
void
copy_strn(struct copy *c, const char *s, size_t n)
{
	size_t i;
	char *o;

	copy_reserve(c, 2 * n + 1);
	o = c->buf + c->len;
	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '\\': *o++ = '\\'; *o++ = '\\'; break;
		case '\t': *o++ = '\\'; *o++ = 't'; break;
		case '\n': *o++ = '\\'; *o++ = 'n'; break;
		case '\r': *o++ = '\\'; *o++ = 'r'; break;
		default: *o++ = s[i];
		}
	}
	*o++ = '\t';
	c->len = (size_t)(o - c->buf);
}

void
copy_str(struct copy *c, const char *s)
{
	if (s == NULL) {
		copy_reserve(c, 3);
		memcpy(c->buf + c->len, "\\N\t", 3);
		c->len += 3;
	} else {
		copy_strn(c, s, strlen(s));
	}
}

void
copy_ll(struct copy *c, long long v)
{
	copy_reserve(c, 24);
	c->len += (size_t)snprintf(c->buf + c->len, 24, "%lld\t", v);
}

/* 0 means NULL: every id column this writes is 1-based. */
void
copy_id(struct copy *c, long long v)
{
	if (v == 0)
		copy_str(c, NULL);
	else
		copy_ll(c, v);
}

void
copy_ts(struct copy *c, time_t t)
{
	char ts[32];

	demo_ts_format(ts, t, false);
	copy_strn(c, ts, strlen(ts));
}

void
copy_row_end(struct copy *c)
{
	/* Replace the last field's tab by the row's newline. */
	c->buf[c->len - 1] = '\n';
	c->rows++;
	if (c->len >= COPY_CHUNK)
		copy_flush(c);
}
