/* cmd_audit.c: vsoc audit verify|anchor|list|export. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "auditlog.h"
#include "cmd.h"
#include "format.h"
#include "output.h"
#include "strbuf.h"

static int	audit_verify_exec(struct cmd_ctx *, int, char **);
static int	audit_anchor_exec(struct cmd_ctx *, int, char **);
static int	audit_list_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_audit_verify_entry = {
	"audit verify", "[--from SEQ] [--anchors FILE] [--json]",
	"check the audit chain: every record unchanged, in place, in order",
	"Walks the audit log in chain order, recomputes every record's hash\n"
	"itself, and checks that each record follows the one before: it reports\n"
	"the first record that was changed, removed, inserted or reordered.  The\n"
	"chain's head must match its last record.  With --anchors, every head\n"
	"written by `vsoc audit anchor` (lines holding \"vsoc-audit-anchor seq=N\n"
	"hash=H\", so a syslog file works as it is) must still be in the chain\n"
	"unchanged: that catches whoever owns the database rewriting records and\n"
	"recomputing the hashes after them.\n"
	"\nOptions:\n"
	"  --from SEQ      start at this record (its predecessor is trusted)\n"
	"  --anchors FILE  check the anchored heads in FILE too\n"
	"\nExit codes: 0 intact, 1 broken (or unreadable), 2 usage error.\n",
	CMD_NEEDS_DB, audit_verify_exec
};

const struct cmd_entry cmd_audit_anchor_entry = {
	"audit anchor", "[--file FILE] [--syslog]",
	"write the chain's head outside the database, for verify --anchors",
	"Prints the head of the audit chain as one line, \"vsoc-audit-anchor\n"
	"seq=N hash=H at=T\", and appends it to FILE and/or sends it to syslog\n"
	"(facility authpriv).  Run it from cron, and keep the anchors where the\n"
	"database's owner cannot rewrite them (a remote syslog, another host).\n"
	"\nExample (crontab):\n"
	"  */5 * * * * vsoc audit anchor --syslog\n",
	CMD_NEEDS_DB, audit_anchor_exec
};

#define HELP_FILTERS \
	"\nFilters:\n" \
	"  --since T       records from T on: a duration back from now (7d, 4h)\n" \
	"                  or a time (2026-12-01T08:00:00Z)\n" \
	"  --actor NAME    records by this database user\n" \
	"  --action A      actions starting with A (alert., incident., analyst.)\n" \
	"  --alert ID      records that touched this alert\n" \
	"  --incident ID   records about this incident\n"

const struct cmd_entry cmd_audit_list_entry = {
	"audit list", "[FILTERS] [--before SEQ] [--limit N] [--json]",
	"list audit records, newest first",
	"One page of the audit log, newest first: sequence number, time, actor,\n"
	"action, object, alerts, details.  --before SEQ pages back (the JSON has\n"
	"next_before).\n"
	HELP_FILTERS,
	CMD_NEEDS_DB, audit_list_exec
};

const struct cmd_entry cmd_audit_export_entry = {
	"audit export", "[FILTERS] [--after SEQ]",
	"export audit records as JSON lines, oldest first (for a SIEM)",
	"Every matching record as one JSON object a line, oldest first, with its\n"
	"seq, time, actor, action, object, alerts, details, hash and prev_hash.\n"
	"--after SEQ continues where an earlier export stopped.\n"
	HELP_FILTERS,
	CMD_NEEDS_DB, audit_list_exec
};

enum {
	OPT_FROM = 0x200,
	OPT_ANCHORS,
	OPT_FILE,
	OPT_SYSLOG,
	OPT_SINCE,
	OPT_ACTOR,
	OPT_ACTION,
	OPT_ALERT,
	OPT_INCIDENT,
	OPT_BEFORE,
	OPT_AFTER,
	OPT_LIMIT
};

