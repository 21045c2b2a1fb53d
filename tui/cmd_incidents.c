/* cmd_incidents.c: vsoc incidents list and vsoc incident show.
 *
 * Both print the documents of core/incident_view.c: as they are with
 * --json, as sanitized tables and lines otherwise (titles, notes and
 * audit details are untrusted text). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cmd.h"
#include "format.h"
#include "incident_status.h"
#include "incident_view.h"
#include "model.h"
#include "outbox.h"
#include "output.h"
#include "sanitize.h"
#include "strbuf.h"

static int	incidents_list_exec(struct cmd_ctx *, int, char **);
static int	incident_show_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_incidents_list_entry = {
	"incidents list",
	"[--status S|active|all] [--owner NAME|me|none] [--limit N] [--after ID] [--json]",
	"list incidents, newest first",
	"Lists incidents, newest first: by default those not closed.\n"
	"\nOptions:\n"
	"  --status S      open, triage, containment, eradication, recovery,\n"
	"                  post_incident or closed; active (not closed, the\n"
	"                  default) or all\n"
	"  --owner NAME    an analyst's incidents; me for yours, none for unowned\n"
	"  --limit N       at most N incidents (default 50, at most 1000)\n"
	"  --after ID      the page after incident ID (keyset paging; the JSON\n"
	"                  output gives next_after)\n"
	"\nSEV is the severity that counts: the override, marked *, when a lead\n"
	"set one.  ALERTS is open/total.\n"
	"\nExit codes: 0 listed (maybe none), 1 failure, 2 usage error, 4 no such\n"
	"analyst.\n",
	CMD_NEEDS_DB, incidents_list_exec
};

const struct cmd_entry cmd_incident_show_entry = {
	"incident show", "ID [--json]",
	"show an incident: status, severity, owner, alerts, assets, notes, timeline",
	"Prints the incident's status and version, its severity (the override\n"
	"with its reason beside the computed value), owner, resolution and merge\n"
	"links, then its alerts, assets, notes and timeline (its audit records,\n"
	"newest first).\n"
	"\nExit codes: 0 shown, 1 failure, 2 usage error, 4 no such incident.\n",
	CMD_NEEDS_DB, incident_show_exec
};

static const char *
str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static long long
num(const json_t *o, const char *key)
{
	return (long long)json_integer_value(json_object_get(o, key));
}

static void
list_table(const json_t *rows)
{
	static const char *const hdr[] = {
		"ID", "SEV", "STATUS", "OWNER", "ALERTS", "UPDATED", "TITLE"
	};
	static const int flags[] = { COL_RIGHT, 0, 0, 0, COL_RIGHT, 0, COL_WRAP };
	struct table *t = table_new(7, hdr, flags);
	char id[24], sev[16], alerts[48];
	const json_t *r;
	size_t i;

	json_array_foreach(rows, i, r) {
		const char *cells[7];

		snprintf(id, sizeof id, "%lld", num(r, "id"));
		snprintf(sev, sizeof sev, "%s%s", severity_label((int)num(r, "severity")),
		    json_is_null(json_object_get(r, "severity_override")) ? "" : "*");
		snprintf(alerts, sizeof alerts, "%lld/%lld", num(r, "open_alerts"),
		    num(r, "alerts"));
		cells[0] = id;
		cells[1] = sev;
		cells[2] = str(r, "status");
		cells[3] = str(r, "owner");
		cells[4] = alerts;
		cells[5] = str(r, "updated_at");
		cells[6] = str(r, "title");
		table_add(t, cells);
	}
	table_print(t, stdout);
	table_free(t);
}

static int
incidents_list_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		CMD_COMMON_OPTIONS,
		{ "status", required_argument, NULL, 's' },
		{ "owner", required_argument, NULL, 'o' },
		{ "limit", required_argument, NULL, 'n' },
		{ "after", required_argument, NULL, 'A' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cmd_entry *e = &cmd_incidents_list_entry;
	struct incident_filter f;
	const char *owner = NULL;
	long long v;
	json_t *doc;
	int c, rc;

	memset(&f, 0, sizeof f);
	f.limit = 50;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		if (cmd_common_option(ctx, e, c, optarg))
			continue;
		switch (c) {
		case 's':
			if (strcmp(optarg, "all") == 0)
				f.status = "all";
			else if (strcmp(optarg, "active") == 0)
				f.status = NULL;
			else if (incident_status_parse(optarg) == IS_UNKNOWN)
				return cmd_usage_error(e, "unknown status '%s'", optarg);
			else
				f.status = incident_status_name(incident_status_parse(optarg));
			break;
		case 'o':
			if (!utf8_valid(optarg))
				return cmd_usage_error(e, "the owner is not valid UTF-8");
			owner = optarg;
			break;
		case 'n':
			if (!cmd_parse_int(optarg, &v) || v > INCIDENT_LIST_MAX)
				return cmd_usage_error(e, "--limit takes 1 to %d, not '%s'",
				    INCIDENT_LIST_MAX, optarg);
			f.limit = (long)v;
			break;
		case 'A':
			if (format_parse_id(optarg, &f.after) != 0)
				return cmd_usage_error(e, "'%s' is not an incident id", optarg);
			break;
		case ':':
			return cmd_usage_error(e, "%s needs a value", argv[optind - 1]);
		default:
			return cmd_usage_error(e, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind != argc)
		return cmd_usage_error(e, "unexpected argument '%s'", argv[optind]);
	if ((rc = cmd_connect(ctx, owner != NULL && strcmp(owner, "me") == 0)) != EXIT_OK)
		return rc;
	if (owner != NULL) {
		struct analyst a;

		f.owner_set = true;
		if (strcmp(owner, "me") == 0) {
			f.owner_id = ctx->me.id;
		} else if (strcmp(owner, "none") != 0) {
			switch (analyst_lookup(&ctx->db, owner, &a)) {
			case -1:
				return cmd_db_failure(ctx);
			case 1:
				return cmd_error(EXIT_NOTFOUND, "no analyst named '%s'", owner);
			}
			f.owner_id = a.id;
		}
	}
	if ((doc = incident_list_json(&ctx->db, &f)) == NULL)
		return cmd_error(EXIT_FAIL, "cannot list incidents: %s", ctx->db.errmsg);
	if (ctx->json)
		return output_json(stdout, doc) < 0 ? EXIT_FAIL : EXIT_OK;
	list_table(json_object_get(doc, "incidents"));
	if (!json_is_null(json_object_get(doc, "next_after")))
		printf("(more: --after %lld)\n", num(doc, "next_after"));
	json_decref(doc);
	return EXIT_OK;
}

/* "label: value" with the value sanitized; nothing for a null value. */
static void
field(const char *label, const char *value)
{
	if (value == NULL)
		return;
	printf("%-11s ", label);
	output_text(stdout, value);
	fputc('\n', stdout);
}

