/* http.c: libcurl with safe defaults (see http.h). */
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "http.h"

int
http_global_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

void
http_response_init(struct http_response *r)
{
	memset(r, 0, sizeof *r);
	r->retry_after = -1;
	strbuf_init(&r->body);
}

void
http_response_free(struct http_response *r)
{
	strbuf_free(&r->body);
}

static size_t
on_body(char *data, size_t size, size_t n, void *arg)
{
	struct http_response *r = arg;
	size_t len = size * n, room;

	room = r->body.len < HTTP_BODY_MAX ? HTTP_BODY_MAX - r->body.len : 0;
	strbuf_appendn(&r->body, data, len < room ? len : room);
	return len;	/* the rest is read and dropped, not an error */
}

/* libcurl calls this about once a second even while nothing moves. */
static int
on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
    curl_off_t ulnow)
{
	const atomic_bool *cancel = arg;

	return atomic_load(cancel) ? 1 : 0;
}

int
http_post(const struct http_request *req, struct http_response *r)
{
	struct curl_slist *hdrs = NULL, *h;
	char errbuf[CURL_ERROR_SIZE] = "";
	curl_off_t ra = -1;
	CURLcode rc;
	CURL *c;
	int i;

	if ((c = curl_easy_init()) == NULL) {
		r->transport_error = true;
		snprintf(r->error, sizeof r->error, "libcurl could not start");
		return -1;
	}
	for (i = 0; i < HTTP_HEADERS_MAX && req->headers[i] != NULL; i++) {
		if ((h = curl_slist_append(hdrs, req->headers[i])) == NULL)
			break;
		hdrs = h;
	}
	if ((h = curl_slist_append(hdrs, "Content-Type: application/json")) != NULL)
		hdrs = h;
	/* No "Expect: 100-continue" round trip before small bodies. */
	if ((h = curl_slist_append(hdrs, "Expect:")) != NULL)
		hdrs = h;
	curl_easy_setopt(c, CURLOPT_URL, req->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if (req->ca_bundle != NULL && *req->ca_bundle != '\0')
		curl_easy_setopt(c, CURLOPT_CAINFO, req->ca_bundle);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, req->connect_timeout_ms);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, req->timeout_ms);
	if (req->cancel != NULL) {
		curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
		curl_easy_setopt(c, CURLOPT_XFERINFODATA, (void *)req->cancel);
		curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	} else {
		curl_easy_setopt(c, CURLOPT_NOPROGRESS, 1L);
	}
	curl_easy_setopt(c, CURLOPT_USERAGENT, "vsoc/" PACKAGE_VERSION);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, req->body);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(req->body));
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK) {
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->code);
		if (curl_easy_getinfo(c, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK && ra >= 0 &&
		    (r->code == 429 || r->code == 503))
			r->retry_after = (long)(ra > 86400 ? 86400 : ra);
		else
			r->retry_after = -1;
	} else {
		r->transport_error = true;
		r->code = 0;
		r->cancelled = rc == CURLE_ABORTED_BY_CALLBACK;
		/* curl's text names the host, never the path or a header; the
		 * caller still redacts it with the channel's secrets. */
		snprintf(r->error, sizeof r->error, "%s", errbuf[0] ? errbuf :
		    curl_easy_strerror(rc));
	}
	curl_easy_cleanup(c);
	curl_slist_free_all(hdrs);
	return rc == CURLE_OK ? 0 : -1;
}

void
http_redact(struct strbuf *s, const char *const *secrets)
{
	struct strbuf out;
	const char *p, *hit, *best;
	size_t blen, n;
	int i;

	if (secrets == NULL)
		return;
	strbuf_init(&out);
	p = s->buf;
	for (;;) {
		/* The earliest, then longest, secret at or after p. */
		best = NULL;
		blen = 0;
		for (i = 0; secrets[i] != NULL; i++) {
			if (*secrets[i] == '\0' || (hit = strstr(p, secrets[i])) == NULL)
				continue;
			n = strlen(secrets[i]);
			if (best == NULL || hit < best || (hit == best && n > blen)) {
				best = hit;
				blen = n;
			}
		}
		if (best == NULL)
			break;
		strbuf_appendn(&out, p, (size_t)(best - p));
		strbuf_append(&out, "[redacted]");
		p = best + blen;
	}
	strbuf_append(&out, p);
	explicit_bzero(s->buf, s->len);
	strbuf_free(s);
	*s = out;
}
