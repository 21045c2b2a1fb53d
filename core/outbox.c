/* outbox.c: enqueue pages and deliver them (see outbox.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backoff.h"
#include "db.h"
#include "format.h"
#include "http.h"
#include "model.h"
#include "outbox.h"
#include "rng.h"
#include "sanitize.h"
#include "secrets.h"
#include "settings.h"
#include "strbuf.h"

long long
outbox_enqueue(struct db *db, long long incident_id, const char *channel,
    enum channel_type type, enum page_action action, json_t *payload)
{
	char inc[32], *text;
	const char *p[5];
	PGresult *res;
	long long id;

	if (!channel_name_ok(channel, strlen(channel))) {
		db_set_error(db, "invalid channel name");
		return -1;
	}
	if ((text = json_dumps(payload, JSON_COMPACT)) == NULL) {
		db_set_error(db, "the page's payload cannot be written as JSON");
		return -1;
	}
	snprintf(inc, sizeof inc, "%lld", incident_id);
	p[0] = inc;
	p[1] = channel;
	p[2] = page_action_name(action);
	p[3] = text;
	p[4] = channel_type_name(type);
	/* Status, attempts, times and author are the database's (a trigger
	 * sets them whatever is written here). */
	res = db_query(db, "INSERT INTO outbox (incident_id, channel, action, payload, kind)"
	    " VALUES ($1, $2, $3, $4::jsonb, $5) RETURNING id", 5, p);
	free(text);
	if (res == NULL)
		return -1;
	id = db_ll(res, 0, "id");
	PQclear(res);
	return id;
}

/* "{a,b}": channel names are letters, digits, _ and - (checked when the
 * settings were read), so the array literal needs no quoting. */
static void
channel_array(const struct channel_set *set, const bool *use, struct strbuf *out)
{
	size_t i;
	bool first = true;

	strbuf_appendc(out, '{');
	for (i = 0; i < set->n; i++) {
		if (use != NULL && !use[i])
			continue;
		strbuf_appendf(out, "%s%s", first ? "" : ",", set->v[i].name);
		first = false;
	}
	strbuf_appendc(out, '}');
}

int
outbox_incident_read(struct db *db, long long id, struct page_incident *inc, PGresult **res)
{
	char idbuf[32];
	const char *p[1] = { idbuf };

	snprintf(idbuf, sizeof idbuf, "%lld", id);
	*res = db_query(db, "SELECT id, title, status, severity, summary,"
	    " extract(epoch FROM created_at)::bigint AS created,"
	    " (SELECT count(*) FROM incident_alerts a WHERE a.incident_id = i.id) AS alerts"
	    " FROM incidents i WHERE id = $1 FOR SHARE", 1, p);
	if (*res == NULL)
		return -1;
	if (PQntuples(*res) == 0)
		return 1;
	memset(inc, 0, sizeof *inc);
	inc->id = id;
	inc->title = db_value(*res, 0, "title");
	inc->status = db_value(*res, 0, "status");
	inc->severity = db_int(*res, 0, "severity");
	inc->summary = db_value(*res, 0, "summary");
	inc->alerts = db_ll(*res, 0, "alerts");
	inc->created_at = (time_t)db_ll(*res, 0, "created");
	return 0;
}

int
outbox_page_incident(struct db *db, const struct settings *cfg, long long incident_id,
    enum page_action action, struct outbox_paged *out, struct strbuf *err)
{
	const struct channel_set *set = &cfg->channels;
	struct page_incident inc;
	char idbuf[32];
	const char *p[1];
	PGresult *res, *prev = NULL;
	json_t *payload;
	long long id;
	size_t i;
	int k, rc;

