/* migrate.c: apply the embedded migrations in order, idempotently. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "migrate.h"

static int
migrate_prepare(struct db *db)
{
	return db_command(db,
	    "CREATE TABLE IF NOT EXISTS schema_migrations ("
	    " version integer PRIMARY KEY,"
	    " name text NOT NULL,"
	    " applied_at timestamptz NOT NULL DEFAULT now())", 0, NULL) < 0 ? -1 : 0;
}

int
migrate_latest(void)
{
	return migrations_count > 0 ? migrations[migrations_count - 1].version : 0;
}

int
migrate_current(struct db *db)
{
	PGresult *res;
	int v;

	res = db_query(db, "SELECT coalesce(max(version), 0) AS v FROM schema_migrations"
	    " WHERE to_regclass('schema_migrations') IS NOT NULL", 0, NULL);
	if (res == NULL) {
		/* No table yet means version 0. */
		if (db_sqlstate_is(db, "42P01"))
			return 0;
		return -1;
	}
	v = PQntuples(res) ? db_int(res, 0, "v") : 0;
	PQclear(res);
	return v;
}

int
migrate_apply(struct db *db, migrate_cb cb, void *arg)
{
	int i, applied = 0;

	/* Two migrators at once: the advisory lock makes the second wait,
	 * then find nothing left to do. */
	if (db_command(db, "SELECT pg_advisory_lock(7324000)", 0, NULL) < 0)
		return -1;
	if (migrate_prepare(db) < 0)
		goto fail;
	for (i = 0; i < migrations_count; i++) {
		const struct migration *m = &migrations[i];
		char ver[16];
		const char *p[2] = { ver, m->name };
		PGresult *res;
		int have;

		snprintf(ver, sizeof ver, "%d", m->version);
		res = db_query(db, "SELECT 1 FROM schema_migrations WHERE version = $1",
		    1, p);
		if (res == NULL)
			goto fail;
		have = PQntuples(res);
		PQclear(res);
		if (have)
			continue;
		if (db_begin(db) < 0)
			goto fail;
		if (db_script(db, m->sql) < 0 ||
		    db_command(db, "INSERT INTO schema_migrations (version, name)"
		    " VALUES ($1, $2)", 2, p) < 0) {
			char msg[sizeof db->errmsg];

			db_rollback(db);
			snprintf(msg, sizeof msg, "%s", db->errmsg);
			db_set_error(db, "migration %s failed and was rolled back: %s",
			    m->name, msg);
			goto fail;
		}
		if (db_commit(db) < 0)
			goto fail;
		applied++;
		if (cb != NULL)
			cb(m, arg);
	}
	db_command(db, "SELECT pg_advisory_unlock(7324000)", 0, NULL);
	return applied;
fail:
	{
		char msg[sizeof db->errmsg], state[sizeof db->sqlstate];

		snprintf(msg, sizeof msg, "%s", db->errmsg);
		memcpy(state, db->sqlstate, sizeof state);
		db_command(db, "SELECT pg_advisory_unlock(7324000)", 0, NULL);
		snprintf(db->errmsg, sizeof db->errmsg, "%s", msg);
		memcpy(db->sqlstate, state, sizeof state);
	}
	return -1;
}
