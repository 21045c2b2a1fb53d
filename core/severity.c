/* severity.c: an incident's severity from its alerts, explained (see
 * severity.h for the steps).  No database, no I/O: table-driven tests call
 * it directly (tests/unit/check_severity.c). */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "severity.h"
#include "strbuf.h"

static const char *const impact_names[IMPACT__COUNT] = {
	"negligible", "moderate", "major", "severe"
};
static const char *const feasibility_names[FEAS__COUNT] = {
	"very_low", "low", "medium", "high"
};
static const char *const category_names[CAT__COUNT] = {
	"safety", "financial", "operational", "privacy"
};
static const char *const scope_names[SCOPE__COUNT] = {
	"asset", "station", "site", "sites", "fleet"
};
static const char *const unit_names[UNIT__COUNT] = {
	"stations", "vehicles", "app users"
};

const char *
sev_impact_name(enum sev_impact i)
{
	return (unsigned)i < IMPACT__COUNT ? impact_names[i] : "?";
}

const char *
sev_feasibility_name(enum sev_feasibility f)
{
	return (unsigned)f < FEAS__COUNT ? feasibility_names[f] : "?";
}

const char *
sev_category_name(enum sev_category c)
{
	return (unsigned)c < CAT__COUNT ? category_names[c] : "?";
}

const char *
sev_scope_name(enum sev_scope s)
{
	return (unsigned)s < SCOPE__COUNT ? scope_names[s] : "?";
}

