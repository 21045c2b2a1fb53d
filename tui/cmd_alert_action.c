/* cmd_alert_action.c: vsoc alert take|assign|ack|note|close|reopen|suppress|
 * escalate.
 *
 * Eight commands, one code path: each is a row of alert_actions[] (its
 * entry, its triage action, the options it accepts).  alert_action_exec()
 * finds its row by name, parses the arguments into a triage_req, rejects
 * bad input before connecting (triage_validate), runs triage_run() and
 * prints the outcome: one line for a human, one JSON document for a script.
 * The exit code is the triage result (0 ok, 1 failure, 2 usage, 3 conflict,
 * 4 not found). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cmd.h"
#include "format.h"
#include "output.h"
#include "sanitize.h"
#include "strbuf.h"
#include "triage.h"

/* Columns of a note echoed after "note added to ...". */
#define NOTE_PREVIEW	60

static int	alert_action_exec(struct cmd_ctx *, int, char **);

/* Options beyond CMD_COMMON_OPTIONS (which use 0x100..0x103). */
enum {
	OPT_EXPECT = 0x200,
	OPT_TO,
	OPT_TEXT,
	OPT_DISPOSITION,
	OPT_REASON,
	OPT_FOR,
	OPT_BY,
	OPT_INCIDENT,
	OPT_TITLE
};
#define O(opt)	(1u << ((opt) - OPT_EXPECT))

static const struct option alert_action_opts[] = {
	CMD_COMMON_OPTIONS,
	{ "expect-version", required_argument, NULL, OPT_EXPECT },
	{ "to", required_argument, NULL, OPT_TO },
	{ "text", required_argument, NULL, OPT_TEXT },
	{ "disposition", required_argument, NULL, OPT_DISPOSITION },
	{ "reason", required_argument, NULL, OPT_REASON },
	{ "for", required_argument, NULL, OPT_FOR },
	{ "by", required_argument, NULL, OPT_BY },
	{ "incident", required_argument, NULL, OPT_INCIDENT },
	{ "title", required_argument, NULL, OPT_TITLE },
	{ NULL, 0, NULL, 0 }
};

/* Shared paragraphs of the help texts. */
#define HELP_IDS \
	"\nIDs are alert numbers, written 42 or #42.  Several IDs make one action:\n" \
	"every alert changes or none does, and the audit log gets one entry.\n"
#define HELP_EXPECT \
	"  --expect-version N  with one ID: fail with a conflict unless the alert\n" \
	"                      is still at version N, the one you looked at\n"
#define HELP_EXIT(what) \
	"\nExit codes: 0 " what ", 1 failure (database), 2 usage error, 3 conflict\n" \
	"(someone else changed or owns the alert, or its status does not allow\n" \
	"it), 4 no such alert, analyst or incident, 5 denied (your role does not\n" \
	"allow it; the refusal is audited).  With --json a failure is also a JSON\n" \
	"document on stdout: {\"ok\": false, \"result\": \"conflict\", ...}.\n"

const struct cmd_entry cmd_alert_take_entry = {
	"alert take", "ID... [--expect-version N]",
	"take alerts: assign them to yourself and acknowledge new ones",
	"Assigns each alert to you (the database session user) and moves new\n"
	"alerts to acknowledged.  Taking is atomic: when two\n"
	"analysts take the same alert at once, one gets it and the other is told\n"
	"who did.  Taking an alert you own already is fine; one someone else owns\n"
	"is a conflict (a lead reassigns with vsoc alert assign).  Closed and\n"
	"suppressed alerts must be reopened first.\n"
	HELP_IDS
	"\nOptions:\n"
	HELP_EXPECT
	"\nExamples:\n"
	"  vsoc alert take 42\n"
	"  vsoc alert take '#42' 43 44\n"
	"  vsoc alert take 42 --expect-version 3\n"
	HELP_EXIT("taken"),
	CMD_NEEDS_DB | CMD_NEEDS_ANALYST | CMD_WRITES, alert_action_exec
};

