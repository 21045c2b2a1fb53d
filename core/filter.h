/* filter.h: the queue's filter expression, shared by `:filter`, saved views
 * and the command line's flags.
 *
 *   sev>=high status=new,ack rule=R7 asset=CS-0042 assignee=me|none
 *   kind=station incident=12 age<2h last<30m  free words match title,
 *   asset or rule (case-insensitive substring), each on its own.  Quotes
 *   keep spaces in a value (asset="CS 12") and make a token with '=' a
 *   free word ("a=b").
 *
 * Operators: = : != >= <= > <.  Terms are ANDed.  At most FILTER_MAX_TERMS
 * terms (words included) of at most FILTER_TERM_MAX bytes each, valid
 * UTF-8; durations up to 100 years. */
#ifndef VSOC_FILTER_H
#define VSOC_FILTER_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf;

#define FILTER_MAX_TERMS	64
#define FILTER_TERM_MAX		1024	/* bytes of one term or word */

struct filter {
	unsigned	 status_mask;	/* 1u << enum alert_status; 0 = any */
	unsigned	 status_not;	/* statuses excluded with != */
	int		 sev_min;	/* 0 = unbounded */
	int		 sev_max;
	char		*rule;		/* exact rule id */
	char		*asset;		/* exact asset external id */
	char		*kind;		/* asset kind name */
	char		*assignee;	/* analyst name; "me" resolved by caller */
	bool		 unassigned;	/* assignee=none */
	long long	 incident_id;
	long		 first_within;	/* age<N: first_seen within N seconds */
	long		 last_within;	/* last<N: last_seen within N seconds */
	char		*text;		/* free words */
};

void	 filter_init(struct filter *f);
void	 filter_free(struct filter *f);
void	 filter_copy(struct filter *dst, const struct filter *src);
bool	 filter_empty(const struct filter *f);
/* Parse expr into f (initialised by the caller; terms add to it).  Returns
 * 0, or -1 with a message naming the bad term in err. */
int	 filter_parse(struct filter *f, const char *expr, char *err, size_t errlen);
/* The canonical text of f, parseable by filter_parse. */
void	 filter_format(const struct filter *f, struct strbuf *out);
/* Keys for completion, NULL-terminated. */
extern const char *const filter_keys[];

#endif
