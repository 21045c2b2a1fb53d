/* severity_db.c: an incident's severity, loaded, computed and stored (see
 * severity_db.h).  Every statement goes through db_query()/db_command()
 * with $n parameters. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "severity_db.h"
#include "strbuf.h"

/* --- the policy -------------------------------------------------------------- */

/* severity_params rows and where they go; a whole number of minutes is
 * turned into seconds. */
enum param_kind { P_DOUBLE, P_LONG, P_INT, P_MINUTES };

static const struct {
	const char	*name;
	enum param_kind	 kind;
	size_t		 off;
} params[] = {
	{ "fleet_share", P_DOUBLE, offsetof(struct severity_policy, fleet_share) },
	{ "fleet_min_units", P_LONG, offsetof(struct severity_policy, fleet_min_units) },
	{ "campaign_window_minutes", P_MINUTES,
	  offsetof(struct severity_policy, campaign_window_s) },
	{ "campaign_min_units", P_LONG, offsetof(struct severity_policy, campaign_min_units) },
	{ "campaign_adjustment", P_INT, offsetof(struct severity_policy, campaign_adjust) },
	{ "many_assets", P_LONG, offsetof(struct severity_policy, many_assets) },
	{ "many_assets_adjustment", P_INT,
	  offsetof(struct severity_policy, many_assets_adjust) },
	{ "fp_majority_share", P_DOUBLE, offsetof(struct severity_policy, fp_majority_share) },
	{ "fp_majority_adjustment", P_INT,
	  offsetof(struct severity_policy, fp_majority_adjust) },
	{ "fp_all_adjustment", P_INT, offsetof(struct severity_policy, fp_all_adjust) },
	{ "max_raise", P_INT, offsetof(struct severity_policy, max_raise) },
};
#define NPARAMS (sizeof params / sizeof params[0])

/* Round half away from zero (no libm for one call). */
static long
round_l(double v)
{
	return (long)(v < 0 ? v - 0.5 : v + 0.5);
}

static void
param_set(struct severity_policy *p, size_t i, double v)
{
	char *base = (char *)p + params[i].off;

	switch (params[i].kind) {
	case P_DOUBLE:
		*(double *)(void *)base = v;
		break;
	case P_LONG:
		*(long *)(void *)base = round_l(v);
		break;
	case P_INT:
		*(int *)(void *)base = (int)round_l(v);
		break;
	case P_MINUTES:
		*(long *)(void *)base = round_l(v * 60.0);
		break;
	}
}

int
severity_policy_load(struct db *db, struct severity_policy *p, struct strbuf *err)
{
	PGresult *res;
	bool matrix[IMPACT__COUNT][FEAS__COUNT], scope[SCOPE__COUNT], crit[6], par[NPARAMS];
	int i, n, k, f;
	size_t j;

	memset(p, 0, sizeof *p);
	memset(matrix, 0, sizeof matrix);
	memset(scope, 0, sizeof scope);
	memset(crit, 0, sizeof crit);
	memset(par, 0, sizeof par);
	/* One round trip for the four tables; CHECK constraints keep every
	 * value in range, so only presence is checked here. */
	res = db_query(db,
	    "SELECT 'matrix' AS t, impact AS k1, feasibility AS k2, risk::numeric AS v"
	    " FROM severity_matrix"
	    " UNION ALL SELECT 'scope', level, NULL, adjustment FROM severity_scope"
	    " UNION ALL SELECT 'criticality', criticality::text, NULL, adjustment"
	    " FROM severity_criticality"
	    " UNION ALL SELECT 'param', name, NULL, value FROM severity_params", 0, NULL);
	if (res == NULL) {
		strbuf_appendf(err, "loading the severity policy: %s", db->errmsg);
		return -1;
	}
	n = PQntuples(res);
	for (i = 0; i < n; i++) {
		const char *t = db_value(res, i, "t"), *k1 = db_value(res, i, "k1");
		double v = strtod(db_value(res, i, "v"), NULL);

		if (strcmp(t, "matrix") == 0) {
			k = sev_impact_parse(k1);
			f = sev_feasibility_parse(db_value(res, i, "k2"));
			if (k >= 0 && f >= 0) {
				p->matrix[k][f] = (int)round_l(v);
				matrix[k][f] = true;
			}
		} else if (strcmp(t, "scope") == 0) {
			if ((k = sev_scope_parse(k1)) >= 0) {
				p->scope_adjust[k] = (int)round_l(v);
				scope[k] = true;
			}
		} else if (strcmp(t, "criticality") == 0) {
			k = atoi(k1);
			if (k >= 1 && k <= 5) {
				p->criticality_adjust[k] = (int)round_l(v);
				crit[k] = true;
			}
		} else {
			for (j = 0; j < NPARAMS; j++)
				if (strcmp(params[j].name, k1) == 0) {
					param_set(p, j, v);
					par[j] = true;
				}
		}
	}
	PQclear(res);
	for (k = 0; k < IMPACT__COUNT; k++)
		for (f = 0; f < FEAS__COUNT; f++)
			if (!matrix[k][f]) {
				strbuf_appendf(err, "severity_matrix has no risk for impact %s"
				    " and feasibility %s", sev_impact_name(k),
				    sev_feasibility_name(f));
				return -1;
			}
	for (k = 0; k < SCOPE__COUNT; k++)
		if (!scope[k]) {
			strbuf_appendf(err, "severity_scope has no level %s", sev_scope_name(k));
			return -1;
		}
	for (k = 1; k <= 5; k++)
		if (!crit[k]) {
			strbuf_appendf(err, "severity_criticality has no row for %d", k);
			return -1;
		}
	for (j = 0; j < NPARAMS; j++)
		if (!par[j]) {
			strbuf_appendf(err, "severity_params has no %s", params[j].name);
			return -1;
		}
	return 0;
}

