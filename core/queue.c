/* queue.c: keyset pagination over the alert queue.
 *
 * Each sort order is a tuple of columns ending in id, served by one btree
 * index (sql/001_schema.sql).  A page is "rows whose tuple comes after the
 * cursor's tuple", a row comparison that PostgreSQL turns into an index
 * range scan, so page N costs the same as page 1 at any queue size.  All
 * keys of a tuple run in the same direction, which is what lets a single
 * row comparison express the cursor.
 *
 * Free words are the one condition no btree serves; core/queue_search.c
 * holds the two plans that answer them, core/queue_count.c the counts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db.h"
#include "format.h"
#include "queue_int.h"
#include "strbuf.h"

const struct sort_def queue_sort_defs[QS__COUNT] = {
	[QS_SEVERITY] = { "severity", true, 3,
	    { "a.severity", "a.last_seen", "a.id" },
	    { "smallint", "timestamptz", "bigint" } },
	[QS_LAST] = { "last", true, 2,
	    { "a.last_seen", "a.id" }, { "timestamptz", "bigint" } },
	/* Oldest first: the alert waiting longest is the first to look at. */
	[QS_AGE] = { "age", false, 2,
	    { "a.first_seen", "a.id" }, { "timestamptz", "bigint" } },
	[QS_OCCURRENCES] = { "occurrences", true, 2,
	    { "a.occurrences", "a.id" }, { "integer", "bigint" } },
	/* Grouped by rule or asset, most severe first inside each group; the
	 * same indexes serve "rule=R7" or "asset=X" filters in severity order. */
	[QS_RULE] = { "rule", true, 4,
	    { "a.rule_id", "a.severity", "a.last_seen", "a.id" },
	    { "text", "smallint", "timestamptz", "bigint" } },
	[QS_ASSET] = { "asset", true, 4,
	    { "a.asset_id", "a.severity", "a.last_seen", "a.id" },
	    { "bigint", "smallint", "timestamptz", "bigint" } },
	[QS_STATUS] = { "status", false, 4,
	    { "a.status", "a.severity", "a.last_seen", "a.id" },
	    { "text", "smallint", "timestamptz", "bigint" } },
	/* Groups alerts per analyst, unassigned (0) first. */
	[QS_ASSIGNEE] = { "assignee", false, 4,
	    { "coalesce(a.assignee_id, 0)", "a.severity", "a.last_seen", "a.id" },
	    { "integer", "smallint", "timestamptz", "bigint" } },
	[QS_TITLE] = { "title", false, 2,
	    { "a.title", "a.id" }, { "text", "bigint" } },
	[QS_ID] = { "id", true, 1, { "a.id" }, { "bigint" } },
};

/* Not a sort to pick: only the breaching view's rows all have a deadline
 * (a NULL key would break the row comparison of the keyset). */
const struct sort_def queue_deadline_sort = { "deadline", false, 2,
	{ QUEUE_SLA_DEADLINE, "a.id" }, { "timestamptz", "bigint" } };

const struct sort_def *
queue_query_sort(const struct queue_query *q)
{
	return q->view == QV_BREACHING ? &queue_deadline_sort : &queue_sort_defs[q->sort];
}

const char *
queue_query_sort_name(const struct queue_query *q)
{
	return queue_query_sort(q)->name;
}

/* The statuses each view can show, to spot a filter that contradicts
 * its view (status=closed in the open view) without scanning anything. */
const unsigned queue_view_statuses[QV__COUNT] = {
	[QV_OPEN] = ST_BIT(ST_NEW) | ST_BIT(ST_ACKNOWLEDGED),
	[QV_MINE] = ST_BIT(ST_NEW) | ST_BIT(ST_ACKNOWLEDGED) | ST_BIT(ST_ESCALATED),
	[QV_UNASSIGNED] = ST_BIT(ST_NEW) | ST_BIT(ST_ACKNOWLEDGED),
	[QV_ESCALATED] = ST_BIT(ST_ESCALATED),
	[QV_CLOSED] = ST_BIT(ST_CLOSED) | ST_BIT(ST_SUPPRESSED),
	[QV_ALL] = (1u << ST__COUNT) - 1,
	[QV_BREACHING] = ST_BIT(ST_NEW) | ST_BIT(ST_ACKNOWLEDGED) | ST_BIT(ST_ESCALATED),
};

static const char *const view_names[QV__COUNT] = {
	"open", "mine", "unassigned", "escalated", "closed", "all", "breaching"
};

