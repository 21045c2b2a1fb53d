/* sla_report.c: the SLA report's two statements (sla_report.h).
 *
 * Each is, per severity, one pass over the rows created in the window
 * with that severity's targets from sla_targets.  Targets count in whole
 * seconds, as core/sla.c does, so a '3 days' target is 259,200 s whatever
 * the session's time zone does around a daylight-saving change.  The
 * rules are core/sla.c's: an ack breach is an acknowledgement later than
 * the target, or none yet and the target past (at the close for a row
 * closed unacknowledged); a resolve breach is a close later than the
 * target, or none yet and the target past.  Rows acknowledged before the
 * acknowledged_at column existed count as acknowledged, at no known time:
 * in no MTTA and no ack breach. */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "sla_report.h"

/* $1: the window in seconds.  Each kind gives, for the severity t of
 * the enclosing LATERAL, one row per alert or incident created in the
 * window (one range of the kind's (severity, created_at) index, read from
 * the index alone for alerts: sql/007_sla.sql) with, as intervals from its
 * creation: ack_d to its acknowledgement (NULL: none known), res_d to its
 * resolution (NULL: open), open_d to now; and acked.  OFFSET 0 keeps each
 * computed once per row (pulled up, every aggregate would recompute
 * them).  Intervals, not epochs: a timestamp difference costs a fraction
 * of a date_part, and is exact to the microsecond (measured at a million
 * alerts, the statement's CPU time fell by a third). */
#define KIND_WINDOW \
	" WHERE r.severity = t.severity" \
	" AND r.created_at >= now() - make_interval(secs => $1::float8) OFFSET 0"
static const char *const kind_rows[SLA__KINDS] = {
	[SLA_ALERTS] =
	    "SELECT r.status <> 'new' AS acked,"
	    " r.acknowledged_at - r.created_at AS ack_d, now() - r.created_at AS open_d,"
	    /* Suppressed alerts are dealt with too; suppressing sets no
	     * closed_at, so its last change stands for it. */
	    " CASE WHEN r.status IN ('closed', 'suppressed')"
	    "  THEN coalesce(r.closed_at, r.updated_at) - r.created_at END AS res_d"
	    " FROM alerts r" KIND_WINDOW,
	[SLA_INCIDENTS] =
	    "SELECT (r.acknowledged_at IS NOT NULL OR r.status <> 'open'"
	    "  OR r.owner_id IS NOT NULL) AS acked,"
	    " r.acknowledged_at - r.created_at AS ack_d, now() - r.created_at AS open_d,"
	    " CASE WHEN r.status = 'closed'"
	    "  THEN coalesce(r.closed_at, r.updated_at) - r.created_at END AS res_d"
	    " FROM incidents r" KIND_WINDOW,
};

/* One aggregate per severity over its rows (no GROUP BY, so no sort of
 * the window by severity).  The targets are intervals of whole seconds
 * (a '3 days' target is 259,200 s); a comparison with a NULL target (none)
 * counts no breach.  Each percentile pair is one sort, of float8 seconds
 * (sorting intervals, or extract's numeric, costs several times more). */
