/* analyst.c: the acting analyst, registered on first use. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyst.h"
#include "db.h"
#include "strbuf.h"

static void
analyst_fill(const PGresult *res, struct analyst *out)
{
	out->id = db_int(res, 0, "id");
	snprintf(out->name, sizeof out->name, "%s", db_value(res, 0, "name"));
	snprintf(out->role, sizeof out->role, "%s", db_value(res, 0, "role"));
}

int
analyst_lookup(struct db *db, const char *name, struct analyst *out)
{
	const char *p[1] = { name };
	PGresult *res;
	int found;

	res = db_query(db, "SELECT id, name, role FROM analysts WHERE name = $1", 1, p);
	if (res == NULL)
		return -1;
	found = PQntuples(res) == 1;
	if (found)
		analyst_fill(res, out);
	PQclear(res);
	return found ? 0 : 1;
}

int
analyst_self(struct db *db, const char *override, struct analyst *out)
{
	const char *name = override;
	char user[65];
	const char *p[1];
	PGresult *res;

	memset(out, 0, sizeof *out);
	if (name == NULL || *name == '\0')
		name = getenv("VSOC_ANALYST");
	if (name == NULL || *name == '\0') {
		res = db_query(db, "SELECT session_user AS u", 0, NULL);
		if (res == NULL)
			return -1;
		snprintf(user, sizeof user, "%s", db_value(res, 0, "u"));
		PQclear(res);
		name = user;
	}
	p[0] = name;
	/* Insert-or-select in one statement, safe against a concurrent first
	 * start of the same analyst. */
	res = db_query(db,
	    "WITH ins AS (INSERT INTO analysts (name) VALUES ($1)"
	    "  ON CONFLICT (name) DO NOTHING RETURNING id, name, role)"
	    " SELECT id, name, role FROM ins"
	    " UNION ALL SELECT id, name, role FROM analysts WHERE name = $1"
	    " LIMIT 1", 1, p);
	if (res == NULL) {
		if (db_sqlstate_is(db, DB_SQLSTATE_CHECK)) {
			char msg[sizeof db->errmsg];
			snprintf(msg, sizeof msg, "%s", db->errmsg);
			db_set_error(db, "invalid analyst name '%s': use 1-64 letters, "
			    "digits, and . _ @ - (not me, none or -)", name);
		}
		return -1;
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		db_set_error(db, "cannot register analyst '%s'", name);
		return -1;
	}
	analyst_fill(res, out);
	PQclear(res);
	return 0;
}

int
analyst_names(struct db *db, const char *prefix, char **names, int max)
{
	const char *p[2];
	char lim[16];
	PGresult *res;
	int i, n;

	snprintf(lim, sizeof lim, "%d", max);
	p[0] = prefix ? prefix : "";
	p[1] = lim;
	res = db_query(db, "SELECT name FROM analysts WHERE active"
	    " AND left(name, length($1)) = $1 ORDER BY name LIMIT $2", 2, p);
	if (res == NULL)
		return -1;
	n = PQntuples(res);
	for (i = 0; i < n; i++)
		names[i] = xstrdup(PQgetvalue(res, i, 0));
	PQclear(res);
	return n;
}
