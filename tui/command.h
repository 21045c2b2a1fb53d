/* command.h: the `:` command line (tmux's cmd_entry table).
 *
 * Commands come from the views on the stack (view_ops.commands, top view
 * first) and then from the console's own table; a name resolves to an
 * exact match or an alias, else a unique prefix, else "ambiguous command:
 * s, could be: save, sort, ...".  Triage commands act through the top
 * view's action (marked alerts on the queue, the alert in its detail). */
#ifndef VSOC_COMMAND_H
#define VSOC_COMMAND_H

#include <stddef.h>

struct console;
struct strbuf;

/* Run one command line (without the ':'). */
void	 command_run(struct console *c, const char *line);
/* Completion for the `:` prompt (prompt_complete_fn; ctx is the console). */
int	 command_complete(void *ctx, const char *line, size_t ws, const char *word,
	    char **out, int max);
/* The command reference for the help screen: the commands of the views
 * on the stack, then the console's. */
void	 command_help(struct console *c, struct strbuf *out);

#endif
