/* cmd_severity.c: vsoc severity explain ID.
 *
 * Computes an incident's severity from its alerts and the data tables of
 * sql/005_severity.sql, prints it with one line per factor that moved it,
 * and stores it in the incident when the stored value or explanation is
 * out of date.  Storing is an analyst's action (one transaction, one audit
 * record, incident.severity_refresh); a viewer, or --read-only, gets the
 * same answer without the store. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyst.h"
#include "audit.h"
#include "cmd.h"
#include "db.h"
#include "format.h"
#include "model.h"
#include "output.h"
#include "severity_db.h"
#include "strbuf.h"

static int	severity_explain_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_severity_explain_entry = {
	"severity explain", "INCIDENT_ID",
	"compute an incident's severity and say why",
	"Computes the incident's severity from its alerts: the highest risk among\n"
	"them (each rule's ISO/SAE 21434 impact ratings against its attack\n"
	"feasibility, through the risk matrix), then moved by scope, campaign,\n"
	"asset criticality, distinct assets and confidence (alerts closed as\n"
	"false positive).  Prints the result with one line per factor that moved\n"
	"it; an override, if set, stays the incident's severity and is shown\n"
	"beside the computed value.\n"
	"\n"
	"When the stored computed value or explanation is out of date and the\n"
	"session may act (analyst role or higher, not --read-only), it is stored\n"
	"in the incident with one audit record (incident.severity_refresh).\n"
	"The ratings, the matrix and the adjustments are data an admin changes\n"
	"in the database (rule_ratings, severity_matrix, severity_scope,\n"
	"severity_criticality, severity_params).\n"
	"\n"
	"Exit codes: 0 done, 1 failure, 2 usage error, 4 no such incident.\n",
	CMD_NEEDS_DB, severity_explain_exec
};

/* May this session store the result?  The database decides in the end
 * (grants, audit_record); this only avoids asking it for a viewer. */
static bool
may_store(struct cmd_ctx *ctx)
{
	struct analyst me;

	if (ctx->read_only)
		return false;
	if (analyst_is_dba(&ctx->db) == 1)
		return true;
	return analyst_self(&ctx->db, &me) == 0 && analyst_can(&me, ROLE_ANALYST);
}

static json_t *
explain_json(const struct severity_incident *si, bool stored)
{
	json_t *doc, *ov;
	char ts[32];

	doc = json_object();
	json_object_set_new(doc, "incident", json_integer(si->id));
	json_object_set_new(doc, "severity", json_string(severity_name(si->severity)));
	json_object_set_new(doc, "computed", si->result.severity ?
	    json_string(severity_name(si->result.severity)) : json_null());
	if (si->override) {
		format_iso(ts, sizeof ts, si->override_at);
		ov = json_object();
		json_object_set_new(ov, "severity", json_string(severity_name(si->override)));
		json_object_set_new(ov, "reason", si->override_reason ?
		    json_string(si->override_reason) : json_null());
		json_object_set_new(ov, "by", si->override_by ?
		    json_string(si->override_by) : json_null());
		json_object_set_new(ov, "at", si->override_at ? json_string(ts) : json_null());
		json_object_set_new(doc, "override", ov);
	} else {
		json_object_set_new(doc, "override", json_null());
	}
	json_object_set_new(doc, "stored", json_boolean(stored));
	json_object_set_new(doc, "changed", json_boolean(si->changed));
	json_object_set_new(doc, "explanation", json_incref(si->explanation));
	return doc;
}

