/* channel_webhook.c: a generic JSON webhook, for anything else (a chat
 * relay, a ticketing bridge):
 *
 *   POST {url}  {"source": "vsoc", "event": "trigger|acknowledge|resolve",
 *                "dedup_key": "vsoc-incident-ID",
 *                "incident": {"id", "title", "severity", "status", "alerts",
 *                             "summary"}}
 *
 * With secret = NAME the token goes in "Authorization: Bearer TOKEN".
 * Any 2xx is delivered. */
#include <stdio.h>

#include "channel_int.h"
#include "format.h"
#include "model.h"
#include "strbuf.h"

static json_t *
webhook_payload(const struct page_incident *inc, enum page_action a)
{
	char key[64], ts[32];
	json_t *doc = json_object(), *i = json_object();

	channel_dedup_key(key, sizeof key, inc->id);
	json_object_set_new(doc, "source", json_string("vsoc"));
	json_object_set_new(doc, "event", json_string(page_action_name(a)));
	json_object_set_new(doc, "dedup_key", json_string(key));
	json_object_set_new(i, "id", json_integer(inc->id));
	json_object_set_new(i, "title", channel_text(inc->title, 4000));
	json_object_set_new(i, "severity", json_string(severity_name(inc->severity)));
	json_object_set_new(i, "status", channel_text(inc->status, 64));
	json_object_set_new(i, "alerts", json_integer(inc->alerts));
	if (inc->summary != NULL && *inc->summary != '\0')
		json_object_set_new(i, "summary", channel_text(inc->summary, 4000));
	format_iso(ts, sizeof ts, inc->created_at);
	if (ts[0] != '\0')
		json_object_set_new(i, "created_at", json_string(ts));
	json_object_set_new(doc, "incident", i);
	return doc;
}

static int
webhook_prepare(const char *url, const char *secret, enum page_action a,
    json_t *payload, struct channel_send *out, struct strbuf *err)
{
	struct strbuf sb;

	if (secret != NULL) {
		strbuf_init(&sb);
		strbuf_appendf(&sb, "Authorization: Bearer %s", secret);
		out->header = strbuf_detach(&sb);
	}
	out->url = xstrdup(url);
	out->body = channel_dump(payload);
	return 0;
}

const struct channel_ops channel_webhook_ops = {
	CHANNEL_WEBHOOK, "webhook", false, webhook_payload, webhook_prepare,
	channel_accepted_2xx
};
