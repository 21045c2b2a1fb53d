/* channel.c: channel configuration and the dispatch to each contract. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "channel_int.h"
#include "format.h"
#include "model.h"
#include "sanitize.h"
#include "secrets.h"
#include "strbuf.h"

#define TIMEOUT_MAX	300	/* seconds: a deliverer must not hang longer */
#define PATH_MAX_LEN	4096

const char *const channel_key_names[CK__COUNT] = {
	"type", "url", "url_secret", "secret", "severities", "ca_bundle",
	"connect_timeout", "timeout"
};

static const struct channel_ops *const all_ops[] = {
	&channel_pagerduty_ops, &channel_opsgenie_ops, &channel_slack_ops,
	&channel_webhook_ops
};

static const struct channel_ops *
ops_of(enum channel_type t)
{
	size_t i;

	for (i = 0; i < sizeof all_ops / sizeof all_ops[0]; i++)
		if (all_ops[i]->type == t)
			return all_ops[i];
	return NULL;
}

const char *
channel_type_name(enum channel_type t)
{
	const struct channel_ops *o = ops_of(t);

	return o != NULL ? o->name : "none";
}

enum channel_type
channel_type_parse(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof all_ops / sizeof all_ops[0]; i++)
		if (strcasecmp(s, all_ops[i]->name) == 0)
			return all_ops[i]->type;
	return CHANNEL_NONE;
}

static const char *const action_names[PAGE__COUNT] = {
	"trigger", "acknowledge", "resolve"
};

const char *
page_action_name(enum page_action a)
{
	return a < PAGE__COUNT ? action_names[a] : "unknown";
}

int
page_action_parse(const char *s)
{
	int i;

	for (i = 0; i < PAGE__COUNT; i++)
		if (strcmp(s, action_names[i]) == 0)
			return i;
	return -1;
}

void
channel_set_init(struct channel_set *s)
{
	memset(s, 0, sizeof *s);
}

void
channel_set_free(struct channel_set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->v[i].url);
		free(s->v[i].url_secret);
		free(s->v[i].secret);
		free(s->v[i].ca_bundle);
	}
	free(s->v);
	memset(s, 0, sizeof *s);
}

const struct channel_conf *
channel_find(const struct channel_set *s, const char *name)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i].name, name) == 0)
			return &s->v[i];
	return NULL;
}

static bool
word_ok(const char *s, size_t n, size_t max, bool dots)
{
	size_t i;

	if (n == 0 || n > max)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-' ||
		    (dots && s[i] == '.')))
			return false;
	return true;
}

bool
channel_name_ok(const char *name, size_t len)
{
	return word_ok(name, len, CHANNEL_NAME_MAX, false);
}

static void
quote(struct strbuf *out, const char *s)
{
	size_t n = strlen(s);

	strbuf_appendc(out, '\'');
	sanitize(out, s, n > 80 ? 80 : n, 0);
	if (n > 80)
		strbuf_append(out, "...");
	strbuf_appendc(out, '\'');
}

bool
channel_url_ok(const char *url, const char **why)
{
	static const char *const loopback[] = {
		"http://127.0.0.1:", "http://127.0.0.1/", "http://localhost:",
		"http://localhost/", "http://[::1]:", "http://[::1]/"
	};
	size_t i, n = strlen(url);

	for (i = 0; i < n; i++)
		if ((unsigned char)url[i] <= 0x20 || url[i] == 0x7f) {
			*why = "a URL without blanks or control characters";
			return false;
		}
	if (n > CHANNEL_URL_MAX) {
		*why = "a URL of at most 2048 bytes";
		return false;
	}
	if (strncasecmp(url, "https://", 8) == 0 && n > 8)
		return true;
	for (i = 0; i < sizeof loopback / sizeof loopback[0]; i++)
		if (strncasecmp(url, loopback[i], strlen(loopback[i])) == 0)
			return true;
	*why = "an https:// URL (plain http only to 127.0.0.1, localhost or [::1])";
	return false;
}

static int
parse_severities(const char *v, unsigned *mask)
{
	char buf[128], *tok, *save = NULL;
	size_t n;
	int sev, s;

	if (strlen(v) >= sizeof buf)
		return -1;
	snprintf(buf, sizeof buf, "%s", v);
	*mask = 0;
	for (tok = strtok_r(buf, ", ", &save); tok != NULL; tok = strtok_r(NULL, ", ", &save)) {
		if (strcasecmp(tok, "all") == 0) {
			*mask |= 0x3e;
			continue;
		}
		n = strlen(tok);
		if (n > 1 && tok[n - 1] == '+') {
			tok[n - 1] = '\0';
			if ((sev = severity_parse(tok)) <= SEV_NONE)
				return -1;
			for (s = sev; s <= SEV_CRITICAL; s++)
				*mask |= 1u << s;
			continue;
		}
		if ((sev = severity_parse(tok)) <= SEV_NONE)
			return -1;
		*mask |= 1u << sev;
	}
	return *mask != 0 ? 0 : -1;
}

