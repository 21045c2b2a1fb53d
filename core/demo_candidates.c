/* demo_candidates.c: incident candidates in the demo fleet.
 *
 * Random alerts rarely line up into a campaign or a shared indicator, so
 * after the load a few of the newest open alerts are rewritten into the
 * patterns correlation looks for (sql/009_candidates.sql), one of each
 * kind, in the hour before --now: three integrity alerts on one station; a
 * station and its connector with charging-control alerts; identity alerts
 * on four stations of one site; SetChargingProfile from one principal to
 * six stations (a campaign); one source address, one idTag and one
 * firmware host across stations; and a principal with escape sequences in
 * it, which every screen must show as text.  Rewriting, not adding, keeps
 * --alerts N exact.  Deterministic: the same seed and --now give the same
 * candidates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "db.h"
#include "demo.h"
#include "strbuf.h"

#define MAX_STATIONS	8
#define MAX_SITE	4

struct station_ref {
	long long	id;
	char		ext[64];
};

/* One rewritten alert.  who: index into the stations (0-7), the site's
 * stations (10-13), or a station's first connector (20 + station). */
struct pattern {
	const char	*rule;
	int		 severity;
	int		 who;
	const char	*title;		/* '@' stands for the asset */
	const char	*kind;		/* evidence shape, below */
	const char	*value;		/* the shared indicator, if any */
};

static const struct pattern patterns[] = {
	/* asset: one station, three integrity rules */
	{ "R7", 5, 0, "Invalid firmware signature reported by @", "fwsig", NULL },
	{ "R11", 5, 0, "Tamper detection activated on @", "tamper", NULL },
	{ "R12", 4, 0, "Reboot loop on @: 7 boots in 1 h", "reboot", NULL },
	/* parent: a station and its connector, charging control */
	{ "R9", 4, 1, "Remote-start flood on @: 40 RemoteStartTransaction in 10 min",
	  "remote", "svc-billing" },
	{ "R8", 4, 1, "Charging profile limit above rating on @", "profile", "svc-billing" },
	{ "R10", 5, 21, "Energy register went backwards on @", "meter", NULL },
	/* site: identity rules on four stations of one site */
	{ "R1", 4, 10, "Station identity hijack: @ connected from two addresses", "ip",
	  "198.51.100.201" },
	{ "R2", 4, 11, "WebSocket upgrade brute force on @", "ip", "198.51.100.202" },
	{ "R6", 4, 12, "TLS 1.0 handshake from @ rejected", "ip", "198.51.100.203" },
	{ "R1", 4, 13, "Station identity hijack: @ connected from two addresses", "ip",
	  "198.51.100.204" },
	/* campaign (and principal): limit 0 to six stations */
	{ "R8", 4, 2, "SetChargingProfile limit 0 sent to @ by grid-ops-7", "profile",
	  "grid-ops-7" },
	{ "R8", 4, 3, "SetChargingProfile limit 0 sent to @ by grid-ops-7", "profile",
	  "grid-ops-7" },
	{ "R8", 4, 4, "SetChargingProfile limit 0 sent to @ by grid-ops-7", "profile",
	  "grid-ops-7" },
	{ "R8", 4, 5, "SetChargingProfile limit 0 sent to @ by grid-ops-7", "profile",
	  "grid-ops-7" },
	{ "R8", 4, 6, "SetChargingProfile limit 0 sent to @ by grid-ops-7", "profile",
	  "grid-ops-7" },
	{ "R8", 4, 7, "SetChargingProfile limit 0 sent to @ by grid-ops-7", "profile",
	  "grid-ops-7" },
	/* source_ip: one address brute-forcing three stations */
	{ "R2", 4, 2, "WebSocket upgrade brute force on @ from 203.0.113.66", "ip",
	  "203.0.113.66" },
	{ "R2", 4, 4, "WebSocket upgrade brute force on @ from 203.0.113.66", "ip",
	  "203.0.113.66" },
	{ "R14", 3, 6, "Port scan on @ from 203.0.113.66", "ip", "203.0.113.66" },
	/* id_tag: one card on two stations at once */
	{ "R4", 4, 3, "idTag 04A1B2C3D4 in use on @ and another station at once", "tag",
	  "04A1B2C3D4" },
	{ "R4", 4, 5, "idTag 04A1B2C3D4 in use on @ and another station at once", "tag",
	  "04A1B2C3D4" },
	/* firmware_host: one untrusted host on two stations */
	{ "R7", 5, 2, "Firmware download from untrusted host fw-cdn.evil.example on @",
	  "fwurl", "http://fw-cdn.evil.example/fw/4.2.99-x.bin" },
	{ "R7", 5, 7, "Firmware download from untrusted host fw-cdn.evil.example on @",
	  "fwurl", "https://updates@fw-cdn.evil.example:8443/fw/4.2.99-x.bin" },
	/* principal with escape sequences: shown as text, never interpreted */
	{ "R9", 4, 3, "Remote-start flood on @", "remote", "\x1b[31mroot\x1b[0m\x1b]0;pwned\x07" },
	{ "R9", 4, 5, "Remote-start flood on @", "remote", "\x1b[31mroot\x1b[0m\x1b]0;pwned\x07" },
	{ "R9", 4, 7, "Remote-start flood on @", "remote", "\x1b[31mroot\x1b[0m\x1b]0;pwned\x07" },
};
#define N_PATTERNS ((int)(sizeof patterns / sizeof patterns[0]))

