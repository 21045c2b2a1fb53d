/* twin.c: dispatch to the per-kind folds, the order rule, replays and the
 * in-memory timeline with snapshots (twin.h says why each is so). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "strbuf.h"
#include "twin.h"

static const char *const kind_names[TWIN_N_KINDS] = {
	"station", "connector", "vehicle", "ecu", "app_user", "ota_rollout",
};

static void (*const folds[TWIN_N_KINDS])(json_t *, const struct twin_event *) = {
	twin_station_fold, twin_connector_fold, twin_vehicle_fold, twin_ecu_fold,
	twin_account_fold, twin_rollout_fold,
};

int
twin_kind_parse(const char *s)
{
	int k;

	for (k = 0; s != NULL && k < TWIN_N_KINDS; k++)
		if (strcmp(s, kind_names[k]) == 0)
			return k;
	return -1;
}

const char *
twin_kind_name(enum twin_kind k)
{
	return (unsigned)k < TWIN_N_KINDS ? kind_names[k] : "?";
}

json_t *
twin_state_new(void)
{
	return json_object();
}

int
twin_event_cmp(const struct twin_event *a, const struct twin_event *b)
{
	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	if (a->id != b->id)
		return a->id < b->id ? -1 : 1;
	return 0;
}

bool
twin_state_key(const json_t *state, long long *at, long long *id)
{
	const json_t *a = json_object_get(state, "as_of_us"), *i = json_object_get(state, "event_id");

	if (!json_is_integer(a) || !json_is_integer(i))
		return false;
	*at = (long long)json_integer_value(a);
	*id = (long long)json_integer_value(i);
	return true;
}

enum twin_fold_result
twin_fold(enum twin_kind k, json_t *state, const struct twin_event *ev)
{
	struct twin_event cur = { 0, 0, NULL, NULL };
	char ts[32];
	json_int_t n;

	if (twin_state_key(state, &cur.at, &cur.id)) {
		int c = twin_event_cmp(ev, &cur);

		if (c == 0)
			return TWIN_DUPLICATE;
		if (c < 0)
			return TWIN_LATE;
	}
	if ((unsigned)k < TWIN_N_KINDS && ev->type != NULL)
		folds[k](state, ev);
	twin_time_format(ts, ev->at);
	json_object_set_new(state, "as_of", json_string(ts));
	json_object_set_new(state, "as_of_us", json_integer(ev->at));
	json_object_set_new(state, "event_id", json_integer(ev->id));
	n = json_integer_value(json_object_get(state, "events"));
	json_object_set_new(state, "events", json_integer(n + 1));
	return TWIN_FOLDED;
}

static int
event_qcmp(const void *a, const void *b)
{
	return twin_event_cmp(a, b);
}

json_t *
twin_replay(enum twin_kind k, const json_t *base, struct twin_event *ev, size_t n,
    long long until_us)
{
	json_t *st = base != NULL ? json_deep_copy(base) : twin_state_new();
	size_t i;

	if (n > 0)
		qsort(ev, n, sizeof *ev, event_qcmp);
	for (i = 0; i < n && ev[i].at <= until_us; i++)
		/* Duplicates and events the base already holds fold to nothing. */
		(void)twin_fold(k, st, &ev[i]);
	return st;
}

bool
twin_snapshot_due(const json_t *state)
{
	json_int_t n = json_integer_value(json_object_get(state, "events"));

	return n > 0 && n % TWIN_SNAPSHOT_EVERY == 0;
}

/* --- time ------------------------------------------------------------ */

void
twin_time_format(char *buf, long long us)
{
	long long s = us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000);
	time_t t = (time_t)s;
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(buf, 32, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, us - s * 1000000);
}

static int
digits(const char **p, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++, (*p)++) {
		if (!isdigit((unsigned char)**p))
			return -1;
		v = v * 10 + (**p - '0');
	}
	*out = v;
	return 0;
}

int
twin_time_parse(const char *s, long long *us)
{
	struct tm tm;
	const char *p = s;
	int y, mo, d, h = 0, mi = 0, se = 0, oh, om, sign;
	long long frac = 0, scale = 100000;
	time_t t;

	if (s == NULL || *s == '\0')
		return -1;
	if (strspn(s, "0123456789") == strlen(s)) {
		if (strlen(s) > 12)
			return -1;
		*us = atoll(s) * 1000000;
		return 0;
	}
	if (digits(&p, 4, &y) < 0 || *p++ != '-' || digits(&p, 2, &mo) < 0 || *p++ != '-' ||
	    digits(&p, 2, &d) < 0)
		return -1;
	if (*p == 'T' || *p == ' ') {
		p++;
		if (digits(&p, 2, &h) < 0 || *p++ != ':' || digits(&p, 2, &mi) < 0)
			return -1;
		if (*p == ':') {
			p++;
			if (digits(&p, 2, &se) < 0)
				return -1;
			if (*p == '.') {
				for (p++; isdigit((unsigned char)*p); p++) {
					frac += scale * (*p - '0');
					scale /= 10;
				}
			}
		}
	}
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
		return -1;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	t = timegm(&tm);
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p++ == '-' ? -1 : 1;
		if (digits(&p, 2, &oh) < 0)
			return -1;
		if (*p == ':')
			p++;
		if (digits(&p, 2, &om) < 0 || oh > 23 || om > 59)
			return -1;
		t -= sign * (oh * 3600 + om * 60);
	}
	if (*p != '\0')
		return -1;
	*us = (long long)t * 1000000 + frac;
	return 0;
}

