/* cmd_outbox.c: vsoc outbox list|deliver|page.
 *
 * Pages wait in the outbox table until a deliverer sends them (outbox.h).
 * `outbox deliver` is that deliverer for cron (no flag: everything due
 * now) and systemd (--follow); the console delivers between keypresses. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>

#include "analyst.h"
#include "audit.h"
#include "cmd.h"
#include "cmd_config.h"
#include "format.h"
#include "http.h"
#include "outbox.h"
#include "outbox_follow.h"
#include "output.h"
#include "secrets.h"
#include "settings.h"
#include "strbuf.h"

static int	outbox_list_exec(struct cmd_ctx *, int, char **);
static int	outbox_deliver_exec(struct cmd_ctx *, int, char **);
static int	outbox_page_exec(struct cmd_ctx *, int, char **);
static int	incident_page_exec(struct cmd_ctx *, int, char **);
static int	page_exec(struct cmd_ctx *, const struct cmd_entry *, int, char **);

#define HELP_STATES \
	"\nStates: pending (not tried yet), sent, retrying (after a 429, a 5xx, a\n" \
	"connection error or a timeout; WHEN says when), failed (the backend\n" \
	"refused it, or the last attempt failed; ERROR has its message).\n"

const struct cmd_entry cmd_outbox_list_entry = {
	"outbox list", "[--state S] [--incident ID] [--limit N] [--json]",
	"on-call pages and their delivery state",
	"Newest first.  --state pending|sent|retrying|failed, --incident ID,\n"
	"--limit N (default 100, up to 10000).  Payloads never hold a secret:\n"
	"routing keys, API keys and webhook URLs are added when sending.\n"
	HELP_STATES,
	CMD_NEEDS_DB, outbox_list_exec
};

const struct cmd_entry cmd_outbox_deliver_entry = {
	"outbox deliver", "[--follow | --once] [--max N] [--config FILE] [--json]",
	"send due pages (for cron or a service)",
	"Sends the pages that are due on the channels of the settings file\n"
	"([channel NAME] sections) whose secrets this deliverer has, one\n"
	"transaction each: the row is locked while it is sent (other deliverers\n"
	"skip it), then its state and an audit record are written.  Two\n"
	"deliverers at once never send the same page.\n"
	"\n"
	"  (no flag)   everything due now, then exit (cron)\n"
	"  --once      at most one page, then exit\n"
	"  --follow    keep running: new pages and retries as they fall due\n"
	"              (a systemd service; SIGTERM stops it between pages)\n"
	"  --max N     at most N pages in this run (no flag, --follow: per pass)\n"
	"\n"
	"--json prints {\"ok\", \"sent\", \"retrying\", \"failed\", \"results\": [...]};\n"
	"with --follow, one JSON line per attempt instead, as it happens.\n"
	"\n"
	"Runs as an analyst, or as a login in the vsoc_deliverer group role\n"
	"(CREATE ROLE pager LOGIN IN ROLE vsoc_deliverer), which may only claim\n"
	"pages, record their outcome and read the outbox.\n"
	HELP_STATES
	"\nExit codes: 0 done, 1 a page failed in this run or a database error,\n"
	"2 usage or settings error.\n",
	CMD_NEEDS_DB | CMD_WRITES, outbox_deliver_exec
};

const struct cmd_entry cmd_outbox_page_entry = {
	"outbox page", "INCIDENT [--action trigger|acknowledge|resolve] [--config FILE]",
	"page on-call about an incident",
	"Writes one page per channel whose severities include the incident's\n"
	"(trigger), or per channel it was triggered on (acknowledge, resolve),\n"
	"in one transaction with one audit record (incident.page).  Sending is\n"
	"the deliverer's (vsoc outbox deliver, or an open console).\n"
	"\nExit codes: 0 paged, 1 no channel or failure, 2 usage, 4 no such\n"
	"incident, 5 denied.\n",
	CMD_NEEDS_DB | CMD_WRITES, outbox_page_exec
};

/* The same, where an analyst looks for it among the incident commands. */
const struct cmd_entry cmd_incident_page_entry = {
	"incident page", "ID [--action trigger|acknowledge|resolve] [--config FILE]",
	"page on-call about an incident (as vsoc outbox page)",
	"Writes one page per channel whose severities include the incident's\n"
	"(trigger), or per channel it was triggered on (acknowledge, resolve),\n"
	"in one transaction with one audit record (incident.page).  Sending is\n"
	"the deliverer's (vsoc outbox deliver, or an open console).\n"
	"\nExit codes: 0 paged, 1 no channel or failure, 2 usage, 4 no such\n"
	"incident, 5 denied.\n",
	CMD_NEEDS_DB | CMD_WRITES, incident_page_exec
};

