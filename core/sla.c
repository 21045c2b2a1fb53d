/* sla.c: the SLA clock of one row and its short text (sla.h). */
#include <stdio.h>
#include <string.h>

#include "queue.h"
#include "sla.h"

/* The deadline of the ack phase: the resolve target stands in when only
 * it is set (sla_targets allows either to be NULL). */
static long long
ack_target(const struct sla_target *t)
{
	return t->ack_secs > 0 ? t->ack_secs : t->resolve_secs;
}

void
sla_evaluate(const struct sla_target *t, const struct sla_clock *c, time_t now,
    struct sla_status *out)
{
	long long ack = ack_target(t), res = t->resolve_secs, target;

	memset(out, 0, sizeof *out);
	/* Late acknowledgement: known when it happened, or still pending past
	 * the ack deadline.  Unknown times (acked_at 0) are no breach. */
	if (t->ack_secs > 0) {
		if (c->acked && c->acked_at != 0)
			out->ack_breached = c->acked_at > c->created + t->ack_secs;
		else if (!c->acked)
			out->ack_breached = (c->closed ? c->closed_at : now) >
			    c->created + t->ack_secs;
	}
	/* Late resolution: closed after the resolve deadline, or open past it. */
	if (res > 0)
		out->resolve_breached = (c->closed ? c->closed_at : now) > c->created + res;
	if (c->closed) {
		out->phase = SLA_PHASE_DONE;
		if (ack <= 0 && res <= 0) {
			out->state = SLA_NONE;
			return;
		}
		out->state = out->ack_breached || out->resolve_breached ? SLA_MISSED : SLA_MET;
		return;
	}
	out->phase = c->acked ? SLA_PHASE_RESOLVE : SLA_PHASE_ACK;
	target = c->acked ? res : ack;
	if (target <= 0) {
		out->state = SLA_NONE;
		return;
	}
	out->deadline = c->created + (time_t)target;
	out->left = (long long)(out->deadline - now);
	if (out->left < 0) {
		out->state = SLA_BREACHED;
	} else {
		out->state = out->left <= SLA_DUE_SOON_SECS ? SLA_DUE_SOON : SLA_RUNNING;
	}
}

void
sla_cell(char *buf, size_t len, const struct sla_status *s)
{
	long long a;
	const char *sign;

	switch (s->state) {
	case SLA_NONE:
		snprintf(buf, len, "-");
		return;
	case SLA_MET:
		snprintf(buf, len, "met");
		return;
	case SLA_MISSED:
		snprintf(buf, len, "miss");
		return;
	case SLA_RUNNING:
	case SLA_DUE_SOON:
	case SLA_BREACHED:
		break;
	}
	a = s->left < 0 ? -s->left : s->left;
	sign = s->left < 0 ? "-" : "";
	/* Time left rounds down (never promise more than there is); time
	 * overdue rounds up (30 s late is "-1m", not "-0m"). */
	if (a < 3600) {
		long long m = s->left < 0 ? (a + 59) / 60 : a / 60;

		if (m < 60) {
			snprintf(buf, len, "%s%lldm", sign, m);
			return;
		}
	}
	if (a < 10 * 3600) {
		snprintf(buf, len, "%s%lldh%02lld", sign, a / 3600, a % 3600 / 60);
		return;
	}
	if (a < 48 * 3600) {
		snprintf(buf, len, "%s%lldh", sign, a / 3600);
		return;
	}
	if (a < 100LL * 86400) {
		snprintf(buf, len, "%s%lldd", sign, a / 86400);
		return;
	}
	snprintf(buf, len, "%s99d+", sign);
}

const char *
sla_state_name(enum sla_state s)
{
	static const char *const names[] = {
		"none", "running", "due", "breached", "met", "missed"
	};

	return s >= SLA_NONE && s <= SLA_MISSED ? names[s] : "?";
}

bool
sla_state_alarm(enum sla_state s)
{
	return s == SLA_BREACHED || s == SLA_MISSED;
}

void
sla_duration(char *buf, size_t len, double secs)
{
	long long s;

	if (!(secs >= 0)) {
		snprintf(buf, len, "-");
		return;
	}
	s = (long long)(secs + 0.5);
	if (s < 3600)
		snprintf(buf, len, "%lldm%02llds", s / 60, s % 60);
	else if (s < 86400)
		snprintf(buf, len, "%lldh%02lldm", s / 3600, s % 3600 / 60);
	else
		snprintf(buf, len, "%lldd%02lldh", s / 86400, s % 86400 / 3600);
}

/* Here, not in core/queue_sla.c: drawing a row (tui/layout.c) needs no
 * database code. */
void
queue_row_sla(const struct queue_row *r, time_t now, struct sla_status *out)
{
	struct sla_target t = { r->sla_ack, r->sla_resolve };
	struct sla_clock c;

	memset(&c, 0, sizeof c);
	c.created = r->created_at;
	c.acked = r->status != ST_NEW;
	c.acked_at = r->acked_at;
	c.closed = r->resolved_at != 0;
	c.closed_at = r->resolved_at;
	sla_evaluate(&t, &c, now, out);
}
