/* cmd_console.c: `vsoc console` (and `vsoc` alone): the triage console. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "cmd_config.h"
#include "settings.h"
#include "console.h"
#include "strbuf.h"

static int cmd_console_exec(struct cmd_ctx *ctx, int argc, char **argv);

const struct cmd_entry cmd_console_entry = {
	.name = "console",
	.usage = "[--view NAME] [--filter EXPR] [--read-only] [--idle-lock DURATION]"
	    " [--config FILE]",
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
	    "  --config FILE   the settings file (default $VSOC_CONFIG, else\n"
	    "                  ${XDG_CONFIG_HOME:-~/.config}/vsoc/config; see\n"
	    "                  `vsoc help config show`)\n"
	    "\n"
	    "The console acts as the database session user, with that user's vsoc\n"
	    "role; an analyst disabled, or whose role is lowered, while the console\n"
	    "is open is refused the next action, with the reason.  Every start and\n"
	    "end is in the audit log.\n"
	    "\n"
	    "Pages: a console whose analyst is a member of vsoc_deliverer (GRANT\n"
	    "vsoc_deliverer TO NAME) sends due on-call pages of the settings file's\n"
	    "channels in the background, never on a keypress; [console] deliver =\n"
	    "no (or VSOC_DELIVER=no) and --read-only turn that off.\n"
	    "\n"
	    "Settings: the command line, then the environment, then the settings\n"
	    "file ([console] idle_lock, read_only, view, colour, deliver), then\n"
	    "defaults.\n"
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
		{ "config", required_argument, NULL, 'c' },
		CMD_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	struct console_options opt;
	const char *lock = NULL, *view = NULL, *cfgpath = NULL;
	struct settings cfg;
	struct strbuf err;
	int c, rc;

	memset(&opt, 0, sizeof opt);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (cmd_common_option(ctx, &cmd_console_entry, c, optarg))
			continue;
		switch (c) {
		case 'v':
			view = optarg;
			break;
		case 'f':
			opt.filter = optarg;
			break;
		case 'i':
			lock = optarg;
			break;
		case 'c':
			cfgpath = optarg;
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
	/* Precedence: command line > environment > user file > system file >
	 * default (core/settings.h). */
	if ((rc = cmd_config_load(&cfg, cfgpath)) != EXIT_OK)
		goto out;
	strbuf_init(&err);
	if ((lock != NULL && *lock != '\0' &&
	    settings_set_flag(&cfg, "console", "idle_lock", lock, &err) < 0) ||
	    (view != NULL && settings_set_flag(&cfg, "console", "view", view, &err) < 0) ||
	    (ctx->read_only &&
	    settings_set_flag(&cfg, "console", "read_only", "yes", &err) < 0)) {
		rc = cmd_usage_error(&cmd_console_entry, "%s", err.buf);
		strbuf_free(&err);
		goto out;
	}
	strbuf_free(&err);
	opt.idle_lock = settings_get_duration(&cfg, "console", "idle_lock");
	opt.read_only = settings_get_bool(&cfg, "console", "read_only");
	/* Paging and the console's deliverer read the channels. */
	opt.cfg = &cfg;
	opt.db_flag = ctx->db_flag;
	if (cfg.source[settings_find("console", "view")] != SETTINGS_DEFAULT)
		opt.view = settings_get(&cfg, "console", "view");
	/* The theme reads NO_COLOR itself: colour = never from the file is
	 * passed on the same way, without touching the console's code. */
	if (strcmp(settings_get(&cfg, "console", "colour"), "never") == 0 &&
	    getenv("NO_COLOR") == NULL)
		setenv("NO_COLOR", "1", 1);
	rc = EXIT_USAGE;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		cmd_error(EXIT_USAGE, "the console needs a terminal; for "
		    "scripts use `vsoc alerts list` and `vsoc alert ...`");
		goto out;
	}
	if ((rc = cmd_connect(ctx, true)) != EXIT_OK)
		goto out;
	rc = console_main(&ctx->db, &ctx->me, &opt) == 0 ? EXIT_OK : EXIT_FAIL;
out:
	settings_free(&cfg);
	return rc;
}