const struct cmd_entry cmd_alert_assign_entry = {
	"alert assign", "ID... --to NAME|none [--expect-version N]",
	"assign alerts to an analyst, or unassign them with --to none",
	"Assigns the alerts to the named analyst.  Alerts nobody owns, or that\n"
	"you own, any analyst may assign; taking one from another analyst needs\n"
	"the lead role (the audit log keeps the previous owners).  The analyst\n"
	"must exist and be active.  --to none, or unassign, clears the owner.\n"
	"The name may also be given as the last argument.\n"
	HELP_IDS
	"\nOptions:\n"
	"  --to NAME           the analyst; none to unassign\n"
	HELP_EXPECT
	"\nExamples:\n"
	"  vsoc alert assign 42 43 --to bob\n"
	"  vsoc alert assign 42 bob\n"
	"  vsoc alert assign 42 --to none\n"
	HELP_EXIT("assigned"),
	CMD_NEEDS_DB | CMD_NEEDS_ANALYST | CMD_WRITES, alert_action_exec
};

const struct cmd_entry cmd_alert_ack_entry = {
	"alert ack", "ID... [--expect-version N]",
	"acknowledge new alerts (seen, being looked at)",
	"Moves new alerts to acknowledged without taking them.  Alerts that are\n"
	"already acknowledged or escalated are left as they are; closed and\n"
	"suppressed ones are a conflict.\n"
	HELP_IDS
	"\nOptions:\n"
	HELP_EXPECT
	"\nExamples:\n"
	"  vsoc alert ack 42 43 44\n"
	HELP_EXIT("acknowledged"),
	CMD_NEEDS_DB | CMD_NEEDS_ANALYST | CMD_WRITES, alert_action_exec
};

const struct cmd_entry cmd_alert_note_entry = {
	"alert note", "ID... --text TEXT|-",
	"add a note to alerts",
	"Adds the text as a note on each alert, in any status.  With --text -\n"
	"the note is read from standard input (trailing newlines dropped).  At\n"
	"most 65536 bytes of UTF-8; stored exactly as given and shown sanitized.\n"
	"A note does not change the alert's version, so it never makes a\n"
	"colleague's pending change conflict.\n"
	HELP_IDS
	"\nOptions:\n"
	"  --text TEXT         the note; - reads it from standard input\n"
	HELP_EXPECT
	"\nExamples:\n"
	"  vsoc alert note 42 --text 'CSMS confirms the reboot was scheduled'\n"
	"  journalctl -u csms | tail -20 | vsoc alert note 42 --text -\n"
	HELP_EXIT("added"),
	CMD_NEEDS_DB | CMD_NEEDS_ANALYST | CMD_WRITES, alert_action_exec
};

const struct cmd_entry cmd_alert_close_entry = {
	"alert close", "ID... --disposition D --reason TEXT [--expect-version N]",
	"close alerts with a disposition and a reason",
	"Closes the alerts with a disposition and the reason for it, both\n"
	"required.  Closed alerts leave the queue; vsoc alert reopen brings one\n"
	"back.  An alert already closed is a conflict.\n"
	HELP_IDS
	"\nOptions:\n"
	"  --disposition D     true_positive (tp), false_positive (fp), benign\n"
	"                      or duplicate (dup)\n"
	"  --reason TEXT       why (required; kept in the alert and the audit log)\n"
	HELP_EXPECT
	"\nExamples:\n"
	"  vsoc alert close 42 --disposition fp --reason 'planned maintenance'\n"
	"  vsoc alert close 42 43 44 --disposition duplicate --reason 'same as #41'\n"
	HELP_EXIT("closed"),
	CMD_NEEDS_DB | CMD_NEEDS_ANALYST | CMD_WRITES, alert_action_exec
};

const struct cmd_entry cmd_alert_reopen_entry = {
	"alert reopen", "ID... --reason TEXT [--expect-version N]",
	"reopen closed or suppressed alerts",
	"Puts closed or suppressed alerts back in the queue: new, or acknowledged\n"
	"when someone owns them.  Their disposition is cleared; the audit log\n"
	"keeps the old one and the reason for reopening, which is required.\n"
	HELP_IDS
	"\nOptions:\n"
	"  --reason TEXT       why (required)\n"
	HELP_EXPECT
	"\nExamples:\n"
	"  vsoc alert reopen 42 --reason 'the same station alerted again'\n"
	HELP_EXIT("reopened"),
	CMD_NEEDS_DB | CMD_NEEDS_ANALYST | CMD_WRITES, alert_action_exec
};

