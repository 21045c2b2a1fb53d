/* sla_report.c: the SLA report's two statements (sla_report.h).
 *
 * Each is one pass over the rows created in the window (the created_at
 * indexes of sql/007_sla.sql find them) grouped by severity, with the
 * targets joined from sla_targets.  Times compare in seconds (extract
 * epoch), as core/sla.c does, so a '3 days' target is 259,200 s whatever
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

/* $1: the window in seconds.  Each kind gives x(severity, created_at,
 * acked, acked_at, resolved_at). */
static const char *const kind_rows[SLA__KINDS] = {
	[SLA_ALERTS] =
	    "SELECT a.severity, a.created_at, a.status <> 'new' AS acked,"
	    " a.acknowledged_at AS acked_at,"
	    /* Suppressed alerts are dealt with too; suppressing sets no
	     * closed_at, so its last change stands for it. */
	    " CASE WHEN a.status IN ('closed', 'suppressed')"
	    "  THEN coalesce(a.closed_at, a.updated_at) END AS resolved_at"
	    " FROM alerts a"
	    " WHERE a.created_at >= now() - make_interval(secs => $1::float8)",
	[SLA_INCIDENTS] =
	    "SELECT i.severity, i.created_at,"
	    " (i.acknowledged_at IS NOT NULL OR i.status <> 'open'"
	    "  OR i.owner_id IS NOT NULL) AS acked,"
	    " i.acknowledged_at AS acked_at,"
	    " CASE WHEN i.status = 'closed' THEN coalesce(i.closed_at, i.updated_at) END"
	    "  AS resolved_at"
	    " FROM incidents i"
	    " WHERE i.created_at >= now() - make_interval(secs => $1::float8)",
};

#define REPORT_SELECT \
	"SELECT t.severity," \
	" coalesce(extract(epoch FROM t.time_to_ack), 0)::bigint AS ack_target," \
	" coalesce(extract(epoch FROM t.time_to_resolve), 0)::bigint AS resolve_target," \
	" count(x.severity) AS n," \
	" count(*) FILTER (WHERE x.acked) AS acknowledged," \
	" count(x.resolved_at) AS resolved," \
	" count(*) FILTER (WHERE t.time_to_ack IS NOT NULL AND CASE WHEN x.acked" \
	"  THEN extract(epoch FROM x.acked_at - x.created_at) > extract(epoch FROM t.time_to_ack)" \
	"  ELSE extract(epoch FROM coalesce(x.resolved_at, now()) - x.created_at)" \
	"   > extract(epoch FROM t.time_to_ack) END) AS ack_breaches," \
	" count(*) FILTER (WHERE t.time_to_resolve IS NOT NULL" \
	"  AND extract(epoch FROM coalesce(x.resolved_at, now()) - x.created_at)" \
	"   > extract(epoch FROM t.time_to_resolve)) AS resolve_breaches," \
	" percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM x.acked_at - x.created_at))" \
	"  AS mtta_p50," \
	" percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM x.acked_at - x.created_at))" \
	"  AS mtta_p90," \
	" percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM x.resolved_at - x.created_at))" \
	"  AS mttr_p50," \
	" percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM x.resolved_at - x.created_at))" \
	"  AS mttr_p90" \
	" FROM sla_targets t LEFT JOIN ("

#define REPORT_END \
	") x ON x.severity = t.severity GROUP BY t.severity, t.time_to_ack, t.time_to_resolve" \
	" ORDER BY t.severity DESC"

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
	for (k = 0; k < SLA__KINDS; k++) {
		/* Constant text only: the three fragments above. */
		snprintf(sql, sizeof sql, "%s%s%s", REPORT_SELECT, kind_rows[k], REPORT_END);
		if ((res = db_query(db, sql, 1, p)) == NULL)
			return -1;
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
			/* count(*) FILTER counts the LEFT JOIN's empty row. */
			l->acknowledged = l->count ? db_ll(res, i, "acknowledged") : 0;
			l->resolved = db_ll(res, i, "resolved");
			l->ack_breaches = l->count ? db_ll(res, i, "ack_breaches") : 0;
			l->resolve_breaches = l->count ? db_ll(res, i, "resolve_breaches") : 0;
			l->mtta_p50 = seconds_or_none(res, i, "mtta_p50");
			l->mtta_p90 = seconds_or_none(res, i, "mtta_p90");
			l->mttr_p50 = seconds_or_none(res, i, "mttr_p50");
			l->mttr_p90 = seconds_or_none(res, i, "mttr_p90");
		}
		PQclear(res);
	}
	return 0;
}
