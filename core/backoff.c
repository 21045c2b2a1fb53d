/* backoff.c: the retry schedule of the outbox (see backoff.h). */
#include "backoff.h"

void
backoff_policy_default(struct backoff_policy *p)
{
	p->base = 30;
	p->cap = 3600;
	p->max_attempts = 10;
}

int
backoff_delay(const struct backoff_policy *p, int n, uint32_t rnd)
{
	long long d = p->base > 0 ? p->base : 1;
	long long cap = p->cap >= d ? p->cap : d;
	long long half;

	/* Doubling stops at the cap, so no shift ever overflows. */
	while (--n > 0 && d < cap)
		d *= 2;
	if (d > cap)
		d = cap;
	half = d / 2;
	return (int)(d - half + (long long)(rnd % (uint32_t)(half + 1)));
}

struct backoff_decision
backoff_decide(const struct backoff_policy *p, int attempt,
    const struct backoff_outcome *o, uint32_t rnd)
{
	struct backoff_decision d = { BACKOFF_FAILED, 0, "" };
	long ra;

	if (!o->transport_error && o->code >= 200 && o->code < 300) {
		d.verdict = BACKOFF_SENT;
		d.why = "accepted";
		return d;
	}
	if (o->transport_error)
		d.why = "no reply";
	else if (o->code == 429)
		d.why = "rate limited";
	else if (o->code >= 500 && o->code < 600)
		d.why = "server error";
	else {
		d.why = "refused: not retried";
		return d;
	}
	if (attempt >= p->max_attempts) {
		d.why = "gave up after the last attempt";
		return d;
	}
	d.verdict = BACKOFF_RETRY;
	d.delay = backoff_delay(p, attempt, rnd);
	/* The backend said when: that is when (bounded, so a hostile or
	 * broken header cannot park a page for days). */
	if (!o->transport_error && (o->code == 429 || o->code == 503) &&
	    o->retry_after >= 0) {
		ra = o->retry_after > BACKOFF_RETRY_AFTER_MAX ?
		    BACKOFF_RETRY_AFTER_MAX : o->retry_after;
		d.delay = (int)ra;
	}
	return d;
}
