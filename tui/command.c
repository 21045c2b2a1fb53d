/* command.c: the `:` command line.
 *
 * The console's own commands (triage through the top view's action,
 * refresh, help, quit) are here; a view's commands live in its view_ops
 * (.commands), so a new view brings its commands without touching this
 * file.  A name is looked up in the views on the stack, top first, then
 * in the console's table: exact name or alias first, else a unique
 * prefix. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "action.h"
#include "command.h"
#include "console.h"
#include "model.h"
#include "strbuf.h"
#include "view.h"

#define CMD_MAX_ARGS	8

static void
run_action(struct view *v, enum request req, const struct action_args *a)
{
	struct console *c = v->con;

	if (v->ops->action == NULL) {
		console_error(c, "nothing to act on here: go back to the queue, an alert "
		    "or an incident");
		return;
	}
	v->ops->action(v, req, a);
}

static void
exec_take(struct view *v, int argc, char **argv, const char *const *rest)
{
	run_action(v, REQ_TAKE, NULL);
}

static void
exec_ack(struct view *v, int argc, char **argv, const char *const *rest)
{
	run_action(v, REQ_ACK, NULL);
}

static void
exec_assign(struct view *v, int argc, char **argv, const char *const *rest)
{
	struct action_args a = { 0 };

	a.assignee = argc > 1 ? argv[1] : NULL;
	run_action(v, REQ_ASSIGN, &a);
}

static void
exec_note(struct view *v, int argc, char **argv, const char *const *rest)
{
	struct action_args a = { 0 };

	a.text = argc > 1 ? rest[1] : NULL;
	run_action(v, REQ_NOTE, &a);
}

static void
exec_close(struct view *v, int argc, char **argv, const char *const *rest)
{
	struct action_args a = { 0 };

	a.disposition = argc > 1 ? argv[1] : NULL;
	a.text = argc > 2 ? rest[2] : NULL;
	run_action(v, REQ_CLOSE, &a);
}

static void
exec_reopen(struct view *v, int argc, char **argv, const char *const *rest)
{
	struct action_args a = { 0 };

	a.text = argc > 1 ? rest[1] : NULL;
	run_action(v, REQ_REOPEN, &a);
}

/* suppress [asset|evidence:KEY] DURATION REASON... */
static void
exec_suppress(struct view *v, int argc, char **argv, const char *const *rest)
{
	struct action_args a = { 0 };
	int k = 1;

	if (argc > 1 && (strcmp(argv[1], "asset") == 0 ||
	    strncmp(argv[1], "evidence:", 9) == 0)) {
		a.scope = argv[1];
		k = 2;
	} else if (argc > 1) {
		a.scope = "asset";
	}
	a.duration = argc > k ? argv[k] : NULL;
	a.text = argc > k + 1 ? rest[k + 1] : NULL;
	run_action(v, REQ_SUPPRESS, &a);
}

/* escalate [ID | new [TITLE...]] */
static void
exec_escalate(struct view *v, int argc, char **argv, const char *const *rest)
{
	struct action_args a = { 0 };

	a.incident = argc > 1 ? argv[1] : NULL;
	/* After an id too: action.c refuses it rather than drop it. */
	a.title = argc > 2 ? rest[2] : NULL;
	run_action(v, REQ_ESCALATE, &a);
}

static void
exec_quit(struct view *v, int argc, char **argv, const char *const *rest)
{
	v->con->quit = true;
}

static void
exec_help(struct view *v, int argc, char **argv, const char *const *rest)
{
	console_push(v->con, &view_help_ops, NULL);
}

/* The list is a view like the others: pushed through its view_ops. */
static void
exec_incidents(struct view *v, int argc, char **argv, const char *const *rest)
{
	if (v->ops == &view_incidents_ops)
		console_message(v->con, "already on the incident list");
	else
		console_push(v->con, &view_incidents_ops, NULL);
}

static void
exec_candidates(struct view *v, int argc, char **argv, const char *const *rest)
{
	if (v->ops == &view_candidates_ops)
		console_message(v->con, "already on the candidates list");
	else
		console_push(v->con, &view_candidates_ops, NULL);
}

static void
exec_refresh(struct view *v, int argc, char **argv, const char *const *rest)
{
	if (v->ops->request(v, REQ_REFRESH) == REQ_NONE)
		console_message(v->con, "reloaded");
}

