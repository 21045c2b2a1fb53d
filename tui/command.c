/* command.c: the `:` commands. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "action.h"
#include "command.h"
#include "console.h"
#include "filter.h"
#include "model.h"
#include "queue.h"
#include "strbuf.h"
#include "view_queue.h"

#define CMD_MAX_ARGS	8

enum complete_kind {
	CC_NONE, CC_ANALYST, CC_VIEW, CC_SORT, CC_DISPOSITION, CC_FILTER, CC_SCOPE
};

struct command {
	const char		*name;
	const char		*alias;
	const char		*usage;
	const char		*help;
	enum complete_kind	 complete;	/* for the first argument */
	/* argv[0] is the command; rest[k] is the text from argument k on. */
	void			(*exec)(struct console *c, int argc, char **argv,
				    const char *const *rest);
};

static struct view *
queue_on_top(struct console *c)
{
	/* Queue commands from a detail view go back to the queue first. */
	while (c->depth > 1)
		console_pop(c);
	return c->queue;
}

static void
run_action(struct console *c, enum request req, const struct action_args *a)
{
	struct view *v = console_top(c);

	if (v->ops->action == NULL) {
		console_error(c, "no alert here: go back to the queue or an alert");
		return;
	}
	v->ops->action(v, req, a);
}

static void
exec_take(struct console *c, int argc, char **argv, const char *const *rest)
{
	run_action(c, REQ_TAKE, NULL);
}

static void
exec_ack(struct console *c, int argc, char **argv, const char *const *rest)
{
	run_action(c, REQ_ACK, NULL);
}

static void
exec_assign(struct console *c, int argc, char **argv, const char *const *rest)
{
	struct action_args a = { 0 };

	a.assignee = argc > 1 ? argv[1] : NULL;
	run_action(c, REQ_ASSIGN, &a);
}

static void
exec_note(struct console *c, int argc, char **argv, const char *const *rest)
{
	struct action_args a = { 0 };

	a.text = argc > 1 ? rest[1] : NULL;
	run_action(c, REQ_NOTE, &a);
}

static void
exec_close(struct console *c, int argc, char **argv, const char *const *rest)
{
	struct action_args a = { 0 };

	a.disposition = argc > 1 ? argv[1] : NULL;
	a.text = argc > 2 ? rest[2] : NULL;
	run_action(c, REQ_CLOSE, &a);
}

static void
exec_reopen(struct console *c, int argc, char **argv, const char *const *rest)
{
	struct action_args a = { 0 };

	a.text = argc > 1 ? rest[1] : NULL;
	run_action(c, REQ_REOPEN, &a);
}

/* suppress [asset|evidence:KEY] DURATION REASON... */
static void
exec_suppress(struct console *c, int argc, char **argv, const char *const *rest)
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
	run_action(c, REQ_SUPPRESS, &a);
}

/* escalate [ID | new [TITLE...]] */
static void
exec_escalate(struct console *c, int argc, char **argv, const char *const *rest)
{
	struct action_args a = { 0 };

	a.incident = argc > 1 ? argv[1] : NULL;
	/* After an id too: action.c refuses it rather than drop it. */
	a.title = argc > 2 ? rest[2] : NULL;
	run_action(c, REQ_ESCALATE, &a);
}

static void
exec_sort(struct console *c, int argc, char **argv, const char *const *rest)
{
	view_queue_set_sort(queue_on_top(c), argc > 1 ? argv[1] : NULL);
}

static void
exec_filter(struct console *c, int argc, char **argv, const char *const *rest)
{
	view_queue_set_filter(queue_on_top(c), argc > 1 ? rest[1] : NULL);
}

static void
exec_view(struct console *c, int argc, char **argv, const char *const *rest)
{
	view_queue_set_view(queue_on_top(c), argc > 1 ? argv[1] : NULL);
}

static void
exec_save(struct console *c, int argc, char **argv, const char *const *rest)
{
	view_queue_save(c->queue, argc > 1 ? argv[1] : NULL);
}

static void
exec_delete_view(struct console *c, int argc, char **argv, const char *const *rest)
{
	view_queue_delete_view(c->queue, argc > 1 ? argv[1] : NULL);
}

static void
exec_quit(struct console *c, int argc, char **argv, const char *const *rest)
{
	c->quit = true;
}

static void
exec_help(struct console *c, int argc, char **argv, const char *const *rest)
{
	console_push(c, &view_help_ops, NULL);
}

static void
exec_refresh(struct console *c, int argc, char **argv, const char *const *rest)
{
	struct view *v = console_top(c);

	if (v->ops->request(v, REQ_REFRESH) == REQ_NONE)
		console_message(c, "reloaded");
}

