/* view_incidents_cmd.c: what the incident list shows and how (`:view`,
 * `:sort`, `:filter`, the live `/`), its actions as `:` commands
 * (`:status`, `:rename`, `:severity`), `:incident ID`, and the header
 * line.  The console finds these through view_incidents_ops. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "action.h"
#include "action_incident.h"
#include "console.h"
#include "display.h"
#include "format.h"
#include "prompt.h"
#include "sanitize.h"
#include "strbuf.h"
#include "theme.h"
#include "view_incidents_int.h"

#define VIEW_NAMES	"open, mine, unowned, closed, all, breaching"
#define SORT_NAMES	"updated, severity, id"

void
il_apply_view(struct ilist *l, enum incident_list_view v)
{
	l->q.view = v;
	il_reload_from_start(l);
	console_message(l->con, "incidents: %s", incident_list_view_name(v));
}

void
il_summary(struct view *v, struct strbuf *left, struct strbuf *right)
{
	struct ilist *l = v->priv;
	struct strbuf clean;

	if (l->nmarks > 0)
		strbuf_appendf(right, " %d marked ", l->nmarks);
	strbuf_init(&clean);
	/* Typed words may hold pasted hostile text. */
	sanitize(&clean, l->q.words, strlen(l->q.words), display_san_flags());
	strbuf_appendf(left, " incidents: %s  sort: %s%s  filter: %s",
	    incident_list_view_name(l->q.view), incident_list_query_sort_name(&l->q),
	    /* The breaching view runs soonest deadline first. */
	    theme_sym((l->q.view == ILV_BREACHING) != l->q.reverse ? SYM_ASC : SYM_DESC),
	    *clean.buf ? clean.buf : "(none)");
	strbuf_free(&clean);
}

/* Words longer than the query holds are refused, not cut. */
static bool
set_words(struct ilist *l, const char *text)
{
	if (strlen(text) > INCIDENT_WORDS_MAX) {
		console_error(l->con, "filter: %d bytes at most", INCIDENT_WORDS_MAX);
		return false;
	}
	snprintf(l->q.words, sizeof l->q.words, "%s", text);
	return true;
}

static void
words_changed(void *ctx, const char *text)
{
	struct ilist *l = ctx;

	if (set_words(l, text))
		il_reload_from_start(l);
}

void
il_filter_interactive(struct ilist *l)
{
	struct prompt_spec spec;
	char saved[sizeof l->q.words], out[PROMPT_MAX];

	snprintf(saved, sizeof saved, "%s", l->q.words);
	memset(&spec, 0, sizeof spec);
	spec.label = "/";
	spec.initial = l->q.words;
	spec.hist = &l->con->hist_filter;
	spec.changed = words_changed;
	spec.changed_ctx = l;
	if (console_prompt(l->con, &spec, out, sizeof out)) {
		console_message(l->con, *l->q.words ? "filter: %s" : "filter cleared%s",
		    l->q.words);
	} else {
		snprintf(l->q.words, sizeof l->q.words, "%s", saved);
		il_reload_from_start(l);
		console_message(l->con, "filter unchanged");
	}
}

/* --- commands ------------------------------------------------------------ */

static void
exec_view(struct view *v, int argc, char **argv, const char *const *rest)
{
	struct ilist *l = v->priv;
	int iv;

	if (argc < 2) {
		console_message(l->con, "incidents: %s (%s)",
		    incident_list_view_name(l->q.view), VIEW_NAMES);
		return;
	}
	if ((iv = incident_list_view_parse(argv[1])) < 0) {
		console_error(l->con, "unknown incident view '%s': %s", argv[1], VIEW_NAMES);
		return;
	}
	il_apply_view(l, (enum incident_list_view)iv);
}

