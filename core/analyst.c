/* analyst.c: the acting analyst is the session user; managing analysts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyst.h"
#include "db.h"
#include "strbuf.h"

static const char *const role_names[] = {
	[ROLE_NONE] = "none",
	[ROLE_VIEWER] = "viewer",
	[ROLE_ANALYST] = "analyst",
	[ROLE_LEAD] = "lead",
	[ROLE_ADMIN] = "admin",
};

const char *
analyst_role_name(enum analyst_role r)
{
	return r >= ROLE_NONE && r <= ROLE_ADMIN ? role_names[r] : "none";
}

enum analyst_role
analyst_role_parse(const char *s)
{
	int r;

	for (r = ROLE_VIEWER; s != NULL && r <= ROLE_ADMIN; r++)
		if (strcmp(s, role_names[r]) == 0)
			return (enum analyst_role)r;
	return ROLE_NONE;
}

bool
analyst_can(const struct analyst *a, enum analyst_role min)
{
	return a != NULL && a->active && a->role >= min;
}

static void
analyst_fill(const PGresult *res, int row, struct analyst *out)
{
	const char *d = db_value(res, row, "display_name");

	out->id = db_int(res, row, "id");
	snprintf(out->name, sizeof out->name, "%s", db_value(res, row, "name"));
	snprintf(out->display, sizeof out->display, "%s", d ? d : "");
	out->active = db_bool(res, row, "active");
}

int
analyst_self(struct db *db, struct analyst *out)
{
	PGresult *res;
	const char *user;
	bool found;

	memset(out, 0, sizeof *out);
	/* The role comes from the memberships the database enforces, not
	 * from analysts.role, which only mirrors them. */
	res = db_query(db, "SELECT * FROM vsoc_whoami()", 0, NULL);
	if (res == NULL)
		return -1;
	user = db_value(res, 0, "session");
	found = db_value(res, 0, "id") != NULL;
	if (found) {
		analyst_fill(res, 0, out);
		out->role = analyst_role_parse(db_value(res, 0, "role"));
	}
	snprintf(db->sqlstate, sizeof db->sqlstate, "%s", DB_SQLSTATE_NO_PRIV);
	if (!found)
		db_set_error(db, "database user '%s' is not a vsoc analyst; hint: connect"
		    " as an analyst (PGUSER=NAME, or user=NAME in --db), or have an admin"
		    " run: vsoc analyst add %s --role analyst", user, user);
	else if (!out->active)
		db_set_error(db, "analyst '%s' is disabled; hint: an admin re-enables it"
		    " with: vsoc analyst enable %s", out->name, out->name);
	else if (out->role == ROLE_NONE)
		db_set_error(db, "analyst '%s' has no vsoc role in the database; hint: an"
		    " admin grants one with: vsoc analyst role %s ROLE", out->name, out->name);
	PQclear(res);
	if (!found || !out->active || out->role == ROLE_NONE)
		return -1;
	db->sqlstate[0] = '\0';
	return 0;
}

int
analyst_is_dba(struct db *db)
{
	PGresult *res = db_query(db, "SELECT pg_has_role(session_user, 'vsoc_owner',"
	    " 'MEMBER') AS dba", 0, NULL);
	int dba;

	if (res == NULL)
		return -1;
	dba = db_bool(res, 0, "dba");
	PQclear(res);
	return dba;
}

int
analyst_lookup(struct db *db, const char *name, struct analyst *out)
{
	const char *p[1] = { name };
	PGresult *res;
	int found;

	res = db_query(db, "SELECT id, name, display_name, role, active FROM analysts"
	    " WHERE name = $1", 1, p);
	if (res == NULL)
		return -1;
	found = PQntuples(res) == 1;
	if (found) {
		analyst_fill(res, 0, out);
		out->role = analyst_role_parse(db_value(res, 0, "role"));
	}
	PQclear(res);
	return found ? 0 : 1;
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

/* The management functions check the caller and write their own audit
 * record; one statement is one transaction. */
static int
analyst_call(struct db *db, const char *sql, int n, const char *const *p)
{
	PGresult *res = db_query(db, sql, n, p);

	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

int
analyst_add(struct db *db, const char *name, enum analyst_role role, const char *display)
{
	const char *p[3] = { name, analyst_role_name(role), display };

	return analyst_call(db, "SELECT vsoc_analyst_add($1, $2, $3)", 3, p);
}

int
analyst_set_role(struct db *db, const char *name, enum analyst_role role)
{
	const char *p[2] = { name, analyst_role_name(role) };

	return analyst_call(db, "SELECT vsoc_analyst_set_role($1, $2)", 2, p);
}

int
analyst_set_active(struct db *db, const char *name, bool active, const char *reason)
{
	const char *p[3] = { name, active ? "true" : "false", reason };

	return analyst_call(db, "SELECT vsoc_analyst_set_active($1, $2, $3)", 3, p);
}
