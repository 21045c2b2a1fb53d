/* check_outbox.c: the retry schedule (core/backoff.c), the channels'
 * payloads and requests (core/channel*.c), channel settings and secret
 * redaction (core/http.c).  No network, no database. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backoff.h"
#include "channel.h"
#include "http.h"
#include "outbox.h"
#include "secrets.h"
#include "settings.h"
#include "strbuf.h"

static const struct backoff_policy pol = { 30, 3600, 10 };

START_TEST(test_backoff_schedule)
{
	/* retry n: the un-jittered delay, doubling from 30 s up to the cap. */
	static const struct { int n; int full; } sched[] = {
		{ 1, 30 }, { 2, 60 }, { 3, 120 }, { 4, 240 }, { 5, 480 }, { 6, 960 },
		{ 7, 1920 }, { 8, 3600 }, { 9, 3600 }, { 40, 3600 }, { 100000, 3600 },
	};
	size_t i;
	uint32_t r;

	for (i = 0; i < sizeof sched / sizeof sched[0]; i++) {
		int full = sched[i].full, half = full / 2;

		/* Equal jitter: from full - half (rnd 0) to full (rnd half). */
		ck_assert_int_eq(backoff_delay(&pol, sched[i].n, 0), full - half);
		ck_assert_int_eq(backoff_delay(&pol, sched[i].n, (uint32_t)half), full);
		ck_assert_int_eq(backoff_delay(&pol, sched[i].n, (uint32_t)half + 1),
		    full - half);
		for (r = 1; r < 2000000000u; r = r * 7 + 13) {
			int d = backoff_delay(&pol, sched[i].n, r);

			ck_assert_int_ge(d, full - half);
			ck_assert_int_le(d, full);
		}
	}
}
END_TEST

START_TEST(test_backoff_small_base)
{
	struct backoff_policy p = { 1, 4, 5 };

	ck_assert_int_eq(backoff_delay(&p, 1, 0), 1);
	ck_assert_int_eq(backoff_delay(&p, 2, 0), 1);
	ck_assert_int_eq(backoff_delay(&p, 2, 1), 2);
	ck_assert_int_eq(backoff_delay(&p, 3, 2), 4);
	ck_assert_int_eq(backoff_delay(&p, 9, 2), 4);
	/* A zero base still waits: never a busy loop. */
	p.base = 0;
	ck_assert_int_ge(backoff_delay(&p, 1, 0), 1);
}
END_TEST

START_TEST(test_backoff_decide)
{
	static const struct {
		int attempt;
		long code;
		int transport;
		long retry_after;
		enum backoff_verdict v;
		int delay;	/* -1: the jittered backoff of that attempt */
	} cases[] = {
		{ 1, 202, 0, -1, BACKOFF_SENT, 0 },
		{ 1, 200, 0, -1, BACKOFF_SENT, 0 },
		{ 1, 204, 0, -1, BACKOFF_SENT, 0 },
		{ 1, 400, 0, -1, BACKOFF_FAILED, 0 },
		{ 1, 401, 0, -1, BACKOFF_FAILED, 0 },
		{ 1, 403, 0, -1, BACKOFF_FAILED, 0 },
		{ 1, 404, 0, -1, BACKOFF_FAILED, 0 },
		{ 1, 410, 0, -1, BACKOFF_FAILED, 0 },
		{ 1, 422, 0, -1, BACKOFF_FAILED, 0 },
		{ 1, 301, 0, -1, BACKOFF_FAILED, 0 },
		{ 1, 429, 0, 7, BACKOFF_RETRY, 7 },
		{ 1, 429, 0, 0, BACKOFF_RETRY, 0 },
		{ 3, 429, 0, 99999, BACKOFF_RETRY, BACKOFF_RETRY_AFTER_MAX },
		{ 2, 429, 0, -1, BACKOFF_RETRY, -1 },
		{ 1, 500, 0, -1, BACKOFF_RETRY, -1 },
		{ 4, 502, 0, -1, BACKOFF_RETRY, -1 },
		{ 1, 503, 0, 12, BACKOFF_RETRY, 12 },
		{ 1, 500, 0, 12, BACKOFF_RETRY, -1 },	/* Retry-After counts on 429/503 */
		{ 1, 0, 1, -1, BACKOFF_RETRY, -1 },	/* refused, dropped, timed out */
		{ 9, 0, 1, -1, BACKOFF_RETRY, -1 },
		{ 10, 0, 1, -1, BACKOFF_FAILED, 0 },	/* the last attempt */
		{ 10, 500, 0, -1, BACKOFF_FAILED, 0 },
		{ 10, 429, 0, 5, BACKOFF_FAILED, 0 },
		{ 10, 202, 0, -1, BACKOFF_SENT, 0 },
		{ 11, 400, 0, -1, BACKOFF_FAILED, 0 },
	};
	struct backoff_outcome o;
	struct backoff_decision d;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		o.code = cases[i].code;
		o.transport_error = cases[i].transport;
		o.retry_after = cases[i].retry_after;
		d = backoff_decide(&pol, cases[i].attempt, &o, 12345);
		ck_assert_msg(d.verdict == cases[i].v, "case %zu: verdict %d", i, d.verdict);
		if (cases[i].v == BACKOFF_RETRY)
			ck_assert_int_eq(d.delay, cases[i].delay >= 0 ? cases[i].delay :
			    backoff_delay(&pol, cases[i].attempt, 12345));
		ck_assert(d.why != NULL && *d.why != '\0');
	}
}
END_TEST

