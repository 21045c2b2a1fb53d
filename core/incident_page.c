/* incident_page.c: keyset pages of the incident list (incident_page.h).
 *
 * The SQL is put together from the constant fragments below only; every
 * value (view, owner, words, cursor, limit) is a $n parameter. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db.h"
#include "incident_page.h"
#include "strbuf.h"

static const char *const view_names[ILV__COUNT] = {
	"open", "mine", "unowned", "closed", "all", "breaching"
};

/* The sort key: its expression, its type for the cursor parameter, and
 * whether its natural order is descending. */
static const struct {
	const char	*name;
	const char	*expr;
	const char	*type;
} sorts[ILS__COUNT] = {
	{ "updated",	"i.updated_at",				"timestamptz" },
	{ "severity",	"i.severity",				"int" },
	{ "id",		"i.id",					"bigint" },
};

#define LIST_COLUMNS \
	"SELECT i.id, i.title, i.status, i.version," \
	" i.severity AS severity," \
	" coalesce(i.severity_computed, i.severity) AS computed," \
	" i.severity_override IS NOT NULL AS overridden," \
	" an.name AS owner," \
	" (SELECT count(*) FROM alerts a WHERE a.incident_id = i.id) AS alerts," \
	" (SELECT count(*) FROM alerts a WHERE a.incident_id = i.id" \
	"   AND a.status IN ('new', 'acknowledged', 'escalated')) AS open_alerts," \
	" extract(epoch FROM i.created_at)::bigint AS created_epoch," \
	" extract(epoch FROM i.updated_at)::bigint AS updated_epoch," \
	" extract(epoch FROM i.acknowledged_at)::bigint AS acked_epoch," \
	" extract(epoch FROM CASE WHEN i.status = 'closed'" \
	"  THEN coalesce(i.closed_at, i.updated_at) END)::bigint AS closed_epoch," \
	" (SELECT extract(epoch FROM t.time_to_ack)::bigint FROM sla_targets t" \
	"  WHERE t.severity = i.severity) AS sla_ack," \
	" (SELECT extract(epoch FROM t.time_to_resolve)::bigint FROM sla_targets t" \
	"  WHERE t.severity = i.severity) AS sla_resolve,"

/* $1 'open' | 'closed' | 'all', $2 owner id or NULL, $3 nobody owns it,
 * $4 the words (each must be in the title or be "#id"), or NULL. */
#define LIST_FROM \
	" FROM incidents i LEFT JOIN analysts an ON an.id = i.owner_id"
#define LIST_WHERE LIST_FROM " WHERE" LIST_FILTER
#define LIST_FILTER \
	" ($1::text = 'all' OR ($1 = 'closed') = (i.status = 'closed'))" \
	" AND ($2::int IS NULL OR i.owner_id = $2)" \
	" AND (NOT $3::bool OR i.owner_id IS NULL)" \
	" AND ($4::text IS NULL OR (i.title || ' #' || i.id) ILIKE ALL (" \
	"  SELECT '%' || replace(replace(replace(w, '\\', '\\\\'), '%', '\\%')," \
	"   '_', '\\_') || '%' FROM unnest(string_to_array($4, ' ')) w WHERE w <> ''))"

/* The breaching view.  A deadline is created_at plus a target that is
 * data, so no index holds it; but for one severity and one clock
 * (acknowledged or not: the time to resolve or to acknowledge) the rows
 * due within the hour are one range of incidents_sla_idx
 * ((acknowledged_at IS NULL), severity, created_at, id), read in deadline
 * order.  Each of the ten ranges is a LATERAL subquery under the page's
 * LIMIT, merged by deadline; the keyset cursor (deadline, id) becomes
 * (created_at, id) past (deadline - target, id) in each range.  Targets
 * are whole seconds (extract epoch), as core/sla.c counts them; 3600 is
 * SLA_DUE_SOON_SECS. */
