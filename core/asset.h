/* asset.h: one asset as the console's asset panel shows it: its own
 * fields, its parent, its attributes and the twin's last known state. */
#ifndef VSOC_ASSET_H
#define VSOC_ASSET_H

#include <time.h>

struct db;

struct asset {
	long long	 id;
	char		*kind;
	char		*external_id;
	char		*name;		/* may be NULL */
	int		 criticality;
	char		*parent_ref;	/* parent's "kind external_id", NULL if none */
	char		*attributes;	/* jsonb as text */
	char		*state;		/* asset_state.state as text, NULL if none */
	time_t		 state_as_of;
	long long	 open_alerts;
	time_t		 created_at;
	time_t		 updated_at;
};

/* 0 found, 1 no such asset, -1 error (db->errmsg). */
int	 asset_get(struct db *db, long long id, struct asset *out);
void	 asset_free(struct asset *a);

#endif
