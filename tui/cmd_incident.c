/* cmd_incident.c: vsoc incident create|rename|assign|status|note|add|
 * remove|move|merge|severity.
 *
 * Ten commands, one code path, as vsoc alert ...: each is a row of
 * incident_cmds[] (its entry, its action, the options it accepts).  The
 * arguments become an incident_req, bad input is refused before
 * connecting (incident_validate), incident_run() acts, and the outcome is
 * one line for a human or one JSON document for a script.  Exit codes: 0
 * ok, 1 failure, 2 usage, 3 conflict, 4 not found, 5 denied. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cmd.h"
#include "format.h"
#include "incident_action.h"
#include "output.h"
#include "sanitize.h"
#include "strbuf.h"

static int	incident_cmd_exec(struct cmd_ctx *, int, char **);

enum {
	OPT_EXPECT = 0x200,
	OPT_TITLE,
	OPT_TO,
	OPT_REASON,
	OPT_RESOLUTION,
	OPT_FORCE,
	OPT_DISPOSITION,
	OPT_TEXT,
	OPT_INTO,
	OPT_CLEAR
};
#define O(opt)	(1u << ((opt) - OPT_EXPECT))

static const struct option incident_opts[] = {
	CMD_COMMON_OPTIONS,
	{ "expect-version", required_argument, NULL, OPT_EXPECT },
	{ "title", required_argument, NULL, OPT_TITLE },
	{ "to", required_argument, NULL, OPT_TO },
	{ "reason", required_argument, NULL, OPT_REASON },
	{ "resolution", required_argument, NULL, OPT_RESOLUTION },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "disposition", required_argument, NULL, OPT_DISPOSITION },
	{ "text", required_argument, NULL, OPT_TEXT },
	{ "into", required_argument, NULL, OPT_INTO },
	{ "clear", no_argument, NULL, OPT_CLEAR },
	{ NULL, 0, NULL, 0 }
};

#define HELP_EXPECT \
	"  --expect-version N  fail with a conflict (naming who changed it and\n" \
	"                      when) unless the incident is still at version N\n"
#define HELP_EXIT \
	"\nExit codes: 0 done, 1 failure, 2 usage error, 3 conflict (a stale\n" \
	"version, a status or an alert that does not allow it), 4 no such\n" \
	"incident, alert or analyst, 5 denied (your role does not allow it; the\n" \
	"refusal is audited).  Each action is one transaction and one audit\n" \
	"record.  With --json a failure is also a JSON document on stdout.\n"
#define WRITES	(CMD_NEEDS_DB | CMD_NEEDS_ANALYST | CMD_WRITES)

const struct cmd_entry cmd_incident_create_entry = {
	"incident create", "[ALERT...] [--title TEXT]",
	"open an incident, from alerts or empty with a title",
	"Opens an incident owned by you.  With alert ids, they join it (as\n"
	"escalated) with their assets, it is titled after the first alert unless\n"
	"--title is given, and its severity is computed from them.  Without\n"
	"alerts a title is required.\n"
	"\nExamples:\n"
	"  vsoc incident create 42 43\n"
	"  vsoc incident create --title 'Cloned RFID cards at Berlin-3'\n"
	HELP_EXIT, WRITES, incident_cmd_exec
};

const struct cmd_entry cmd_incident_rename_entry = {
	"incident rename", "ID --title TEXT | ID TEXT [--expect-version N]",
	"change an incident's title",
	"\nOptions:\n" HELP_EXPECT
	"\nExample:\n  vsoc incident rename 7 'Firmware campaign, all depots'\n"
	HELP_EXIT, WRITES, incident_cmd_exec
};

const struct cmd_entry cmd_incident_assign_entry = {
	"incident assign", "ID --to NAME|none | ID NAME [--expect-version N]",
	"set an incident's owner",
	"Makes the analyst the incident's owner (none: nobody).  An incident\n"
	"nobody owns, or that you own, any analyst may assign; taking one from\n"
	"another analyst needs the lead role.\n"
	"\nOptions:\n" HELP_EXPECT
	"\nExamples:\n  vsoc incident assign 7 bob\n  vsoc incident assign 7 --to none\n"
	HELP_EXIT, WRITES, incident_cmd_exec
};

const struct cmd_entry cmd_incident_status_entry = {
	"incident status",
	"ID STATUS [--reason TEXT] [--resolution TEXT [--force --disposition D]]",
	"move an incident to another phase (open ... closed)",
	"Forward moves are free.  Moving back needs --reason.  Closing needs\n"
	"--resolution, and is refused while alerts in the incident are open,\n"
	"unless --force closes them with it as --disposition (tp, fp, benign,\n"
	"duplicate), the resolution being their reason.  Reopening a closed\n"
	"incident needs --reason; a merged incident stays closed.\n"
	"\nPagerDuty follows, in the same transaction: leaving open writes an\n"
	"acknowledge page, closing a resolve page, reopening after a resolve a\n"
	"new trigger, on each PagerDuty channel the incident was triggered on.\n"
	"\nOptions:\n" HELP_EXPECT
	"\nExamples:\n"
	"  vsoc incident status 7 containment\n"
	"  vsoc incident status 7 triage --reason 'scope was wrong'\n"
	"  vsoc incident status 7 closed --resolution 'keys rotated' --force --disposition tp\n"
	HELP_EXIT, WRITES, incident_cmd_exec
};

const struct cmd_entry cmd_incident_note_entry = {
	"incident note", "ID --text TEXT|-",
	"add a note to an incident",
	"With --text - the note is read from standard input.  At most 65536\n"
	"bytes of UTF-8, stored as given, shown sanitized.  A note does not\n"
	"change the incident's version.\n"
	"\nExample:\n  vsoc incident note 7 --text 'CSMS vendor informed'\n"
	HELP_EXIT, WRITES, incident_cmd_exec
};

const struct cmd_entry cmd_incident_add_entry = {
	"incident add", "ID ALERT... [--expect-version N]",
	"add alerts to an incident",
	"The alerts join the incident as escalated, with their assets; its\n"
	"severity is recomputed.  An alert in another incident is a conflict\n"
	"(move it with vsoc incident move); closed ones must be reopened first.\n"
	"\nExample:\n  vsoc incident add 7 42 43\n"
	HELP_EXIT, WRITES, incident_cmd_exec
};

const struct cmd_entry cmd_incident_remove_entry = {
	"incident remove", "ID ALERT... [--expect-version N]",
	"take alerts out of an incident, back to the queue acknowledged",
	"\nExample:\n  vsoc incident remove 7 42\n"
	HELP_EXIT, WRITES, incident_cmd_exec
};

const struct cmd_entry cmd_incident_move_entry = {
	"incident move", "ID ALERT... --to ID [--expect-version N]",
	"move alerts from incident ID to another incident",
	"Both incidents change version; both severities are recomputed.\n"
	"\nExample:\n  vsoc incident move 7 42 43 --to 9\n"
	HELP_EXIT, WRITES, incident_cmd_exec
};

const struct cmd_entry cmd_incident_merge_entry = {
	"incident merge", "ID --into ID [--expect-version N]",
	"merge incident ID into another: alerts, assets and notes move",
	"Incident ID's alerts, assets and notes move to the other incident, and\n"
	"ID is closed as merged, with a link to it.  One audited action.\n"
	"\nExample:\n  vsoc incident merge 9 --into 7\n"
	HELP_EXIT, WRITES, incident_cmd_exec
};

const struct cmd_entry cmd_incident_severity_entry = {
	"incident severity", "ID LEVEL --reason TEXT | ID --clear [--reason TEXT]",
	"override an incident's severity (lead), or clear the override",
	"The override wins until cleared; the computed severity stays visible\n"
	"beside it.  LEVEL is critical, high, medium, low or info.  Needs the\n"
	"lead role.\n"
	"\nExamples:\n"
	"  vsoc incident severity 7 critical --reason 'safety: chargers overheating'\n"
	"  vsoc incident severity 7 --clear\n"
	HELP_EXIT, WRITES, incident_cmd_exec
};

/* What follows the incident id on the command line. */
enum positional {
	POS_NONE,	/* nothing */
	POS_ALERTS,	/* alert ids */
	POS_TEXT,	/* one optional word: title, analyst, severity */
	POS_STATUS	/* one required status */
};

