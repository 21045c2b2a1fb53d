/* check_severity.c: the incident severity classifier (core/severity.c),
 * table-driven: each case is a set of alerts and counts, the severity it
 * must give, the rule that sets the start, and the factors that move it
 * ("scope+1 campaign+1 cap-1"), in order. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "severity.h"
#include "strbuf.h"

#define T0	1796000000LL	/* a fixed first_seen */

/* The shipped policy of sql/005_severity.sql, written out: the cases
 * below are about the computation, not about the data tables (the
 * integration test tests/integration/severity.sh runs on those). */
static void
policy_default(struct severity_policy *p)
{
	static const int matrix[IMPACT__COUNT][FEAS__COUNT] = {
		/* very_low low medium high */
		{ 1, 1, 1, 1 },		/* negligible */
		{ 1, 2, 2, 3 },		/* moderate */
		{ 1, 2, 3, 4 },		/* major */
		{ 2, 3, 4, 5 },		/* severe */
	};
	static const int scope[SCOPE__COUNT] = { 0, 0, 1, 1, 2 };
	static const int crit[6] = { 0, -1, 0, 0, 0, 1 };

	memset(p, 0, sizeof *p);
	memcpy(p->matrix, matrix, sizeof matrix);
	memcpy(p->scope_adjust, scope, sizeof scope);
	memcpy(p->criticality_adjust, crit, sizeof crit);
	p->fleet_share = 0.10;
	p->fleet_min_units = 10;
	p->campaign_window_s = 3600;
	p->campaign_min_units = 10;
	p->campaign_adjust = 1;
	p->many_assets = 10;
	p->many_assets_adjust = 1;
	p->fp_majority_share = 0.5;
	p->fp_majority_adjust = -1;
	p->fp_all_adjust = -3;
	p->max_raise = 2;
}

#define N IMPACT_NEGLIGIBLE
#define MO IMPACT_MODERATE
#define MA IMPACT_MAJOR
#define S IMPACT_SEVERE

/* Ratings as in the migration for the real rules, plus made-up ones. */
static const struct severity_rating ratings[] = {
	{ "R7",  { S, S, S, MA }, FEAS_HIGH },		/* risk 5 */
	{ "R1",  { N, MA, MA, MO }, FEAS_HIGH },	/* 4 */
	{ "R5",  { N, MA, MO, N }, FEAS_MEDIUM },	/* 3 */
	{ "R14", { N, N, MO, N }, FEAS_HIGH },		/* 3 */
	{ "A1",  { MO, MA, N, MA }, FEAS_HIGH },	/* 4 */
	{ "LOW", { N, N, N, N }, FEAS_HIGH },		/* 1 */
	{ "LOWB", { N, N, N, N }, FEAS_HIGH },		/* 1 */
	{ "VL",  { S, S, S, S }, FEAS_VERY_LOW },	/* 2 */
	{ "MODL", { MO, N, N, N }, FEAS_LOW },		/* 2 */
	{ "MODM", { N, MO, N, N }, FEAS_MEDIUM },	/* 2 */
	{ "TIEA", { MA, N, N, N }, FEAS_HIGH },		/* 4 */
	{ "TIEB", { N, MA, N, N }, FEAS_HIGH },		/* 4 */
	{ "TWO", { S, S, MO, N }, FEAS_MEDIUM },	/* 4: safety and financial */
};

#undef N
#undef MO
#undef MA
#undef S

static const struct severity_rating *
rating_of(const char *rule)
{
	size_t i;

	for (i = 0; i < sizeof ratings / sizeof ratings[0]; i++)
		if (strcmp(ratings[i].rule, rule) == 0)
			return &ratings[i];
	return NULL;	/* unrated */
}

/* n alerts of a rule: unit u0 + i * ustep, first_seen T0 + i * tstep. */
struct group {
	const char	*rule;
	int		 n;
	long long	 u0, ustep;
	long		 tstep;
	int		 sev;		/* the alerts' own severity */
};

struct tcase {
	const char	*name;
	struct group	 g[3];
	long		 assets, stations, sites, vehicles, users;
	long		 fleet_stations, fleet_vehicles, fleet_users;
	bool		 station_wide, site_wide;
	int		 crit;
	long		 fp;
	int		 max_raise;	/* -1: the default */
	int		 want;		/* severity */
	const char	*start;		/* the rule that sets the start */
	const char	*factors;
};