/* --- completion of the console's commands ------------------------------ */

static int
complete_analyst(struct view *v, int argn, const char *word, char **out, int max)
{
	if (argn != 1)
		return 0;
	return action_complete_analyst(v->con, "", 0, word, out, max);
}

/* Only the word right after the command; then comes the reason. */
static int
complete_disposition(struct view *v, int argn, const char *word, char **out, int max)
{
	if (argn != 1)
		return 0;
	return action_complete_disposition(v->con, "", 0, word, out, max);
}

static int
complete_scope(struct view *v, int argn, const char *word, char **out, int max)
{
	static const char *const scopes[] = { "asset", "evidence:" };
	size_t i;
	int n = 0;

	(void)v;
	if (argn != 1)
		return 0;
	for (i = 0; i < sizeof scopes / sizeof scopes[0] && n < max; i++)
		if (strncmp(scopes[i], word, strlen(word)) == 0)
			out[n++] = xstrdup(scopes[i]);
	return n;
}

static const struct view_command commands[] = {
	{ "assign", NULL, "NAME", "assign to an analyst", complete_analyst, exec_assign },
	{ "take", NULL, "", "assign to me", NULL, exec_take },
	{ "ack", NULL, "", "acknowledge", NULL, exec_ack },
	{ "note", NULL, "TEXT", "add a note", NULL, exec_note },
	{ "close", NULL, "DISPOSITION REASON...", "close (true_positive, "
	    "false_positive, benign, duplicate) with a reason",
	    complete_disposition, exec_close },
	{ "reopen", NULL, "REASON...", "reopen with a reason", NULL, exec_reopen },
	{ "suppress", NULL, "[asset|evidence:KEY] DURATION REASON...",
	    "suppress alerts of the same rule and asset (or evidence value)",
	    complete_scope, exec_suppress },
	{ "escalate", NULL, "[ID | new [TITLE...]]",
	    "escalate into an incident", NULL, exec_escalate },
	{ "incidents", NULL, "", "show the incident list", NULL, exec_incidents },
	{ "candidates", NULL, "", "show the incident candidates", NULL, exec_candidates },
	{ "refresh", NULL, "", "reload (reconnects if needed)", NULL, exec_refresh },
	{ "help", NULL, "", "keys and commands", NULL, exec_help },
	{ "quit", "q", "", "quit the console", NULL, exec_quit },
	{ NULL, NULL, NULL, NULL, NULL, NULL }
};

/* --- lookup ------------------------------------------------------------- */

/* Stack index of the view owning a table; c->depth for the console's. */
struct found {
	const struct view_command *cmd;
	int			 owner;
};

#define MAX_CANDIDATES	32

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const struct view_command *
table_of(struct console *c, int i)
{
	return i == c->depth ? commands : c->stack[i]->ops->commands;
}

/* Exact name or alias, top view first, then a unique prefix (a name that
 * two views share counts once: the top-most wins). */
static bool
command_lookup(struct console *c, const char *name, struct found *f,
    char *err, size_t errlen)
{
	const struct view_command *t;
	const char *cand[MAX_CANDIDATES];
	struct strbuf amb;
	size_t len = strlen(name);
	int i, k, n = 0;

	/* Order: stack top .. bottom, then the console's table. */
	for (i = c->depth - 1; i >= -1; i--) {
		t = table_of(c, i < 0 ? c->depth : i);
		for (; t != NULL && t->name != NULL; t++) {
			if (strcmp(t->name, name) == 0 ||
			    (t->alias != NULL && strcmp(t->alias, name) == 0)) {
				f->cmd = t;
				f->owner = i < 0 ? c->depth : i;
				return true;
			}
		}
	}
	for (i = c->depth - 1; i >= -1 && len > 0; i--) {
		t = table_of(c, i < 0 ? c->depth : i);
		for (; t != NULL && t->name != NULL; t++) {
			if (strncmp(t->name, name, len) != 0)
				continue;
			for (k = 0; k < n && strcmp(cand[k], t->name) != 0; k++)
				;
			if (k < n || n == MAX_CANDIDATES)
				continue;	/* shared name: the top-most won */
			if (n == 0) {
				f->cmd = t;
				f->owner = i < 0 ? c->depth : i;
			}
			cand[n++] = t->name;
		}
	}
	qsort(cand, (size_t)n, sizeof cand[0], cmp_names);
	strbuf_init(&amb);
	for (k = 0; k < n; k++)
		strbuf_appendf(&amb, "%s%s", k > 0 ? ", " : "", cand[k]);
	if (n == 1) {
		strbuf_free(&amb);
		return true;
	}
	if (n > 1)
		snprintf(err, errlen, "ambiguous command: %s, could be: %s", name, amb.buf);
	else
		snprintf(err, errlen, "unknown command: %s (:help lists them)", name);
	strbuf_free(&amb);
	return false;
}