static const struct option audit_opts[] = {
	CMD_COMMON_OPTIONS,
	{ "from", required_argument, NULL, OPT_FROM },
	{ "anchors", required_argument, NULL, OPT_ANCHORS },
	{ "file", required_argument, NULL, OPT_FILE },
	{ "syslog", no_argument, NULL, OPT_SYSLOG },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "actor", required_argument, NULL, OPT_ACTOR },
	{ "action", required_argument, NULL, OPT_ACTION },
	{ "alert", required_argument, NULL, OPT_ALERT },
	{ "incident", required_argument, NULL, OPT_INCIDENT },
	{ "before", required_argument, NULL, OPT_BEFORE },
	{ "after", required_argument, NULL, OPT_AFTER },
	{ "limit", required_argument, NULL, OPT_LIMIT },
	{ NULL, 0, NULL, 0 }
};

/* Which options each command takes, as bits of (opt - OPT_FROM). */
#define B(o)	(1u << ((o) - OPT_FROM))
#define FILTER_BITS	(B(OPT_SINCE) | B(OPT_ACTOR) | B(OPT_ACTION) | B(OPT_ALERT) | \
			 B(OPT_INCIDENT))

struct audit_args {
	long long	 from;
	const char	*anchors;
	const char	*file;
	bool		 syslog;
	struct audit_filter f;
};

static int
audit_parse(struct cmd_ctx *ctx, const struct cmd_entry *e, unsigned allowed,
    struct audit_args *a, int argc, char **argv)
{
	long long v;
	long secs;
	int c;

	memset(a, 0, sizeof *a);
	while ((c = getopt_long(argc, argv, ":", audit_opts, NULL)) != -1) {
		if (cmd_common_option(ctx, e, c, optarg))
			continue;
		if (c == ':')
			return cmd_usage_error(e, "%s needs a value", argv[optind - 1]);
		if (c < OPT_FROM || !(allowed & B(c)))
			return cmd_usage_error(e, "unknown option '%s'", argv[optind - 1]);
		switch (c) {
		case OPT_FROM:
		case OPT_ALERT:
		case OPT_INCIDENT:
		case OPT_BEFORE:
		case OPT_LIMIT:
			if (!cmd_parse_int(optarg, &v))
				return cmd_usage_error(e, "%s takes a positive number, not '%s'",
				    argv[optind - 2][1] == '-' ? argv[optind - 2] : "option",
				    optarg);
			if (c == OPT_FROM)
				a->from = v;
			else if (c == OPT_ALERT)
				a->f.alert_id = v;
			else if (c == OPT_INCIDENT)
				a->f.incident_id = v;
			else if (c == OPT_BEFORE)
				a->f.before_seq = v;
			else if (v > 10000)
				return cmd_usage_error(e, "--limit is at most 10000");
			else
				a->f.limit = (int)v;
			break;
		case OPT_AFTER:
			/* 0 is a fine place to start an export from. */
			if (strcmp(optarg, "0") != 0 && !cmd_parse_int(optarg, &a->f.after_seq))
				return cmd_usage_error(e, "--after takes a record number, not '%s'",
				    optarg);
			break;
		case OPT_ANCHORS:
			a->anchors = optarg;
			break;
		case OPT_FILE:
			a->file = optarg;
			break;
		case OPT_SYSLOG:
			a->syslog = true;
			break;
		case OPT_SINCE:
			if ((secs = format_parse_duration(optarg)) > 0)
				a->f.since = time(NULL) - secs;
			else if ((a->f.since = format_parse_ts(optarg)) == (time_t)-1 ||
			    a->f.since <= 0)
				return cmd_usage_error(e, "--since takes a duration (7d, 4h) or"
				    " a time (2026-12-01T08:00:00Z), not '%s'", optarg);
			break;
		case OPT_ACTOR:
			a->f.actor = optarg;
			break;
		case OPT_ACTION:
			a->f.action = optarg;
			break;
		}
	}
	if (optind < argc)
		return cmd_usage_error(e, "unexpected argument '%s'", argv[optind]);
	return EXIT_OK;
}