/* --- helpers for the folds ------------------------------------------ */

const char *
twin_str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

bool
twin_text(const json_t *o, const char *key, char *buf, size_t size)
{
	const json_t *v = json_object_get(o, key);

	if (json_is_string(v))
		snprintf(buf, size, "%s", json_string_value(v));
	else if (json_is_integer(v))
		snprintf(buf, size, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(buf, size, "%.17g", json_real_value(v));
	else
		return false;
	return true;
}

void
twin_set_str(json_t *o, const char *key, const char *v)
{
	/* Untrusted text may not be UTF-8; jansson refuses it, and the twin
	 * would rather say null than drop the event. */
	json_t *s = v != NULL ? json_string(v) : NULL;

	json_object_set_new(o, key, s != NULL ? s : json_null());
}

void
twin_set_time(json_t *o, const char *key, long long us)
{
	char ts[32];

	twin_time_format(ts, us);
	json_object_set_new(o, key, json_string(ts));
}

json_t *
twin_obj(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_object(v)) {
		v = json_object();
		json_object_set_new(o, key, v);
	}
	return v;
}

void
twin_recent_push(json_t *o, const char *key, json_t *item, size_t max)
{
	json_t *a = json_object_get(o, key);

	if (!json_is_array(a)) {
		a = json_array();
		json_object_set_new(o, key, a);
	}
	json_array_insert_new(a, 0, item);
	while (json_array_size(a) > max)
		json_array_remove(a, json_array_size(a) - 1);
}

void
twin_set_add(json_t *o, const char *key, const char *v)
{
	json_t *a = json_object_get(o, key);
	size_t i;

	if (v == NULL)
		return;
	if (!json_is_array(a)) {
		a = json_array();
		json_object_set_new(o, key, a);
	}
	for (i = 0; i < json_array_size(a); i++) {
		int c = strcmp(json_string_value(json_array_get(a, i)), v);

		if (c == 0)
			return;
		if (c > 0)
			break;
	}
	{
		json_t *s = json_string(v);

		if (s != NULL)
			json_array_insert_new(a, i, s);
	}
}

void
twin_set_remove(json_t *o, const char *key, const char *v)
{
	json_t *a = json_object_get(o, key);
	size_t i;

	for (i = 0; v != NULL && i < json_array_size(a); i++)
		if (strcmp(json_string_value(json_array_get(a, i)), v) == 0) {
			json_array_remove(a, i);
			return;
		}
}

static long long
bucket_of(long long at_us)
{
	long long s = at_us >= 0 ? at_us / 1000000 : -((-at_us + 999999) / 1000000);

	return s >= 0 ? s / TWIN_BUCKET_S : -((-s + TWIN_BUCKET_S - 1) / TWIN_BUCKET_S);
}

/* Buckets are [[bucket, n], ...], oldest first, none older than the long
 * window: a counter costs at most 288 pairs whatever the history. */
void
twin_counter_bump(json_t *state, const char *name, long long at_us)
{
	json_t *all = twin_obj(state, "_buckets"), *a = json_object_get(all, name), *last;
	long long b = bucket_of(at_us);

	if (!json_is_array(a)) {
		a = json_array();
		json_object_set_new(all, name, a);
	}
	last = json_array_get(a, json_array_size(a) - 1);
	if (last != NULL && json_integer_value(json_array_get(last, 0)) == b)
		json_array_set_new(last, 1,
		    json_integer(json_integer_value(json_array_get(last, 1)) + 1));
	else
		json_array_append_new(a, json_pack("[I, i]", (json_int_t)b, 1));
}

void
twin_counters_refresh(json_t *state, const char *const *names, long long at_us)
{
	json_t *all = twin_obj(state, "_buckets"), *out = twin_obj(state, "counters");
	long long now = bucket_of(at_us);
	long long short_from = now - TWIN_WINDOW_SHORT_S / TWIN_BUCKET_S;
	long long long_from = now - TWIN_WINDOW_LONG_S / TWIN_BUCKET_S;
	size_t i;

	for (; *names != NULL; names++) {
		json_t *a = json_object_get(all, *names);
		json_int_t ns = 0, nl = 0;

		/* Forget what left the long window. */
		while (json_array_size(a) > 0 &&
		    json_integer_value(json_array_get(json_array_get(a, 0), 0)) <= long_from)
			json_array_remove(a, 0);
		for (i = 0; i < json_array_size(a); i++) {
			json_t *p = json_array_get(a, i);
			long long b = json_integer_value(json_array_get(p, 0));
			json_int_t c = json_integer_value(json_array_get(p, 1));

			nl += c;
			if (b > short_from)
				ns += c;
		}
		json_object_set_new(out, *names, json_pack("{s:I, s:I}", "1h", ns, "24h", nl));
	}
}