/* --- the inputs ---------------------------------------------------------------- */

static int
ll_cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

/* Distinct non-zero values (sorts v). */
static long
count_distinct(long long *v, size_t n)
{
	long c = 0;
	size_t i;

	if (n > 1)
		qsort(v, n, sizeof *v, ll_cmp);
	for (i = 0; i < n; i++)
		if (v[i] != 0 && (i == 0 || v[i] != v[i - 1]))
			c++;
	return c;
}

static int
rating_cmp(const void *a, const void *b)
{
	return strcmp(((const struct severity_rating *)a)->rule,
	    ((const struct severity_rating *)b)->rule);
}

static int
ratings_load(struct db *db, struct severity_rating **out, size_t *nout, struct strbuf *err)
{
	static const char *const cols[CAT__COUNT] = {
		"safety", "financial", "operational", "privacy"
	};
	struct severity_rating *r;
	PGresult *res;
	int i, k, n;

	res = db_query(db, "SELECT rule_id, safety, financial, operational, privacy,"
	    " feasibility FROM rule_ratings", 0, NULL);
	if (res == NULL) {
		strbuf_appendf(err, "loading the rule ratings: %s", db->errmsg);
		return -1;
	}
	n = PQntuples(res);
	r = xcalloc((size_t)n + 1, sizeof *r);
	for (i = 0; i < n; i++) {
		snprintf(r[i].rule, sizeof r[i].rule, "%s", db_value(res, i, "rule_id"));
		for (k = 0; k < CAT__COUNT; k++) {
			int v = sev_impact_parse(db_value(res, i, cols[k]));

			r[i].impact[k] = v < 0 ? IMPACT_MODERATE : (enum sev_impact)v;
		}
		k = sev_feasibility_parse(db_value(res, i, "feasibility"));
		r[i].feasibility = k < 0 ? FEAS_MEDIUM : (enum sev_feasibility)k;
	}
	PQclear(res);
	if (n > 1)
		qsort(r, (size_t)n, sizeof *r, rating_cmp);
	*out = r;
	*nout = (size_t)n;
	return 0;
}

/* Everything an incident's alerts are about, one row per alert: the unit
 * a campaign counts (a connector's station, an ECU's vehicle, else the
 * asset), and the station, site and vehicle for the scope.  Alerts belong
 * through either link, as in core/incident.c. */
static const char alerts_sql[] =
    "WITH ids AS (SELECT id FROM alerts WHERE incident_id = $1"
    "  UNION SELECT alert_id FROM incident_alerts WHERE incident_id = $1),"
    " al AS MATERIALIZED (SELECT a.rule_id, a.severity, a.asset_id,"
    "  a.disposition = 'false_positive' AS fp,"
    "  floor(extract(epoch FROM a.first_seen))::bigint AS t"
    "  FROM ids JOIN alerts a ON a.id = ids.id),"
    /* Each distinct asset's place in the fleet, looked up once: an
     * incident has far fewer assets than alerts. */
    " ast AS (SELECT s.id, s.kind, s.criticality,"
    "  CASE WHEN s.kind = 'station' THEN s.id"
    "   WHEN s.kind = 'connector' AND p.kind = 'station' THEN p.id END AS station,"
    "  CASE WHEN s.kind = 'site' THEN s.id WHEN p.kind = 'site' THEN p.id"
    "   WHEN g.kind = 'site' THEN g.id END AS site,"
    "  CASE WHEN s.kind = 'vehicle' THEN s.id"
    "   WHEN s.kind = 'ecu' AND p.kind = 'vehicle' THEN p.id END AS vehicle"
    "  FROM (SELECT DISTINCT asset_id FROM al) d JOIN assets s ON s.id = d.asset_id"
    "  LEFT JOIN assets p ON p.id = s.parent_id LEFT JOIN assets g ON g.id = p.parent_id)"
    " SELECT al.rule_id, al.severity, al.asset_id, ast.kind, ast.criticality,"
    "  coalesce(al.fp, false) AS fp, al.t,"
    "  coalesce(ast.station, 0) AS station, coalesce(ast.site, 0) AS site,"
    "  coalesce(ast.vehicle, 0) AS vehicle,"
    "  coalesce(ast.station, ast.vehicle, al.asset_id) AS unit"
    " FROM al JOIN ast ON ast.id = al.asset_id";

