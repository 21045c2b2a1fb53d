/* queue_sla.c: the queue's breaching view (a row's SLA clock is
 * queue_row_sla, in core/sla.c).
 *
 * A deadline is created_at plus a target that is data (sla_targets), so
 * no index can hold it.  But for one severity and one clock (the status:
 * 'new' runs to the ack target, acknowledged and escalated to the resolve
 * target) the target is one number, and the rows due by now + 1 hour are
 * the rows created before now + 1 hour - target: one range of
 * alerts_sla_idx (status, severity, created_at, id), read in deadline
 * order.  A page reads each of the fifteen ranges (five severities, three
 * statuses; those without a target drop out) as a LATERAL subquery under
 * its own LIMIT and merges them by deadline: at most 15 x (page + 1) index
 * entries whatever the queue's size.  The keyset cursor (deadline, id)
 * becomes (created_at, id) past (deadline - target, id) in each range,
 * exact because the target is whole seconds added to one timestamp. */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "queue_int.h"
#include "sla.h"
#include "strbuf.h"

/* One row per clock that runs: severity, status and its target in
 * seconds (the ack target for 'new', falling back to the resolve target
 * as core/sla.c does). */
#define CLOCKS \
	" FROM (SELECT t.severity, s.status, extract(epoch FROM CASE WHEN s.status = 'new'" \
	" THEN coalesce(t.time_to_ack, t.time_to_resolve) ELSE t.time_to_resolve END)" \
	"::float8 AS secs FROM sla_targets t" \
	" CROSS JOIN (VALUES ('new'), ('acknowledged'), ('escalated')) s (status)) g" \
	" CROSS JOIN LATERAL ("

/* The range of one clock: rows due within SLA_DUE_SOON_SECS. */
static void
append_range(struct strbuf *sql, struct queue_params *p, const struct queue_query *q,
    const struct queue_ctx *x, const struct queue_row *cursor, const char *op)
{
	struct queue_query filters = *q;

	strbuf_append(sql, " FROM alerts a WHERE g.secs IS NOT NULL AND " QUEUE_SLA_OPEN
	    " AND a.status = g.status AND a.severity = g.severity"
	    " AND a.created_at <= now() + make_interval(secs => ");
	queue_param_ll(p, sql, SLA_DUE_SOON_SECS);
	strbuf_append(sql, " - g.secs) AND ");
	/* The filter's conditions, without the view's row-by-row test. */
	filters.view = QV_ALL;
	queue_append_conditions(sql, p, &filters, x);
	if (cursor != NULL) {
		strbuf_appendf(sql, " AND (a.created_at, a.id) %s (", op);
		queue_param_str(p, sql, cursor->key[0]);
		strbuf_append(sql, "::timestamptz - make_interval(secs => g.secs), ");
		queue_param_str(p, sql, cursor->key[1]);
		strbuf_append(sql, "::bigint)");
	}
}

static void
ctx_for_ranges(const struct queue_query *q, struct queue_ctx *x)
{
	/* Words are tested inside each range's LIMIT: the trigram
	 * expression when it has trigrams (the planner may use the index),
	 * else row by row. */
	x->form = q->filter.text != NULL && queue_text_indexable(q->filter.text) ?
	    TEXT_INDEXED : TEXT_WALKED;
}

int
queue_sla_fetch(struct db *db, const struct queue_query *q,
    const struct queue_row *cursor, enum queue_dir dir, int limit,
    struct queue_page *out)
{
	bool desc = queue_display_desc(q), scan_desc;
	const char *op, *ord;
	struct strbuf sql;
	struct queue_params p;
	struct queue_ctx x;
	PGresult *res;
	int i, n;

	memset(out, 0, sizeof *out);
	memset(&x, 0, sizeof x);
	if (queue_resolve_assets(db, q, &x) < 0)
		return -1;
	ctx_for_ranges(q, &x);
	scan_desc = dir == QD_BEFORE ? !desc : desc;
	if (dir == QD_FROM)
		op = desc ? "<=" : ">=";
	else
		op = scan_desc ? "<" : ">";
	ord = scan_desc ? "DESC" : "ASC";
	strbuf_init(&sql);
	memset(&p, 0, sizeof p);
	strbuf_append(&sql, queue_columns);
	strbuf_append(&sql, ", (a.created_at + make_interval(secs => g.secs))::text AS k0,"
	    " a.id::text AS k1" CLOCKS "SELECT a.*");
	append_range(&sql, &p, q, &x, cursor, op);
	strbuf_appendf(&sql, " ORDER BY a.created_at %s, a.id %s LIMIT ", ord, ord);
	queue_param_ll(&p, &sql, (long long)limit + 1);
	strbuf_appendf(&sql, ") a ORDER BY a.created_at + make_interval(secs => g.secs) %s,"
	    " a.id %s LIMIT ", ord, ord);
	queue_param_ll(&p, &sql, (long long)limit + 1);
	res = db_query(db, sql.buf, p.n, p.v);
	queue_params_free(&p);
	strbuf_free(&sql);
	queue_ctx_free(&x);
	if (res == NULL)
		return -1;
	n = PQntuples(res);
	out->more = n > limit;
	if (n > limit)
		n = limit;
	out->rows = xcalloc((size_t)(n ? n : 1), sizeof *out->rows);
	out->n = n;
	for (i = 0; i < n; i++)
		queue_row_fill(&out->rows[dir == QD_BEFORE ? n - 1 - i : i], res, i, 2);
	PQclear(res);
	return 0;
}

long long
queue_sla_count(struct db *db, const struct queue_query *q, const struct queue_ctx *x0,
    const struct queue_row *cursor, long long cap)
{
	struct strbuf sql;
	struct queue_params p;
	struct queue_ctx x = *x0;
	PGresult *res;
	long long n;

	ctx_for_ranges(q, &x);
	strbuf_init(&sql);
	memset(&p, 0, sizeof p);
	strbuf_append(&sql, "SELECT count(*) AS n FROM (SELECT 1" CLOCKS "SELECT 1");
	/* Rows before the cursor in display order. */
	append_range(&sql, &p, q, &x, cursor, queue_display_desc(q) ? ">" : "<");
	strbuf_append(&sql, " LIMIT ");
	queue_param_ll(&p, &sql, cap);
	strbuf_append(&sql, ") a LIMIT ");
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