#define FLEET 200, 500, 1000

static const struct tcase cases[] = {
	/* --- the start ------------------------------------------------------- */
	{ "no alerts: nothing to compute", { { 0 } }, 0, 0, 0, 0, 0, FLEET,
	  false, false, 0, 0, -1, 0, NULL, "" },
	{ "info: negligible impact on one vehicle", { { "LOW", 1, 1, 0, 0, 3 } },
	  1, 0, 0, 1, 0, FLEET, false, false, 3, 0, -1, 1, "LOW", "" },
	{ "one connector: the matrix alone", { { "R14", 1, 1, 0, 0, 3 } },
	  1, 1, 1, 0, 0, FLEET, false, false, 3, 0, -1, 3, "R14", "" },
	{ "very low feasibility keeps severe impact low", { { "VL", 1, 1, 0, 0, 5 } },
	  1, 1, 1, 0, 0, FLEET, false, false, 3, 0, -1, 2, "VL", "" },
	{ "highest risk among the alerts sets the start",
	  { { "R14", 5, 1, 0, 60, 3 }, { "R7", 1, 1, 0, 0, 5 }, { "LOW", 2, 1, 0, 0, 1 } },
	  1, 1, 1, 0, 0, FLEET, true, false, 3, 0, -1, 5, "R7", "" },
	{ "unrated rule: the alert's own severity", { { "NEW", 1, 1, 0, 0, 4 } },
	  1, 1, 1, 0, 0, FLEET, true, false, 3, 0, -1, 4, "NEW", "" },
	{ "tie: rated beats unrated at the same risk",
	  { { "NEW", 1, 1, 0, 0, 4 }, { "R1", 1, 1, 0, 0, 4 } },
	  1, 1, 1, 0, 0, FLEET, true, false, 3, 0, -1, 4, "R1", "" },
	{ "tie: same risk, the worse impact wins",
	  { { "R14", 1, 1, 0, 0, 3 }, { "R5", 1, 1, 0, 0, 3 } },
	  1, 1, 1, 0, 0, FLEET, true, false, 3, 0, -1, 3, "R5", "" },
	{ "tie: same risk and impact, the higher feasibility wins",
	  { { "MODL", 1, 1, 0, 0, 2 }, { "MODM", 1, 1, 0, 0, 2 } },
	  1, 1, 1, 0, 0, FLEET, true, false, 3, 0, -1, 2, "MODM", "" },
	{ "tie: all equal, the rule id decides whatever the order",
	  { { "TIEB", 1, 1, 0, 0, 4 }, { "TIEA", 1, 1, 0, 0, 4 } },
	  1, 1, 1, 0, 0, FLEET, true, false, 3, 0, -1, 4, "TIEA", "" },

	/* --- scope ------------------------------------------------------------- */
	{ "one station", { { "R14", 1, 1, 0, 0, 3 } },
	  1, 1, 1, 0, 0, FLEET, true, false, 3, 0, -1, 3, "R14", "" },
	{ "a station and its connector are one station",
	  { { "R14", 2, 1, 0, 60, 3 } },
	  2, 1, 1, 0, 0, FLEET, false, false, 3, 0, -1, 3, "R14", "" },
	{ "several stations of one site", { { "R14", 3, 1, 1, 600, 3 } },
	  3, 3, 1, 0, 0, FLEET, true, false, 3, 0, -1, 4, "R14", "scope+1" },
	{ "a site as a whole", { { "R14", 1, 1, 0, 0, 3 } },
	  1, 0, 1, 0, 0, FLEET, false, true, 3, 0, -1, 4, "R14", "scope+1" },
	{ "stations at several sites", { { "R14", 4, 1, 1, 7200, 3 } },
	  4, 4, 2, 0, 0, FLEET, true, false, 3, 0, -1, 4, "R14", "scope+1" },
	{ "a large share below the minimum count is not the fleet",
	  { { "R14", 9, 1, 1, 7200, 3 } },
	  9, 9, 1, 0, 0, 20, 500, 1000, true, false, 3, 0, -1, 4, "R14", "scope+1" },
	{ "a share of the fleet's vehicles", { { "A1", 60, 1, 1, 7200, 4 } },
	  60, 0, 0, 60, 0, FLEET, false, false, 3, 0, -1, 5, "A1",
	  "scope+2 assets+1 cap-1 bounds-1" },
	{ "a share of the fleet's app users", { { "LOW", 120, 1, 1, 7200, 2 } },
	  120, 0, 0, 0, 120, FLEET, false, false, 3, 0, -1, 3, "LOW",
	  "scope+2 assets+1 cap-1" },
	{ "many vehicles, a small share: only the asset count",
	  { { "R1", 12, 1, 1, 7200, 4 } },
	  12, 0, 0, 12, 0, 200, 5000, 1000, false, false, 3, 0, -1, 5, "R1", "assets+1" },

	/* --- campaign: the same rule on many units within the window ---------- */
	{ "fleet-wide campaign: one rule on 40 stations within an hour",
	  { { "R14", 40, 1, 1, 60, 3 } },
	  40, 40, 3, 0, 0, FLEET, true, false, 3, 0, -1, 5, "R14",
	  "scope+2 campaign+1 assets+1 cap-2" },
	{ "the same spread over days: a share, no campaign",
	  { { "R14", 40, 1, 1, 7200, 3 } },
	  40, 40, 3, 0, 0, FLEET, true, false, 3, 0, -1, 5, "R14",
	  "scope+2 assets+1 cap-1" },
	{ "campaign raises a low rule on vehicles", { { "LOW", 12, 1, 1, 60, 1 } },
	  12, 0, 0, 12, 0, 200, 5000, 1000, false, false, 3, 0, -1, 3, "LOW",
	  "campaign+1 assets+1" },
	{ "campaign window: ten units exactly one hour apart count",
	  { { "LOW", 10, 1, 1, 400, 1 } },
	  10, 0, 0, 10, 0, 200, 5000, 1000, false, false, 3, 0, -1, 3, "LOW",
	  "campaign+1 assets+1" },
	{ "campaign window: one second more and they do not",
	  { { "LOW", 10, 1, 1, 401, 1 } },
	  10, 0, 0, 10, 0, 200, 5000, 1000, false, false, 3, 0, -1, 2, "LOW",
	  "assets+1" },
	{ "campaign counts units, not alerts", { { "LOW", 30, 1, 0, 10, 1 } },
	  1, 0, 0, 1, 0, FLEET, false, false, 3, 0, -1, 1, "LOW", "" },
	{ "campaign is per rule", { { "LOW", 6, 1, 1, 60, 1 }, { "LOWB", 6, 7, 1, 60, 1 } },
	  12, 0, 0, 12, 0, 200, 5000, 1000, false, false, 3, 0, -1, 2, "LOW", "assets+1" },

	/* --- criticality --------------------------------------------------------- */
	{ "criticality 5 raises", { { "R5", 1, 1, 0, 0, 3 } },
	  1, 1, 1, 0, 0, FLEET, true, false, 5, 0, -1, 4, "R5", "criticality+1" },
	{ "criticality 4 does not", { { "R5", 1, 1, 0, 0, 3 } },
	  1, 1, 1, 0, 0, FLEET, true, false, 4, 0, -1, 3, "R5", "" },
	{ "criticality 1 lowers", { { "R5", 1, 1, 0, 0, 3 } },
	  1, 1, 1, 0, 0, FLEET, true, false, 1, 0, -1, 2, "R5", "criticality-1" },
	{ "criticality lowers a raise before the cap",
	  { { "R14", 40, 1, 1, 60, 3 } },
	  40, 40, 3, 0, 0, FLEET, true, false, 1, 0, -1, 5, "R14",
	  "scope+2 campaign+1 criticality-1 assets+1 cap-1" },

	/* --- confidence ---------------------------------------------------------- */
	{ "every alert a false positive lowers it", { { "R7", 1, 1, 0, 0, 5 } },
	  1, 1, 1, 0, 0, FLEET, true, false, 3, 1, -1, 2, "R7", "confidence-3" },
	{ "half of them false positive lowers it a level", { { "R7", 4, 1, 0, 60, 5 } },
	  1, 1, 1, 0, 0, FLEET, true, false, 3, 2, -1, 4, "R7", "confidence-1" },
	{ "a few false positives do not", { { "R7", 4, 1, 0, 60, 5 } },
	  1, 1, 1, 0, 0, FLEET, true, false, 3, 1, -1, 5, "R7", "" },
	{ "a false-positive campaign ends low",
	  { { "R14", 40, 1, 1, 60, 3 } },
	  40, 40, 3, 0, 0, FLEET, true, false, 3, 40, -1, 2, "R14",
	  "scope+2 campaign+1 assets+1 cap-2 confidence-3" },

	/* --- bounds and the cap ---------------------------------------------------- */
	{ "never above critical", { { "R7", 3, 1, 1, 60, 5 } },
	  3, 3, 1, 0, 0, FLEET, true, false, 3, 0, -1, 5, "R7", "scope+1 bounds-1" },
	{ "never below info", { { "LOW", 1, 1, 0, 0, 1 } },
	  1, 1, 1, 0, 0, FLEET, true, false, 3, 1, -1, 1, "LOW", "confidence-3 bounds+3" },
	{ "max_raise 0 holds every raise", { { "R14", 40, 1, 1, 60, 3 } },
	  40, 40, 3, 0, 0, FLEET, true, false, 5, 0, 0, 3, "R14",
	  "scope+2 campaign+1 criticality+1 assets+1 cap-5" },
};
#define NCASES ((int)(sizeof cases / sizeof cases[0]))

