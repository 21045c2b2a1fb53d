/* command.h: the `:` command line (tmux's cmd_entry table).
 *
 * One table of commands; a name resolves to an exact match, an alias, or
 * a unique prefix, else "ambiguous command: s, could be: save, sort, ...".
 * Triage commands act through the top view (marked alerts on the queue,
 * the alert in the detail view); queue commands act on the queue. */
#ifndef VSOC_COMMAND_H
#define VSOC_COMMAND_H

#include <stddef.h>

struct console;
struct strbuf;

struct command;

/* Find a command by name; NULL with a message in err when unknown or
 * ambiguous. */
const struct command *command_find(const char *name, char *err, size_t errlen);
const char	*command_name(const struct command *cmd);

/* Run one command line (without the ':'). */
void	 command_run(struct console *c, const char *line);
/* Completion for the `:` prompt (prompt_complete_fn). */
int	 command_complete(void *ctx, const char *line, size_t ws, const char *word,
	    char **out, int max);
/* The command reference for the help screen, one command per line. */
void	 command_help(struct strbuf *out);

#endif