struct incident_cmd {
	const struct cmd_entry	*entry;
	enum incident_action	 action;
	unsigned		 opts;
	enum positional		 pos;
};

static const struct incident_cmd incident_cmds[] = {
	{ &cmd_incident_create_entry, IA_CREATE, O(OPT_TITLE), POS_ALERTS },
	{ &cmd_incident_rename_entry, IA_RENAME, O(OPT_EXPECT) | O(OPT_TITLE), POS_TEXT },
	{ &cmd_incident_assign_entry, IA_ASSIGN, O(OPT_EXPECT) | O(OPT_TO), POS_TEXT },
	{ &cmd_incident_status_entry, IA_STATUS, O(OPT_EXPECT) | O(OPT_REASON) |
	    O(OPT_RESOLUTION) | O(OPT_FORCE) | O(OPT_DISPOSITION), POS_STATUS },
	{ &cmd_incident_note_entry, IA_NOTE, O(OPT_TEXT), POS_NONE },
	{ &cmd_incident_add_entry, IA_ADD, O(OPT_EXPECT), POS_ALERTS },
	{ &cmd_incident_remove_entry, IA_REMOVE, O(OPT_EXPECT), POS_ALERTS },
	{ &cmd_incident_move_entry, IA_MOVE, O(OPT_EXPECT) | O(OPT_TO), POS_ALERTS },
	{ &cmd_incident_merge_entry, IA_MERGE, O(OPT_EXPECT) | O(OPT_INTO), POS_NONE },
	{ &cmd_incident_severity_entry, IA_SEVERITY, O(OPT_EXPECT) | O(OPT_REASON) |
	    O(OPT_CLEAR), POS_TEXT },
};