/* Written exactly as the partial indexes' predicates, so the planner can
 * use them. */
static const char *const view_sql[QV__COUNT] = {
	[QV_OPEN] = "a.status IN ('new', 'acknowledged')",
	[QV_MINE] = "a.status IN ('new', 'acknowledged', 'escalated') AND a.assignee_id = $ME",
	[QV_UNASSIGNED] = "a.status IN ('new', 'acknowledged') AND a.assignee_id IS NULL",
	[QV_ESCALATED] = "a.status = 'escalated'",
	[QV_CLOSED] = "a.status IN ('closed', 'suppressed')",
	[QV_ALL] = "true",
	/* Row by row, for one alert (live updates); pages and counts of the
	 * view read index ranges instead (queue_sla.c). */
	[QV_BREACHING] = QUEUE_SLA_OPEN " AND " QUEUE_SLA_DEADLINE
	    " <= now() + make_interval(secs => 3600)",
};

const char *
queue_view_name(enum queue_view v)
{
	return v >= 0 && v < QV__COUNT ? view_names[v] : "?";
}

enum queue_view
queue_view_parse(const char *s)
{
	size_t len;
	int i, found = QV__COUNT;

	if (s == NULL || *s == '\0')
		return QV__COUNT;
	len = strlen(s);
	for (i = 0; i < QV__COUNT; i++) {
		if (strcasecmp(s, view_names[i]) == 0)
			return (enum queue_view)i;
		if (strncasecmp(s, view_names[i], len) == 0) {
			if (found != QV__COUNT)
				return QV__COUNT;
			found = i;
		}
	}
	return (enum queue_view)found;
}

const char *
queue_sort_name(enum queue_sort s)
{
	return s >= 0 && s < QS__COUNT ? queue_sort_defs[s].name : "?";
}

