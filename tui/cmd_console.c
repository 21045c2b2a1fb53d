/* cmd_console.c: `vsoc console` (and `vsoc` alone): the triage console. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "console.h"
#include "format.h"

static int cmd_console_exec(struct cmd_ctx *ctx, int argc, char **argv);

const struct cmd_entry cmd_console_entry = {
	.name = "console",
	.usage = "[--view NAME] [--filter EXPR] [--read-only] [--idle-lock DURATION]",
	.summary = "the interactive triage console (the default command)",
	.help =
	    "Opens the alert queue.  ? shows every key and command; keys are\n"
	    "rebound in ${XDG_CONFIG_HOME:-~/.config}/vsoc/keys with lines like\n"
	    "`bind x close` or `bind queue J page-down`.\n"
	    "\n"
	    "  --view NAME     start in a view: open (default), mine, unassigned,\n"
	    "                  escalated, closed, all, or one of your saved views\n"
	    "  --filter EXPR   start with a filter, e.g. 'sev>=high rule=R7'\n"
	    "  --read-only     every action is off (greyed in the help), as for\n"
	    "                  the viewer role; for wall displays and replicas\n"
	    "  --idle-lock D   lock the screen after D without a key (default 15m,\n"
	    "                  0 never); the next key re-checks the connection and\n"
	    "                  your role before anything else\n"
	    "\n"
	    "The console acts as the database session user, with that user's vsoc\n"
	    "role; an analyst disabled, or whose role is lowered, while the console\n"
	    "is open is refused the next action, with the reason.  Every start and\n"
	    "end is in the audit log.\n"
	    "\n"
	    "Environment: NO_COLOR turns colours off; VSOC_IDLE_LOCK sets the idle\n"
	    "lock; VSOC_TRACE=FILE appends a timestamped line per screen update\n"
	    "(used by bench/queue_bench.sh).\n",
	.flags = CMD_NEEDS_DB | CMD_NEEDS_ANALYST,
	.exec = cmd_console_exec,
};

static int
cmd_console_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "view", required_argument, NULL, 'v' },
		{ "filter", required_argument, NULL, 'f' },
		{ "idle-lock", required_argument, NULL, 'i' },
		CMD_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	struct console_options opt;
	const char *lock = getenv("VSOC_IDLE_LOCK"), *lock_from = "VSOC_IDLE_LOCK";
	int c, rc;

	memset(&opt, 0, sizeof opt);
	opt.idle_lock = CONSOLE_IDLE_LOCK_DEFAULT;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (cmd_common_option(ctx, &cmd_console_entry, c, optarg))
			continue;
		switch (c) {
		case 'v':
			opt.view = optarg;
			break;
		case 'f':
			opt.filter = optarg;
			break;
		case 'i':
			lock = optarg;
			lock_from = "--idle-lock";
			break;
		default:
			return cmd_usage_error(&cmd_console_entry, "unknown option '%s'",
			    argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cmd_usage_error(&cmd_console_entry, "unexpected argument '%s'",
		    argv[optind]);
	if (ctx->json)
		return cmd_usage_error(&cmd_console_entry, "--json makes no sense "
		    "for the interactive console");
	if (lock != NULL && *lock != '\0') {
		long secs = strcmp(lock, "0") == 0 ? 0 : format_parse_duration(lock);

		if (secs < 0 || secs > 7 * 86400)
			return cmd_usage_error(&cmd_console_entry, "%s takes a duration up"
			    " to 7d (90s, 15m, 1h) or 0, not '%s'", lock_from, lock);
		opt.idle_lock = secs;
	}
	opt.read_only = ctx->read_only;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return cmd_error(EXIT_USAGE, "the console needs a terminal; for "
		    "scripts use `vsoc alerts list` and `vsoc alert ...`");
	if ((rc = cmd_connect(ctx, true)) != EXIT_OK)
		return rc;
	return console_main(&ctx->db, &ctx->me, &opt) == 0 ? EXIT_OK : EXIT_FAIL;
}
