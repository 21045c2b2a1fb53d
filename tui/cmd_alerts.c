/* cmd_alerts.c: vsoc alerts list, vsoc alert show. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "alert.h"
#include "cmd.h"
#include "evidence.h"
#include "format.h"
#include "output.h"
#include "sanitize.h"
#include "queue.h"
#include "sanitize.h"
#include "strbuf.h"

static int	alerts_list_exec(struct cmd_ctx *, int, char **);
static int	alert_show_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_alerts_list_entry = {
	"alerts list",
	"[--view V] [--status S] [--severity S[+]] [--asset ID] [--rule R]\n"
	"       [--assignee NAME] [--filter EXPR] [--sort [-]COL] [--after ID]\n"
	"       [--limit N] [--json]",
	"list alerts, most urgent first",
	"Lists one page of the alert queue, in the order the console shows it.\n"
	"\n"
	"  --view V        open (default), mine, unassigned, escalated, closed, all,\n"
	"                  breaching (past the SLA or due within the hour, soonest\n"
	"                  deadline first, whatever --sort says);\n"
	"                  --status alone implies --view all\n"
	"  --status S      new, acknowledged, escalated, closed, suppressed, open;\n"
	"                  a comma list matches any\n"
	"  --severity S    info, low, medium, high, critical; S+ means S or worse\n"
	"  --asset ID      the asset's external id (station identity, VIN, ...)\n"
	"  --rule R        detection rule id (R1..R14, A1, O1)\n"
	"  --assignee N    analyst name, 'me' or 'none'\n"
	"  --filter EXPR   the console's filter language, e.g. 'sev>=high age<2h fw'\n"
	"  --sort COL      severity (default), last, age, occurrences, rule, asset,\n"
	"                  status, assignee, title, id; -COL reverses\n"
	"  --after ID      continue after this alert (keyset paging for scripts;\n"
	"                  the JSON output gives next_after)\n"
	"  --limit N       at most N alerts (default 50, at most 10000)\n"
	"  --json          one JSON document: {\"alerts\": [...], \"count\": N,\n"
	"                  \"more\": bool, \"next_after\": ID|null}\n"
	"\n"
	"Examples:\n"
	"  vsoc alerts list --severity high+ --view unassigned\n"
	"  vsoc alerts list --asset CS-0042 --status open,escalated --json\n",
	CMD_NEEDS_DB, alerts_list_exec
};

const struct cmd_entry cmd_alert_show_entry = {
	"alert show", "ID [--json]",
	"show one alert: fields, evidence, notes and history",
	"Prints every field of the alert, its evidence pretty-printed, its notes\n"
	"and its history from the audit log.  Text from stations, vehicles and\n"
	"apps is sanitized: control characters and escape sequences are shown\n"
	"as visible escapes (\\e, \\x07, \\u{202E}).  Exit 4 when there is no such\n"
	"alert.  --json prints the alert as one JSON document with \"notes\" and\n"
	"\"history\" arrays.\n",
	CMD_NEEDS_DB, alert_show_exec
};

/* --- alerts list ----------------------------------------------------- */

static json_t *
row_json(const struct queue_row *r)
{
	json_t *o = json_object();
	char ts[32];

	json_object_set_new(o, "id", json_integer(r->id));
	json_object_set_new(o, "severity", json_string(severity_name(r->severity)));
	json_object_set_new(o, "status", json_string(status_name(r->status)));
	json_object_set_new(o, "assignee", r->assignee ? json_string(r->assignee) : json_null());
	json_object_set_new(o, "rule", json_string(r->rule_id));
	json_object_set_new(o, "asset", json_string(r->asset_ref));
	json_object_set_new(o, "title", json_string(r->title));
	json_object_set_new(o, "occurrences", json_integer(r->occurrences));
	format_iso(ts, sizeof ts, r->first_seen);
	json_object_set_new(o, "first_seen", json_string(ts));
	format_iso(ts, sizeof ts, r->last_seen);
	json_object_set_new(o, "last_seen", json_string(ts));
	json_object_set_new(o, "incident", r->incident_id ? json_integer(r->incident_id) : json_null());
	json_object_set_new(o, "version", json_integer(r->version));
	{
		/* The SLA clock: state, and the running deadline with the
		 * seconds left (negative overdue). */
		struct sla_status s;
		json_t *sla = json_object();

		queue_row_sla(r, time(NULL), &s);
		json_object_set_new(sla, "state", json_string(sla_state_name(s.state)));
		format_iso(ts, sizeof ts, s.deadline);
		json_object_set_new(sla, "deadline", s.deadline ? json_string(ts) : json_null());
		json_object_set_new(sla, "left_seconds", s.deadline ?
		    json_integer(s.left) : json_null());
		json_object_set_new(o, "sla", sla);
	}
	return o;
}