static const struct page_incident inc = {
	42, "Firmware <!channel> from \x1b[2Jevil.example & co", "open", 5,
	"two stations", 3, 1764633600
};

static json_t *
parse_body(const char *s)
{
	json_t *j = json_loads(s, 0, NULL);

	ck_assert_ptr_nonnull(j);
	return j;
}

static struct channel_conf
conf(enum channel_type t, const char *url, const char *url_secret, const char *secret)
{
	struct channel_conf c;

	memset(&c, 0, sizeof c);
	snprintf(c.name, sizeof c.name, "test");
	c.type = t;
	c.url = (char *)url;
	c.url_secret = (char *)url_secret;
	c.secret = (char *)secret;
	return c;
}

START_TEST(test_pagerduty)
{
	struct secrets sec;
	struct channel_conf c;
	struct channel_send s;
	struct strbuf err;
	json_t *p, *b;
	const char *summary;

	p = channel_payload(CHANNEL_PAGERDUTY, &inc, PAGE_TRIGGER);
	ck_assert_str_eq(json_string_value(json_object_get(p, "event_action")), "trigger");
	ck_assert_str_eq(json_string_value(json_object_get(p, "dedup_key")), "vsoc-incident-42");
	ck_assert_ptr_null(json_object_get(p, "routing_key"));	/* never stored */
	summary = json_string_value(json_object_get(json_object_get(p, "payload"), "summary"));
	ck_assert_ptr_nonnull(strstr(summary, "vsoc incident #42: Firmware"));
	ck_assert_ptr_null(strchr(summary, '\x1b'));
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(p, "payload"),
	    "severity")), "critical");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(p, "payload"),
	    "source")), "vsoc");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(p, "payload"),
	    "timestamp")), "2025-12-02T00:00:00Z");

	secrets_init(&sec);
	strbuf_init(&err);
	ck_assert_int_eq(secrets_parse(&sec, "s", "pd = 0123456789abcdef0123456789abcdef\n",
	    38, &err), 0);
	c = conf(CHANNEL_PAGERDUTY, "https://events.pagerduty.com/v2/enqueue", NULL, "pd");
	ck_assert_int_eq(channel_request(&c, &sec, PAGE_TRIGGER, p, &s, &err), 0);
	ck_assert_str_eq(s.url, "https://events.pagerduty.com/v2/enqueue");
	ck_assert_ptr_null(s.header);
	b = parse_body(s.body);
	ck_assert_str_eq(json_string_value(json_object_get(b, "routing_key")),
	    "0123456789abcdef0123456789abcdef");
	ck_assert_str_eq(s.secrets[0], "0123456789abcdef0123456789abcdef");
	ck_assert_ptr_null(json_object_get(p, "routing_key"));	/* the copy only */
	json_decref(b);
	channel_send_free(&s);
	json_decref(p);

	/* Follow-ups: the same dedup key, nothing else. */
	p = channel_payload(CHANNEL_PAGERDUTY, &inc, PAGE_RESOLVE);
	ck_assert_str_eq(json_string_value(json_object_get(p, "event_action")), "resolve");
	ck_assert_str_eq(json_string_value(json_object_get(p, "dedup_key")), "vsoc-incident-42");
	ck_assert_ptr_null(json_object_get(p, "payload"));
	json_decref(p);

	/* Severity mapping. */
	{
		static const char *const want[] = { "", "info", "info", "warning", "error",
			"critical" };
		struct page_incident i2 = inc;
		int sev;

		for (sev = 1; sev <= 5; sev++) {
			i2.severity = sev;
			p = channel_payload(CHANNEL_PAGERDUTY, &i2, PAGE_TRIGGER);
			ck_assert_str_eq(json_string_value(json_object_get(json_object_get(p,
			    "payload"), "severity")), want[sev]);
			json_decref(p);
		}
	}

	/* No secret: refused, named, never shown. */
	c.secret = (char *)"missing";
	strbuf_reset(&err);
	p = channel_payload(CHANNEL_PAGERDUTY, &inc, PAGE_TRIGGER);
	ck_assert_int_eq(channel_request(&c, &sec, PAGE_TRIGGER, p, &s, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.buf, "'missing' is not set"));
	json_decref(p);
	ck_assert(channel_accepted(CHANNEL_PAGERDUTY, 202, ""));
	ck_assert(!channel_accepted(CHANNEL_PAGERDUTY, 400, ""));
	secrets_free(&sec);
	strbuf_free(&err);
}
END_TEST

