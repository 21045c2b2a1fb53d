/* view_queue_cmd.c: what the queue shows and how: built-in and saved
 * views, sorts, filters (`:view`, `:sort`, `:filter`, `:save`,
 * `:delete-view`, the live `/`), and the header line that says so.
 * The console finds these through view_queue_ops (.commands, .summary). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "display.h"
#include "filter.h"
#include "format.h"
#include "model.h"
#include "prompt.h"
#include "queue.h"
#include "sanitize.h"
#include "savedview.h"
#include "strbuf.h"
#include "theme.h"
#include "view_queue_int.h"

#define VIEW_NAMES	"mine, unassigned, open, escalated, closed, all, breaching, or a saved view"
#define SORT_NAMES	"severity, last, age, occurrences, rule, asset, status, " \
			"assignee, title, id"

void
qv_apply_view(struct qview *q, enum queue_view qv)
{
	q->q.view = qv;
	snprintf(q->label, sizeof q->label, "%s", queue_view_name(qv));
	qv_reload_from_start(q);
}

/* "severity" / "-title"; toggles when the same column is given again. */
static int
parse_sort(struct qview *q, const char *arg, bool toggle)
{
	bool minus = arg[0] == '-';
	enum queue_sort s = queue_sort_parse(minus ? arg + 1 : arg);

	if (s == QS__COUNT)
		return -1;
	if (toggle && !minus && s == q->q.sort)
		q->q.reverse = !q->q.reverse;
	else
		q->q.reverse = minus;
	q->q.sort = s;
	return 0;
}

/* 0 loaded, 1 no such saved view, -1 error (reported). */
static int
load_saved(struct qview *q, const char *name)
{
	struct savedview sv;
	struct filter f;
	enum queue_view qv;
	char err[256];
	int rc;

	memset(&sv, 0, sizeof sv);
	rc = savedview_get(q->con->db, q->con->me->id, name, &sv);
	if (rc < 0) {
		console_db_error(q->con, "loading the saved view");
		return -1;
	}
	if (rc > 0)
		return 1;
	filter_init(&f);
	qv = queue_view_parse(sv.base_view);
	if (qv == QV__COUNT || filter_parse(&f, sv.filter, err, sizeof err) < 0) {
		console_error(q->con, "saved view '%s' is damaged: %s", name,
		    qv == QV__COUNT ? "unknown base view" : err);
		filter_free(&f);
		savedview_free(&sv);
		return -1;
	}
	q->q.view = qv;
	filter_free(&q->q.filter);
	q->q.filter = f;
	if (sv.sort == NULL || parse_sort(q, sv.sort, false) < 0) {
		q->q.sort = QS_SEVERITY;
		q->q.reverse = false;
	}
	snprintf(q->label, sizeof q->label, "%s", name);
	savedview_free(&sv);
	return 0;
}

int
qv_select_view(struct qview *q, const char *name)
{
	enum queue_view qv;
	int i, rc;

	for (i = 0; i < QV__COUNT; i++) {
		if (strcmp(queue_view_name((enum queue_view)i), name) == 0) {
			q->q.view = (enum queue_view)i;
			snprintf(q->label, sizeof q->label, "%s", name);
			return 0;
		}
	}
	if (!console_db_ready(q->con))
		return -1;
	if ((rc = load_saved(q, name)) <= 0)
		return rc;
	if ((qv = queue_view_parse(name)) == QV__COUNT) {
		console_error(q->con, "unknown view '%s' (" VIEW_NAMES ")", name);
		return -1;
	}
	q->q.view = qv;
	snprintf(q->label, sizeof q->label, "%s", queue_view_name(qv));
	return 0;
}

/* --- the commands ------------------------------------------------------- */

static void
exec_view(struct view *v, int argc, char **argv, const char *const *rest)
{
	struct qview *q = v->priv;

	(void)rest;
	if (argc < 2) {
		console_error(q->con, "usage: view NAME (" VIEW_NAMES ")");
		return;
	}
	if (qv_select_view(q, argv[1]) < 0)
		return;
	qv_reload_from_start(q);
	console_message(q->con, "view %s", q->label);
}