static int
load_settings(struct settings *cfg, const char *path)
{
	return cmd_config_load(cfg, path);
}

static int
outbox_list_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "state", required_argument, NULL, 's' },
		{ "incident", required_argument, NULL, 'i' },
		{ "limit", required_argument, NULL, 'l' },
		CMD_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	static const char *const hdr[] = { "ID", "INCIDENT", "CHANNEL", "ACTION",
		"STATE", "TRIES", "WHEN", "ERROR" };
	const struct cmd_entry *e = &cmd_outbox_list_entry;
	const char *state = NULL, *p[3];
	char inc[32] = "", lim[32] = "100", when[32];
	long long v;
	struct table *t;
	PGresult *res;
	json_t *doc, *list, *o, *payload;
	int c, i, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (cmd_common_option(ctx, e, c, optarg))
			continue;
		switch (c) {
		case 's':
			if (strcmp(optarg, "pending") != 0 && strcmp(optarg, "sent") != 0 &&
			    strcmp(optarg, "retrying") != 0 && strcmp(optarg, "failed") != 0)
				return cmd_usage_error(e, "--state takes pending, sent,"
				    " retrying or failed");
			state = optarg;
			break;
		case 'i':
			if (!cmd_parse_int(optarg, &v))
				return cmd_usage_error(e, "--incident takes an incident id");
			snprintf(inc, sizeof inc, "%lld", v);
			break;
		case 'l':
			if (!cmd_parse_int(optarg, &v) || v > 10000)
				return cmd_usage_error(e, "--limit takes 1 to 10000");
			snprintf(lim, sizeof lim, "%lld", v);
			break;
		default:
			return cmd_usage_error(e, "unknown or incomplete option '%s'",
			    argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cmd_usage_error(e, "unexpected argument '%s'", argv[optind]);
	if ((rc = cmd_connect(ctx, false)) != EXIT_OK)
		return rc;
	p[0] = state;
	p[1] = inc[0] ? inc : NULL;
	p[2] = lim;
	res = db_query(&ctx->db, "SELECT o.id, o.incident_id, o.channel, o.action, o.status,"
	    " o.attempts, o.next_attempt, o.sent_at, o.created_at, o.last_code,"
	    " o.last_error, o.payload::text AS payload, a.name AS created_by"
	    " FROM outbox o LEFT JOIN analysts a ON a.id = o.created_by"
	    " WHERE ($1::text IS NULL OR o.status = $1)"
	    " AND ($2::bigint IS NULL OR o.incident_id = $2)"
	    " ORDER BY o.id DESC LIMIT $3::int", 3, p);
	if (res == NULL)
		return cmd_db_failure(ctx);
	if (ctx->json) {
		list = json_array();
		for (i = 0; i < PQntuples(res); i++) {
			o = json_object();
			json_object_set_new(o, "id", json_integer(db_ll(res, i, "id")));
			json_object_set_new(o, "incident", db_value(res, i, "incident_id") ?
			    json_integer(db_ll(res, i, "incident_id")) : json_null());
			json_object_set_new(o, "channel", output_json_text(db_value(res, i, "channel")));
			json_object_set_new(o, "action", json_string(db_value(res, i, "action")));
			json_object_set_new(o, "state", json_string(db_value(res, i, "status")));
			json_object_set_new(o, "attempts", json_integer(db_int(res, i, "attempts")));
			format_iso(when, sizeof when, db_time(res, i, "created_at"));
			json_object_set_new(o, "created_at", json_string(when));
			json_object_set_new(o, "created_by", db_value(res, i, "created_by") ?
			    output_json_text(db_value(res, i, "created_by")) : json_null());
			format_iso(when, sizeof when, db_time(res, i, "next_attempt"));
			json_object_set_new(o, "next_attempt",
			    strcmp(db_value(res, i, "status"), "retrying") == 0 ||
			    strcmp(db_value(res, i, "status"), "pending") == 0 ?
			    json_string(when) : json_null());
			format_iso(when, sizeof when, db_time(res, i, "sent_at"));
			json_object_set_new(o, "sent_at", when[0] ? json_string(when) : json_null());
			json_object_set_new(o, "code", db_value(res, i, "last_code") ?
			    json_integer(db_int(res, i, "last_code")) : json_null());
			json_object_set_new(o, "error", db_value(res, i, "last_error") ?
			    output_json_text(db_value(res, i, "last_error")) : json_null());
			payload = json_loads(db_value(res, i, "payload"), 0, NULL);
			json_object_set_new(o, "payload", payload ? payload : json_null());
			json_array_append_new(list, o);
		}
		doc = json_object();
		json_object_set_new(doc, "outbox", list);
		PQclear(res);
		return output_json(stdout, doc) < 0 ? EXIT_FAIL : EXIT_OK;
	}
	t = table_new(8, hdr, (const int[]){ COL_RIGHT, COL_RIGHT, 0, 0, 0, COL_RIGHT, 0,
	    COL_WRAP });
	for (i = 0; i < PQntuples(res); i++) {
		const char *cells[8], *st = db_value(res, i, "status");
		char id[32], tries[16];

		snprintf(id, sizeof id, "%lld", db_ll(res, i, "id"));
		snprintf(tries, sizeof tries, "%d", db_int(res, i, "attempts"));
		if (strcmp(st, "sent") == 0)
			format_ts(when, sizeof when, db_time(res, i, "sent_at"));
		else if (strcmp(st, "failed") == 0)
			snprintf(when, sizeof when, "-");
		else
			format_ts(when, sizeof when, db_time(res, i, "next_attempt"));
		cells[0] = id;
		cells[1] = db_value(res, i, "incident_id");
		cells[2] = db_value(res, i, "channel");
		cells[3] = db_value(res, i, "action");
		cells[4] = st;
		cells[5] = tries;
		cells[6] = when;
		cells[7] = db_value(res, i, "last_error");
		table_add(t, cells);
	}
	table_print(t, stdout);
	table_free(t);
	PQclear(res);
	return EXIT_OK;
}

static volatile sig_atomic_t stop_requested;

static void
on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void
print_result(const struct outbox_result *r)
{
	struct strbuf sb;

	strbuf_init(&sb);
	strbuf_appendf(&sb, "outbox %lld (incident %lld, %s %s): %s", r->id,
	    r->incident_id, r->channel, r->action, r->state);
	if (strcmp(r->state, "retrying") == 0)
		strbuf_appendf(&sb, " in %ds (attempt %d)", r->delay, r->attempt);
	if (r->error[0] != '\0')
		strbuf_appendf(&sb, ": %s", r->error);
	strbuf_appendc(&sb, '\n');
	output_text(stdout, sb.buf);
	strbuf_free(&sb);
}

static json_t *
result_json(const struct outbox_result *r)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(r->id));
	json_object_set_new(o, "incident", json_integer(r->incident_id));
	json_object_set_new(o, "channel", json_string(r->channel));
	json_object_set_new(o, "action", json_string(r->action));
	json_object_set_new(o, "state", json_string(r->state));
	json_object_set_new(o, "attempt", json_integer(r->attempt));
	json_object_set_new(o, "code", r->code > 0 ? json_integer(r->code) : json_null());
	json_object_set_new(o, "retry_in", strcmp(r->state, "retrying") == 0 ?
	    json_integer(r->delay) : json_null());
	json_object_set_new(o, "error", r->error[0] ? output_json_text(r->error) : json_null());
	return o;
}