START_TEST(test_opsgenie)
{
	struct secrets sec;
	struct channel_conf c;
	struct channel_send s;
	struct strbuf err;
	struct page_incident i2 = inc;
	char longt[400];
	json_t *p, *b;

	memset(longt, 'x', sizeof longt - 1);
	longt[sizeof longt - 1] = '\0';
	memcpy(longt + 120, "\xc3\xa9\xc3\xa9\xc3\xa9", 6);	/* é across the cut */
	i2.title = longt;
	i2.severity = 4;
	p = channel_payload(CHANNEL_OPSGENIE, &i2, PAGE_TRIGGER);
	ck_assert_uint_le(strlen(json_string_value(json_object_get(p, "message"))), 130);
	ck_assert_str_eq(json_string_value(json_object_get(p, "priority")), "P2");
	ck_assert_str_eq(json_string_value(json_object_get(p, "alias")), "vsoc-incident-42");
	ck_assert(json_is_string(json_object_get(json_object_get(p, "details"), "incident")));

	secrets_init(&sec);
	strbuf_init(&err);
	ck_assert_int_eq(secrets_parse(&sec, "s", "og = genie-123\n", 15, &err), 0);
	c = conf(CHANNEL_OPSGENIE, "https://api.opsgenie.com/v2/alerts", NULL, "og");
	ck_assert_int_eq(channel_request(&c, &sec, PAGE_TRIGGER, p, &s, &err), 0);
	ck_assert_str_eq(s.url, "https://api.opsgenie.com/v2/alerts");
	ck_assert_str_eq(s.header, "Authorization: GenieKey genie-123");
	b = parse_body(s.body);
	ck_assert_str_eq(json_string_value(json_object_get(b, "alias")), "vsoc-incident-42");
	json_decref(b);
	channel_send_free(&s);
	json_decref(p);

	p = channel_payload(CHANNEL_OPSGENIE, &inc, PAGE_ACKNOWLEDGE);
	ck_assert_int_eq(channel_request(&c, &sec, PAGE_ACKNOWLEDGE, p, &s, &err), 0);
	ck_assert_str_eq(s.url, "https://api.opsgenie.com/v2/alerts/vsoc-incident-42/"
	    "acknowledge?identifierType=alias");
	b = parse_body(s.body);
	ck_assert_ptr_null(json_object_get(b, "alias"));
	ck_assert_str_eq(json_string_value(json_object_get(b, "source")), "vsoc");
	json_decref(b);
	channel_send_free(&s);
	json_decref(p);
	p = channel_payload(CHANNEL_OPSGENIE, &inc, PAGE_RESOLVE);
	ck_assert_int_eq(channel_request(&c, &sec, PAGE_RESOLVE, p, &s, &err), 0);
	ck_assert_ptr_nonnull(strstr(s.url, "/vsoc-incident-42/close?identifierType=alias"));
	channel_send_free(&s);
	json_decref(p);
	secrets_free(&sec);
	strbuf_free(&err);
}
END_TEST