const struct cmd_entry cmd_alert_suppress_entry = {
	"alert suppress",
	"ID... --for DURATION --reason TEXT [--by asset|evidence:KEY]",
	"suppress alerts and similar ones for a while",
	"Creates a suppression for each distinct rule and asset among the alerts\n"
	"(--by asset, the default), or each rule and evidence value (--by\n"
	"evidence:KEY, KEY a dotted path into the alert's evidence such as\n"
	"src.ip), until the duration runs out.  The alerts, and every other open\n"
	"alert the suppressions match, become suppressed.  Only open (new or\n"
	"acknowledged) alerts can be suppressed.\n"
	HELP_IDS
	"\nOptions:\n"
	"  --for DURATION      how long: 90s, 15m, 4h, 7d, 2w; at most 90d\n"
	"  --reason TEXT       why (required)\n"
	"  --by asset          same rule and asset (default)\n"
	"  --by evidence:KEY   same rule and value of evidence field KEY\n"
	HELP_EXPECT
	"\nExamples:\n"
	"  vsoc alert suppress 42 --for 4h --reason 'firmware rollout tonight'\n"
	"  vsoc alert suppress 42 --for 7d --by evidence:id_tag --reason 'test card'\n"
	HELP_EXIT("suppressed"),
	CMD_NEEDS_DB | CMD_NEEDS_ANALYST | CMD_WRITES, alert_action_exec
};

const struct cmd_entry cmd_alert_escalate_entry = {
	"alert escalate", "ID... [--incident ID | --title TEXT]",
	"escalate alerts into a new or an existing incident",
	"Escalates the alerts into an incident and links their assets to it.\n"
	"With --incident the incident must exist and not be closed.  Otherwise a\n"
	"new incident is opened, owned by you, titled after the first alert (or\n"
	"--title), as severe as its most severe alert, and scoped to the asset,\n"
	"the site (several assets of one site) or the fleet.  An alert already\n"
	"in another incident is a conflict.\n"
	HELP_IDS
	"\nOptions:\n"
	"  --incident ID       add to this incident (42 or #42)\n"
	"  --title TEXT        title of the new incident\n"
	HELP_EXPECT
	"\nExamples:\n"
	"  vsoc alert escalate 42 43\n"
	"  vsoc alert escalate 44 --incident 7\n"
	"  vsoc alert escalate 42 --title 'Cloned RFID cards at site Berlin-3'\n"
	HELP_EXIT("escalated"),
	CMD_NEEDS_DB | CMD_NEEDS_ANALYST | CMD_WRITES, alert_action_exec
};

struct alert_action {
	const struct cmd_entry	*entry;
	enum triage_action	 action;
	unsigned		 opts;		/* O() of the options it accepts */
};

/* Which options each command takes; triage_validate() decides which of
 * them are required (a reason to close, a duration to suppress, ...). */
static const struct alert_action alert_actions[] = {
	{ &cmd_alert_take_entry, TA_TAKE, O(OPT_EXPECT) },
	{ &cmd_alert_assign_entry, TA_ASSIGN, O(OPT_EXPECT) | O(OPT_TO) },
	{ &cmd_alert_ack_entry, TA_ACK, O(OPT_EXPECT) },
	{ &cmd_alert_note_entry, TA_NOTE, O(OPT_EXPECT) | O(OPT_TEXT) },
	{ &cmd_alert_close_entry, TA_CLOSE,
	    O(OPT_EXPECT) | O(OPT_DISPOSITION) | O(OPT_REASON) },
	{ &cmd_alert_reopen_entry, TA_REOPEN, O(OPT_EXPECT) | O(OPT_REASON) },
	{ &cmd_alert_suppress_entry, TA_SUPPRESS,
	    O(OPT_EXPECT) | O(OPT_FOR) | O(OPT_REASON) | O(OPT_BY) },
	{ &cmd_alert_escalate_entry, TA_ESCALATE,
	    O(OPT_EXPECT) | O(OPT_INCIDENT) | O(OPT_TITLE) },
};

/* What the arguments said. */
struct action_args {
	struct triage_req	 req;
	long long		*ids;
	size_t			 n;
	int			 expect;	/* --expect-version, 0: none */
	bool			 text_stdin;	/* --text - */
	char			*owned_text;	/* read from stdin */
};

static const struct alert_action *
alert_action_find(const char *word)
{
	size_t i;

	for (i = 0; i < sizeof alert_actions / sizeof alert_actions[0]; i++) {
		const char *sp = strrchr(alert_actions[i].entry->name, ' ');
		if (sp != NULL && strcmp(sp + 1, word) == 0)
			return &alert_actions[i];
	}
	return NULL;
}