/* --- the timeline in memory ----------------------------------------- */

void
twin_log_init(struct twin_log *l, enum twin_kind k)
{
	memset(l, 0, sizeof *l);
	l->kind = k;
	l->state = twin_state_new();
}

void
twin_log_free(struct twin_log *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->ev[i].type);
		json_decref(l->ev[i].data);
	}
	for (i = 0; i < l->nsnap; i++)
		json_decref(l->snap[i].state);
	free(l->ev);
	free(l->snap);
	json_decref(l->state);
	memset(l, 0, sizeof *l);
}

/* Index of the first event with key > (at, id) (events are kept sorted). */
static size_t
log_upper(const struct twin_log *l, long long at, long long id)
{
	struct twin_event k = { id, at, NULL, NULL };
	size_t lo = 0, hi = l->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (twin_event_cmp(&l->ev[mid].ev, &k) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The newest snapshot strictly before (at, id), or -1. */
static long
log_snap_before(const struct twin_log *l, long long at, long long id, bool inclusive)
{
	struct twin_event k = { id, at, NULL, NULL };
	long i;

	for (i = (long)l->nsnap - 1; i >= 0; i--) {
		struct twin_event s = { l->snap[i].id, l->snap[i].at, NULL, NULL };
		int c = twin_event_cmp(&s, &k);

		if (c < 0 || (inclusive && c == 0))
			return i;
	}
	return -1;
}

static void
log_snapshot(struct twin_log *l, const json_t *state)
{
	struct twin_log_snapshot *s;

	if (l->nsnap == l->capsnap) {
		l->capsnap = l->capsnap ? l->capsnap * 2 : 8;
		l->snap = xrealloc(l->snap, l->capsnap * sizeof *l->snap);
	}
	s = &l->snap[l->nsnap++];
	twin_state_key(state, &s->at, &s->id);
	s->state = json_deep_copy(state);
}

/* Fold ev[from..n) into state, snapshotting on the way. */
static void
log_fold_from(struct twin_log *l, json_t *state, size_t from)
{
	size_t i;

	for (i = from; i < l->n; i++) {
		if (twin_fold(l->kind, state, &l->ev[i].ev) == TWIN_FOLDED &&
		    twin_snapshot_due(state))
			log_snapshot(l, state);
	}
}

enum twin_fold_result
twin_log_add(struct twin_log *l, const struct twin_event *ev)
{
	struct twin_log_event *e;
	size_t pos = log_upper(l, ev->at, ev->id), i;
	enum twin_fold_result r;
	long s;

	if (pos > 0 && twin_event_cmp(&l->ev[pos - 1].ev, ev) == 0)
		return TWIN_DUPLICATE;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->ev = xrealloc(l->ev, l->cap * sizeof *l->ev);
	}
	memmove(&l->ev[pos + 1], &l->ev[pos], (l->n - pos) * sizeof *l->ev);
	e = &l->ev[pos];
	e->type = xstrdup(ev->type != NULL ? ev->type : "");
	e->data = ev->data != NULL ? json_deep_copy(ev->data) : json_object();
	e->ev.id = ev->id;
	e->ev.at = ev->at;
	e->ev.type = e->type;
	e->ev.data = e->data;
	l->n++;

	r = twin_fold(l->kind, l->state, &e->ev);
	if (r == TWIN_FOLDED) {
		if (twin_snapshot_due(l->state))
			log_snapshot(l, l->state);
		return r;
	}
	/* Late: the snapshots after it are wrong now; re-fold from the one
	 * before it. */
	s = log_snap_before(l, ev->at, ev->id, false);
	for (i = (size_t)(s + 1); i < l->nsnap; i++)
		json_decref(l->snap[i].state);
	l->nsnap = (size_t)(s + 1);
	json_decref(l->state);
	l->state = s >= 0 ? json_deep_copy(l->snap[s].state) : twin_state_new();
	i = s >= 0 ? log_upper(l, l->snap[s].at, l->snap[s].id) : 0;
	l->refolds++;
	l->refolded += (long)(l->n - i);
	log_fold_from(l, l->state, i);
	return TWIN_LATE;
}

json_t *
twin_log_state_at(const struct twin_log *l, long long at_us)
{
	long s = log_snap_before(l, at_us, 0x7fffffffffffffffLL, true);
	json_t *st = s >= 0 ? json_deep_copy(l->snap[s].state) : twin_state_new();
	size_t i = s >= 0 ? log_upper(l, l->snap[s].at, l->snap[s].id) : 0;

	for (; i < l->n && l->ev[i].ev.at <= at_us; i++)
		(void)twin_fold(l->kind, st, &l->ev[i].ev);
	return st;
}