#define REPORT_SELECT \
	"SELECT t.severity, coalesce(t.ack_s, 0)::bigint AS ack_target," \
	" coalesce(t.res_s, 0)::bigint AS resolve_target," \
	" s.n, s.acknowledged, s.resolved, s.ack_breaches, s.resolve_breaches," \
	" s.mtta[1] AS mtta_p50, s.mtta[2] AS mtta_p90," \
	" s.mttr[1] AS mttr_p50, s.mttr[2] AS mttr_p90" \
	" FROM (SELECT severity, date_part('epoch', time_to_ack) AS ack_s," \
	"  date_part('epoch', time_to_resolve) AS res_s," \
	"  make_interval(secs => date_part('epoch', time_to_ack)) AS ack_iv," \
	"  make_interval(secs => date_part('epoch', time_to_resolve)) AS res_iv" \
	"  FROM sla_targets) t" \
	" CROSS JOIN LATERAL (SELECT count(*) AS n," \
	" count(*) FILTER (WHERE x.acked) AS acknowledged," \
	" count(x.res_d) AS resolved," \
	" count(*) FILTER (WHERE CASE WHEN x.acked THEN x.ack_d > t.ack_iv" \
	"  ELSE coalesce(x.res_d, x.open_d) > t.ack_iv END) AS ack_breaches," \
	" count(*) FILTER (WHERE coalesce(x.res_d, x.open_d) > t.res_iv) AS resolve_breaches," \
	" percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP" \
	"  (ORDER BY date_part('epoch', x.ack_d)) AS mtta," \
	" percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP" \
	"  (ORDER BY date_part('epoch', x.res_d)) AS mttr" \
	" FROM ("

#define REPORT_END	") x) s ORDER BY t.severity DESC"

const char *
sla_kind_name(enum sla_kind k)
{
	return k == SLA_ALERTS ? "alerts" : k == SLA_INCIDENTS ? "incidents" : "?";
}

static double
seconds_or_none(const PGresult *res, int row, const char *col)
{
	const char *v = db_value(res, row, col);
	double d;

	if (v == NULL || sscanf(v, "%lf", &d) != 1)
		return -1;
	return d;
}

int
sla_report_run(struct db *db, long long since_secs, struct sla_report *out)
{
	char since[32], sql[4096];
	const char *p[1] = { since };
	PGresult *res;
	int k, i, n;

	memset(out, 0, sizeof *out);
	out->since_secs = since_secs;
	for (k = 0; k < SLA__KINDS; k++)
		for (i = 0; i < SEV__COUNT - 1; i++)
			out->lines[k][i].severity = SEV_CRITICAL - i;
	snprintf(since, sizeof since, "%lld", since_secs);
	/* A report sorts its window's times (a million rows in a month of
	 * the demo fleet): in memory, not spilled at the default 4MB, and
	 * without compiling expressions that run once. */
	if (db_begin(db) < 0)
		return -1;
	if (db_command(db, "SET LOCAL work_mem = '64MB'", 0, NULL) < 0 ||
	    db_command(db, "SET LOCAL jit = off", 0, NULL) < 0) {
		db_rollback(db);
		return -1;
	}
	for (k = 0; k < SLA__KINDS; k++) {
		/* Constant text only: the three fragments above. */
		snprintf(sql, sizeof sql, "%s%s%s", REPORT_SELECT, kind_rows[k], REPORT_END);
		if ((res = db_query(db, sql, 1, p)) == NULL) {
			db_rollback(db);
			return -1;
		}
		n = PQntuples(res);
		for (i = 0; i < n; i++) {
			int sev = db_int(res, i, "severity");
			struct sla_line *l;

			if (sev < SEV_INFO || sev > SEV_CRITICAL)
				continue;
			l = &out->lines[k][SEV_CRITICAL - sev];
			l->ack_target = db_ll(res, i, "ack_target");
			l->resolve_target = db_ll(res, i, "resolve_target");
			l->count = db_ll(res, i, "n");
			l->acknowledged = db_ll(res, i, "acknowledged");
			l->resolved = db_ll(res, i, "resolved");
			l->ack_breaches = db_ll(res, i, "ack_breaches");
			l->resolve_breaches = db_ll(res, i, "resolve_breaches");
			l->mtta_p50 = seconds_or_none(res, i, "mtta_p50");
			l->mtta_p90 = seconds_or_none(res, i, "mtta_p90");
			l->mttr_p50 = seconds_or_none(res, i, "mttr_p50");
			l->mttr_p90 = seconds_or_none(res, i, "mttr_p90");
		}
		PQclear(res);
	}
	return db_commit(db) < 0 ? -1 : 0;
}