START_TEST(test_slack_webhook)
{
	struct secrets sec;
	struct channel_conf c;
	struct channel_send s;
	struct strbuf err;
	const char *text;
	json_t *p, *b;

	p = channel_payload(CHANNEL_SLACK, &inc, PAGE_TRIGGER);
	text = json_string_value(json_object_get(p, "text"));
	/* No mention of everyone, no hidden link, no escape sequence. */
	ck_assert_ptr_null(strstr(text, "<!channel>"));
	ck_assert_ptr_nonnull(strstr(text, "&lt;!channel&gt;"));
	ck_assert_ptr_nonnull(strstr(text, "&amp; co"));
	ck_assert_ptr_null(strchr(text, '\x1b'));
	ck_assert_ptr_nonnull(strstr(text, "#42 (critical)"));

	secrets_init(&sec);
	strbuf_init(&err);
	{
		const char *t = "hook = https://hooks.slack.com/services/T0/B0/SeCrEt\n"
		    "tok = abc\n";

		ck_assert_int_eq(secrets_parse(&sec, "s", t, strlen(t), &err), 0);
	}
	c = conf(CHANNEL_SLACK, NULL, "hook", NULL);
	ck_assert_int_eq(channel_request(&c, &sec, PAGE_TRIGGER, p, &s, &err), 0);
	ck_assert_str_eq(s.url, "https://hooks.slack.com/services/T0/B0/SeCrEt");
	ck_assert_str_eq(s.secrets[0], "https://hooks.slack.com/services/T0/B0/SeCrEt");
	ck_assert_ptr_null(s.header);
	channel_send_free(&s);
	json_decref(p);
	ck_assert(channel_accepted(CHANNEL_SLACK, 200, "ok"));
	ck_assert(!channel_accepted(CHANNEL_SLACK, 200, "invalid_payload"));
	ck_assert(!channel_accepted(CHANNEL_SLACK, 204, ""));

	p = channel_payload(CHANNEL_WEBHOOK, &inc, PAGE_ACKNOWLEDGE);
	ck_assert_str_eq(json_string_value(json_object_get(p, "event")), "acknowledge");
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(p, "incident"),
	    "id")), 42);
	c = conf(CHANNEL_WEBHOOK, "https://relay.example/hook", NULL, "tok");
	ck_assert_int_eq(channel_request(&c, &sec, PAGE_ACKNOWLEDGE, p, &s, &err), 0);
	ck_assert_str_eq(s.header, "Authorization: Bearer abc");
	b = parse_body(s.body);
	ck_assert(json_equal(b, p));
	json_decref(b);
	channel_send_free(&s);
	c.secret = NULL;
	ck_assert_int_eq(channel_request(&c, &sec, PAGE_ACKNOWLEDGE, p, &s, &err), 0);
	ck_assert_ptr_null(s.header);
	channel_send_free(&s);
	json_decref(p);
	secrets_free(&sec);
	strbuf_free(&err);
}
END_TEST

START_TEST(test_env_secret)
{
	struct secrets sec;
	const char *from = NULL;
	char env[80];

	secrets_init(&sec);
	secrets_env_name("pd.key-1", env, sizeof env);
	ck_assert_str_eq(env, "VSOC_SECRET_PD_KEY_1");
	ck_assert_ptr_null(secrets_lookup(&sec, "pd.key-1", &from));
	setenv("VSOC_SECRET_PD_KEY_1", "from-env", 1);
	ck_assert_str_eq(secrets_lookup(&sec, "pd.key-1", &from), "from-env");
	ck_assert_str_eq(from, "env");
	unsetenv("VSOC_SECRET_PD_KEY_1");
	secrets_free(&sec);
}
END_TEST

static int
parse(struct settings *c, const char *text, struct strbuf *err, struct strbuf *warn)
{
	strbuf_reset(err);
	strbuf_reset(warn);
	return settings_parse(c, "cfg", text, strlen(text), err, warn);
}

