/* auditlog.c: verify, anchor and read the audit log. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auditlog.h"
#include "db.h"
#include "format.h"
#include "strbuf.h"

/* Records read per round trip: large enough that the walk is bound by
 * hashing, small enough to keep memory flat at any log size. */
#define VERIFY_PAGE	20000
#define ANCHOR_TAG	"vsoc-audit-anchor"

static const char zero_hash[SHA256_HEX_LEN + 1] =
	"0000000000000000000000000000000000000000000000000000000000000000";

static const char *const break_names[] = {
	[AUDIT_OK] = "ok",
	[AUDIT_CHANGED] = "changed",
	[AUDIT_REMOVED] = "removed",
	[AUDIT_INSERTED] = "inserted",
	[AUDIT_REORDERED] = "reordered",
	[AUDIT_HEAD] = "head",
	[AUDIT_ANCHOR] = "anchor",
};

const char *
auditlog_break_name(enum audit_break_kind k)
{
	return k >= AUDIT_OK && k <= AUDIT_ANCHOR ? break_names[k] : "unknown";
}

static void
canon_field(struct strbuf *out, const char *s, bool first)
{
	if (!first)
		strbuf_appendc(out, '|');
	strbuf_appendf(out, "%zu:", strlen(s));
	strbuf_append(out, s);
}

/*
 * audit_ts() in C: PostgreSQL's ISO output of a timestamptz in UTC
 * ("2026-12-02 09:13:56.1234+00", the fraction trimmed of trailing zeros
 * or absent) as the hashed form "2026-12-02T09:13:56.123400Z".  Formatting
 * in the server with to_char cost 85% of verify's database time.  Text
 * that is not in that shape is copied as it is, so its record's hash
 * fails to match and verify reports it.
 */
void
auditlog_ts_from_iso(const char *in, char *out, size_t len)
{
	const char *sp = strchr(in, ' '), *frac, *end;
	size_t date_len, digits;

	if (sp == NULL || strlen(sp) < 9 || sp[3] != ':' || sp[6] != ':') {
		snprintf(out, len, "%s", in);
		return;
	}
	date_len = (size_t)(sp - in);
	frac = sp + 9;
	digits = 0;
	if (*frac == '.')
		for (frac++; frac[digits] >= '0' && frac[digits] <= '9'; digits++)
			;
	end = (*frac == '.' || digits > 0) ? frac + digits : frac;
	if (digits > 6 || strcmp(end, "+00") != 0) {
		snprintf(out, len, "%s", in);
		return;
	}
	snprintf(out, len, "%.*sT%.8s.%.*s%.*sZ", (int)date_len, in, sp + 1,
	    (int)digits, frac, (int)(6 - digits), "000000");
}

void
auditlog_canonical(struct strbuf *out, const char *seq, const char *at,
    const char *actor, const char *action, const char *object_kind,
    const char *object_id, const char *alert_ids, const char *details,
    const char *prev_hash)
{
	strbuf_reset(out);
	canon_field(out, "vsoc-audit-2", true);
	canon_field(out, seq, false);
	canon_field(out, at, false);
	canon_field(out, actor, false);
	canon_field(out, action, false);
	canon_field(out, object_kind, false);
	canon_field(out, object_id ? object_id : "", false);
	canon_field(out, alert_ids, false);
	canon_field(out, details, false);
	canon_field(out, prev_hash, false);
}

static double
mono_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int __attribute__((format(printf, 5, 6)))
verdict(struct audit_verify *v, enum audit_break_kind k, long long seq, long long id,
    const char *fmt, ...)
{
	va_list ap;

	v->kind = k;
	v->seq = seq;
	v->id = id;
	va_start(ap, fmt);
	vsnprintf(v->message, sizeof v->message, fmt, ap);
	va_end(ap);
	return 0;
}

/* Anchors from a file: every line holding "vsoc-audit-anchor seq=N
 * hash=H" (so a syslog file works as it is); other lines are ignored. */
