/* twin.h: the digital twin's state, derived from an asset's event timeline.
 *
 * Pure C over jansson: no database, no terminal.  One derivation (fold)
 * per asset kind takes the current state and one event and updates the
 * state; twin.c dispatches on the kind, fixes the order rule and keeps
 * snapshots.
 *
 * The order rule, the same for the demo, the ingest and every replay:
 *   - events are folded in (at, id) order, at in microseconds since the
 *     epoch, id the event's identity (asset_events.id);
 *   - an event whose (at, id) equals one already folded is a duplicate and
 *     changes nothing;
 *   - an event older than the state's (at, id) is late: it joins the
 *     timeline and the state is re-folded from the nearest snapshot before
 *     it (twin_log_add), never from the beginning of history.
 * The state names its own position: "as_of" (ISO time), "as_of_us",
 * "event_id" and "events" (how many were folded).  Keys starting with '_'
 * are the fold's working memory (window buckets), not for display. */
#ifndef VSOC_TWIN_H
#define VSOC_TWIN_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

enum twin_kind {
	TWIN_STATION,
	TWIN_CONNECTOR,
	TWIN_VEHICLE,
	TWIN_ECU,
	TWIN_APP_USER,
	TWIN_ROLLOUT,
	TWIN_N_KINDS
};

/* One event as the fold sees it; data is borrowed, never kept. */
struct twin_event {
	long long	 id;
	long long	 at;		/* microseconds since the epoch */
	const char	*type;
	const json_t	*data;		/* an object; NULL reads as {} */
};

/* Sliding windows of the counters, in seconds, and their bucket width:
 * a counter's window is every whole bucket that ends after the state's
 * time minus the window (bucket-exact, so the fold stays bounded). */
#define TWIN_BUCKET_S		300
#define TWIN_WINDOW_SHORT_S	3600
#define TWIN_WINDOW_LONG_S	86400
/* Bounded lists: the newest this many are kept. */
#define TWIN_RECENT		10
/* A snapshot every this many folded events per asset. */
#define TWIN_SNAPSHOT_EVERY	256

/* "station" ... "ota_rollout" (assets.kind); -1 for a kind without a twin. */
int		 twin_kind_parse(const char *s);
const char	*twin_kind_name(enum twin_kind k);

/* A fresh, empty state. */
json_t		*twin_state_new(void);

enum twin_fold_result {
	TWIN_FOLDED,		/* the state moved on */
	TWIN_DUPLICATE,		/* this (at, id) is the state's own: nothing to do */
	TWIN_LATE		/* older than the state: re-fold (state untouched) */
};

/* Fold ev into state in place (a copy per event would cost a full state
 * for every one of 100,000 events; callers that need the old state keep a
 * json_deep_copy).  Returns what happened. */
enum twin_fold_result twin_fold(enum twin_kind k, json_t *state, const struct twin_event *ev);

/* -1, 0, 1 as (a.at, a.id) compares to (b.at, b.id). */
int		 twin_event_cmp(const struct twin_event *a, const struct twin_event *b);
/* The state's position; false for an empty state. */
bool		 twin_state_key(const json_t *state, long long *at, long long *id);

/* Fold events (any order, duplicates allowed; the array is sorted in
 * place) into a copy of base (NULL: empty), skipping those at or before
 * base's position and those after until_us (pass a huge value for all).
 * Returns a new reference. */
json_t		*twin_replay(enum twin_kind k, const json_t *base, struct twin_event *ev,
		    size_t n, long long until_us);

/* Whether a state that just folded its events-th event should be kept as
 * a snapshot. */
bool		 twin_snapshot_due(const json_t *state);

/* "2026-11-01T00:00:00.000000Z"; buf has 32 bytes. */
void		 twin_time_format(char *buf, long long us);
/* ISO 8601 ("2026-11-01", "2026-11-01T10:00", "...:00Z", "...+02:00",
 * fractions) or whole epoch seconds to microseconds; -1 if not a time. */
int		 twin_time_parse(const char *s, long long *us);

/* An asset's timeline in memory with its snapshots: the model the
 * database path follows (twin_db.c), and what the unit tests drive. */
struct twin_log_event {
	struct twin_event	 ev;
	char			*type;
	json_t			*data;
};

struct twin_log_snapshot {
	long long	 at, id;
	json_t		*state;
};

struct twin_log {
	enum twin_kind			 kind;
	struct twin_log_event		*ev;
	size_t				 n, cap;
	struct twin_log_snapshot	*snap;
	size_t				 nsnap, capsnap;
	json_t				*state;
	long				 refolds;	/* late events re-folded */
	long				 refolded;	/* events folded again for them */
};

void	 twin_log_init(struct twin_log *l, enum twin_kind k);
void	 twin_log_free(struct twin_log *l);
/* Add one event (copied); returns its fold result (TWIN_LATE: re-folded
 * from the nearest earlier snapshot). */
enum twin_fold_result twin_log_add(struct twin_log *l, const struct twin_event *ev);
/* The state as of at_us (every event with at <= at_us), replayed from the
 * nearest snapshot at or before it.  A new reference. */
json_t	*twin_log_state_at(const struct twin_log *l, long long at_us);

/* --- for the per-kind folds (twin_*.c) ------------------------------ */

const char	*twin_str(const json_t *o, const char *key);	/* NULL unless a string */
/* A string or a number as text (OCPP sends both for ids and values). */
bool		 twin_text(const json_t *o, const char *key, char *buf, size_t size);
void		 twin_set_str(json_t *o, const char *key, const char *v);	/* NULL: null */
void		 twin_set_time(json_t *o, const char *key, long long us);
/* The object at key, created empty when missing. */
json_t		*twin_obj(json_t *o, const char *key);
/* Push item (stolen) at the front of the array at key, keeping max. */
void		 twin_recent_push(json_t *o, const char *key, json_t *item, size_t max);
/* A sorted set of strings at key. */
void		 twin_set_add(json_t *o, const char *key, const char *v);
void		 twin_set_remove(json_t *o, const char *key, const char *v);
/* Count one event at at_us in the windowed counter name. */
void		 twin_counter_bump(json_t *state, const char *name, long long at_us);
/* Recompute "counters" for the names as of at_us (every fold ends with
 * it: time moving on empties windows even without new counts). */
void		 twin_counters_refresh(json_t *state, const char *const *names, long long at_us);

/* The per-kind folds: state updated in place for one event in order. */
void	 twin_station_fold(json_t *state, const struct twin_event *ev);
void	 twin_connector_fold(json_t *state, const struct twin_event *ev);
void	 twin_vehicle_fold(json_t *state, const struct twin_event *ev);
void	 twin_ecu_fold(json_t *state, const struct twin_event *ev);
void	 twin_account_fold(json_t *state, const struct twin_event *ev);
void	 twin_rollout_fold(json_t *state, const struct twin_event *ev);

#endif