struct loaded {
	struct severity_rating	*ratings;
	size_t			 nratings;
	struct severity_alert	*alerts;
	char			(*rules)[SEVERITY_RULE_MAX];
	struct severity_policy	 policy;
	struct severity_input	 in;
};

static void
loaded_free(struct loaded *l)
{
	free(l->ratings);
	free(l->alerts);
	free(l->rules);
}

static int
inputs_load(struct db *db, const char *idp, struct loaded *l, struct strbuf *err)
{
	const char *p[1] = { idp };
	struct severity_input *in = &l->in;
	long long *assets, *stations, *sites, *vehicles, *users;
	PGresult *res;
	int i, n;

	if (severity_policy_load(db, &l->policy, err) < 0 ||
	    ratings_load(db, &l->ratings, &l->nratings, err) < 0)
		return -1;
	in->policy = &l->policy;
	res = db_query(db, alerts_sql, 1, p);
	if (res == NULL) {
		strbuf_appendf(err, "loading the incident's alerts: %s", db->errmsg);
		return -1;
	}
	n = PQntuples(res);
	l->alerts = xcalloc((size_t)n + 1, sizeof *l->alerts);
	l->rules = xcalloc((size_t)n + 1, sizeof *l->rules);
	assets = xcalloc((size_t)n + 1, sizeof *assets);
	stations = xcalloc((size_t)n + 1, sizeof *stations);
	sites = xcalloc((size_t)n + 1, sizeof *sites);
	vehicles = xcalloc((size_t)n + 1, sizeof *vehicles);
	users = xcalloc((size_t)n + 1, sizeof *users);
	for (i = 0; i < n; i++) {
		struct severity_alert *a = &l->alerts[i];
		struct severity_rating key;
		const char *kind = db_value(res, i, "kind");
		int crit = db_int(res, i, "criticality");

		snprintf(l->rules[i], sizeof l->rules[i], "%s", db_value(res, i, "rule_id"));
		a->rule = l->rules[i];
		memcpy(key.rule, l->rules[i], sizeof key.rule);
		a->rating = bsearch(&key, l->ratings, l->nratings, sizeof *l->ratings,
		    rating_cmp);
		a->alert_severity = db_int(res, i, "severity");
		a->first_seen = db_ll(res, i, "t");
		a->unit = db_ll(res, i, "unit");
		assets[i] = db_ll(res, i, "asset_id");
		stations[i] = db_ll(res, i, "station");
		sites[i] = db_ll(res, i, "site");
		vehicles[i] = db_ll(res, i, "vehicle");
		users[i] = strcmp(kind, "app_user") == 0 ? assets[i] : 0;
		if (strcmp(kind, "station") == 0)
			in->station_wide = true;
		if (strcmp(kind, "site") == 0)
			in->site_wide = true;
		if (crit > in->max_criticality)
			in->max_criticality = crit;
		if (db_bool(res, i, "fp"))
			in->false_positives++;
	}
	PQclear(res);
	in->alerts = l->alerts;
	in->nalerts = (size_t)n;
	in->assets = count_distinct(assets, (size_t)n);
	in->stations = count_distinct(stations, (size_t)n);
	in->sites = count_distinct(sites, (size_t)n);
	in->affected[UNIT_STATIONS] = in->stations;
	in->affected[UNIT_VEHICLES] = count_distinct(vehicles, (size_t)n);
	in->affected[UNIT_APP_USERS] = count_distinct(users, (size_t)n);
	free(assets);
	free(stations);
	free(sites);
	free(vehicles);
	free(users);

	res = db_query(db, "SELECT count(*) FILTER (WHERE kind = 'station') AS stations,"
	    " count(*) FILTER (WHERE kind = 'vehicle') AS vehicles,"
	    " count(*) FILTER (WHERE kind = 'app_user') AS users FROM assets", 0, NULL);
	if (res == NULL) {
		strbuf_appendf(err, "counting the fleet: %s", db->errmsg);
		return -1;
	}
	in->fleet[UNIT_STATIONS] = (long)db_ll(res, 0, "stations");
	in->fleet[UNIT_VEHICLES] = (long)db_ll(res, 0, "vehicles");
	in->fleet[UNIT_APP_USERS] = (long)db_ll(res, 0, "users");
	PQclear(res);
	return 0;
}

