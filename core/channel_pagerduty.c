/* channel_pagerduty.c: PagerDuty Events API v2 (reference §3.1).
 *
 *   POST .../v2/enqueue  {"routing_key", "event_action", "dedup_key",
 *                         "payload": {"summary", "source", "severity", ...}}
 *
 * The incident is the dedup key, so acknowledge and resolve reach the
 * alert the trigger opened, and a trigger sent twice (a deliverer that
 * died after sending) is one alert.  The routing key travels in the body:
 * it is added only when sending, never stored. */
#include <stdio.h>
#include <string.h>

#include "channel_int.h"
#include "format.h"
#include "model.h"
#include "strbuf.h"

/* PagerDuty knows critical, error, warning and info. */
static const char *
pd_severity(int sev)
{
	switch (sev) {
	case SEV_CRITICAL:
		return "critical";
	case SEV_HIGH:
		return "error";
	case SEV_MEDIUM:
		return "warning";
	default:
		return "info";
	}
}

static json_t *
pd_payload(const struct page_incident *inc, enum page_action a)
{
	char key[64], ts[32];
	json_t *doc = json_object(), *p, *details;
	struct strbuf sb;

	channel_dedup_key(key, sizeof key, inc->id);
	json_object_set_new(doc, "event_action", json_string(page_action_name(a)));
	json_object_set_new(doc, "dedup_key", json_string(key));
	if (a != PAGE_TRIGGER)
		return doc;
	p = json_object();
	strbuf_init(&sb);
	strbuf_appendf(&sb, "vsoc incident #%lld: %s", inc->id, inc->title);
	json_object_set_new(p, "summary", channel_text(sb.buf, 1024));
	strbuf_free(&sb);
	json_object_set_new(p, "source", json_string("vsoc"));
	json_object_set_new(p, "severity", json_string(pd_severity(inc->severity)));
	format_iso(ts, sizeof ts, inc->created_at);
	if (ts[0] != '\0')
		json_object_set_new(p, "timestamp", json_string(ts));
	json_object_set_new(p, "component", json_string("vsoc"));
	json_object_set_new(p, "class", json_string("incident"));
	details = json_object();
	json_object_set_new(details, "incident", json_integer(inc->id));
	json_object_set_new(details, "status", channel_text(inc->status, 64));
	json_object_set_new(details, "severity", json_string(severity_name(inc->severity)));
	json_object_set_new(details, "alerts", json_integer(inc->alerts));
	if (inc->summary != NULL && *inc->summary != '\0')
		json_object_set_new(details, "summary", channel_text(inc->summary, 4000));
	json_object_set_new(p, "custom_details", details);
	json_object_set_new(doc, "payload", p);
	json_object_set_new(doc, "client", json_string("vsoc"));
	return doc;
}

static int
pd_prepare(const char *url, const char *secret, enum page_action a, json_t *payload,
    struct channel_send *out, struct strbuf *err)
{
	json_t *body = json_deep_copy(payload);

	json_object_set_new(body, "routing_key", json_string(secret));
	out->url = xstrdup(url);
	out->body = channel_dump(body);
	json_decref(body);
	return 0;
}

const struct channel_ops channel_pagerduty_ops = {
	CHANNEL_PAGERDUTY, "pagerduty", true, pd_payload, pd_prepare, channel_accepted_2xx
};
