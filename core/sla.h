/* sla.h: SLA timers of alerts and incidents, pure C (no database).
 *
 * A clock starts when the row is created.  Until the row is acknowledged
 * it runs to the severity's time to acknowledge (the time to resolve when
 * there is no ack target); once acknowledged, to the time to resolve;
 * closing stops it.  The targets are data (sla_targets, sql/005 and
 * sql/007); callers read them with the row.  Tested table-driven in
 * tests/unit/check_sla.c. */
#ifndef VSOC_SLA_H
#define VSOC_SLA_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* Due within this many seconds: "due soon" (and in the breaching views). */
#define SLA_DUE_SOON_SECS	3600

/* A severity's targets in seconds; 0 means no target. */
struct sla_target {
	long long	 ack_secs;
	long long	 resolve_secs;
};

/* A row's times.  acked: it was acknowledged (left 'new' or 'open', got an
 * owner), acked_at 0 when that time is unknown (rows acknowledged before
 * the column existed); closed: it is closed, at closed_at. */
struct sla_clock {
	time_t		 created;
	bool		 acked;
	time_t		 acked_at;
	bool		 closed;
	time_t		 closed_at;
};

enum sla_state {
	SLA_NONE,	/* no target applies */
	SLA_RUNNING,	/* time left, more than SLA_DUE_SOON_SECS */
	SLA_DUE_SOON,	/* time left, at most SLA_DUE_SOON_SECS */
	SLA_BREACHED,	/* open and past its deadline */
	SLA_MET,	/* closed within its targets */
	SLA_MISSED	/* closed, a target missed on the way */
};

enum sla_phase {
	SLA_PHASE_ACK,		/* running to the ack target */
	SLA_PHASE_RESOLVE,	/* running to the resolve target */
	SLA_PHASE_DONE		/* closed */
};

struct sla_status {
	enum sla_state	 state;
	enum sla_phase	 phase;
	time_t		 deadline;	/* of the running clock; 0 when none */
	long long	 left;		/* deadline - now; negative: overdue */
	bool		 ack_breached;	/* acknowledged late (or not yet, past it) */
	bool		 resolve_breached;	/* resolved late (or not yet, past it) */
};

void		 sla_evaluate(const struct sla_target *t, const struct sla_clock *c,
		    time_t now, struct sla_status *out);
/* At most SLA_CELL_MAX characters for a narrow column: "12m", "3h05",
 * "23h", "5d", "99d+" left; "-25m", "-3h05", "-13h", "-2d" overdue; "met",
 * "miss" once closed; "-" without a target. */
#define SLA_CELL_MAX	5
void		 sla_cell(char *buf, size_t len, const struct sla_status *s);
/* "none", "running", "due", "breached", "met", "missed". */
const char	*sla_state_name(enum sla_state s);
/* The state stands out on screen (breached or missed). */
bool		 sla_state_alarm(enum sla_state s);

/* A duration for reports: "4m12s", "3h05m", "2d04h"; "-" when negative. */
void		 sla_duration(char *buf, size_t len, double secs);

#endif