/* --- compute and store ------------------------------------------------------------ */

int
severity_incident_compute(struct db *db, long long id, bool lock,
    struct severity_incident *out, struct strbuf *err)
{
	char idbuf[32];
	const char *p[1] = { idbuf };
	struct loaded l;
	PGresult *res;
	json_t *stored;
	const char *s;

	memset(out, 0, sizeof *out);
	memset(&l, 0, sizeof l);
	out->id = id;
	snprintf(idbuf, sizeof idbuf, "%lld", id);
	/* The lock first: alerts joining or leaving lock the incident the same
	 * way, so what is read next is what is stored. */
	res = db_query(db, lock ?
	    "SELECT i.severity, i.severity_computed, i.severity_explanation::text AS expl,"
	    " i.severity_override, i.severity_override_reason, an.name AS override_by,"
	    " i.severity_override_at FROM incidents i"
	    " LEFT JOIN analysts an ON an.id = i.severity_override_by"
	    " WHERE i.id = $1 FOR NO KEY UPDATE OF i" :
	    "SELECT i.severity, i.severity_computed, i.severity_explanation::text AS expl,"
	    " i.severity_override, i.severity_override_reason, an.name AS override_by,"
	    " i.severity_override_at FROM incidents i"
	    " LEFT JOIN analysts an ON an.id = i.severity_override_by"
	    " WHERE i.id = $1", 1, p);
	if (res == NULL) {
		strbuf_appendf(err, "incident %lld: %s", id, db->errmsg);
		return -1;
	}
	if (PQntuples(res) != 1) {
		PQclear(res);
		strbuf_appendf(err, "incident %lld not found", id);
		return 1;
	}
	out->severity = out->before_severity = db_int(res, 0, "severity");
	s = db_value(res, 0, "severity_computed");
	out->computed = out->before_computed = s != NULL ? atoi(s) : 0;
	s = db_value(res, 0, "severity_override");
	out->override = s != NULL ? atoi(s) : 0;
	out->override_reason = db_dup(res, 0, "severity_override_reason");
	out->override_by = db_dup(res, 0, "override_by");
	out->override_at = db_time(res, 0, "severity_override_at");
	stored = json_loads(db_value(res, 0, "expl"), 0, NULL);
	PQclear(res);

	if (inputs_load(db, idbuf, &l, err) < 0) {
		json_decref(stored);
		loaded_free(&l);
		return -1;
	}
	severity_compute(&l.in, &out->result);
	out->explanation = severity_result_json(&out->result, &l.in);
	out->stale = out->result.severity != out->computed ||
	    stored == NULL || !json_equal(stored, out->explanation);
	json_decref(stored);
	loaded_free(&l);
	return 0;
}

int
severity_incident_store(struct db *db, struct severity_incident *si, struct strbuf *err)
{
	char idbuf[32], sev[8], *expl;
	const char *p[3];
	PGresult *res;

	if (!si->stale)
		return 0;
	snprintf(idbuf, sizeof idbuf, "%lld", si->id);
	snprintf(sev, sizeof sev, "%d", si->result.severity);
	expl = json_dumps(si->explanation, JSON_COMPACT);
	p[0] = idbuf;
	p[1] = si->result.severity ? sev : NULL;	/* no alerts: not computed */
	p[2] = expl;
	res = db_query(db, "UPDATE incidents SET severity_computed = $2::smallint,"
	    " severity_explanation = $3::jsonb, severity_computed_at = now()"
	    " WHERE id = $1 RETURNING severity", 3, p);
	free(expl);
	if (res == NULL) {
		strbuf_appendf(err, "storing the severity of incident %lld: %s", si->id,
		    db->errmsg);
		return -1;
	}
	if (PQntuples(res) == 1)
		si->severity = db_int(res, 0, "severity");
	PQclear(res);
	si->computed = si->result.severity;
	si->changed = true;
	si->stale = false;
	return 0;
}

void
severity_incident_free(struct severity_incident *si)
{
	json_decref(si->explanation);
	free(si->override_reason);
	free(si->override_by);
	memset(si, 0, sizeof *si);
}

int
severity_refresh_incident(struct db *db, long long incident_id, struct strbuf *err)
{
	struct severity_incident si;
	int rc;

	rc = severity_incident_compute(db, incident_id, true, &si, err);
	if (rc == 0)
		rc = severity_incident_store(db, &si, err);
	severity_incident_free(&si);
	return rc;
}