/* Wait for a new page (NOTIFY) or the next due one, at most secs. */
static int
wait_for_work(struct db *db, long secs)
{
	char ch[64], payload[256];
	struct timeval tv;
	fd_set fds;
	int fd = db_socket(db), n;

	if (fd < 0)
		return -1;
	FD_ZERO(&fds);
	FD_SET(fd, &fds);
	tv.tv_sec = secs;
	tv.tv_usec = 0;
	n = select(fd + 1, &fds, NULL, NULL, &tv);
	if (n < 0 && errno != EINTR)
		return -1;
	while ((n = db_notification(db, ch, sizeof ch, payload, sizeof payload)) == 1)
		;
	return n < 0 ? -1 : 0;
}

static int
outbox_deliver_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "follow", no_argument, NULL, 'f' },
		{ "once", no_argument, NULL, '1' },
		{ "max", required_argument, NULL, 'm' },
		{ "config", required_argument, NULL, 'c' },
		CMD_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	const struct cmd_entry *e = &cmd_outbox_deliver_entry;
	const char *path = NULL;
	bool follow = false, once = false;
	long long max = 1000;
	struct settings cfg;
	struct secrets sec;
	struct strbuf err, skipped;
	struct outbox_run run;
	struct sigaction sa;
	json_t *doc, *list;
	size_t k;
	long wait;
	int c, rc, n;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (cmd_common_option(ctx, e, c, optarg))
			continue;
		switch (c) {
		case 'f':
			follow = true;
			break;
		case '1':
			once = true;
			break;
		case 'm':
			if (!cmd_parse_int(optarg, &max) || max > 100000)
				return cmd_usage_error(e, "--max takes 1 to 100000");
			break;
		case 'c':
			path = optarg;
			break;
		default:
			return cmd_usage_error(e, "unknown or incomplete option '%s'",
			    argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cmd_usage_error(e, "unexpected argument '%s'", argv[optind]);
	if (follow && once)
		return cmd_usage_error(e, "--follow and --once exclude each other");
	if (once)
		max = 1;
	if ((rc = load_settings(&cfg, path)) != EXIT_OK) {
		settings_free(&cfg);
		return rc;
	}
	secrets_init(&sec);
	strbuf_init(&err);
	if (secrets_load(&sec, NULL, &err) > 0) {
		/* One line: cmd_error prints one (file:line lines joined). */
		for (k = 0; k < err.len; k++)
			if (err.buf[k] == '\n')
				err.buf[k] = k + 1 < err.len ? ';' : '\0';
		rc = cmd_error(EXIT_FAIL, "%s", err.buf);
		goto out;
	}
	if (cfg.channels.n == 0) {
		rc = cmd_error(EXIT_FAIL, "no channel is configured: add a [channel NAME]"
		    " section to the settings file (vsoc help config show)");
		goto out;
	}
	if ((rc = cmd_connect(ctx, false)) != EXIT_OK)
		goto out;
	if (http_global_init() < 0) {
		rc = cmd_error(EXIT_FAIL, "libcurl could not start");
		goto out;
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (follow && db_listen(&ctx->db, "vsoc_outbox") < 0) {
		rc = cmd_db_failure(ctx);
		goto out;
	}
	strbuf_init(&skipped);
	memset(&run, 0, sizeof run);
	run.skipped = &skipped;
	for (;;) {
		n = outbox_deliver_due(&ctx->db, &cfg, &sec, (int)max, time(NULL), &run);
		if (skipped.len > 0) {
			/* Said once: which channels this deliverer leaves to others. */
			for (k = 0; k < skipped.len; k++)
				if (skipped.buf[k] == '\n')
					skipped.buf[k] = k + 1 < skipped.len ? ';' : '\0';
			fprintf(stderr, "vsoc: warning: skipping: ");
			output_text(stderr, skipped.buf);
			fputc('\n', stderr);
			strbuf_reset(&skipped);
			run.skipped = NULL;
		}
		if (!ctx->json)
			for (k = 0; k < run.n; k++)
				print_result(&run.results[k]);
		if (n < 0) {
			rc = cmd_db_failure(ctx);
			break;
		}
		if (!follow || stop_requested)
			break;
		/* A service runs for months: each pass's results go out (one
		 * JSON line each under --json) and are dropped. */
		if (ctx->json)
			for (k = 0; k < run.n; k++) {
				json_t *line = result_json(&run.results[k]);

				json_dumpf(line, stdout, JSON_COMPACT);
				putchar('\n');
				json_decref(line);
			}
		outbox_run_free(&run);
		fflush(stdout);
		if (n > 0)
			continue;
		if ((wait = outbox_next_due(&ctx->db, &cfg)) == -2) {
			rc = cmd_db_failure(ctx);
			break;
		}
		if (wait < 0 || wait > 30)
			wait = 30;
		/* Due but nothing claimed: another deliverer holds those pages;
		 * its outcome's NOTIFY (or a second) wakes this one. */
		if (wait == 0)
			wait = 1;
		if (wait > 0 && !stop_requested && wait_for_work(&ctx->db, wait) < 0) {
			rc = cmd_error(EXIT_FAIL, "the database connection was lost");
			break;
		}
		if (stop_requested)
			break;
	}
	if (rc == EXIT_OK && ctx->json && follow) {
		for (k = 0; k < run.n; k++) {
			json_t *line = result_json(&run.results[k]);

			json_dumpf(line, stdout, JSON_COMPACT);
			putchar('\n');
			json_decref(line);
		}
	} else if (rc == EXIT_OK && ctx->json) {
		doc = json_object();
		json_object_set_new(doc, "ok", json_boolean(run.failed == 0));
		json_object_set_new(doc, "sent", json_integer(run.sent));
		json_object_set_new(doc, "retrying", json_integer(run.retrying));
		json_object_set_new(doc, "failed", json_integer(run.failed));
		list = json_array();
		for (k = 0; k < run.n; k++)
			json_array_append_new(list, result_json(&run.results[k]));
		json_object_set_new(doc, "results", list);
		if (output_json(stdout, doc) < 0)
			rc = EXIT_FAIL;
	}
	if (rc == EXIT_OK && run.failed > 0)
		rc = EXIT_FAIL;
	outbox_run_free(&run);
	strbuf_free(&skipped);
out:
	secrets_free(&sec);
	settings_free(&cfg);
	strbuf_free(&err);
	return rc;
}

static int
outbox_page_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	return page_exec(ctx, &cmd_outbox_page_entry, argc, argv);
}

static int
incident_page_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	return page_exec(ctx, &cmd_incident_page_entry, argc, argv);
}