struct args {
	struct incident_req	 req;
	long long		*alerts;
	bool			 text_stdin;
	bool			 clear;
	const char		*to;		/* --to: analyst or incident */
	char			*owned_text;
};

static int
fail(const struct incident_cmd *ic, enum triage_result res, const char *msg)
{
	if (res == TRIAGE_USAGE)
		return cmd_usage_error(ic->entry, "%s", msg);
	return cmd_error(cmd_result_exit(res), "%s", msg);
}

static const char *
option_name(int c)
{
	const struct option *o;

	for (o = incident_opts; o->name != NULL; o++)
		if (o->val == c)
			return o->name;
	return "?";
}

static int
option(struct args *a, const struct incident_cmd *ic, int c, const char *arg)
{
	const struct cmd_entry *e = ic->entry;
	long long v;

	if (!(ic->opts & O(c)))
		return cmd_usage_error(e, "--%s does not apply to vsoc %s",
		    option_name(c), e->name);
	if (arg != NULL && !utf8_valid(arg))
		return cmd_usage_error(e, "the value of --%s is not valid UTF-8",
		    option_name(c));
	switch (c) {
	case OPT_EXPECT:
		if (!cmd_parse_int(arg, &v) || v > INT_MAX)
			return cmd_usage_error(e, "'%s' is not a version", arg);
		a->req.version = (int)v;
		break;
	case OPT_TITLE:
		a->req.title = arg;
		break;
	case OPT_TO:
		a->to = arg;
		break;
	case OPT_REASON:
		a->req.reason = arg;
		break;
	case OPT_RESOLUTION:
		a->req.resolution = arg;
		break;
	case OPT_FORCE:
		a->req.force = true;
		break;
	case OPT_DISPOSITION:
		a->req.disposition = disposition_parse(arg);
		if (a->req.disposition == DISP_UNKNOWN)
			return cmd_usage_error(e, "unknown disposition '%s': use "
			    "tp, fp, benign or duplicate", arg);
		break;
	case OPT_TEXT:
		a->text_stdin = strcmp(arg, "-") == 0;
		a->req.text = arg;
		break;
	case OPT_INTO:
		if (format_parse_id(arg, &v) != 0)
			return cmd_usage_error(e, "'%s' is not an incident id", arg);
		a->req.target = v;
		break;
	case OPT_CLEAR:
		a->clear = true;
		break;
	}
	return EXIT_OK;
}

