/* demo_alerts.c: the alerts: a template drawn by weight, a target from
 * the fleet, a time from a month-long curve (recent hours and afternoons
 * busier), a status by age, and the analyst's work on it; then the
 * hostile three, newest and open, carrying a station's attacker-controlled
 * text.  All through one COPY. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db.h"
#include "demo_int.h"
#include "rng.h"
#include "strbuf.h"

/* --- alerts ---------------------------------------------------------- */

/* Activity by hour of day (UTC): quiet nights, busy afternoons. */
static const int hour_weight[24] = {
	3, 2, 2, 2, 2, 3, 5, 8, 10, 11, 11, 10, 10, 10, 11, 12, 12, 12, 11, 10, 8, 6, 5, 4
};


struct status_mix {
	long	max_age;	/* applies to alerts younger than this */
	int	w[5];		/* new, acknowledged, escalated, closed, suppressed */
};

/* Older alerts are mostly dealt with; today's are mostly waiting. */
static const struct status_mix status_mix[] = {
	{ DAY, { 62, 22, 5, 9, 2 } },
	{ 3 * DAY, { 18, 25, 6, 47, 4 } },
	{ 400 * DAY, { 3, 4, 2, 88, 3 } },
};

static const char *const status_names[5] = {
	"new", "acknowledged", "escalated", "closed", "suppressed"
};

struct disposition_kind {
	const char	*name;
	int		 weight;
	const char	*reasons[3];
};

static const struct disposition_kind dispositions[ALERTS_N_DISPOSITIONS] = {
	{ "true_positive", 20, { "confirmed with the station operator; credentials rotated",
	    "field technician found the enclosure opened; station isolated",
	    "attack confirmed, source blocked at the CSMS edge" } },
	{ "false_positive", 45, { "rule threshold too low for this depot's traffic",
	    "maintenance window not in the calendar", "vendor firmware quirk, known issue" } },
	{ "benign", 28, { "scheduled load test by the smart-charging team",
	    "penetration test (ticket SEC-2211)", "driver changed phones; verified by support" } },
	{ "duplicate", 7, { "same event as an earlier alert", "already tracked in the incident",
	    "duplicate from the backup CSMS feed" } },
};

static void
gen_time_table(struct gen *g)
{
	double total = 0;
	int h;

	/* Bucket h covers [now - (h + 1) hours, now - h hours).  Recent hours
	 * weigh more (hyperbolic decay, plain arithmetic so every platform
	 * agrees), and each hour keeps its daily rhythm. */
	for (h = 0; h < SPAN_HOURS; h++) {
		time_t start = g->o->now - (time_t)(h + 1) * 3600;
		int hod = (int)((start % DAY + DAY) % DAY / 3600);
		double w = (1.0 + 8.0 / (1.0 + h / 24.0)) * hour_weight[hod];

		total += w;
		g->cum[h] = total;
	}
	for (h = 0; h < SPAN_HOURS; h++)
		g->cum[h] /= total;
}

/* The q-quantile of the time distribution: increasing q gives earlier
 * hours, so callers pass 1 - q to have ids grow with time. */
static time_t
gen_time(struct gen *g, double q)
{
	int lo = 0, hi = SPAN_HOURS - 1, mid;
	double prev, frac;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (g->cum[mid] < q)
			lo = mid + 1;
		else
			hi = mid;
	}
	prev = lo ? g->cum[lo - 1] : 0;
	frac = g->cum[lo] > prev ? (q - prev) / (g->cum[lo] - prev) : 0;
	if (frac < 0)
		frac = 0;
	if (frac > 1)
		frac = 1;
	return g->o->now - (time_t)lo * 3600 - (time_t)(frac * 3599);
}

static int
gen_station(struct gen *g)
{
	int n = g->f->nstations;

	/* A hot twentieth of the stations draws a third of the alerts. */
	if (n >= 20 && rng_below(&g->r, 3) == 0)
		return (int)(rng_below(&g->r, (uint64_t)(n / 20)) * 20 % n);
	return (int)rng_below(&g->r, (uint64_t)n);
}

static void
doc_ip(char *buf, size_t len, struct rng *r)
{
	static const char *const nets[] = { "192.0.2", "198.51.100", "203.0.113" };

	snprintf(buf, len, "%s.%d", nets[rng_below(r, 3)], 1 + (int)rng_below(r, 254));
}

