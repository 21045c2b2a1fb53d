/* cmd_sla.c: vsoc sla report [--since 7d] [--json].
 *
 * Per severity, for alerts and for incidents created in the window: how
 * many, how many acknowledged and resolved, the breaches of each target,
 * and the median and 90th percentile times to acknowledge and to resolve
 * (core/sla_report.c computes them in the database). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "db.h"
#include "format.h"
#include "model.h"
#include "output.h"
#include "sla.h"
#include "sla_report.h"
#include "strbuf.h"

static int	sla_report_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_sla_report_entry = {
	"sla report", "[--since DURATION]",
	"SLA breaches, MTTA and MTTR per severity",
	"For the alerts and the incidents created in the window (--since, a\n"
	"duration back from now: 90m, 24h, 7d, 2w; 7d when not given), per\n"
	"severity: the targets (sla_targets: time to acknowledge, time to\n"
	"resolve), how many were created, acknowledged and resolved, how many\n"
	"missed each target, and the median (p50) and 90th percentile (p90) of\n"
	"the time to acknowledge (MTTA) and to resolve (MTTR).\n"
	"\n"
	"An alert is acknowledged when it first leaves 'new', an incident when\n"
	"it first leaves 'open' or gets an owner; resolved when closed (an alert\n"
	"also when suppressed).  A breach is an acknowledgement or resolution\n"
	"later than its target, or none yet with the target past.  Rows\n"
	"acknowledged before vsoc recorded the time count as acknowledged, in\n"
	"no MTTA and no ack breach.\n"
	"\n"
	"  --since D   the window: rows created in the last D (default 7d)\n"
	"  --json      one JSON document: since_seconds, since, and per kind\n"
	"              (alerts, incidents) a list of severities with targets,\n"
	"              count, acknowledged, resolved, breaches {ack, resolve},\n"
	"              mtta_seconds and mttr_seconds {p50, p90} (null: none)\n"
	"\n"
	"Exit codes: 0 done, 1 failure, 2 usage error.\n",
	CMD_NEEDS_DB, sla_report_exec
};

enum { OPT_SINCE = 0x200 };

static json_t *
seconds_json(double s)
{
	return s >= 0 ? json_real(s) : json_null();
}

static json_t *
report_json(const struct sla_report *r, time_t now)
{
	json_t *doc = json_object(), *list, *o, *t, *b, *m;
	char ts[32];
	int k, i;

	format_iso(ts, sizeof ts, now - (time_t)r->since_secs);
	json_object_set_new(doc, "since_seconds", json_integer(r->since_secs));
	json_object_set_new(doc, "since", json_string(ts));
	for (k = 0; k < SLA__KINDS; k++) {
		list = json_array();
		for (i = 0; i < SEV__COUNT - 1; i++) {
			const struct sla_line *l = &r->lines[k][i];

			o = json_object();
			json_object_set_new(o, "severity", json_string(severity_name(l->severity)));
			t = json_object();
			json_object_set_new(t, "ack_seconds", l->ack_target ?
			    json_integer(l->ack_target) : json_null());
			json_object_set_new(t, "resolve_seconds", l->resolve_target ?
			    json_integer(l->resolve_target) : json_null());
			json_object_set_new(o, "targets", t);
			json_object_set_new(o, "count", json_integer(l->count));
			json_object_set_new(o, "acknowledged", json_integer(l->acknowledged));
			json_object_set_new(o, "resolved", json_integer(l->resolved));
			b = json_object();
			json_object_set_new(b, "ack", json_integer(l->ack_breaches));
			json_object_set_new(b, "resolve", json_integer(l->resolve_breaches));
			json_object_set_new(o, "breaches", b);
			m = json_object();
			json_object_set_new(m, "p50", seconds_json(l->mtta_p50));
			json_object_set_new(m, "p90", seconds_json(l->mtta_p90));
			json_object_set_new(o, "mtta_seconds", m);
			m = json_object();
			json_object_set_new(m, "p50", seconds_json(l->mttr_p50));
			json_object_set_new(m, "p90", seconds_json(l->mttr_p90));
			json_object_set_new(o, "mttr_seconds", m);
			json_array_append_new(list, o);
		}
		json_object_set_new(doc, sla_kind_name((enum sla_kind)k), list);
	}
	return doc;
}

/* A target as "15m", "4h", "3d"; "-" for none. */
static void
target_text(char *buf, size_t len, long long secs)
{
	if (secs <= 0)
		snprintf(buf, len, "-");
	else if (secs % 86400 == 0)
		snprintf(buf, len, "%lldd", secs / 86400);
	else if (secs % 3600 == 0)
		snprintf(buf, len, "%lldh", secs / 3600);
	else if (secs % 60 == 0)
		snprintf(buf, len, "%lldm", secs / 60);
	else
		snprintf(buf, len, "%llds", secs);
}

