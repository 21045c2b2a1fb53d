/* demo_fleet.c: the demo fleet: sites, charging stations and their
 * connectors, vehicles and their ECUs, driver-app users, back-end services
 * and OTA rollouts, laid out in memory from the fleet's own stream, then
 * loaded as assets, timeline events and current state. */
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

/* --- the vocabulary of the fleet ------------------------------------- */

struct city {
	const char	*name;
	const char	*tz;
};

static const struct city cities[] = {
	{ "Hamburg", "Europe/Berlin" }, { "Lyon", "Europe/Paris" },
	{ "Utrecht", "Europe/Amsterdam" }, { "Graz", "Europe/Vienna" },
	{ "Aarhus", "Europe/Copenhagen" }, { "Bilbao", "Europe/Madrid" },
	{ "Turin", "Europe/Rome" }, { "Gothenburg", "Europe/Stockholm" },
};

static const char *const site_kinds[] = {
	"Depot", "Highway Hub", "Retail Park", "Fleet Yard", "Park & Ride"
};

/* Fictional vendors: the demo must not suggest real products are hacked. */
const struct vendor fleet_vendors[] = {
	{ "Voltra", "VX-150 DC", "VX", "4.2.", 150 },
	{ "Ampero", "AC-22 Twin", "AMP", "1.9.", 22 },
	{ "ChargeCore", "CC Ultra 300", "CCU", "7.0.", 300 },
	{ "Northgrid", "NG-50 Compact", "NG", "2.14.", 50 },
	{ "Helio EV", "Helio Wall 11", "HLW", "3.3.", 11 },
};

/* Strings a compromised or hostile station might report: the console and
 * the CLI must show these as visible escapes, never interpret them. */
static const char *const hostile_vendors[] = {
	"Voltra\x1b]0;pwned\x07\x1b[2J",
	"Ampero \xc2\x9b" "31mRED \xe2\x80\xae" "exe.gnp",
	"\x1b[31mChargeCore\x1b[0m\x1b[?1049h",
};

struct vehicle_model {
	const char	*name;
	const char	*wmi;		/* world manufacturer identifier */
	const char	*vds;		/* vehicle descriptor section (5 chars) */
};

static const struct vehicle_model vmodels[] = {
	{ "Aurora EV", "WA9", "AE2X7" },
	{ "Brisk 4", "VF9", "BR4K1" },
	{ "Cargo e-Van", "WM9", "CV3E5" },
	{ "Drift GT", "ZA9", "DG8T3" },
};

const struct ecu_kind fleet_ecu_kinds[FLEET_N_ECU_KINDS] = {
	{ "TCU", "Telematics control unit", "Telemetrix", 4, 1 },
	{ "BMS", "Battery management system", "Cellvolt", 5, 1 },
	{ "GW", "Central gateway", "Gatewise", 4, 1 },
	{ "IVI", "Infotainment head unit", "Mediacore", 2, 0 },
	{ "ADAS", "Driver assistance", "Visionary", 5, 0 },
	{ "OBC", "On-board charger", "Cellvolt", 3, 0 },
	{ "VCU", "Vehicle control unit", "Drivetec", 5, 0 },
};

static const char *const first_names[] = {
	"mia", "noah", "lea", "ben", "emma", "finn", "sofia", "luca", "anna",
	"elias", "clara", "jonas", "ida", "oskar", "maja", "theo"
};
static const char *const last_names[] = {
	"berg", "novak", "dubois", "jansen", "rossi", "larsen", "garcia", "weber",
	"muller", "silva", "kowalski", "nielsen"
};
static const char *const countries[] = { "DE", "FR", "NL", "AT", "DK", "ES", "IT", "SE" };
const char *const fleet_far_countries[] = { "BR", "VN", "NG", "KZ", "PE", "ID" };
const char *const fleet_operators[] = {
	"ops-portal", "roaming-hub", "svc-billing", "partner-emsp-3", "smart-charging"
};
const int fleet_n_far_countries = sizeof fleet_far_countries / sizeof fleet_far_countries[0];
const int fleet_n_operators = sizeof fleet_operators / sizeof fleet_operators[0];