static void
list_print_table(const struct queue_page *pg)
{
	static const char *const hdr[] = {
		"ID", "SEV", "STATUS", "ASSIGNEE", "AGE", "RULE", "ASSET", "OCC", "TITLE"
	};
	static const int flags[] = { COL_RIGHT, 0, 0, 0, COL_RIGHT, 0, 0, COL_RIGHT, COL_WRAP };
	struct table *t = table_new(9, hdr, flags);
	char id[24], age[16], occ[16];
	time_t now = time(NULL);
	int i;

	for (i = 0; i < pg->n; i++) {
		const struct queue_row *r = &pg->rows[i];
		const char *cells[9];

		snprintf(id, sizeof id, "%lld", r->id);
		format_age(age, sizeof age, now, r->first_seen);
		snprintf(occ, sizeof occ, "%d", r->occurrences);
		cells[0] = id;
		cells[1] = severity_label(r->severity);
		cells[2] = status_label(r->status);
		cells[3] = r->assignee;
		cells[4] = age;
		cells[5] = r->rule_id;
		cells[6] = r->asset_ref;
		cells[7] = occ;
		cells[8] = r->title;
		table_add(t, cells);
	}
	table_print(t, stdout);
	table_free(t);
}

static int
severity_option(struct filter *f, const char *v)
{
	char buf[32];
	size_t len = strlen(v);
	int plus = len > 0 && v[len - 1] == '+', s;

	snprintf(buf, sizeof buf, "%.*s", (int)(plus ? len - 1 : len), v);
	if ((s = severity_parse(buf)) == SEV_NONE)
		return -1;
	f->sev_min = s;
	f->sev_max = plus ? 0 : s;
	return 0;
}