static void
report_human(const struct sla_report *r, time_t now)
{
	char ts[32], tgt[2][16], d[4][16];
	int k, i;

	format_ts(ts, sizeof ts, now - (time_t)r->since_secs);
	printf("SLA report: created since %s UTC\n", ts);
	for (k = 0; k < SLA__KINDS; k++) {
		printf("\n%-9s %-9s %6s %6s %6s %6s %6s %7s %7s %7s %7s\n",
		    sla_kind_name((enum sla_kind)k), "targets", "count", "acked", "resolv",
		    "ackmis", "resmis", "MTTA50", "MTTA90", "MTTR50", "MTTR90");
		for (i = 0; i < SEV__COUNT - 1; i++) {
			const struct sla_line *l = &r->lines[k][i];
			char targets[34];

			target_text(tgt[0], sizeof tgt[0], l->ack_target);
			target_text(tgt[1], sizeof tgt[1], l->resolve_target);
			snprintf(targets, sizeof targets, "%s/%s", tgt[0], tgt[1]);
			sla_duration(d[0], sizeof d[0], l->mtta_p50);
			sla_duration(d[1], sizeof d[1], l->mtta_p90);
			sla_duration(d[2], sizeof d[2], l->mttr_p50);
			sla_duration(d[3], sizeof d[3], l->mttr_p90);
			printf("%-9s %-9s %6lld %6lld %6lld %6lld %6lld %7s %7s %7s %7s\n",
			    severity_name(l->severity), targets, l->count, l->acknowledged,
			    l->resolved, l->ack_breaches, l->resolve_breaches,
			    d[0], d[1], d[2], d[3]);
		}
	}
}

static int
sla_report_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		CMD_COMMON_OPTIONS,
		{ "since", required_argument, NULL, OPT_SINCE },
		{ NULL, 0, NULL, 0 }
	};
	const struct cmd_entry *e = &cmd_sla_report_entry;
	struct sla_report r;
	long since = 7 * 86400;
	time_t now;
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (cmd_common_option(ctx, e, c, optarg))
			continue;
		if (c != OPT_SINCE)
			return cmd_usage_error(e, "unknown or incomplete option '%s'",
			    argv[optind - 1]);
		if ((since = format_parse_duration(optarg)) <= 0)
			return cmd_usage_error(e, "--since takes a duration back from now"
			    " (90m, 24h, 7d, 2w; at most 100 years), not '%s'", optarg);
	}
	if (optind < argc)
		return cmd_usage_error(e, "unexpected argument '%s'", argv[optind]);
	if ((rc = cmd_connect(ctx, false)) != EXIT_OK)
		return rc;
	now = time(NULL);
	if (sla_report_run(&ctx->db, since, &r) < 0)
		return cmd_db_failure(ctx);
	if (ctx->json)
		return output_json(stdout, report_json(&r, now)) < 0 ? EXIT_FAIL : EXIT_OK;
	report_human(&r, now);
	return EXIT_OK;
}
