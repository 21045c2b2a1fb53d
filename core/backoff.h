/* backoff.h: what to do after a delivery attempt, and when to try again.
 *
 * Pure: no clock, no randomness of its own (the caller passes a random
 * number), so the schedule is unit-tested exactly.
 *
 *   2xx                         sent
 *   429 (and 503)               retry, after Retry-After if the backend gave
 *                               one (capped at an hour), else the backoff
 *   5xx, connection errors,
 *   timeouts, dropped replies   retry after the backoff
 *   any other status            failed at once (the request itself is wrong:
 *                               sending it again cannot help)
 *
 * The backoff is bounded exponential with "equal jitter": the n-th retry
 * waits between half and all of min(base * 2^(n-1), cap), so deliverers
 * that failed together do not come back together.  After max_attempts
 * attempts a retryable failure is final too. */
#ifndef VSOC_BACKOFF_H
#define VSOC_BACKOFF_H

#include <stdint.h>

#define BACKOFF_RETRY_AFTER_MAX	3600	/* a longer Retry-After is capped */

struct backoff_policy {
	int	base;		/* seconds before the first retry (>= 1) */
	int	cap;		/* the longest backoff, seconds */
	int	max_attempts;	/* attempts in all, the first included (>= 1) */
};

enum backoff_verdict { BACKOFF_SENT, BACKOFF_RETRY, BACKOFF_FAILED };

/* What one attempt ended with. */
struct backoff_outcome {
	long	code;		/* HTTP status, 0 when no reply was read */
	int	transport_error;/* connection refused, timeout, dropped... */
	long	retry_after;	/* seconds from the reply, -1 for none */
};

struct backoff_decision {
	enum backoff_verdict verdict;
	int	delay;		/* BACKOFF_RETRY: seconds until the next attempt */
	const char *why;	/* a short static reason for the record */
};

/* The defaults a configuration starts from: 30 s, 1 h, 10 attempts. */
void	 backoff_policy_default(struct backoff_policy *p);
/* attempt is the number of the attempt that just ended (1 = the first);
 * rnd is any 32-bit random number. */
struct backoff_decision backoff_decide(const struct backoff_policy *p,
	    int attempt, const struct backoff_outcome *o, uint32_t rnd);
/* The jittered delay before retry number n (1 = after the first attempt). */
int	 backoff_delay(const struct backoff_policy *p, int n, uint32_t rnd);

#endif