struct service {
	const char	*id;
	const char	*name;
	const char	*url;
	int		 criticality;
};

static const struct service services[FLEET_N_SERVICES] = {
	{ "csms", "Charging station management system", "wss://csms.cpo.example/ocpp", 5 },
	{ "hawkbit", "hawkBit OTA server", "https://hawkbit.oem.example", 5 },
	{ "keycloak", "Keycloak (driver app realm)", "https://id.oem.example/realms/drivers", 5 },
	{ "pagerduty", "PagerDuty on-call", "https://events.pagerduty.com/v2/enqueue", 3 },
};

const struct rollout fleet_rollouts[FLEET_N_ROLLOUTS] = {
	{ 41, "TCU 2026.18 security update", "running", 17, "Aurora EV" },
	{ 42, "BMS 5.2 balancing fix", "paused", 18, "Brisk 4" },
};

/* --- the fleet in memory --------------------------------------------- */

static const char vin_chars[] = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";

static int
vin_value(char c)
{
	static const char *const map = "12345678.12345.7.9.23456789";

	if (c >= '0' && c <= '9')
		return c - '0';
	return map[c - 'A'] - '0';
}

/* A 17-character VIN with a valid ISO 3779 / NA check digit (position 9)
 * and a serial that makes it unique. */
static void
vin_make(char *vin, struct rng *r, const struct vehicle_model *vm, int i)
{
	static const int weights[17] = { 8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2 };
	static const char years[] = "NPRST";	/* 2022..2026 */
	int k, sum = 0;

	memcpy(vin, vm->wmi, 3);
	memcpy(vin + 3, vm->vds, 5);
	vin[9] = years[rng_below(r, sizeof years - 1)];
	vin[10] = vin_chars[rng_below(r, 23)];	/* plant: letters only */
	snprintf(vin + 11, 7, "%06d", 100000 + i);
	for (k = 0; k < 17; k++)
		if (k != 8)
			sum += vin_value(vin[k]) * weights[k];
	vin[8] = sum % 11 == 10 ? 'X' : (char)('0' + sum % 11);
	vin[17] = '\0';
}

void
fleet_uuid_make(char *out, struct rng *r)
{
	static const char hex[] = "0123456789abcdef";
	uint64_t a = rng_next(r), b = rng_next(r);
	int i, k = 0;

	/* Version 4, variant 10: looks like what Keycloak hands out. */
	a = (a & ~UINT64_C(0xf000)) | UINT64_C(0x4000);
	b = (b & ~(UINT64_C(3) << 62)) | (UINT64_C(2) << 62);
	for (i = 0; i < 32; i++) {
		uint64_t w = i < 16 ? a : b;
		int sh = 60 - 4 * (i % 16);

		if (i == 8 || i == 12 || i == 16 || i == 20)
			out[k++] = '-';
		out[k++] = hex[(w >> sh) & 15];
	}
	out[k] = '\0';
}

void
fleet_free(struct fleet *f)
{
	free(f->st);
	free(f->veh);
	free(f->usr);
}

/* Lay the fleet out and number it: sites, services, rollouts, stations,
 * connectors, vehicles, ECUs, app users, each a consecutive id range. */