START_TEST(test_channel_settings)
{
	static const struct { const char *text, *msg; } bad[] = {
		{ "[channel a]\nurl = https://x/\nsecret = k\n", "cfg:1: channel a needs a type" },
		{ "[channel a]\ntype = pagerdoody\n", "cfg:2: type takes pagerduty" },
		{ "[channel a]\ntype = slack\nurl = https://hooks.slack.com/x\n",
		  "cfg:3: channel a: a Slack webhook's URL is a secret" },
		{ "[channel a]\ntype = webhook\nurl = http://example.com/\n",
		  "cfg:3: url takes an https:// URL" },
		{ "[channel a]\ntype = webhook\n", "cfg:1: channel a needs url or url_secret" },
		{ "[channel a]\ntype = pagerduty\nurl = https://x/\n",
		  "cfg:1: channel a needs secret = NAME" },
		{ "[channel a]\ntype = webhook\nurl = https://x/\nseverities = urgent\n",
		  "cfg:4: severities takes" },
		{ "[channel a]\ntype = webhook\nurl = https://x/\ntimeout = 1h\n",
		  "cfg:4: timeout takes a duration from 1s to 5m" },
		{ "[channel a]\ntype = webhook\nurl = https://x/\n[channel a]\n",
		  "cfg:4: channel a is defined twice" },
		{ "[channel bad name!]\n", "cfg:1: a channel's name" },
		{ "[channel a]\ntype = webhook\nurl = https://x/\nsecret = abc def ghi\n",
		  "cfg:4: secret takes a secret's name" },
		{ "[outbox]\nmax_attempts = 0\n", "cfg:2: max_attempts takes a number from 1 to 100" },
		{ "[channel a]\ntype = webhook\nurl = https://x/\nconnect_timeout = 10s\n"
		  "timeout = 5s\n", "cfg:4: channel a: connect_timeout is longer than timeout" },
	};
	struct settings c;
	struct strbuf err, warn, o;
	size_t i;

	strbuf_init(&err);
	strbuf_init(&warn);
	strbuf_init(&o);
	settings_init(&c);
	ck_assert_int_eq(parse(&c, "[outbox]\nmax_attempts = 007\nbackoff = 5s\n"
	    "[channel oncall]\ntype = PagerDuty\nurl = https://events.pagerduty.com/v2/enqueue\n"
	    "secret = pd_key\nseverities = high+\ntimeout = 20s\nconnect_timeout = 3s\n"
	    "colour = red\n"
	    "[ channel  chat ]\ntype = slack\nurl_secret = slack_url\nseverities = all\n"
	    "[channel local]\ntype = webhook\nurl = http://127.0.0.1:8080/x\n"
	    "severities = medium, low\n", &err, &warn), 0);
	ck_assert_str_eq(err.buf, "");
	ck_assert_ptr_nonnull(strstr(warn.buf, "cfg:11: unknown key 'colour' in [channel oncall]"));
	ck_assert_int_eq(settings_get_count(&c, "outbox", "max_attempts"), 7);
	ck_assert_int_eq(settings_get_duration(&c, "outbox", "backoff"), 5);
	ck_assert_uint_eq(c.channels.n, 3);
	ck_assert_int_eq(c.channels.v[0].type, CHANNEL_PAGERDUTY);
	ck_assert_int_eq(c.channels.v[0].timeout, 20);
	ck_assert_int_eq(c.channels.v[0].connect_timeout, 3);
	ck_assert_int_eq(c.channels.v[0].line[CK_SECRET], 7);
	channel_severities_text(c.channels.v[0].severities, &o);
	ck_assert_str_eq(o.buf, "critical,high");
	strbuf_reset(&o);
	channel_severities_text(c.channels.v[1].severities, &o);
	ck_assert_str_eq(o.buf, "critical,high,medium,low,info");
	strbuf_reset(&o);
	channel_severities_text(c.channels.v[2].severities, &o);
	ck_assert_str_eq(o.buf, "medium,low");
	ck_assert_str_eq(channel_find(&c.channels, "chat")->url_secret, "slack_url");
	ck_assert_ptr_null(channel_find(&c.channels, "nope"));
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_msg(parse(&c, bad[i].text, &err, &warn) > 0, "case %zu", i);
		ck_assert_msg(strstr(err.buf, bad[i].msg) != NULL, "case %zu: %s", i, err.buf);
		/* All or nothing: the good file's channels stay. */
		ck_assert_uint_eq(c.channels.n, 3);
	}
	/* A short timeout shortens the default connect timeout with it. */
	{
		struct settings c2;

		settings_init(&c2);
		ck_assert_int_eq(parse(&c2, "[channel a]\ntype = webhook\nurl = https://x/\n"
		    "timeout = 4s\n", &err, &warn), 0);
		ck_assert_int_eq(c2.channels.v[0].connect_timeout, 4);
		ck_assert_int_eq(c2.channels.v[0].timeout, 4);
		settings_free(&c2);
	}
	/* A value where a secret's name goes is never quoted back. */
	parse(&c, "[channel a]\ntype = webhook\nurl = https://x/\nsecret = s3cr3t!value\n",
	    &err, &warn);
	ck_assert_ptr_null(strstr(err.buf, "s3cr3t"));
	settings_free(&c);
	strbuf_free(&err);
	strbuf_free(&warn);
	strbuf_free(&o);
}
END_TEST

