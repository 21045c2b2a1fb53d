/* queue_count.c: how many alerts a queue holds.
 *
 * The header's counts come from alert_counts, kept by triggers (constant
 * time); a view's or filter's count stops at a cap, and a word search
 * that matches too many rows to count cheaply answers with the planner's
 * estimate (queue_count) or "unknown" (queue_count_before). */
#include <string.h>

#include "db.h"
#include "queue_int.h"
#include "strbuf.h"

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
count_capped(struct db *db, const struct queue_query *q, const struct queue_ctx *x,
    const struct queue_row *cursor, long long cap)
{
	struct strbuf sql;
	struct queue_params p;
	PGresult *res;
	long long n;

	if (q->view == QV_BREACHING)
		return queue_sla_count(db, q, x, cursor, cap);
	strbuf_init(&sql);
	memset(&p, 0, sizeof p);
	strbuf_append(&sql, "SELECT count(*) AS n FROM (SELECT 1 FROM alerts a WHERE ");
	queue_append_conditions(&sql, &p, q, x);
	if (cursor != NULL)
		queue_append_keyset(&sql, &p, &queue_sort_defs[q->sort], cursor,
		    queue_display_desc(q) ? ">" : "<");
	strbuf_append(&sql, " LIMIT ");
	queue_param_ll(&p, &sql, cap);
	strbuf_append(&sql, ") s");
	res = db_query(db, sql.buf, p.n, p.v);
	queue_params_free(&p);
	strbuf_free(&sql);
	if (res == NULL)
		return -1;
	n = db_ll(res, 0, "n");
	PQclear(res);
	return n;
}

/* A view narrowed by status and severity alone is a sum of alert_counts
 * cells: exact, and a read of at most 25 rows instead of up to a capped
 * count's 10,000 index entries, which every open console would otherwise
 * repeat after each batch of new alerts. */
static bool
count_is_cells(const struct queue_query *q)
{
	const struct filter *f = &q->filter;

	switch (q->view) {
	case QV_OPEN: case QV_ESCALATED: case QV_CLOSED: case QV_ALL:
		break;
	default:
		return false;	/* mine, unowned: per analyst */
	}
	return q->asset_id == 0 && f->rule == NULL && f->asset == NULL &&
	    f->kind == NULL && f->assignee == NULL && !f->unassigned &&
	    f->incident_id == 0 && f->first_within == 0 &&
	    f->last_within == 0 && f->text == NULL;
}

static long long
count_cells(struct db *db, const struct queue_query *q)
{
	struct queue_counts c;
	unsigned st = queue_statuses(q);
	long long n = 0;
	int s, v;

	if (queue_counts(db, &c) < 0)
		return -1;
	for (s = 0; s < ST__COUNT; s++) {
		if ((st & 1u << s) == 0)
			continue;
		for (v = SEV_INFO; v < SEV__COUNT; v++)
			if ((q->filter.sev_min == 0 || v >= q->filter.sev_min) &&
			    (q->filter.sev_max == 0 || v <= q->filter.sev_max))
				n += c.by[s][v];
	}
	return n;
}

long long
queue_count(struct db *db, const struct queue_query *q, long long cap,
    enum queue_total *kind)
{
	struct queue_ctx x;
	double est;
	long long n;

	if (count_is_cells(q)) {
		n = count_cells(db, q);
		if (kind != NULL)
			*kind = QT_EXACT;
		return n;
	}
	if (queue_ctx_prepare(db, q, &x, &est) < 0)
		return -1;
	if (q->filter.text != NULL && q->search == QSEARCH_AUTO &&
	    est > QUEUE_COUNT_EXACT_MAX) {
		/* Counting would read an index entry per match; the estimate
		 * from the trigram statistics is within tens of percent. */
		queue_ctx_free(&x);
		if (kind != NULL)
			*kind = QT_ABOUT;
		return (long long)est;
	}
	/* Few matches (or no words): the trigram index or the btrees count
	 * them; a walk would test rows until the cap. */
	if (q->filter.text != NULL && queue_text_indexable(q->filter.text))
		x.form = TEXT_INDEXED;
	/* Each match counted through the trigram index is a heap row and a
	 * recheck of the words (about 5 us): counting stops at
	 * QUEUE_COUNT_EXACT_MAX whatever the caller's cap, so an estimate
	 * far below the truth costs no more than an exact count. */
	if (q->filter.text != NULL && q->search == QSEARCH_AUTO &&
	    cap > QUEUE_COUNT_EXACT_MAX)
		cap = QUEUE_COUNT_EXACT_MAX;
	n = count_capped(db, q, &x, NULL, cap);
	queue_ctx_free(&x);
	if (kind != NULL)
		*kind = n >= 0 && n < cap ? QT_EXACT : QT_AT_LEAST;
	return n;
}

long long
queue_count_before(struct db *db, const struct queue_query *q,
    const struct queue_row *cursor, long long cap)
{
	struct queue_ctx x;
	double est;
	long long n;

	if (cursor == NULL)
		return 0;
	if (queue_ctx_prepare(db, q, &x, &est) < 0)
		return -1;
	if (q->filter.text != NULL && q->search == QSEARCH_AUTO &&
	    (x.form == TEXT_WALKED || est > QUEUE_COUNT_EXACT_MAX)) {
		queue_ctx_free(&x);
		return -2;
	}
	n = count_capped(db, q, &x, cursor, cap);
	queue_ctx_free(&x);
	return n;
}