static void
show_severity(const json_t *sev)
{
	struct strbuf sb;

	strbuf_init(&sb);
	strbuf_append(&sb, severity_name((int)num(sev, "effective")));
	if (!json_is_null(json_object_get(sev, "override")))
		strbuf_appendf(&sb, " (override by %s at %s; computed %s): %s",
		    str(sev, "override_by") ? str(sev, "override_by") : "-",
		    str(sev, "override_at") ? str(sev, "override_at") : "-",
		    severity_name((int)num(sev, "computed")), str(sev, "override_reason"));
	else
		strbuf_append(&sb, " (computed)");
	field("severity:", sb.buf);
	{
		const json_t *lines = json_object_get(sev, "explanation");
		size_t i;

		for (i = 0; i < json_array_size(lines); i++)
			field("  because:", json_string_value(json_array_get(lines, i)));
	}
	strbuf_free(&sb);
}

static void
show_tables(const json_t *doc)
{
	static const char *const ah[] = { "ID", "SEV", "STATUS", "RULE", "ASSET", "TITLE" };
	static const int af[] = { COL_RIGHT, 0, 0, 0, 0, COL_WRAP };
	static const char *const sh[] = { "ID", "KIND", "EXTERNAL ID", "CRIT", "NAME" };
	static const int sf[] = { COL_RIGHT, 0, 0, COL_RIGHT, COL_WRAP };
	static const char *const th[] = { "AT", "ACTOR", "ACTION", "DETAILS" };
	static const int tf[] = { 0, 0, 0, COL_WRAP };
	static const char *const ph[] = { "OUTBOX", "CHANNEL", "PAGE", "STATE" };
	static const int pf[] = { COL_RIGHT, 0, 0, COL_WRAP };
	const json_t *r, *arr;
	struct table *t;
	char id[24], crit[8];
	size_t i;

	arr = json_object_get(doc, "alerts");
	printf("\nalerts (%lld):\n", num(doc, "alerts_total"));
	t = table_new(6, ah, af);
	json_array_foreach(arr, i, r) {
		const char *c[6];

		snprintf(id, sizeof id, "%lld", num(r, "id"));
		c[0] = id;
		c[1] = severity_label((int)num(r, "severity"));
		c[2] = str(r, "status");
		c[3] = str(r, "rule_id");
		c[4] = str(r, "asset_ref");
		c[5] = str(r, "title");
		table_add(t, c);
	}
	table_print(t, stdout);
	table_free(t);

	arr = json_object_get(doc, "assets");
	printf("\nassets (%zu):\n", json_array_size(arr));
	t = table_new(5, sh, sf);
	json_array_foreach(arr, i, r) {
		const char *c[5];

		snprintf(id, sizeof id, "%lld", num(r, "id"));
		snprintf(crit, sizeof crit, "%lld", num(r, "criticality"));
		c[0] = id;
		c[1] = str(r, "kind");
		c[2] = str(r, "external_id");
		c[3] = crit;
		c[4] = str(r, "name");
		table_add(t, c);
	}
	table_print(t, stdout);
	table_free(t);

	arr = json_object_get(doc, "notes");
	printf("\nnotes (%zu):\n", json_array_size(arr));
	json_array_foreach(arr, i, r) {
		printf("  %s ", str(r, "at"));
		output_text(stdout, str(r, "author") ? str(r, "author") : "-");
		fputs(": ", stdout);
		output_text(stdout, str(r, "body"));
		fputc('\n', stdout);
	}

	/* On-call pages and how their delivery went (outbox.h). */
	arr = json_object_get(doc, "pages");
	printf("\npages (%zu):\n", json_array_size(arr));
	t = table_new(4, ph, pf);
	json_array_foreach(arr, i, r) {
		struct strbuf st;
		const char *c[4];

		strbuf_init(&st);
		outbox_state_text(str(r, "status"), num(r, "attempts"), str(r, "next_attempt"),
		    str(r, "sent_at"), str(r, "error"), &st);
		snprintf(id, sizeof id, "%lld", num(r, "id"));
		c[0] = id;
		c[1] = str(r, "channel");
		c[2] = str(r, "action");
		c[3] = st.buf;
		table_add(t, c);
		strbuf_free(&st);
	}
	table_print(t, stdout);
	table_free(t);

	arr = json_object_get(doc, "timeline");
	printf("\ntimeline (%zu):\n", json_array_size(arr));
	t = table_new(4, th, tf);
	json_array_foreach(arr, i, r) {
		char *d = json_dumps(json_object_get(r, "details"), JSON_COMPACT |
		    JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
		const char *c[4];

		c[0] = str(r, "at");
		c[1] = str(r, "actor");
		c[2] = str(r, "action");
		c[3] = d;
		table_add(t, c);
		free(d);
	}
	table_print(t, stdout);
	table_free(t);
}

static int
incident_show_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = { CMD_COMMON_OPTIONS, { NULL, 0, NULL, 0 } };
	const struct cmd_entry *e = &cmd_incident_show_entry;
	const json_t *from, *r;
	struct strbuf sb;
	long long id;
	bool found;
	json_t *doc;
	size_t i;
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if (!cmd_common_option(ctx, e, c, optarg))
			return cmd_usage_error(e, "unknown or incomplete option '%s'",
			    argv[optind - 1]);
	if (optind != argc - 1)
		return cmd_usage_error(e, optind >= argc ? "which incident? give its id" :
		    "one incident id at a time");
	if (format_parse_id(argv[optind], &id) != 0)
		return cmd_usage_error(e, "'%s' is not an incident id", argv[optind]);
	cmd_json_context("incident", json_integer(id));
	if ((rc = cmd_connect(ctx, false)) != EXIT_OK)
		return rc;
	if ((doc = incident_show_json(&ctx->db, id, &found)) == NULL)
		return found ? cmd_error(EXIT_FAIL, "cannot read incident %lld: %s", id,
		    ctx->db.errmsg) : cmd_error(EXIT_NOTFOUND, "no incident with id %lld", id);
	if (ctx->json)
		return output_json(stdout, doc) < 0 ? EXIT_FAIL : EXIT_OK;

	printf("incident %lld: ", id);
	output_text(stdout, str(doc, "title"));
	fputc('\n', stdout);
	strbuf_init(&sb);
	strbuf_appendf(&sb, "%s (version %lld)", str(doc, "status"), num(doc, "version"));
	field("status:", sb.buf);
	show_severity(json_object_get(doc, "severity"));
	field("owner:", str(doc, "owner") ? str(doc, "owner") : "(none)");
	field("scope:", str(doc, "scope"));
	if (str(doc, "summary") != NULL && *str(doc, "summary") != '\0')
		field("summary:", str(doc, "summary"));
	field("resolution:", str(doc, "resolution"));
	if (!json_is_null(json_object_get(doc, "merged_into"))) {
		strbuf_reset(&sb);
		strbuf_appendf(&sb, "incident %lld", num(doc, "merged_into"));
		field("merged into:", sb.buf);
	}
	from = json_object_get(doc, "merged_from");
	if (json_array_size(from) > 0) {
		strbuf_reset(&sb);
		json_array_foreach(from, i, r)
			strbuf_appendf(&sb, "%s%lld", i ? ", " : "incidents ", num(r, "id"));
		field("merged from:", sb.buf);
	}
	field("created:", str(doc, "created_at"));
	strbuf_reset(&sb);
	strbuf_appendf(&sb, "%s by %s", str(doc, "updated_at"),
	    str(doc, "updated_by") ? str(doc, "updated_by") : "-");
	field("updated:", sb.buf);
	field("closed:", str(doc, "closed_at"));
	strbuf_free(&sb);
	show_tables(doc);
	json_decref(doc);
	return EXIT_OK;
}