void
channel_severities_text(unsigned mask, struct strbuf *out)
{
	int s;
	bool first = true;

	for (s = SEV_CRITICAL; s >= SEV_INFO; s--)
		if (mask & (1u << s)) {
			strbuf_appendf(out, "%s%s", first ? "" : ",", severity_name(s));
			first = false;
		}
}

int
channel_section(struct channel_set *s, const char *file, int line, const char *name,
    size_t len, struct strbuf *err)
{
	struct channel_conf *c;
	size_t i;

	if (!channel_name_ok(name, len)) {
		strbuf_appendf(err, "%s:%d: a channel's name is 1 to %d letters, digits,"
		    " '_' or '-'\n", file, line, CHANNEL_NAME_MAX);
		return 1;
	}
	for (i = 0; i < s->n; i++)
		if (strlen(s->v[i].name) == len && memcmp(s->v[i].name, name, len) == 0) {
			strbuf_appendf(err, "%s:%d: channel %.*s is defined twice (first"
			    " at line %d)\n", file, line, (int)len, name, s->v[i].header_line);
			return 1;
		}
	if (s->n >= CHANNEL_MAX) {
		strbuf_appendf(err, "%s:%d: more than %d channels\n", file, line, CHANNEL_MAX);
		return 1;
	}
	s->v = xrealloc(s->v, (s->n + 1) * sizeof *s->v);
	c = &s->v[s->n++];
	memset(c, 0, sizeof *c);
	memcpy(c->name, name, len);
	c->severities = (1u << SEV_CRITICAL) | (1u << SEV_HIGH);
	c->connect_timeout = 10;
	c->timeout = 30;
	c->header_line = line;
	return 0;
}

static void
set_str(char **slot, const char *v)
{
	free(*slot);
	*slot = xstrdup(v);
}

int
channel_key(struct channel_set *s, const char *file, int line, const char *key,
    const char *value, struct strbuf *err, struct strbuf *warn)
{
	struct channel_conf *c;
	const char *why = NULL;
	long secs;
	int k;

	if (s->n == 0)
		return 0;	/* under a bad header: already reported */
	c = &s->v[s->n - 1];
	for (k = 0; k < CK__COUNT; k++)
		if (strcmp(key, channel_key_names[k]) == 0)
			break;
	if (k == CK__COUNT) {
		strbuf_appendf(warn, "%s:%d: unknown key '%s' in [channel %s] (ignored)\n",
		    file, line, key, c->name);
		return 0;
	}
	switch ((enum channel_key)k) {
	case CK_TYPE:
		if ((c->type = channel_type_parse(value)) == CHANNEL_NONE)
			why = "pagerduty, opsgenie, slack or webhook";
		break;
	case CK_URL:
		if (channel_url_ok(value, &why))
			set_str(&c->url, value);
		break;
	case CK_URL_SECRET:
	case CK_SECRET:
		if (!word_ok(value, strlen(value), SECRETS_NAME_MAX, true))
			why = "a secret's name (letters, digits, '.', '_', '-'), not its value";
		else
			set_str(k == CK_SECRET ? &c->secret : &c->url_secret, value);
		break;
	case CK_SEVERITIES:
		if (parse_severities(value, &c->severities) < 0)
			why = "severities such as 'critical,high', 'high+' or 'all'";
		break;
	case CK_CA_BUNDLE:
		if (*value == '\0' || strlen(value) > PATH_MAX_LEN)
			why = "a file name";
		else
			set_str(&c->ca_bundle, value);
		break;
	case CK_CONNECT_TIMEOUT:
	case CK_TIMEOUT:
		secs = format_parse_duration(value);
		if (secs < 1 || secs > TIMEOUT_MAX)
			why = "a duration from 1s to 5m";
		else if (k == CK_TIMEOUT) {
			c->timeout = secs;
			/* The default connect timeout never outlasts the whole. */
			if (c->line[CK_CONNECT_TIMEOUT] == 0 && c->connect_timeout > secs)
				c->connect_timeout = secs;
		} else
			c->connect_timeout = secs;
		break;
	case CK__COUNT:
		break;
	}
	if (why != NULL) {
		strbuf_appendf(err, "%s:%d: %s takes %s, not ", file, line, key, why);
		/* A value given where a secret's name goes may be the secret. */
		if (k == CK_SECRET || k == CK_URL_SECRET)
			strbuf_append(err, "the value given (not shown)");
		else
			quote(err, value);
		strbuf_appendc(err, '\n');
		return 1;
	}
	c->line[k] = line;
	return 0;
}

