/* cmd_twin.c: vsoc twin show|timeline: an asset's digital twin from the
 * command line.  Everything an event carries came from a station, a
 * vehicle or an app: humans get it through the sanitizing tables, scripts
 * through jansson. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "output.h"
#include "sanitize.h"
#include "twin.h"
#include "twin_db.h"
#include "twin_query.h"

static int	twin_show_exec(struct cmd_ctx *, int, char **);
static int	twin_timeline_exec(struct cmd_ctx *, int, char **);

#define HELP_ASSET \
	"ASSET is kind:external-id (station:CS-0001, vehicle:WVSOC...) or an\n" \
	"external id alone when only one asset has it.  Times are ISO 8601\n" \
	"(2026-11-01, 2026-11-01T10:00:00Z, ...+02:00) or seconds since 1970.\n" \
	"\nExit codes: 0 ok, 1 failure, 2 usage (or an ambiguous ASSET), 4 no such\n" \
	"asset.\n"

const struct cmd_entry cmd_twin_show_entry = {
	"twin show", "ASSET [--as-of TIME] [--json]",
	"an asset's state, derived from its events, now or as of a moment",
	"The asset's digital twin: its state as the fold of its event timeline\n"
	"(firmware, connection, sessions, OTA, logins, counters over the last\n"
	"hour and day, ...).  Now is one stored row; --as-of replays from the\n"
	"nearest snapshot at or before that moment.\n"
	"\n" HELP_ASSET,
	CMD_NEEDS_DB, twin_show_exec
};

const struct cmd_entry cmd_twin_timeline_entry = {
	"twin timeline", "ASSET [--since T] [--until T] [--type T] [--limit N]\n"
	"       [--after CURSOR] [--json]",
	"an asset's events, newest first, a page at a time",
	"One page of the asset's timeline, newest first: time, type, source and\n"
	"the event's data.  The page ends with the cursor of the next one (the\n"
	"JSON's \"next\"), for --after.\n"
	"\nOptions:\n"
	"  --since T      events at or after T\n"
	"  --until T      events at or before T\n"
	"  --type T       events of this type only (BootNotification, LOGIN, ...)\n"
	"  --limit N      events per page (default 50, at most 1000)\n"
	"  --after C      the page after cursor C (AT_US:ID, as printed)\n"
	"\n" HELP_ASSET,
	CMD_NEEDS_DB, twin_timeline_exec
};

enum {
	OPT_AS_OF = 0x200,
	OPT_SINCE,
	OPT_UNTIL,
	OPT_TYPE,
	OPT_LIMIT,
	OPT_AFTER
};

static const struct option twin_opts[] = {
	CMD_COMMON_OPTIONS,
	{ "as-of", required_argument, NULL, OPT_AS_OF },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "until", required_argument, NULL, OPT_UNTIL },
	{ "type", required_argument, NULL, OPT_TYPE },
	{ "limit", required_argument, NULL, OPT_LIMIT },
	{ "after", required_argument, NULL, OPT_AFTER },
	{ NULL, 0, NULL, 0 }
};

#define B(o)	(1u << ((o) - OPT_AS_OF))

struct twin_args {
	const char		*asset;
	bool			 has_as_of;
	long long		 as_of;
	struct twin_page_query	 q;
};

static int
twin_parse(struct cmd_ctx *ctx, const struct cmd_entry *e, unsigned allowed,
    struct twin_args *a, int argc, char **argv)
{
	long long v;
	int c;

	memset(a, 0, sizeof *a);
	a->q.limit = 50;
	while ((c = getopt_long(argc, argv, ":", twin_opts, NULL)) != -1) {
		if (cmd_common_option(ctx, e, c, optarg))
			continue;
		if (c == ':')
			return cmd_usage_error(e, "%s needs a value", argv[optind - 1]);
		if (c < OPT_AS_OF || !(allowed & B(c)))
			return cmd_usage_error(e, "unknown option '%s'", argv[optind - 1]);
		switch (c) {
		case OPT_AS_OF:
		case OPT_SINCE:
		case OPT_UNTIL:
			if (twin_time_parse(optarg, &v) < 0)
				return cmd_usage_error(e, "%s takes a time (2026-11-01T10:00:00Z),"
				    " not '%s'", c == OPT_AS_OF ? "--as-of" : c == OPT_SINCE ?
				    "--since" : "--until", optarg);
			if (c == OPT_AS_OF) {
				a->has_as_of = true;
				a->as_of = v;
			} else if (c == OPT_SINCE) {
				a->q.has_since = true;
				a->q.since_us = v;
			} else {
				a->q.has_until = true;
				a->q.until_us = v;
			}
			break;
		case OPT_TYPE:
			if (!utf8_valid(optarg) || strlen(optarg) == 0 || strlen(optarg) > 100)
				return cmd_usage_error(e, "--type takes an event type of 1-100"
				    " characters");
			a->q.type = optarg;
			break;
		case OPT_LIMIT:
			if (!cmd_parse_int(optarg, &v) || v > 1000)
				return cmd_usage_error(e, "--limit takes a number from 1 to 1000,"
				    " not '%s'", optarg);
			a->q.limit = (int)v;
			break;
		case OPT_AFTER:
			if (twin_cursor_parse(optarg, &a->q.after_at, &a->q.after_id) < 0)
				return cmd_usage_error(e, "--after takes a cursor as printed"
				    " (AT_US:ID), not '%s'", optarg);
			a->q.has_after = true;
			break;
		}
	}
	if (optind >= argc)
		return cmd_usage_error(e, "which asset? (kind:external-id)");
	a->asset = argv[optind++];
	if (optind < argc)
		return cmd_usage_error(e, "unexpected argument '%s'", argv[optind]);
	if (!utf8_valid(a->asset) || a->asset[0] == '\0')
		return cmd_usage_error(e, "ASSET must be non-empty UTF-8 text");
	if (a->q.has_since && a->q.has_until && a->q.since_us > a->q.until_us)
		return cmd_usage_error(e, "--since is after --until");
	return EXIT_OK;
}

/* Connect and find the asset; prints the error. */
static int
twin_find(struct cmd_ctx *ctx, const struct twin_args *a, struct twin_asset *out)
{
	char kinds[160];
	int rc;

	if ((rc = cmd_connect(ctx, false)) != EXIT_OK)
		return rc;
	switch (twin_asset_resolve(&ctx->db, a->asset, out, kinds, sizeof kinds)) {
	case TWIN_RESOLVE_OK:
		return EXIT_OK;
	case TWIN_RESOLVE_NONE:
		cmd_json_context("asset", output_json_text(a->asset));
		return cmd_error(EXIT_NOTFOUND, "no asset '%s' (give kind:external-id,"
		    " e.g. station:CS-0001)", a->asset);
	case TWIN_RESOLVE_AMBIGUOUS:
		cmd_json_context("asset", output_json_text(a->asset));
		return cmd_error(EXIT_USAGE, "'%s' names assets of several kinds (%s):"
		    " give kind:%s", a->asset, kinds, a->asset);
	default:
		return cmd_db_failure(ctx);
	}
}