void
fleet_build(struct fleet *f, const struct demo_opts *o)
{
	struct rng r;
	long long id = 1;
	int i, k;

	memset(f, 0, sizeof *f);
	rng_seed(&r, o->seed ^ UINT64_C(0xf1ee7));
	f->nsites = o->sites;
	f->nstations = o->stations;
	f->nvehicles = o->vehicles;
	f->nusers = o->vehicles;	/* about one driver per vehicle */
	f->st = xcalloc((size_t)f->nstations, sizeof *f->st);
	f->veh = xcalloc((size_t)f->nvehicles, sizeof *f->veh);
	f->usr = xcalloc((size_t)f->nusers, sizeof *f->usr);

	f->site_id = id;
	id += f->nsites;
	f->service_id = id;
	id += FLEET_N_SERVICES;
	f->rollout_id = id;
	id += FLEET_N_ROLLOUTS;
	for (i = 0; i < f->nstations; i++) {
		struct station *s = &f->st[i];
		static const int conn_w[] = { 3, 5, 2, 2 };
		static const int sp_w[] = { 2, 5, 3 };
		const struct vendor *v;

		s->id = id++;
		snprintf(s->ext, sizeof s->ext, "CS-%04d", i + 1);
		s->site = (int)rng_below(&r, (uint64_t)f->nsites);
		s->vendor = (int)rng_below(&r, sizeof fleet_vendors / sizeof fleet_vendors[0]);
		v = &fleet_vendors[s->vendor];
		s->vendor_name = v->name;
		s->ver = rng_below(&r, 10) < 6 ? "1.6" : "2.0.1";
		s->sp = 1 + rng_weighted(&r, sp_w, 3);
		s->kw = v->kw;
		snprintf(s->fw, sizeof s->fw, "%s%d", v->fw_prefix, (int)rng_below(&r, 20));
		snprintf(s->serial, sizeof s->serial, "%s%08" PRIu64, v->serial_prefix,
		    rng_below(&r, 100000000));
		s->nconn = 1 + rng_weighted(&r, conn_w, 4);
	}
	/* A few stations report hostile vendor strings (see hostile_vendors). */
	for (k = 0; k < 3 && f->nstations > 0; k++)
		f->st[(6 + 6 * k) % f->nstations].vendor_name = hostile_vendors[k];
	for (i = 0; i < f->nstations; i++) {
		f->st[i].conn_id = id;
		id += f->st[i].nconn;
		f->connectors += f->st[i].nconn;
	}
	for (i = 0; i < f->nvehicles; i++) {
		struct vehicle *v = &f->veh[i];

		v->id = id++;
		v->model = (int)rng_below(&r, sizeof vmodels / sizeof vmodels[0]);
		vin_make(v->vin, &r, &vmodels[v->model], i);
		snprintf(v->sw, sizeof v->sw, "2026.%d.%d", 10 + (int)rng_below(&r, 9),
		    (int)rng_below(&r, 6));
	}
	for (i = 0; i < f->nvehicles; i++) {
		struct vehicle *v = &f->veh[i];

		v->ecu_id = id;
		for (k = 0; k < FLEET_N_ECU_KINDS; k++)
			if (fleet_ecu_kinds[k].always || rng_below(&r, 2))
				v->ecu[v->necu++] = (unsigned char)k;
		id += v->necu;
		f->ecus += v->necu;
	}
	for (i = 0; i < f->nusers; i++) {
		struct user *u = &f->usr[i];

		u->id = id++;
		fleet_uuid_make(u->uuid, &r);
		snprintf(u->name, sizeof u->name, "%s.%s%d",
		    first_names[rng_below(&r, sizeof first_names / sizeof first_names[0])],
		    last_names[rng_below(&r, sizeof last_names / sizeof last_names[0])], i + 1);
		u->vehicle = i;
		u->country = (int)rng_below(&r, sizeof countries / sizeof countries[0]);
	}
	f->assets = id - 1;
}

/* --- assets, events, state ------------------------------------------- */

static void
asset_row(struct copy *c, long long id, const char *kind, const char *ext,
    const char *name, long long parent, int crit, const struct strbuf *attr,
    time_t created, time_t updated)
{
	copy_ll(c, id);
	copy_str(c, kind);
	copy_str(c, ext);
	copy_str(c, name);
	copy_id(c, parent);
	copy_ll(c, crit);
	copy_strn(c, attr->buf, attr->len);
	copy_ts(c, created);
	copy_ts(c, updated);
	copy_row_end(c);
}

void
fleet_site_name(char *buf, size_t len, int i)
{
	snprintf(buf, len, "%s %s", cities[i % (int)(sizeof cities / sizeof cities[0])].name,
	    site_kinds[i / (int)(sizeof cities / sizeof cities[0]) %
	    (int)(sizeof site_kinds / sizeof site_kinds[0])]);
}