static void
explain_human(const struct severity_incident *si, bool stored)
{
	struct strbuf sb;
	char ts[32];
	size_t i;

	strbuf_init(&sb);
	strbuf_appendf(&sb, "incident %lld: %s\n", si->id, severity_name(si->severity));
	strbuf_appendf(&sb, "  computed:  %s%s\n", si->result.severity ?
	    severity_name(si->result.severity) : "none (no alerts)",
	    si->changed ? " (stored now)" : stored ? " (stored)" : " (not stored)");
	if (si->override) {
		format_ts(ts, sizeof ts, si->override_at);
		strbuf_appendf(&sb, "  override:  %s by %s at %s: %s\n",
		    severity_name(si->override), si->override_by ? si->override_by : "-",
		    si->override_at ? ts : "-", si->override_reason ? si->override_reason : "");
	}
	strbuf_appendf(&sb, "        %s\n", si->result.start_text);
	for (i = 0; i < si->result.nfactors; i++)
		strbuf_appendf(&sb, "    %+d  %s\n", si->result.factors[i].adjust,
		    si->result.factors[i].text);
	/* The override's reason is an analyst's text: sanitized. */
	output_text(stdout, sb.buf);
	strbuf_free(&sb);
}

static int
severity_explain_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = { CMD_COMMON_OPTIONS, { NULL, 0, NULL, 0 } };
	const struct cmd_entry *e = &cmd_severity_explain_entry;
	struct severity_incident si;
	struct strbuf err;
	long long id;
	json_t *details;
	bool store;
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if (!cmd_common_option(ctx, e, c, optarg))
			return cmd_usage_error(e, "unknown or incomplete option '%s'",
			    argv[optind - 1]);
	if (optind != argc - 1)
		return cmd_usage_error(e, optind >= argc ? "which incident? give its id" :
		    "one incident id at a time");
	if (!cmd_parse_int(argv[optind], &id))
		return cmd_usage_error(e, "bad incident id '%s': expected a number from 1"
		    " to 9223372036854775807", argv[optind]);
	cmd_json_context("incident", json_integer(id));
	if ((rc = cmd_connect(ctx, false)) != EXIT_OK)
		return rc;
	store = may_store(ctx);
	strbuf_init(&err);
	memset(&si, 0, sizeof si);
	if (db_begin(&ctx->db) < 0) {
		rc = cmd_error(EXIT_FAIL, "%s", ctx->db.errmsg);
		goto out;
	}
	rc = severity_incident_compute(&ctx->db, id, store, &si, &err);
	if (rc == 1) {
		db_rollback(&ctx->db);
		rc = cmd_error(EXIT_NOTFOUND, "no incident with id %lld", id);
		goto out;
	}
	if (rc < 0)
		goto dbfail;
	if (store && si.stale) {
		if (severity_incident_store(&ctx->db, &si, &err) < 0)
			goto dbfail;
		details = json_pack("{s:{s:s?, s:s?}, s:{s:s, s:s?}}",
		    "before", "severity", severity_name(si.before_severity),
		    "computed", si.before_computed ? severity_name(si.before_computed) : NULL,
		    "after", "severity", severity_name(si.severity),
		    "computed", si.result.severity ? severity_name(si.result.severity) : NULL);
		json_object_set(details, "explanation", si.explanation);
		if (audit_append(&ctx->db, "incident.severity_refresh", "incident", id,
		    NULL, 0, details) < 0) {
			json_decref(details);
			strbuf_appendf(&err, "recording the refresh: %s", ctx->db.errmsg);
			goto dbfail;
		}
		json_decref(details);
	}
	if (db_commit(&ctx->db) < 0) {
		strbuf_appendf(&err, "%s", ctx->db.errmsg);
		goto dbfail;
	}
	if (ctx->json)
		rc = output_json(stdout, explain_json(&si, !si.stale)) < 0 ? EXIT_FAIL : EXIT_OK;
	else {
		explain_human(&si, !si.stale);
		rc = EXIT_OK;
	}
	goto out;
dbfail:
	db_rollback(&ctx->db);
	snprintf(ctx->db.errmsg, sizeof ctx->db.errmsg, "incident %lld: %s", id, err.buf);
	rc = cmd_db_failure(ctx);
out:
	severity_incident_free(&si);
	strbuf_free(&err);
	return rc;
}
