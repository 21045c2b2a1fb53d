/* demo_roles.c: the demo's analysts as login roles. */
#include <stddef.h>

#include "analyst.h"
#include "db.h"
#include "demo_int.h"

/* The demo's analysts, each a login role with the demo's role, so that
 * PGUSER=bob vsoc works on any demo database.  A role that exists already
 * (roles belong to the whole cluster) is reused. */
int
roles_setup(struct gen *g, struct db *db)
{
	static const char *const names[5] = { "alice", "bob", "carol", "dave", "erin" };
	static const char *const display[5] = { "Alice Lindqvist", "Bob Okafor",
		"Carol Reyes", "Dave Brandt", "Erin Moreau" };
	static const enum analyst_role roles[5] = { ROLE_LEAD, ROLE_ANALYST, ROLE_ANALYST,
		ROLE_ADMIN, ROLE_VIEWER };
	struct analyst a;
	int i, found;

	for (i = 0; i < 5; i++) {
		found = analyst_lookup(db, names[i], &a);
		if (found < 0)
			return -1;
		if (found == 1 || !a.active) {
			if (analyst_add(db, names[i], roles[i], display[i]) < 0)
				return -1;
		} else if (analyst_set_role(db, names[i], roles[i]) < 0) {
			return -1;
		}
		if (analyst_lookup(db, names[i], &a) != 0)
			return -1;
		g->analysts[i] = a.id;
	}
	return 0;
}