static void
exec_filter(struct view *v, int argc, char **argv, const char *const *rest)
{
	struct qview *q = v->priv;
	struct filter f;
	char err[256];

	(void)argv;
	filter_init(&f);
	if (argc > 1 && filter_parse(&f, rest[1], err, sizeof err) < 0) {
		console_error(q->con, "filter: %s", err);
		filter_free(&f);
		return;
	}
	filter_free(&q->q.filter);
	q->q.filter = f;
	qv_reload_from_start(q);
	console_message(q->con, filter_empty(&f) ? "filter cleared" : "filter set");
}

static void
exec_sort(struct view *v, int argc, char **argv, const char *const *rest)
{
	struct qview *q = v->priv;

	(void)rest;
	if (argc < 2 || parse_sort(q, argv[1], true) < 0) {
		console_error(q->con, "usage: sort [-]COLUMN (" SORT_NAMES ")");
		return;
	}
	qv_reload_from_start(q);
	console_message(q->con, "sorted by %s%s", queue_sort_name(q->q.sort),
	    q->q.reverse ? ", reversed" : "");
}

static void
exec_save(struct view *v, int argc, char **argv, const char *const *rest)
{
	struct qview *q = v->priv;
	struct savedview sv;
	struct strbuf f;
	char sort[40];
	const char *name = argc > 1 ? argv[1] : NULL;

	(void)rest;
	if (name == NULL) {
		console_error(q->con, "usage: save NAME");
		return;
	}
	if (strlen(name) >= sizeof sv.name) {
		console_error(q->con, "view names have at most %zu characters",
		    sizeof sv.name - 1);
		return;
	}
	if (!console_db_ready(q->con))
		return;
	memset(&sv, 0, sizeof sv);
	strbuf_init(&f);
	filter_format(&q->q.filter, &f);
	snprintf(sv.name, sizeof sv.name, "%s", name);
	snprintf(sort, sizeof sort, "%s%s", q->q.reverse ? "-" : "",
	    queue_sort_name(q->q.sort));
	sv.base_view = (char *)queue_view_name(q->q.view);
	sv.filter = f.buf;
	sv.sort = sort;
	if (savedview_save(q->con->db, q->con->me->id, &sv) < 0) {
		console_db_error(q->con, "saving the view");
	} else {
		snprintf(q->label, sizeof q->label, "%s", name);
		console_message(q->con, "saved view %s", name);
	}
	strbuf_free(&f);
}

static void
exec_delete_view(struct view *v, int argc, char **argv, const char *const *rest)
{
	struct qview *q = v->priv;
	int rc;

	(void)rest;
	if (argc < 2) {
		console_error(q->con, "usage: delete-view NAME");
		return;
	}
	if (!console_db_ready(q->con))
		return;
	rc = savedview_delete(q->con->db, q->con->me->id, argv[1]);
	if (rc < 0)
		console_db_error(q->con, "deleting the view");
	else if (rc > 0)
		console_error(q->con, "no saved view '%s'", argv[1]);
	else
		console_message(q->con, "deleted view %s", argv[1]);
}

/* --- completion --------------------------------------------------------- */

/* Add the names starting with word (after prefix, which the candidates
 * keep: "-" for a reversed sort). */
static int
complete_names(const char *const *names, int count, const char *prefix,
    const char *word, char **out, int n, int max)
{
	size_t plen = strlen(prefix);
	int i;

	if (strncmp(word, prefix, plen) != 0)
		return n;
	for (i = 0; i < count && n < max; i++) {
		if (strncmp(names[i], word + plen, strlen(word + plen)) == 0) {
			struct strbuf sb;

			strbuf_init(&sb);
			strbuf_appendf(&sb, "%s%s", prefix, names[i]);
			out[n++] = strbuf_detach(&sb);
		}
	}
	return n;
}

static int
complete_sort(struct view *v, int argn, const char *word, char **out, int max)
{
	const char *names[QS__COUNT];
	int k, n;

	(void)v;
	if (argn != 1)
		return 0;
	for (k = 0; k < QS__COUNT; k++)
		names[k] = queue_sort_name((enum queue_sort)k);
	n = complete_names(names, QS__COUNT, "", word, out, 0, max);
	return complete_names(names, QS__COUNT, "-", word, out, n, max);
}