int
fleet_assets_copy(struct db *db, const struct fleet *f, time_t now)
{
	struct copy c;
	struct strbuf a;
	char ext[64], name[96];
	time_t born = now - 400 * DAY;
	int i, k;

	if (copy_begin(&c, db, "COPY assets (id, kind, external_id, name, parent_id,"
	    " criticality, attributes, created_at, updated_at) FROM STDIN") < 0)
		return -1;
	strbuf_init(&a);
	for (i = 0; i < f->nsites; i++) {
		const struct city *ct = &cities[i % (int)(sizeof cities / sizeof cities[0])];

		snprintf(ext, sizeof ext, "SITE-%03d", i + 1);
		fleet_site_name(name, sizeof name, i);
		strbuf_reset(&a);
		strbuf_appendf(&a, "{\"city\": \"%s\", \"timezone\": \"%s\", \"operator\":"
		    " \"CPO Example GmbH\", \"gridConnectionKW\": %d}", ct->name, ct->tz,
		    1000 + 250 * (i % 7));
		asset_row(&c, f->site_id + i, "site", ext, name, 0, 4, &a, born, born);
	}
	for (i = 0; i < FLEET_N_SERVICES; i++) {
		strbuf_reset(&a);
		strbuf_appendf(&a, "{\"url\": \"%s\", \"environment\": \"production\"}",
		    services[i].url);
		asset_row(&c, f->service_id + i, "backend_service", services[i].id,
		    services[i].name, 0, services[i].criticality, &a, born, born);
	}
	for (i = 0; i < FLEET_N_ROLLOUTS; i++) {
		const struct rollout *ro = &fleet_rollouts[i];
		int total = f->nvehicles / 2 + 1;
		int fin = ro->status[0] == 'r' ? total / 2 : total / 4;
		int err = total / 25 + 1, run = total / 10;

		if (fin + err + run > total)
			fin = err = run = 0;
		snprintf(ext, sizeof ext, "rollout-%d", ro->id);
		strbuf_reset(&a);
		/* Shaped like hawkBit's MgmtRolloutResponseBody. */
		strbuf_appendf(&a, "{\"id\": %d, \"name\": \"%s\", \"status\": \"%s\","
		    " \"type\": \"forced\", \"distributionSetId\": %d, \"totalTargets\": %d,"
		    " \"totalGroups\": 5, \"targetFilterQuery\": \"attribute.model==%s\","
		    " \"totalTargetsPerStatus\": {\"running\": %d, \"notstarted\": %d,"
		    " \"scheduled\": 0, \"cancelled\": 0, \"finished\": %d, \"error\": %d},"
		    " \"createdBy\": \"release-bot\"}", ro->id, ro->name, ro->status, ro->ds,
		    total, ro->model, run, total - fin - err - run, fin, err);
		asset_row(&c, f->rollout_id + i, "ota_rollout", ext, ro->name,
		    f->service_id + 1, 4, &a, now - (8 - i * 3) * DAY, now - (2 - i) * DAY);
	}
	for (i = 0; i < f->nstations; i++) {
		const struct station *s = &f->st[i];

		strbuf_reset(&a);
		strbuf_append(&a, "{\"vendor\": ");
		demo_json_str(&a, s->vendor_name);
		strbuf_appendf(&a, ", \"model\": \"%s\", \"firmwareVersion\": \"%s\","
		    " \"ocppVersion\": \"%s\", \"securityProfile\": %d, \"serialNumber\":"
		    " \"%s\", \"ratedKW\": %d, \"connectors\": %d, \"site\": \"SITE-%03d\"}",
		    fleet_vendors[s->vendor].model, s->fw, s->ver, s->sp, s->serial, s->kw,
		    s->nconn, s->site + 1);
		snprintf(name, sizeof name, "%s %s", s->ext, fleet_vendors[s->vendor].model);
		asset_row(&c, s->id, "station", s->ext, name, f->site_id + s->site,
		    s->kw >= 150 ? 4 : 3, &a, born + i * 600L, now - (i % 30) * DAY);
	}
	for (i = 0; i < f->nstations; i++) {
		const struct station *s = &f->st[i];

		for (k = 0; k < s->nconn; k++) {
			snprintf(ext, sizeof ext, "%s-%d", s->ext, k + 1);
			snprintf(name, sizeof name, "%s connector %d", s->ext, k + 1);
			strbuf_reset(&a);
			strbuf_appendf(&a, "{\"connectorId\": %d, \"type\": \"%s\", \"maxKW\": %d}",
			    k + 1, s->kw <= 22 ? "Type2" : (k % 2 ? "CHAdeMO" : "CCS2"),
			    s->kw);
			asset_row(&c, s->conn_id + k, "connector", ext, name, s->id, 3, &a,
			    born + i * 600L, born + i * 600L);
		}
	}
	for (i = 0; i < f->nvehicles; i++) {
		const struct vehicle *v = &f->veh[i];

		strbuf_reset(&a);
		strbuf_appendf(&a, "{\"vin\": \"%s\", \"model\": \"%s\", \"swVersion\": \"%s\","
		    " \"modelYear\": %d, \"batteryKWh\": %d}", v->vin, vmodels[v->model].name,
		    v->sw, 2022 + (int)(strchr("NPRST", v->vin[9]) - "NPRST"),
		    60 + 10 * v->model);
		snprintf(name, sizeof name, "%s %s", vmodels[v->model].name, v->vin + 11);
		asset_row(&c, v->id, "vehicle", v->vin, name, 0, 4, &a,
		    born + i * 300L, now - (i % 20) * DAY);
	}
	for (i = 0; i < f->nvehicles; i++) {
		const struct vehicle *v = &f->veh[i];

		for (k = 0; k < v->necu; k++) {
			const struct ecu_kind *ek = &fleet_ecu_kinds[v->ecu[k]];

			snprintf(ext, sizeof ext, "%s-%s", v->vin, ek->name);
			strbuf_reset(&a);
			strbuf_appendf(&a, "{\"name\": \"%s\", \"description\": \"%s\","
			    " \"supplier\": \"%s\", \"swVersion\": \"%s.%d\", \"vin\": \"%s\"}",
			    ek->name, ek->description, ek->supplier, v->sw, v->ecu[k], v->vin);
			asset_row(&c, v->ecu_id + k, "ecu", ext, ek->name, v->id,
			    ek->criticality, &a, born + i * 300L, born + i * 300L);
		}
	}
	for (i = 0; i < f->nusers; i++) {
		const struct user *u = &f->usr[i];

		strbuf_reset(&a);
		strbuf_appendf(&a, "{\"keycloakId\": \"%s\", \"username\": \"%s\","
		    " \"email\": \"%s@example.com\", \"vehicle\": \"%s\", \"country\": \"%s\","
		    " \"mfa\": %s}", u->uuid, u->name, u->name, f->veh[u->vehicle].vin,
		    countries[u->country], i % 3 ? "true" : "false");
		asset_row(&c, u->id, "app_user", u->uuid, u->name, 0, 2, &a,
		    born + i * 900L, now - (i % 40) * DAY);
	}
	strbuf_free(&a);
	return copy_end(&c);
}