int
channel_set_check(const struct channel_set *s, const char *file, struct strbuf *err)
{
	const struct channel_conf *c;
	const struct channel_ops *o;
	size_t i;
	int errors = 0;

	for (i = 0; i < s->n; i++) {
		c = &s->v[i];
		if ((o = ops_of(c->type)) == NULL) {
			strbuf_appendf(err, "%s:%d: channel %s needs a type (pagerduty,"
			    " opsgenie, slack or webhook)\n", file, c->header_line, c->name);
			errors++;
			continue;
		}
		if (c->type == CHANNEL_SLACK && c->url != NULL) {
			strbuf_appendf(err, "%s:%d: channel %s: a Slack webhook's URL is a"
			    " secret: put it in the secrets file and name it with"
			    " url_secret\n", file, c->line[CK_URL], c->name);
			errors++;
		} else if ((c->url == NULL) == (c->url_secret == NULL)) {
			strbuf_appendf(err, "%s:%d: channel %s needs url or url_secret"
			    " (one of them)\n", file, c->header_line, c->name);
			errors++;
		}
		if (o->needs_secret && c->secret == NULL) {
			strbuf_appendf(err, "%s:%d: channel %s needs secret = NAME (the %s)\n",
			    file, c->header_line, c->name, c->type == CHANNEL_PAGERDUTY ?
			    "routing key's name" : "API key's name");
			errors++;
		}
		if (c->connect_timeout > c->timeout) {
			strbuf_appendf(err, "%s:%d: channel %s: connect_timeout is longer"
			    " than timeout\n", file, c->line[CK_CONNECT_TIMEOUT] ?
			    c->line[CK_CONNECT_TIMEOUT] : c->header_line, c->name);
			errors++;
		}
	}
	return errors;
}

int
channel_check_secrets(const struct channel_conf *c, const struct secrets *sec,
    const char *file, struct strbuf *err)
{
	const char *names[2] = { c->url_secret, c->secret }, *v, *why;
	int lines[2] = { c->line[CK_URL_SECRET], c->line[CK_SECRET] };
	char env[SECRETS_NAME_MAX + 16];
	int i, n = 0;

	for (i = 0; i < 2; i++) {
		if (names[i] == NULL)
			continue;
		if ((v = secrets_lookup(sec, names[i], NULL)) == NULL) {
			secrets_env_name(names[i], env, sizeof env);
			strbuf_appendf(err, "%s:%d: channel %s: secret '%s' is not set"
			    " (the secrets file or $%s)\n", file, lines[i], c->name,
			    names[i], env);
			n++;
		} else if (i == 0 && !channel_url_ok(v, &why)) {
			strbuf_appendf(err, "%s:%d: channel %s: secret '%s' must hold %s\n",
			    file, lines[i], c->name, names[i], why);
			n++;
		}
	}
	return n;
}

void
channel_show_value(const struct channel_conf *c, enum channel_key k,
    const struct secrets *sec, struct strbuf *out)
{
	const char *name = NULL, *from = NULL;

	switch (k) {
	case CK_TYPE:
		strbuf_append(out, channel_type_name(c->type));
		return;
	case CK_URL:
		if (c->url != NULL)
			strbuf_append(out, c->url);
		return;
	case CK_URL_SECRET:
		name = c->url_secret;
		break;
	case CK_SECRET:
		name = c->secret;
		break;
	case CK_SEVERITIES:
		channel_severities_text(c->severities, out);
		return;
	case CK_CA_BUNDLE:
		strbuf_append(out, c->ca_bundle ? c->ca_bundle : "(system)");
		return;
	case CK_CONNECT_TIMEOUT:
		strbuf_appendf(out, "%lds", c->connect_timeout);
		return;
	case CK_TIMEOUT:
		strbuf_appendf(out, "%lds", c->timeout);
		return;
	case CK__COUNT:
		return;
	}
	if (name == NULL)
		return;
	/* The name and whether it is set: never the value. */
	if (secrets_lookup(sec, name, &from) != NULL)
		strbuf_appendf(out, "%s (set, %s)", name, from);
	else
		strbuf_appendf(out, "%s (not set)", name);
}