/* Resolve the template's target and fill the variables it uses. */
static void
gen_vars(struct gen *g, const struct alert_tpl *t, uint64_t need, struct vars *v,
    long long *asset_id, const char **asset_ref, char *refbuf, time_t first)
{
	const struct fleet *f = g->f;
	const struct station *s = NULL;
	const struct vehicle *veh = NULL;
	const struct user *u = NULL;
	const struct rollout *ro = NULL;
	struct rng *r = &g->r;
	int conn = 1, ecu = 0, k;

	memset(v->s, 0, sizeof v->s);
	switch (t->target) {
	case T_STATION:
	case T_CONNECTOR:
		s = &f->st[gen_station(g)];
		conn = 1 + (int)rng_below(r, (uint64_t)s->nconn);
		if (t->target == T_STATION) {
			*asset_id = s->id;
			*asset_ref = s->ext;
		} else {
			*asset_id = s->conn_id + conn - 1;
			snprintf(refbuf, 48, "%s-%d", s->ext, conn);
			*asset_ref = refbuf;
		}
		break;
	case T_VEHICLE:
	case T_ECU:
		veh = &f->veh[rng_below(r, (uint64_t)f->nvehicles)];
		ecu = (int)rng_below(r, (uint64_t)veh->necu);
		if (t->target == T_VEHICLE) {
			*asset_id = veh->id;
			*asset_ref = veh->vin;
		} else {
			*asset_id = veh->ecu_id + ecu;
			snprintf(refbuf, 48, "%s-%s", veh->vin, fleet_ecu_kinds[veh->ecu[ecu]].name);
			*asset_ref = refbuf;
		}
		break;
	case T_APP_USER:
		u = &f->usr[rng_below(r, (uint64_t)f->nusers)];
		veh = &f->veh[u->vehicle];
		*asset_id = u->id;
		*asset_ref = u->uuid;
		break;
	case T_ROLLOUT:
		k = (int)rng_below(r, FLEET_N_ROLLOUTS);
		ro = &fleet_rollouts[k];
		*asset_id = f->rollout_id + k;
		snprintf(refbuf, 48, "rollout-%d", ro->id);
		*asset_ref = refbuf;
		break;
	}
	v->s[V_ASSET] = *asset_ref;
	if (ro == NULL)
		ro = &fleet_rollouts[rng_below(r, FLEET_N_ROLLOUTS)];
	if (s != NULL) {
		v->s[V_STATION] = s->ext;
		v->s[V_VER] = s->ver;
		v->s[V_VENDOR] = s->vendor_name;
		v->s[V_FW] = s->fw;
		v->s[V_SERIAL] = s->serial;
		tpl_var_num(v, V_CONN, conn);
		tpl_var_num(v, V_SP, s->sp);
		tpl_var_num(v, V_KW, s->kw);
		if (need & (UINT64_C(1) << V_SITE)) {
			fleet_site_name(v->buf[V_SITE], sizeof v->buf[V_SITE], s->site);
			v->s[V_SITE] = v->buf[V_SITE];
		}
		if (need & ((UINT64_C(1) << V_KW2) | (UINT64_C(1) << V_W2))) {
			int kw2 = s->kw + s->kw / 5 + 1 + (int)rng_below(r, (uint64_t)s->kw);

			tpl_var_num(v, V_KW2, kw2);
			tpl_var_num(v, V_W2, kw2 * 1000LL);
		}
		v->s[V_CERTEVT] = s->ver[0] == '1' ? "InvalidCentralSystemCertificate" :
		    "InvalidCsmsCertificate";
		if (need & (UINT64_C(1) << V_LANIP)) {
			snprintf(v->buf[V_LANIP], 48, "10.%d.%d.%d", 20 + s->site % 200,
			    (int)((s->id >> 8) & 255), (int)(s->id & 255));
			v->s[V_LANIP] = v->buf[V_LANIP];
		}
	}
	if (need & (UINT64_C(1) << V_STATION2)) {
		k = (int)rng_below(r, (uint64_t)f->nstations);
		if (s != NULL && f->st + k == s)
			k = (k + 1) % f->nstations;
		v->s[V_STATION2] = f->st[k].ext;
	}
	if (veh != NULL) {
		v->s[V_VIN] = veh->vin;
		v->s[V_SW] = veh->sw;
		v->s[V_ECU] = fleet_ecu_kinds[veh->ecu[ecu]].name;
	}
	if (u != NULL) {
		v->s[V_USER] = u->name;
		v->s[V_COUNTRY] = fleet_far_countries[rng_below(r,
		    (uint64_t)fleet_n_far_countries)];
	}
	v->s[V_ROLLOUT] = ro->name;
	v->s[V_RSTATUS] = ro->status;
	tpl_var_num(v, V_RID, ro->id);
	tpl_var_num(v, V_DS, ro->ds);
	tpl_var_num(v, V_DS2, ro->ds + 3 + (int)rng_below(r, 20));
	if (need & (UINT64_C(1) << V_FW2)) {
		snprintf(v->buf[V_FW2], 48, "%s%d-%c", s ? fleet_vendors[s->vendor].fw_prefix : "0.",
		    90 + (int)rng_below(r, 9), 'a' + (int)rng_below(r, 6));
		v->s[V_FW2] = v->buf[V_FW2];
	}
	if (need & (UINT64_C(1) << V_SW2)) {
		snprintf(v->buf[V_SW2], 48, "2025.%d.%d-dev", 1 + (int)rng_below(r, 12),
		    (int)rng_below(r, 9));
		v->s[V_SW2] = v->buf[V_SW2];
	}
	if (need & (UINT64_C(1) << V_IP)) {
		doc_ip(v->buf[V_IP], 48, r);
		v->s[V_IP] = v->buf[V_IP];
	}
	if (need & (UINT64_C(1) << V_IP2)) {
		doc_ip(v->buf[V_IP2], 48, r);
		v->s[V_IP2] = v->buf[V_IP2];
	}
	if (need & (UINT64_C(1) << V_MID)) {
		fleet_uuid_make(v->buf[V_MID], r);
		v->s[V_MID] = v->buf[V_MID];
	}
	if (need & (UINT64_C(1) << V_TS)) {
		demo_ts_format(v->buf[V_TS], first, true);
		v->s[V_TS] = v->buf[V_TS];
	}
	if (need & (UINT64_C(1) << V_TAG)) {
		snprintf(v->buf[V_TAG], 48, "%08" PRIX64, rng_next(r) >> 32);
		v->s[V_TAG] = v->buf[V_TAG];
	}
	if (need & ((UINT64_C(1) << V_WH1) | (UINT64_C(1) << V_WH2))) {
		long long wh1 = 100000 + (long long)rng_below(r, 9000000);

		tpl_var_num(v, V_WH1, wh1);
		tpl_var_num(v, V_WH2, wh1 - 1 - (long long)rng_below(r, 50000));
	}
	tpl_var_num(v, V_N, 5 + (long long)rng_below(r, 120));
	tpl_var_num(v, V_N2, 2 + (long long)rng_below(r, 9));
	tpl_var_num(v, V_TX, 1000 + (long long)rng_below(r, 900000));
	tpl_var_num(v, V_PCT, 6 + (long long)rng_below(r, 40));
	v->s[V_OP] = fleet_operators[rng_below(r, (uint64_t)fleet_n_operators)];
}

