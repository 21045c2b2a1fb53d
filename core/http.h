/* http.h: one HTTP POST through libcurl, for the outbox's channels.
 *
 * TLS verification is always on (peer and host name); the CA bundle may be
 * chosen.  Only http and https, no redirects (a redirect could carry a
 * token elsewhere), connect and total timeouts always set, no signals.
 * Nothing here logs: the caller decides what of the outcome to keep, and
 * http_redact() removes secrets from any text before it is kept. */
#ifndef VSOC_HTTP_H
#define VSOC_HTTP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

#define HTTP_BODY_MAX	(64 * 1024)	/* more of a reply is not kept */
#define HTTP_HEADERS_MAX 4

struct http_request {
	const char	*url;
	const char	*body;		/* sent as application/json */
	const char	*headers[HTTP_HEADERS_MAX];	/* "Name: value", NULL-ended */
	const char	*ca_bundle;	/* NULL: the system's */
	long		 connect_timeout_ms;
	long		 timeout_ms;	/* the whole exchange */
	/* Optional: once set (by another thread), the exchange is abandoned
	 * within about a second, whatever the timeouts say, so a console
	 * that quits never waits for a backend that hangs. */
	const atomic_bool *cancel;
};

struct http_response {
	long		 code;		/* HTTP status, 0 when none was read */
	bool		 transport_error;	/* no complete reply */
	long		 retry_after;	/* seconds, -1 when absent */
	struct strbuf	 body;		/* up to HTTP_BODY_MAX bytes */
	char		 error[256];	/* transport error, one line */
	bool		 cancelled;	/* abandoned through req->cancel */
};

/* Once per process, before any thread: curl_global_init. */
int	 http_global_init(void);
void	 http_response_init(struct http_response *r);
void	 http_response_free(struct http_response *r);
/* POST req->body to req->url.  Returns 0 when a reply came (whatever its
 * status), -1 on a transport error (r->error says which). */
int	 http_post(const struct http_request *req, struct http_response *r);
/* Replace every occurrence of each secret (NULL-ended list; empty and
 * NULL entries skipped) in s with "[redacted]". */
void	 http_redact(struct strbuf *s, const char *const *secrets);

#endif
