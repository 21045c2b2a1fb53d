/* analyst.h: who is acting.  Until roles are enforced by PostgreSQL
 * (roadmap 7) the acting analyst is --as NAME, else $VSOC_ANALYST, else the
 * database session user; a name seen for the first time is registered. */
#ifndef VSOC_ANALYST_H
#define VSOC_ANALYST_H

struct db;

struct analyst {
	int	id;
	char	name[65];
	char	role[16];
};

/* Resolve and register the acting analyst.  0, or -1 with db->errmsg. */
int	analyst_self(struct db *db, const char *override, struct analyst *out);
/* Look an analyst up by name: 0 found, 1 unknown, -1 error. */
int	analyst_lookup(struct db *db, const char *name, struct analyst *out);
/* Names of active analysts starting with prefix (for completion), sorted;
 * returns the count (at most max) or -1.  Caller frees each name. */
int	analyst_names(struct db *db, const char *prefix, char **names, int max);

#endif