static int
gen_severity(struct gen *g, int base)
{
	static const int w[3] = { 18, 70, 12 };	/* one lower, as usual, one higher */
	int s = base - 1 + rng_weighted(&g->r, w, 3);

	return s < 1 ? 1 : s > 5 ? 5 : s;
}


void
alerts_gen_init(struct gen *g)
{
	int i;

	for (i = 0; i < TPL_N; i++) {
		tpl_compile(&g->title[i], tpl_table[i].title);
		tpl_compile(&g->ev[i], tpl_table[i].evidence);
		g->weights[i] = tpl_table[i].weight;
		g->theme_of[i] = history_theme_of(tpl_table[i].rule);
	}
	for (i = 0; i < ALERTS_N_DISPOSITIONS; i++)
		g->disp_weights[i] = dispositions[i].weight;
	gen_time_table(g);
	strbuf_init(&g->title_buf);
	strbuf_init(&g->ev_buf);
}

void
alerts_gen_free(struct gen *g)
{
	int i;

	for (i = 0; i < TPL_N; i++) {
		free(g->title[i].seg);
		free(g->ev[i].seg);
	}
	strbuf_free(&g->title_buf);
	strbuf_free(&g->ev_buf);
}

struct hostile {
	const char	*rule;
	int		 severity;
	const char	*raw;		/* the attacker's bytes, as ${raw} */
	const char	*title;
	const char	*evidence;
	int		 station;	/* index into the hostile stations */
};

/* Raw control bytes only ever enter through ${raw} and ${vendor}, so the
 * evidence escaper turns them into \u001b and the JSON stays valid. */
