/* view.h: a screen of the console (tig's struct view_ops).
 *
 * The console keeps a stack of views: the queue at the bottom, an alert's
 * detail above it, help or an asset panel above that.  Only the top view
 * is drawn in the body window.  A view's request handler returns REQ_NONE
 * for what it handled and the request itself for what it did not, so the
 * console can handle the rest (back, quit, help, prompt). */
#ifndef VSOC_VIEW_H
#define VSOC_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include <curses.h>

#include "keymap.h"
#include "request.h"

struct console;
struct view;
struct action_args;
struct strbuf;

/* A key hint on the status line: the request's first key and a label. */
struct view_hint {
	enum request	 req;
	const char	*label;
};

/* What changed in the database (from LISTEN/NOTIFY payloads). */
struct view_change {
	/* The ids are incidents (channel vsoc_incident: the incident row or
	 * its notes changed), not alerts; statuses is then 0. */
	bool		 incidents;
	bool		 all;		/* "*": too many ids to list */
	const long long	*ids;
	size_t		 n;
	/* The statuses the changed rows had before or have now (1u <<
	 * alert_status); ~0u when unknown.  A view showing none of them
	 * cannot be affected. */
	unsigned	 statuses;
	/* Only inserts: counts can only have grown, so a count already past
	 * its cap needs no new query. */
	bool		 inserts_only;
};

/* A `:` command of a view (tmux's cmd_entry, one table per view).  The
 * command line looks a name up in the views on the stack, top first, then
 * in the console's own commands; a command of a view below the top pops
 * the views above it first (":filter" from an alert goes back to the
 * queue). */
struct view_command {
	const char	*name;
	const char	*alias;
	const char	*usage;
	const char	*help;
	/* Candidates for argument word argn (1 = the first argument) starting
	 * with word; returns how many (each malloc'd).  May be NULL. */
	int		(*complete)(struct view *v, int argn, const char *word,
			    char **out, int max);
	/* argv[0] is the command; rest[k] is the text from argument k on. */
	void		(*exec)(struct view *v, int argc, char **argv,
			    const char *const *rest);
};

struct view_ops {
	const char	*name;
	enum keymap_scope scope;
	/* Load; arg is the view's own (an alert id, ...).  0, or -1 with a
	 * message already given to the console (the view is not pushed). */
	int		(*open)(struct view *v, const void *arg);
	void		(*close)(struct view *v);
	/* Draw into w (h rows, width columns); w was erased. */
	void		(*draw)(struct view *v, WINDOW *w, int h, int width);
	enum request	(*request)(struct view *v, enum request req);
	/* Live update: note it; reload lazily in refresh. */
	void		(*notify)(struct view *v, const struct view_change *c);
	/* Called once per loop while on top: reload if stale.  Returns true
	 * while a reload is still pending (throttled), so the loop wakes up
	 * soon.  May be NULL. */
	bool		(*reload)(struct view *v);
	/* A triage action from a key or a `:` command; NULL if the view has
	 * no alerts to act on. */
	void		(*action)(struct view *v, enum request req,
			    const struct action_args *args);
	/* Right end of the status line ("row 3 of 120"). */
	void		(*position)(struct view *v, char *buf, size_t len);
	/* The header's second line: what the view shows (left: view, sort,
	 * filter) and what waits (right: "12 new above", "3 marked").  The
	 * console asks the top-most view that has one.  May be NULL. */
	void		(*summary)(struct view *v, struct strbuf *left, struct strbuf *right);
	const struct view_hint *hints;	/* REQ_NONE-terminated */
	const struct view_command *commands;	/* name NULL ends it; may be NULL */
};

struct view {
	const struct view_ops	*ops;
	struct console		*con;
	void			*priv;
	int			 h, width;	/* body size at the last draw */
};

/* The views. */
extern const struct view_ops view_queue_ops;
extern const struct view_ops view_detail_ops;
extern const struct view_ops view_help_ops;
extern const struct view_ops view_asset_ops;
extern const struct view_ops view_incident_ops;
extern const struct view_ops view_incidents_ops;
extern const struct view_ops view_audit_ops;
extern const struct view_ops view_audit_record_ops;
extern const struct view_ops view_candidates_ops;
extern const struct view_ops view_candidate_ops;

#endif
