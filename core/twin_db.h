/* twin_db.h: the twin in the database.  An event and the state it
 * folds into are written in one transaction; snapshots every
 * TWIN_SNAPSHOT_EVERY events per asset make "as of T" a short replay;
 * the bulk path (demo seed, a rebuild) folds a whole timeline with the
 * same folds and the same snapshot rule. */
#ifndef VSOC_TWIN_DB_H
#define VSOC_TWIN_DB_H

#include <jansson.h>

#include "twin.h"

struct db;

struct twin_db_event {
	long long	 asset_id;
	long long	 at;		/* microseconds since the epoch */
	const char	*type;
	const char	*source;	/* who reported it ("csms", "tcu", ...) */
	const char	*source_key;	/* the sender's id for it, or NULL */
	const json_t	*data;		/* an object; NULL reads as {} */
};

/* Write the event and fold it into asset_state, in one transaction of its
 * own.  Returns TWIN_FOLDED, TWIN_DUPLICATE (the same source_key again:
 * nothing written) or TWIN_LATE (written, state re-folded from the nearest
 * earlier snapshot), or -1 with db->errmsg.  *event_id gets the new id
 * (0 for a duplicate). */
int	 twin_db_add(struct db *db, const struct twin_db_event *e, long long *event_id);

/* The asset's state: now (at_us < 0; one indexed lookup) or as of at_us
 * (replayed from the nearest snapshot at or before it).  A new reference,
 * or NULL with db->errmsg; an asset without a twin or without events
 * gives an empty object. */
json_t	*twin_db_state(struct db *db, long long asset_id, long long at_us);

/* Fold the whole timeline of one asset (asset_id > 0) or of every asset
 * with a twin (0) into asset_state and asset_snapshots, in the caller's
 * transaction.  *nevents gets the events folded. */
int	 twin_db_rebuild(struct db *db, long long asset_id, long *nevents);

#endif
