/* demo.h: the deterministic demo fleet.  Same seed, same fleet, same
 * alerts, on every machine; a million alerts load through COPY. */
#ifndef VSOC_DEMO_H
#define VSOC_DEMO_H

#include <stdint.h>
#include <time.h>

struct db;

/* Upper bounds for the options: large enough for benchmarks, small enough
 * that the fleet fits in memory. */
#define DEMO_MAX_SITES		1000
#define DEMO_MAX_STATIONS	50000
#define DEMO_MAX_VEHICLES	100000
#define DEMO_MAX_ALERTS		10000000L

struct demo_opts {
	uint64_t	seed;		/* default 1 */
	int		sites;		/* default 3 */
	int		stations;	/* default 200 */
	int		vehicles;	/* default 500 */
	long		alerts;		/* default 5000 */
	time_t		now;		/* timestamps end here; default time(NULL)
					   rounded down to the minute */
	/* Progress for long seeds; may be NULL. */
	void		(*progress)(const char *what, long done, long total, void *arg);
	void		*arg;
};

struct demo_stats {
	long	assets;
	long	events;
	long	alerts;
	double	seconds;
	/* The parts of the summary. */
	long	sites, stations, connectors, vehicles, ecus, app_users;
	long	services, rollouts, incidents, notes;
};

void	demo_opts_init(struct demo_opts *o);
/* Parse --now: YYYY-MM-DD[THH:MM[:SS]][Z|+HH[:MM]|-HH[:MM]], UTC unless
 * an offset is given.  0, or -1 when malformed or before 1970. */
int	demo_parse_time(const char *s, time_t *out);
/* Fill an empty (migrated) database.  Refuses, with a clear error, when
 * alerts already exist.  0, or -1 with db->errmsg. */
int	demo_seed(struct db *db, const struct demo_opts *o, struct demo_stats *st);
/* Rewrite a few of the newest open alerts into one incident candidate of
 * each kind, in the hour before now (core/demo_candidates.c); part of the
 * seed's transaction.  0, or -1 with db->errmsg. */
int	demo_candidates(struct db *db, time_t now);

#endif