/* The state without the fold's working memory ("_" keys). */
static json_t *
visible_state(json_t *st)
{
	json_t *out = json_object(), *v;
	const char *k;

	json_object_foreach(st, k, v)
		if (k[0] != '_')
			json_object_set(out, k, v);
	return out;
}

static void
print_value_rows(struct table *t, const char *prefix, json_t *v)
{
	const char *k;
	json_t *x;
	char key[256];

	if (json_is_object(v) && json_object_size(v) > 0) {
		json_object_foreach(v, k, x) {
			snprintf(key, sizeof key, "%s%s%s", prefix, prefix[0] ? "." : "", k);
			print_value_rows(t, key, x);
		}
		return;
	}
	{
		char *s = json_is_string(v) ? NULL : json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		const char *cells[2] = { prefix, json_is_string(v) ? json_string_value(v) : s };

		table_add(t, cells);
		free(s);
	}
}

static int
twin_show_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry *e = &cmd_twin_show_entry;
	static const char *const hdr[2] = { "FIELD", "VALUE" };
	static const int flags[2] = { 0, COL_WRAP };
	struct twin_args a;
	struct twin_asset as;
	json_t *st, *vis;
	char ts[32];
	int rc;

	if ((rc = twin_parse(ctx, e, B(OPT_AS_OF), &a, argc, argv)) != EXIT_OK)
		return rc;
	if ((rc = twin_find(ctx, &a, &as)) != EXIT_OK)
		return rc;
	if ((st = twin_db_state(&ctx->db, as.id, a.has_as_of ? a.as_of : -1)) == NULL) {
		twin_asset_free(&as);
		return cmd_db_failure(ctx);
	}
	vis = visible_state(st);
	json_decref(st);
	if (a.has_as_of)
		twin_time_format(ts, a.as_of);
	if (ctx->json) {
		json_t *doc = json_object();

		json_object_set_new(doc, "asset", twin_asset_json(&as));
		json_object_set_new(doc, "has_twin", json_boolean(twin_kind_parse(as.kind) >= 0));
		json_object_set_new(doc, "as_of", a.has_as_of ? json_string(ts) : json_null());
		json_object_set_new(doc, "state", vis);
		twin_asset_free(&as);
		return output_json(stdout, doc) < 0 ? EXIT_FAIL : EXIT_OK;
	}
	{
		struct table *t = table_new(2, hdr, flags);
		const char *id[2] = { "asset", NULL };
		char *name = NULL;
		size_t len = strlen(as.kind) + strlen(as.external_id) + 2;

		name = malloc(len);
		if (name != NULL) {
			snprintf(name, len, "%s:%s", as.kind, as.external_id);
			id[1] = name;
		}
		table_add(t, id);
		if (as.name != NULL) {
			const char *row[2] = { "name", as.name };

			table_add(t, row);
		}
		if (a.has_as_of) {
			const char *row[2] = { "shown as of", ts };

			table_add(t, row);
		}
		if (twin_kind_parse(as.kind) < 0) {
			const char *row[2] = { "twin", "none for this kind of asset" };

			table_add(t, row);
		} else if (json_object_size(vis) == 0) {
			const char *row[2] = { "state", "no events yet" };

			table_add(t, row);
		} else {
			print_value_rows(t, "", vis);
		}
		table_print(t, stdout);
		table_free(t);
		free(name);
	}
	json_decref(vis);
	twin_asset_free(&as);
	return EXIT_OK;
}