static int
alerts_list_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		CMD_COMMON_OPTIONS,
		{ "view", required_argument, NULL, 'v' },
		{ "status", required_argument, NULL, 's' },
		{ "severity", required_argument, NULL, 'S' },
		{ "asset", required_argument, NULL, 'a' },
		{ "rule", required_argument, NULL, 'r' },
		{ "assignee", required_argument, NULL, 'w' },
		{ "filter", required_argument, NULL, 'f' },
		{ "sort", required_argument, NULL, 'o' },
		{ "after", required_argument, NULL, 'A' },
		{ "limit", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cmd_entry *e = &cmd_alerts_list_entry;
	struct queue_query q;
	struct queue_page pg;
	struct queue_row cursor;
	struct strbuf term;
	char err[256];
	long long limit = 50, after = 0;
	bool view_set = false, have_cursor = false, matches;
	int c, rc = EXIT_OK;
	json_t *doc, *arr;

	queue_query_init(&q);
	strbuf_init(&term);
	memset(&cursor, 0, sizeof cursor);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (cmd_common_option(ctx, e, c, optarg))
			continue;
		switch (c) {
		case 'v':
			if ((q.view = queue_view_parse(optarg)) == QV__COUNT) {
				rc = cmd_usage_error(e, "unknown view '%s' (open, mine, "
				    "unassigned, escalated, closed, all)", optarg);
				goto out;
			}
			view_set = true;
			break;
		case 's':
		case 'r':
		case 'w':
		case 'a':
		case 'f':
			/* Named here: the database's encoding error would not. */
			if (!utf8_valid(optarg)) {
				rc = cmd_usage_error(e, "the value of --%s is not valid UTF-8",
				    c == 's' ? "status" : c == 'r' ? "rule" : c == 'w' ?
				    "assignee" : c == 'a' ? "asset" : "filter");
				goto out;
			}
			if (c == 'f')
				goto filter;
			/* The filter language spells these; quote the value. */
			strbuf_reset(&term);
			strbuf_append(&term, c == 's' ? "status=" : c == 'r' ? "rule=" :
			    c == 'w' ? "assignee=" : "asset=");
			strbuf_appendc(&term, '"');
			for (const char *p = optarg; *p; p++) {
				if (*p == '"' || *p == '\\')
					strbuf_appendc(&term, '\\');
				strbuf_appendc(&term, *p);
			}
			strbuf_appendc(&term, '"');
			if (c == 's' && !view_set)
				q.view = QV_ALL;
			/* fall through */
		filter:
			if (filter_parse(&q.filter, c == 'f' ? optarg : term.buf, err,
			    sizeof err) < 0) {
				rc = cmd_usage_error(e, "%s", err);
				goto out;
			}
			break;
		case 'S':
			if (severity_option(&q.filter, optarg) < 0) {
				rc = cmd_usage_error(e, "unknown severity '%s' (info, low, "
				    "medium, high, critical; S+ for S or worse)", optarg);
				goto out;
			}
			break;
		case 'o':
			q.reverse = optarg[0] == '-';
			if ((q.sort = queue_sort_parse(optarg + q.reverse)) == QS__COUNT) {
				rc = cmd_usage_error(e, "unknown sort column '%s'", optarg);
				goto out;
			}
			break;
		case 'A':
			if ((after = alert_id_parse(optarg)) == 0) {
				rc = cmd_usage_error(e, "bad alert id '%s'", optarg);
				goto out;
			}
			break;
		case 'n':
			if (!cmd_parse_int(optarg, &limit) || limit > 10000) {
				rc = cmd_usage_error(e, "--limit takes 1 to 10000, not '%s'", optarg);
				goto out;
			}
			break;
		default:
			rc = cmd_usage_error(e, "unknown or incomplete option '%s'",
			    argv[optind - 1]);
			goto out;
		}
	}
	if (optind < argc) {
		rc = cmd_usage_error(e, "unexpected argument '%s'", argv[optind]);
		goto out;
	}
	/* The quoted status term set the filter, which overrides the view; an
	 * explicit view still narrows. */
	if ((rc = cmd_connect(ctx, q.view == QV_MINE ||
	    (q.filter.assignee && strcasecmp(q.filter.assignee, "me") == 0))) != EXIT_OK)
		goto out;
	q.me = ctx->me.id;
	if (after != 0) {
		int f = queue_fetch_one(&ctx->db, &q, after, &cursor, &matches);
		if (f < 0) {
			rc = cmd_error(EXIT_FAIL, "%s", ctx->db.errmsg);
			goto out;
		}
		if (f == 1) {
			rc = cmd_error(EXIT_NOTFOUND, "--after: no alert with id %lld", after);
			goto out;
		}
		have_cursor = true;
	}
	if (queue_fetch(&ctx->db, &q, have_cursor ? &cursor : NULL, QD_AFTER,
	    (int)limit, &pg) < 0) {
		rc = cmd_error(EXIT_FAIL, "cannot list alerts: %s", ctx->db.errmsg);
		goto out;
	}
	if (ctx->json) {
		doc = json_object();
		arr = json_array();
		for (c = 0; c < pg.n; c++)
			json_array_append_new(arr, row_json(&pg.rows[c]));
		json_object_set_new(doc, "alerts", arr);
		json_object_set_new(doc, "count", json_integer(pg.n));
		json_object_set_new(doc, "more", json_boolean(pg.more));
		json_object_set_new(doc, "next_after", pg.more && pg.n > 0 ?
		    json_integer(pg.rows[pg.n - 1].id) : json_null());
		if (output_json(stdout, doc) < 0)
			rc = EXIT_FAIL;
	} else if (pg.n == 0) {
		printf("no alerts match\n");
	} else {
		list_print_table(&pg);
		if (pg.more)
			printf("(more: --after %lld)\n", pg.rows[pg.n - 1].id);
	}
	queue_page_free(&pg);
out:
	queue_row_free(&cursor);
	strbuf_free(&term);
	queue_query_free(&q);
	return rc;
}

/* --- alert show ------------------------------------------------------ */

static void
show_field(const char *name, const char *value)
{
	printf("%-12s ", name);
	output_text(stdout, value ? value : "-");
	putchar('\n');
}