/* Build the input of a case; alerts are malloc'ed (caller frees). */
static struct severity_alert *
case_input(const struct tcase *c, struct severity_policy *p, struct severity_input *in)
{
	struct severity_alert *a;
	size_t n = 0, k;
	int g, i;

	for (g = 0; g < 3 && c->g[g].rule != NULL; g++)
		n += (size_t)c->g[g].n;
	a = calloc(n + 1, sizeof *a);
	ck_assert_ptr_nonnull(a);
	for (k = 0, g = 0; g < 3 && c->g[g].rule != NULL; g++)
		for (i = 0; i < c->g[g].n; i++, k++) {
			a[k].rule = c->g[g].rule;
			a[k].rating = rating_of(c->g[g].rule);
			a[k].alert_severity = c->g[g].sev;
			a[k].unit = c->g[g].u0 + i * c->g[g].ustep;
			a[k].first_seen = T0 + (long long)i * c->g[g].tstep;
		}
	policy_default(p);
	if (c->max_raise >= 0)
		p->max_raise = c->max_raise;
	memset(in, 0, sizeof *in);
	in->alerts = a;
	in->nalerts = n;
	in->assets = c->assets;
	in->stations = c->stations;
	in->sites = c->sites;
	in->affected[UNIT_STATIONS] = c->stations;
	in->affected[UNIT_VEHICLES] = c->vehicles;
	in->affected[UNIT_APP_USERS] = c->users;
	in->fleet[UNIT_STATIONS] = c->fleet_stations;
	in->fleet[UNIT_VEHICLES] = c->fleet_vehicles;
	in->fleet[UNIT_APP_USERS] = c->fleet_users;
	in->station_wide = c->station_wide;
	in->site_wide = c->site_wide;
	in->max_criticality = c->crit;
	in->false_positives = c->fp;
	in->policy = p;
	return a;
}

