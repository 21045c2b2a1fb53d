/* channel_opsgenie.c: Opsgenie Alert API (reference §3.2).
 *
 *   trigger      POST {url}                        {"message", "alias", ...}
 *   acknowledge  POST {url}/{alias}/acknowledge?identifierType=alias
 *   resolve      POST {url}/{alias}/close?identifierType=alias
 *
 * url is the alerts endpoint (https://api.opsgenie.com/v2/alerts, or the EU
 * one); the API key goes in "Authorization: GenieKey KEY" when sending.
 * The alias is the incident's dedup key. */
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "channel_int.h"
#include "model.h"
#include "strbuf.h"

static json_t *
og_payload(const struct page_incident *inc, enum page_action a)
{
	char key[64], prio[4], id[32];
	json_t *doc = json_object(), *details, *tags;
	struct strbuf sb;

	channel_dedup_key(key, sizeof key, inc->id);
	json_object_set_new(doc, "alias", json_string(key));
	json_object_set_new(doc, "source", json_string("vsoc"));
	if (a != PAGE_TRIGGER) {
		json_object_set_new(doc, "note", json_string(a == PAGE_ACKNOWLEDGE ?
		    "acknowledged in vsoc" : "resolved in vsoc"));
		return doc;
	}
	strbuf_init(&sb);
	strbuf_appendf(&sb, "vsoc #%lld: %s", inc->id, inc->title);
	json_object_set_new(doc, "message", channel_text(sb.buf, 130));
	strbuf_free(&sb);
	if (inc->summary != NULL && *inc->summary != '\0')
		json_object_set_new(doc, "description", channel_text(inc->summary, 15000));
	/* critical P1 .. info P5 */
	snprintf(prio, sizeof prio, "P%d", inc->severity >= 1 && inc->severity <= 5 ?
	    6 - inc->severity : 3);
	json_object_set_new(doc, "priority", json_string(prio));
	tags = json_array();
	json_array_append_new(tags, json_string("vsoc"));
	json_array_append_new(tags, json_string(severity_name(inc->severity)));
	json_object_set_new(doc, "tags", tags);
	details = json_object();
	snprintf(id, sizeof id, "%lld", inc->id);
	json_object_set_new(details, "incident", json_string(id));
	json_object_set_new(details, "status", channel_text(inc->status, 64));
	snprintf(id, sizeof id, "%lld", inc->alerts);
	json_object_set_new(details, "alerts", json_string(id));
	json_object_set_new(doc, "details", details);
	return doc;
}

static int
og_prepare(const char *url, const char *secret, enum page_action a, json_t *payload,
    struct channel_send *out, struct strbuf *err)
{
	const char *alias = json_string_value(json_object_get(payload, "alias"));
	struct strbuf sb;
	json_t *body;
	char *esc;

	strbuf_init(&sb);
	strbuf_appendf(&sb, "Authorization: GenieKey %s", secret);
	out->header = strbuf_detach(&sb);
	if (a == PAGE_TRIGGER) {
		out->url = xstrdup(url);
		out->body = channel_dump(payload);
		return 0;
	}
	if (alias == NULL) {
		strbuf_append(err, "the stored page has no alias");
		return -1;
	}
	/* The alias goes into the path: escaped, whatever it holds. */
	if ((esc = curl_easy_escape(NULL, alias, 0)) == NULL) {
		strbuf_append(err, "cannot escape the alias");
		return -1;
	}
	strbuf_init(&sb);
	strbuf_appendf(&sb, "%s%s%s/%s?identifierType=alias", url,
	    url[0] != '\0' && url[strlen(url) - 1] == '/' ? "" : "/", esc,
	    a == PAGE_ACKNOWLEDGE ? "acknowledge" : "close");
	curl_free(esc);
	out->url = strbuf_detach(&sb);
	body = json_deep_copy(payload);
	json_object_del(body, "alias");
	out->body = channel_dump(body);
	json_decref(body);
	return 0;
}

const struct channel_ops channel_opsgenie_ops = {
	CHANNEL_OPSGENIE, "opsgenie", true, og_payload, og_prepare, channel_accepted_2xx
};
