/* cmd_demo.c: vsoc demo seed. */
#include <inttypes.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "demo.h"
#include "format.h"
#include "output.h"

static int	demo_seed_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_demo_seed_entry = {
	"demo seed",
	"[--seed N] [--sites N] [--stations N] [--vehicles N] [--alerts N]\n"
	"       [--now ISO8601] [--json]",
	"fill an empty database with a deterministic demo fleet and alerts",
	"Fills a migrated, empty database with a made-up charge point operator and\n"
	"vehicle fleet: sites, charging stations and their connectors, vehicles and\n"
	"their ECUs, driver app accounts, backend services, two hawkBit OTA\n"
	"rollouts, the analysts alice (lead), bob, carol, dave and erin (viewer),\n"
	"incidents, notes and alerts for every detection rule over the last 30\n"
	"days.  The same --seed and --now give the same rows, ids included.  A\n"
	"few alerts carry hostile text from a station (escape sequences, bidi\n"
	"overrides) to show the sanitizer at work.  Refuses (exit 1) when the\n"
	"database already has alerts or assets.\n"
	"\n"
	"  --seed N       random seed (default 1)\n"
	"  --sites N      charging sites (default 3, at most 1000)\n"
	"  --stations N   charging stations, 1-4 connectors each (default 200,\n"
	"                 at most 50000)\n"
	"  --vehicles N   vehicles, each with an app user (default 500, at most\n"
	"                 100000)\n"
	"  --alerts N     alerts (default 5000, at most 10000000)\n"
	"  --now TIME     the end of the 30 days, e.g. 2026-11-01T00:00:00Z\n"
	"                 (default: the current minute)\n"
	"  --json         print the counts as one JSON document\n"
	"\n"
	"Examples:\n"
	"  vsoc demo seed\n"
	"  vsoc demo seed --seed 7 --alerts 1000000 --now 2026-11-01T00:00:00Z\n",
	CMD_NEEDS_DB | CMD_WRITES, demo_seed_exec
};

static void
demo_progress(const char *what, long done, long total, void *arg)
{
	(void)arg;
	if (total > 0)
		fprintf(stderr, "\rseeding %s: %3ld%%", what, done * 100 / total);
	fflush(stderr);
}

/* A count option: positive and at most max. */
static bool
count_option(const char *s, long long max, long long *out)
{
	return cmd_parse_int(s, out) && *out <= max;
}

static void
print_summary(const struct demo_stats *st)
{
	struct part {
		long		 n;
		const char	*what;
	} parts[] = {
		{ st->sites, "sites" }, { st->stations, "stations" },
		{ st->connectors, "connectors" }, { st->vehicles, "vehicles" },
		{ st->ecus, "ECUs" }, { st->app_users, "app users" },
		{ st->services, "backend services" }, { st->rollouts, "OTA rollouts" },
		{ st->events, "asset events" }, { st->incidents, "incidents" },
		{ st->notes, "notes" },
	};
	char buf[32];
	size_t i;

	printf("seeded");
	for (i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		format_count(buf, sizeof buf, parts[i].n);
		printf(" %s %s,", buf, parts[i].what);
	}
	format_count(buf, sizeof buf, st->alerts);
	printf(" %s alerts in %.1f s\n", buf, st->seconds);
}

static int
demo_seed_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	enum { O_SEED = 0x200, O_SITES, O_STATIONS, O_VEHICLES, O_ALERTS, O_NOW };
	static const struct option opts[] = {
		CMD_COMMON_OPTIONS,
		{ "seed", required_argument, NULL, O_SEED },
		{ "sites", required_argument, NULL, O_SITES },
		{ "stations", required_argument, NULL, O_STATIONS },
		{ "vehicles", required_argument, NULL, O_VEHICLES },
		{ "alerts", required_argument, NULL, O_ALERTS },
		{ "now", required_argument, NULL, O_NOW },
		{ NULL, 0, NULL, 0 }
	};
	const struct cmd_entry *e = &cmd_demo_seed_entry;
	struct demo_opts o;
	struct demo_stats st;
	long long v;
	char *end;
	int c, rc;

	demo_opts_init(&o);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (cmd_common_option(ctx, e, c, optarg))
			continue;
		switch (c) {
		case O_SEED:
			/* Any non-negative 64-bit number is a seed, 0 included. */
			errno = 0;
			o.seed = strtoull(optarg, &end, 10);
			if (errno != 0 || end == optarg || *end != '\0' || optarg[0] == '-')
				return cmd_usage_error(e, "--seed wants a non-negative number, not '%s'",
				    optarg);
			break;
		case O_SITES:
			if (!count_option(optarg, DEMO_MAX_SITES, &v))
				return cmd_usage_error(e, "--sites wants a number from 1 to %d, not '%s'",
				    DEMO_MAX_SITES, optarg);
			o.sites = (int)v;
			break;
		case O_STATIONS:
			if (!count_option(optarg, DEMO_MAX_STATIONS, &v))
				return cmd_usage_error(e, "--stations wants a number from 1 to %d, not '%s'",
				    DEMO_MAX_STATIONS, optarg);
			o.stations = (int)v;
			break;
		case O_VEHICLES:
			if (!count_option(optarg, DEMO_MAX_VEHICLES, &v))
				return cmd_usage_error(e, "--vehicles wants a number from 1 to %d, not '%s'",
				    DEMO_MAX_VEHICLES, optarg);
			o.vehicles = (int)v;
			break;
		case O_ALERTS:
			if (!count_option(optarg, DEMO_MAX_ALERTS, &v))
				return cmd_usage_error(e, "--alerts wants a number from 1 to %ld, not '%s'",
				    DEMO_MAX_ALERTS, optarg);
			o.alerts = (long)v;
			break;
		case O_NOW:
			if (demo_parse_time(optarg, &o.now) < 0)
				return cmd_usage_error(e, "--now wants an ISO 8601 time such as"
				    " 2026-11-01T00:00:00Z, not '%s'", optarg);
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
	if (isatty(STDERR_FILENO))
		o.progress = demo_progress;
	rc = demo_seed(&ctx->db, &o, &st);
	if (o.progress != NULL)
		fprintf(stderr, "\r\033[K");
	if (rc < 0)
		return cmd_error(EXIT_FAIL, "%s", ctx->db.errmsg);
	if (ctx->json) {
		json_t *doc = json_object();
		char seed[32];

		snprintf(seed, sizeof seed, "%" PRIu64, o.seed);
		json_object_set_new(doc, "seed", json_string(seed));
		json_object_set_new(doc, "sites", json_integer(st.sites));
		json_object_set_new(doc, "stations", json_integer(st.stations));
		json_object_set_new(doc, "connectors", json_integer(st.connectors));
		json_object_set_new(doc, "vehicles", json_integer(st.vehicles));
		json_object_set_new(doc, "ecus", json_integer(st.ecus));
		json_object_set_new(doc, "app_users", json_integer(st.app_users));
		json_object_set_new(doc, "backend_services", json_integer(st.services));
		json_object_set_new(doc, "ota_rollouts", json_integer(st.rollouts));
		json_object_set_new(doc, "assets", json_integer(st.assets));
		json_object_set_new(doc, "asset_events", json_integer(st.events));
		json_object_set_new(doc, "incidents", json_integer(st.incidents));
		json_object_set_new(doc, "notes", json_integer(st.notes));
		json_object_set_new(doc, "alerts", json_integer(st.alerts));
		json_object_set_new(doc, "seconds", json_real(st.seconds));
		return output_json(stdout, doc) < 0 ? EXIT_FAIL : EXIT_OK;
	}
	print_summary(&st);
	return EXIT_OK;
}
