/* channel_slack.c: a Slack incoming webhook (reference §3.3).
 *
 *   POST {webhook URL}  {"text": "..."}   ->  200 "ok"
 *
 * The URL is the secret (url_secret = NAME).  Slack reads &, < and > in
 * text as markup (<!channel> pings everyone, <http://x|y> hides a link),
 * and titles come from detections: they are escaped as Slack asks. */
#include <stdio.h>
#include <string.h>

#include "channel_int.h"
#include "model.h"
#include "strbuf.h"

static void
slack_escape(struct strbuf *out, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '&')
			strbuf_append(out, "&amp;");
		else if (*s == '<')
			strbuf_append(out, "&lt;");
		else if (*s == '>')
			strbuf_append(out, "&gt;");
		else
			strbuf_appendc(out, *s);
	}
}

static json_t *
slack_payload(const struct page_incident *inc, enum page_action a)
{
	static const char *const what[PAGE__COUNT] = { "", "acknowledged", "resolved" };
	json_t *doc = json_object(), *clean;
	struct strbuf sb;

	/* Controls out and length bounded first, then the markup escaped. */
	clean = channel_text(inc->title, 2000);
	strbuf_init(&sb);
	if (a == PAGE_TRIGGER)
		strbuf_appendf(&sb, "vsoc incident #%lld (%s): ", inc->id,
		    severity_name(inc->severity));
	else
		strbuf_appendf(&sb, "vsoc incident #%lld %s: ", inc->id, what[a]);
	slack_escape(&sb, json_string_value(clean));
	json_decref(clean);
	json_object_set_new(doc, "text", json_string(sb.buf));
	strbuf_free(&sb);
	return doc;
}

static int
slack_prepare(const char *url, const char *secret, enum page_action a, json_t *payload,
    struct channel_send *out, struct strbuf *err)
{
	out->url = xstrdup(url);
	out->body = channel_dump(payload);
	return 0;
}

static bool
slack_accepted(long code, const char *body)
{
	return code == 200 && body != NULL && strcmp(body, "ok") == 0;
}

const struct channel_ops channel_slack_ops = {
	CHANNEL_SLACK, "slack", false, slack_payload, slack_prepare, slack_accepted
};
