/* demo_load.c: bulk-load plumbing for the seed: statements run for
 * their effect, single numbers read back, and DDL taken from the catalog
 * (dropped now, re-created later) so the schema stays the one source of
 * truth for what a loaded table must have. */
#include <stdlib.h>

#include "db.h"
#include "demo_int.h"
#include "strbuf.h"

int
demo_exec(struct db *db, const char *sql)
{
	return db_command(db, sql, 0, NULL) < 0 ? -1 : 0;
}

void
ddl_free(struct ddl *d)
{
	int i;

	for (i = 0; i < d->n; i++)
		free(d->sql[i]);
	free(d->sql);
	d->sql = NULL;
	d->n = 0;
}

/* Run column 0 of every row now (the drops) and keep column 1 for later
 * (the re-creates).  Both come from the catalog, never from input. */
int
ddl_take(struct db *db, const char *query, struct ddl *keep)
{
	PGresult *res = db_query(db, query, 0, NULL);
	int i, n;

	if (res == NULL)
		return -1;
	n = PQntuples(res);
	keep->sql = xrealloc(keep->sql, (size_t)(keep->n + n + 1) * sizeof *keep->sql);
	for (i = 0; i < n; i++)
		keep->sql[keep->n++] = xstrdup(PQgetvalue(res, i, 1));
	for (i = 0; i < n; i++)
		if (demo_exec(db, PQgetvalue(res, i, 0)) < 0) {
			PQclear(res);
			return -1;
		}
	PQclear(res);
	return 0;
}

int
ddl_run(struct db *db, const struct ddl *d, const struct demo_opts *o)
{
	int i;

	for (i = 0; i < d->n; i++) {
		if (demo_exec(db, d->sql[i]) < 0)
			return -1;
		if (o->progress != NULL)
			o->progress("indexes", i + 1, d->n, o->arg);
	}
	return 0;
}

long long
demo_query_ll(struct db *db, const char *sql)
{
	PGresult *res = db_query(db, sql, 0, NULL);
	long long v;

	if (res == NULL)
		return -1;
	v = PQgetisnull(res, 0, 0) ? 0 : atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	return v;
}

/* The demo's analysts, each a login role with the demo's role, so that
 * PGUSER=bob vsoc works on any demo database.  A role that exists already
 * (roles belong to the whole cluster) is reused. */