static const struct command commands[] = {
	{ "assign", NULL, "NAME", "assign to an analyst", CC_ANALYST, exec_assign },
	{ "take", NULL, "", "assign to me", CC_NONE, exec_take },
	{ "ack", NULL, "", "acknowledge", CC_NONE, exec_ack },
	{ "note", NULL, "TEXT", "add a note", CC_NONE, exec_note },
	{ "close", NULL, "DISPOSITION REASON...", "close (true_positive, "
	    "false_positive, benign, duplicate) with a reason", CC_DISPOSITION, exec_close },
	{ "reopen", NULL, "REASON...", "reopen with a reason", CC_NONE, exec_reopen },
	{ "suppress", NULL, "[asset|evidence:KEY] DURATION REASON...",
	    "suppress alerts of the same rule and asset (or evidence value)",
	    CC_SCOPE, exec_suppress },
	{ "escalate", NULL, "[ID | new [TITLE...]]",
	    "escalate into an incident", CC_NONE, exec_escalate },
	{ "sort", NULL, "[-]COLUMN", "sort the queue (again: reverse)", CC_SORT, exec_sort },
	{ "filter", NULL, "[EXPR]", "filter the queue (empty: clear)", CC_FILTER, exec_filter },
	{ "view", NULL, "NAME", "switch view: mine, unassigned, open, escalated, "
	    "closed, all, or a saved view", CC_VIEW, exec_view },
	{ "save", NULL, "NAME", "save view, filter and sort as NAME", CC_VIEW, exec_save },
	{ "delete-view", NULL, "NAME", "delete a saved view", CC_VIEW, exec_delete_view },
	{ "refresh", NULL, "", "reload (reconnects if needed)", CC_NONE, exec_refresh },
	{ "help", NULL, "", "keys and commands", CC_NONE, exec_help },
	{ "quit", "q", "", "quit the console", CC_NONE, exec_quit },
};
#define NCOMMANDS	(sizeof commands / sizeof commands[0])

const struct command *
command_find(const char *name, char *err, size_t errlen)
{
	const struct command *found = NULL;
	struct strbuf amb;
	size_t i, len = strlen(name);
	int n = 0;

	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0 ||
		    (commands[i].alias && strcmp(commands[i].alias, name) == 0))
			return &commands[i];
	strbuf_init(&amb);
	for (i = 0; i < NCOMMANDS && len > 0; i++) {
		if (strncmp(commands[i].name, name, len) == 0) {
			found = &commands[i];
			strbuf_append(&amb, n++ ? ", " : "");
			strbuf_append(&amb, commands[i].name);
		}
	}
	if (n == 1) {
		strbuf_free(&amb);
		return found;
	}
	if (n > 1)
		snprintf(err, errlen, "ambiguous command: %s, could be: %s", name, amb.buf);
	else
		snprintf(err, errlen, "unknown command: %s (:help lists them)", name);
	strbuf_free(&amb);
	return NULL;
}

const char *
command_name(const struct command *cmd)
{
	return cmd->name;
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
	const struct command *cmd;
	int argc;

	argc = split(line, copy, sizeof copy, argv, rest, CMD_MAX_ARGS);
	if (argc == 0)
		return;
	if ((cmd = command_find(argv[0], err, sizeof err)) == NULL) {
		console_error(c, "%s", err);
		return;
	}
	cmd->exec(c, argc, argv, rest);
}

static int
complete_list(const char *const *names, const char *prefix, const char *word,
    char **out, int max, int n)
{
	size_t len = strlen(word), plen = strlen(prefix);
	int i;

	/* prefix ("-" for a reversed sort) is kept on the candidates. */
	if (strncmp(word, prefix, plen) != 0)
		return n;
	for (i = 0; names[i] != NULL && n < max; i++) {
		if (strncmp(names[i], word + plen, len - plen) == 0) {
			struct strbuf sb;
			strbuf_init(&sb);
			strbuf_append(&sb, prefix);
			strbuf_append(&sb, names[i]);
			out[n++] = strbuf_detach(&sb);
		}
	}
	return n;
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
	const char *names[QS__COUNT + QV__COUNT + 1];
	const struct command *cmd;
	char first[64], err[128];
	size_t i, flen;
	int n = 0, k;
	const char *start = line;

	if (word_index(line, ws) == 0) {
		for (i = 0; i < NCOMMANDS && n < max; i++)
			if (strncmp(commands[i].name, word, strlen(word)) == 0)
				out[n++] = xstrdup(commands[i].name);
		return n;
	}
	line += strspn(line, " ");
	flen = strcspn(line, " ");
	snprintf(first, sizeof first, "%.*s", (int)(flen < sizeof first ? flen :
	    sizeof first - 1), line);
	if ((cmd = command_find(first, err, sizeof err)) == NULL)
		return 0;
	switch (cmd->complete) {
	case CC_ANALYST:
		return action_complete_analyst(c, line, 0, word, out, max);
	case CC_DISPOSITION:
		/* Only the word right after the command; then comes the reason. */
		if (word_index(line, ws - (size_t)(line - start)) != 1)
			return 0;
		return action_complete_disposition(c, "", 0, word, out, max);
	case CC_SORT:
		for (k = 0; k < QS__COUNT; k++)
			names[k] = queue_sort_name((enum queue_sort)k);
		names[k] = NULL;
		n = complete_list(names, "", word, out, max, 0);
		return complete_list(names, "-", word, out, max, n);
	case CC_VIEW:
		for (k = 0; k < QV__COUNT; k++)
			names[k] = queue_view_name((enum queue_view)k);
		names[k] = NULL;
		n = complete_list(names, "", word, out, max, 0);
		return n + view_queue_saved_names(c->queue, word, out + n, max - n);
	case CC_FILTER:
		return complete_list(filter_keys, "", word, out, max, 0);
	case CC_SCOPE:
		names[0] = "asset";
		names[1] = "evidence:";
		names[2] = NULL;
		return complete_list(names, "", word, out, max, 0);
	case CC_NONE:
		break;
	}
	return 0;
}

void
command_help(struct strbuf *out)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		strbuf_appendf(out, "  :%s%s%s%s%s%s\n      %s\n", commands[i].name,
		    *commands[i].usage ? " " : "", commands[i].usage,
		    commands[i].alias ? "   (also :" : "",
		    commands[i].alias ? commands[i].alias : "",
		    commands[i].alias ? ")" : "", commands[i].help);
}