static int
twin_timeline_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry *e = &cmd_twin_timeline_entry;
	static const char *const hdr[4] = { "AT", "TYPE", "SOURCE", "DATA" };
	static const int flags[4] = { 0, 0, 0, COL_WRAP };
	struct twin_args a;
	struct twin_asset as;
	json_t *events, *ev;
	char next[64];
	size_t i;
	int rc;

	if ((rc = twin_parse(ctx, e, B(OPT_SINCE) | B(OPT_UNTIL) | B(OPT_TYPE) | B(OPT_LIMIT) |
	    B(OPT_AFTER), &a, argc, argv)) != EXIT_OK)
		return rc;
	if ((rc = twin_find(ctx, &a, &as)) != EXIT_OK)
		return rc;
	a.q.asset_id = as.id;
	if (twin_timeline_page(&ctx->db, &a.q, &events, next, sizeof next) < 0) {
		twin_asset_free(&as);
		return cmd_db_failure(ctx);
	}
	if (ctx->json) {
		json_t *doc = json_object();

		json_object_set_new(doc, "asset", twin_asset_json(&as));
		json_object_set_new(doc, "events", events);
		json_object_set_new(doc, "next", next[0] ? json_string(next) : json_null());
		twin_asset_free(&as);
		return output_json(stdout, doc) < 0 ? EXIT_FAIL : EXIT_OK;
	}
	{
		struct table *t = table_new(4, hdr, flags);

		json_array_foreach(events, i, ev) {
			char *d = json_dumps(json_object_get(ev, "data"), JSON_COMPACT);
			const char *row[4] = { json_string_value(json_object_get(ev, "at")),
				json_string_value(json_object_get(ev, "type")),
				json_string_value(json_object_get(ev, "source")), d };

			table_add(t, row);
			free(d);
		}
		table_print(t, stdout);
		table_free(t);
	}
	if (next[0] != '\0')
		printf("next page: --after %s\n", next);
	json_decref(events);
	twin_asset_free(&as);
	return EXIT_OK;
}