/* The words after the options: the incident id, then per pos. */
static int
positionals(struct args *a, const struct incident_cmd *ic, int argc, char **argv)
{
	const struct cmd_entry *e = ic->entry;
	const char *word = NULL;
	char msg[160];
	int i = optind;
	long long v;

	if (ic->action != IA_CREATE) {
		if (i >= argc)
			return fail(ic, TRIAGE_USAGE, "which incident? give its id");
		if (format_parse_id(argv[i], &a->req.id) != 0) {
			snprintf(msg, sizeof msg, "'%s' is not an incident id", argv[i]);
			return fail(ic, TRIAGE_USAGE, msg);
		}
		i++;
	}
	a->alerts = xcalloc((size_t)(argc > i ? argc - i : 0) + 1, sizeof *a->alerts);
	for (; i < argc; i++) {
		if (ic->pos == POS_ALERTS) {
			if (format_parse_id(argv[i], &a->alerts[a->req.nalerts]) != 0) {
				snprintf(msg, sizeof msg, "'%s' is not an alert id", argv[i]);
				return fail(ic, TRIAGE_USAGE, msg);
			}
			a->req.nalerts++;
			continue;
		}
		if ((ic->pos != POS_TEXT && ic->pos != POS_STATUS) || word != NULL)
			return cmd_usage_error(e, "unexpected argument '%s'", argv[i]);
		if (!utf8_valid(argv[i]))
			return cmd_usage_error(e, "an argument is not valid UTF-8");
		word = argv[i];
	}
	a->req.alerts = a->alerts;
	switch (ic->action) {
	case IA_RENAME:
		if (word != NULL && a->req.title != NULL)
			return cmd_usage_error(e, "give the title once");
		if (word != NULL)
			a->req.title = word;
		if (a->req.title == NULL)
			return fail(ic, TRIAGE_USAGE, "rename needs a title");
		break;
	case IA_ASSIGN:
		if (word != NULL && a->to != NULL)
			return cmd_usage_error(e, "give the analyst once");
		if (word == NULL)
			word = a->to;
		if (word == NULL)
			return fail(ic, TRIAGE_USAGE, "--to NAME is required (--to none unassigns)");
		a->req.assignee = strcmp(word, "none") == 0 ? NULL : word;
		break;
	case IA_STATUS:
		if (word == NULL)
			return fail(ic, TRIAGE_USAGE, "which status? open, triage, containment,"
			    " eradication, recovery, post_incident or closed");
		if ((a->req.status = incident_status_parse(word)) == IS_UNKNOWN) {
			snprintf(msg, sizeof msg, "unknown status '%.40s': use open, triage,"
			    " containment, eradication, recovery, post_incident or closed", word);
			return fail(ic, TRIAGE_USAGE, msg);
		}
		break;
	case IA_MOVE:
		if (a->to == NULL || format_parse_id(a->to, &v) != 0)
			return fail(ic, TRIAGE_USAGE, "move needs --to ID, the incident the"
			    " alerts go to");
		a->req.target = v;
		break;
	case IA_MERGE:
		if (a->req.target == 0)
			return fail(ic, TRIAGE_USAGE, "merge needs --into ID, the incident"
			    " that stays");
		break;
	case IA_SEVERITY:
		if (a->clear == (word != NULL))
			return fail(ic, TRIAGE_USAGE, "give a severity (critical, high, medium,"
			    " low, info) or --clear");
		if (word != NULL && (a->req.severity = severity_parse(word)) == SEV_NONE) {
			snprintf(msg, sizeof msg, "unknown severity '%.40s'", word);
			return fail(ic, TRIAGE_USAGE, msg);
		}
		break;
	default:
		break;
	}
	return EXIT_OK;
}