static json_t *
evidence(const struct pattern *p, const char *ext)
{
	const char *v = p->value ? p->value : "";

	if (strcmp(p->kind, "ip") == 0)
		return json_pack("{s:s, s:s, s:i, s:s}", "identity", ext, "source_ip", v,
		    "failures", 42, "csms", "csms.cpo.example");
	if (strcmp(p->kind, "tag") == 0)
		return json_pack("{s:s, s:[s], s:i}", "idTag", v, "stations", ext,
		    "distanceKm", 212);
	if (strcmp(p->kind, "fwurl") == 0)
		return json_pack("{s:{s:s, s:{s:s}}, s:s}", "ocpp", "action", "UpdateFirmware",
		    "payload", "location", v, "station", ext);
	if (strcmp(p->kind, "remote") == 0)
		return json_pack("{s:{s:s, s:{s:i}}, s:i, s:s}", "ocpp", "action",
		    "RemoteStartTransaction", "payload", "connectorId", 1, "count", 40,
		    "principal", v);
	if (strcmp(p->kind, "profile") == 0)
		return json_pack("{s:{s:s}, s:i, s:s}", "ocpp", "action", "SetChargingProfile",
		    "stations", 6, "principal", v);
	return json_pack("{s:s, s:s}", "station", ext, "finding", p->kind);
}

static int
load_refs(struct db *db, const char *sql, const char *arg, struct station_ref *out, int max)
{
	const char *p[1] = { arg };
	PGresult *res = db_query(db, sql, arg ? 1 : 0, arg ? p : NULL);
	int i, n;

	if (res == NULL)
		return -1;
	n = PQntuples(res) < max ? PQntuples(res) : max;
	for (i = 0; i < n; i++) {
		out[i].id = db_ll(res, i, "id");
		snprintf(out[i].ext, sizeof out[i].ext, "%s", db_value(res, i, "external_id"));
	}
	PQclear(res);
	return n;
}

int
demo_candidates(struct db *db, time_t now)
{
	struct station_ref st[MAX_STATIONS], site[MAX_SITE], conn[1];
	const char *p[7];
	char idbuf[32], sev[8], asset[32], when[32];
	struct strbuf tb;
	PGresult *victims;
	time_t base;
	int nst, nsite, i, used = 0, rc = 0;

	nst = load_refs(db, "SELECT id, external_id FROM assets WHERE kind = 'station'"
	    " ORDER BY id", NULL, st, MAX_STATIONS);
	nsite = load_refs(db, "SELECT id, external_id FROM assets WHERE kind = 'station'"
	    " AND parent_id = (SELECT parent_id FROM assets WHERE kind = 'station'"
	    " GROUP BY parent_id ORDER BY count(*) DESC, parent_id LIMIT 1)"
	    " ORDER BY id DESC", NULL, site, MAX_SITE);
	if (nst < 0 || nsite < 0)
		return -1;
	if (nst < MAX_STATIONS)
		return 0;	/* a fleet too small for the patterns */
	snprintf(idbuf, sizeof idbuf, "%lld", st[1].id);
	if (load_refs(db, "SELECT id, external_id FROM assets WHERE kind = 'connector'"
	    " AND parent_id = $1::bigint ORDER BY id LIMIT 1", idbuf, conn, 1) != 1)
		return -1;
	/* The newest open alerts in no incident become the patterns; the
	 * demo's hostile alerts (control bytes in the title) stay as they are. */
	victims = db_query(db, "SELECT id FROM alerts WHERE status IN ('new', 'acknowledged')"
	    " AND incident_id IS NULL AND title !~ '[[:cntrl:]]'"
	    " ORDER BY last_seen DESC, id DESC LIMIT 40", 0, NULL);
	if (victims == NULL)
		return -1;
	/* All in one hour bucket, inside every window, before --now. */
	base = (now - 1800) / 3600 * 3600 + 60;
	strbuf_init(&tb);
	for (i = 0; i < N_PATTERNS && used < PQntuples(victims) && rc == 0; i++) {
		const struct pattern *pt = &patterns[i];
		const struct station_ref *who;
		json_t *ev;
		char *evs;

		if (pt->who >= 20)
			who = &conn[0];
		else if (pt->who >= 10)
			who = pt->who - 10 < nsite ? &site[pt->who - 10] : NULL;
		else
			who = &st[pt->who];
		if (who == NULL)
			continue;
		ev = evidence(pt, who->ext);
		evs = json_dumps(ev, JSON_COMPACT);
		json_decref(ev);
		strbuf_reset(&tb);
		strbuf_appendn(&tb, pt->title, strcspn(pt->title, "@"));
		strbuf_append(&tb, who->ext);
		if (strchr(pt->title, '@') != NULL)
			strbuf_append(&tb, strchr(pt->title, '@') + 1);
		snprintf(sev, sizeof sev, "%d", pt->severity);
		snprintf(asset, sizeof asset, "%lld", who->id);
		snprintf(when, sizeof when, "%lld", (long long)(base + i * 40));
		p[0] = PQgetvalue(victims, used++, 0);
		p[1] = pt->rule;
		p[2] = tb.buf;
		p[3] = sev;
		p[4] = asset;
		p[5] = evs;
		p[6] = when;
		if (db_command(db, "UPDATE alerts a SET rule_id = $2, title = $3,"
		    " severity = $4::smallint, asset_id = s.id, asset_ref = s.external_id,"
		    " evidence = $6::jsonb, first_seen = to_timestamp($7::bigint),"
		    " last_seen = to_timestamp($7::bigint), occurrences = 1,"
		    " dedup_key = 'demo-candidate-' || a.id"
		    " FROM assets s WHERE a.id = $1::bigint AND s.id = $5::bigint", 7, p) < 0)
			rc = -1;
		free(evs);
	}
	PQclear(victims);
	strbuf_free(&tb);
	return rc;
}