#define BREACH_CLOCKS \
	" FROM (SELECT t.severity, s.unacked, extract(epoch FROM CASE WHEN s.unacked" \
	" THEN coalesce(t.time_to_ack, t.time_to_resolve) ELSE t.time_to_resolve END)" \
	"::float8 AS secs FROM sla_targets t" \
	" CROSS JOIN (VALUES (true), (false)) s (unacked)) g" \
	" CROSS JOIN LATERAL (SELECT i.* FROM incidents i WHERE g.secs IS NOT NULL" \
	" AND i.status <> 'closed' AND (i.acknowledged_at IS NULL) = g.unacked" \
	" AND i.severity = g.severity" \
	" AND i.created_at <= now() + make_interval(secs => 3600 - g.secs) AND" LIST_FILTER
#define BREACH_DEADLINE	"(i.created_at + make_interval(secs => g.secs))"

/* The breaching view's page (or count: rows before the cursor when there
 * is one), with the parameters of the other views: $1-$4 the filters,
 * $5-$6 the cursor, $7 the limit. */
static void
breach_sql(struct strbuf *sql, bool count, const struct incident_list_query *q,
    enum queue_dir dir, bool cursor)
{
	/* Soonest deadline first unless reversed. */
	bool desc = q->reverse, scan_desc = dir == QD_BEFORE ? !desc : desc;
	const char *ord = scan_desc ? "DESC" : "ASC", *op;

	if (dir == QD_FROM)
		op = desc ? "<=" : ">=";
	else
		op = scan_desc ? "<" : ">";
	strbuf_append(sql, count ? "SELECT count(*) AS n FROM (SELECT 1" :
	    LIST_COLUMNS " " BREACH_DEADLINE "::text AS sort_key");
	strbuf_append(sql, BREACH_CLOCKS);
	if (cursor)
		strbuf_appendf(sql, " AND (i.created_at, i.id) %s ($5::timestamptz"
		    " - make_interval(secs => g.secs), $6::bigint)", op);
	else
		strbuf_append(sql, " AND $5::text IS NULL AND $6::text IS NULL");
	strbuf_appendf(sql, " ORDER BY i.created_at %s, i.id %s LIMIT $7::bigint) i", ord, ord);
	if (count)
		strbuf_append(sql, " LIMIT $7::bigint) s");
	else
		strbuf_appendf(sql, " LEFT JOIN analysts an ON an.id = i.owner_id"
		    " ORDER BY " BREACH_DEADLINE " %s, i.id %s LIMIT $7::bigint", ord, ord);
}

const char *
incident_list_view_name(enum incident_list_view v)
{
	return v >= 0 && v < ILV__COUNT ? view_names[v] : "?";
}

int
incident_list_view_parse(const char *s)
{
	size_t len = strlen(s);
	int i, found = -1;

	for (i = 0; i < ILV__COUNT; i++)
		if (strcasecmp(view_names[i], s) == 0)
			return i;
	for (i = 0; i < ILV__COUNT && len > 0; i++) {
		if (strncasecmp(view_names[i], s, len) != 0)
			continue;
		if (found >= 0)
			return -1;
		found = i;
	}
	return found;
}

const char *
incident_list_sort_name(enum incident_list_sort s)
{
	return s >= 0 && s < ILS__COUNT ? sorts[s].name : "?";
}

const char *
incident_list_query_sort_name(const struct incident_list_query *q)
{
	return q->view == ILV_BREACHING ? "deadline" : incident_list_sort_name(q->sort);
}

void
incident_list_query_init(struct incident_list_query *q)
{
	memset(q, 0, sizeof *q);
	q->view = ILV_OPEN;
	q->sort = ILS_UPDATED;
}

/* The four filter parameters; strings live in own. */
struct filter_params {
	char	 owner[16];
	const char *p[4];
};

static void
filter_params(const struct incident_list_query *q, struct filter_params *fp)
{
	snprintf(fp->owner, sizeof fp->owner, "%d", q->me);
	fp->p[0] = q->view == ILV_CLOSED ? "closed" : q->view == ILV_ALL ? "all" : "open";
	fp->p[1] = q->view == ILV_MINE ? fp->owner : NULL;
	fp->p[2] = q->view == ILV_UNOWNED ? "true" : "false";
	fp->p[3] = q->words[strspn(q->words, " ")] != '\0' ? q->words : NULL;
}

