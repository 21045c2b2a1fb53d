/* triage_int.h: what the files of the alert actions share: the run
 * (triage.c), the actions' table and hooks (triage_actions.c, and escalate's
 * in incident_escalate.c), checking a request (triage_validate.c) and the
 * audit record and messages (triage_message.c): a locked alert, an
 * action's spec and the helpers they fail and report through.  Not for
 * front ends: they use triage.h. */
#ifndef VSOC_TRIAGE_INT_H
#define VSOC_TRIAGE_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "analyst.h"
#include "model.h"
#include "strbuf.h"
#include "triage.h"

#define BIT(st)		(1u << (st))
#define FROM_OPEN	(BIT(ST_NEW) | BIT(ST_ACKNOWLEDGED))
#define FROM_LIVE	(FROM_OPEN | BIT(ST_ESCALATED))
#define FROM_DONE	(BIT(ST_CLOSED) | BIT(ST_SUPPRESSED))
#define FROM_ANY	(FROM_LIVE | FROM_DONE)

/* Previous values recorded in the audit record's details. */
#define PREV_STATUS	0x1
#define PREV_ASSIGNEE	0x2
#define PREV_DISP	0x4

/* A deadlock or serialization failure is worth another try: the action is
 * all-or-nothing, so re-running it is safe. */
#define TRIAGE_ATTEMPTS	3

/* The key an unassigned alert is grouped under in the details; it cannot be
 * an analyst name (the schema forbids parentheses). */
#define NOBODY		"(none)"

struct trun;
struct trow;

enum text_rule {
	TEXT_NONE,
	TEXT_REASON,	/* required, at most TRIAGE_REASON_MAX */
	TEXT_BODY	/* a note: required, at most TRIAGE_NOTE_MAX */
};

/* Values an action's UPDATE can take after $1 (the alert ids). */
enum tparam {
	TP_NONE,
	TP_ACTOR,	/* the acting analyst's id */
	TP_TARGET,	/* TA_ASSIGN: the assignee's id */
	TP_DISPOSITION,
	TP_TEXT,
	TP_INCIDENT
};

struct tspec {
	const char	*name;		/* "take"; audit action "alert.take" */
	const char	*done;		/* "alert 42 <done><suffix>" */
	const char	*lead;		/* or "<lead> alert 42" when set */
	unsigned	 from;		/* statuses it applies to */
	enum alert_status to;		/* status it sets; ST_UNKNOWN if none/varies */
	enum text_rule	 text;
	const char	*set;		/* UPDATE alerts SET <set>; NULL: no update */
	enum tparam	 params[2];	/* $2, $3 of that UPDATE */
	int		 prev;		/* PREV_* recorded in the details */

	/* Hooks, each optional.  Those returning a result fill the outcome
	 * through trun_fail() when they fail. */
	enum triage_result (*resolve)(struct trun *);	/* before locking */
	enum triage_result (*check)(struct trun *, const struct trow *);
	bool	(*same)(const struct trun *, const struct trow *);	/* no-op? */
	enum triage_result (*before)(struct trun *);	/* before the UPDATE */
	enum triage_result (*after)(struct trun *);	/* after the UPDATE */
	void	(*detail)(struct trun *);		/* audit details */
	void	(*suffix)(const struct trun *, struct strbuf *);
};

/* One locked alert; text columns stay in trun.locked. */
struct trow {
	long long		 id;
	enum alert_status	 status;
	int			 version;
	int			 assignee_id;	/* 0: nobody */
	long long		 asset_id;
	long long		 incident_id;	/* 0: none */
	int			 severity;
	int			 row;		/* in trun.locked */
	int			 expect;	/* expected version, 0: any */
	bool			 requested;	/* named by the caller */
	bool			 same;		/* already as the action leaves it */
	bool			 touched;	/* in the audit record */
	bool			 change;	/* the UPDATE applies to it */
};

struct trun {
	struct db		*db;
	const struct triage_req	*req;
	const struct tspec	*spec;
	struct triage_outcome	*out;
	long long		*ids;		/* requested, sorted, unique */
	int			*expect;	/* their expected versions, 0: any */
	size_t			 n;

	/* Per attempt. */
	PGresult		*locked;
	struct trow		*rows;
	size_t			 nrows;
	PGresult		*names;		/* id, name of the rows' assignees */
	struct analyst		 target;	/* TA_ASSIGN */
	long long		 incident;	/* TA_ESCALATE: 0 until created */
	bool			 incident_new;
	long long		*changed;
	size_t			 nchanged;
	long long		*touched;
	size_t			 ntouched;
	size_t			 nsame;		/* requested alerts left as they were */
	size_t			 nsimilar;	/* TA_SUPPRESS: matched, not requested */
	size_t			 nsuppressions;
	const struct trow	*stale;		/* failed the version check */
	json_t			*details;
};

/* The actions, indexed by enum triage_action (triage_actions.c). */
extern const struct tspec triage_specs[TA__COUNT];

/* Fill an outcome: result, the alert that failed, a one-line message. */
void		 triage_outcome_vset(struct triage_outcome *out, enum triage_result res,
		    long long id, const char *fmt, va_list ap);
/* A usage refusal, before any database work. */
enum triage_result triage_usage(struct triage_outcome *out, long long id,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* [1, 2, 3]: a JSON array of ids. */
json_t		*triage_ids_json(const long long *ids, size_t n);
/* The name of analyst id among the run's locked alerts' assignees, the
 * actor and the assignee ("(none)" for 0, "" if unknown). */
const char	*trun_analyst_name(const struct trun *r, int id);

/* After the changes (triage_message.c): the one audit record, the
 * message of a success, and the conflict message naming who changed the
 * stale alert (best effort). */
enum triage_result triage_audit(struct trun *r);
void		 triage_message(struct trun *r);
void		 triage_stale_message(struct trun *r);

/* Fill the outcome and return res; the message is one line. */
enum triage_result trun_fail(struct trun *r, enum triage_result res, long long id,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* After a failed statement: denied, conflict (dedup key) or error. */
enum triage_result trun_dberror(struct trun *r);
/* {1,2,3}: a bigint[] parameter. */
void		 triage_ids_text(struct strbuf *sb, const long long *ids, size_t n);
/* A text column of a locked alert (NULL for SQL NULL). */
const char	*trow_text(const struct trun *r, const struct trow *w, const char *col);
/* A locked alert by id, NULL if it is not among them. */
const struct trow *trow_find(const struct trun *r, long long id);

/* Escalate's hooks (core/incident_escalate.c). */
enum triage_result escalate_resolve(struct trun *);
enum triage_result escalate_check(struct trun *, const struct trow *);
bool		 escalate_same(const struct trun *, const struct trow *);
enum triage_result escalate_before(struct trun *);
enum triage_result escalate_after(struct trun *);
void		 escalate_suffix(const struct trun *, struct strbuf *);

#endif