static const char *
option_name(int c)
{
	const struct option *o;

	for (o = alert_action_opts; o->name != NULL; o++)
		if (o->val == c)
			return o->name;
	return "?";
}

/* "42" or "#42". */
static bool
parse_id(const char *s, long long *out)
{
	return format_parse_id(s, out) == 0;
}

/* The exit code of an action's result (README: exit codes); shared by
 * the alert, incident and candidate commands. */
int
cmd_result_exit(enum triage_result r)
{
	switch (r) {
	case TRIAGE_OK:
		return EXIT_OK;
	case TRIAGE_USAGE:
		return EXIT_USAGE;
	case TRIAGE_CONFLICT:
		return EXIT_CONFLICT;
	case TRIAGE_NOT_FOUND:
		return EXIT_NOTFOUND;
	case TRIAGE_DENIED:
		return EXIT_DENIED;
	case TRIAGE_ERROR:
		break;
	}
	return EXIT_FAIL;
}

/* A failure once the options are read: the one line on stderr (with the
 * usage for a usage error) and, with --json, a document on stdout. */
static int
action_fail(struct cmd_ctx *ctx, const struct alert_action *aa,
    enum triage_result res, long long alert, const char *msg)
{
	(void)ctx;
	cmd_json_context("alert", alert ? json_integer(alert) : json_null());
	if (res == TRIAGE_USAGE)
		cmd_usage_error(aa->entry, "%s", msg);
	else
		cmd_error(cmd_result_exit(res), "%s", msg);
	return cmd_result_exit(res);
}

/* --text -: the whole of standard input, at most one byte over the limit
 * (so triage_validate can say it is too long).  NULL, with *why and the
 * result, when it cannot be a note: a NUL byte would cut the text short
 * without a word (C strings, and PostgreSQL text refuses NUL), and a read
 * error would store whatever arrived before it. */
char *
cmd_read_stdin_text(const char **why, enum triage_result *res)
{
	static char msg[160];
	struct strbuf sb;
	char buf[4096];
	size_t n;

	strbuf_init(&sb);
	while (sb.len <= TRIAGE_NOTE_MAX &&
	    (n = fread(buf, 1, sizeof buf, stdin)) > 0)
		strbuf_appendn(&sb, buf, n);
	if (ferror(stdin)) {
		snprintf(msg, sizeof msg, "cannot read the note from standard input: %s",
		    strerror(errno));
		*why = msg;
		*res = TRIAGE_ERROR;
		strbuf_free(&sb);
		return NULL;
	}
	if (sb.len > 0 && memchr(sb.buf, '\0', sb.len) != NULL) {
		snprintf(msg, sizeof msg, "standard input holds a NUL byte at offset %zu:"
		    " a note is text (tr -d '\\000' drops them)",
		    (size_t)((char *)memchr(sb.buf, '\0', sb.len) - sb.buf));
		*why = msg;
		*res = TRIAGE_USAGE;
		strbuf_free(&sb);
		return NULL;
	}
	while (sb.len > 0 && (sb.buf[sb.len - 1] == '\n' || sb.buf[sb.len - 1] == '\r'))
		sb.buf[--sb.len] = '\0';
	return strbuf_detach(&sb);
}