static int
page_exec(struct cmd_ctx *ctx, const struct cmd_entry *e, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "action", required_argument, NULL, 'a' },
		{ "config", required_argument, NULL, 'c' },
		CMD_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	const char *path = NULL;
	enum page_action action = PAGE_TRIGGER;
	struct outbox_paged paged;
	struct settings cfg;
	struct strbuf err;
	long long id;
	json_t *details, *chans, *ids, *doc;
	size_t k;
	int c, rc, n;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (cmd_common_option(ctx, e, c, optarg))
			continue;
		switch (c) {
		case 'a':
			if ((n = page_action_parse(optarg)) < 0)
				return cmd_usage_error(e, "--action takes trigger,"
				    " acknowledge or resolve");
			action = (enum page_action)n;
			break;
		case 'c':
			path = optarg;
			break;
		default:
			return cmd_usage_error(e, "unknown or incomplete option '%s'",
			    argv[optind - 1]);
		}
	}
	if (optind + 1 != argc)
		return cmd_usage_error(e, "expected one incident id");
	if (!cmd_parse_int(argv[optind], &id))
		return cmd_usage_error(e, "'%s' is not an incident id", argv[optind]);
	if ((rc = load_settings(&cfg, path)) != EXIT_OK) {
		settings_free(&cfg);
		return rc;
	}
	if ((rc = cmd_connect(ctx, true)) != EXIT_OK) {
		settings_free(&cfg);
		return rc;
	}
	/* The database decides; this only says no early and plainly. */
	if (!analyst_can(&ctx->me, ROLE_ANALYST)) {
		audit_denied(&ctx->db, "incident.page", "incident", id, NULL, 0,
		    "paging needs the analyst role");
		settings_free(&cfg);
		return cmd_error(EXIT_DENIED, "paging needs the analyst role (%s is %s)",
		    ctx->me.name, analyst_role_name(ctx->me.role));
	}
	strbuf_init(&err);
	n = outbox_page_action(&ctx->db, &cfg, id, action, &paged, &err);
	if (n < 0) {
		rc = cmd_db_failure(ctx);
		goto out;
	}
	if (n == 0) {
		rc = cmd_error(EXIT_FAIL, "%s", err.buf);
		goto out;
	}
	details = json_object();
	chans = json_array();
	ids = json_array();
	for (k = 0; k < paged.n; k++) {
		json_array_append_new(chans, json_string(paged.channel[k]));
		json_array_append_new(ids, json_integer(paged.id[k]));
	}
	json_object_set_new(details, "page", json_string(page_action_name(action)));
	json_object_set_new(details, "channels", chans);
	json_object_set_new(details, "outbox", ids);
	if (ctx->json) {
		doc = json_object();
		json_object_set_new(doc, "ok", json_true());
		json_object_set_new(doc, "incident", json_integer(id));
		json_object_update(doc, details);
		rc = output_json(stdout, doc) < 0 ? EXIT_FAIL : EXIT_OK;
	} else {
		for (k = 0; k < paged.n; k++)
			printf("incident %lld: %s queued on %s (outbox %lld)\n", id,
			    page_action_name(action), paged.channel[k], paged.id[k]);
	}
	json_decref(details);
out:
	strbuf_free(&err);
	settings_free(&cfg);
	return rc;
}
