/* queue_int.h: what the queue's files share (core/queue.c pages and rows,
 * core/queue_search.c free words and the choice of plan, core/queue_count.c
 * counts): sort orders, views, the parameter list and the parts every
 * statement is built from.  Not for use outside core/queue*.c; queue.h is
 * the module's interface. */
#ifndef VSOC_QUEUE_INT_H
#define VSOC_QUEUE_INT_H

#include <stdbool.h>

#include <libpq-fe.h>

#include "queue.h"

struct db;
struct strbuf;

/* --- sort orders and views (queue.c) ------------------------------------- */

struct sort_def {
	const char	*name;
	bool		 desc;			/* natural direction */
	int		 nkeys;
	const char	*expr[QUEUE_MAX_KEYS];	/* SQL over alias a */
	const char	*type[QUEUE_MAX_KEYS];	/* cast for the cursor value */
};

extern const struct sort_def queue_sort_defs[QS__COUNT];
/* The breaching view's order: the deadline, then id (core/queue_sla.c). */
extern const struct sort_def queue_deadline_sort;
/* The sort definition q's rows come in. */
const struct sort_def *queue_query_sort(const struct queue_query *q);

/* An open alert's deadline: its start plus its clock's target, in seconds
 * as core/sla.c counts (NULL without a target).  The breaching view's
 * statements compute the same value from one target per index range. */
#define QUEUE_SLA_SECS \
	"(SELECT extract(epoch FROM CASE WHEN a.status = 'new'" \
	" THEN coalesce(t.time_to_ack, t.time_to_resolve) ELSE t.time_to_resolve END)" \
	" FROM sla_targets t WHERE t.severity = a.severity)"
#define QUEUE_SLA_DEADLINE \
	"(a.created_at + make_interval(secs => " QUEUE_SLA_SECS "))"
/* The statuses whose clock runs, as the partial index alerts_sla_idx
 * (sql/007_sla.sql) has them. */
#define QUEUE_SLA_OPEN	"a.status IN ('new', 'acknowledged', 'escalated')"

#define ST_BIT(s)	(1u << (s))
/* The statuses each view can show. */
extern const unsigned queue_view_statuses[QV__COUNT];

/* --- statement building: fixed SQL fragments, values only as $n ---------- */

#define MAX_PARAMS	32

struct queue_params {
	const char	*v[MAX_PARAMS];
	char		 num[MAX_PARAMS][32];
	char		*owned[MAX_PARAMS];
	int		 n;
};

void		 queue_params_free(struct queue_params *p);
/* Add a value and append its placeholder "$n" to sql. */
void		 queue_param_str(struct queue_params *p, struct strbuf *sql, const char *v);
/* The same, p frees v. */
void		 queue_param_own(struct queue_params *p, struct strbuf *sql, char *v);
void		 queue_param_ll(struct queue_params *p, struct strbuf *sql, long long v);

/* --- free words (queue_search.c) ----------------------------------------- */

/* The search text, exactly the expression of sql/003_search.sql's trigram
 * indexes; SEARCH_WALK is the same text that no index has. */
#define SEARCH_TEXT	"(' ' || a.title || ' ' || a.asset_ref || ' ' || a.rule_id)"
#define SEARCH_WALK	"(' ' || a.title || ' ' || a.asset_ref || ' ' || a.rule_id || '')"

enum text_form {
	TEXT_INDEXED,	/* over SEARCH_TEXT: the trigram index may serve it */
	TEXT_WALKED	/* over SEARCH_WALK: no index can */
};

/* What a statement needs besides the query: resolved asset ids and the
 * form of the word conditions. */
struct queue_ctx {
	enum text_form	 form;
	bool		 no_text;	/* leave the words out (the view's size) */
	long long	 walk_rows;	/* rows a walk may read before giving up; 0 all */
	bool		 assets_known;	/* filter.asset resolved into ids */
	int		 nassets;
	long long	 asset_one;	/* the id when there is one */
	char		*asset_ids;	/* "{1,2}" when there are more */
};

/* Does any word of text have a trigram? */
bool		 queue_text_indexable(const char *text);
/* " AND" a condition per free word, over the text form's expression. */
void		 queue_append_text(struct strbuf *sql, struct queue_params *p,
		    const char *text, enum text_form form);
/* asset=NAME resolved into ids.  0, or -1 (db->errmsg). */
int		 queue_resolve_assets(struct db *db, const struct queue_query *q,
		    struct queue_ctx *x);
/* Resolve what the statements need and pick the word search's plan; est
 * gets the estimated matches (-1 without words).  0, or -1. */
int		 queue_ctx_prepare(struct db *db, const struct queue_query *q,
		    struct queue_ctx *x, double *est);
void		 queue_ctx_free(struct queue_ctx *x);

/* --- statement parts (queue.c) ------------------------------------------- */

/* The columns of a queue row over alias a ("SELECT a.id, ..."). */
extern const char queue_columns[];
/* Fill r from row i of res, with nkeys keys k0, k1, ... */
void		 queue_row_fill(struct queue_row *r, const PGresult *res, int i, int nkeys);

/* The view's and the filter's conditions, ANDed, in parentheses. */
void		 queue_append_conditions(struct strbuf *sql, struct queue_params *p,
		    const struct queue_query *q, const struct queue_ctx *x);
/* Does q show the largest first? */
bool		 queue_display_desc(const struct queue_query *q);
/* " AND (k1, k2, id) OP ($a::t1, $b::t2, $c::bigint)" */
void		 queue_append_keyset(struct strbuf *sql, struct queue_params *p,
		    const struct sort_def *s, const struct queue_row *cursor, const char *op);

/* --- the breaching view (queue_sla.c) ----------------------------------- */

int		 queue_sla_fetch(struct db *db, const struct queue_query *q,
		    const struct queue_row *cursor, enum queue_dir dir, int limit,
		    struct queue_page *out);
/* Rows of the breaching view (before cursor in display order, when
 * given), counted up to cap. */
long long	 queue_sla_count(struct db *db, const struct queue_query *q,
		    const struct queue_ctx *x, const struct queue_row *cursor, long long cap);

#endif