/* One option's value into the request; returns EXIT_OK or a usage error. */
static int
action_option(struct action_args *a, const struct alert_action *aa, int c,
    const char *arg)
{
	const struct cmd_entry *e = aa->entry;
	long long v;
	long secs;

	if (!(aa->opts & O(c)))
		return cmd_usage_error(e, "--%s does not apply to vsoc %s",
		    option_name(c), e->name);
	/* The database would refuse it with an encoding error (exit 1) that
	 * does not say which option. */
	if (!utf8_valid(arg))
		return cmd_usage_error(e, "the value of --%s is not valid UTF-8",
		    option_name(c));
	switch (c) {
	case OPT_EXPECT:
		if (!cmd_parse_int(arg, &v) || v > INT_MAX)
			return cmd_usage_error(e, "'%s' is not a version", arg);
		a->expect = (int)v;
		break;
	case OPT_TO:
		if (strcmp(arg, "none") == 0) {
			a->req.action = TA_UNASSIGN;
			a->req.assignee = NULL;
		} else {
			a->req.action = TA_ASSIGN;
			a->req.assignee = arg;
		}
		break;
	case OPT_TEXT:
	case OPT_REASON:
		a->text_stdin = c == OPT_TEXT && strcmp(arg, "-") == 0;
		a->req.text = arg;
		break;
	case OPT_DISPOSITION:
		a->req.disposition = disposition_parse(arg);
		if (a->req.disposition == DISP_UNKNOWN)
			return cmd_usage_error(e, "unknown disposition '%s': use "
			    "tp, fp, benign or duplicate", arg);
		break;
	case OPT_FOR:
		if ((secs = format_parse_duration(arg)) < 0)
			return cmd_usage_error(e, "'%s' is not a duration "
			    "(for example 4h or 7d)", arg);
		a->req.duration = secs;
		break;
	case OPT_BY:
		if (strcmp(arg, "asset") == 0) {
			a->req.scope = SUPPRESS_ASSET;
			a->req.evidence_key = NULL;
		} else if (strncmp(arg, "evidence:", 9) == 0) {
			a->req.scope = SUPPRESS_EVIDENCE;
			a->req.evidence_key = arg + 9;
		} else {
			return cmd_usage_error(e, "--by takes asset or evidence:KEY, "
			    "not '%s'", arg);
		}
		break;
	case OPT_INCIDENT:
		if (!parse_id(arg, &v))
			return cmd_usage_error(e, "'%s' is not an incident id", arg);
		a->req.incident_id = v;
		break;
	case OPT_TITLE:
		a->req.incident_title = arg;
		break;
	}
	return EXIT_OK;
}

static int
action_parse(struct cmd_ctx *ctx, const struct alert_action *aa,
    struct action_args *a, int argc, char **argv)
{
	const struct cmd_entry *e = aa->entry;
	char msg[256];
	int c, i, rc;

	while ((c = getopt_long(argc, argv, ":", alert_action_opts, NULL)) != -1) {
		if (cmd_common_option(ctx, e, c, optarg))
			continue;
		if (c == ':')
			return cmd_usage_error(e, "%s needs a value", argv[optind - 1]);
		if (c == '?' || c < OPT_EXPECT)
			return cmd_usage_error(e, "unknown option '%s'", argv[optind - 1]);
		if ((rc = action_option(a, aa, c, optarg)) != EXIT_OK)
			return rc;
	}
	/* From here on --json is known: failures get their document. */
	a->ids = xcalloc((size_t)(argc - optind) + 1, sizeof *a->ids);
	for (i = optind; i < argc; i++) {
		/* assign 42 bob: a last word that cannot be an id is the name. */
		if (aa->action == TA_ASSIGN && i == argc - 1 && i > optind &&
		    a->req.assignee == NULL && a->req.action != TA_UNASSIGN &&
		    argv[i][0] != '#' && (argv[i][0] < '0' || argv[i][0] > '9')) {
			if (!utf8_valid(argv[i]))
				return cmd_usage_error(e, "the analyst name is not valid UTF-8");
			if (strcmp(argv[i], "none") == 0)
				a->req.action = TA_UNASSIGN;
			else
				a->req.assignee = argv[i];
			continue;
		}
		if (!parse_id(argv[i], &a->ids[a->n])) {
			snprintf(msg, sizeof msg, "'%s' is not an alert id", argv[i]);
			return action_fail(ctx, aa, TRIAGE_USAGE, 0, msg);
		}
		a->n++;
	}
	if (a->n == 0)
		return action_fail(ctx, aa, TRIAGE_USAGE, 0, "no alert given");
	if (aa->action == TA_ASSIGN && a->req.action == TA_ASSIGN &&
	    a->req.assignee == NULL)
		return action_fail(ctx, aa, TRIAGE_USAGE, 0,
		    "--to NAME is required (--to none unassigns)");
	if (a->expect != 0 && a->n != 1)
		return action_fail(ctx, aa, TRIAGE_USAGE, 0,
		    "--expect-version applies to one alert at a time");
	if (a->text_stdin) {
		const char *why = NULL;
		enum triage_result res = TRIAGE_ERROR;

		a->owned_text = cmd_read_stdin_text(&why, &res);
		if (a->owned_text == NULL)
			return action_fail(ctx, aa, res, 0, why);
		a->req.text = a->owned_text;
	}
	return EXIT_OK;
}

/* Echo the start of a stored note, as git echoes a commit's subject, so
 * the analyst sees what went in: its first line, sanitized (a note is
 * stored exactly as given, escape sequences and all) and cut to fit. */