START_TEST(test_case)
{
	const struct tcase *c = &cases[_i];
	struct severity_policy p;
	struct severity_input in;
	struct severity_result r;
	struct severity_alert *a;
	struct strbuf got;
	size_t i;
	int sum;

	a = case_input(c, &p, &in);
	severity_compute(&in, &r);
	strbuf_init(&got);
	for (i = 0; i < r.nfactors; i++)
		strbuf_appendf(&got, "%s%s%+d", i ? " " : "", r.factors[i].name,
		    r.factors[i].adjust);
	ck_assert_msg(r.severity == c->want, "%s: severity %d, expected %d (%s; %s)",
	    c->name, r.severity, c->want, r.start_text, got.buf);
	ck_assert_msg(strcmp(got.buf, c->factors) == 0, "%s: factors '%s', expected '%s'",
	    c->name, got.buf, c->factors);
	if (c->start != NULL)
		ck_assert_msg(strcmp(r.rule, c->start) == 0, "%s: start from %s, expected %s",
		    c->name, r.rule, c->start);
	/* The explanation adds up: start plus every line's adjustment. */
	if (r.severity != 0) {
		for (sum = r.start, i = 0; i < r.nfactors; i++)
			sum += r.factors[i].adjust;
		ck_assert_msg(sum == r.severity, "%s: lines add up to %d, not %d", c->name,
		    sum, r.severity);
	}
	strbuf_free(&got);
	free(a);
}
END_TEST