enum queue_sort
queue_sort_parse(const char *s)
{
	static const struct { const char *alias; enum queue_sort s; } aliases[] = {
		{ "sev", QS_SEVERITY }, { "seen", QS_LAST }, { "last_seen", QS_LAST },
		{ "first_seen", QS_AGE }, { "occ", QS_OCCURRENCES }, { "count", QS_OCCURRENCES },
		{ "owner", QS_ASSIGNEE }, { "st", QS_STATUS },
	};
	size_t i, len;
	int found = QS__COUNT;

	if (s == NULL || *s == '\0')
		return QS__COUNT;
	for (i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
		if (strcasecmp(s, aliases[i].alias) == 0)
			return aliases[i].s;
	len = strlen(s);
	for (i = 0; i < QS__COUNT; i++) {
		if (strcasecmp(s, queue_sort_defs[i].name) == 0)
			return (enum queue_sort)i;
		if (strncasecmp(s, queue_sort_defs[i].name, len) == 0) {
			if (found != QS__COUNT)
				return QS__COUNT;
			found = (int)i;
		}
	}
	return (enum queue_sort)found;
}

bool
queue_sort_descending(enum queue_sort s)
{
	return s >= 0 && s < QS__COUNT && queue_sort_defs[s].desc;
}

unsigned
queue_statuses(const struct queue_query *q)
{
	unsigned st = queue_view_statuses[q->view >= 0 && q->view < QV__COUNT ? q->view : QV_OPEN];

	st &= ~q->filter.status_not;
	if (q->filter.status_mask != 0)
		st &= q->filter.status_mask;
	return st;
}

void
queue_query_init(struct queue_query *q)
{
	memset(q, 0, sizeof *q);
	q->view = QV_OPEN;
	q->sort = QS_SEVERITY;
	filter_init(&q->filter);
}

void
queue_query_free(struct queue_query *q)
{
	filter_free(&q->filter);
}

/* --- statement building: fixed SQL fragments, values only as $n ------- */

void
queue_params_free(struct queue_params *p)
{
	int i;

	for (i = 0; i < p->n; i++)
		free(p->owned[i]);
}

/* Add a value and append its placeholder "$n" to sql. */
void
queue_param_str(struct queue_params *p, struct strbuf *sql, const char *v)
{
	p->owned[p->n] = NULL;
	p->v[p->n] = v;
	p->n++;
	strbuf_appendf(sql, "$%d", p->n);
}

void
queue_param_own(struct queue_params *p, struct strbuf *sql, char *v)
{
	queue_param_str(p, sql, v);
	p->owned[p->n - 1] = v;
}

void
queue_param_ll(struct queue_params *p, struct strbuf *sql, long long v)
{
	snprintf(p->num[p->n], sizeof p->num[p->n], "%lld", v);
	queue_param_str(p, sql, p->num[p->n]);
}

static char *
status_array(unsigned mask)
{
	struct strbuf sb;
	int st;

	strbuf_init(&sb);
	strbuf_appendc(&sb, '{');
	for (st = 0; st < ST__COUNT; st++)
		if (mask & (1u << st)) {
			if (sb.len > 1)
				strbuf_appendc(&sb, ',');
			strbuf_append(&sb, status_name((enum alert_status)st));
		}
	strbuf_appendc(&sb, '}');
	return strbuf_detach(&sb);
}


/* The view's and the filter's conditions, ANDed; the SQL always starts
 * with "(" and ends with ")". */
void
queue_append_conditions(struct strbuf *sql, struct queue_params *p, const struct queue_query *q,
    const struct queue_ctx *x)
{
	const struct filter *f = &q->filter;
	const char *v = view_sql[q->view >= 0 && q->view < QV__COUNT ? q->view : QV_OPEN];
	const char *me = strstr(v, "$ME");

	strbuf_appendc(sql, '(');
	if (me != NULL) {
		strbuf_appendn(sql, v, (size_t)(me - v));
		queue_param_ll(p, sql, q->me);
		strbuf_append(sql, me + 3);
	} else {
		strbuf_append(sql, v);
	}
	{
		unsigned possible = queue_view_statuses[q->view >= 0 && q->view < QV__COUNT ?
		    q->view : QV_OPEN] & ~f->status_not;

		if (f->status_mask != 0)
			possible &= f->status_mask;
		/* PostgreSQL folds a constant false into "no rows" at plan time. */
		if (possible == 0)
			strbuf_append(sql, " AND false");
	}
	if (f->status_mask != 0) {
		strbuf_append(sql, " AND a.status = ANY(");
		queue_param_own(p, sql, status_array(f->status_mask));
		strbuf_append(sql, "::text[])");
	}
	if (f->status_not != 0) {
		strbuf_append(sql, " AND a.status <> ALL(");
		queue_param_own(p, sql, status_array(f->status_not));
		strbuf_append(sql, "::text[])");
	}
	if (f->sev_min != 0) {
		strbuf_append(sql, " AND a.severity >= ");
		queue_param_ll(p, sql, f->sev_min);
	}
	if (f->sev_max != 0) {
		strbuf_append(sql, " AND a.severity <= ");
		queue_param_ll(p, sql, f->sev_max);
	}
	if (f->rule != NULL) {
		strbuf_append(sql, " AND a.rule_id = ");
		queue_param_str(p, sql, f->rule);
	}
	/* One asset, by id, as "(SELECT $n)": an InitPlan's value, which the
	 * planner cannot look up in the statistics.  It plans for the
	 * average asset, for which reading the asset's index in order beats
	 * fetching every row and sorting; with the literal id it would plan
	 * a bitmap scan and a sort for an asset that was rare at the last
	 * ANALYZE and may since have thousands of alerts. */
	if (q->asset_id != 0) {
		strbuf_append(sql, " AND a.asset_id = (SELECT ");
		queue_param_ll(p, sql, q->asset_id);
		strbuf_append(sql, "::bigint)");
	}
	if (f->asset != NULL && x->assets_known && x->nassets == 0) {
		strbuf_append(sql, " AND false");
	} else if (f->asset != NULL && x->assets_known && x->nassets == 1) {
		/* One asset (the usual case): an equality, so the asset
		 * indexes give rows in sort order. */
		strbuf_append(sql, " AND a.asset_id = (SELECT ");
		queue_param_ll(p, sql, x->asset_one);
		strbuf_append(sql, "::bigint)");
	} else if (f->asset != NULL && x->assets_known) {
		strbuf_append(sql, " AND a.asset_id = ANY(");
		queue_param_str(p, sql, x->asset_ids);
		strbuf_append(sql, "::bigint[])");
	} else if (f->asset != NULL) {
		strbuf_append(sql, " AND a.asset_id IN (SELECT id FROM assets WHERE external_id = ");
		queue_param_str(p, sql, f->asset);
		strbuf_appendc(sql, ')');
	}
	if (f->kind != NULL) {
		strbuf_append(sql, " AND a.asset_id IN (SELECT id FROM assets WHERE kind = ");
		queue_param_str(p, sql, f->kind);
		strbuf_appendc(sql, ')');
	}
	if (f->unassigned) {
		strbuf_append(sql, " AND a.assignee_id IS NULL");
	} else if (f->assignee != NULL && strcasecmp(f->assignee, "me") == 0) {
		strbuf_append(sql, " AND a.assignee_id = ");
		queue_param_ll(p, sql, q->me);
	} else if (f->assignee != NULL) {
		strbuf_append(sql, " AND a.assignee_id = (SELECT id FROM analysts WHERE name = ");
		queue_param_str(p, sql, f->assignee);
		strbuf_appendc(sql, ')');
	}
	if (f->incident_id != 0) {
		strbuf_append(sql, " AND a.id IN (SELECT alert_id FROM incident_alerts"
		    " WHERE incident_id = ");
		queue_param_ll(p, sql, f->incident_id);
		strbuf_appendc(sql, ')');
	}
	if (f->first_within != 0) {
		strbuf_append(sql, " AND a.first_seen >= now() - make_interval(secs => ");
		queue_param_ll(p, sql, f->first_within);
		strbuf_append(sql, ")");
	}
	if (f->last_within != 0) {
		strbuf_append(sql, " AND a.last_seen >= now() - make_interval(secs => ");
		queue_param_ll(p, sql, f->last_within);
		strbuf_append(sql, ")");
	}
	if (f->text != NULL && !x->no_text)
		queue_append_text(sql, p, f->text, x->form);
	strbuf_appendc(sql, ')');
}

bool
queue_display_desc(const struct queue_query *q)
{
	return queue_query_sort(q)->desc != q->reverse;
}

/* "(k1, k2, id) OP ($a::t1, $b::t2, $c::bigint)" */
void
queue_append_keyset(struct strbuf *sql, struct queue_params *p, const struct sort_def *s,
    const struct queue_row *cursor, const char *op)
{
	int i;

	strbuf_append(sql, " AND (");
	for (i = 0; i < s->nkeys; i++)
		strbuf_appendf(sql, "%s%s", i ? ", " : "", s->expr[i]);
	strbuf_appendf(sql, ") %s (", op);
	for (i = 0; i < s->nkeys; i++) {
		if (i)
			strbuf_append(sql, ", ");
		queue_param_str(p, sql, cursor->key[i]);
		strbuf_appendf(sql, "::%s", s->type[i]);
	}
	strbuf_appendc(sql, ')');
}

/* ORDER BY the sort's expressions, or (by_column) by the columns s0, s1,
 * ... that a MATERIALIZED CTE kept of them. */
static void
append_order(struct strbuf *sql, const struct sort_def *s, bool desc, bool by_column)
{
	int i;

	strbuf_append(sql, " ORDER BY ");
	for (i = 0; i < s->nkeys; i++) {
		if (by_column)
			strbuf_appendf(sql, "%ss%d %s", i ? ", " : "", i,
			    desc ? "DESC" : "ASC");
		else
			strbuf_appendf(sql, "%s%s %s", i ? ", " : "", s->expr[i],
			    desc ? "DESC" : "ASC");
	}
}

/* The SLA targets by a subquery per row (sla_targets has five rows): the
 * plan of the page stays the sort's index scan. */
const char queue_columns[] =
    "SELECT a.id, a.severity, a.status,"
    " (SELECT an.name FROM analysts an WHERE an.id = a.assignee_id) AS assignee, a.rule_id,"
    " a.asset_ref, a.title, a.occurrences, a.first_seen, a.last_seen,"
    " a.version, a.incident_id,"
    " extract(epoch FROM a.created_at)::bigint AS created_epoch,"
    " extract(epoch FROM a.acknowledged_at)::bigint AS acked_epoch,"
    " extract(epoch FROM CASE WHEN a.status IN ('closed', 'suppressed')"
    "  THEN coalesce(a.closed_at, a.updated_at) END)::bigint AS resolved_epoch,"
    " (SELECT extract(epoch FROM t.time_to_ack)::bigint FROM sla_targets t"
    "  WHERE t.severity = a.severity) AS sla_ack,"
    " (SELECT extract(epoch FROM t.time_to_resolve)::bigint FROM sla_targets t"
    "  WHERE t.severity = a.severity) AS sla_resolve";

/* With match_q, the view's and filter's conditions become a column too:
 * does the row still belong in this queue? */
static void
append_select(struct strbuf *sql, const struct sort_def *s, struct queue_params *p,
    const struct queue_query *match_q, const struct queue_ctx *x, bool raw_keys)
{
	int i;

	strbuf_append(sql, queue_columns);
	for (i = 0; i < s->nkeys; i++)
		strbuf_appendf(sql, ", (%s)::text AS k%d", s->expr[i], i);
	for (i = 0; raw_keys && i < s->nkeys; i++)
		strbuf_appendf(sql, ", %s AS s%d", s->expr[i], i);
	if (match_q != NULL) {
		strbuf_append(sql, ", ");
		queue_append_conditions(sql, p, match_q, x);
		strbuf_append(sql, " AS matches");
	}
	/* The assignee's name by a subquery per row, not a join: with alerts
	 * the only table, no join method (a merge or hash join and then a
	 * sort) can take the place of reading the sort's index in order when
	 * the statistics expect few rows. */
	strbuf_append(sql, " FROM alerts a");
}

void
queue_row_fill(struct queue_row *r, const PGresult *res, int i, int nkeys)
{
	const char *v;
	char kname[8];
	int k;

	memset(r, 0, sizeof *r);
	r->id = db_ll(res, i, "id");
	r->severity = db_int(res, i, "severity");
	r->status = status_parse(db_value(res, i, "status"));
	r->assignee = db_dup(res, i, "assignee");
	r->rule_id = xstrdup(db_value(res, i, "rule_id"));
	r->asset_ref = xstrdup(db_value(res, i, "asset_ref"));
	r->title = xstrdup(db_value(res, i, "title"));
	r->occurrences = db_int(res, i, "occurrences");
	r->first_seen = format_parse_ts(db_value(res, i, "first_seen"));
	r->last_seen = format_parse_ts(db_value(res, i, "last_seen"));
	r->version = db_int(res, i, "version");
	r->incident_id = db_ll(res, i, "incident_id");
	r->created_at = (time_t)db_ll(res, i, "created_epoch");
	r->acked_at = (time_t)db_ll(res, i, "acked_epoch");
	r->resolved_at = (time_t)db_ll(res, i, "resolved_epoch");
	r->sla_ack = db_ll(res, i, "sla_ack");
	r->sla_resolve = db_ll(res, i, "sla_resolve");
	for (k = 0; k < nkeys; k++) {
		snprintf(kname, sizeof kname, "k%d", k);
		v = db_value(res, i, kname);
		r->key[k] = xstrdup(v ? v : "");
	}
}

/* --- fetching ------------------------------------------------------------ */

int
queue_fetch(struct db *db, const struct queue_query *q,
    const struct queue_row *cursor, enum queue_dir dir, int limit,
    struct queue_page *out)
{
	const struct sort_def *s = queue_query_sort(q);
	bool desc = queue_display_desc(q), scan_desc, cte, walk;
	struct strbuf sql;
	struct queue_params p;
	struct queue_ctx x;
	PGresult *res;
	double est;
	int i, n;

	memset(out, 0, sizeof *out);
	if (limit <= 0)
		return 0;
	if (q->view == QV_BREACHING)
		return queue_sla_fetch(db, q, cursor, dir, limit, out);
	if (queue_ctx_prepare(db, q, &x, &est) < 0)
		return -1;
	/* Words through the trigram index: collect the matches first, then
	 * sort only them (see "free words"). */
again:
	cte = q->filter.text != NULL && x.form == TEXT_INDEXED;
	/* Words by walking: the sort index's first walk_rows rows in a
	 * subquery the planner cannot see through (its LIMIT), the words
	 * tested outside it.  Without the fence the planner, expecting few
	 * matches, reads and sorts the whole view. */
	walk = q->filter.text != NULL && x.form == TEXT_WALKED;
	/* Rows before the cursor are scanned backwards and flipped here. */
	scan_desc = dir == QD_BEFORE ? !desc : desc;
	strbuf_init(&sql);
	memset(&p, 0, sizeof p);
	if (cte)
		strbuf_append(&sql, "WITH m AS MATERIALIZED (");
	if (walk)
		strbuf_append(&sql, "SELECT * FROM (");
	append_select(&sql, s, &p, NULL, &x, cte || walk);
	strbuf_append(&sql, " WHERE ");
	x.no_text = walk;
	queue_append_conditions(&sql, &p, q, &x);
	x.no_text = false;
	if (cursor != NULL) {
		const char *op;
		if (dir == QD_FROM)
			op = desc ? "<=" : ">=";
		else
			op = scan_desc ? "<" : ">";
		queue_append_keyset(&sql, &p, s, cursor, op);
	}
	if (cte)
		strbuf_append(&sql, ") SELECT * FROM m");
	if (walk) {
		append_order(&sql, s, scan_desc, false);
		strbuf_append(&sql, " LIMIT ");
		if (x.walk_rows > 0)
			queue_param_ll(&p, &sql, x.walk_rows);
		else
			strbuf_append(&sql, "ALL");
		strbuf_append(&sql, ") a WHERE true");
		queue_append_text(&sql, &p, q->filter.text, TEXT_WALKED);
	}
	append_order(&sql, s, scan_desc, cte || walk);
	strbuf_append(&sql, " LIMIT ");
	queue_param_ll(&p, &sql, (long long)limit + 1);

	res = db_query(db, sql.buf, p.n, p.v);
	queue_params_free(&p);
	strbuf_free(&sql);
	if (res == NULL) {
		queue_ctx_free(&x);
		return -1;
	}
	n = PQntuples(res);
	if (walk && x.walk_rows > 0 && n <= limit && queue_text_indexable(q->filter.text)) {
		/* The walk ran out before a page: fewer matches than the
		 * estimate said, which the trigram index answers cheaply. */
		PQclear(res);
		x.form = TEXT_INDEXED;
		goto again;
	}
	queue_ctx_free(&x);
	out->more = n > limit;
	if (n > limit)
		n = limit;
	out->rows = xcalloc((size_t)(n ? n : 1), sizeof *out->rows);
	out->n = n;
	for (i = 0; i < n; i++) {
		int at = dir == QD_BEFORE ? n - 1 - i : i;
		queue_row_fill(&out->rows[at], res, i, s->nkeys);
	}
	PQclear(res);
	return 0;
}

int
queue_asset_latest(struct db *db, long long asset_id, int limit, struct queue_page *out)
{
	struct queue_query q;
	int rc;

	/* No view, no filter, no words: "(true AND a.asset_id = (SELECT $1))
	 * ORDER BY a.last_seen DESC, a.id DESC LIMIT $2", which only the
	 * asset's (asset_id, last_seen, id) index serves without reading
	 * every alert of the asset (sql/003_search.sql). */
	queue_query_init(&q);
	q.view = QV_ALL;
	q.sort = QS_LAST;
	q.asset_id = asset_id;
	rc = queue_fetch(db, &q, NULL, QD_AFTER, limit, out);
	queue_query_free(&q);
	return rc;
}

int
queue_fetch_one(struct db *db, const struct queue_query *q, long long id,
    struct queue_row *out, bool *matches)
{
	const struct sort_def *s = queue_query_sort(q);
	struct strbuf sql;
	struct queue_params p;
	struct queue_ctx x;
	PGresult *res;
	int found;

	/* One row by id: the words are tested on it, no plan to choose. */
	memset(&x, 0, sizeof x);
	if (queue_resolve_assets(db, q, &x) < 0)
		return -1;
	x.form = TEXT_WALKED;
	strbuf_init(&sql);
	memset(&p, 0, sizeof p);
	append_select(&sql, s, &p, q, &x, false);
	strbuf_append(&sql, " WHERE a.id = ");
	queue_param_ll(&p, &sql, id);
	res = db_query(db, sql.buf, p.n, p.v);
	queue_params_free(&p);
	strbuf_free(&sql);
	queue_ctx_free(&x);
	if (res == NULL)
		return -1;
	found = PQntuples(res) == 1;
	if (found) {
		queue_row_fill(out, res, 0, s->nkeys);
		if (matches != NULL)
			*matches = db_bool(res, 0, "matches");
	}
	PQclear(res);
	return found ? 0 : 1;
}

void
queue_row_free(struct queue_row *r)
{
	int k;

	free(r->assignee);
	free(r->rule_id);
	free(r->asset_ref);
	free(r->title);
	for (k = 0; k < QUEUE_MAX_KEYS; k++)
		free(r->key[k]);
	memset(r, 0, sizeof *r);
}

void
queue_row_copy(struct queue_row *dst, const struct queue_row *src)
{
	int k;

	*dst = *src;
	dst->assignee = xstrdup_null(src->assignee);
	dst->rule_id = xstrdup_null(src->rule_id);
	dst->asset_ref = xstrdup_null(src->asset_ref);
	dst->title = xstrdup_null(src->title);
	for (k = 0; k < QUEUE_MAX_KEYS; k++)
		dst->key[k] = xstrdup_null(src->key[k]);
}

void
queue_page_free(struct queue_page *pg)
{
	int i;

	for (i = 0; i < pg->n; i++)
		queue_row_free(&pg->rows[i]);
	free(pg->rows);
	memset(pg, 0, sizeof *pg);
}

