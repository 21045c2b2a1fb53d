/* savedview.c: named queue views per analyst, in saved_views. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "db.h"
#include "savedview.h"
#include "strbuf.h"

int
savedview_save(struct db *db, int analyst_id,
    const struct savedview *v)
{
	char aid[16];
	const char *p[5];
	PGresult *res;
	long long id;
	json_t *details;

	snprintf(aid, sizeof aid, "%d", analyst_id);
	p[0] = aid;
	p[1] = v->name;
	p[2] = v->base_view ? v->base_view : "open";
	p[3] = v->filter ? v->filter : "";
	p[4] = v->sort ? v->sort : "severity";
	if (db_begin(db) < 0)
		return -1;
	res = db_query(db, "INSERT INTO saved_views (analyst_id, name, base_view,"
	    " filter, sort) VALUES ($1, $2, $3, $4, $5)"
	    " ON CONFLICT (analyst_id, name) DO UPDATE SET base_view = excluded.base_view,"
	    " filter = excluded.filter, sort = excluded.sort RETURNING id", 5, p);
	if (res == NULL) {
		if (db_sqlstate_is(db, DB_SQLSTATE_CHECK))
			db_set_error(db, "invalid view name '%s': use 1-32 letters, "
			    "digits, and . _ -", v->name);
		db_rollback(db);
		return -1;
	}
	id = db_ll(res, 0, "id");
	PQclear(res);
	details = json_pack("{s:s, s:s, s:s, s:s}", "name", v->name, "base_view", p[2],
	    "filter", p[3], "sort", p[4]);
	if (audit_append(db, "view.save", "saved_view", id, NULL, 0, details) < 0) {
		json_decref(details);
		db_rollback(db);
		return -1;
	}
	json_decref(details);
	return db_commit(db);
}

int
savedview_get(struct db *db, int analyst_id, const char *name, struct savedview *out)
{
	char aid[16];
	const char *p[2] = { aid, name };
	PGresult *res;

	memset(out, 0, sizeof *out);
	snprintf(aid, sizeof aid, "%d", analyst_id);
	res = db_query(db, "SELECT name, base_view, filter, sort FROM saved_views"
	    " WHERE analyst_id = $1 AND name = $2", 2, p);
	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1) {
		PQclear(res);
		return 1;
	}
	snprintf(out->name, sizeof out->name, "%s", db_value(res, 0, "name"));
	out->base_view = xstrdup(db_value(res, 0, "base_view"));
	out->filter = xstrdup(db_value(res, 0, "filter"));
	out->sort = xstrdup(db_value(res, 0, "sort"));
	PQclear(res);
	return 0;
}

int
savedview_delete(struct db *db, int analyst_id, const char *name)
{
	char aid[16];
	const char *p[2] = { aid, name };
	PGresult *res;
	long long id;
	json_t *details;

	snprintf(aid, sizeof aid, "%d", analyst_id);
	if (db_begin(db) < 0)
		return -1;
	res = db_query(db, "DELETE FROM saved_views WHERE analyst_id = $1"
	    " AND name = $2 RETURNING id", 2, p);
	if (res == NULL) {
		db_rollback(db);
		return -1;
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		db_rollback(db);
		return 1;
	}
	id = db_ll(res, 0, "id");
	PQclear(res);
	details = json_pack("{s:s}", "name", name);
	if (audit_append(db, "view.delete", "saved_view", id, NULL, 0, details) < 0) {
		json_decref(details);
		db_rollback(db);
		return -1;
	}
	json_decref(details);
	return db_commit(db) < 0 ? -1 : 0;
}

int
savedview_names(struct db *db, int analyst_id, char **names, int max)
{
	char aid[16], lim[16];
	const char *p[2] = { aid, lim };
	PGresult *res;
	int i, n;

	snprintf(aid, sizeof aid, "%d", analyst_id);
	snprintf(lim, sizeof lim, "%d", max);
	res = db_query(db, "SELECT name FROM saved_views WHERE analyst_id = $1"
	    " ORDER BY name LIMIT $2", 2, p);
	if (res == NULL)
		return -1;
	n = PQntuples(res);
	for (i = 0; i < n; i++)
		names[i] = xstrdup(PQgetvalue(res, i, 0));
	PQclear(res);
	return n;
}

void
savedview_free(struct savedview *v)
{
	free(v->base_view);
	free(v->filter);
	free(v->sort);
	v->base_view = v->filter = v->sort = NULL;
}