static void
note_preview(struct strbuf *out, const char *text)
{
	size_t len = strcspn(text, "\n"), lines = 0;
	struct strbuf clean;
	const char *p;

	strbuf_init(&clean);
	sanitize(&clean, text, len, output_utf8() ? 0 : SAN_ASCII);
	strbuf_append(out, ": \"");
	format_fit(out, clean.buf, NOTE_PREVIEW, output_utf8() ? 0 : FIT_ASCII);
	strbuf_appendc(out, '"');
	for (p = text + len; *p != '\0'; p++)
		if (*p == '\n')
			lines++;
	if (lines > 0)
		strbuf_appendf(out, " (+%zu line%s)", lines, lines == 1 ? "" : "s");
	strbuf_free(&clean);
}

static int
action_print(struct cmd_ctx *ctx, const struct action_args *a,
    const struct triage_outcome *out)
{
	char id[32];
	const char *p[1] = { id };
	struct strbuf line;
	PGresult *res;
	json_t *doc, *alerts;
	size_t i;
	int k;

	if (!ctx->json) {
		output_text(stdout, out->message);
		if (a->req.action == TA_NOTE) {
			strbuf_init(&line);
			note_preview(&line, a->req.text);
			fputs(line.buf, stdout);
			strbuf_free(&line);
		}
		fputc('\n', stdout);
		return EXIT_OK;
	}
	/* The audit record lists every alert touched, including those a
	 * suppression matched; the requested ids if it cannot be read. */
	alerts = json_array();
	snprintf(id, sizeof id, "%lld", out->audit_id);
	res = db_query(&ctx->db, "SELECT unnest(alert_ids) AS id FROM audit_log"
	    " WHERE id = $1", 1, p);
	if (res != NULL && PQntuples(res) > 0) {
		for (k = 0; k < PQntuples(res); k++)
			json_array_append_new(alerts, json_integer(db_ll(res, k, "id")));
	} else {
		for (i = 0; i < a->n; i++)
			json_array_append_new(alerts, json_integer(a->ids[i]));
	}
	PQclear(res);
	doc = json_object();
	json_object_set_new(doc, "action", json_string(triage_action_name(a->req.action)));
	json_object_set_new(doc, "ok", json_true());
	json_object_set_new(doc, "changed", json_integer((json_int_t)out->changed));
	json_object_set_new(doc, "alerts", alerts);
	json_object_set_new(doc, "incident",
	    out->incident_id ? json_integer(out->incident_id) : json_null());
	json_object_set_new(doc, "suppression",
	    out->suppression_id ? json_integer(out->suppression_id) : json_null());
	json_object_set_new(doc, "audit_id", json_integer(out->audit_id));
	json_object_set_new(doc, "message", json_string(out->message));
	return output_json(stdout, doc) < 0 ? EXIT_FAIL : EXIT_OK;
}

static int
alert_action_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct alert_action *aa = alert_action_find(argv[0]);
	struct triage_outcome out;
	struct action_args a;
	int rc;

	if (aa == NULL)
		return cmd_error(EXIT_FAIL, "internal: no action named '%s'", argv[0]);
	/* Every failure document names the action and (once known) the alert. */
	cmd_json_context("action", json_string(triage_action_name(aa->action)));
	cmd_json_context("alert", json_null());
	memset(&a, 0, sizeof a);
	a.req.action = aa->action;
	a.req.disposition = DISP_NONE;
	a.req.scope = SUPPRESS_ASSET;
	if ((rc = action_parse(ctx, aa, &a, argc, argv)) != EXIT_OK)
		goto done;
	a.req.ids = a.ids;
	a.req.n = a.n;
	a.req.versions = a.expect != 0 ? &a.expect : NULL;

	/* Bad input is a usage error even when the database is down. */
	if (triage_validate(&a.req, &out) != TRIAGE_OK) {
		rc = action_fail(ctx, aa, out.result, out.failed_id, out.message);
		goto done;
	}
	if ((rc = cmd_connect(ctx, true)) != EXIT_OK)
		goto done;
	a.req.actor = &ctx->me;
	if (triage_run(&ctx->db, &a.req, &out) != TRIAGE_OK)
		rc = action_fail(ctx, aa, out.result, out.failed_id, out.message);
	else
		rc = action_print(ctx, &a, &out);
done:
	free(a.ids);
	free(a.owned_text);
	return rc;
}