struct anchor {
	long long	seq;
	char		hash[SHA256_HEX_LEN + 1];
	int		line;
};

static int
anchor_cmp(const void *a, const void *b)
{
	const struct anchor *x = a, *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int
anchors_load(struct db *db, const char *path, struct anchor **out, size_t *n)
{
	FILE *f;
	char line[1024], *p, *end;
	size_t cap = 0;
	int lineno = 0;

	*out = NULL;
	*n = 0;
	if ((f = fopen(path, "r")) == NULL) {
		db_set_error(db, "cannot read the anchors file %s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof line, f) != NULL) {
		struct anchor a;
		size_t i;

		lineno++;
		if ((p = strstr(line, ANCHOR_TAG)) == NULL)
			continue;
		if ((p = strstr(p, "seq=")) == NULL)
			goto bad;
		errno = 0;
		a.seq = strtoll(p + 4, &end, 10);
		if (errno != 0 || end == p + 4 || a.seq < 1)
			goto bad;
		if ((p = strstr(end, "hash=")) == NULL)
			goto bad;
		for (i = 0, p += 5; i < SHA256_HEX_LEN; i++)
			if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f')))
				goto bad;
		memcpy(a.hash, p, SHA256_HEX_LEN);
		a.hash[SHA256_HEX_LEN] = '\0';
		a.line = lineno;
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		(*out)[(*n)++] = a;
	}
	fclose(f);
	if (*n > 1)
		qsort(*out, *n, sizeof **out, anchor_cmp);
	return 0;
bad:
	fclose(f);
	free(*out);
	*out = NULL;
	db_set_error(db, "%s:%d: a malformed anchor (want \"%s seq=N hash=<64 hex>\")",
	    path, lineno, ANCHOR_TAG);
	return -1;
}

/* Anchors before the walk's start are looked up one by one. */
static int
anchor_check_one(struct db *db, const struct anchor *a, const char *path,
    struct audit_verify *v)
{
	char seq[32];
	const char *p[1] = { seq };
	PGresult *res;

	snprintf(seq, sizeof seq, "%lld", a->seq);
	res = db_query(db, "SELECT id, hash FROM audit_log WHERE seq = $1", 1, p);
	if (res == NULL)
		return -1;
	v->anchors++;
	if (PQntuples(res) == 0)
		verdict(v, AUDIT_ANCHOR, a->seq, 0, "anchor %s:%d: record seq %lld is gone",
		    path, a->line, a->seq);
	else if (strcmp(db_value(res, 0, "hash"), a->hash) != 0)
		verdict(v, AUDIT_ANCHOR, a->seq, db_ll(res, 0, "id"), "anchor %s:%d: record"
		    " seq %lld no longer has the anchored hash: the chain was rewritten"
		    " at or before it", path, a->line, a->seq);
	PQclear(res);
	return 0;
}

int
auditlog_verify(struct db *db, long long from, const char *anchors_path,
    struct audit_verify *v)
{
	/* A range of seq, not "from here, LIMIT n": whatever the statistics
	 * say (a freshly loaded log has none), the plan reads that range and
	 * never the rest of the log for every page.  seq is unique, so it
	 * alone orders the walk, and with sorting off (below) the plan is the
	 * seq index read in order: a freshly loaded log's missing statistics
	 * made it a bitmap scan and a sort spilled to disk, 2.5x slower. */
	static const char page_sql[] =
	    "SELECT id, seq, prev_hash, hash, at, actor, action,"
	    " object_kind, object_id, alert_ids::text AS alert_ids, details::text AS details"
	    " FROM audit_log WHERE seq >= $1 AND seq < $2 ORDER BY seq";
	struct anchor *anchors = NULL;
	size_t nanchors = 0, ai = 0;
	struct strbuf canon;
	char prev[SHA256_HEX_LEN + 1], hex[SHA256_HEX_LEN + 1], lo_s[32], hi_s[32];
	char at[64];
	const char *p[2] = { lo_s, hi_s };
	long long expect, lo, top;
	bool have_prev;
	double t0 = mono_seconds();
	PGresult *res;
	int rc = -1, i, n;
	bool in_txn = false;

	memset(v, 0, sizeof *v);
	v->from = from < 1 ? 1 : from;
	expect = v->from;
	/* From the start, the first record follows the all-zero hash; from
	 * the middle, we take the first record's word for its predecessor. */
	have_prev = v->from == 1;
	memcpy(prev, zero_hash, sizeof prev);
	if (anchors_path != NULL && anchors_load(db, anchors_path, &anchors, &nanchors) < 0)
		return -1;
	strbuf_init(&canon);

	/* One snapshot for the whole walk: records appended while it runs
	 * (analysts keep working) are not in it, so the head read at the end
	 * is the head of what was walked, not a later one that would look
	 * like removed records. */
	if (db_command(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL) < 0)
		goto out;
	in_txn = true;
	if (db_command(db, "SET LOCAL enable_sort = off", 0, NULL) < 0 ||
	    db_command(db, "SET LOCAL timezone = 'UTC'", 0, NULL) < 0 ||
	    db_command(db, "SET LOCAL datestyle = 'ISO, YMD'", 0, NULL) < 0)
		goto out;

	/* A record with no seq was inserted with the chain trigger off. */
	res = db_query(db, "SELECT id FROM audit_log WHERE seq IS NULL ORDER BY id LIMIT 1",
	    0, NULL);
	if (res == NULL)
		goto out;
	if (PQntuples(res) > 0) {
		verdict(v, AUDIT_INSERTED, 0, db_ll(res, 0, "id"), "record id %lld has no"
		    " sequence number: it was inserted around the chain", db_ll(res, 0, "id"));
		PQclear(res);
		rc = 0;
		goto out;
	}
	PQclear(res);

	if ((res = db_query(db, "SELECT coalesce(max(seq), 0) AS top FROM audit_log",
	    0, NULL)) == NULL)
		goto out;
	top = db_ll(res, 0, "top");
	PQclear(res);
	for (lo = v->from; lo <= top; lo += VERIFY_PAGE) {
		snprintf(lo_s, sizeof lo_s, "%lld", lo);
		snprintf(hi_s, sizeof hi_s, "%lld", lo + VERIFY_PAGE);
		if ((res = db_query(db, page_sql, 2, p)) == NULL)
			goto out;
		n = PQntuples(res);
		for (i = 0; i < n && v->kind == AUDIT_OK; i++) {
			long long seq = db_ll(res, i, "seq"), id = db_ll(res, i, "id");
			const char *stored = db_value(res, i, "hash");
			const char *back = db_value(res, i, "prev_hash");

			if (seq < expect) {
				verdict(v, AUDIT_INSERTED, seq, id, "record id %lld repeats"
				    " seq %lld: it was inserted", id, seq);
				break;
			}
			if (seq > expect) {
				verdict(v, AUDIT_REMOVED, expect, 0, "record seq %lld is"
				    " missing (the chain jumps from %lld to %lld): removed",
				    expect, expect - 1, seq);
				break;
			}
			if (have_prev && strcmp(back, prev) != 0) {
				verdict(v, AUDIT_REORDERED, seq, id, "record seq %lld (id %lld)"
				    " does not follow seq %lld: records were inserted, removed"
				    " or reordered there", seq, id, seq - 1);
				break;
			}
			auditlog_ts_from_iso(db_value(res, i, "at"), at, sizeof at);
			auditlog_canonical(&canon, db_value(res, i, "seq"),
			    at, db_value(res, i, "actor"),
			    db_value(res, i, "action"), db_value(res, i, "object_kind"),
			    db_value(res, i, "object_id"), db_value(res, i, "alert_ids"),
			    db_value(res, i, "details"), back);
			sha256_hex(canon.buf, canon.len, hex);
			if (strcmp(hex, stored) != 0) {
				verdict(v, AUDIT_CHANGED, seq, id, "record seq %lld (id %lld)"
				    " was changed after it was written: its content no longer"
				    " matches its hash", seq, id);
				break;
			}
			while (ai < nanchors && anchors[ai].seq < seq) {
				if (anchors[ai].seq < v->from) {
					if (anchor_check_one(db, &anchors[ai], anchors_path, v) < 0)
						goto fail_page;
					if (v->kind != AUDIT_OK)
						break;
				}
				ai++;
			}
			for (; v->kind == AUDIT_OK && ai < nanchors && anchors[ai].seq == seq; ai++) {
				v->anchors++;
				if (strcmp(anchors[ai].hash, stored) != 0)
					verdict(v, AUDIT_ANCHOR, seq, id, "anchor %s:%d: record"
					    " seq %lld no longer has the anchored hash: the chain"
					    " was rewritten at or before it", anchors_path,
					    anchors[ai].line, seq);
			}
			if (v->kind != AUDIT_OK)
				break;
			memcpy(prev, stored, sizeof prev);
			have_prev = true;
			v->records++;
			v->last_seq = seq;
			expect = seq + 1;
		}
		PQclear(res);
		if (v->kind != AUDIT_OK)
			break;
	}
	if (v->kind == AUDIT_OK) {
		memcpy(v->last_hash, prev, sizeof v->last_hash);
		res = db_query(db, "SELECT seq, hash FROM audit_head", 0, NULL);
		if (res == NULL)
			goto out;
		if (PQntuples(res) != 1)
			verdict(v, AUDIT_HEAD, 0, 0, "the chain has no head row (audit_head)");
		else if (db_ll(res, 0, "seq") > v->last_seq)
			verdict(v, AUDIT_REMOVED, v->last_seq + 1, 0, "the chain ends at seq"
			    " %lld but its head is seq %lld: the last records were removed",
			    v->last_seq, db_ll(res, 0, "seq"));
		else if (db_ll(res, 0, "seq") != v->last_seq ||
		    strcmp(db_value(res, 0, "hash"), v->last_hash) != 0)
			verdict(v, AUDIT_HEAD, v->last_seq, 0, "the head (seq %lld) does not"
			    " match the last record (seq %lld)", db_ll(res, 0, "seq"),
			    v->last_seq);
		PQclear(res);
	}
	/* Anchors past the end name records that are gone. */
	for (; v->kind == AUDIT_OK && ai < nanchors; ai++) {
		if (anchors[ai].seq < v->from) {
			if (anchor_check_one(db, &anchors[ai], anchors_path, v) < 0)
				goto out;
			continue;
		}
		v->anchors++;
		verdict(v, AUDIT_ANCHOR, anchors[ai].seq, 0, "anchor %s:%d: record seq %lld"
		    " is gone (the chain ends at %lld): records were removed",
		    anchors_path, anchors[ai].line, anchors[ai].seq, v->last_seq);
	}
	rc = 0;
	goto out;
fail_page:
	PQclear(res);
out:
	/* Read only: nothing to keep, and a rollback also ends a failed one. */
	if (in_txn)
		db_rollback(db);
	v->seconds = mono_seconds() - t0;
	strbuf_free(&canon);
	free(anchors);
	return rc;
}

int
auditlog_head(struct db *db, char *line, size_t len)
{
	PGresult *res = db_query(db, "SELECT seq, hash, audit_ts(now()) AS at"
	    " FROM audit_head", 0, NULL);

	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		db_set_error(db, "the audit chain has no head (audit_head is empty)");
		return -1;
	}
	snprintf(line, len, "%s seq=%s hash=%s at=%s\n", ANCHOR_TAG,
	    db_value(res, 0, "seq"), db_value(res, 0, "hash"), db_value(res, 0, "at"));
	PQclear(res);
	return 0;
}

/* Parameters of a dynamically built WHERE clause: values only ever go in
 * as $n, the SQL text holds only fixed fragments. */
struct params {
	const char	*v[8];
	char		 buf[8][32];
	int		 n;
};

static const char *
param_ll(struct params *p, long long v)
{
	snprintf(p->buf[p->n], sizeof p->buf[p->n], "%lld", v);
	p->v[p->n] = p->buf[p->n];
	p->n++;
	return p->v[p->n - 1];
}

static void
param_str(struct params *p, const char *s)
{
	p->v[p->n++] = s;
}

int
auditlog_list(struct db *db, const struct audit_filter *f, struct audit_record **out)
{
	struct strbuf sql;
	struct params p;
	PGresult *res;
	int i, n, limit = f->limit > 0 && f->limit <= 10000 ? f->limit : 100;

	*out = NULL;
	memset(&p, 0, sizeof p);
	strbuf_init(&sql);
	strbuf_append(&sql, "SELECT id, seq, at, audit_ts(at) AS at_text, actor, action,"
	    " object_kind, object_id, alert_ids::text AS alert_ids, details::text AS details,"
	    " hash, prev_hash FROM audit_log WHERE true");
	if (f->since > 0) {
		param_ll(&p, (long long)f->since);
		strbuf_appendf(&sql, " AND at >= to_timestamp($%d)", p.n);
	}
	if (f->actor != NULL) {
		param_str(&p, f->actor);
		strbuf_appendf(&sql, " AND actor = $%d", p.n);
	}
	if (f->action != NULL) {
		param_str(&p, f->action);
		strbuf_appendf(&sql, " AND left(action, length($%d)) = $%d", p.n, p.n);
	}
	if (f->alert_id > 0) {
		param_ll(&p, f->alert_id);
		strbuf_appendf(&sql, " AND alert_ids @> ARRAY[$%d::bigint]", p.n);
	}
	if (f->incident_id > 0) {
		param_ll(&p, f->incident_id);
		strbuf_appendf(&sql, " AND object_kind = 'incident' AND object_id = $%d", p.n);
	}
	if (f->oldest_first) {
		param_ll(&p, f->after_seq);
		strbuf_appendf(&sql, " AND seq > $%d ORDER BY seq", p.n);
	} else {
		if (f->before_seq > 0) {
			param_ll(&p, f->before_seq);
			strbuf_appendf(&sql, " AND seq < $%d", p.n);
		}
		strbuf_append(&sql, " ORDER BY seq DESC");
	}
	param_ll(&p, limit);
	strbuf_appendf(&sql, " LIMIT $%d", p.n);
	res = db_query(db, sql.buf, p.n, p.v);
	strbuf_free(&sql);
	if (res == NULL)
		return -1;
	n = PQntuples(res);
	*out = xcalloc((size_t)(n ? n : 1), sizeof **out);
	for (i = 0; i < n; i++) {
		struct audit_record *r = &(*out)[i];

		r->id = db_ll(res, i, "id");
		r->seq = db_ll(res, i, "seq");
		r->at = db_time(res, i, "at");
		r->at_text = db_dup(res, i, "at_text");
		r->actor = db_dup(res, i, "actor");
		r->action = db_dup(res, i, "action");
		r->object_kind = db_dup(res, i, "object_kind");
		r->object_id = db_ll(res, i, "object_id");
		r->alert_ids = db_dup(res, i, "alert_ids");
		r->details = db_dup(res, i, "details");
		r->hash = db_dup(res, i, "hash");
		r->prev_hash = db_dup(res, i, "prev_hash");
	}
	PQclear(res);
	return n;
}

void
auditlog_record_clear(struct audit_record *r)
{
	free(r->at_text);
	free(r->actor);
	free(r->action);
	free(r->object_kind);
	free(r->alert_ids);
	free(r->details);
	free(r->hash);
	free(r->prev_hash);
	memset(r, 0, sizeof *r);
}

void
auditlog_record_copy(struct audit_record *dst, const struct audit_record *src)
{
	*dst = *src;
	dst->at_text = xstrdup_null(src->at_text);
	dst->actor = xstrdup_null(src->actor);
	dst->action = xstrdup_null(src->action);
	dst->object_kind = xstrdup_null(src->object_kind);
	dst->alert_ids = xstrdup_null(src->alert_ids);
	dst->details = xstrdup_null(src->details);
	dst->hash = xstrdup_null(src->hash);
	dst->prev_hash = xstrdup_null(src->prev_hash);
}

void
auditlog_free(struct audit_record *r, int n)
{
	int i;

	for (i = 0; r != NULL && i < n; i++)
		auditlog_record_clear(&r[i]);
	free(r);
}

static bool
query_id(const char *v, long long *out)
{
	char *end;
	long long n;

	errno = 0;
	n = strtoll(v, &end, 10);
	if (errno != 0 || *end != '\0' || end == v || n <= 0)
		return false;
	*out = n;
	return true;
}

int
auditlog_query_parse(struct audit_query *q, const char *text, time_t now, char *err,
    size_t errlen)
{
	char buf[512], *tok, *save = NULL, *v;
	long secs;

	memset(q, 0, sizeof *q);
	if (text == NULL)
		return 0;
	if (strlen(text) >= sizeof buf) {
		snprintf(err, errlen, "the filter is longer than %zu bytes", sizeof buf - 1);
		return -1;
	}
	snprintf(buf, sizeof buf, "%s", text);
	for (tok = strtok_r(buf, " \t", &save); tok != NULL; tok = strtok_r(NULL, " \t", &save)) {
		if ((v = strchr(tok, '=')) == NULL || v[1] == '\0') {
			snprintf(err, errlen, "'%.60s' is not a term: use actor=, action=,"
			    " alert=, incident= or since=", tok);
			return -1;
		}
		*v++ = '\0';
		if (strcmp(tok, "actor") == 0 && strlen(v) < sizeof q->actor) {
			snprintf(q->actor, sizeof q->actor, "%s", v);
			q->f.actor = q->actor;
		} else if (strcmp(tok, "action") == 0 && strlen(v) < sizeof q->action) {
			snprintf(q->action, sizeof q->action, "%s", v);
			q->f.action = q->action;
		} else if (strcmp(tok, "alert") == 0 && query_id(v, &q->f.alert_id)) {
			continue;
		} else if (strcmp(tok, "incident") == 0 && query_id(v, &q->f.incident_id)) {
			continue;
		} else if (strcmp(tok, "since") == 0 &&
		    ((secs = format_parse_duration(v)) > 0 ||
		     (q->f.since = format_parse_ts(v)) > 0)) {
			if (secs > 0)
				q->f.since = now - secs;
		} else {
			snprintf(err, errlen, "bad term %.20s=%.60s", tok, v);
			return -1;
		}
	}
	return 0;
}

void
auditlog_query_format(const struct audit_query *q, struct strbuf *out)
{
	char ts[32];

	strbuf_reset(out);
	if (q->f.actor != NULL)
		strbuf_appendf(out, "%sactor=%s", out->len ? " " : "", q->f.actor);
	if (q->f.action != NULL)
		strbuf_appendf(out, "%saction=%s", out->len ? " " : "", q->f.action);
	if (q->f.alert_id > 0)
		strbuf_appendf(out, "%salert=%lld", out->len ? " " : "", q->f.alert_id);
	if (q->f.incident_id > 0)
		strbuf_appendf(out, "%sincident=%lld", out->len ? " " : "", q->f.incident_id);
	if (q->f.since > 0) {
		format_iso(ts, sizeof ts, q->f.since);
		strbuf_appendf(out, "%ssince=%s", out->len ? " " : "", ts);
	}
}