static void
exec_sort(struct view *v, int argc, char **argv, const char *const *rest)
{
	struct ilist *l = v->priv;
	const char *name = argc > 1 ? argv[1] : "";
	bool minus = name[0] == '-';
	int s;

	for (s = 0; s < ILS__COUNT; s++)
		if (strcmp(incident_list_sort_name((enum incident_list_sort)s),
		    name + minus) == 0)
			break;
	if (s == ILS__COUNT) {
		console_error(l->con, "sort by %s (- before it reverses)", SORT_NAMES);
		return;
	}
	l->q.sort = (enum incident_list_sort)s;
	l->q.reverse = minus;
	il_reload_from_start(l);
	console_message(l->con, "sorted by %s%s", name + minus, minus ? ", reversed" : "");
}

static void
exec_filter(struct view *v, int argc, char **argv, const char *const *rest)
{
	struct ilist *l = v->priv;

	if (!set_words(l, argc > 1 ? rest[1] : ""))
		return;
	il_reload_from_start(l);
	console_message(l->con, argc > 1 ? "filter: %s" : "filter cleared%s",
	    argc > 1 ? rest[1] : "");
}

/* status STATUS [REASON-OR-RESOLUTION...] */
static void
exec_status(struct view *v, int argc, char **argv, const char *const *rest)
{
	struct action_args a = { 0 };

	a.status = argc > 1 ? argv[1] : NULL;
	a.text = argc > 2 ? rest[2] : NULL;
	v->ops->action(v, REQ_STATUS, &a);
}

static void
exec_rename(struct view *v, int argc, char **argv, const char *const *rest)
{
	struct action_args a = { 0 };

	a.title = argc > 1 ? rest[1] : NULL;
	v->ops->action(v, REQ_RENAME, &a);
}

/* severity SEVERITY|none REASON... */
static void
exec_severity(struct view *v, int argc, char **argv, const char *const *rest)
{
	struct action_args a = { 0 };

	a.severity = argc > 1 ? argv[1] : NULL;
	a.text = argc > 2 ? rest[2] : NULL;
	v->ops->action(v, REQ_SEVERITY, &a);
}

static void
exec_incident(struct view *v, int argc, char **argv, const char *const *rest)
{
	long long id;

	if (argc < 2 || format_parse_id(argv[1] + (argv[1][0] == '#'), &id) < 0) {
		console_error(v->con, "incident ID: a number");
		return;
	}
	console_push(v->con, &view_incident_ops, &id);
}

static int
complete_view(struct view *v, int argn, const char *word, char **out, int max)
{
	int i, n = 0;

	(void)v;
	if (argn != 1)
		return 0;
	for (i = 0; i < ILV__COUNT && n < max; i++)
		if (strncmp(incident_list_view_name((enum incident_list_view)i), word,
		    strlen(word)) == 0)
			out[n++] = xstrdup(incident_list_view_name((enum incident_list_view)i));
	return n;
}

static int
complete_status(struct view *v, int argn, const char *word, char **out, int max)
{
	if (argn != 1)
		return 0;
	return action_complete_status(v->con, "", 0, word, out, max);
}

const struct view_command il_commands[] = {
	{ "view", NULL, "NAME", "show incidents: " VIEW_NAMES, complete_view, exec_view },
	{ "sort", NULL, "[-]COLUMN", "sort incidents by " SORT_NAMES, NULL, exec_sort },
	{ "filter", NULL, "[WORDS...]", "incidents whose title (or #id) has every word",
	    NULL, exec_filter },
	{ "status", NULL, "STATUS [REASON...]", "change the status (a back move or a "
	    "reopen needs a reason, closing a resolution)", complete_status, exec_status },
	{ "rename", NULL, "TITLE...", "rename the incident", NULL, exec_rename },
	{ "severity", NULL, "SEVERITY|none REASON...", "override the severity (lead)",
	    NULL, exec_severity },
	{ "incident", NULL, "ID", "open incident ID", NULL, exec_incident },
	{ NULL, NULL, NULL, NULL, NULL, NULL }
};
