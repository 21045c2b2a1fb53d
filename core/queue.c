/* queue.c: keyset pagination over the alert queue.
 *
 * Each sort order is a tuple of columns ending in id, served by one btree
 * index (sql/001_schema.sql).  A page is "rows whose tuple comes after the
 * cursor's tuple", a row comparison that PostgreSQL turns into an index
 * range scan, so page N costs the same as page 1 at any queue size.  All
 * keys of a tuple run in the same direction, which is what lets a single
 * row comparison express the cursor.
 *
 * Free words are the one condition no btree serves; see "free words"
 * below for the two plans that answer them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db.h"
#include "format.h"
#include "queue.h"
#include "strbuf.h"

struct sort_def {
	const char	*name;
	bool		 desc;			/* natural direction */
	int		 nkeys;
	const char	*expr[QUEUE_MAX_KEYS];	/* SQL over alias a */
	const char	*type[QUEUE_MAX_KEYS];	/* cast for the cursor value */
};

static const struct sort_def sort_defs[QS__COUNT] = {
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

/* The statuses each view can show, to spot a filter that contradicts
 * its view (status=closed in the open view) without scanning anything. */
#define ST_BIT(s)	(1u << (s))
static const unsigned view_statuses[QV__COUNT] = {
	[QV_OPEN] = ST_BIT(ST_NEW) | ST_BIT(ST_ACKNOWLEDGED),
	[QV_MINE] = ST_BIT(ST_NEW) | ST_BIT(ST_ACKNOWLEDGED) | ST_BIT(ST_ESCALATED),
	[QV_UNASSIGNED] = ST_BIT(ST_NEW) | ST_BIT(ST_ACKNOWLEDGED),
	[QV_ESCALATED] = ST_BIT(ST_ESCALATED),
	[QV_CLOSED] = ST_BIT(ST_CLOSED) | ST_BIT(ST_SUPPRESSED),
	[QV_ALL] = (1u << ST__COUNT) - 1,
};

static const char *const view_names[QV__COUNT] = {
	"open", "mine", "unassigned", "escalated", "closed", "all"
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
	return s >= 0 && s < QS__COUNT ? sort_defs[s].name : "?";
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
		if (strcasecmp(s, sort_defs[i].name) == 0)
			return (enum queue_sort)i;
		if (strncasecmp(s, sort_defs[i].name, len) == 0) {
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
	return s >= 0 && s < QS__COUNT && sort_defs[s].desc;
}

unsigned
queue_statuses(const struct queue_query *q)
{
	unsigned st = view_statuses[q->view >= 0 && q->view < QV__COUNT ? q->view : QV_OPEN];

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

#define MAX_PARAMS	32

struct params {
	const char	*v[MAX_PARAMS];
	char		 num[MAX_PARAMS][32];
	char		*owned[MAX_PARAMS];
	int		 n;
};

static void
params_free(struct params *p)
{
	int i;

	for (i = 0; i < p->n; i++)
		free(p->owned[i]);
}

/* Add a value and append its placeholder "$n" to sql. */
static void
param_str(struct params *p, struct strbuf *sql, const char *v)
{
	p->owned[p->n] = NULL;
	p->v[p->n] = v;
	p->n++;
	strbuf_appendf(sql, "$%d", p->n);
}

static void
param_own(struct params *p, struct strbuf *sql, char *v)
{
	param_str(p, sql, v);
	p->owned[p->n - 1] = v;
}

static void
param_ll(struct params *p, struct strbuf *sql, long long v)
{
	snprintf(p->num[p->n], sizeof p->num[p->n], "%lld", v);
	param_str(p, sql, p->num[p->n]);
}

/* --- free words -------------------------------------------------------
 *
 * Every word must occur in the alert's search text, SEARCH_TEXT: title,
 * asset and rule, each after a space; the trigram indexes of
 * sql/003_search.sql are built on exactly that expression.  A word of
 * three bytes or more matches anywhere; a shorter one matches at the start
 * of a word ("R7" finds R7 and R70, "CS" finds CS-0042), because a trigram
 * index cannot find two letters inside a word but can find a word's start.
 *
 * Two plans answer a word search, and each statement is written so that it
 * has one plan only:
 *  - walk: the sort's btree index in display order, each row tested.  The
 *    words are written over SEARCH_WALK, which no index has, so the planner
 *    cannot switch to the trigram index and a sort.  A page costs
 *    page size / density rows: cheap for common words.
 *  - index: the trigram index finds every match (a bitmap), a MATERIALIZED
 *    CTE holds them, and only they are sorted.  Costs one index entry and
 *    one heap row per match: cheap for rare words and for no match at all.
 * search_plan() picks the cheaper from the planner's estimates (two
 * EXPLAINs, a millisecond); counts follow the same rule (queue_count). */
#define SEARCH_TEXT	"(' ' || a.title || ' ' || a.asset_ref || ' ' || a.rule_id)"
#define SEARCH_WALK	"(' ' || a.title || ' ' || a.asset_ref || ' ' || a.rule_id || '')"
/* Relative cost of a row walked in index order (random heap access) and
 * of a match found through the trigram index, measured on the benchmark
 * (bench/search_bench.sh): a walked row costs about four matches. */
#define WALK_ROW_COST	4.0
#define INDEX_ROW_COST	1.0

enum text_form {
	TEXT_INDEXED,	/* over SEARCH_TEXT: the trigram index may serve it */
	TEXT_WALKED	/* over SEARCH_WALK: no index can */
};

/* What a statement needs besides the query: resolved asset ids and the
 * form of the word conditions. */
struct qctx {
	enum text_form	 form;
	bool		 no_text;	/* leave the words out (the view's size) */
	long long	 walk_rows;	/* rows a walk may read before giving up; 0 all */
	bool		 assets_known;	/* filter.asset resolved into ids */
	int		 nassets;
	long long	 asset_one;	/* the id when there is one */
	char		*asset_ids;	/* "{1,2}" when there are more */
};

static bool
word_char(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* A word the trigram index can look up: one with a letter or digit.  "--"
 * gives no trigram and would make the index read every entry. */
static bool
word_indexable(const char *w, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (word_char((unsigned char)w[i]))
			return true;
	return false;
}

/* The ILIKE pattern of a word, LIKE metacharacters escaped: "%word%", or
 * "% wo%" for a word of under three bytes (a word start). */
static char *
word_pattern(const char *word, size_t len)
{
	struct strbuf sb;
	size_t i;

	strbuf_init(&sb);
	strbuf_append(&sb, len < 3 ? "% " : "%");
	for (i = 0; i < len; i++) {
		if (word[i] == '%' || word[i] == '_' || word[i] == '\\')
			strbuf_appendc(&sb, '\\');
		strbuf_appendc(&sb, word[i]);
	}
	strbuf_appendc(&sb, '%');
	return strbuf_detach(&sb);
}

/* The patterns of the space-separated words of text, as a text[] literal:
 * each element double-quoted, its " and \\ escaped. */
static char *
pattern_array(const char *text)
{
	struct strbuf sb;
	const char *q;
	char *pat;
	size_t len;

	strbuf_init(&sb);
	strbuf_appendc(&sb, '{');
	for (;;) {
		while (*text == ' ')
			text++;
		if ((len = strcspn(text, " ")) == 0)
			break;
		pat = word_pattern(text, len);
		if (sb.len > 1)
			strbuf_appendc(&sb, ',');
		strbuf_appendc(&sb, '"');
		for (q = pat; *q != '\0'; q++) {
			if (*q == '"' || *q == '\\')
				strbuf_appendc(&sb, '\\');
			strbuf_appendc(&sb, *q);
		}
		strbuf_appendc(&sb, '"');
		free(pat);
		text += len;
	}
	strbuf_appendc(&sb, '}');
	return strbuf_detach(&sb);
}

/* Does any word of text have a trigram? */
static bool
text_indexable(const char *text)
{
	size_t len;

	for (;;) {
		while (*text == ' ')
			text++;
		if ((len = strcspn(text, " ")) == 0)
			return false;
		if (word_indexable(text, len))
			return true;
		text += len;
	}
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

/* " AND" a condition per free word. */
static void
append_text(struct strbuf *sql, struct params *p, const char *text, enum text_form form)
{
	/* Every word must occur in the search text.  A parameter each
	 * while they last; the words past that go in one array that
	 * must match as a whole, so none is dropped. */
	const char *expr = form == TEXT_INDEXED ? SEARCH_TEXT : SEARCH_WALK;
	const char *w = text;

	while (*w != '\0') {
		size_t len;
		while (*w == ' ')
			w++;
		len = strcspn(w, " ");
		if (len == 0)
			break;
		if (p->n >= MAX_PARAMS - 9) {
			strbuf_append(sql, " AND ");
			strbuf_append(sql, expr);
			strbuf_append(sql, " ILIKE ALL(");
			param_own(p, sql, pattern_array(w));
			strbuf_append(sql, "::text[])");
			break;
		}
		strbuf_append(sql, " AND ");
		strbuf_append(sql, expr);
		strbuf_append(sql, " ILIKE ");
		param_own(p, sql, word_pattern(w, len));
		w += len;
	}
}

/* The view's and the filter's conditions, ANDed; the SQL always starts
 * with "(" and ends with ")". */
static void
append_conditions(struct strbuf *sql, struct params *p, const struct queue_query *q,
    const struct qctx *x)
{
	const struct filter *f = &q->filter;
	const char *v = view_sql[q->view >= 0 && q->view < QV__COUNT ? q->view : QV_OPEN];
	const char *me = strstr(v, "$ME");

	strbuf_appendc(sql, '(');
	if (me != NULL) {
		strbuf_appendn(sql, v, (size_t)(me - v));
		param_ll(p, sql, q->me);
		strbuf_append(sql, me + 3);
	} else {
		strbuf_append(sql, v);
	}
	{
		unsigned possible = view_statuses[q->view >= 0 && q->view < QV__COUNT ?
		    q->view : QV_OPEN] & ~f->status_not;

		if (f->status_mask != 0)
			possible &= f->status_mask;
		/* PostgreSQL folds a constant false into "no rows" at plan time. */
		if (possible == 0)
			strbuf_append(sql, " AND false");
	}
	if (f->status_mask != 0) {
		strbuf_append(sql, " AND a.status = ANY(");
		param_own(p, sql, status_array(f->status_mask));
		strbuf_append(sql, "::text[])");
	}
	if (f->status_not != 0) {
		strbuf_append(sql, " AND a.status <> ALL(");
		param_own(p, sql, status_array(f->status_not));
		strbuf_append(sql, "::text[])");
	}
	if (f->sev_min != 0) {
		strbuf_append(sql, " AND a.severity >= ");
		param_ll(p, sql, f->sev_min);
	}
	if (f->sev_max != 0) {
		strbuf_append(sql, " AND a.severity <= ");
		param_ll(p, sql, f->sev_max);
	}
	if (f->rule != NULL) {
		strbuf_append(sql, " AND a.rule_id = ");
		param_str(p, sql, f->rule);
	}
	if (q->asset_id != 0) {
		strbuf_append(sql, " AND a.asset_id = ");
		param_ll(p, sql, q->asset_id);
	}
	if (f->asset != NULL && x->assets_known && x->nassets == 0) {
		strbuf_append(sql, " AND false");
	} else if (f->asset != NULL && x->assets_known && x->nassets == 1) {
		/* One asset (the usual case): an equality, so the asset
		 * indexes give rows in sort order. */
		strbuf_append(sql, " AND a.asset_id = ");
		param_ll(p, sql, x->asset_one);
	} else if (f->asset != NULL && x->assets_known) {
		strbuf_append(sql, " AND a.asset_id = ANY(");
		param_str(p, sql, x->asset_ids);
		strbuf_append(sql, "::bigint[])");
	} else if (f->asset != NULL) {
		strbuf_append(sql, " AND a.asset_id IN (SELECT id FROM assets WHERE external_id = ");
		param_str(p, sql, f->asset);
		strbuf_appendc(sql, ')');
	}
	if (f->kind != NULL) {
		strbuf_append(sql, " AND a.asset_id IN (SELECT id FROM assets WHERE kind = ");
		param_str(p, sql, f->kind);
		strbuf_appendc(sql, ')');
	}
	if (f->unassigned) {
		strbuf_append(sql, " AND a.assignee_id IS NULL");
	} else if (f->assignee != NULL && strcasecmp(f->assignee, "me") == 0) {
		strbuf_append(sql, " AND a.assignee_id = ");
		param_ll(p, sql, q->me);
	} else if (f->assignee != NULL) {
		strbuf_append(sql, " AND a.assignee_id = (SELECT id FROM analysts WHERE name = ");
		param_str(p, sql, f->assignee);
		strbuf_appendc(sql, ')');
	}
	if (f->incident_id != 0) {
		strbuf_append(sql, " AND a.id IN (SELECT alert_id FROM incident_alerts"
		    " WHERE incident_id = ");
		param_ll(p, sql, f->incident_id);
		strbuf_appendc(sql, ')');
	}
	if (f->first_within != 0) {
		strbuf_append(sql, " AND a.first_seen >= now() - make_interval(secs => ");
		param_ll(p, sql, f->first_within);
		strbuf_append(sql, ")");
	}
	if (f->last_within != 0) {
		strbuf_append(sql, " AND a.last_seen >= now() - make_interval(secs => ");
		param_ll(p, sql, f->last_within);
		strbuf_append(sql, ")");
	}
	if (f->text != NULL && !x->no_text)
		append_text(sql, p, f->text, x->form);
	strbuf_appendc(sql, ')');
}

static bool
display_desc(const struct queue_query *q)
{
	return sort_defs[q->sort].desc != q->reverse;
}

/* "(k1, k2, id) OP ($a::t1, $b::t2, $c::bigint)" */
static void
append_keyset(struct strbuf *sql, struct params *p, const struct sort_def *s,
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
		param_str(p, sql, cursor->key[i]);
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

static const char queue_columns[] =
    "SELECT a.id, a.severity, a.status, an.name AS assignee, a.rule_id,"
    " a.asset_ref, a.title, a.occurrences, a.first_seen, a.last_seen,"
    " a.version, a.incident_id";

/* With match_q, the view's and filter's conditions become a column too:
 * does the row still belong in this queue? */
static void
append_select(struct strbuf *sql, const struct sort_def *s, struct params *p,
    const struct queue_query *match_q, const struct qctx *x, bool raw_keys)
{
	int i;

	strbuf_append(sql, queue_columns);
	for (i = 0; i < s->nkeys; i++)
		strbuf_appendf(sql, ", (%s)::text AS k%d", s->expr[i], i);
	for (i = 0; raw_keys && i < s->nkeys; i++)
		strbuf_appendf(sql, ", %s AS s%d", s->expr[i], i);
	if (match_q != NULL) {
		strbuf_append(sql, ", ");
		append_conditions(sql, p, match_q, x);
		strbuf_append(sql, " AS matches");
	}
	strbuf_append(sql, " FROM alerts a LEFT JOIN analysts an ON an.id = a.assignee_id");
}

static void
row_fill(struct queue_row *r, const PGresult *res, int i, int nkeys)
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
	for (k = 0; k < nkeys; k++) {
		snprintf(kname, sizeof kname, "k%d", k);
		v = db_value(res, i, kname);
		r->key[k] = xstrdup(v ? v : "");
	}
}

/* --- choosing the plan --------------------------------------------------- */

static void
qctx_free(struct qctx *x)
{
	free(x->asset_ids);
	memset(x, 0, sizeof *x);
}

/* asset=NAME as ids, so the statement says "asset_id = N" and the asset
 * indexes return rows in sort order (an IN (subquery) leaves the planner a
 * choice that it gets wrong on the busiest assets). */
static int
resolve_assets(struct db *db, const struct queue_query *q, struct qctx *x)
{
	const char *v[1];
	PGresult *res;

	if (q->filter.asset == NULL)
		return 0;
	v[0] = q->filter.asset;
	res = db_query(db, "SELECT count(*) AS n, min(id) AS one,"
	    " array_agg(id ORDER BY id)::text AS ids FROM assets WHERE external_id = $1",
	    1, v);
	if (res == NULL)
		return -1;
	x->nassets = db_int(res, 0, "n");
	x->asset_one = db_ll(res, 0, "one");
	x->asset_ids = db_dup(res, 0, "ids");
	x->assets_known = true;
	PQclear(res);
	return 0;
}

/* The planner's estimate of the rows of "SELECT FROM alerts WHERE q". */
static double
estimate_rows(struct db *db, const struct queue_query *q, const struct qctx *x)
{
	struct strbuf sql;
	struct params p;
	PGresult *res;
	const char *plan, *r;
	double rows = -1;

	strbuf_init(&sql);
	memset(&p, 0, sizeof p);
	strbuf_append(&sql, "EXPLAIN SELECT 1 FROM alerts a WHERE ");
	append_conditions(&sql, &p, q, x);
	res = db_query(db, sql.buf, p.n, p.v);
	params_free(&p);
	strbuf_free(&sql);
	if (res == NULL)
		return -1;
	/* The top node's "(cost=a..b rows=N width=w)". */
	if (PQntuples(res) > 0 && (plan = PQgetvalue(res, 0, 0)) != NULL &&
	    (r = strstr(plan, " rows=")) != NULL)
		rows = strtod(r + 6, NULL);
	PQclear(res);
	return rows;
}

/* Resolve what the statements need and pick the word search's plan.  est
 * gets the estimated matches (-1 without words).  0, or -1 (db->errmsg). */
static int
qctx_prepare(struct db *db, const struct queue_query *q, struct qctx *x, double *est)
{
	double matches, view;

	memset(x, 0, sizeof *x);
	*est = -1;
	if (resolve_assets(db, q, x) < 0)
		return -1;
	if (q->filter.text == NULL)
		return 0;
	if (!text_indexable(q->filter.text) || q->search == QSEARCH_WALK) {
		x->form = TEXT_WALKED;
		return 0;
	}
	x->form = TEXT_INDEXED;
	if ((matches = estimate_rows(db, q, x)) < 0)
		return -1;
	*est = matches;
	if (q->search == QSEARCH_INDEX)
		return 0;
	x->no_text = true;
	view = estimate_rows(db, q, x);
	x->no_text = false;
	if (view < 0)
		return -1;
	/* A page by walking costs page / density rows; by the index, every
	 * match.  The page is about a screen; its exact size hardly moves
	 * the crossing point. */
	if (matches < 1)
		matches = 1;
	if (WALK_ROW_COST * 50.0 * view / matches < INDEX_ROW_COST * matches) {
		x->form = TEXT_WALKED;
		/* Four times what the estimate says a page needs; a walk that
		 * finds too few gives way to the index (queue_fetch). */
		x->walk_rows = (long long)(4.0 * 64.0 * view / matches);
		if (x->walk_rows < 2000)
			x->walk_rows = 2000;
	}
	return 0;
}

/* --- fetching ------------------------------------------------------------ */

int
queue_fetch(struct db *db, const struct queue_query *q,
    const struct queue_row *cursor, enum queue_dir dir, int limit,
    struct queue_page *out)
{
	const struct sort_def *s = &sort_defs[q->sort];
	bool desc = display_desc(q), scan_desc, cte, walk;
	struct strbuf sql;
	struct params p;
	struct qctx x;
	PGresult *res;
	double est;
	int i, n;

	memset(out, 0, sizeof *out);
	if (limit <= 0)
		return 0;
	if (qctx_prepare(db, q, &x, &est) < 0)
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
	append_conditions(&sql, &p, q, &x);
	x.no_text = false;
	if (cursor != NULL) {
		const char *op;
		if (dir == QD_FROM)
			op = desc ? "<=" : ">=";
		else
			op = scan_desc ? "<" : ">";
		append_keyset(&sql, &p, s, cursor, op);
	}
	if (cte)
		strbuf_append(&sql, ") SELECT * FROM m");
	if (walk) {
		append_order(&sql, s, scan_desc, false);
		strbuf_append(&sql, " LIMIT ");
		if (x.walk_rows > 0)
			param_ll(&p, &sql, x.walk_rows);
		else
			strbuf_append(&sql, "ALL");
		strbuf_append(&sql, ") a WHERE true");
		append_text(&sql, &p, q->filter.text, TEXT_WALKED);
	}
	append_order(&sql, s, scan_desc, cte || walk);
	strbuf_append(&sql, " LIMIT ");
	param_ll(&p, &sql, (long long)limit + 1);

	res = db_query(db, sql.buf, p.n, p.v);
	params_free(&p);
	strbuf_free(&sql);
	if (res == NULL) {
		qctx_free(&x);
		return -1;
	}
	n = PQntuples(res);
	if (walk && x.walk_rows > 0 && n <= limit && text_indexable(q->filter.text)) {
		/* The walk ran out before a page: fewer matches than the
		 * estimate said, which the trigram index answers cheaply. */
		PQclear(res);
		x.form = TEXT_INDEXED;
		goto again;
	}
	qctx_free(&x);
	out->more = n > limit;
	if (n > limit)
		n = limit;
	out->rows = xcalloc((size_t)(n ? n : 1), sizeof *out->rows);
	out->n = n;
	for (i = 0; i < n; i++) {
		int at = dir == QD_BEFORE ? n - 1 - i : i;
		row_fill(&out->rows[at], res, i, s->nkeys);
	}
	PQclear(res);
	return 0;
}

int
queue_fetch_one(struct db *db, const struct queue_query *q, long long id,
    struct queue_row *out, bool *matches)
{
	const struct sort_def *s = &sort_defs[q->sort];
	struct strbuf sql;
	struct params p;
	struct qctx x;
	PGresult *res;
	int found;

	/* One row by id: the words are tested on it, no plan to choose. */
	memset(&x, 0, sizeof x);
	if (resolve_assets(db, q, &x) < 0)
		return -1;
	x.form = TEXT_WALKED;
	strbuf_init(&sql);
	memset(&p, 0, sizeof p);
	append_select(&sql, s, &p, q, &x, false);
	strbuf_append(&sql, " WHERE a.id = ");
	param_ll(&p, &sql, id);
	res = db_query(db, sql.buf, p.n, p.v);
	params_free(&p);
	strbuf_free(&sql);
	qctx_free(&x);
	if (res == NULL)
		return -1;
	found = PQntuples(res) == 1;
	if (found) {
		row_fill(out, res, 0, s->nkeys);
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

int
queue_counts(struct db *db, struct queue_counts *out)
{
	PGresult *res;
	int i, n;

	memset(out, 0, sizeof *out);
	res = db_query(db, "SELECT status, severity, n FROM alert_counts WHERE n <> 0",
	    0, NULL);
	if (res == NULL)
		return -1;
	n = PQntuples(res);
	for (i = 0; i < n; i++) {
		enum alert_status st = status_parse(db_value(res, i, "status"));
		int sev = db_int(res, i, "severity");
		long long c = db_ll(res, i, "n");

		if (st == ST_UNKNOWN || sev < 0 || sev >= SEV__COUNT)
			continue;
		out->by[st][sev] += c;
		out->status[st] += c;
		out->total += c;
		if (status_is_open(st)) {
			out->open_sev[sev] += c;
			out->open += c;
		}
	}
	PQclear(res);
	return 0;
}

static long long
count_capped(struct db *db, const struct queue_query *q, const struct qctx *x,
    const struct queue_row *cursor, long long cap)
{
	struct strbuf sql;
	struct params p;
	PGresult *res;
	long long n;

	strbuf_init(&sql);
	memset(&p, 0, sizeof p);
	strbuf_append(&sql, "SELECT count(*) AS n FROM (SELECT 1 FROM alerts a WHERE ");
	append_conditions(&sql, &p, q, x);
	if (cursor != NULL)
		append_keyset(&sql, &p, &sort_defs[q->sort], cursor,
		    display_desc(q) ? ">" : "<");
	strbuf_append(&sql, " LIMIT ");
	param_ll(&p, &sql, cap);
	strbuf_append(&sql, ") s");
	res = db_query(db, sql.buf, p.n, p.v);
	params_free(&p);
	strbuf_free(&sql);
	if (res == NULL)
		return -1;
	n = db_ll(res, 0, "n");
	PQclear(res);
	return n;
}

long long
queue_count(struct db *db, const struct queue_query *q, long long cap,
    enum queue_total *kind)
{
	struct qctx x;
	double est;
	long long n;

	if (qctx_prepare(db, q, &x, &est) < 0)
		return -1;
	if (q->filter.text != NULL && q->search == QSEARCH_AUTO &&
	    est > QUEUE_COUNT_EXACT_MAX) {
		/* Counting would read an index entry per match; the estimate
		 * from the trigram statistics is within tens of percent. */
		qctx_free(&x);
		if (kind != NULL)
			*kind = QT_ABOUT;
		return (long long)est;
	}
	/* Few matches (or no words): the trigram index or the btrees count
	 * them; a walk would test rows until the cap. */
	if (q->filter.text != NULL && text_indexable(q->filter.text))
		x.form = TEXT_INDEXED;
	n = count_capped(db, q, &x, NULL, cap);
	qctx_free(&x);
	if (kind != NULL)
		*kind = n >= 0 && n < cap ? QT_EXACT : QT_AT_LEAST;
	return n;
}

long long
queue_count_before(struct db *db, const struct queue_query *q,
    const struct queue_row *cursor, long long cap)
{
	struct qctx x;
	double est;
	long long n;

	if (cursor == NULL)
		return 0;
	if (qctx_prepare(db, q, &x, &est) < 0)
		return -1;
	if (q->filter.text != NULL && q->search == QSEARCH_AUTO &&
	    (x.form == TEXT_WALKED || est > QUEUE_COUNT_EXACT_MAX)) {
		qctx_free(&x);
		return -2;
	}
	n = count_capped(db, q, &x, cursor, cap);
	qctx_free(&x);
	return n;
}