static int
audit_verify_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry *e = &cmd_audit_verify_entry;
	struct audit_verify v;
	struct audit_args a;
	json_t *doc;
	int rc;

	if ((rc = audit_parse(ctx, e, B(OPT_FROM) | B(OPT_ANCHORS), &a, argc, argv)) != EXIT_OK)
		return rc;
	if ((rc = cmd_connect(ctx, false)) != EXIT_OK)
		return rc;
	if (auditlog_verify(&ctx->db, a.from, a.anchors, &v) < 0)
		return cmd_error(EXIT_FAIL, "cannot verify the audit log: %s", ctx->db.errmsg);
	if (ctx->json) {
		doc = json_object();
		json_object_set_new(doc, "ok", json_boolean(v.kind == AUDIT_OK));
		json_object_set_new(doc, "records", json_integer(v.records));
		json_object_set_new(doc, "from", json_integer(v.from));
		json_object_set_new(doc, "last_seq", json_integer(v.last_seq));
		json_object_set_new(doc, "head", v.kind == AUDIT_OK ?
		    json_string(v.last_hash) : json_null());
		json_object_set_new(doc, "anchors", json_integer(v.anchors));
		json_object_set_new(doc, "seconds", json_real(v.seconds));
		if (v.kind != AUDIT_OK) {
			json_object_set_new(doc, "break", json_string(auditlog_break_name(v.kind)));
			json_object_set_new(doc, "seq", json_integer(v.seq));
			json_object_set_new(doc, "id", v.id ? json_integer(v.id) : json_null());
			json_object_set_new(doc, "error", output_json_text(v.message));
		}
		if (output_json(stdout, doc) < 0)
			return EXIT_FAIL;
	} else if (v.kind == AUDIT_OK) {
		printf("audit chain intact: %lld records (seq %lld..%lld), head %.16s...,"
		    " %lld anchors checked, %.2f s\n", v.records, v.from, v.last_seq,
		    v.last_hash, v.anchors, v.seconds);
	} else {
		cmd_error(EXIT_FAIL, "audit chain broken (%s): %s",
		    auditlog_break_name(v.kind), v.message);
	}
	return v.kind == AUDIT_OK ? EXIT_OK : EXIT_FAIL;
}

static int
audit_anchor_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry *e = &cmd_audit_anchor_entry;
	struct audit_args a;
	char line[256];
	size_t len;
	int rc, fd;

	if ((rc = audit_parse(ctx, e, B(OPT_FILE) | B(OPT_SYSLOG), &a, argc, argv)) != EXIT_OK)
		return rc;
	if ((rc = cmd_connect(ctx, false)) != EXIT_OK)
		return rc;
	if (auditlog_head(&ctx->db, line, sizeof line) < 0)
		return cmd_error(EXIT_FAIL, "%s", ctx->db.errmsg);
	len = strlen(line);
	if (a.file != NULL) {
		/* One write of one whole line, appended: anchors from two cron
		 * runs never interleave. */
		fd = open(a.file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
		if (fd < 0 || write(fd, line, len) != (ssize_t)len || close(fd) < 0)
			return cmd_error(EXIT_FAIL, "cannot append to %s: %s", a.file,
			    strerror(errno));
	}
	if (a.syslog) {
		openlog("vsoc", LOG_PID, LOG_AUTHPRIV);
		syslog(LOG_NOTICE, "%.*s", (int)len - 1, line);
		closelog();
	}
	fputs(line, stdout);
	return EXIT_OK;
}

static json_t *
record_json(const struct audit_record *r)
{
	json_t *o = json_object(), *det = NULL, *ids;
	json_error_t err;

	json_object_set_new(o, "seq", json_integer(r->seq));
	json_object_set_new(o, "id", json_integer(r->id));
	json_object_set_new(o, "at", json_string(r->at_text));
	json_object_set_new(o, "actor", output_json_text(r->actor));
	json_object_set_new(o, "action", output_json_text(r->action));
	json_object_set_new(o, "object_kind", output_json_text(r->object_kind));
	json_object_set_new(o, "object_id", r->object_id ? json_integer(r->object_id) :
	    json_null());
	/* "{1,2,3}" from PostgreSQL is a JSON array once the braces turn. */
	ids = NULL;
	if (r->alert_ids != NULL && r->alert_ids[0] == '{') {
		char *t = xstrdup(r->alert_ids);
		t[0] = '[';
		t[strlen(t) - 1] = ']';
		ids = json_loads(t, 0, &err);
		free(t);
	}
	json_object_set_new(o, "alerts", ids ? ids : json_array());
	if (r->details != NULL)
		det = json_loads(r->details, JSON_DECODE_ANY, &err);
	if (det != NULL)
		json_object_set_new(o, "details", det);
	else
		json_object_set_new(o, "details_text", output_json_text(r->details ? r->details : ""));
	json_object_set_new(o, "hash", json_string(r->hash));
	json_object_set_new(o, "prev_hash", json_string(r->prev_hash));
	return o;
}