/* The fleet-wide campaign, against the same rule on one station: scope
 * and severity both rise, and the lines say why. */
START_TEST(test_campaign_raises)
{
	struct severity_policy p;
	struct severity_input in;
	struct severity_result one, fleet;
	struct severity_alert *a;
	int ci, ki;

	for (ci = 0; strcmp(cases[ci].name, "one station") != 0; ci++)
		;
	for (ki = 0; strncmp(cases[ki].name, "fleet-wide campaign", 19) != 0; ki++)
		;
	a = case_input(&cases[ci], &p, &in);
	severity_compute(&in, &one);
	free(a);
	a = case_input(&cases[ki], &p, &in);
	severity_compute(&in, &fleet);
	free(a);
	ck_assert_int_eq(one.scope, SCOPE_STATION);
	ck_assert_int_eq(fleet.scope, SCOPE_FLEET);
	ck_assert_int_gt(fleet.severity, one.severity);
	ck_assert_int_eq(fleet.campaign_units, 40);
	ck_assert_str_eq(fleet.campaign_rule, "R14");
	ck_assert_ptr_nonnull(strstr(fleet.factors[0].text, "20% of the fleet's stations (40 of 200)"));
	ck_assert_ptr_nonnull(strstr(fleet.factors[1].text, "rule R14 on 40"));
}
END_TEST

/* Worst category named, every category at that impact listed. */
START_TEST(test_start_text)
{
	struct severity_policy p;
	struct severity_input in;
	struct severity_result r;
	struct severity_alert a = { "TWO", NULL, 4, T0, 1 };

	a.rating = rating_of("TWO");
	policy_default(&p);
	memset(&in, 0, sizeof in);
	in.alerts = &a;
	in.nalerts = 1;
	in.assets = 1;
	in.policy = &p;
	severity_compute(&in, &r);
	ck_assert_int_eq(r.severity, 4);
	ck_assert_int_eq(r.impact, IMPACT_SEVERE);
	ck_assert_uint_eq(r.categories, (1u << CAT_SAFETY) | (1u << CAT_FINANCIAL));
	ck_assert_str_eq(r.start_text, "start: high (risk 4): rule TWO, impact severe"
	    " (safety, financial) x feasibility medium");
}
END_TEST

/* The stored explanation: one line per factor plus the start. */
START_TEST(test_json)
{
	struct severity_policy p;
	struct severity_input in;
	struct severity_result r;
	struct severity_alert *a;
	json_t *doc;
	int ki;

	for (ki = 0; strncmp(cases[ki].name, "fleet-wide campaign", 19) != 0; ki++)
		;
	a = case_input(&cases[ki], &p, &in);
	severity_compute(&in, &r);
	doc = severity_result_json(&r, &in);
	ck_assert_str_eq(json_string_value(json_object_get(doc, "severity")), "critical");
	ck_assert_str_eq(json_string_value(json_object_get(doc, "scope")), "fleet");
	ck_assert_int_eq(json_array_size(json_object_get(doc, "lines")), 1 + r.nfactors);
	ck_assert_int_eq(json_array_size(json_object_get(doc, "factors")), r.nfactors);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(doc, "counts"),
	    "campaign_units")), 40);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(doc, "start"),
	    "rule")), "R14");
	json_decref(doc);
	free(a);
}
END_TEST

START_TEST(test_names)
{
	int i;

	for (i = 0; i < IMPACT__COUNT; i++)
		ck_assert_int_eq(sev_impact_parse(sev_impact_name(i)), i);
	for (i = 0; i < FEAS__COUNT; i++)
		ck_assert_int_eq(sev_feasibility_parse(sev_feasibility_name(i)), i);
	for (i = 0; i < SCOPE__COUNT; i++)
		ck_assert_int_eq(sev_scope_parse(sev_scope_name(i)), i);
	ck_assert_int_eq(sev_impact_parse("Severe"), -1);
	ck_assert_int_eq(sev_feasibility_parse("very low"), -1);
	ck_assert_int_eq(sev_scope_parse(NULL), -1);
	ck_assert_str_eq(sev_category_name(CAT_PRIVACY), "privacy");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("severity");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, test_case, 0, NCASES);
	tcase_add_test(tc, test_campaign_raises);
	tcase_add_test(tc, test_start_text);
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