static int
parse(struct cmd_ctx *ctx, const struct incident_cmd *ic, struct args *a,
    int argc, char **argv)
{
	const struct cmd_entry *e = ic->entry;
	int c, rc;

	while ((c = getopt_long(argc, argv, ":", incident_opts, NULL)) != -1) {
		if (cmd_common_option(ctx, e, c, optarg))
			continue;
		if (c == ':')
			return cmd_usage_error(e, "%s needs a value", argv[optind - 1]);
		if (c == '?' || c < OPT_EXPECT)
			return cmd_usage_error(e, "unknown option '%s'", argv[optind - 1]);
		if ((rc = option(a, ic, c, optarg)) != EXIT_OK)
			return rc;
	}
	if ((rc = positionals(a, ic, argc, argv)) != EXIT_OK)
		return rc;
	cmd_json_context("incident", a->req.id ? json_integer(a->req.id) : json_null());
	if (a->text_stdin) {
		const char *why = NULL;
		enum triage_result res = TRIAGE_ERROR;

		if ((a->owned_text = cmd_read_stdin_text(&why, &res)) == NULL)
			return fail(ic, res, why);
		a->req.text = a->owned_text;
	}
	return EXIT_OK;
}

static int
print(struct cmd_ctx *ctx, const struct incident_cmd *ic,
    const struct incident_outcome *out)
{
	char id[32];
	const char *p[1] = { id };
	PGresult *res;
	json_t *doc, *alerts;
	int k;

	if (!ctx->json) {
		output_text(stdout, out->message);
		fputc('\n', stdout);
		return EXIT_OK;
	}
	alerts = json_array();
	snprintf(id, sizeof id, "%lld", out->audit_id);
	res = out->audit_id ? db_query(&ctx->db, "SELECT unnest(alert_ids) AS id"
	    " FROM audit_log WHERE id = $1", 1, p) : NULL;
	for (k = 0; res != NULL && k < PQntuples(res); k++)
		json_array_append_new(alerts, json_integer(db_ll(res, k, "id")));
	PQclear(res);
	doc = json_object();
	json_object_set_new(doc, "action", json_string(incident_action_name(ic->action)));
	json_object_set_new(doc, "ok", json_true());
	json_object_set_new(doc, "incident", json_integer(out->incident_id));
	json_object_set_new(doc, "version", json_integer(out->version));
	json_object_set_new(doc, "changed", json_integer((json_int_t)out->changed));
	json_object_set_new(doc, "alerts", alerts);
	json_object_set_new(doc, "audit_id",
	    out->audit_id ? json_integer(out->audit_id) : json_null());
	json_object_set_new(doc, "message", output_json_text(out->message));
	return output_json(stdout, doc) < 0 ? EXIT_FAIL : EXIT_OK;
}

static int
incident_cmd_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct incident_cmd *ic = NULL;
	struct incident_outcome out;
	struct args a;
	size_t i;
	int rc;

	for (i = 0; i < sizeof incident_cmds / sizeof incident_cmds[0]; i++) {
		const char *sp = strrchr(incident_cmds[i].entry->name, ' ');

		if (strcmp(sp + 1, argv[0]) == 0)
			ic = &incident_cmds[i];
	}
	if (ic == NULL)
		return cmd_error(EXIT_FAIL, "internal: no incident action '%s'", argv[0]);
	cmd_json_context("action", json_string(incident_action_name(ic->action)));
	cmd_json_context("incident", json_null());
	memset(&a, 0, sizeof a);
	a.req.action = ic->action;
	a.req.status = IS_UNKNOWN;
	a.req.disposition = DISP_NONE;
	if ((rc = parse(ctx, ic, &a, argc, argv)) != EXIT_OK)
		goto done;
	/* Bad input is a usage error even when the database is down. */
	if (incident_validate(&a.req, &out) != TRIAGE_OK) {
		rc = fail(ic, out.result, out.message);
		goto done;
	}
	if ((rc = cmd_connect(ctx, true)) != EXIT_OK)
		goto done;
	a.req.actor = &ctx->me;
	if (incident_run(&ctx->db, &a.req, &out) != TRIAGE_OK) {
		if (out.failed_alert)
			cmd_json_context("alert", json_integer(out.failed_alert));
		rc = fail(ic, out.result, out.message);
	} else {
		rc = print(ctx, ic, &out);
	}
done:
	free(a.alerts);
	free(a.owned_text);
	return rc;
}
