/* cmd_candidates.c: vsoc candidates list|accept|dismiss.
 *
 * Incident candidates from core/candidates.h: a page of them, accepting
 * one into a new incident (minus the alerts split out with --except), or
 * dismissing one for a while.  Human output is a table of sanitized text
 * (a candidate's subject can be an indicator from a station's evidence);
 * --json is one document.  Exit codes as for alert actions. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "candidates.h"
#include "cmd.h"
#include "format.h"
#include "model.h"
#include "output.h"
#include "sanitize.h"
#include "strbuf.h"

#define LIST_DEFAULT	50
#define LIST_MAX	10000
#define EXCEPT_MAX	1000

static int	candidates_exec(struct cmd_ctx *, int, char **);

enum {
	OPT_LIMIT = 0x200,
	OPT_OFFSET,
	OPT_IDS,
	OPT_DISMISSED,
	OPT_EXCEPT,
	OPT_TITLE,
	OPT_FOR,
	OPT_REASON
};

static const struct option cand_opts[] = {
	CMD_COMMON_OPTIONS,
	{ "limit", required_argument, NULL, OPT_LIMIT },
	{ "offset", required_argument, NULL, OPT_OFFSET },
	{ "ids", required_argument, NULL, OPT_IDS },
	{ "dismissed", no_argument, NULL, OPT_DISMISSED },
	{ "except", required_argument, NULL, OPT_EXCEPT },
	{ "title", required_argument, NULL, OPT_TITLE },
	{ "for", required_argument, NULL, OPT_FOR },
	{ "reason", required_argument, NULL, OPT_REASON },
	{ NULL, 0, NULL, 0 }
};

#define HELP_EXIT \
	"\nExit codes: 0 done, 1 failure (database), 2 usage error (a malformed\n" \
	"key or option), 3 conflict (an alert was taken into another incident or\n" \
	"closed meanwhile), 4 no such candidate (its alerts were triaged, or it\n" \
	"fell below its thresholds) or an --except alert not in it, 5 denied (a\n" \
	"viewer; the refusal is audited).  With --json a failure is also a JSON\n" \
	"document on stdout.\n"

const struct cmd_entry cmd_candidates_list_entry = {
	"candidates list", "[--limit N] [--offset N] [--ids N] [--dismissed]",
	"incident candidates: open alerts that belong together",
	"Lists candidates for incidents, proposed from open alerts that are in\n"
	"no incident: one asset, its station or its site with rules of one\n"
	"family in a window; one rule on many assets in a window (a campaign);\n"
	"one source address, idTag, operator principal or firmware host in the\n"
	"evidence across assets.  Windows and thresholds are data (the tables\n"
	"correlation_settings and rule_families, tuned by an admin).  Most severe\n"
	"first.  Dismissed candidates are hidden until their dismissal ends.\n"
	"\nOptions:\n"
	"  --limit N      at most N candidates (default 50, at most 10000)\n"
	"  --offset N     skip the first N (paging)\n"
	"  --ids N        alert ids per candidate in --json (default 20)\n"
	"  --dismissed    show dismissed candidates too\n"
	"\nExamples:\n"
	"  vsoc candidates list\n"
	"  vsoc candidates list --json --limit 10\n"
	"\nExit codes: 0 listed, 1 failure, 2 usage error.\n",
	CMD_NEEDS_DB, candidates_exec
};

const struct cmd_entry cmd_candidates_accept_entry = {
	"candidates accept", "KEY [--except ALERT_ID,...] [--title TEXT]",
	"create an incident from a candidate",
	"Creates a new incident, owned by you, from the candidate's alerts\n"
	"minus those split out with --except (they stay in the queue).  One\n"
	"transaction and one audit record (candidate.accept); the alerts become\n"
	"escalated as with vsoc alert escalate.  The title defaults to the\n"
	"candidate's reason.\n"
	"\nOptions:\n"
	"  --except IDS   alert ids to leave out, comma-separated (repeatable)\n"
	"  --title TEXT   the incident's title\n"
	"\nExamples:\n"
	"  vsoc candidates accept campaign:R7@20261202T0800Z\n"
	"  vsoc candidates accept asset:4711.integrity@20261202T0800Z --except 42,43\n"
	HELP_EXIT,
	CMD_NEEDS_DB | CMD_NEEDS_ANALYST | CMD_WRITES, candidates_exec
};

const struct cmd_entry cmd_candidates_dismiss_entry = {
	"candidates dismiss", "KEY --for DURATION --reason TEXT",
	"hide a candidate for a while, with a reason",
	"Hides the candidate from the list until the duration has passed (one\n"
	"transaction and one audit record, candidate.dismiss).  Its alerts stay\n"
	"as they are.  Dismissing again extends it.\n"
	"\nOptions:\n"
	"  --for DURATION   90s, 15m, 4h, 7d, 2w; at most 90d\n"
	"  --reason TEXT    why (required)\n"
	"\nExamples:\n"
	"  vsoc candidates dismiss principal:ops-portal@20261202T0800Z --for 4h \\\n"
	"      --reason 'planned smart-charging load test'\n"
	HELP_EXIT,
	CMD_NEEDS_DB | CMD_NEEDS_ANALYST | CMD_WRITES, candidates_exec
};

struct cand_args {
	const char	*key;
	long long	*except;
	size_t		 nexcept;
	const char	*title;
	const char	*reason;
	long		 secs;
	struct cand_page page;
};

static bool
parse_count(const char *s, size_t max, size_t *out)
{
	long long v;

	if (strcmp(s, "0") == 0) {
		*out = 0;
		return true;
	}
	if (!cmd_parse_int(s, &v) || (unsigned long long)v > max)
		return false;
	*out = (size_t)v;
	return true;
}

/* "42,43" (each may be #42), appended. */
static bool
parse_except(struct cand_args *a, const char *s)
{
	char *copy = xstrdup(s), *tok, *save = NULL;
	bool ok = true;

	for (tok = strtok_r(copy, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		long long v;

		if (a->nexcept == EXCEPT_MAX || format_parse_id(tok, &v) != 0) {
			ok = false;
			break;
		}
		a->except[a->nexcept++] = v;
	}
	if (a->nexcept == 0)
		ok = false;
	free(copy);
	return ok;
}

static int
cand_parse(struct cmd_ctx *ctx, const struct cmd_entry *e, struct cand_args *a,
    int argc, char **argv, const char *verb)
{
	bool list = strcmp(verb, "list") == 0, accept = strcmp(verb, "accept") == 0;
	int c;

	while ((c = getopt_long(argc, argv, ":", cand_opts, NULL)) != -1) {
		if (cmd_common_option(ctx, e, c, optarg))
			continue;
		if (c == ':')
			return cmd_usage_error(e, "%s needs a value", argv[optind - 1]);
		if (c == '?' || c < OPT_LIMIT)
			return cmd_usage_error(e, "unknown option '%s'", argv[optind - 1]);
		if (optarg != NULL && !utf8_valid(optarg))
			return cmd_usage_error(e, "the value of %s is not valid UTF-8",
			    argv[optind - 1]);
		if ((c <= OPT_DISMISSED) != list ||
		    ((c == OPT_EXCEPT || c == OPT_TITLE) && !accept) ||
		    ((c == OPT_FOR || c == OPT_REASON) && (list || accept)))
			return cmd_usage_error(e, "%s does not apply to vsoc %s",
			    argv[optind - 1], e->name);
		switch (c) {
		case OPT_LIMIT:
			if (!parse_count(optarg, LIST_MAX, &a->page.limit) ||
			    a->page.limit == 0)
				return cmd_usage_error(e, "--limit takes 1 to %d", LIST_MAX);
			break;
		case OPT_OFFSET:
			if (!parse_count(optarg, (size_t)INT_MAX, &a->page.offset))
				return cmd_usage_error(e, "'%s' is not an offset", optarg);
			break;
		case OPT_IDS:
			if (!parse_count(optarg, CAND_ACCEPT_MAX, &a->page.ids_max))
				return cmd_usage_error(e, "--ids takes 0 to %d", CAND_ACCEPT_MAX);
			break;
		case OPT_DISMISSED:
			a->page.dismissed = true;
			break;
		case OPT_EXCEPT:
			if (!parse_except(a, optarg))
				return cmd_usage_error(e, "--except takes alert ids separated"
				    " by commas (at most %d), not '%s'", EXCEPT_MAX, optarg);
			break;
		case OPT_TITLE:
			a->title = optarg;
			break;
		case OPT_FOR:
			if ((a->secs = format_parse_duration(optarg)) < 0 ||
			    a->secs > CAND_DISMISS_MAX)
				return cmd_usage_error(e, "'%s' is not a duration up to 90d"
				    " (for example 4h or 7d)", optarg);
			break;
		case OPT_REASON:
			a->reason = optarg;
			break;
		}
	}
	if (list) {
		if (optind < argc)
			return cmd_usage_error(e, "unexpected argument '%s'", argv[optind]);
		return EXIT_OK;
	}
	if (optind >= argc)
		return cmd_usage_error(e, "no candidate key given");
	if (optind + 1 < argc)
		return cmd_usage_error(e, "one key at a time ('%s' is extra)", argv[optind + 1]);
	a->key = argv[optind];
	cmd_json_context("candidate", output_json_text(a->key));
	if (!cand_key_valid(a->key))
		return cmd_usage_error(e, "'%s' is not a candidate key (vsoc candidates"
		    " list shows them)", a->key);
	if (!accept && a->secs == 0)
		return cmd_usage_error(e, "--for DURATION is required");
	if (!accept && a->reason == NULL)
		return cmd_usage_error(e, "--reason TEXT is required");
	return EXIT_OK;
}

static json_t *
time_json(time_t t)
{
	char buf[32];

	if (t == 0)
		return json_null();
	format_iso(buf, sizeof buf, t);
	return json_string(buf);
}

static json_t *
cand_json(const struct candidate *c)
{
	json_t *o = json_object(), *ids = json_array();
	size_t i;

	for (i = 0; i < c->nids; i++)
		json_array_append_new(ids, json_integer(c->ids[i]));
	json_object_set_new(o, "key", json_string(c->key));
	json_object_set_new(o, "kind", json_string(cand_kind_name(c->kind)));
	/* Untrusted text as stored: JSON escapes it. */
	json_object_set_new(o, "subject", c->subject ? output_json_text(c->subject) : json_null());
	json_object_set_new(o, "subject_name",
	    c->subject_name ? output_json_text(c->subject_name) : json_null());
	json_object_set_new(o, "family", c->family ? json_string(c->family) : json_null());
	json_object_set_new(o, "rules", c->rules ? json_string(c->rules) : json_null());
	json_object_set_new(o, "reason", output_json_text(c->reason));
	json_object_set_new(o, "severity", json_string(severity_name(c->max_severity)));
	json_object_set_new(o, "alerts", json_integer(c->alerts));
	json_object_set_new(o, "assets", json_integer(c->assets));
	json_object_set_new(o, "window_start", time_json(c->window_start));
	json_object_set_new(o, "window_seconds", json_integer(c->window_secs));
	json_object_set_new(o, "first_seen", time_json(c->first_seen));
	json_object_set_new(o, "last_seen", time_json(c->last_seen));
	json_object_set_new(o, "dismissed_until", time_json(c->dismissed_until));
	json_object_set_new(o, "alert_ids", ids);
	return o;
}

/* Two lines per candidate: what a script or an analyst copies (the key,
 * whole, never cut) and then why, sanitized and cut to the terminal:
 *
 *   CRIT  3 alerts  1 asset   2026-12-02 08:02  asset:10.integrity@20261202T0800Z
 *         3 integrity alerts (R11, R12, R7) on CS-0001 within 1h */
static int
list_print(struct cmd_ctx *ctx, const struct cand_list *l, const struct cand_page *pg)
{
	const char *cols = getenv("COLUMNS");
	int width = cols != NULL && atoi(cols) > 20 ? atoi(cols) : 200;
	int san = output_utf8() ? 0 : SAN_ASCII;
	struct strbuf clean, line;
	size_t i;

	if (ctx->json) {
		json_t *doc = json_object(), *arr = json_array();

		for (i = 0; i < l->n; i++)
			json_array_append_new(arr, cand_json(&l->items[i]));
		json_object_set_new(doc, "total", json_integer((json_int_t)l->total));
		json_object_set_new(doc, "offset", json_integer((json_int_t)pg->offset));
		json_object_set_new(doc, "candidates", arr);
		return output_json(stdout, doc) < 0 ? EXIT_FAIL : EXIT_OK;
	}
	if (l->n == 0) {
		printf("no candidates%s\n", pg->offset ? " past this offset" : "");
		return EXIT_OK;
	}
	strbuf_init(&clean);
	strbuf_init(&line);
	for (i = 0; i < l->n; i++) {
		const struct candidate *c = &l->items[i];
		char seen[32], until[32];

		format_ts(seen, sizeof seen, c->last_seen);
		strbuf_reset(&clean);
		/* Keys are printable ASCII already; sanitize all the same. */
		sanitize(&clean, c->key, strlen(c->key), SAN_ASCII);
		printf("%-4s %4lld alert%s %4lld asset%s  %s  %s", severity_label(c->max_severity),
		    c->alerts, c->alerts == 1 ? " " : "s", c->assets, c->assets == 1 ? " " : "s",
		    seen, clean.buf);
		if (c->dismissed_until != 0) {
			format_ts(until, sizeof until, c->dismissed_until);
			printf("  (dismissed until %s)", until);
		}
		putchar('\n');
		strbuf_reset(&clean);
		sanitize(&clean, c->reason, strlen(c->reason), san);
		strbuf_reset(&line);
		format_fit(&line, clean.buf, width - 5, san ? FIT_ASCII : 0);
		printf("     %s\n", line.buf);
	}
	strbuf_free(&clean);
	strbuf_free(&line);
	printf("%zu-%zu of %zu candidates\n", pg->offset + 1, pg->offset + l->n, l->total);
	return EXIT_OK;
}

static int
act_print(struct cmd_ctx *ctx, const char *verb, const struct cand_outcome *o)
{
	json_t *doc;

	if (!ctx->json) {
		output_text(stdout, o->message);
		fputc('\n', stdout);
		return EXIT_OK;
	}
	doc = json_object();
	json_object_set_new(doc, "action", json_string(verb));
	json_object_set_new(doc, "ok", json_true());
	json_object_set_new(doc, "message", output_json_text(o->message));
	json_object_set_new(doc, "audit_id", json_integer(o->audit_id));
	if (strcmp(verb, "accept") == 0) {
		json_object_set_new(doc, "incident", json_integer(o->incident_id));
		json_object_set_new(doc, "alerts", json_integer((json_int_t)o->alerts));
	} else {
		json_object_set_new(doc, "dismissal", json_integer(o->dismissal_id));
		json_object_set_new(doc, "until", time_json(o->until));
	}
	return output_json(stdout, doc) < 0 ? EXIT_FAIL : EXIT_OK;
}

static int
candidates_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry *e = ctx->entry;
	const char *verb = strrchr(e->name, ' ') + 1;
	struct cand_outcome o;
	struct cand_args a;
	struct cand_list l;
	enum triage_result r;
	int rc;

	(void)argv[0];
	cmd_json_context("action", json_string(verb));
	memset(&a, 0, sizeof a);
	a.page.limit = LIST_DEFAULT;
	a.page.ids_max = CAND_IDS_DEFAULT;
	a.except = xcalloc(EXCEPT_MAX, sizeof *a.except);
	if ((rc = cand_parse(ctx, e, &a, argc, argv, verb)) != EXIT_OK)
		goto done;
	if ((rc = cmd_connect(ctx, strcmp(verb, "list") != 0)) != EXIT_OK)
		goto done;
	if (strcmp(verb, "list") == 0) {
		if (candidates_list(&ctx->db, &a.page, &l) < 0) {
			rc = cmd_db_failure(ctx);
			goto done;
		}
		rc = list_print(ctx, &l, &a.page);
		cand_list_free(&l);
		goto done;
	}
	if (strcmp(verb, "accept") == 0)
		r = candidates_accept(&ctx->db, &ctx->me, a.key, a.except, a.nexcept,
		    a.title, &o);
	else
		r = candidates_dismiss(&ctx->db, &ctx->me, a.key, a.secs, a.reason, &o);
	if (r == TRIAGE_OK)
		rc = act_print(ctx, verb, &o);
	else if (r == TRIAGE_USAGE)
		rc = cmd_usage_error(e, "%s", o.message);
	else
		rc = cmd_error(cmd_result_exit(r), "%s", o.message);
done:
	free(a.except);
	return rc;
}