static const struct hostile hostiles[] = {
	{ "R1", 5, NULL, "BootNotification from ${station} with vendor '${vendor}'",
	  "{\"identity\": \"${station}\", \"bootNotification\": {\"chargePointVendor\":"
	  " \"${vendor}\", \"chargePointSerialNumber\": \"${serial}\"}, \"note\":"
	  " \"vendor string differs from inventory\"}", 0 },
	{ "R13", 4, "\x1b[2J\x1b[1;31mSYSTEM OK\x1b[0m \x1b]8;;http://203.0.113.66/\x07" "click\x1b]8;;\x07",
	  "Malformed OCPP frame from ${station}: ${raw}",
	  "{\"identity\": \"${station}\", \"error\": \"FormatViolation\", \"frame\":"
	  " \"[2,\\\"${raw}\\\",\\\"DataTransfer\\\",{}]\", \"vendor\": \"${vendor}\"}", 1 },
	{ "R11", 5, "admin\xe2\x80\xaetxt.exe \xc2\x9b" "2J\x1b[8mhidden\x1b[0m",
	  "Security log cleared on ${station} by user '${raw}'",
	  "{" OCPP_HEAD "\"action\": \"SecurityEventNotification\", \"payload\": {\"type\":"
	  " \"SecurityLogWasCleared\", \"timestamp\": \"${ts}\", \"techInfo\":"
	  " \"user=${raw}\"}}, \"vendor\": \"${vendor}\"}", 2 },
};
#define N_HOSTILE ((int)(sizeof hostiles / sizeof hostiles[0]))

static void
alert_row(struct copy *c, long long id, const char *rule,
    const char *title, int sev, int status, long long asset_id, const char *asset_ref,
    time_t first, time_t last, int occ, int assignee, long long incident,
    const struct strbuf *ev, int disp, const char *reason, time_t closed, time_t updated,
    time_t acked)
{
	char key[128];

	copy_ll(c, id);
	copy_str(c, rule);
	copy_str(c, title);
	copy_ll(c, sev);
	copy_str(c, status_names[status]);
	copy_str(c, disp >= 0 ? dispositions[disp].name : NULL);
	copy_str(c, reason);
	copy_ll(c, asset_id);
	copy_str(c, asset_ref);
	copy_ts(c, first);
	copy_ts(c, last);
	copy_ll(c, occ);
	/* The id makes every key unique: the live-dedup index never trips. */
	snprintf(key, sizeof key, "%s:%s:%lld", rule, asset_ref, id);
	copy_str(c, key);
	copy_id(c, assignee);
	copy_id(c, incident);
	copy_strn(c, ev->buf, ev->len);
	copy_ll(c, 1);
	copy_ts(c, first);
	copy_ts(c, updated);
	if (closed)
		copy_ts(c, closed);
	else
		copy_str(c, NULL);
	if (acked)
		copy_ts(c, acked);
	else
		copy_str(c, NULL);
	copy_row_end(c);
}