	memset(out, 0, sizeof *out);
	snprintf(idbuf, sizeof idbuf, "%lld", incident_id);
	p[0] = idbuf;
	if ((rc = outbox_incident_read(db, incident_id, &inc, &res)) < 0)
		return -1;
	if (rc > 0) {
		PQclear(res);
		db_set_error(db, "no incident %lld", incident_id);
		snprintf(db->sqlstate, sizeof db->sqlstate, "P0002");
		return -1;
	}
	out->severity = inc.severity;
	if (action != PAGE_TRIGGER) {
		/* Follow-ups go where a trigger went. */
		prev = db_query(db, "SELECT DISTINCT channel FROM outbox"
		    " WHERE incident_id = $1 AND action = 'trigger'", 1, p);
		if (prev == NULL) {
			PQclear(res);
			return -1;
		}
	}
	for (i = 0; i < set->n && out->n < OUTBOX_PAGE_MAX; i++) {
		const struct channel_conf *c = &set->v[i];

		if (action == PAGE_TRIGGER) {
			if (!(c->severities & (1u << inc.severity)))
				continue;
		} else {
			for (k = 0; k < PQntuples(prev); k++)
				if (strcmp(db_value(prev, k, "channel"), c->name) == 0)
					break;
			if (k == PQntuples(prev))
				continue;
		}
		if ((payload = channel_payload(c->type, &inc, action)) == NULL)
			continue;
		id = outbox_enqueue(db, incident_id, c->name, c->type, action, payload);
		json_decref(payload);
		if (id < 0) {
			PQclear(res);
			PQclear(prev);
			return -1;
		}
		out->id[out->n] = id;
		snprintf(out->channel[out->n], sizeof out->channel[0], "%s", c->name);
		out->n++;
	}
	if (out->n == 0) {
		if (action == PAGE_TRIGGER)
			strbuf_appendf(err, "no configured channel pages %s incidents"
			    " (severities = in a [channel NAME] section of the settings file)",
			    severity_name(inc.severity));
		else
			strbuf_appendf(err, "incident %lld was never paged on a configured"
			    " channel: nothing to %s", incident_id, page_action_name(action));
	}
	PQclear(res);
	PQclear(prev);
	return (int)out->n;
}

void
outbox_run_free(struct outbox_run *r)
{
	free(r->results);
	r->results = NULL;
	r->n = 0;
}

/* A backend's text for the record: secrets out, one line, no controls,
 * bounded. */
static void
clean_message(char *dst, size_t dstlen, const char *prefix, const char *text,
    size_t len, const char *const *secrets)
{
	struct strbuf raw, safe;
	size_t i, cut;

	strbuf_init(&raw);
	strbuf_append(&raw, prefix);
	for (i = 0; i < len && i < 4096; i++)
		strbuf_appendc(&raw, text[i] == '\n' || text[i] == '\r' ||
		    text[i] == '\t' || text[i] == '\0' ? ' ' : text[i]);
	http_redact(&raw, secrets);
	strbuf_init(&safe);
	sanitize(&safe, raw.buf, raw.len, 0);
	cut = safe.len < dstlen - 1 ? safe.len : dstlen - 1;
	while (cut > 0 && cut < safe.len && ((unsigned char)safe.buf[cut] & 0xc0) == 0x80)
		cut--;
	memcpy(dst, safe.buf, cut);
	dst[cut] = '\0';
	explicit_bzero(raw.buf, raw.len);
	strbuf_free(&raw);
	strbuf_free(&safe);
}

static void
policy_from(const struct settings *cfg, struct backoff_policy *p)
{
	backoff_policy_default(p);
	p->max_attempts = (int)settings_get_count(cfg, "outbox", "max_attempts");
	p->base = (int)settings_get_duration(cfg, "outbox", "backoff");
	p->cap = (int)settings_get_duration(cfg, "outbox", "backoff_max");
	if (p->base < 1)
		p->base = 1;
	if (p->cap < p->base)
		p->cap = p->base;
}

/* Send one claimed row and decide its outcome (no database work).  True
 * when the exchange was abandoned through cancel: there is no outcome. */
static bool
send_one(const struct channel_conf *c, const struct secrets *sec,
    const struct backoff_policy *pol, const char *action, int attempts_before,
    const char *payload_text, uint32_t rnd, const atomic_bool *cancel,
    struct outbox_result *out)
{
	struct channel_send send;
	struct http_request req;
	struct http_response resp;
	struct backoff_outcome oc;
	struct backoff_decision d;
	struct strbuf err;
	json_t *payload;
	int a = page_action_parse(action);