static int
name_index(const char *const *names, int n, const char *s)
{
	int i;

	for (i = 0; s != NULL && i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

int
sev_impact_parse(const char *s)
{
	return name_index(impact_names, IMPACT__COUNT, s);
}

int
sev_feasibility_parse(const char *s)
{
	return name_index(feasibility_names, FEAS__COUNT, s);
}

int
sev_scope_parse(const char *s)
{
	return name_index(scope_names, SCOPE__COUNT, s);
}

static int
clamp_rank(int v)
{
	return v < 1 ? 1 : v > 5 ? 5 : v;
}

static void
add_factor(struct severity_result *r, const char *name, int adjust, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
add_factor(struct severity_result *r, const char *name, int adjust, const char *fmt, ...)
{
	struct severity_factor *f;
	va_list ap;

	if (adjust == 0 || r->nfactors >= SEVERITY_FACTORS_MAX)
		return;
	f = &r->factors[r->nfactors++];
	f->name = name;
	f->adjust = adjust;
	va_start(ap, fmt);
	vsnprintf(f->text, sizeof f->text, fmt, ap);
	va_end(ap);
}

/* --- the start: the highest risk ------------------------------------------- */

struct candidate {
	int			 risk;
	enum sev_impact		 impact;
	enum sev_feasibility	 feasibility;
	bool			 rated;
	const char		*rule;
};

static void
alert_candidate(const struct severity_policy *p, const struct severity_alert *a,
    struct candidate *c)
{
	const struct severity_rating *rt = a->rating;
	int k;

	c->rule = a->rule != NULL ? a->rule : (rt != NULL ? rt->rule : "?");
	c->rated = rt != NULL;
	if (rt == NULL) {
		/* Without ratings the detection's own judgement stands. */
		c->risk = clamp_rank(a->alert_severity);
		c->impact = IMPACT_NEGLIGIBLE;
		c->feasibility = FEAS_VERY_LOW;
		return;
	}
	c->impact = IMPACT_NEGLIGIBLE;
	for (k = 0; k < CAT__COUNT; k++)
		if ((unsigned)rt->impact[k] < IMPACT__COUNT && rt->impact[k] > c->impact)
			c->impact = rt->impact[k];
	c->feasibility = (unsigned)rt->feasibility < FEAS__COUNT ? rt->feasibility : FEAS_MEDIUM;
	c->risk = clamp_rank(p->matrix[c->impact][c->feasibility]);
}

/* True when a should set the start rather than b. */
static bool
candidate_better(const struct candidate *a, const struct candidate *b)
{
	if (a->risk != b->risk)
		return a->risk > b->risk;
	if (a->rated != b->rated)
		return a->rated;
	if (a->impact != b->impact)
		return a->impact > b->impact;
	if (a->feasibility != b->feasibility)
		return a->feasibility > b->feasibility;
	return strcmp(a->rule, b->rule) < 0;
}

static void
compute_start(const struct severity_input *in, struct severity_result *r)
{
	const struct severity_alert *best_alert = NULL;
	struct candidate best, c;
	struct strbuf cats;
	size_t i;
	int k;

	memset(&best, 0, sizeof best);
	for (i = 0; i < in->nalerts; i++) {
		alert_candidate(in->policy, &in->alerts[i], &c);
		if (best_alert == NULL || candidate_better(&c, &best)) {
			best = c;
			best_alert = &in->alerts[i];
		}
	}
	r->start = best.risk;
	r->rated = best.rated;
	r->impact = best.impact;
	r->feasibility = best.feasibility;
	snprintf(r->rule, sizeof r->rule, "%s", best.rule);
	if (!best.rated) {
		snprintf(r->start_text, sizeof r->start_text, "start: %s (risk %d): rule %s"
		    " has no ratings, its alert's severity stands", severity_name(r->start),
		    r->start, r->rule);
		return;
	}
	strbuf_init(&cats);
	for (k = 0; k < CAT__COUNT; k++) {
		if (best_alert->rating->impact[k] != best.impact)
			continue;
		r->categories |= 1u << k;
		strbuf_appendf(&cats, "%s%s", cats.len ? ", " : "", category_names[k]);
	}
	snprintf(r->start_text, sizeof r->start_text, "start: %s (risk %d): rule %s,"
	    " impact %s (%s) x feasibility %s", severity_name(r->start), r->start,
	    r->rule, impact_names[best.impact], cats.buf,
	    feasibility_names[best.feasibility]);
	strbuf_free(&cats);
}

/* --- scope ------------------------------------------------------------------- */

static enum sev_scope
compute_scope(const struct severity_input *in, struct strbuf *why)
{
	const struct severity_policy *p = in->policy;
	double best_share = -1;
	int k, best = -1;

	/* A share of the fleet: of any kind the fleet counts, the largest. */
	for (k = 0; k < UNIT__COUNT; k++) {
		double share;

		if (in->fleet[k] <= 0 || in->affected[k] < p->fleet_min_units)
			continue;
		share = (double)in->affected[k] / (double)in->fleet[k];
		if (share >= p->fleet_share && share > best_share) {
			best_share = share;
			best = k;
		}
	}
	if (best >= 0) {
		strbuf_appendf(why, "%.0f%% of the fleet's %s (%ld of %ld)",
		    best_share * 100.0, unit_names[best], in->affected[best], in->fleet[best]);
		return SCOPE_FLEET;
	}
	if (in->sites >= 2) {
		strbuf_appendf(why, "%ld stations at %ld sites", in->stations, in->sites);
		return SCOPE_SITES;
	}
	if (in->stations >= 2 || in->site_wide) {
		if (in->stations >= 2)
			strbuf_appendf(why, "%ld stations of one site", in->stations);
		else
			strbuf_append(why, "a site as a whole");
		return SCOPE_SITE;
	}
	if (in->stations == 1 && (in->station_wide || in->assets >= 2)) {
		strbuf_append(why, "one station");
		return SCOPE_STATION;
	}
	strbuf_appendf(why, "%s", in->assets <= 1 ? "one asset" : "assets outside any station");
	return SCOPE_ASSET;
}

/* --- campaign: one rule, many units, one window --------------------------- */

static int
by_rule_time(const void *a, const void *b)
{
	const struct severity_alert *x = *(const struct severity_alert *const *)a;
	const struct severity_alert *y = *(const struct severity_alert *const *)b;
	int c = strcmp(x->rule != NULL ? x->rule : "", y->rule != NULL ? y->rule : "");

	if (c != 0)
		return c;
	return (x->first_seen > y->first_seen) - (x->first_seen < y->first_seen);
}

/* Units counted in the window: open addressing, never deleted (a count
 * back to 0 is simply not distinct any more). */
struct unit_slot {
	long long	 unit;
	long		 n;
	bool		 used;
};

static long *
unit_count(struct unit_slot *tab, size_t mask, long long unit)
{
	size_t h = (size_t)((uint64_t)unit * 0x9e3779b97f4a7c15ULL >> 7) & mask;

	while (tab[h].used && tab[h].unit != unit)
		h = (h + 1) & mask;
	if (!tab[h].used) {
		tab[h].used = true;
		tab[h].unit = unit;
		tab[h].n = 0;
	}
	return &tab[h].n;
}

/* The most distinct units one rule hit within window_s (first_seen at most
 * window_s apart): a sliding window over each rule's alerts by time. */
static void
compute_campaign(const struct severity_input *in, struct severity_result *r)
{
	const struct severity_alert **v;
	struct unit_slot *tab;
	size_t i, g, cap = 1;

	r->campaign_units = 0;
	if (in->nalerts == 0)
		return;
	v = xcalloc(in->nalerts, sizeof *v);
	for (i = 0; i < in->nalerts; i++)
		v[i] = &in->alerts[i];
	if (in->nalerts > 1)
		qsort(v, in->nalerts, sizeof *v, by_rule_time);
	while (cap < 2 * in->nalerts)
		cap <<= 1;
	tab = xcalloc(cap, sizeof *tab);
	for (g = 0; g < in->nalerts; ) {
		size_t end = g, left, j, gcap = 1;
		long distinct = 0;

		while (end < in->nalerts && strcmp(v[g]->rule ? v[g]->rule : "",
		    v[end]->rule ? v[end]->rule : "") == 0)
			end++;
		while (gcap < 2 * (end - g))
			gcap <<= 1;
		memset(tab, 0, gcap * sizeof *tab);
		for (left = g, j = g; j < end; j++) {
			long *n = unit_count(tab, gcap - 1, v[j]->unit);

			if ((*n)++ == 0)
				distinct++;
			while (v[j]->first_seen - v[left]->first_seen > in->policy->campaign_window_s) {
				n = unit_count(tab, gcap - 1, v[left]->unit);
				if (--(*n) == 0)
					distinct--;
				left++;
			}
			if (distinct > r->campaign_units) {
				r->campaign_units = distinct;
				snprintf(r->campaign_rule, sizeof r->campaign_rule, "%s",
				    v[g]->rule ? v[g]->rule : "?");
			}
		}
		g = end;
	}
	free(tab);
	free(v);
}

/* --- the whole ---------------------------------------------------------------- */

void
severity_compute(const struct severity_input *in, struct severity_result *r)
{
	const struct severity_policy *p = in->policy;
	struct strbuf why;
	int raise = 0, adj, sev;

	memset(r, 0, sizeof *r);
	if (in->nalerts == 0) {
		snprintf(r->start_text, sizeof r->start_text,
		    "no alerts: nothing to compute");
		return;
	}
	compute_start(in, r);

	strbuf_init(&why);
	r->scope = compute_scope(in, &why);
	adj = p->scope_adjust[r->scope];
	add_factor(r, "scope", adj, "scope: %s: %s", sev_scope_name(r->scope), why.buf);
	raise += adj;
	strbuf_free(&why);

	compute_campaign(in, r);
	if (p->campaign_min_units > 0 && r->campaign_units >= p->campaign_min_units) {
		adj = p->campaign_adjust;
		add_factor(r, "campaign", adj, "campaign: rule %s on %ld stations, vehicles"
		    " or accounts within %ld min", r->campaign_rule, r->campaign_units,
		    p->campaign_window_s / 60);
		raise += adj;
	}

	if (in->max_criticality >= 1 && in->max_criticality <= 5) {
		adj = p->criticality_adjust[in->max_criticality];
		add_factor(r, "criticality", adj, "criticality: the most critical asset"
		    " is rated %d of 5", in->max_criticality);
		raise += adj;
	}

	if (p->many_assets > 0 && in->assets >= p->many_assets) {
		adj = p->many_assets_adjust;
		add_factor(r, "assets", adj, "assets: %ld distinct assets (%ld or more)",
		    in->assets, p->many_assets);
		raise += adj;
	}

	/* Breadth adds up quickly (a fleet campaign is also many assets):
	 * together it raises at most max_raise levels. */
	if (raise > p->max_raise) {
		add_factor(r, "cap", p->max_raise - raise, "cap: scope, campaign,"
		    " criticality and assets raise at most %d level%s", p->max_raise,
		    p->max_raise == 1 ? "" : "s");
		raise = p->max_raise;
	}
	sev = r->start + raise;

	if (in->false_positives > 0 && (size_t)in->false_positives >= in->nalerts) {
		adj = p->fp_all_adjust;
		add_factor(r, "confidence", adj, "confidence: every alert (%zu) closed as"
		    " false positive", in->nalerts);
		sev += adj;
	} else if (in->false_positives > 0 &&
	    (double)in->false_positives >= p->fp_majority_share * (double)in->nalerts) {
		adj = p->fp_majority_adjust;
		add_factor(r, "confidence", adj, "confidence: %ld of %zu alerts closed as"
		    " false positive", in->false_positives, in->nalerts);
		sev += adj;
	}

	if (sev != clamp_rank(sev))
		add_factor(r, "bounds", clamp_rank(sev) - sev, "bounds: %s is the %s",
		    severity_name(clamp_rank(sev)), sev > 5 ? "highest" : "lowest");
	r->severity = clamp_rank(sev);
}

json_t *
severity_result_json(const struct severity_result *r, const struct severity_input *in)
{
	json_t *doc, *start, *factors, *lines, *counts, *cats;
	size_t i;
	int k;

	doc = json_object();
	json_object_set_new(doc, "severity", r->severity ? json_string(severity_name(r->severity))
	    : json_null());
	start = json_object();
	json_object_set_new(start, "risk", json_integer(r->start));
	json_object_set_new(start, "rule", r->severity ? json_string(r->rule) : json_null());
	json_object_set_new(start, "rated", json_boolean(r->rated));
	if (r->rated) {
		json_object_set_new(start, "impact", json_string(impact_names[r->impact]));
		cats = json_array();
		for (k = 0; k < CAT__COUNT; k++)
			if (r->categories & (1u << k))
				json_array_append_new(cats, json_string(category_names[k]));
		json_object_set_new(start, "categories", cats);
		json_object_set_new(start, "feasibility",
		    json_string(feasibility_names[r->feasibility]));
	}
	json_object_set_new(doc, "start", start);
	json_object_set_new(doc, "scope", r->severity ? json_string(sev_scope_name(r->scope))
	    : json_null());
	factors = json_array();
	lines = json_array();
	json_array_append_new(lines, json_string(r->start_text));
	for (i = 0; i < r->nfactors; i++) {
		json_array_append_new(factors, json_pack("{s:s, s:i, s:s}", "factor",
		    r->factors[i].name, "adjust", r->factors[i].adjust, "text",
		    r->factors[i].text));
		json_array_append_new(lines, json_string(r->factors[i].text));
	}
	json_object_set_new(doc, "factors", factors);
	json_object_set_new(doc, "lines", lines);
	counts = json_object();
	json_object_set_new(counts, "alerts", json_integer((json_int_t)in->nalerts));
	json_object_set_new(counts, "false_positives", json_integer(in->false_positives));
	json_object_set_new(counts, "assets", json_integer(in->assets));
	json_object_set_new(counts, "stations", json_integer(in->stations));
	json_object_set_new(counts, "sites", json_integer(in->sites));
	json_object_set_new(counts, "vehicles", json_integer(in->affected[UNIT_VEHICLES]));
	json_object_set_new(counts, "app_users", json_integer(in->affected[UNIT_APP_USERS]));
	json_object_set_new(counts, "max_criticality", json_integer(in->max_criticality));
	json_object_set_new(counts, "campaign_units", json_integer(r->campaign_units));
	json_object_set_new(doc, "counts", counts);
	return doc;
}
