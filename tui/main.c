/* main.c: vsoc's entry point: global options, then a command from the
 * table, or the console when there is none. */
#include <getopt.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "migrate.h"

static const struct cmd_entry *const cmd_table[] = {
	&cmd_console_entry,
	&cmd_alerts_list_entry,
	&cmd_alert_show_entry,
	&cmd_alert_take_entry,
	&cmd_alert_assign_entry,
	&cmd_alert_ack_entry,
	&cmd_alert_note_entry,
	&cmd_alert_close_entry,
	&cmd_alert_reopen_entry,
	&cmd_alert_suppress_entry,
	&cmd_alert_escalate_entry,
	&cmd_incidents_list_entry,
	&cmd_incident_show_entry,
	&cmd_incident_create_entry,
	&cmd_incident_rename_entry,
	&cmd_incident_assign_entry,
	&cmd_incident_status_entry,
	&cmd_incident_note_entry,
	&cmd_incident_add_entry,
	&cmd_incident_remove_entry,
	&cmd_incident_move_entry,
	&cmd_incident_merge_entry,
	&cmd_incident_severity_entry,
	&cmd_incident_page_entry,
	&cmd_severity_explain_entry,
	&cmd_sla_report_entry,
	&cmd_candidates_list_entry,
	&cmd_candidates_accept_entry,
	&cmd_candidates_dismiss_entry,
	&cmd_twin_show_entry,
	&cmd_twin_timeline_entry,
	&cmd_audit_list_entry,
	&cmd_audit_export_entry,
	&cmd_audit_verify_entry,
	&cmd_audit_anchor_entry,
	&cmd_analyst_list_entry,
	&cmd_analyst_add_entry,
	&cmd_analyst_role_entry,
	&cmd_analyst_disable_entry,
	&cmd_analyst_enable_entry,
	&cmd_db_migrate_entry,
	&cmd_db_status_entry,
	&cmd_demo_seed_entry,
	&cmd_config_show_entry,
	&cmd_config_check_entry,
	&cmd_outbox_list_entry,
	&cmd_outbox_deliver_entry,
	&cmd_outbox_page_entry,
	NULL
};

static void
usage(FILE *out)
{
	int i;

	fprintf(out,
	    "usage: vsoc [--db CONNINFO] [--read-only] [--json] [COMMAND [ARGS...]]\n"
	    "\n"
	    "vsoc is the console of a vehicle and EV-charging security operations\n"
	    "centre.  With no command it opens the triage console.\n"
	    "\n"
	    "Commands:\n");
	for (i = 0; cmd_table[i] != NULL; i++)
		fprintf(out, "  %-15s %s\n", cmd_table[i]->name, cmd_table[i]->summary);
	fprintf(out,
	    "  %-15s %s\n"
	    "\n"
	    "Global options:\n"
	    "  --db CONNINFO   database (conninfo string or postgresql:// URI)\n"
	    "  --read-only     refuse every action (the console greys them out)\n"
	    "  --json          JSON output (every command; also after its name)\n"
	    "  --as ANALYST    fail unless the session user is this analyst\n"
	    "  --help, -h      this help;  --version, -V  the version\n"
	    "\n"
	    "Database: --db, else $VSOC_DB, else the PG* variables (PGHOST, PGPORT,\n"
	    "PGDATABASE, PGUSER, PGSERVICE), else the private cluster in\n"
	    "$VSOC_PGDIR or ./var/pg (start it with scripts/pg start).\n"
	    "\n"
	    "Who acts is the database session user (PGUSER, user= in --db, or the\n"
	    "Unix account with peer authentication); its vsoc role (viewer,\n"
	    "analyst, lead, admin) decides what it may do.\n"
	    "\n"
	    "Exit codes: 0 success, 1 failure (database unreachable, error),\n"
	    "2 usage error, 3 conflict (someone else changed or owns the alert),\n"
	    "4 not found (unknown alert, analyst or incident), 5 denied (the role\n"
	    "or --read-only does not allow it).\n",
	    "help COMMAND", "help on one command");
}

static const struct cmd_entry *
cmd_find(int argc, char **argv, int *used)
{
	int i;

	/* Two-word names first ("alert show"), then one-word ones. */
	if (argc >= 2) {
		for (i = 0; cmd_table[i] != NULL; i++) {
			const char *n = cmd_table[i]->name, *sp = strchr(n, ' ');
			if (sp != NULL && strncmp(n, argv[0], (size_t)(sp - n)) == 0 &&
			    argv[0][sp - n] == '\0' && strcmp(sp + 1, argv[1]) == 0) {
				*used = 2;
				return cmd_table[i];
			}
		}
	}
	for (i = 0; cmd_table[i] != NULL; i++) {
		if (strcmp(cmd_table[i]->name, argv[0]) == 0) {
			*used = 1;
			return cmd_table[i];
		}
	}
	return NULL;
}