void
channel_dedup_key(char *buf, size_t len, long long incident)
{
	snprintf(buf, len, "vsoc-incident-%lld", incident);
}

json_t *
channel_text(const char *s, size_t max)
{
	struct strbuf sb;
	size_t i, n, cut;
	json_t *j;

	if (s == NULL)
		s = "";
	n = strlen(s);
	strbuf_init(&sb);
	cut = n;
	if (n > max) {
		/* Room for "...", then back to a character boundary. */
		cut = max > 3 ? max - 3 : 0;
		while (cut > 0 && ((unsigned char)s[cut] & 0xc0) == 0x80)
			cut--;
	}
	for (i = 0; i < cut; i++) {
		unsigned char ch = (unsigned char)s[i];

		/* C0 and DEL; C1 controls are U+0080..U+009F: 0xC2 0x80..0x9F. */
		if (ch < 0x20 || ch == 0x7f)
			strbuf_appendc(&sb, ' ');
		else if (ch == 0xc2 && i + 1 < cut && (unsigned char)s[i + 1] >= 0x80 &&
		    (unsigned char)s[i + 1] <= 0x9f) {
			strbuf_appendc(&sb, ' ');
			i++;
		} else
			strbuf_appendc(&sb, (char)ch);
	}
	if (cut < n)
		strbuf_append(&sb, "...");
	/* The database holds valid UTF-8; anything else is replaced whole. */
	if ((j = json_string(sb.buf)) == NULL)
		j = json_string("(not UTF-8)");
	strbuf_free(&sb);
	return j;
}

bool
channel_accepted_2xx(long code, const char *body)
{
	return code >= 200 && code < 300;
}

char *
channel_dump(json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT);

	if (s == NULL)
		abort();
	return s;
}

json_t *
channel_payload(enum channel_type t, const struct page_incident *inc, enum page_action a)
{
	const struct channel_ops *o = ops_of(t);

	return o != NULL && a < PAGE__COUNT ? o->payload(inc, a) : NULL;
}

int
channel_request(const struct channel_conf *c, const struct secrets *sec,
    enum page_action a, json_t *payload, struct channel_send *out, struct strbuf *err)
{
	const struct channel_ops *o = ops_of(c->type);
	const char *url = c->url, *secret = NULL, *why;
	int n = 0;

	memset(out, 0, sizeof *out);
	if (o == NULL) {
		strbuf_appendf(err, "channel %s has no type", c->name);
		return -1;
	}
	if (c->url_secret != NULL) {
		if ((url = secrets_lookup(sec, c->url_secret, NULL)) == NULL) {
			strbuf_appendf(err, "channel %s: secret '%s' (its URL) is not set",
			    c->name, c->url_secret);
			return -1;
		}
		if (!channel_url_ok(url, &why)) {
			strbuf_appendf(err, "channel %s: secret '%s' must hold %s", c->name,
			    c->url_secret, why);
			return -1;
		}
		out->secrets[n++] = url;
	}
	if (url == NULL) {
		strbuf_appendf(err, "channel %s has no URL", c->name);
		return -1;
	}
	if (c->secret != NULL) {
		if ((secret = secrets_lookup(sec, c->secret, NULL)) == NULL) {
			strbuf_appendf(err, "channel %s: secret '%s' is not set", c->name,
			    c->secret);
			return -1;
		}
		/* A value breaking a header line would smuggle headers in. */
		if (strpbrk(secret, "\r\n") != NULL) {
			strbuf_appendf(err, "channel %s: secret '%s' holds a line break",
			    c->name, c->secret);
			return -1;
		}
		out->secrets[n++] = secret;
	}
	if (o->needs_secret && secret == NULL) {
		strbuf_appendf(err, "channel %s needs a secret", c->name);
		return -1;
	}
	if (o->prepare(url, secret, a, payload, out, err) < 0) {
		channel_send_free(out);
		return -1;
	}
	return 0;
}

void
channel_send_free(struct channel_send *s)
{
	if (s->body != NULL)
		explicit_bzero(s->body, strlen(s->body));
	if (s->header != NULL)
		explicit_bzero(s->header, strlen(s->header));
	free(s->url);
	free(s->body);
	free(s->header);
	memset(s, 0, sizeof *s);
}

bool
channel_accepted(enum channel_type t, long code, const char *body)
{
	const struct channel_ops *o = ops_of(t);

	return o != NULL && o->accepted(code, body);
}