int
alerts_copy(struct gen *g, struct db *db, long *nalerts)
{
	const struct demo_opts *o = g->o;
	long n = o->alerts, nh = n >= N_HOSTILE ? N_HOSTILE : 0, i;
	struct copy c;
	struct vars v;
	struct strbuf *tb = &g->title_buf, *eb = &g->ev_buf;
	char refbuf[48];

	if (copy_begin(&c, db, "COPY alerts (id, rule_id, title, severity, status,"
	    " disposition, disposition_reason, asset_id, asset_ref, first_seen, last_seen,"
	    " occurrences, dedup_key, assignee_id, incident_id, evidence, version,"
	    " created_at, updated_at, closed_at, acknowledged_at) FROM STDIN") < 0)
		return -1;
	for (i = 0; i < n - nh; i++) {
		int ti = rng_weighted(&g->r, g->weights, TPL_N);
		const struct alert_tpl *t = &tpl_table[ti];
		long long asset_id = 0, id = g->alert_base + i + 1, incident = 0;
		const char *asset_ref = NULL, *reason = NULL;
		/* Stratified quantiles: ids grow with time, give or take. */
		double q = 1.0 - ((double)i + rng_unit(&g->r)) / (double)(n - nh);
		time_t first = gen_time(g, q), last, closed = 0, updated, acked;
		long age;
		int occ, status, assignee = 0, disp = -1, k, sev;
		const struct status_mix *mix;

		gen_vars(g, t, g->title[ti].need | g->ev[ti].need, &v, &asset_id,
		    &asset_ref, refbuf, first);
		sev = gen_severity(g, t->severity);
		/* Mostly single events; some repeat; a few bursts of hundreds. */
		k = (int)rng_below(&g->r, 100);
		occ = k < 82 ? 1 : k < 97 ? 2 + (int)rng_below(&g->r, 20) :
		    50 + (int)rng_below(&g->r, 450);
		last = occ == 1 ? first : first + (time_t)rng_below(&g->r,
		    (uint64_t)occ * 90 + 1);
		if (last > o->now)
			last = o->now;
		age = (long)(o->now - first);
		for (mix = status_mix; age >= mix->max_age && mix[1].max_age; mix++)
			;
		status = rng_weighted(&g->r, mix->w, 5);
		if (status == 2) {
			/* Escalate into an incident about the same rule, when
			 * there is one; otherwise the analyst just acknowledged. */
			int th = g->theme_of[ti];

			if (th < 0 || th >= g->nincidents)
				status = 1;
			else
				incident = g->inc_base + 1 + th + HISTORY_N_THEMES * (long long)rng_below(&g->r,
				    (uint64_t)((g->nincidents - th + HISTORY_N_THEMES - 1) / HISTORY_N_THEMES));
		}
		updated = last;
		if (status == 3) {
			disp = rng_weighted(&g->r, g->disp_weights, ALERTS_N_DISPOSITIONS);
			reason = dispositions[disp].reasons[rng_below(&g->r, 3)];
			closed = last + 600 + (time_t)rng_below(&g->r, 2 * DAY);
			if (closed > o->now)
				closed = o->now;
			updated = closed;
		} else if (status != 0) {
			updated = last + (time_t)rng_below(&g->r, 3600);
			if (updated > o->now)
				updated = o->now;
		}
		/* alice, bob, carol, dave work alerts; erin only looks. */
		if ((status == 3 && rng_below(&g->r, 10) < 9) || status == 1 ||
		    status == 2 || (status == 0 && rng_below(&g->r, 7) == 0))
			assignee = g->analysts[rng_below(&g->r, 4)];

		strbuf_reset(tb);
		tpl_expand(tb, &g->title[ti], &v, false);
		strbuf_reset(eb);
		tpl_expand(eb, &g->ev[ti], &v, true);
		/* Looked at 1 to 240 minutes after it arrived (from the id, so
		 * the random stream and with it the rest of the seed stay as
		 * they were), never after its last change. */
		acked = 0;
		if (status != 0) {
			acked = first + 60 * (1 + (time_t)((unsigned long long)id * 7919ULL % 240));
			if (acked > updated)
				acked = updated;
		}
		alert_row(&c, id, t->rule, tb->buf, sev, status, asset_id, asset_ref,
		    first, last, occ, assignee, incident, eb, disp, reason, closed, updated,
		    acked);

		/* Some notes: most escalations, some true positives, a few others. */
		k = (int)rng_below(&g->r, 100);
		if ((status == 2 && k < 60) || (disp == 0 && k < 30) || k == 0)
			history_note_alert(g, id, assignee ? assignee : g->analysts[0],
			    updated);
		if (o->progress != NULL && (i & 0xffff) == 0xffff)
			o->progress("alerts", i + 1, n, o->arg);
		if (c.failed)
			break;
	}
	{
		int h;

		for (h = 0; h < (int)nh; h++) {
			const struct hostile *hs = &hostiles[h];
			const struct station *s = &g->f->st[(6 + 6 * hs->station) % g->f->nstations];
			struct compiled ct, ce;
			long long id = g->alert_base + (n - nh) + h + 1;
			time_t first = o->now - 60 * (3 - h) * 7;

			tpl_compile(&ct, hs->title);
			tpl_compile(&ce, hs->evidence);
			memset(v.s, 0, sizeof v.s);
			v.s[V_STATION] = s->ext;
			v.s[V_VENDOR] = s->vendor_name;
			v.s[V_SERIAL] = s->serial;
			v.s[V_VER] = s->ver;
			v.s[V_RAW] = hs->raw;
			v.s[V_MID] = "0badc0de-0000-4000-8000-00000000dead";
			demo_ts_format(v.buf[V_TS], first, true);
			v.s[V_TS] = v.buf[V_TS];
			strbuf_reset(tb);
			tpl_expand(tb, &ct, &v, false);
			strbuf_reset(eb);
			tpl_expand(eb, &ce, &v, true);
			alert_row(&c, id, hs->rule, tb->buf, hs->severity, 0, s->id, s->ext,
			    first, first + 30, 1 + h, 0, 0, eb, -1, NULL, 0, first + 30, 0);
			free(ct.seg);
			free(ce.seg);
		}
	}
	*nalerts = c.rows;
	return copy_end(&c);
}
