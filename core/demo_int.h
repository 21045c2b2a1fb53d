/* demo_int.h: what the parts of the demo seed share.  Internal to
 * core/demo*.c; the rest of vsoc sees only demo.h.
 *
 * demo.c          options, the one transaction, the summary
 * demo_copy.c     time arithmetic, JSON escaping, the COPY writer
 * demo_fleet.c    sites, stations, vehicles, users, services, rollouts
 * demo_tpl.c      alert templates and their ${var} expansion
 * demo_alerts.c   alert generation and its COPY
 * demo_history.c  incidents and notes
 * demo_roles.c    the demo analysts' login roles
 * demo_load.c     bulk-load preparation: drops, rebuilds, catalog reads */
#ifndef VSOC_DEMO_INT_H
#define VSOC_DEMO_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "demo.h"
#include "rng.h"
#include "strbuf.h"

struct db;

#define DAY	86400L

/* --- demo_copy.c ------------------------------------------------------ */

/* "2026-11-01 00:00:00+00" (COPY) or "2026-11-01T00:00:00Z" (JSON). */
void	demo_ts_format(char *buf, time_t t, bool iso);
/* Append s as JSON string content (no quotes); any bytes give valid JSON. */
void	demo_json_escape(struct strbuf *sb, const char *s, size_t n);
void	demo_json_str(struct strbuf *sb, const char *s);

/* A COPY FROM STDIN writer: rows accumulate in a buffer that goes to the
 * server in COPY_CHUNK pieces. */
struct copy {
	struct db	*db;
	char		*buf;
	size_t		 len, cap;
	bool		 failed;
	long		 rows;
};

int	copy_begin(struct copy *c, struct db *db, const char *sql);
/* Send what is left and finish; 0, or -1 with db->errmsg. */
int	copy_end(struct copy *c);
void	copy_strn(struct copy *c, const char *s, size_t n);
void	copy_str(struct copy *c, const char *s);	/* NULL: \N */
void	copy_ll(struct copy *c, long long v);
void	copy_id(struct copy *c, long long v);		/* 0: \N */
void	copy_ts(struct copy *c, time_t t);
void	copy_row_end(struct copy *c);

/* --- demo_fleet.c ----------------------------------------------------- */

/* Fictional vendors: the demo must not suggest real products are hacked. */
struct vendor {
	const char	*name;
	const char	*model;
	const char	*serial_prefix;
	const char	*fw_prefix;
	int		 kw;
};

struct ecu_kind {
	const char	*name;
	const char	*description;
	const char	*supplier;
	int		 criticality;
	int		 always;	/* every vehicle has one */
};
#define FLEET_N_ECU_KINDS	7

struct rollout {
	int		 id;
	const char	*name;
	const char	*status;
	int		 ds;
	const char	*model;		/* target filter */
};
#define FLEET_N_ROLLOUTS	2
#define FLEET_N_SERVICES	4

extern const struct vendor	 fleet_vendors[];
extern const struct ecu_kind	 fleet_ecu_kinds[FLEET_N_ECU_KINDS];
extern const struct rollout	 fleet_rollouts[FLEET_N_ROLLOUTS];
extern const char *const	 fleet_far_countries[];
extern const int		 fleet_n_far_countries;
extern const char *const	 fleet_operators[];
extern const int		 fleet_n_operators;

struct station {
	long long	 id;
	char		 ext[16];
	int		 site;
	int		 vendor;
	const char	*vendor_name;	/* a hostile string for a few */
	const char	*ver;		/* "1.6" or "2.0.1" */
	int		 sp;		/* security profile */
	int		 kw;
	char		 fw[16];
	char		 serial[24];
	long long	 conn_id;	/* first connector's asset id */
	int		 nconn;
};

struct vehicle {
	long long	 id;
	char		 vin[18];
	int		 model;
	char		 sw[16];
	long long	 ecu_id;	/* first ECU's asset id */
	int		 necu;
	unsigned char	 ecu[FLEET_N_ECU_KINDS];	/* kinds, in id order */
};

struct user {
	long long	 id;
	char		 uuid[37];
	char		 name[40];
	int		 vehicle;
	int		 country;
};

struct fleet {
	int		 nsites, nstations, nvehicles, nusers;
	long long	 site_id, service_id, rollout_id;	/* first ids */
	struct station	*st;
	struct vehicle	*veh;
	struct user	*usr;
	long		 connectors, ecus, assets;
};

void	fleet_build(struct fleet *f, const struct demo_opts *o);
void	fleet_free(struct fleet *f);
void	fleet_site_name(char *buf, size_t len, int i);
/* A version 4 UUID from r, as text (37 bytes with the NUL). */
void	fleet_uuid_make(char *out, struct rng *r);
int	fleet_assets_copy(struct db *db, const struct fleet *f, time_t now);
int	fleet_events_copy(struct db *db, const struct fleet *f, uint64_t seed, time_t now,
	    long long base, long *nevents);

/* --- demo_tpl.c ------------------------------------------------------- */

enum target { T_STATION, T_CONNECTOR, T_VEHICLE, T_ECU, T_APP_USER, T_ROLLOUT };