	out->attempt = attempts_before + 1;
	strbuf_init(&err);
	payload = json_loads(payload_text, 0, NULL);
	if (payload == NULL || a < 0 ||
	    channel_request(c, sec, (enum page_action)a, payload, &send, &err) < 0) {
		/* Nothing a later attempt would change: the stored page is bad. */
		snprintf(out->state, sizeof out->state, "failed");
		clean_message(out->error, sizeof out->error, "", err.len ? err.buf :
		    "the stored page is not a valid page", err.len ? err.len : 35, NULL);
		json_decref(payload);
		strbuf_free(&err);
		return false;
	}
	json_decref(payload);
	strbuf_free(&err);
	memset(&req, 0, sizeof req);
	req.url = send.url;
	req.body = send.body;
	req.headers[0] = send.header;
	req.ca_bundle = c->ca_bundle;
	req.connect_timeout_ms = c->connect_timeout * 1000;
	req.timeout_ms = c->timeout * 1000;
	req.cancel = cancel;
	http_response_init(&resp);
	http_post(&req, &resp);
	if (resp.cancelled) {
		http_response_free(&resp);
		channel_send_free(&send);
		return true;
	}
	oc.code = resp.code;
	oc.transport_error = resp.transport_error;
	oc.retry_after = resp.retry_after;
	d = backoff_decide(pol, out->attempt, &oc, rnd);
	out->code = resp.code;
	if (d.verdict == BACKOFF_SENT && !channel_accepted(c->type, resp.code, resp.body.buf)) {
		d.verdict = BACKOFF_FAILED;
		d.why = "unexpected reply";
	}
	switch (d.verdict) {
	case BACKOFF_SENT:
		snprintf(out->state, sizeof out->state, "sent");
		break;
	case BACKOFF_RETRY:
		snprintf(out->state, sizeof out->state, "retrying");
		out->delay = d.delay;
		break;
	case BACKOFF_FAILED:
		snprintf(out->state, sizeof out->state, "failed");
		break;
	}
	if (d.verdict != BACKOFF_SENT) {
		char prefix[128];

		if (resp.transport_error) {
			snprintf(prefix, sizeof prefix, "%s: ", d.why);
			clean_message(out->error, sizeof out->error, prefix, resp.error,
			    strlen(resp.error), send.secrets);
		} else {
			snprintf(prefix, sizeof prefix, "HTTP %ld, %s: ", resp.code, d.why);
			clean_message(out->error, sizeof out->error, prefix, resp.body.buf,
			    resp.body.len, send.secrets);
		}
	}
	http_response_free(&resp);
	channel_send_free(&send);
	return false;
}

/* The configured channels this deliverer can send to. */
static size_t
usable_channels(const struct settings *cfg, const struct secrets *sec, bool *use,
    struct strbuf *skipped)
{
	struct strbuf why;
	size_t i, n = 0;

	strbuf_init(&why);
	for (i = 0; i < cfg->channels.n; i++) {
		strbuf_reset(&why);
		use[i] = channel_check_secrets(&cfg->channels.v[i], sec,
		    cfg->path ? cfg->path : "config", &why) == 0;
		if (use[i])
			n++;
		else if (skipped != NULL)
			strbuf_append(skipped, why.buf);
	}
	strbuf_free(&why);
	return n;
}