static void
show_time(const char *name, time_t t)
{
	char buf[32], ago[24];

	if (t == 0) {
		show_field(name, "-");
		return;
	}
	format_ts(buf, sizeof buf, t);
	format_ago(ago, sizeof ago, time(NULL), t);
	printf("%-12s %s UTC (%s)\n", name, buf, ago);
}

static void
show_human(const struct alert *a, const struct alert_note *notes, int nn,
    const struct alert_event *hist, int nh)
{
	char buf[64];
	struct strbuf sb;
	int i;

	printf("alert %lld  version %d\n", a->id, a->version);
	show_field("title", a->title);
	snprintf(buf, sizeof buf, "%s", severity_name(a->severity));
	show_field("severity", buf);
	show_field("status", status_name(a->status));
	if (a->disposition != DISP_NONE) {
		show_field("disposition", disposition_name(a->disposition));
		show_field("reason", a->disposition_reason);
	}
	printf("%-12s ", "rule");
	output_text(stdout, a->rule_id);
	printf(" (");
	output_text(stdout, a->rule_name);
	printf(")\n%-12s ", "asset");
	output_text(stdout, a->asset_kind);
	putchar(' ');
	output_text(stdout, a->asset_ref);
	if (a->asset_name != NULL) {
		printf(" (");
		output_text(stdout, a->asset_name);
		putchar(')');
	}
	putchar('\n');
	show_field("assignee", a->assignee);
	if (a->incident_id != 0) {
		printf("%-12s #%lld ", "incident", a->incident_id);
		output_text(stdout, a->incident_title);
		putchar('\n');
	}
	show_time("first seen", a->first_seen);
	show_time("last seen", a->last_seen);
	printf("%-12s %d\n", "occurrences", a->occurrences);
	show_field("dedup key", a->dedup_key);
	show_time("updated", a->updated_at);
	if (a->closed_at != 0)
		show_time("closed", a->closed_at);
	printf("\nevidence:\n");
	strbuf_init(&sb);
	evidence_pretty(&sb, a->evidence, a->evidence ? strlen(a->evidence) : 0,
	    output_utf8() ? 0 : SAN_ASCII, EVIDENCE_DEPTH_MAX, EVIDENCE_BYTES_MAX);
	fputs(sb.buf, stdout);	/* sanitized by evidence_pretty */
	putchar('\n');
	strbuf_free(&sb);
	if (nn > 0) {
		printf("\nnotes:\n");
		for (i = 0; i < nn; i++) {
			format_ts(buf, sizeof buf, notes[i].at);
			printf("  %s  ", buf);
			output_text(stdout, notes[i].author);
			printf(": ");
			output_text(stdout, notes[i].body);
			putchar('\n');
		}
	}
	printf("\nhistory:\n");
	if (nh == 0)
		printf("  (no analyst actions yet)\n");
	for (i = 0; i < nh; i++) {
		format_ts(buf, sizeof buf, hist[i].at);
		printf("  %s  ", buf);
		output_text(stdout, hist[i].actor);
		putchar(' ');
		output_text(stdout, hist[i].action);
		putchar(' ');
		output_text(stdout, hist[i].details);
		putchar('\n');
	}
}

/* The placeholder output_alert_json swaps for the stored evidence: a NUL
 * cannot be in any other string of the document (they come from C
 * strings), so its escaped form cannot occur anywhere else. */
#define EVIDENCE_SLOT		"\0vsoc-evidence"
#define EVIDENCE_SLOT_JSON	"\"\\u0000vsoc-evidence\""

/* output_json for `alert show --json`, except that evidence jansson cannot
 * load (nested deeper than its 2048 levels, numbers past int64 or double)
 * is printed exactly as stored, compact and ASCII-escaped, instead of
 * alert_to_json's empty object: the document stays one valid JSON value
 * and a script sees the evidence the station sent. */