/* "vsoc alert" alone, or "vsoc alert bogus": list the group's commands. */
static int
group_help(const char *group, const char *bad)
{
	size_t len = strlen(group);
	int i, found = 0;

	for (i = 0; cmd_table[i] != NULL; i++)
		if (strncmp(cmd_table[i]->name, group, len) == 0 &&
		    cmd_table[i]->name[len] == ' ')
			found++;
	if (!found)
		return -1;
	if (bad != NULL)
		cmd_error(EXIT_USAGE, "unknown command '%s %s'", group, bad);
	else
		cmd_error(EXIT_USAGE, "'%s' needs a subcommand", group);
	fprintf(stderr, "%s commands:\n", group);
	for (i = 0; cmd_table[i] != NULL; i++)
		if (strncmp(cmd_table[i]->name, group, len) == 0 &&
		    cmd_table[i]->name[len] == ' ')
			fprintf(stderr, "  vsoc %s %s\n", cmd_table[i]->name,
			    cmd_table[i]->usage);
	return EXIT_USAGE;
}

static int
help_command(int argc, char **argv)
{
	const struct cmd_entry *e;
	int used;

	if (argc == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	e = cmd_find(argc, argv, &used);
	if (e == NULL) {
		if (argc == 1 && group_help(argv[0], NULL) == EXIT_USAGE)
			return EXIT_USAGE;
		return cmd_error(EXIT_USAGE, "help: unknown command '%s'; "
		    "see vsoc --help", argv[0]);
	}
	cmd_print_help(e);
	return EXIT_OK;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "as", required_argument, NULL, 'a' },
		{ "read-only", no_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct cmd_ctx ctx;
	const struct cmd_entry *e;
	int c, used = 0, rc;
	char *console_argv[] = { (char *)"console", NULL };

	setlocale(LC_ALL, "");
	memset(&ctx, 0, sizeof ctx);
	/* Before any parsing: an error in the options of a --json run must
	 * give its JSON document too. */
	for (c = 1; c < argc && strcmp(argv[c], "--") != 0; c++)
		if (strcmp(argv[c], "--json") == 0)
			cmd_json_errors(true);
	/* '+': stop at the first non-option, the command name; ':': a
	 * missing value is told apart from an unknown option. */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			ctx.db_flag = optarg;
			break;
		case 'a':
			ctx.as = optarg;
			break;
		case 'r':
			ctx.read_only = true;
			break;
		case 'j':
			/* Every command takes --json, before its name or after. */
			ctx.json = true;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case 'V':
			printf("vsoc %s (schema %d)\n", PACKAGE_VERSION, migrate_latest());
			return EXIT_OK;
		case ':':
			cmd_error(EXIT_USAGE, "option '%s' needs a value",
			    argv[optind - 1]);
			usage(stderr);
			return EXIT_USAGE;
		default:
			/* In a cluster (-xh) optind has not moved past the
			 * word yet: name the letter, not a neighbour. */
			if (optopt != 0)
				cmd_error(EXIT_USAGE, "unknown option '-%c'", optopt);
			else
				cmd_error(EXIT_USAGE, "unknown option '%s'",
				    argv[optind - 1]);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		e = &cmd_console_entry;
		argc = 1;
		argv = console_argv;
		used = 1;
	} else if (strcmp(argv[0], "help") == 0) {
		return help_command(argc - 1, argv + 1);
	} else if ((e = cmd_find(argc, argv, &used)) == NULL) {
		rc = group_help(argv[0], argc > 1 ? argv[1] : NULL);
		if (rc >= 0)
			return rc;
		cmd_error(EXIT_USAGE, "unknown command '%s'; see vsoc --help", argv[0]);
		return EXIT_USAGE;
	}
	/* The command sees itself as argv[0] and its own options after. */
	argc -= used - 1;
	argv += used - 1;
	optind = 0;	/* re-initialise getopt for the command */
	opterr = 0;	/* commands report bad options themselves */
	ctx.entry = e;
	rc = e->exec(&ctx, argc, argv);
	if (ctx.connected)
		db_disconnect(&ctx.db);
	return rc;
}
