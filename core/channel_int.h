/* channel_int.h: what each channel_TYPE.c provides to channel.c. */
#ifndef VSOC_CHANNEL_INT_H
#define VSOC_CHANNEL_INT_H

#include "channel.h"

struct channel_ops {
	enum channel_type type;
	const char	*name;
	bool		 needs_secret;	/* a routing key or API key */
	json_t		*(*payload)(const struct page_incident *, enum page_action);
	/* Fill out->body (and header, url if it differs from the base url);
	 * secret is the value of the channel's secret or NULL. */
	int		(*prepare)(const char *url, const char *secret, enum page_action,
			    json_t *payload, struct channel_send *out, struct strbuf *err);
	bool		(*accepted)(long code, const char *body);
};

extern const struct channel_ops channel_pagerduty_ops;
extern const struct channel_ops channel_opsgenie_ops;
extern const struct channel_ops channel_slack_ops;
extern const struct channel_ops channel_webhook_ops;

/* The dedup key every channel uses for an incident: "vsoc-incident-ID". */
void	 channel_dedup_key(char *buf, size_t len, long long incident);
/* Untrusted text (titles come from detections) for a backend: controls
 * become spaces, cut at max bytes on a character boundary with "...". */
json_t	*channel_text(const char *s, size_t max);
/* Any 2xx. */
bool	 channel_accepted_2xx(long code, const char *body);
/* json_dumps of a payload, compact; aborts on exhaustion. */
char	*channel_dump(json_t *j);

#endif