/* Split line into words; rest[k] points at word k in the original line so
 * free text (reasons, filters) keeps its spacing. */
static int
split(const char *line, char *copy, size_t copylen, char **argv,
    const char **rest, int max)
{
	const char *p = line;
	char *o = copy;
	int n = 0;

	while (*p != '\0' && n < max) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		rest[n] = p;
		argv[n++] = o;
		while (*p != '\0' && *p != ' ' && (size_t)(o - copy) + 1 < copylen)
			*o++ = *p++;
		*o++ = '\0';
	}
	return n;
}

void
command_run(struct console *c, const char *line)
{
	char copy[PROMPT_MAX + CMD_MAX_ARGS], err[256];
	char *argv[CMD_MAX_ARGS];
	const char *rest[CMD_MAX_ARGS];
	struct found f;
	int argc;

	argc = split(line, copy, sizeof copy, argv, rest, CMD_MAX_ARGS);
	if (argc == 0)
		return;
	if (!command_lookup(c, argv[0], &f, err, sizeof err)) {
		console_error(c, "%s", err);
		return;
	}
	/* A command of a view below the top goes back to that view first
	 * (":filter" from an alert's detail acts on the queue). */
	if (f.owner < c->depth)
		while (c->depth - 1 > f.owner)
			console_pop(c);
	f.cmd->exec(console_top(c), argc, argv, rest);
}

/* Which word (0-based) starts at byte ws of line. */
static int
word_index(const char *line, size_t ws)
{
	size_t i;
	int n = 0;
	bool in = false;

	for (i = 0; i < ws && line[i] != '\0'; i++) {
		if (line[i] != ' ' && !in) {
			in = true;
			n++;
		} else if (line[i] == ' ') {
			in = false;
		}
	}
	return n;
}

int
command_complete(void *ctx, const char *line, size_t ws, const char *word,
    char **out, int max)
{
	struct console *c = ctx;
	const struct view_command *t;
	struct found f;
	char first[64], err[128];
	size_t flen;
	int i, k, n = 0;
	bool dup;
	const char *start = line;

	if (word_index(line, ws) == 0) {
		for (i = c->depth - 1; i >= -1; i--) {
			t = table_of(c, i < 0 ? c->depth : i);
			for (; t != NULL && t->name != NULL && n < max; t++) {
				if (strncmp(t->name, word, strlen(word)) != 0)
					continue;
				for (dup = false, k = 0; k < n && !dup; k++)
					dup = strcmp(out[k], t->name) == 0;
				if (!dup)
					out[n++] = xstrdup(t->name);
			}
		}
		return n;
	}
	line += strspn(line, " ");
	flen = strcspn(line, " ");
	snprintf(first, sizeof first, "%.*s", (int)(flen < sizeof first ? flen :
	    sizeof first - 1), line);
	if (!command_lookup(c, first, &f, err, sizeof err) || f.cmd->complete == NULL)
		return 0;
	return f.cmd->complete(f.owner < c->depth ? c->stack[f.owner] : console_top(c),
	    word_index(line, ws - (size_t)(line - start)), word, out, max);
}

static void
help_table(struct strbuf *out, const struct view_command *t)
{
	for (; t != NULL && t->name != NULL; t++)
		strbuf_appendf(out, "  :%s%s%s%s%s%s\n      %s\n", t->name,
		    *t->usage ? " " : "", t->usage,
		    t->alias ? "   (also :" : "", t->alias ? t->alias : "",
		    t->alias ? ")" : "", t->help);
}

void
command_help(struct console *c, struct strbuf *out)
{
	int i;

	/* The help view itself is on top and has no commands. */
	for (i = c->depth - 1; i >= 0; i--)
		help_table(out, c->stack[i]->ops->commands);
	help_table(out, commands);
}