static void
event_row(struct copy *c, long long *id, long long asset, time_t at,
    const char *kind, const char *source, const struct strbuf *data)
{
	copy_ll(c, ++*id);
	copy_ll(c, asset);
	copy_ts(c, at);
	copy_ts(c, at + 2);
	copy_str(c, kind);
	copy_str(c, source);
	copy_strn(c, data->buf, data->len);
	copy_row_end(c);
}

/* A few timeline events per station and vehicle; their states are folded
 * from them afterwards (twin_db_rebuild), as the ingest's would be. */
int
fleet_events_copy(struct db *db, const struct fleet *f, uint64_t seed, time_t now,
    long long base, long *nevents)
{
	static const char *const conn_status[] = { "Available", "Charging", "Preparing",
		"SuspendedEV", "Finishing", "Faulted", "Unavailable" };
	static const int conn_w[] = { 50, 25, 5, 5, 5, 3, 2 };
	struct copy c;
	struct strbuf d;
	struct rng r;
	char ts[32];
	long long id = base;
	int i;

	/* Its own stream from --seed: the events do not shift when the alert
	 * generator changes how many numbers it draws. */
	rng_seed(&r, seed ^ UINT64_C(0xe7e47));
	if (copy_begin(&c, db, "COPY asset_events (id, asset_id, occurred_at,"
	    " ingested_at, kind, source, data) FROM STDIN") < 0)
		return -1;
	strbuf_init(&d);
	for (i = 0; i < f->nstations; i++) {
		const struct station *s = &f->st[i];
		time_t boot = now - (time_t)rng_below(&r, 20 * DAY) - DAY;

		strbuf_reset(&d);
		if (s->ver[0] == '1') {
			strbuf_append(&d, "{\"chargePointVendor\": ");
			demo_json_str(&d, s->vendor_name);
			strbuf_appendf(&d, ", \"chargePointModel\": \"%s\", \"chargePointSerialNumber\":"
			    " \"%s\", \"firmwareVersion\": \"%s\"}", fleet_vendors[s->vendor].model,
			    s->serial, s->fw);
		} else {
			strbuf_append(&d, "{\"reason\": \"PowerUp\", \"chargingStation\": {\"vendorName\": ");
			demo_json_str(&d, s->vendor_name);
			strbuf_appendf(&d, ", \"model\": \"%s\", \"serialNumber\": \"%s\","
			    " \"firmwareVersion\": \"%s\"}}", fleet_vendors[s->vendor].model, s->serial,
			    s->fw);
		}
		event_row(&c, &id, s->id, boot, "BootNotification", "csms", &d);
		demo_ts_format(ts, boot + 1, true);
		strbuf_reset(&d);
		strbuf_appendf(&d, "{\"type\": \"StartupOfTheDevice\", \"timestamp\": \"%s\"}", ts);
		event_row(&c, &id, s->id, boot + 1, "SecurityEventNotification", "csms", &d);
		strbuf_reset(&d);
		strbuf_appendf(&d, "{\"connectorId\": 1, \"status\": \"%s\", \"errorCode\": \"NoError\"}",
		    conn_status[rng_weighted(&r, conn_w, 7)]);
		event_row(&c, &id, s->id, boot + 60 + (time_t)rng_below(&r, DAY),
		    "StatusNotification", "csms", &d);
		if (rng_below(&r, 3) == 0) {
			strbuf_reset(&d);
			strbuf_append(&d, "{\"status\": \"Installed\"}");
			event_row(&c, &id, s->id, boot - 120, "FirmwareStatusNotification",
			    "csms", &d);
		}
	}
	for (i = 0; i < f->nvehicles; i++) {
		const struct vehicle *v = &f->veh[i];
		time_t t = now - (time_t)rng_below(&r, 10 * DAY) - 3600;

		strbuf_reset(&d);
		strbuf_appendf(&d, "{\"soc\": %d, \"odometerKm\": %d, \"ignition\": %s}",
		    10 + (int)rng_below(&r, 90), 1000 + (int)rng_below(&r, 90000),
		    rng_below(&r, 2) ? "true" : "false");
		event_row(&c, &id, v->id, t, "TelemetrySnapshot", "tcu", &d);
		strbuf_reset(&d);
		strbuf_appendf(&d, "{\"controllerId\": \"%s\", \"status\": \"finished\","
		    " \"swVersion\": \"%s\"}", v->vin, v->sw);
		event_row(&c, &id, v->id, t - 3 * DAY, "OtaStatus", "hawkbit", &d);
	}
	*nevents = (long)(id - base);
	strbuf_free(&d);
	return copy_end(&c);
}