/* Built-in views, then the analyst's saved views. */
static int
complete_view(struct view *v, int argn, const char *word, char **out, int max)
{
	struct qview *q = v->priv;
	const char *names[QV__COUNT];
	char *saved[64];
	int k, n, ns;

	if (argn != 1)
		return 0;
	for (k = 0; k < QV__COUNT; k++)
		names[k] = queue_view_name((enum queue_view)k);
	n = complete_names(names, QV__COUNT, "", word, out, 0, max);
	if (!console_db_ready(q->con))
		return n;
	ns = savedview_names(q->con->db, q->con->me->id, saved, 64);
	for (k = 0; k < ns; k++) {
		if (n < max && strncmp(saved[k], word, strlen(word)) == 0)
			out[n++] = saved[k];
		else
			free(saved[k]);
	}
	return n;
}

static int
complete_filter(struct view *v, int argn, const char *word, char **out, int max)
{
	int count = 0;

	(void)v;
	(void)argn;	/* every word of a filter may be a key */
	while (filter_keys[count] != NULL)
		count++;
	return complete_names(filter_keys, count, "", word, out, 0, max);
}

const struct view_command qv_commands[] = {
	{ "sort", NULL, "[-]COLUMN", "sort the queue (again: reverse)",
	    complete_sort, exec_sort },
	{ "filter", NULL, "[EXPR]", "filter the queue (empty: clear)",
	    complete_filter, exec_filter },
	{ "view", NULL, "NAME", "switch view: " VIEW_NAMES, complete_view, exec_view },
	{ "save", NULL, "NAME", "save view, filter and sort as NAME",
	    complete_view, exec_save },
	{ "delete-view", NULL, "NAME", "delete a saved view", complete_view,
	    exec_delete_view },
	{ NULL, NULL, NULL, NULL, NULL, NULL }
};

/* --- the header line and the live `/` ----------------------------------- */

void
qv_summary(struct view *v, struct strbuf *left, struct strbuf *right)
{
	struct qview *q = v->priv;
	struct strbuf f, clean;
	char n[32];
	size_t marked = marks_count(&q->marks);

	if (q->new_above > 0) {
		format_count(n, sizeof n, q->new_above);
		strbuf_appendf(right, " %s new above (g) ", n);
	}
	if (marked > 0)
		strbuf_appendf(right, " %zu marked ", marked);
	strbuf_init(&f);
	strbuf_init(&clean);
	filter_format(&q->q.filter, &f);
	/* Saved filters and free-text words may hold pasted hostile text. */
	sanitize(&clean, f.buf, f.len, display_san_flags());
	/* The breaching view's order is the deadline, soonest first. */
	strbuf_appendf(left, " view: %s  sort: %s%s  filter: %s", q->label,
	    queue_query_sort_name(&q->q),
	    theme_sym((q->q.view == QV_BREACHING ? false :
	    queue_sort_descending(q->q.sort)) != q->q.reverse ?
	    SYM_DESC : SYM_ASC), *clean.buf ? clean.buf : "(none)");
	strbuf_free(&f);
	strbuf_free(&clean);
}

/* The live `/` filter: each (debounced) edit sets the free-text words. */
static void
filter_text_changed(void *ctx, const char *text)
{
	struct qview *q = ctx;

	free(q->q.filter.text);
	q->q.filter.text = text[strspn(text, " ")] != '\0' ? xstrdup(text) : NULL;
	q->typing = true;
	qv_reload_from_start(q);
	q->typing = false;
	console_trace(q->con, "filtered");
}

void
qv_filter_interactive(struct qview *q)
{
	struct prompt_spec spec;
	struct filter saved;
	char out[PROMPT_MAX];

	filter_init(&saved);
	filter_copy(&saved, &q->q.filter);
	memset(&spec, 0, sizeof spec);
	spec.label = "/";
	spec.initial = q->q.filter.text;
	spec.hist = &q->con->hist_filter;
	spec.changed = filter_text_changed;
	spec.changed_ctx = q;
	if (console_prompt(q->con, &spec, out, sizeof out)) {
		qv_count_rows(q);	/* the full count, now that typing is over */
		console_message(q->con, *out ? "filter: %s" : "filter cleared%s",
		    *out ? out : "");
	} else {
		/* Esc: back to the filter from before the `/`. */
		filter_free(&q->q.filter);
		q->q.filter = saved;
		filter_init(&saved);
		qv_reload_from_start(q);
		console_message(q->con, "filter unchanged");
	}
	filter_free(&saved);
}