START_TEST(test_redact)
{
	const char *secrets[] = { "abc", "abcdef", "", "zz", NULL };
	struct strbuf s;

	strbuf_init(&s);
	strbuf_append(&s, "key abcdef and abc, zzz, none");
	http_redact(&s, secrets);
	ck_assert_str_eq(s.buf, "key [redacted] and [redacted], [redacted]z, none");
	http_redact(&s, NULL);
	ck_assert_str_eq(s.buf, "key [redacted] and [redacted], [redacted]z, none");
	strbuf_free(&s);
}
END_TEST

START_TEST(test_url_ok)
{
	const char *why;

	ck_assert(channel_url_ok("https://events.pagerduty.com/v2/enqueue", &why));
	ck_assert(channel_url_ok("http://127.0.0.1:4000/x", &why));
	ck_assert(channel_url_ok("http://localhost/x", &why));
	ck_assert(channel_url_ok("http://[::1]:80/", &why));
	ck_assert(!channel_url_ok("http://127.0.0.1.evil.example/x", &why));
	ck_assert(!channel_url_ok("http://localhost.evil.example/", &why));
	ck_assert(!channel_url_ok("ftp://x/", &why));
	ck_assert(!channel_url_ok("https://", &why));
	ck_assert(!channel_url_ok("https://x/a b", &why));
	ck_assert(!channel_url_ok("https://x/\r\nHost: y", &why));
}
END_TEST

/* The state line of the incident view and `incident show`. */
START_TEST(test_state_text)
{
	static const struct {
		const char *status;
		long long attempts;
		const char *next, *sent, *msg, *want;
	} cases[] = {
		{ "pending", 0, "2026-12-02T10:00:00Z", NULL, NULL, "pending" },
		{ "sent", 1, NULL, "2026-12-02T10:00:01Z", NULL, "sent at 2026-12-02T10:00:01Z" },
		/* A message kept from an earlier attempt is not the sent one's. */
		{ "sent", 2, NULL, "2026-12-02T10:00:09Z", "HTTP 500", "sent at 2026-12-02T10:00:09Z" },
		{ "retrying", 1, "2026-12-02T10:00:30Z", NULL, "HTTP 500, server error: x",
		  "retrying (attempt 1 failed), next at 2026-12-02T10:00:30Z: HTTP 500, server error: x" },
		{ "retrying", 3, NULL, NULL, "", "retrying (attempt 3 failed), next at -" },
		{ "failed", 1, NULL, NULL, "HTTP 400, refused: not retried: bad",
		  "failed after 1 attempt: HTTP 400, refused: not retried: bad" },
		{ "failed", 10, NULL, NULL, NULL, "failed after 10 attempts" },
	};
	struct strbuf sb;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		strbuf_init(&sb);
		outbox_state_text(cases[i].status, cases[i].attempts, cases[i].next,
		    cases[i].sent, cases[i].msg, &sb);
		ck_assert_str_eq(sb.buf, cases[i].want);
		strbuf_free(&sb);
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("outbox");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_backoff_schedule);
	tcase_add_test(tc, test_backoff_small_base);
	tcase_add_test(tc, test_backoff_decide);
	tcase_add_test(tc, test_pagerduty);
	tcase_add_test(tc, test_opsgenie);
	tcase_add_test(tc, test_slack_webhook);
	tcase_add_test(tc, test_env_secret);
	tcase_add_test(tc, test_channel_settings);
	tcase_add_test(tc, test_redact);
	tcase_add_test(tc, test_url_ok);
	tcase_add_test(tc, test_state_text);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
