/* sla_report.h: the SLA report (`vsoc sla report`): per severity, for
 * alerts and for incidents created in a window, how many were
 * acknowledged and resolved, how many missed a target, and the median and
 * 90th percentile times to acknowledge (MTTA) and to resolve (MTTR). */
#ifndef VSOC_SLA_REPORT_H
#define VSOC_SLA_REPORT_H

#include <stdbool.h>

#include "model.h"

struct db;

enum sla_kind { SLA_ALERTS, SLA_INCIDENTS, SLA__KINDS };

struct sla_line {
	int		 severity;	/* 1..5 */
	long long	 ack_target, resolve_target;	/* seconds; 0 none */
	long long	 count;		/* created in the window */
	long long	 acknowledged;	/* left 'new' / 'open' or got an owner */
	long long	 resolved;	/* closed */
	long long	 ack_breaches;	/* acknowledged late, or not yet and past it */
	long long	 resolve_breaches;	/* closed late, or open and past it */
	/* Seconds; negative when no row had the time. */
	double		 mtta_p50, mtta_p90, mttr_p50, mttr_p90;
};

struct sla_report {
	long long	 since_secs;
	/* Highest severity first, every severity 5..1 (zero counts too). */
	struct sla_line	 lines[SLA__KINDS][SEV__COUNT - 1];
};

const char	*sla_kind_name(enum sla_kind k);
/* Rows created in the last since_secs seconds.  0, or -1 (db->errmsg). */
int		 sla_report_run(struct db *db, long long since_secs, struct sla_report *out);

#endif