/* The keyset condition "(key, id) OP ($5, $6)" for rows after (or from,
 * or before) the cursor in display order. */
static void
keyset(struct strbuf *sql, const struct incident_list_query *q, enum queue_dir dir)
{
	/* Display order is descending unless reversed. */
	bool desc = !q->reverse;
	const char *op;

	if (dir == QD_BEFORE)
		op = desc ? ">" : "<";
	else if (dir == QD_FROM)
		op = desc ? "<=" : ">=";
	else
		op = desc ? "<" : ">";
	strbuf_appendf(sql, " AND (%s, i.id) %s ($5::%s, $6::bigint)",
	    sorts[q->sort].expr, op, sorts[q->sort].type);
}

static char *
dup_value(const PGresult *res, int row, const char *col)
{
	const char *v = db_value(res, row, col);

	return v != NULL ? xstrdup(v) : NULL;
}

int
incident_page_fetch(struct db *db, const struct incident_list_query *q,
    const struct incident_row *cursor, enum queue_dir dir, int limit,
    struct incident_page *out)
{
	struct filter_params fp;
	struct strbuf sql;
	const char *p[7];
	char id[32], lim[16];
	PGresult *res;
	bool asc;
	int i, n;

	memset(out, 0, sizeof *out);
	if (limit < 1)
		limit = 1;
	filter_params(q, &fp);
	memcpy(p, fp.p, sizeof fp.p);
	snprintf(lim, sizeof lim, "%d", limit + 1);	/* one more: is there more? */
	strbuf_init(&sql);
	if (q->view == ILV_BREACHING) {
		snprintf(id, sizeof id, "%lld", cursor ? cursor->id : 0);
		p[4] = cursor ? cursor->key : NULL;
		p[5] = cursor ? id : NULL;
		breach_sql(&sql, false, q, dir, cursor != NULL);
	} else {
		strbuf_append(&sql, LIST_COLUMNS);
		strbuf_appendf(&sql, " (%s)::text AS sort_key", sorts[q->sort].expr);
		strbuf_append(&sql, LIST_WHERE);
		if (cursor != NULL) {
			snprintf(id, sizeof id, "%lld", cursor->id);
			p[4] = cursor->key;
			p[5] = id;
			keyset(&sql, q, dir);
		} else {
			p[4] = p[5] = NULL;
			strbuf_append(&sql, " AND $5::text IS NULL AND $6::text IS NULL");
		}
		/* Rows before the cursor come nearest first, then are turned
		 * round. */
		asc = q->reverse != (dir == QD_BEFORE);
		strbuf_appendf(&sql, " ORDER BY %s %s, i.id %s LIMIT $7::int",
		    sorts[q->sort].expr, asc ? "ASC" : "DESC", asc ? "ASC" : "DESC");
	}
	p[6] = lim;
	res = db_query(db, sql.buf, 7, p);
	strbuf_free(&sql);
	if (res == NULL)
		return -1;
	n = PQntuples(res);
	out->more = n > limit;
	if (n > limit)
		n = limit;
	out->rows = xcalloc((size_t)(n > 0 ? n : 1), sizeof *out->rows);
	for (i = 0; i < n; i++) {
		struct incident_row *r = &out->rows[dir == QD_BEFORE ? n - 1 - i : i];

		r->id = db_ll(res, i, "id");
		r->title = dup_value(res, i, "title");
		r->status = dup_value(res, i, "status");
		r->severity = db_int(res, i, "severity");
		r->computed = db_int(res, i, "computed");
		r->overridden = strcmp(db_value(res, i, "overridden"), "t") == 0;
		r->owner = dup_value(res, i, "owner");
		r->version = db_int(res, i, "version");
		r->alerts = db_ll(res, i, "alerts");
		r->open_alerts = db_ll(res, i, "open_alerts");
		r->created_at = (time_t)db_ll(res, i, "created_epoch");
		r->updated_at = (time_t)db_ll(res, i, "updated_epoch");
		r->acked_at = (time_t)db_ll(res, i, "acked_epoch");
		r->closed_at = (time_t)db_ll(res, i, "closed_epoch");
		r->sla_ack = db_ll(res, i, "sla_ack");
		r->sla_resolve = db_ll(res, i, "sla_resolve");
		r->key = dup_value(res, i, "sort_key");
	}
	out->n = n;
	PQclear(res);
	return 0;
}

