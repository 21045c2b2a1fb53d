/* twin_query.c: an asset by name, and its timeline a page at a time.
 * Typed text reaches SQL only as parameters. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "strbuf.h"
#include "twin.h"
#include "twin_query.h"

#define TS_PARAM(n)	"('epoch'::timestamptz + $" #n "::bigint * interval '1 microsecond')"

/* assets.kind's values (sql/001_schema.sql). */
static const char *const asset_kinds[] = {
	"site", "station", "connector", "vehicle", "ecu", "app_user", "backend_service",
	"ota_rollout", NULL,
};

enum twin_resolve
twin_asset_resolve(struct db *db, const char *spec, struct twin_asset *out, char *kinds,
    size_t kinds_size)
{
	const char *colon = strchr(spec, ':');
	char kind[32] = "";
	const char *p[2] = { NULL, NULL };
	PGresult *res;
	int i, n;

	memset(out, 0, sizeof *out);
	kinds[0] = '\0';
	if (colon != NULL && (size_t)(colon - spec) < sizeof kind) {
		memcpy(kind, spec, (size_t)(colon - spec));
		kind[colon - spec] = '\0';
		for (i = 0; asset_kinds[i] != NULL && strcmp(asset_kinds[i], kind) != 0; i++)
			;
		if (asset_kinds[i] == NULL)
			kind[0] = '\0';	/* not a kind: the colon is the id's own */
	}
	p[0] = kind[0] != '\0' ? colon + 1 : spec;
	p[1] = kind[0] != '\0' ? kind : NULL;
	res = db_query(db, "SELECT id, kind, external_id, name FROM assets"
	    " WHERE external_id = $1 AND ($2::text IS NULL OR kind = $2)"
	    " ORDER BY kind LIMIT 9", 2, p);
	if (res == NULL)
		return TWIN_RESOLVE_ERROR;
	n = PQntuples(res);
	if (n != 1) {
		struct strbuf sb;

		strbuf_init(&sb);
		for (i = 0; i < n; i++)
			strbuf_appendf(&sb, "%s%s", i ? ", " : "", db_value(res, i, "kind"));
		snprintf(kinds, kinds_size, "%s", sb.len ? sb.buf : "");
		strbuf_free(&sb);
		PQclear(res);
		return n == 0 ? TWIN_RESOLVE_NONE : TWIN_RESOLVE_AMBIGUOUS;
	}
	out->id = db_ll(res, 0, "id");
	snprintf(out->kind, sizeof out->kind, "%s", db_value(res, 0, "kind"));
	out->external_id = db_dup(res, 0, "external_id");
	out->name = db_dup(res, 0, "name");
	PQclear(res);
	return TWIN_RESOLVE_OK;
}

void
twin_asset_free(struct twin_asset *a)
{
	free(a->external_id);
	free(a->name);
	memset(a, 0, sizeof *a);
}

static json_t *
text_or_null(const char *s)
{
	json_t *v = s != NULL ? json_string(s) : NULL;

	return v != NULL ? v : json_null();
}

json_t *
twin_asset_json(const struct twin_asset *a)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(a->id));
	json_object_set_new(o, "kind", json_string(a->kind));
	json_object_set_new(o, "external_id", text_or_null(a->external_id));
	json_object_set_new(o, "name", text_or_null(a->name));
	return o;
}

int
twin_cursor_parse(const char *s, long long *at, long long *id)
{
	char *end;

	if (s == NULL || *s == '\0')
		return -1;
	*at = strtoll(s, &end, 10);
	if (end == s || *end != ':')
		return -1;
	s = end + 1;
	if (*s < '1' || *s > '9')
		return -1;
	*id = strtoll(s, &end, 10);
	return *end == '\0' && *id > 0 ? 0 : -1;
}

int
twin_timeline_page(struct db *db, const struct twin_page_query *q, json_t **events,
    char *next, size_t next_size)
{
	char aid[24], since[24], until[24], aat[24], aidx[24], lim[16];
	const char *p[7] = { aid, q->has_since ? since : NULL, q->has_until ? until : NULL,
		q->type, q->has_after ? aat : NULL, q->has_after ? aidx : NULL, lim };
	PGresult *res;
	int i, n;

	snprintf(aid, sizeof aid, "%lld", q->asset_id);
	snprintf(since, sizeof since, "%lld", q->since_us);
	snprintf(until, sizeof until, "%lld", q->until_us);
	snprintf(aat, sizeof aat, "%lld", q->after_at);
	snprintf(aidx, sizeof aidx, "%lld", q->after_id);
	/* One more than asked: whether there is a page after. */
	snprintf(lim, sizeof lim, "%d", q->limit + 1);
	/* Absent bounds are NULL parameters, folded away when planned: the
	 * scan is the (asset_id, occurred_at DESC, id DESC) index's. */
	res = db_query(db, "SELECT id, (extract(epoch FROM occurred_at) * 1000000)::bigint AS at,"
	    " kind AS type, source, data::text AS data FROM asset_events"
	    " WHERE asset_id = $1"
	    " AND ($2::bigint IS NULL OR occurred_at >= " TS_PARAM(2) ")"
	    " AND ($3::bigint IS NULL OR occurred_at <= " TS_PARAM(3) ")"
	    " AND ($4::text IS NULL OR kind = $4)"
	    " AND ($5::bigint IS NULL OR (occurred_at, id) < (" TS_PARAM(5) ", $6::bigint))"
	    " ORDER BY occurred_at DESC, id DESC LIMIT $7::int", 7, p);
	if (res == NULL)
		return -1;
	n = PQntuples(res);
	*events = json_array();
	next[0] = '\0';
	for (i = 0; i < n && i < q->limit; i++) {
		json_t *e = json_object(), *d = json_loads(db_value(res, i, "data"), 0, NULL);
		char ts[32];

		twin_time_format(ts, db_ll(res, i, "at"));
		json_object_set_new(e, "id", json_integer(db_ll(res, i, "id")));
		json_object_set_new(e, "at", json_string(ts));
		json_object_set_new(e, "at_us", json_integer(db_ll(res, i, "at")));
		json_object_set_new(e, "type", text_or_null(db_value(res, i, "type")));
		json_object_set_new(e, "source", text_or_null(db_value(res, i, "source")));
		json_object_set_new(e, "data", d != NULL ? d : json_object());
		json_array_append_new(*events, e);
	}
	if (n > q->limit && q->limit > 0)
		snprintf(next, next_size, "%lld:%lld", db_ll(res, q->limit - 1, "at"),
		    db_ll(res, q->limit - 1, "id"));
	PQclear(res);
	return 0;
}
