/* channel.h: on-call channels: their configuration and their contracts.
 *
 * A channel is a [channel NAME] section of the settings file:
 *
 *   [channel oncall]
 *   type = pagerduty            # pagerduty, opsgenie, slack or webhook
 *   url = https://events.pagerduty.com/v2/enqueue
 *   secret = pd_routing_key     # the secret's NAME (secrets file or
 *                               # $VSOC_SECRET_PD_ROUTING_KEY), never a value
 *   severities = high+          # which incident severities page it
 *   ca_bundle = /etc/ssl/certs/ca-certificates.crt
 *   connect_timeout = 10s
 *   timeout = 30s
 *
 * A Slack webhook's URL is itself the secret: url_secret = NAME instead of
 * url.  Each type's contract (reference/backends-and-ocpp.md §3) lives in
 * its own channel_TYPE.c: the payload stored in the outbox (never holding
 * a secret) and the request built from it at delivery time. */
#ifndef VSOC_CHANNEL_H
#define VSOC_CHANNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <jansson.h>

struct secrets;
struct strbuf;

#define CHANNEL_NAME_MAX	32
#define CHANNEL_URL_MAX		2048
#define CHANNEL_MAX		32	/* channels in one file */

enum channel_type { CHANNEL_NONE, CHANNEL_PAGERDUTY, CHANNEL_OPSGENIE,
	CHANNEL_SLACK, CHANNEL_WEBHOOK };

enum page_action { PAGE_TRIGGER, PAGE_ACKNOWLEDGE, PAGE_RESOLVE, PAGE__COUNT };

/* The keys of a channel section, in `config show` order. */
enum channel_key { CK_TYPE, CK_URL, CK_URL_SECRET, CK_SECRET, CK_SEVERITIES,
	CK_CA_BUNDLE, CK_CONNECT_TIMEOUT, CK_TIMEOUT, CK__COUNT };

struct channel_conf {
	char		 name[CHANNEL_NAME_MAX + 1];
	enum channel_type type;
	char		*url;		/* NULL when url_secret names it */
	char		*url_secret;	/* a secret's name */
	char		*secret;	/* a secret's name: routing key, API key, token */
	unsigned	 severities;	/* bit (1 << severity), severity 1..5 */
	char		*ca_bundle;	/* NULL: the system's */
	long		 connect_timeout;	/* seconds */
	long		 timeout;		/* seconds */
	int		 header_line;
	int		 line[CK__COUNT];	/* 0: default */
};

struct channel_set {
	size_t			 n;
	struct channel_conf	*v;
};

/* What a page says about its incident. */
struct page_incident {
	long long	 id;
	const char	*title;
	const char	*status;
	int		 severity;	/* 1 info .. 5 critical */
	const char	*summary;
	long long	 alerts;
	time_t		 created_at;
};

/* A request ready to send, with the secret values it holds (for redaction
 * of anything kept about it). */
struct channel_send {
	char		*url;
	char		*body;
	char		*header;	/* one "Name: value" or NULL */
	const char	*secrets[4];	/* NULL-ended */
};

extern const char *const channel_key_names[CK__COUNT];

const char	*channel_type_name(enum channel_type t);
enum channel_type channel_type_parse(const char *s);
const char	*page_action_name(enum page_action a);
/* -1 when s is none of trigger, acknowledge, resolve. */
int		 page_action_parse(const char *s);

void	 channel_set_init(struct channel_set *s);
void	 channel_set_free(struct channel_set *s);
/* A channel by name, or NULL. */
const struct channel_conf *channel_find(const struct channel_set *s, const char *name);
/* Whether name is a valid channel name (letters, digits, _ and -). */
bool	 channel_name_ok(const char *name, size_t len);

/* The settings parser's hooks.  channel_section starts [channel NAME] at
 * line (an error in err, returning 1, for a duplicate or bad name);
 * channel_key sets a key of the current channel; channel_set_check checks
 * each channel is complete.  Messages are "FILE:LINE: ..." lines. */
int	 channel_section(struct channel_set *s, const char *file, int line,
	    const char *name, size_t len, struct strbuf *err);
int	 channel_key(struct channel_set *s, const char *file, int line,
	    const char *key, const char *value, struct strbuf *err, struct strbuf *warn);
int	 channel_set_check(const struct channel_set *s, const char *file,
	    struct strbuf *err);
/* The secrets a channel names that are not set: "FILE:LINE: ..." lines in
 * err; returns their number. */
int	 channel_check_secrets(const struct channel_conf *c, const struct secrets *sec,
	    const char *file, struct strbuf *err);
/* A key's value for `config show`: secret names as "NAME (set)" or
 * "NAME (not set)"; never a secret's value.  Empty for an unset key. */
void	 channel_show_value(const struct channel_conf *c, enum channel_key k,
	    const struct secrets *sec, struct strbuf *out);
/* "critical,high" from a severity mask. */
void	 channel_severities_text(unsigned mask, struct strbuf *out);
/* Whether a URL is one vsoc sends to: https, or http to the loopback
 * interface only (tests, a local relay). */
bool	 channel_url_ok(const char *url, const char **why);

/* The payload stored in the outbox for a page (no secret in it); NULL if
 * the type does not know the action. */
json_t	*channel_payload(enum channel_type t, const struct page_incident *inc,
	    enum page_action a);
/* The request for a stored payload, secrets filled in.  -1 with a message
 * (naming secrets, never showing them) when a secret is missing or bad. */
int	 channel_request(const struct channel_conf *c, const struct secrets *sec,
	    enum page_action a, json_t *payload, struct channel_send *out,
	    struct strbuf *err);
void	 channel_send_free(struct channel_send *s);
/* Whether a reply means the backend took the page: any 2xx; Slack's
 * webhook answers 200 with the body "ok". */
bool	 channel_accepted(enum channel_type t, long code, const char *body);

#endif