static int
audit_list_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const char *const hdr[] = { "SEQ", "WHEN", "ACTOR", "ACTION", "OBJECT",
		"ALERTS", "DETAILS" };
	static const int flags[] = { COL_RIGHT, 0, 0, 0, 0, 0, COL_WRAP };
	bool export = strcmp(argv[0], "export") == 0;
	const struct cmd_entry *e = export ? &cmd_audit_export_entry : &cmd_audit_list_entry;
	struct audit_record *recs;
	struct audit_args a;
	struct table *t;
	json_t *doc, *list;
	int rc, n, i;

	if ((rc = audit_parse(ctx, e, FILTER_BITS | (export ? B(OPT_AFTER) :
	    B(OPT_BEFORE) | B(OPT_LIMIT)), &a, argc, argv)) != EXIT_OK)
		return rc;
	if ((rc = cmd_connect(ctx, false)) != EXIT_OK)
		return rc;
	if (export) {
		/* Page through everything, oldest first; memory stays one page. */
		a.f.oldest_first = true;
		a.f.limit = 1000;
		do {
			if ((n = auditlog_list(&ctx->db, &a.f, &recs)) < 0)
				return cmd_error(EXIT_FAIL, "%s", ctx->db.errmsg);
			for (i = 0; i < n; i++) {
				json_t *o = record_json(&recs[i]);
				char *line = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);

				if (line != NULL) {
					fputs(line, stdout);
					fputc('\n', stdout);
					free(line);
				}
				json_decref(o);
			}
			if (n > 0)
				a.f.after_seq = recs[n - 1].seq;
			auditlog_free(recs, n);
		} while (n == a.f.limit);
		return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
	}
	if (a.f.limit == 0)
		a.f.limit = 50;
	if ((n = auditlog_list(&ctx->db, &a.f, &recs)) < 0)
		return cmd_error(EXIT_FAIL, "%s", ctx->db.errmsg);
	if (ctx->json) {
		list = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(list, record_json(&recs[i]));
		doc = json_object();
		json_object_set_new(doc, "records", list);
		json_object_set_new(doc, "count", json_integer(n));
		json_object_set_new(doc, "next_before", n == a.f.limit && n > 0 ?
		    json_integer(recs[n - 1].seq) : json_null());
		auditlog_free(recs, n);
		return output_json(stdout, doc) < 0 ? EXIT_FAIL : EXIT_OK;
	}
	t = table_new(7, hdr, flags);
	for (i = 0; i < n; i++) {
		char seq[32], when[32], obj[96];
		const char *cells[7];

		snprintf(seq, sizeof seq, "%lld", recs[i].seq);
		format_ts(when, sizeof when, recs[i].at);
		if (recs[i].object_id)
			snprintf(obj, sizeof obj, "%s %lld", recs[i].object_kind, recs[i].object_id);
		else
			snprintf(obj, sizeof obj, "%s", recs[i].object_kind);
		cells[0] = seq;
		cells[1] = when;
		cells[2] = recs[i].actor;
		cells[3] = recs[i].action;
		cells[4] = obj;
		cells[5] = strcmp(recs[i].alert_ids, "{}") == 0 ? "-" : recs[i].alert_ids;
		cells[6] = recs[i].details;
		table_add(t, cells);
	}
	table_print(t, stdout);
	table_free(t);
	auditlog_free(recs, n);
	return EXIT_OK;
}