/* The placeholders a template may use, ${name}. */
enum var {
	V_ASSET, V_STATION, V_STATION2, V_SITE, V_CONN, V_VER, V_VENDOR, V_FW, V_FW2,
	V_SERIAL, V_SP, V_KW, V_KW2, V_W2, V_IP, V_IP2, V_LANIP, V_MID, V_TS, V_N,
	V_N2, V_TAG, V_TX, V_WH1, V_WH2, V_OP, V_USER, V_COUNTRY, V_VIN, V_ECU,
	V_SW, V_SW2, V_ROLLOUT, V_RID, V_RSTATUS, V_DS, V_DS2, V_PCT, V_CERTEVT,
	V_RAW, V__COUNT
};

struct alert_tpl {
	const char	*rule;
	int		 weight;
	enum target	 target;
	int		 severity;	/* usual severity; drawn with variance */
	const char	*title;
	const char	*evidence;	/* JSON; ${var} values are JSON-escaped */
};

#define OCPP_HEAD "\"ocpp\": {\"version\": \"${ver}\", \"messageId\": \"${mid}\", "

#define TPL_N	31
extern const struct alert_tpl tpl_table[TPL_N];

/* A template compiled into literal pieces and variable references. */
struct seg {
	const char	*lit;
	int		 len;		/* literal length, or -1 for a variable */
	enum var	 var;
};

struct compiled {
	struct seg	*seg;
	int		 n;
	uint64_t	 need;		/* bit per variable used */
};

/* Per-alert values of the variables. */
struct vars {
	const char	*s[V__COUNT];
	char		 buf[V__COUNT][48];
};

/* Compile a template; a bad placeholder aborts (a typo in the tables). */
void	tpl_compile(struct compiled *c, const char *s);
void	tpl_var_num(struct vars *v, enum var k, long long n);
/* Append the template with v's values, JSON-escaped when json. */
void	tpl_expand(struct strbuf *out, const struct compiled *c, const struct vars *v,
	    bool json);

/* --- demo_alerts.c ---------------------------------------------------- */

#define SPAN_HOURS (30 * 24)
#define ALERTS_N_DISPOSITIONS	4

struct gen {
	const struct demo_opts	*o;
	const struct fleet	*f;
	struct rng		 r;
	struct compiled		 title[TPL_N], ev[TPL_N];
	int			 weights[TPL_N];
	int			 disp_weights[ALERTS_N_DISPOSITIONS];
	double			 cum[SPAN_HOURS];	/* time distribution */
	int			 analysts[5];		/* alice..erin ids */
	long long		 alert_base, note_base, inc_base;
	int			 nincidents;
	/* Each template's incident theme, -1 if none: incident k (from 0)
	 * has theme k % HISTORY_N_THEMES. */
	int			 theme_of[TPL_N];
	struct copy		 notes;		/* COPY rows, sent after the alerts */
	long			 nnotes;
	struct strbuf		 title_buf, ev_buf;
};

/* Compile the templates and lay out the tables the draws use. */
void	alerts_gen_init(struct gen *g);
void	alerts_gen_free(struct gen *g);
/* COPY every alert; notes about them wait in g->notes. */
int	alerts_copy(struct gen *g, struct db *db, long *nalerts);

/* --- demo_history.c --------------------------------------------------- */

#define HISTORY_N_THEMES	8

/* The incident theme of a rule, or -1. */
int	history_theme_of(const char *rule);
void	history_note_add(struct gen *g, long long alert_id, long long incident_id,
	    int author, const char *body, time_t at);
/* A note on an alert, its text drawn from g's stream. */
void	history_note_alert(struct gen *g, long long alert_id, int author, time_t at);
int	history_incidents_copy(struct gen *g, struct db *db);
int	history_notes_copy(struct gen *g, struct db *db);

/* --- demo_roles.c ----------------------------------------------------- */

/* Create or update the demo analysts' login roles; ids into g->analysts. */
int	roles_setup(struct gen *g, struct db *db);

/* --- demo_load.c ------------------------------------------------------ */

int	demo_exec(struct db *db, const char *sql);
long long demo_query_ll(struct db *db, const char *sql, int nparams,
	    const char *const *params);
/* Statements read back from the catalog to undo a drop later. */
struct ddl {
	char	**sql;
	int	  n;
};

void	ddl_free(struct ddl *d);
int	ddl_take(struct db *db, const char *query, int nparams, const char *const *params,
	    struct ddl *keep);
int	ddl_run(struct db *db, const struct ddl *d, const struct demo_opts *o);

/* What a bulk load set aside, to put back before the commit. */
struct bulk {
	struct ddl	restore;	/* memory settings and indexes, keys,
					   then triggers */
	int		ntrig;		/* the last ntrig of restore */
	int		done;		/* restore statements run */
	long long	counts;		/* alert_counts trigger skipped */
	long long	notify;		/* change-notice trigger skipped */
	long long	groups;		/* candidate-group triggers skipped */
};

/* For a load into the tables in tables (a text[] literal): drop their
 * secondary indexes and foreign keys and disable the INSERT triggers the
 * seed stands in for, all read from the catalog. */
int	bulk_begin(struct db *db, const char *tables, struct bulk *b);
/* Re-create the indexes and keys, the triggers still off: the seed's
 * later steps (demo incidents, candidates) change loaded rows with the
 * indexes back but send no change notice of their own. */
int	bulk_restore_indexes(struct db *db, struct bulk *b, const struct demo_opts *o);
/* Re-create whatever is not yet, re-enable the triggers, then fill
 * alert_counts by one aggregate, rebuild the candidate groups and send one
 * change notice. */
int	bulk_end(struct db *db, struct bulk *b, const struct demo_opts *o);
void	bulk_free(struct bulk *b);

#endif
