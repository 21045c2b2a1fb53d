/* filter.c: parse and print the queue's filter expressions. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "filter.h"
#include "format.h"
#include "model.h"
#include "sanitize.h"
#include "strbuf.h"

const char *const filter_keys[] = {
	"severity", "status", "rule", "asset", "kind", "assignee", "incident",
	"age", "last", "text", NULL
};

enum filter_op { OP_EQ, OP_NE, OP_GE, OP_LE, OP_GT, OP_LT };

void
filter_init(struct filter *f)
{
	memset(f, 0, sizeof *f);
}

void
filter_free(struct filter *f)
{
	free(f->rule);
	free(f->asset);
	free(f->kind);
	free(f->assignee);
	free(f->text);
	filter_init(f);
}

void
filter_copy(struct filter *dst, const struct filter *src)
{
	*dst = *src;
	dst->rule = xstrdup_null(src->rule);
	dst->asset = xstrdup_null(src->asset);
	dst->kind = xstrdup_null(src->kind);
	dst->assignee = xstrdup_null(src->assignee);
	dst->text = xstrdup_null(src->text);
}

bool
filter_empty(const struct filter *f)
{
	return f->status_mask == 0 && f->status_not == 0 && f->sev_min == 0 &&
	    f->sev_max == 0 && f->rule == NULL && f->asset == NULL &&
	    f->kind == NULL && f->assignee == NULL && !f->unassigned &&
	    f->incident_id == 0 && f->first_within == 0 && f->last_within == 0 &&
	    (f->text == NULL || *f->text == '\0');
}

static void
set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = xstrdup(v);
}

/* Split off one token: a word or a "quoted string" (\" and \\ escape). */
static const char *
next_token(const char *p, struct strbuf *tok, bool *quoted)
{
	while (isspace((unsigned char)*p))
		p++;
	strbuf_reset(tok);
	*quoted = false;
	if (*p == '\0')
		return NULL;
	while (*p != '\0' && !isspace((unsigned char)*p)) {
		if (*p == '"') {
			/* A quote opening the token makes it a free word even
			 * when it holds '='; key="value" stays a term. */
			if (tok->len == 0)
				*quoted = true;
			for (p++; *p != '\0' && *p != '"'; p++) {
				if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
					p++;
				strbuf_appendc(tok, *p);
			}
			if (*p == '"')
				p++;
		} else {
			strbuf_appendc(tok, *p++);
		}
	}
	return p;
}

/* Find key and operator in "key>=value"; returns the value or NULL when the
 * token has no operator (a free word). */
static const char *
split_term(const char *tok, char *key, size_t keylen, enum filter_op *op)
{
	static const struct { const char *s; enum filter_op op; } ops[] = {
		{ ">=", OP_GE }, { "<=", OP_LE }, { "!=", OP_NE },
		{ "=", OP_EQ }, { ":", OP_EQ }, { ">", OP_GT }, { "<", OP_LT },
	};
	size_t i, n = strcspn(tok, "=:<>!");

	if (tok[n] == '\0' || n == 0 || n >= keylen)
		return NULL;
	for (i = 0; i < n; i++)
		if (!isalpha((unsigned char)tok[i]) && tok[i] != '_')
			return NULL;
	for (i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		size_t l = strlen(ops[i].s);
		if (strncmp(tok + n, ops[i].s, l) == 0) {
			memcpy(key, tok, n);
			key[n] = '\0';
			*op = ops[i].op;
			return tok + n + l;
		}
	}
	return NULL;
}