void
incident_row_sla(const struct incident_row *r, time_t now, struct sla_status *out)
{
	struct sla_target t = { r->sla_ack, r->sla_resolve };
	struct sla_clock c;

	/* acknowledged_at is kept by the database (sql/007_sla.sql), so it
	 * alone says which clock runs, as in the breaching view. */
	memset(&c, 0, sizeof c);
	c.created = r->created_at;
	c.acked = r->acked_at != 0;
	c.acked_at = r->acked_at;
	c.closed = r->closed_at != 0;
	c.closed_at = r->closed_at;
	sla_evaluate(&t, &c, now, out);
}

void
incident_row_free(struct incident_row *r)
{
	free(r->title);
	free(r->status);
	free(r->owner);
	free(r->key);
	memset(r, 0, sizeof *r);
}

void
incident_row_copy(struct incident_row *dst, const struct incident_row *src)
{
	*dst = *src;
	dst->title = src->title ? xstrdup(src->title) : NULL;
	dst->status = src->status ? xstrdup(src->status) : NULL;
	dst->owner = src->owner ? xstrdup(src->owner) : NULL;
	dst->key = src->key ? xstrdup(src->key) : NULL;
}

void
incident_page_free(struct incident_page *p)
{
	int i;

	for (i = 0; i < p->n; i++)
		incident_row_free(&p->rows[i]);
	free(p->rows);
	memset(p, 0, sizeof *p);
}

static long long
count_query(struct db *db, const struct incident_list_query *q,
    const struct incident_row *cursor, long long cap)
{
	struct filter_params fp;
	struct strbuf sql;
	const char *p[7];
	char id[32], lim[32];
	PGresult *res;
	long long n;

	filter_params(q, &fp);
	memcpy(p, fp.p, sizeof fp.p);
	snprintf(lim, sizeof lim, "%lld", cap);
	strbuf_init(&sql);
	if (q->view == ILV_BREACHING) {
		snprintf(id, sizeof id, "%lld", cursor ? cursor->id : 0);
		p[4] = cursor ? cursor->key : NULL;
		p[5] = cursor ? id : NULL;
		breach_sql(&sql, true, q, QD_BEFORE, cursor != NULL);
	} else {
		strbuf_append(&sql, "SELECT count(*) AS n FROM (SELECT 1");
		strbuf_append(&sql, LIST_WHERE);
		if (cursor != NULL) {
			snprintf(id, sizeof id, "%lld", cursor->id);
			p[4] = cursor->key;
			p[5] = id;
			keyset(&sql, q, QD_BEFORE);
		} else {
			p[4] = p[5] = NULL;
			strbuf_append(&sql, " AND $5::text IS NULL AND $6::text IS NULL");
		}
		strbuf_append(&sql, " LIMIT $7::bigint) s");
	}
	p[6] = lim;
	res = db_query(db, sql.buf, 7, p);
	strbuf_free(&sql);
	if (res == NULL)
		return -1;
	n = db_ll(res, 0, "n");
	PQclear(res);
	return n;
}

long long
incident_page_count(struct db *db, const struct incident_list_query *q, long long cap)
{
	return count_query(db, q, NULL, cap);
}

long long
incident_page_count_before(struct db *db, const struct incident_list_query *q,
    const struct incident_row *cursor, long long cap)
{
	return count_query(db, q, cursor, cap);
}
