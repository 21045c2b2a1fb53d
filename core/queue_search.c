/* queue_search.c: free words in the queue, and the plan that answers them.
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
 * queue_ctx_prepare() picks the cheaper from the planner's estimates (two
 * EXPLAINs, a millisecond); counts follow the same rule (queue_count). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "queue_int.h"
#include "strbuf.h"

/* Relative cost of a row walked in index order (random heap access) and
 * of a match found through the trigram index, measured on the benchmark
 * (bench/queue_query.c): a walked row costs about four matches. */
#define WALK_ROW_COST	4.0
#define INDEX_ROW_COST	1.0

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

bool
queue_text_indexable(const char *text)
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

void
queue_append_text(struct strbuf *sql, struct queue_params *p, const char *text, enum text_form form)
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
			queue_param_own(p, sql, pattern_array(w));
			strbuf_append(sql, "::text[])");
			break;
		}
		strbuf_append(sql, " AND ");
		strbuf_append(sql, expr);
		strbuf_append(sql, " ILIKE ");
		queue_param_own(p, sql, word_pattern(w, len));
		w += len;
	}
}

/* --- choosing the plan --------------------------------------------------- */

void
queue_ctx_free(struct queue_ctx *x)
{
	free(x->asset_ids);
	memset(x, 0, sizeof *x);
}

/* asset=NAME as ids, so the statement says "asset_id = N" and the asset
 * indexes return rows in sort order (an IN (subquery) leaves the planner a
 * choice that it gets wrong on the busiest assets). */
int
queue_resolve_assets(struct db *db, const struct queue_query *q, struct queue_ctx *x)
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
estimate_rows(struct db *db, const struct queue_query *q, const struct queue_ctx *x)
{
	struct strbuf sql;
	struct queue_params p;
	PGresult *res;
	const char *plan, *r;
	double rows = -1;

	strbuf_init(&sql);
	memset(&p, 0, sizeof p);
	strbuf_append(&sql, "EXPLAIN SELECT 1 FROM alerts a WHERE ");
	queue_append_conditions(&sql, &p, q, x);
	res = db_query(db, sql.buf, p.n, p.v);
	queue_params_free(&p);
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

int
queue_ctx_prepare(struct db *db, const struct queue_query *q, struct queue_ctx *x, double *est)
{
	double matches, view;

	memset(x, 0, sizeof *x);
	*est = -1;
	if (queue_resolve_assets(db, q, x) < 0)
		return -1;
	if (q->filter.text == NULL)
		return 0;
	if (!queue_text_indexable(q->filter.text) || q->search == QSEARCH_WALK) {
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