int
outbox_deliver_due(struct db *db, const struct settings *cfg, const struct secrets *sec,
    int max, time_t now, struct outbox_run *run)
{
	bool use[CHANNEL_MAX];
	struct backoff_policy pol;
	struct outbox_result r;
	struct strbuf names;
	const struct channel_conf *c;
	char idbuf[32], delay[32], code[16];
	const char *p[5];
	PGresult *res;
	struct rng rng;
	int done = 0;

	if (usable_channels(cfg, sec, use, run->skipped) == 0 || max <= 0)
		return 0;
	policy_from(cfg, &pol);
	rng_seed(&rng, (uint64_t)now ^ ((uint64_t)getpid() << 32) ^ (uint64_t)(uintptr_t)run);
	strbuf_init(&names);
	channel_array(&cfg->channels, use, &names);
	while (done < max && !(run->cancel != NULL && atomic_load(run->cancel))) {
		if (db_begin(db) < 0)
			goto fail;
		p[0] = names.buf;
		res = db_query(db, "SELECT id, incident_id, channel, action, attempts,"
		    " payload::text AS payload FROM vsoc_outbox_claim($1::text[])", 1, p);
		if (res == NULL) {
			db_rollback(db);
			goto fail;
		}
		if (PQntuples(res) == 0) {
			PQclear(res);
			if (db_commit(db) < 0)
				goto fail;
			break;
		}
		memset(&r, 0, sizeof r);
		r.id = db_ll(res, 0, "id");
		r.incident_id = db_ll(res, 0, "incident_id");
		snprintf(r.channel, sizeof r.channel, "%s", db_value(res, 0, "channel"));
		snprintf(r.action, sizeof r.action, "%s", db_value(res, 0, "action"));
		/* Claimed by the names of cfg's channels: always found. */
		if ((c = channel_find(&cfg->channels, r.channel)) == NULL) {
			PQclear(res);
			db_rollback(db);
			db_set_error(db, "claimed a page of unknown channel %s", r.channel);
			goto fail;
		}
		/* The row stays locked while it is sent: another deliverer skips it. */
		if (send_one(c, sec, &pol, r.action, db_int(res, 0, "attempts"),
		    db_value(res, 0, "payload"), (uint32_t)rng_next(&rng), run->cancel, &r)) {
			/* Abandoned: nothing is known of it, so nothing is
			 * recorded; the row is due again for the next deliverer. */
			PQclear(res);
			db_rollback(db);
			break;
		}
		PQclear(res);
		snprintf(idbuf, sizeof idbuf, "%lld", r.id);
		snprintf(delay, sizeof delay, "%d", r.delay);
		snprintf(code, sizeof code, "%ld", r.code);
		p[0] = idbuf;
		p[1] = r.state;
		p[2] = delay;
		p[3] = r.code > 0 ? code : NULL;
		p[4] = r.error[0] ? r.error : NULL;
		res = db_query(db, "SELECT vsoc_outbox_result($1, $2, $3, $4, $5)", 5, p);
		if (res == NULL) {
			db_rollback(db);
			goto fail;
		}
		PQclear(res);
		if (db_commit(db) < 0)
			goto fail;
		if (strcmp(r.state, "sent") == 0)
			run->sent++;
		else if (strcmp(r.state, "retrying") == 0)
			run->retrying++;
		else
			run->failed++;
		run->results = xrealloc(run->results, (run->n + 1) * sizeof *run->results);
		run->results[run->n++] = r;
		done++;
	}
	strbuf_free(&names);
	return done;
fail:
	strbuf_free(&names);
	return -1;
}

void
outbox_state_text(const char *status, long long attempts, const char *next_attempt,
    const char *sent_at, const char *message, struct strbuf *out)
{
	if (strcmp(status, "sent") == 0)
		strbuf_appendf(out, "sent at %s", sent_at != NULL ? sent_at : "-");
	else if (strcmp(status, "retrying") == 0)
		strbuf_appendf(out, "retrying (attempt %lld failed), next at %s", attempts,
		    next_attempt != NULL ? next_attempt : "-");
	else if (strcmp(status, "failed") == 0)
		strbuf_appendf(out, "failed after %lld attempt%s", attempts,
		    attempts == 1 ? "" : "s");
	else
		strbuf_append(out, status);
	if (message != NULL && *message != '\0' && strcmp(status, "sent") != 0)
		strbuf_appendf(out, ": %s", message);
}

long
outbox_next_due(struct db *db, const struct settings *cfg)
{
	struct strbuf names;
	const char *p[1];
	PGresult *res;
	long secs;

	if (cfg->channels.n == 0)
		return -1;
	strbuf_init(&names);
	channel_array(&cfg->channels, NULL, &names);
	p[0] = names.buf;
	/* A page waiting behind an earlier one of its incident and channel
	 * (sql/008_pages.sql) is not due before that one. */
	res = db_query(db, "SELECT ceil(greatest(extract(epoch FROM min(o.next_attempt)"
	    " - clock_timestamp()), 0))::bigint AS s FROM outbox o"
	    " WHERE o.status IN ('pending', 'retrying') AND o.channel = ANY ($1::text[])"
	    " AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.incident_id = o.incident_id"
	    "  AND e.channel = o.channel AND e.id < o.id"
	    "  AND e.status IN ('pending', 'retrying'))", 1, p);
	strbuf_free(&names);
	if (res == NULL)
		return -2;
	secs = db_value(res, 0, "s") == NULL ? -1 : (long)db_ll(res, 0, "s");
	PQclear(res);
	return secs;
}