/* Resolve a key or a unique prefix / alias of one. */
static const char *
canonical_key(const char *k)
{
	static const struct { const char *alias, *key; } aliases[] = {
		{ "sev", "severity" }, { "st", "status" }, { "owner", "assignee" },
		{ "who", "assignee" }, { "inc", "incident" }, { "type", "kind" },
	};
	size_t i, len = strlen(k);
	const char *found = NULL;

	for (i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
		if (strcasecmp(k, aliases[i].alias) == 0)
			return aliases[i].key;
	for (i = 0; filter_keys[i] != NULL; i++) {
		if (strcasecmp(k, filter_keys[i]) == 0)
			return filter_keys[i];
		if (strncasecmp(k, filter_keys[i], len) == 0) {
			if (found != NULL)
				return NULL;
			found = filter_keys[i];
		}
	}
	return found;
}

static int
parse_severity(struct filter *f, enum filter_op op, const char *v, char *err,
    size_t errlen)
{
	int s = severity_parse(v), lo = f->sev_min, hi = f->sev_max;

	if (s == SEV_NONE) {
		snprintf(err, errlen, "unknown severity '%s' (info, low, medium, high, critical)", v);
		return -1;
	}
	switch (op) {
	case OP_EQ: lo = hi = s; break;
	case OP_GE: lo = s; break;
	case OP_GT: lo = s + 1; break;
	case OP_LE: hi = s; break;
	case OP_LT: hi = s - 1; break;
	case OP_NE:
		snprintf(err, errlen, "severity does not take !=; use < or >");
		return -1;
	}
	/* hi == 0 would read as "unbounded": sev<info must fail here. */
	if (lo > SEV_CRITICAL || (op == OP_LT && hi < SEV_INFO) ||
	    (hi != 0 && lo > hi)) {
		snprintf(err, errlen, "severity range '%s' matches nothing", v);
		return -1;
	}
	f->sev_min = lo;
	f->sev_max = hi;
	return 0;
}

static int
parse_status(struct filter *f, enum filter_op op, const char *v, char *err,
    size_t errlen)
{
	char *buf, *save = NULL, *w;
	unsigned mask = 0;
	int rc = 0;

	if (op != OP_EQ && op != OP_NE) {
		snprintf(err, errlen, "status takes = or !=");
		return -1;
	}
	/* The whole value (a fixed buffer once cut it and dropped the last
	 * statuses); its length is bounded by FILTER_TERM_MAX. */
	buf = xstrdup(v);
	for (w = strtok_r(buf, ",|", &save); w != NULL; w = strtok_r(NULL, ",|", &save)) {
		enum alert_status st;
		if (strcasecmp(w, "open") == 0) {
			mask |= 1u << ST_NEW | 1u << ST_ACKNOWLEDGED;
			continue;
		}
		st = status_parse(w);
		if (st == ST_UNKNOWN) {
			snprintf(err, errlen, "unknown status '%s' (new, acknowledged, "
			    "escalated, closed, suppressed, open)", w);
			rc = -1;
			break;
		}
		mask |= 1u << st;
	}
	free(buf);
	if (rc < 0)
		return -1;
	if (mask == 0) {
		snprintf(err, errlen, "status needs a value");
		return -1;
	}
	if (op == OP_EQ)
		f->status_mask = mask;
	else
		f->status_not |= mask;
	return 0;
}

static int
parse_within(long *dst, const char *key, enum filter_op op, const char *v,
    char *err, size_t errlen)
{
	long secs = format_parse_duration(v);

	if (op != OP_LT && op != OP_LE) {
		snprintf(err, errlen, "%s takes < (e.g. %s<2h)", key, key);
		return -1;
	}
	if (secs <= 0) {
		snprintf(err, errlen, "bad duration '%s' (e.g. 30m, 2h, 7d; at most"
		    " 100 years)", v);
		return -1;
	}
	*dst = secs;
	return 0;
}

int
filter_parse(struct filter *f, const char *expr, char *err, size_t errlen)
{
	struct strbuf tok, text;
	const char *p = expr, *v, *key;
	char rawkey[32];
	enum filter_op op;
	bool quoted;
	int rc = 0, nterms = 0;

	strbuf_init(&tok);
	strbuf_init(&text);
	if (f->text != NULL)
		strbuf_append(&text, f->text);
	if (!utf8_valid(expr)) {
		snprintf(err, errlen, "the filter is not valid UTF-8");
		rc = -1;
	}
	while (rc == 0 && p != NULL && (p = next_token(p, &tok, &quoted)) != NULL) {
		/* Bounded: 10,000 words or one 120 KB word cost the database
		 * seconds per refresh, and nobody types either. */
		if (++nterms > FILTER_MAX_TERMS) {
			snprintf(err, errlen, "the filter has more than %d terms",
			    FILTER_MAX_TERMS);
			rc = -1;
			break;
		}
		if (tok.len > FILTER_TERM_MAX) {
			snprintf(err, errlen, "filter term '%.24s...' is %zu bytes long;"
			    " at most %d", tok.buf, tok.len, FILTER_TERM_MAX);
			rc = -1;
			break;
		}
		v = quoted ? NULL : split_term(tok.buf, rawkey, sizeof rawkey, &op);
		if (v == NULL) {
			if (text.len > 0)
				strbuf_appendc(&text, ' ');
			strbuf_append(&text, tok.buf);
			continue;
		}
		key = canonical_key(rawkey);
		if (key == NULL) {
			snprintf(err, errlen, "unknown filter key '%s' (severity, status, "
			    "rule, asset, kind, assignee, incident, age, last, text)", rawkey);
			rc = -1;
			break;
		}
		if (*v == '\0') {
			snprintf(err, errlen, "'%s' needs a value", rawkey);
			rc = -1;
			break;
		}
		if (strcmp(key, "severity") == 0) {
			rc = parse_severity(f, op, v, err, errlen);
		} else if (strcmp(key, "status") == 0) {
			rc = parse_status(f, op, v, err, errlen);
		} else if (strcmp(key, "age") == 0) {
			rc = parse_within(&f->first_within, "age", op, v, err, errlen);
		} else if (strcmp(key, "last") == 0) {
			rc = parse_within(&f->last_within, "last", op, v, err, errlen);
		} else if (op != OP_EQ) {
			snprintf(err, errlen, "%s takes = only", key);
			rc = -1;
		} else if (strcmp(key, "rule") == 0) {
			set_str(&f->rule, v);
		} else if (strcmp(key, "asset") == 0) {
			set_str(&f->asset, v);
		} else if (strcmp(key, "kind") == 0) {
			if (asset_kind_parse(v) == AK_UNKNOWN) {
				snprintf(err, errlen, "unknown asset kind '%s'", v);
				rc = -1;
			} else {
				set_str(&f->kind, asset_kind_name(asset_kind_parse(v)));
			}
		} else if (strcmp(key, "assignee") == 0) {
			if (strcasecmp(v, "none") == 0 || strcmp(v, "-") == 0) {
				f->unassigned = true;
				free(f->assignee);
				f->assignee = NULL;
			} else {
				f->unassigned = false;
				set_str(&f->assignee, v);
			}
		} else if (strcmp(key, "incident") == 0) {
			long long id;
			if (format_parse_id(v, &id) < 0) {
				snprintf(err, errlen, "bad incident id '%s'", v);
				rc = -1;
			} else {
				f->incident_id = id;
			}
		} else if (strcmp(key, "text") == 0) {
			if (text.len > 0)
				strbuf_appendc(&text, ' ');
			strbuf_append(&text, v);
		}
	}
	/* The words come back as one term, text="...", from filter_format
	 * (saved views store that): it must parse again. */
	if (rc == 0 && text.len + strlen("text=") > FILTER_TERM_MAX) {
		snprintf(err, errlen, "the free words are %zu bytes long; at most %zu",
		    text.len, FILTER_TERM_MAX - strlen("text="));
		rc = -1;
	}
	if (rc == 0) {
		free(f->text);
		f->text = text.len > 0 ? xstrdup(text.buf) : NULL;
	}
	strbuf_free(&tok);
	strbuf_free(&text);
	return rc;
}

/* Quote a value when it would not survive next_token/split_term. */
static void
append_value(struct strbuf *out, const char *v)
{
	const char *p;
	bool plain = *v != '\0';

	for (p = v; *p != '\0'; p++)
		if (isspace((unsigned char)*p) || *p == '"' || *p == '\\')
			plain = false;
	if (plain) {
		strbuf_append(out, v);
		return;
	}
	strbuf_appendc(out, '"');
	for (p = v; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			strbuf_appendc(out, '\\');
		strbuf_appendc(out, *p);
	}
	strbuf_appendc(out, '"');
}

static void
append_term(struct strbuf *out, const char *key, const char *op, const char *v)
{
	if (out->len > 0)
		strbuf_appendc(out, ' ');
	strbuf_append(out, key);
	strbuf_append(out, op);
	append_value(out, v);
}

static void
append_mask(struct strbuf *out, const char *op, unsigned mask)
{
	struct strbuf v;
	int st;

	strbuf_init(&v);
	for (st = 0; st < ST__COUNT; st++)
		if (mask & (1u << st)) {
			if (v.len > 0)
				strbuf_appendc(&v, ',');
			strbuf_append(&v, status_name((enum alert_status)st));
		}
	append_term(out, "status", op, v.buf);
	strbuf_free(&v);
}

/* 2h, 7d, 3w: the largest unit that divides secs, the short form a
 * human wrote (age<1200d, not age<103680000s). */
static void
duration_value(char *buf, size_t len, long secs)
{
	static const struct { long secs; char unit; } units[] = {
		{ 7 * 86400L, 'w' }, { 86400L, 'd' }, { 3600L, 'h' }, { 60L, 'm' },
	};
	size_t i;

	for (i = 0; i < sizeof units / sizeof units[0]; i++)
		if (secs % units[i].secs == 0) {
			snprintf(buf, len, "%ld%c", secs / units[i].secs, units[i].unit);
			return;
		}
	snprintf(buf, len, "%lds", secs);
}

void
filter_format(const struct filter *f, struct strbuf *out)
{
	char buf[32];

	if (f->sev_min != 0 && f->sev_min == f->sev_max)
		append_term(out, "severity", "=", severity_name(f->sev_min));
	else {
		if (f->sev_min != 0)
			append_term(out, "severity", ">=", severity_name(f->sev_min));
		if (f->sev_max != 0)
			append_term(out, "severity", "<=", severity_name(f->sev_max));
	}
	if (f->status_mask != 0)
		append_mask(out, "=", f->status_mask);
	if (f->status_not != 0)
		append_mask(out, "!=", f->status_not);
	if (f->rule != NULL)
		append_term(out, "rule", "=", f->rule);
	if (f->asset != NULL)
		append_term(out, "asset", "=", f->asset);
	if (f->kind != NULL)
		append_term(out, "kind", "=", f->kind);
	if (f->unassigned)
		append_term(out, "assignee", "=", "none");
	else if (f->assignee != NULL)
		append_term(out, "assignee", "=", f->assignee);
	if (f->incident_id != 0) {
		snprintf(buf, sizeof buf, "%lld", f->incident_id);
		append_term(out, "incident", "=", buf);
	}
	if (f->first_within != 0) {
		duration_value(buf, sizeof buf, f->first_within);
		append_term(out, "age", "<", buf);
	}
	if (f->last_within != 0) {
		duration_value(buf, sizeof buf, f->last_within);
		append_term(out, "last", "<", buf);
	}
	if (f->text != NULL && *f->text != '\0')
		append_term(out, "text", "=", f->text);
}
