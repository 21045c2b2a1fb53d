/* analyst.h: who is acting, and what their role lets them do.
 *
 * The analyst is the database session user: a PostgreSQL login role with
 * a row of the same name in analysts and membership in one of the groups
 * vsoc_viewer < vsoc_analyst < vsoc_lead < vsoc_admin (sql/002_security.sql).
 * The database enforces the role; vsoc reads it only to say no early, with
 * a better message, and to grey out what the analyst cannot do. */
#ifndef VSOC_ANALYST_H
#define VSOC_ANALYST_H

#include <stdbool.h>

struct db;

enum analyst_role {
	ROLE_NONE,	/* no vsoc group: can do nothing */
	ROLE_VIEWER,	/* reads */
	ROLE_ANALYST,	/* triage, incidents */
	ROLE_LEAD,	/* also reassigns, overrides, approves */
	ROLE_ADMIN	/* also manages analysts, rules, settings */
};

struct analyst {
	int			 id;
	char			 name[65];
	char			 display[129];
	enum analyst_role	 role;	/* from the session's memberships */
	bool			 active;
};

const char	*analyst_role_name(enum analyst_role r);
/* "viewer".."admin"; ROLE_NONE when unknown. */
enum analyst_role analyst_role_parse(const char *s);
bool		 analyst_can(const struct analyst *a, enum analyst_role min);

/* The session user as an analyst.  0; or -1 with db->errmsg naming why not
 * (not an analyst, disabled, no vsoc role) and SQLSTATE 42501 for those. */
int		 analyst_self(struct db *db, struct analyst *out);
/* True when the session user is a superuser or a member of vsoc_owner:
 * the DBA, who migrates and seeds; -1 on error. */
int		 analyst_is_dba(struct db *db);

/* Look an analyst up by name: 0 found, 1 unknown, -1 error. */
int		 analyst_lookup(struct db *db, const char *name, struct analyst *out);
/* Names of active analysts starting with prefix (for completion), sorted;
 * returns the count (at most max) or -1.  Caller frees each name. */
int		 analyst_names(struct db *db, const char *prefix, char **names, int max);

/* Admin: create (or re-enable) an analyst with a login role; change a
 * role; disable or enable.  Each is one transaction and one audit record
 * written by the database.  0, or -1 with db->errmsg. */
int		 analyst_add(struct db *db, const char *name, enum analyst_role role,
		    const char *display);
int		 analyst_set_role(struct db *db, const char *name, enum analyst_role role);
int		 analyst_set_active(struct db *db, const char *name, bool active,
		    const char *reason);

#endif