static int
output_alert_json(json_t *doc, const char *evidence)
{
	json_error_t jerr;
	json_t *ev;
	struct strbuf sb, raw;
	char *text, *slot;
	int rc;

	ev = evidence ? json_loads(evidence, JSON_DECODE_ANY, &jerr) : NULL;
	json_decref(ev);
	strbuf_init(&raw);
	if (ev != NULL || evidence == NULL ||
	    evidence_json_ascii(&raw, evidence, strlen(evidence)) < 0) {
		strbuf_free(&raw);
		return output_json(stdout, doc);
	}
	json_object_set_new(doc, "evidence", json_stringn(EVIDENCE_SLOT,
	    sizeof EVIDENCE_SLOT - 1));
	text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	json_decref(doc);
	slot = text ? strstr(text, EVIDENCE_SLOT_JSON) : NULL;
	if (slot == NULL) {
		free(text);
		strbuf_free(&raw);
		return -1;
	}
	strbuf_init(&sb);
	strbuf_appendn(&sb, text, (size_t)(slot - text));
	strbuf_appendn(&sb, raw.buf, raw.len);
	strbuf_append(&sb, slot + sizeof EVIDENCE_SLOT_JSON - 1);
	strbuf_appendc(&sb, '\n');
	rc = fwrite(sb.buf, 1, sb.len, stdout) == sb.len ? 0 : -1;
	strbuf_free(&sb);
	strbuf_free(&raw);
	free(text);
	return rc;
}

static int
alert_show_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = { CMD_COMMON_OPTIONS, { NULL, 0, NULL, 0 } };
	const struct cmd_entry *e = &cmd_alert_show_entry;
	struct alert a;
	struct alert_note *notes = NULL;
	struct alert_event *hist = NULL;
	long long id;
	int c, rc, nn = 0, nh = 0, i;
	json_t *doc, *arr, *o, *d;
	json_error_t jerr;
	char ts[32];

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if (!cmd_common_option(ctx, e, c, optarg))
			return cmd_usage_error(e, "unknown or incomplete option '%s'",
			    argv[optind - 1]);
	if (optind != argc - 1)
		return cmd_usage_error(e, optind >= argc ? "which alert? give its id" :
		    "one alert id at a time");
	if ((id = alert_id_parse(argv[optind])) == 0)
		return cmd_usage_error(e, "bad alert id '%s': expected a number from 1 to %lld",
		    argv[optind], LLONG_MAX);
	if ((rc = cmd_connect(ctx, false)) != EXIT_OK)
		return rc;
	rc = alert_get(&ctx->db, id, &a);
	if (rc < 0)
		return cmd_error(EXIT_FAIL, "cannot read alert %lld: %s", id, ctx->db.errmsg);
	if (rc == 1)
		return cmd_error(EXIT_NOTFOUND, "no alert with id %lld", id);
	if ((nn = alert_notes(&ctx->db, id, &notes)) < 0 ||
	    (nh = alert_history(&ctx->db, id, 200, &hist)) < 0) {
		rc = cmd_error(EXIT_FAIL, "cannot read alert %lld: %s", id, ctx->db.errmsg);
		goto out;
	}
	rc = EXIT_OK;
	if (!ctx->json) {
		show_human(&a, notes, nn, hist, nh);
		goto out;
	}
	doc = alert_to_json(&a);
	arr = json_array();
	for (i = 0; i < nn; i++) {
		o = json_object();
		format_iso(ts, sizeof ts, notes[i].at);
		json_object_set_new(o, "at", json_string(ts));
		json_object_set_new(o, "author", json_string(notes[i].author));
		json_object_set_new(o, "body", json_string(notes[i].body));
		json_array_append_new(arr, o);
	}
	json_object_set_new(doc, "notes", arr);
	arr = json_array();
	for (i = 0; i < nh; i++) {
		o = json_object();
		format_iso(ts, sizeof ts, hist[i].at);
		json_object_set_new(o, "at", json_string(ts));
		json_object_set_new(o, "actor", json_string(hist[i].actor));
		json_object_set_new(o, "action", json_string(hist[i].action));
		d = hist[i].details ? json_loads(hist[i].details, 0, &jerr) : NULL;
		json_object_set_new(o, "details", d ? d : json_object());
		json_array_append_new(arr, o);
	}
	json_object_set_new(doc, "history", arr);
	if (output_alert_json(doc, a.evidence) < 0)
		rc = EXIT_FAIL;
out:
	alert_notes_free(notes, nn > 0 ? nn : 0);
	alert_history_free(hist, nh > 0 ? nh : 0);
	alert_free(&a);
	return rc;
}
