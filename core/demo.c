/* demo.c: the deterministic demo fleet behind `vsoc demo seed`.
 *
 * Everything is drawn from xoshiro256** streams derived from --seed, and
 * every timestamp from --now, so the same options give the same rows (ids
 * included) on every machine.  The fleet and the alerts use separate
 * streams: changing --alerts does not change the fleet.
 *
 * Rows go in through COPY FROM STDIN (text format) in one transaction.  A
 * million alerts would spend most of their time in per-row foreign-key
 * checks and 13 index insertions, so the alerts' foreign keys and secondary
 * indexes are dropped before the COPY and re-created after it from their
 * definitions read back from the catalog: the schema stays the one source
 * of truth, and nothing is committed unless all of it succeeded.
 *
 * Alerts come from a table of templates (rule, target kind, severity, title
 * and evidence with ${var} placeholders), compiled once at start.  Values
 * placed into evidence are JSON-escaped, so evidence is always valid JSON
 * even when a value (a hostile station's vendor string) is not. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "analyst.h"
#include "audit.h"
#include "db.h"
#include "demo.h"
#include "demo_incidents.h"
#include "rng.h"
#include "strbuf.h"

#define DAY	86400L
#define COPY_CHUNK	(256 * 1024)

void
demo_opts_init(struct demo_opts *o)
{
	time_t now = time(NULL);

	memset(o, 0, sizeof *o);
	o->seed = 1;
	o->sites = 3;
	o->stations = 200;
	o->vehicles = 500;
	o->alerts = 5000;
	o->now = now - now % 60;
}

/* --- time ------------------------------------------------------------ */

/* Howard Hinnant's days_from_civil / civil_from_days: exact proleptic
 * Gregorian arithmetic without timegm() or the TZ environment. */
static long
days_from_civil(long y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(long z, int *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int
parse_digits(const char **s, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if ((*s)[i] < '0' || (*s)[i] > '9')
			return -1;
		v = v * 10 + ((*s)[i] - '0');
	}
	*s += n;
	*out = v;
	return 0;
}

int
demo_parse_time(const char *s, time_t *out)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, oh = 0, om = 0, sign = 0;
	long days;

	if (s == NULL || parse_digits(&s, 4, &y) < 0 || *s++ != '-' ||
	    parse_digits(&s, 2, &mo) < 0 || *s++ != '-' ||
	    parse_digits(&s, 2, &d) < 0)
		return -1;
	if (*s == 'T' || *s == 't' || *s == ' ') {
		s++;
		if (parse_digits(&s, 2, &h) < 0 || *s++ != ':' ||
		    parse_digits(&s, 2, &mi) < 0)
			return -1;
		if (*s == ':') {
			s++;
			if (parse_digits(&s, 2, &sec) < 0)
				return -1;
		}
		if (*s == 'Z' || *s == 'z')
			s++;
		else if (*s == '+' || *s == '-') {
			sign = *s++ == '-' ? -1 : 1;
			if (parse_digits(&s, 2, &oh) < 0)
				return -1;
			if (*s == ':')
				s++;
			if (*s != '\0' && parse_digits(&s, 2, &om) < 0)
				return -1;
		}
	}
	if (*s != '\0' || y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 ||
	    h > 23 || mi > 59 || sec > 59 || oh > 23 || om > 59)
		return -1;
	days = days_from_civil(y, mo, d);
	/* Reject 2026-02-31 and friends: the round trip must match. */
	{
		int cy, cm, cd;

		civil_from_days(days, &cy, &cm, &cd);
		if (cy != y || cm != mo || cd != d)
			return -1;
	}
	*out = (time_t)(days * DAY + h * 3600L + mi * 60L + sec -
	    sign * (oh * 3600L + om * 60L));
	return 0;
}

/* "2026-11-01 00:00:00+00" (COPY) or "2026-11-01T00:00:00Z" (JSON). */
static void
ts_format(char *buf, time_t t, bool iso)
{
	long days = (long)(t >= 0 ? t / DAY : (t - DAY + 1) / DAY);
	long rem = (long)t - days * DAY;
	int y, m, d, i;

	civil_from_days(days, &y, &m, &d);
	/* Hand-rolled: strftime per timestamp is a visible cost at 1M rows. */
	buf[0] = (char)('0' + y / 1000 % 10);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + d / 10);
	buf[9] = (char)('0' + d % 10);
	buf[10] = iso ? 'T' : ' ';
	i = (int)(rem / 3600);
	buf[11] = (char)('0' + i / 10);
	buf[12] = (char)('0' + i % 10);
	buf[13] = ':';
	i = (int)(rem / 60 % 60);
	buf[14] = (char)('0' + i / 10);
	buf[15] = (char)('0' + i % 10);
	buf[16] = ':';
	i = (int)(rem % 60);
	buf[17] = (char)('0' + i / 10);
	buf[18] = (char)('0' + i % 10);
	if (iso) {
		buf[19] = 'Z';
		buf[20] = '\0';
	} else {
		memcpy(buf + 19, "+00", 4);
	}
}

/* --- JSON and COPY escaping ------------------------------------------ */

/* Append s as JSON string content (no quotes): escapes ", \ and every
 * control character, so any byte string yields valid JSON. */
static void
json_escape(struct strbuf *sb, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, start = 0;
	char u[6];

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
			continue;
		strbuf_appendn(sb, s + start, i - start);
		start = i + 1;
		switch (c) {
		case '"': strbuf_append(sb, "\\\""); break;
		case '\\': strbuf_append(sb, "\\\\"); break;
		case '\n': strbuf_append(sb, "\\n"); break;
		case '\r': strbuf_append(sb, "\\r"); break;
		case '\t': strbuf_append(sb, "\\t"); break;
		default:
			memcpy(u, "\\u00", 4);
			u[4] = hex[c >> 4];
			u[5] = hex[c & 15];
			strbuf_appendn(sb, u, 6);
		}
	}
	strbuf_appendn(sb, s + start, n - start);
}

static void
json_str(struct strbuf *sb, const char *s)
{
	strbuf_appendc(sb, '"');
	json_escape(sb, s, strlen(s));
	strbuf_appendc(sb, '"');
}

/* A COPY FROM STDIN writer: rows accumulate in a buffer that goes to the
 * server in COPY_CHUNK pieces. */
struct copy {
	struct db	*db;
	char		*buf;
	size_t		 len, cap;
	bool		 failed;
	long		 rows;
};

static void
copy_reserve(struct copy *c, size_t n)
{
	if (c->len + n <= c->cap)
		return;
	while (c->len + n > c->cap)
		c->cap = c->cap ? c->cap * 2 : 2 * COPY_CHUNK;
	c->buf = xrealloc(c->buf, c->cap);
}

/* Record the error of a failed result the way db.c does. */
static void
copy_result_error(struct db *db, PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	const char *detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;

	snprintf(db->sqlstate, sizeof db->sqlstate, "%s", state ? state : "");
	if (primary != NULL && detail != NULL)
		db_set_error(db, "%s (%s)", primary, detail);
	else if (primary != NULL)
		db_set_error(db, "%s", primary);
	else
		db_set_error(db, "%s", PQerrorMessage(db->conn));
}

/* sql is a constant COPY ... FROM STDIN statement: no values in it. */
static int
copy_begin(struct copy *c, struct db *db, const char *sql)
{
	PGresult *res;

	memset(c, 0, sizeof *c);
	c->db = db;
	res = PQexec(db->conn, sql);
	if (res == NULL || PQresultStatus(res) != PGRES_COPY_IN) {
		copy_result_error(db, res);
		PQclear(res);
		return -1;
	}
	PQclear(res);
	copy_reserve(c, COPY_CHUNK + 4096);
	return 0;
}

static void
copy_flush(struct copy *c)
{
	if (c->len > 0 && !c->failed &&
	    PQputCopyData(c->db->conn, c->buf, (int)c->len) != 1) {
		db_set_error(c->db, "COPY: %s", PQerrorMessage(c->db->conn));
		c->failed = true;
	}
	c->len = 0;
}

/* Finish the COPY; frees the buffer.  0, or -1 with db->errmsg. */
static int
copy_end(struct copy *c)
{
	PGresult *res;
	int rc = 0;

	copy_flush(c);
	free(c->buf);
	c->buf = NULL;
	if (PQputCopyEnd(c->db->conn, c->failed ? "client error" : NULL) != 1) {
		db_set_error(c->db, "COPY: %s", PQerrorMessage(c->db->conn));
		rc = -1;
	}
	while ((res = PQgetResult(c->db->conn)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK && rc == 0 && !c->failed) {
			copy_result_error(c->db, res);
			rc = -1;
		}
		PQclear(res);
	}
	return c->failed ? -1 : rc;
}

/* A text field, escaped for COPY's text format. */
static void
copy_strn(struct copy *c, const char *s, size_t n)
{
	size_t i;
	char *o;

	copy_reserve(c, 2 * n + 1);
	o = c->buf + c->len;
	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '\\': *o++ = '\\'; *o++ = '\\'; break;
		case '\t': *o++ = '\\'; *o++ = 't'; break;
		case '\n': *o++ = '\\'; *o++ = 'n'; break;
		case '\r': *o++ = '\\'; *o++ = 'r'; break;
		default: *o++ = s[i];
		}
	}
	*o++ = '\t';
	c->len = (size_t)(o - c->buf);
}

static void
copy_str(struct copy *c, const char *s)
{
	if (s == NULL) {
		copy_reserve(c, 3);
		memcpy(c->buf + c->len, "\\N\t", 3);
		c->len += 3;
	} else {
		copy_strn(c, s, strlen(s));
	}
}

static void
copy_ll(struct copy *c, long long v)
{
	copy_reserve(c, 24);
	c->len += (size_t)snprintf(c->buf + c->len, 24, "%lld\t", v);
}

/* 0 means NULL: every id column this writes is 1-based. */
static void
copy_id(struct copy *c, long long v)
{
	if (v == 0)
		copy_str(c, NULL);
	else
		copy_ll(c, v);
}

static void
copy_ts(struct copy *c, time_t t)
{
	char ts[32];

	ts_format(ts, t, false);
	copy_strn(c, ts, strlen(ts));
}

static void
copy_row_end(struct copy *c)
{
	/* Replace the last field's tab by the row's newline. */
	c->buf[c->len - 1] = '\n';
	c->rows++;
	if (c->len >= COPY_CHUNK)
		copy_flush(c);
}

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
struct vendor {
	const char	*name;
	const char	*model;
	const char	*serial_prefix;
	const char	*fw_prefix;
	int		 kw;
};

static const struct vendor vendors[] = {
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

struct ecu_kind {
	const char	*name;
	const char	*description;
	const char	*supplier;
	int		 criticality;
	int		 always;	/* every vehicle has one */
};

static const struct ecu_kind ecu_kinds[] = {
	{ "TCU", "Telematics control unit", "Telemetrix", 4, 1 },
	{ "BMS", "Battery management system", "Cellvolt", 5, 1 },
	{ "GW", "Central gateway", "Gatewise", 4, 1 },
	{ "IVI", "Infotainment head unit", "Mediacore", 2, 0 },
	{ "ADAS", "Driver assistance", "Visionary", 5, 0 },
	{ "OBC", "On-board charger", "Cellvolt", 3, 0 },
	{ "VCU", "Vehicle control unit", "Drivetec", 5, 0 },
};
#define N_ECU_KINDS ((int)(sizeof ecu_kinds / sizeof ecu_kinds[0]))

static const char *const first_names[] = {
	"mia", "noah", "lea", "ben", "emma", "finn", "sofia", "luca", "anna",
	"elias", "clara", "jonas", "ida", "oskar", "maja", "theo"
};
static const char *const last_names[] = {
	"berg", "novak", "dubois", "jansen", "rossi", "larsen", "garcia", "weber",
	"muller", "silva", "kowalski", "nielsen"
};
static const char *const countries[] = { "DE", "FR", "NL", "AT", "DK", "ES", "IT", "SE" };
static const char *const far_countries[] = { "BR", "VN", "NG", "KZ", "PE", "ID" };
static const char *const operators[] = {
	"ops-portal", "roaming-hub", "svc-billing", "partner-emsp-3", "smart-charging"
};

struct service {
	const char	*id;
	const char	*name;
	const char	*url;
	int		 criticality;
};

static const struct service services[] = {
	{ "csms", "Charging station management system", "wss://csms.cpo.example/ocpp", 5 },
	{ "hawkbit", "hawkBit OTA server", "https://hawkbit.oem.example", 5 },
	{ "keycloak", "Keycloak (driver app realm)", "https://id.oem.example/realms/drivers", 5 },
	{ "pagerduty", "PagerDuty on-call", "https://events.pagerduty.com/v2/enqueue", 3 },
};
#define N_SERVICES ((int)(sizeof services / sizeof services[0]))

struct rollout {
	int		 id;
	const char	*name;
	const char	*status;
	int		 ds;
	const char	*model;		/* target filter */
};

static const struct rollout rollouts[] = {
	{ 41, "TCU 2026.18 security update", "running", 17, "Aurora EV" },
	{ 42, "BMS 5.2 balancing fix", "paused", 18, "Brisk 4" },
};
#define N_ROLLOUTS ((int)(sizeof rollouts / sizeof rollouts[0]))

/* --- the fleet in memory --------------------------------------------- */

struct station {
	long long	 id;
	char		 ext[16];
	int		 site;
	int		 vendor;
	const char	*vendor_name;	/* a hostile string for a few */
	const char	*ver;		/* "1.6" or "2.0.1" */
	int		 sp;		/* security profile */
	int		 kw;
	char		 fw[16];
	char		 serial[24];
	long long	 conn_id;	/* first connector's asset id */
	int		 nconn;
};

struct vehicle {
	long long	 id;
	char		 vin[18];
	int		 model;
	char		 sw[16];
	long long	 ecu_id;	/* first ECU's asset id */
	int		 necu;
	unsigned char	 ecu[N_ECU_KINDS];	/* kinds, in id order */
};

struct user {
	long long	 id;
	char		 uuid[37];
	char		 name[40];
	int		 vehicle;
	int		 country;
};

struct fleet {
	int		 nsites, nstations, nvehicles, nusers;
	long long	 site_id, service_id, rollout_id;	/* first ids */
	struct station	*st;
	struct vehicle	*veh;
	struct user	*usr;
	long		 connectors, ecus, assets;
};

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

static void
uuid_make(char *out, struct rng *r)
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

static void
fleet_free(struct fleet *f)
{
	free(f->st);
	free(f->veh);
	free(f->usr);
}

/* Lay the fleet out and number it: sites, services, rollouts, stations,
 * connectors, vehicles, ECUs, app users, each a consecutive id range. */
static void
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
	id += N_SERVICES;
	f->rollout_id = id;
	id += N_ROLLOUTS;
	for (i = 0; i < f->nstations; i++) {
		struct station *s = &f->st[i];
		static const int conn_w[] = { 3, 5, 2, 2 };
		static const int sp_w[] = { 2, 5, 3 };
		const struct vendor *v;

		s->id = id++;
		snprintf(s->ext, sizeof s->ext, "CS-%04d", i + 1);
		s->site = (int)rng_below(&r, (uint64_t)f->nsites);
		s->vendor = (int)rng_below(&r, sizeof vendors / sizeof vendors[0]);
		v = &vendors[s->vendor];
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
		for (k = 0; k < N_ECU_KINDS; k++)
			if (ecu_kinds[k].always || rng_below(&r, 2))
				v->ecu[v->necu++] = (unsigned char)k;
		id += v->necu;
		f->ecus += v->necu;
	}
	for (i = 0; i < f->nusers; i++) {
		struct user *u = &f->usr[i];

		u->id = id++;
		uuid_make(u->uuid, &r);
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

static void
site_name(char *buf, size_t len, int i)
{
	snprintf(buf, len, "%s %s", cities[i % (int)(sizeof cities / sizeof cities[0])].name,
	    site_kinds[i / (int)(sizeof cities / sizeof cities[0]) %
	    (int)(sizeof site_kinds / sizeof site_kinds[0])]);
}

static int
assets_copy(struct db *db, const struct fleet *f, time_t now)
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
		site_name(name, sizeof name, i);
		strbuf_reset(&a);
		strbuf_appendf(&a, "{\"city\": \"%s\", \"timezone\": \"%s\", \"operator\":"
		    " \"CPO Example GmbH\", \"gridConnectionKW\": %d}", ct->name, ct->tz,
		    1000 + 250 * (i % 7));
		asset_row(&c, f->site_id + i, "site", ext, name, 0, 4, &a, born, born);
	}
	for (i = 0; i < N_SERVICES; i++) {
		strbuf_reset(&a);
		strbuf_appendf(&a, "{\"url\": \"%s\", \"environment\": \"production\"}",
		    services[i].url);
		asset_row(&c, f->service_id + i, "backend_service", services[i].id,
		    services[i].name, 0, services[i].criticality, &a, born, born);
	}
	for (i = 0; i < N_ROLLOUTS; i++) {
		const struct rollout *ro = &rollouts[i];
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
		json_str(&a, s->vendor_name);
		strbuf_appendf(&a, ", \"model\": \"%s\", \"firmwareVersion\": \"%s\","
		    " \"ocppVersion\": \"%s\", \"securityProfile\": %d, \"serialNumber\":"
		    " \"%s\", \"ratedKW\": %d, \"connectors\": %d, \"site\": \"SITE-%03d\"}",
		    vendors[s->vendor].model, s->fw, s->ver, s->sp, s->serial, s->kw,
		    s->nconn, s->site + 1);
		snprintf(name, sizeof name, "%s %s", s->ext, vendors[s->vendor].model);
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
			const struct ecu_kind *ek = &ecu_kinds[v->ecu[k]];

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

/* A few timeline events per station and vehicle, and their current state. */
static int
events_copy(struct db *db, const struct fleet *f, uint64_t seed, time_t now,
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
			json_str(&d, s->vendor_name);
			strbuf_appendf(&d, ", \"chargePointModel\": \"%s\", \"chargePointSerialNumber\":"
			    " \"%s\", \"firmwareVersion\": \"%s\"}", vendors[s->vendor].model,
			    s->serial, s->fw);
		} else {
			strbuf_append(&d, "{\"reason\": \"PowerUp\", \"chargingStation\": {\"vendorName\": ");
			json_str(&d, s->vendor_name);
			strbuf_appendf(&d, ", \"model\": \"%s\", \"serialNumber\": \"%s\","
			    " \"firmwareVersion\": \"%s\"}}", vendors[s->vendor].model, s->serial,
			    s->fw);
		}
		event_row(&c, &id, s->id, boot, "BootNotification", "csms", &d);
		ts_format(ts, boot + 1, true);
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
	if (copy_end(&c) < 0) {
		strbuf_free(&d);
		return -1;
	}

	if (copy_begin(&c, db, "COPY asset_state (asset_id, state, as_of, updated_at)"
	    " FROM STDIN") < 0) {
		strbuf_free(&d);
		return -1;
	}
	for (i = 0; i < f->nstations; i++) {
		const struct station *s = &f->st[i];

		strbuf_reset(&d);
		strbuf_appendf(&d, "{\"online\": %s, \"status\": \"%s\", \"firmwareVersion\":"
		    " \"%s\", \"securityProfile\": %d}", i % 17 ? "true" : "false",
		    i % 17 ? "Available" : "Unavailable", s->fw, s->sp);
		copy_ll(&c, s->id);
		copy_strn(&c, d.buf, d.len);
		copy_ts(&c, now - 60 * (i % 50));
		copy_ts(&c, now - 60 * (i % 50));
		copy_row_end(&c);
	}
	for (i = 0; i < f->nvehicles; i++) {
		const struct vehicle *v = &f->veh[i];

		strbuf_reset(&d);
		strbuf_appendf(&d, "{\"online\": %s, \"swVersion\": \"%s\", \"soc\": %d}",
		    i % 5 ? "true" : "false", v->sw, 20 + i % 80);
		copy_ll(&c, v->id);
		copy_strn(&c, d.buf, d.len);
		copy_ts(&c, now - 300 * (i % 40));
		copy_ts(&c, now - 300 * (i % 40));
		copy_row_end(&c);
	}
	strbuf_free(&d);
	return copy_end(&c);
}

/* --- alert templates ------------------------------------------------- */

enum target { T_STATION, T_CONNECTOR, T_VEHICLE, T_ECU, T_APP_USER, T_ROLLOUT };

/* The placeholders a template may use, ${name}. */
enum var {
	V_ASSET, V_STATION, V_STATION2, V_SITE, V_CONN, V_VER, V_VENDOR, V_FW, V_FW2,
	V_SERIAL, V_SP, V_KW, V_KW2, V_W2, V_IP, V_IP2, V_LANIP, V_MID, V_TS, V_N,
	V_N2, V_TAG, V_TX, V_WH1, V_WH2, V_OP, V_USER, V_COUNTRY, V_VIN, V_ECU,
	V_SW, V_SW2, V_ROLLOUT, V_RID, V_RSTATUS, V_DS, V_DS2, V_PCT, V_CERTEVT,
	V_RAW, V__COUNT
};

static const char *const var_names[V__COUNT] = {
	"asset", "station", "station2", "site", "conn", "ver", "vendor", "fw", "fw2",
	"serial", "sp", "kw", "kw2", "w2", "ip", "ip2", "lanip", "mid", "ts", "n",
	"n2", "tag", "tx", "wh1", "wh2", "op", "user", "country", "vin", "ecu",
	"sw", "sw2", "rollout", "rid", "rstatus", "ds", "ds2", "pct", "certevt",
	"raw",
};

struct alert_tpl {
	const char	*rule;
	int		 weight;
	enum target	 target;
	int		 severity;	/* usual severity; drawn with variance */
	const char	*title;
	const char	*evidence;	/* JSON; ${var} values are JSON-escaped */
};

#define OCPP_HEAD "\"ocpp\": {\"version\": \"${ver}\", \"messageId\": \"${mid}\", "

static const struct alert_tpl templates[] = {
	{ "R7", 30, T_STATION, 5,
	  "Firmware download from untrusted host ${ip} on ${station}",
	  "{" OCPP_HEAD "\"action\": \"UpdateFirmware\", \"payload\": {\"location\":"
	  " \"http://${ip}/fw/${fw2}.bin\", \"retrieveDate\": \"${ts}\"}}, \"allowlist\":"
	  " [\"fw.cpo.example\", \"hawkbit.oem.example\"], \"station\": \"${station}\","
	  " \"installedFirmware\": \"${fw}\", \"principal\": \"${op}\"}" },
	{ "R7", 20, T_STATION, 5,
	  "Invalid firmware signature reported by ${station} (firmware ${fw2})",
	  "{" OCPP_HEAD "\"action\": \"SecurityEventNotification\", \"payload\": {\"type\":"
	  " \"InvalidFirmwareSignature\", \"timestamp\": \"${ts}\", \"techInfo\":"
	  " \"signature check failed for ${fw2}\"}}, \"firmwareStatus\": \"InvalidSignature\","
	  " \"installedFirmware\": \"${fw}\", \"station\": \"${station}\"}" },
	{ "R11", 15, T_STATION, 5,
	  "Tamper detection activated on ${station} at ${site}",
	  "{" OCPP_HEAD "\"action\": \"SecurityEventNotification\", \"payload\": {\"type\":"
	  " \"TamperDetectionActivated\", \"timestamp\": \"${ts}\", \"techInfo\":"
	  " \"enclosure door sensor\"}}, \"site\": \"${site}\", \"station\": \"${station}\"}" },
	{ "R11", 20, T_STATION, 4,
	  "Security log cleared on ${station}",
	  "{" OCPP_HEAD "\"action\": \"SecurityEventNotification\", \"payload\": {\"type\":"
	  " \"SecurityLogWasCleared\", \"timestamp\": \"${ts}\"}}, \"station\": \"${station}\","
	  " \"previousLogEntries\": ${n}}" },
	{ "R11", 15, T_STATION, 4,
	  "${n} failed maintenance logins on ${station} in 15 min",
	  "{" OCPP_HEAD "\"action\": \"SecurityEventNotification\", \"payload\": {\"type\":"
	  " \"MaintenanceLoginFailed\", \"timestamp\": \"${ts}\", \"techInfo\":"
	  " \"{'user': 'service', 'origin': 'local'}\"}}, \"count\": ${n}, \"window_s\": 900}" },
	{ "R11", 10, T_STATION, 3,
	  "System clock on ${station} moved by ${n} min",
	  "{" OCPP_HEAD "\"action\": \"SecurityEventNotification\", \"payload\": {\"type\":"
	  " \"SettingSystemTime\", \"timestamp\": \"${ts}\"}}, \"offsetMinutes\": ${n}}" },
	{ "R2", 60, T_STATION, 4,
	  "WebSocket upgrade brute force on ${station}: ${n} failed Basic-auth attempts from ${ip}",
	  "{\"identity\": \"${station}\", \"source_ip\": \"${ip}\", \"failures\": ${n},"
	  " \"window_s\": 300, \"http_status\": 401, \"securityProfile\": ${sp},"
	  " \"csms\": \"csms.cpo.example\"}" },
	{ "R1", 35, T_STATION, 4,
	  "Station identity hijack: ${station} connected from ${ip} and ${ip2}",
	  "{\"identity\": \"${station}\", \"sessions\": [{\"source_ip\": \"${ip2}\","
	  " \"since\": \"${ts}\"}, {\"source_ip\": \"${ip}\", \"since\": \"${ts}\"}],"
	  " \"bootNotification\": {\"chargePointVendor\": \"${vendor}\","
	  " \"chargePointSerialNumber\": \"${serial}-X\"}, \"inventory\": {\"serialNumber\":"
	  " \"${serial}\"}}" },
	{ "R9", 40, T_STATION, 4,
	  "Remote-start flood on ${station}: ${n} RemoteStartTransaction in 10 min",
	  "{" OCPP_HEAD "\"action\": \"RemoteStartTransaction\", \"payload\": {\"connectorId\":"
	  " ${conn}, \"idTag\": \"${tag}\"}}, \"count\": ${n}, \"rejected\": ${n2},"
	  " \"window_s\": 600, \"principal\": \"${op}\"}" },
	{ "R8", 25, T_STATION, 4,
	  "Charging profile limit ${kw2} kW above rating ${kw} kW on ${station}",
	  "{" OCPP_HEAD "\"action\": \"SetChargingProfile\", \"payload\": {\"connectorId\": 0,"
	  " \"csChargingProfiles\": {\"chargingProfileId\": ${n}, \"stackLevel\": 0,"
	  " \"chargingProfilePurpose\": \"ChargePointMaxProfile\", \"chargingProfileKind\":"
	  " \"Absolute\", \"chargingSchedule\": {\"chargingRateUnit\": \"W\","
	  " \"chargingSchedulePeriod\": [{\"startPeriod\": 0, \"limit\": ${w2}}]}}}},"
	  " \"ratedKW\": ${kw}, \"principal\": \"${op}\"}" },
	{ "R8", 15, T_STATION, 4,
	  "SetChargingProfile limit 0 sent to ${n} stations by ${op}",
	  "{" OCPP_HEAD "\"action\": \"SetChargingProfile\", \"payload\": {\"connectorId\": 0,"
	  " \"csChargingProfiles\": {\"chargingProfilePurpose\": \"TxDefaultProfile\","
	  " \"chargingSchedule\": {\"chargingRateUnit\": \"A\", \"chargingSchedulePeriod\":"
	  " [{\"startPeriod\": 0, \"limit\": 0}]}}}}, \"stations\": ${n}, \"window_s\": 300,"
	  " \"principal\": \"${op}\", \"scheduledDR\": false}" },
	{ "R10", 20, T_CONNECTOR, 5,
	  "Energy register went backwards on ${asset} in transaction ${tx}",
	  "{" OCPP_HEAD "\"action\": \"MeterValues\", \"payload\": {\"connectorId\": ${conn},"
	  " \"transactionId\": ${tx}, \"meterValue\": [{\"timestamp\": \"${ts}\","
	  " \"sampledValue\": [{\"value\": \"${wh2}\", \"measurand\":"
	  " \"Energy.Active.Import.Register\", \"unit\": \"Wh\"}]}]}}, \"previousWh\": ${wh1},"
	  " \"station\": \"${station}\"}" },
	{ "R10", 20, T_CONNECTOR, 4,
	  "Implied power ${kw2} kW exceeds rated ${kw} kW on ${asset}",
	  "{" OCPP_HEAD "\"action\": \"MeterValues\", \"payload\": {\"connectorId\": ${conn},"
	  " \"transactionId\": ${tx}}}, \"impliedKW\": ${kw2}, \"ratedKW\": ${kw},"
	  " \"intervalS\": 60, \"station\": \"${station}\"}" },
	{ "R3", 45, T_STATION, 3,
	  "idTag probing on ${station}: ${n} rejected idTags in 10 min",
	  "{" OCPP_HEAD "\"action\": \"Authorize\", \"payload\": {\"idTag\": \"${tag}\"}},"
	  " \"response\": {\"idTagInfo\": {\"status\": \"Invalid\"}}, \"distinctTags\": ${n},"
	  " \"window_s\": 600}" },
	{ "R4", 20, T_STATION, 4,
	  "idTag ${tag} in use on ${station} and ${station2} at once",
	  "{\"idTag\": \"${tag}\", \"stations\": [\"${station}\", \"${station2}\"],"
	  " \"distanceKm\": ${n}, \"firstStart\": \"${ts}\"}" },
	{ "R5", 30, T_STATION, 3,
	  "OCPP message replay from ${station}: messageId ${mid} seen ${n2} times",
	  "{" OCPP_HEAD "\"action\": \"StatusNotification\", \"payload\": {\"connectorId\":"
	  " ${conn}, \"status\": \"Available\", \"errorCode\": \"NoError\"}}, \"repeats\": ${n2},"
	  " \"firstSeen\": \"${ts}\", \"payloadDiffers\": false}" },
	{ "R6", 25, T_STATION, 4,
	  "${certevt} reported by ${station}",
	  "{" OCPP_HEAD "\"action\": \"SecurityEventNotification\", \"payload\": {\"type\":"
	  " \"${certevt}\", \"timestamp\": \"${ts}\", \"techInfo\": \"CN mismatch:"
	  " expected csms.cpo.example\"}}, \"securityProfile\": ${sp}, \"source_ip\": \"${ip}\"}" },
	{ "R6", 15, T_STATION, 4,
	  "TLS 1.0 handshake from ${station} rejected",
	  "{\"identity\": \"${station}\", \"source_ip\": \"${ip}\", \"tls\": {\"version\":"
	  " \"TLSv1.0\", \"cipher\": \"TLS_RSA_WITH_RC4_128_SHA\"}, \"securityProfile\": ${sp}}" },
	{ "R6", 8, T_STATION, 5,
	  "Security profile downgrade attempt on ${station} (${sp} to 1) by ${op}",
	  "{" OCPP_HEAD "\"action\": \"ChangeConfiguration\", \"payload\": {\"key\":"
	  " \"SecurityProfile\", \"value\": \"1\"}}, \"current\": ${sp}, \"principal\": \"${op}\"}" },
	{ "R12", 35, T_STATION, 4,
	  "Reboot loop on ${station}: ${n} boots in 1 h",
	  "{\"identity\": \"${station}\", \"boots\": ${n}, \"window_s\": 3600,"
	  " \"lastBoot\": {\"action\": \"BootNotification\", \"reason\": \"Watchdog\","
	  " \"at\": \"${ts}\"}, \"firmwareVersion\": \"${fw}\"}" },
	{ "R12", 15, T_STATION, 4,
	  "Memory exhaustion reported by ${station}",
	  "{" OCPP_HEAD "\"action\": \"SecurityEventNotification\", \"payload\": {\"type\":"
	  " \"MemoryExhaustion\", \"timestamp\": \"${ts}\", \"techInfo\": \"heap ${pct}% used\"}},"
	  " \"firmwareVersion\": \"${fw}\"}" },
	{ "R13", 35, T_STATION, 4,
	  "Protocol fuzzing from ${station}: ${n} FormatViolation errors in 1 min",
	  "{\"identity\": \"${station}\", \"errors\": {\"FormatViolation\": ${n},"
	  " \"TypeConstraintViolation\": ${n2}}, \"window_s\": 60, \"source_ip\": \"${ip}\","
	  " \"sample\": \"[2,\\\"${mid}\\\",\\\"Heartbeat\\\",{\\\"x\\\":[[[[[[[]]]]]]]}]\"}" },
	{ "R14", 30, T_STATION, 3,
	  "Port scan on ${station} from ${ip}: ${n} ports in 60 s",
	  "{\"source_ip\": \"${ip}\", \"target_ip\": \"${lanip}\", \"distinctPorts\": ${n},"
	  " \"window_s\": 60, \"station\": \"${station}\"}" },
	{ "R14", 12, T_STATION, 4,
	  "SYN flood against ${station} from ${ip}",
	  "{\"source_ip\": \"${ip}\", \"target_ip\": \"${lanip}\", \"packetsPerSecond\": ${n},"
	  " \"baselineP99\": ${n2}, \"protocol\": \"tcp\", \"flags\": \"S\"}" },
	{ "A1", 25, T_APP_USER, 4,
	  "App account takeover suspected for ${user}: login from ${country} after password reset",
	  "{\"keycloak\": {\"realm\": \"drivers\", \"userId\": \"${asset}\", \"username\": \"${user}\","
	  " \"events\": [{\"type\": \"UPDATE_PASSWORD\", \"time\": \"${ts}\"}, {\"type\": \"LOGIN\","
	  " \"ipAddress\": \"${ip}\", \"details\": {\"country\": \"${country}\"}}]},"
	  " \"vehicle\": \"${vin}\", \"mfa\": false}" },
	{ "A1", 20, T_APP_USER, 3,
	  "${n} failed logins for ${user} from ${ip}",
	  "{\"keycloak\": {\"realm\": \"drivers\", \"userId\": \"${asset}\", \"username\": \"${user}\","
	  " \"events\": [{\"type\": \"LOGIN_ERROR\", \"error\": \"invalid_user_credentials\","
	  " \"ipAddress\": \"${ip}\"}]}, \"count\": ${n}, \"window_s\": 600}" },
	{ "A1", 10, T_APP_USER, 4,
	  "MFA removed for ${user} from a new device",
	  "{\"keycloak\": {\"realm\": \"drivers\", \"userId\": \"${asset}\", \"username\": \"${user}\","
	  " \"events\": [{\"type\": \"REMOVE_TOTP\", \"time\": \"${ts}\", \"ipAddress\": \"${ip}\"}]},"
	  " \"vehicle\": \"${vin}\"}" },
	{ "O1", 8, T_ROLLOUT, 4,
	  "OTA rollout ${rollout} error rate ${pct}% in group ${n2}",
	  "{\"hawkbit\": {\"rolloutId\": ${rid}, \"name\": \"${rollout}\", \"status\": \"${rstatus}\","
	  " \"distributionSetId\": ${ds}, \"totalTargetsPerStatus\": {\"error\": ${n},"
	  " \"running\": ${n2}}}, \"thresholdPct\": 5}" },
	{ "O1", 4, T_ROLLOUT, 5,
	  "Unexpected distribution set change on rollout ${rollout}: ${ds} to ${ds2}",
	  "{\"hawkbit\": {\"rolloutId\": ${rid}, \"name\": \"${rollout}\", \"distributionSetId\": ${ds2},"
	  " \"previousDistributionSetId\": ${ds}, \"lastModifiedBy\": \"${op}\"}}" },
	{ "O1", 12, T_ECU, 4,
	  "Unexpected software ${sw2} on ${ecu} of ${vin}",
	  "{\"vin\": \"${vin}\", \"ecu\": \"${ecu}\", \"expected\": \"${sw}\", \"reported\": \"${sw2}\","
	  " \"hawkbit\": {\"controllerId\": \"${vin}\", \"lastAction\": null}}" },
	{ "O1", 10, T_VEHICLE, 3,
	  "OTA install failed on ${vin}: signature verification error",
	  "{\"hawkbit\": {\"controllerId\": \"${vin}\", \"rolloutId\": ${rid}, \"action\":"
	  " {\"status\": \"error\", \"messages\": [\"InstallVerificationFailed\"]}},"
	  " \"swVersion\": \"${sw}\"}" },
};
#define N_TEMPLATES ((int)(sizeof templates / sizeof templates[0]))

/* A template compiled into literal pieces and variable references. */
struct seg {
	const char	*lit;
	int		 len;		/* literal length, or -1 for a variable */
	enum var	 var;
};

struct compiled {
	struct seg	*seg;
	int		 n;
	uint64_t	 need;		/* bit per variable used */
};

static void
tpl_compile(struct compiled *c, const char *s)
{
	const char *p = s, *q, *e;
	int cap = 8, v;

	c->seg = xmalloc((size_t)cap * sizeof *c->seg);
	c->n = 0;
	c->need = 0;
	while (*p != '\0') {
		if (c->n + 2 > cap) {
			cap *= 2;
			c->seg = xrealloc(c->seg, (size_t)cap * sizeof *c->seg);
		}
		q = strstr(p, "${");
		if (q == NULL)
			q = p + strlen(p);
		if (q > p) {
			c->seg[c->n].lit = p;
			c->seg[c->n++].len = (int)(q - p);
		}
		if (*q == '\0')
			break;
		e = strchr(q, '}');
		for (v = 0; e != NULL && v < V__COUNT; v++)
			if ((size_t)(e - q - 2) == strlen(var_names[v]) &&
			    memcmp(q + 2, var_names[v], (size_t)(e - q - 2)) == 0)
				break;
		if (e == NULL || v == V__COUNT) {
			/* A typo in the table above: fail loudly in every test. */
			fprintf(stderr, "demo: bad placeholder in template: %s\n", s);
			abort();
		}
		c->seg[c->n].len = -1;
		c->seg[c->n++].var = (enum var)v;
		c->need |= UINT64_C(1) << v;
		p = e + 1;
	}
}

/* Per-alert values of the variables. */
struct vars {
	const char	*s[V__COUNT];
	char		 buf[V__COUNT][48];
};

static void
vars_num(struct vars *v, enum var k, long long n)
{
	snprintf(v->buf[k], sizeof v->buf[k], "%lld", n);
	v->s[k] = v->buf[k];
}

static void
tpl_expand(struct strbuf *out, const struct compiled *c, const struct vars *v,
    bool json)
{
	int i;

	for (i = 0; i < c->n; i++) {
		const struct seg *s = &c->seg[i];
		const char *val;

		if (s->len >= 0) {
			strbuf_appendn(out, s->lit, (size_t)s->len);
			continue;
		}
		val = v->s[s->var] ? v->s[s->var] : "";
		if (json)
			json_escape(out, val, strlen(val));
		else
			strbuf_append(out, val);
	}
}

/* --- alerts ---------------------------------------------------------- */

/* Activity by hour of day (UTC): quiet nights, busy afternoons. */
static const int hour_weight[24] = {
	3, 2, 2, 2, 2, 3, 5, 8, 10, 11, 11, 10, 10, 10, 11, 12, 12, 12, 11, 10, 8, 6, 5, 4
};

#define SPAN_HOURS (30 * 24)

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

static const struct disposition_kind dispositions[] = {
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
#define N_DISPOSITIONS ((int)(sizeof dispositions / sizeof dispositions[0]))

static const char *const note_bodies[] = {
	"Checked the source address against the partner allow-list: not ours.",
	"Asked the site operator to confirm on-site maintenance. Waiting for an answer.",
	"Pulled the station security log (GetLog SecurityLog); attached to the ticket.",
	"Same pattern as last week at another depot; linking to the incident.",
	"Rotated the AuthorizationKey and raised the security profile to 2.",
	"Vendor support says this firmware build is not one of theirs.",
	"Customer support reached the driver; they did not reset their password.",
	"Paused the rollout in hawkBit while we look at the error rate.",
};

/* Incident themes: escalated alerts of a rule join an incident of that
 * rule, so the groups make sense. */
struct incident_theme {
	const char	*rule;
	int		 severity;
	const char	*scope;
	const char	*status;
	const char	*title;		/* ${site}, ${rollout} */
	const char	*summary;
};

static const struct incident_theme themes[] = {
	{ "R7", 5, "site", "containment", "Firmware from untrusted hosts pushed to ${site} stations",
	  "UpdateFirmware calls pointing outside the firmware allow-list; rollout paused." },
	{ "R1", 4, "site", "triage", "Charging station identity hijack at ${site}",
	  "Duplicate WebSocket sessions for station identities from unknown addresses." },
	{ "A1", 4, "fleet", "open", "Driver app account takeover wave",
	  "Password resets followed by logins from new countries; MFA removed." },
	{ "R11", 5, "site", "eradication", "Physical tampering at ${site}",
	  "Tamper sensors and security-log wipes on several stations." },
	{ "O1", 4, "fleet", "containment", "OTA rollout anomaly: ${rollout}",
	  "Error rate above threshold and unexpected software versions." },
	{ "R2", 4, "fleet", "triage", "Credential brute force against the CSMS",
	  "Failed Basic-auth upgrades from documentation address ranges." },
	{ "R10", 5, "site", "recovery", "Meter value manipulation at ${site}",
	  "Energy registers going backwards; billing on hold for affected sessions." },
	{ "R8", 4, "fleet", "open", "Load-altering charging-profile campaign",
	  "SetChargingProfile bursts from one API principal." },
};
#define N_THEMES ((int)(sizeof themes / sizeof themes[0]))

struct gen {
	const struct demo_opts	*o;
	const struct fleet	*f;
	struct rng		 r;
	struct compiled		 title[N_TEMPLATES], ev[N_TEMPLATES];
	int			 weights[N_TEMPLATES];
	int			 disp_weights[N_DISPOSITIONS];
	double			 cum[SPAN_HOURS];	/* time distribution */
	int			 analysts[5];		/* alice..erin ids */
	long long		 alert_base, note_base, inc_base;
	int			 nincidents;
	/* Each template's incident theme, -1 if none: incident k (from 0)
	 * has theme k % N_THEMES. */
	int			 theme_of[N_TEMPLATES];
	struct copy		 notes;		/* COPY rows, sent after the alerts */
	long			 nnotes;
	struct strbuf		 title_buf, ev_buf;
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
			snprintf(refbuf, 48, "%s-%s", veh->vin, ecu_kinds[veh->ecu[ecu]].name);
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
		k = (int)rng_below(r, N_ROLLOUTS);
		ro = &rollouts[k];
		*asset_id = f->rollout_id + k;
		snprintf(refbuf, 48, "rollout-%d", ro->id);
		*asset_ref = refbuf;
		break;
	}
	v->s[V_ASSET] = *asset_ref;
	if (ro == NULL)
		ro = &rollouts[rng_below(r, N_ROLLOUTS)];
	if (s != NULL) {
		v->s[V_STATION] = s->ext;
		v->s[V_VER] = s->ver;
		v->s[V_VENDOR] = s->vendor_name;
		v->s[V_FW] = s->fw;
		v->s[V_SERIAL] = s->serial;
		vars_num(v, V_CONN, conn);
		vars_num(v, V_SP, s->sp);
		vars_num(v, V_KW, s->kw);
		if (need & (UINT64_C(1) << V_SITE)) {
			site_name(v->buf[V_SITE], sizeof v->buf[V_SITE], s->site);
			v->s[V_SITE] = v->buf[V_SITE];
		}
		if (need & ((UINT64_C(1) << V_KW2) | (UINT64_C(1) << V_W2))) {
			int kw2 = s->kw + s->kw / 5 + 1 + (int)rng_below(r, (uint64_t)s->kw);

			vars_num(v, V_KW2, kw2);
			vars_num(v, V_W2, kw2 * 1000LL);
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
		v->s[V_ECU] = ecu_kinds[veh->ecu[ecu]].name;
	}
	if (u != NULL) {
		v->s[V_USER] = u->name;
		v->s[V_COUNTRY] = far_countries[rng_below(r,
		    sizeof far_countries / sizeof far_countries[0])];
	}
	v->s[V_ROLLOUT] = ro->name;
	v->s[V_RSTATUS] = ro->status;
	vars_num(v, V_RID, ro->id);
	vars_num(v, V_DS, ro->ds);
	vars_num(v, V_DS2, ro->ds + 3 + (int)rng_below(r, 20));
	if (need & (UINT64_C(1) << V_FW2)) {
		snprintf(v->buf[V_FW2], 48, "%s%d-%c", s ? vendors[s->vendor].fw_prefix : "0.",
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
		uuid_make(v->buf[V_MID], r);
		v->s[V_MID] = v->buf[V_MID];
	}
	if (need & (UINT64_C(1) << V_TS)) {
		ts_format(v->buf[V_TS], first, true);
		v->s[V_TS] = v->buf[V_TS];
	}
	if (need & (UINT64_C(1) << V_TAG)) {
		snprintf(v->buf[V_TAG], 48, "%08" PRIX64, rng_next(r) >> 32);
		v->s[V_TAG] = v->buf[V_TAG];
	}
	if (need & ((UINT64_C(1) << V_WH1) | (UINT64_C(1) << V_WH2))) {
		long long wh1 = 100000 + (long long)rng_below(r, 9000000);

		vars_num(v, V_WH1, wh1);
		vars_num(v, V_WH2, wh1 - 1 - (long long)rng_below(r, 50000));
	}
	vars_num(v, V_N, 5 + (long long)rng_below(r, 120));
	vars_num(v, V_N2, 2 + (long long)rng_below(r, 9));
	vars_num(v, V_TX, 1000 + (long long)rng_below(r, 900000));
	vars_num(v, V_PCT, 6 + (long long)rng_below(r, 40));
	v->s[V_OP] = operators[rng_below(r, sizeof operators / sizeof operators[0])];
}

static int
gen_severity(struct gen *g, int base)
{
	static const int w[3] = { 18, 70, 12 };	/* one lower, as usual, one higher */
	int s = base - 1 + rng_weighted(&g->r, w, 3);

	return s < 1 ? 1 : s > 5 ? 5 : s;
}

static void
note_add(struct gen *g, long long alert_id, long long incident_id, int author,
    const char *body, time_t at)
{
	struct copy *c = &g->notes;

	/* Held in memory until the alerts they point at are loaded. */
	copy_ll(c, g->note_base + ++g->nnotes);
	copy_id(c, alert_id);
	copy_id(c, incident_id);
	copy_ll(c, author);
	copy_str(c, body);
	copy_ts(c, at);
	c->buf[c->len - 1] = '\n';
	c->rows++;
}

/* The hostile alerts: the newest three, open, with attacker-controlled
 * text straight from a station in the title and the evidence. */
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
    const struct strbuf *ev, int disp, const char *reason, time_t closed, time_t updated)
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
	copy_row_end(c);
}

static int
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
	    " created_at, updated_at, closed_at) FROM STDIN") < 0)
		return -1;
	for (i = 0; i < n - nh; i++) {
		int ti = rng_weighted(&g->r, g->weights, N_TEMPLATES);
		const struct alert_tpl *t = &templates[ti];
		long long asset_id = 0, id = g->alert_base + i + 1, incident = 0;
		const char *asset_ref = NULL, *reason = NULL;
		/* Stratified quantiles: ids grow with time, give or take. */
		double q = 1.0 - ((double)i + rng_unit(&g->r)) / (double)(n - nh);
		time_t first = gen_time(g, q), last, closed = 0, updated;
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
				incident = g->inc_base + 1 + th + N_THEMES * (long long)rng_below(&g->r,
				    (uint64_t)((g->nincidents - th + N_THEMES - 1) / N_THEMES));
		}
		updated = last;
		if (status == 3) {
			disp = rng_weighted(&g->r, g->disp_weights, N_DISPOSITIONS);
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
		alert_row(&c, id, t->rule, tb->buf, sev, status, asset_id, asset_ref,
		    first, last, occ, assignee, incident, eb, disp, reason, closed, updated);

		/* Some notes: most escalations, some true positives, a few others. */
		k = (int)rng_below(&g->r, 100);
		if ((status == 2 && k < 60) || (disp == 0 && k < 30) || k == 0)
			note_add(g, id, 0, assignee ? assignee : g->analysts[0],
			    note_bodies[rng_below(&g->r, sizeof note_bodies / sizeof note_bodies[0])],
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
			ts_format(v.buf[V_TS], first, true);
			v.s[V_TS] = v.buf[V_TS];
			strbuf_reset(tb);
			tpl_expand(tb, &ct, &v, false);
			strbuf_reset(eb);
			tpl_expand(eb, &ce, &v, true);
			alert_row(&c, id, hs->rule, tb->buf, hs->severity, 0, s->id, s->ext,
			    first, first + 30, 1 + h, 0, 0, eb, -1, NULL, 0, first + 30);
			free(ct.seg);
			free(ce.seg);
		}
	}
	*nalerts = c.rows;
	return copy_end(&c);
}

/* --- the transaction ------------------------------------------------- */

static int
exec_sql(struct db *db, const char *sql)
{
	return db_command(db, sql, 0, NULL) < 0 ? -1 : 0;
}

/* Statements read back from the catalog to undo a drop later. */
struct ddl {
	char	**sql;
	int	  n;
};

static void
ddl_free(struct ddl *d)
{
	int i;

	for (i = 0; i < d->n; i++)
		free(d->sql[i]);
	free(d->sql);
	d->sql = NULL;
	d->n = 0;
}

/* Run column 0 of every row now (the drops) and keep column 1 for later
 * (the re-creates).  Both come from the catalog, never from input. */
static int
ddl_take(struct db *db, const char *query, struct ddl *keep)
{
	PGresult *res = db_query(db, query, 0, NULL);
	int i, n;

	if (res == NULL)
		return -1;
	n = PQntuples(res);
	keep->sql = xrealloc(keep->sql, (size_t)(keep->n + n + 1) * sizeof *keep->sql);
	for (i = 0; i < n; i++)
		keep->sql[keep->n++] = xstrdup(PQgetvalue(res, i, 1));
	for (i = 0; i < n; i++)
		if (exec_sql(db, PQgetvalue(res, i, 0)) < 0) {
			PQclear(res);
			return -1;
		}
	PQclear(res);
	return 0;
}

static int
ddl_run(struct db *db, const struct ddl *d, const struct demo_opts *o)
{
	int i;

	for (i = 0; i < d->n; i++) {
		if (exec_sql(db, d->sql[i]) < 0)
			return -1;
		if (o->progress != NULL)
			o->progress("indexes", i + 1, d->n, o->arg);
	}
	return 0;
}

static long long
query_ll(struct db *db, const char *sql)
{
	PGresult *res = db_query(db, sql, 0, NULL);
	long long v;

	if (res == NULL)
		return -1;
	v = PQgetisnull(res, 0, 0) ? 0 : atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	return v;
}

/* The demo's analysts, each a login role with the demo's role, so that
 * PGUSER=bob vsoc works on any demo database.  A role that exists already
 * (roles belong to the whole cluster) is reused. */
static int
analysts_setup(struct gen *g, struct db *db)
{
	static const char *const names[5] = { "alice", "bob", "carol", "dave", "erin" };
	static const char *const display[5] = { "Alice Lindqvist", "Bob Okafor",
		"Carol Reyes", "Dave Brandt", "Erin Moreau" };
	static const enum analyst_role roles[5] = { ROLE_LEAD, ROLE_ANALYST, ROLE_ANALYST,
		ROLE_ADMIN, ROLE_VIEWER };
	struct analyst a;
	int i, found;

	for (i = 0; i < 5; i++) {
		found = analyst_lookup(db, names[i], &a);
		if (found < 0)
			return -1;
		if (found == 1 || !a.active) {
			if (analyst_add(db, names[i], roles[i], display[i]) < 0)
				return -1;
		} else if (analyst_set_role(db, names[i], roles[i]) < 0) {
			return -1;
		}
		if (analyst_lookup(db, names[i], &a) != 0)
			return -1;
		g->analysts[i] = a.id;
	}
	return 0;
}

static int
incidents_copy(struct gen *g, struct db *db)
{
	static const char *const levels[] = { "low", "medium", "high" };
	struct copy c;
	struct strbuf t, imp;
	struct vars v;
	struct compiled ct;
	char site[96];
	int k;

	if (copy_begin(&c, db, "COPY incidents (id, title, status, severity, impact, scope,"
	    " owner_id, summary, version, created_at, updated_at) FROM STDIN") < 0)
		return -1;
	strbuf_init(&t);
	strbuf_init(&imp);
	for (k = 0; k < g->nincidents; k++) {
		const struct incident_theme *th = &themes[k % N_THEMES];
		time_t created = g->o->now - (time_t)(k + 1) * 7 * 3600;

		memset(v.s, 0, sizeof v.s);
		site_name(site, sizeof site, k % g->f->nsites);
		v.s[V_SITE] = site;
		v.s[V_ROLLOUT] = rollouts[k % N_ROLLOUTS].name;
		tpl_compile(&ct, th->title);
		strbuf_reset(&t);
		tpl_expand(&t, &ct, &v, false);
		free(ct.seg);
		if (k >= N_THEMES)
			strbuf_appendf(&t, " (#%d)", k / N_THEMES + 1);
		strbuf_reset(&imp);
		strbuf_appendf(&imp, "{\"safety\": \"%s\", \"financial\": \"%s\","
		    " \"operational\": \"%s\", \"privacy\": \"%s\"}", levels[k % 2],
		    levels[(k + 1) % 3], levels[2 - k % 2], levels[th->rule[0] == 'A' ? 2 : 0]);
		copy_ll(&c, g->inc_base + k + 1);
		copy_strn(&c, t.buf, t.len);
		copy_str(&c, th->status);
		copy_ll(&c, th->severity);
		copy_strn(&c, imp.buf, imp.len);
		copy_str(&c, th->scope);
		copy_ll(&c, g->analysts[k % 2]);	/* alice or bob */
		copy_str(&c, th->summary);
		copy_ll(&c, 1);
		copy_ts(&c, created);
		copy_ts(&c, created);
		copy_row_end(&c);
	}
	strbuf_free(&t);
	strbuf_free(&imp);
	return copy_end(&c);
}

static int
notes_copy(struct gen *g, struct db *db)
{
	struct copy c;
	int k;

	/* One note per incident from its owner, then the alerts' notes. */
	for (k = 0; k < g->nincidents; k++)
		note_add(g, 0, g->inc_base + k + 1, g->analysts[k % 2],
		    "Opened from the queue; scoping affected assets.",
		    g->o->now - (time_t)(k + 1) * 7 * 3600 + 300);
	if (copy_begin(&c, db, "COPY notes (id, alert_id, incident_id, author_id, body,"
	    " created_at) FROM STDIN") < 0)
		return -1;
	/* Hand the notes' rows to the writer; it sends them in one go. */
	free(c.buf);
	c.buf = g->notes.buf;
	c.len = g->notes.len;
	c.cap = g->notes.cap;
	memset(&g->notes, 0, sizeof g->notes);
	return copy_end(&c);
}

/* After the COPY: link escalated alerts to their incidents, date the
 * incidents by their alerts, and bring every sequence past the ids we
 * chose ourselves. */
static const char *const post_sql[] = {
	"INSERT INTO incident_alerts (incident_id, alert_id, added_by, added_at)"
	" SELECT incident_id, id, assignee_id, updated_at FROM alerts"
	" WHERE incident_id IS NOT NULL",
	"INSERT INTO incident_assets (incident_id, asset_id)"
	" SELECT DISTINCT incident_id, asset_id FROM alerts WHERE incident_id IS NOT NULL",
	"UPDATE incidents i SET created_at = least(i.created_at, a.first),"
	" updated_at = greatest(i.updated_at, a.last), severity = greatest(i.severity, a.sev)"
	" FROM (SELECT incident_id, min(first_seen) AS first, max(updated_at) AS last,"
	" max(severity) AS sev FROM alerts WHERE incident_id IS NOT NULL GROUP BY 1) a"
	" WHERE a.incident_id = i.id",
	"SELECT setval(pg_get_serial_sequence('assets', 'id'), coalesce(max(id), 0) + 1, false) FROM assets",
	"SELECT setval(pg_get_serial_sequence('asset_events', 'id'), coalesce(max(id), 0) + 1, false) FROM asset_events",
	"SELECT setval(pg_get_serial_sequence('alerts', 'id'), coalesce(max(id), 0) + 1, false) FROM alerts",
	"SELECT setval(pg_get_serial_sequence('incidents', 'id'), coalesce(max(id), 0) + 1, false) FROM incidents",
	"SELECT setval(pg_get_serial_sequence('notes', 'id'), coalesce(max(id), 0) + 1, false) FROM notes",
	"ANALYZE assets, asset_events, asset_state, incidents, alerts, incident_alerts,"
	" incident_assets, notes",
};

static double
mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
demo_audit(struct db *db, const struct demo_opts *o, const struct demo_stats *st)
{
	json_t *d;
	char ts[32], seed[32];
	long long rc;

	ts_format(ts, o->now, true);
	snprintf(seed, sizeof seed, "%" PRIu64, o->seed);
	d = json_pack("{s:s, s:i, s:i, s:i, s:I, s:s, s:I, s:I}", "seed", seed,
	    "sites", o->sites, "stations", o->stations, "vehicles", o->vehicles,
	    "alerts", (json_int_t)o->alerts, "now", ts, "assets", (json_int_t)st->assets,
	    "incidents", (json_int_t)st->incidents);
	rc = audit_append(db, "demo.seed", "database", 0, NULL, 0, d);
	json_decref(d);
	return rc < 0 ? -1 : 0;
}

static int
demo_run(struct gen *g, struct db *db, struct demo_stats *st)
{
	const struct demo_opts *o = g->o;
	struct ddl undo = { NULL, 0 };
	PGresult *res;
	bool has_alerts, has_assets;
	int i, rc = -1;

	/* It drops and rebuilds indexes and creates login roles: the DBA's. */
	switch (analyst_is_dba(db)) {
	case -1:
		return -1;
	case 0:
		db_set_error(db, "demo seed needs the DBA (a PostgreSQL superuser or a"
		    " member of vsoc_owner), not an analyst's login; hint: run it as the"
		    " user who ran vsoc db migrate");
		return -1;
	}
	/* Bulk-load settings, for this transaction only.  The audit-required
	 * checks run at once (they pass for the DBA): deferred, they would
	 * block the index and key rebuilds below ("pending trigger events"). */
	if (exec_sql(db, "SET CONSTRAINTS ALL IMMEDIATE") < 0 ||
	    exec_sql(db, "SET LOCAL synchronous_commit = off") < 0 ||
	    exec_sql(db, "SET LOCAL maintenance_work_mem = '256MB'") < 0 ||
	    exec_sql(db, "SET LOCAL work_mem = '64MB'") < 0 ||
	    exec_sql(db, "LOCK TABLE assets, alerts IN ACCESS EXCLUSIVE MODE") < 0)
		return -1;
	res = db_query(db, "SELECT EXISTS (SELECT 1 FROM alerts) AS alerts,"
	    " EXISTS (SELECT 1 FROM assets) AS assets", 0, NULL);
	if (res == NULL)
		return -1;
	has_alerts = db_bool(res, 0, "alerts");
	has_assets = db_bool(res, 0, "assets");
	PQclear(res);
	if (has_alerts || has_assets) {
		db_set_error(db, "the database already has %s: demo seed only fills an empty"
		    " database (use a fresh database, or scripts/pg destroy and start again)",
		    has_alerts ? "alerts" : "assets");
		return -1;
	}
	if (analysts_setup(g, db) < 0)
		return -1;
	if ((g->inc_base = query_ll(db, "SELECT max(id) FROM incidents")) < 0 ||
	    (g->note_base = query_ll(db, "SELECT max(id) FROM notes")) < 0)
		return -1;
	g->alert_base = 0;

	if (o->progress)
		o->progress("assets", 0, 1, o->arg);
	if (assets_copy(db, g->f, o->now) < 0)
		return -1;
	{
		long long eb = query_ll(db, "SELECT max(id) FROM asset_events");

		if (eb < 0 || events_copy(db, g->f, o->seed, o->now, eb, &st->events) < 0)
			return -1;
	}
	if (incidents_copy(g, db) < 0)
		return -1;

	/* Foreign keys are checked row by row and indexes grow entry by
	 * entry; both are far cheaper built once over the loaded table. */
	if (ddl_take(db, "SELECT format('ALTER TABLE alerts DROP CONSTRAINT %I', conname),"
	    " format('ALTER TABLE alerts ADD CONSTRAINT %I %s', conname,"
	    " pg_get_constraintdef(oid)) FROM pg_constraint"
	    " WHERE conrelid = 'alerts'::regclass AND contype = 'f' ORDER BY conname",
	    &undo) < 0)
		goto out;
	/* Indexes first, then the keys: the key checks may use them. */
	{
		struct ddl idx = { NULL, 0 };

		if (ddl_take(db, "SELECT format('DROP INDEX %I.%I', schemaname, indexname),"
		    " indexdef FROM pg_indexes WHERE schemaname = current_schema()"
		    " AND tablename = 'alerts' AND indexname <> 'alerts_pkey'"
		    " ORDER BY indexname", &idx) < 0) {
			ddl_free(&idx);
			goto out;
		}
		idx.sql = xrealloc(idx.sql, (size_t)(idx.n + undo.n + 1) * sizeof *idx.sql);
		for (i = 0; i < undo.n; i++)
			idx.sql[idx.n++] = undo.sql[i];
		free(undo.sql);
		undo = idx;
	}
	if (alerts_copy(g, db, &st->alerts) < 0)
		goto out;
	if (notes_copy(g, db) < 0)
		goto out;
	if (ddl_run(db, &undo, o) < 0)
		goto out;
	for (i = 0; i < (int)(sizeof post_sql / sizeof post_sql[0]); i++)
		if (db_command(db, post_sql[i], 0, NULL) < 0)
			goto out;
	st->notes = g->nnotes;
	if (demo_incidents(db, g->analysts[0]) < 0 || demo_candidates(db, o->now) < 0 ||
	    demo_audit(db, o, st) < 0)
		goto out;
	rc = 0;
out:
	ddl_free(&undo);
	return rc;
}

int
demo_seed(struct db *db, const struct demo_opts *o, struct demo_stats *st)
{
	struct fleet f;
	struct gen *g;
	double t0 = mono_now();
	int i, rc;

	memset(st, 0, sizeof *st);
	if (o->sites < 1 || o->sites > DEMO_MAX_SITES || o->stations < 1 ||
	    o->stations > DEMO_MAX_STATIONS || o->vehicles < 1 ||
	    o->vehicles > DEMO_MAX_VEHICLES || o->alerts < 1 || o->alerts > DEMO_MAX_ALERTS) {
		db_set_error(db, "demo seed: option out of range");
		return -1;
	}
	fleet_build(&f, o);
	g = xcalloc(1, sizeof *g);
	g->o = o;
	g->f = &f;
	rng_seed(&g->r, o->seed ^ UINT64_C(0xa1e27));
	for (i = 0; i < N_TEMPLATES; i++) {
		tpl_compile(&g->title[i], templates[i].title);
		tpl_compile(&g->ev[i], templates[i].evidence);
		g->weights[i] = templates[i].weight;
	}
	for (i = 0; i < N_DISPOSITIONS; i++)
		g->disp_weights[i] = dispositions[i].weight;
	for (i = 0; i < N_TEMPLATES; i++) {
		int th;

		for (th = 0; th < N_THEMES; th++)
			if (strcmp(themes[th].rule, templates[i].rule) == 0)
				break;
		g->theme_of[i] = th < N_THEMES ? th : -1;
	}
	gen_time_table(g);
	g->nincidents = (int)(5 + o->alerts / 1000 > 1000 ? 1000 : 5 + o->alerts / 1000);
	strbuf_init(&g->title_buf);
	strbuf_init(&g->ev_buf);

	st->sites = f.nsites;
	st->stations = f.nstations;
	st->connectors = f.connectors;
	st->vehicles = f.nvehicles;
	st->ecus = f.ecus;
	st->app_users = f.nusers;
	st->services = N_SERVICES;
	st->rollouts = N_ROLLOUTS;
	st->assets = f.assets;
	st->incidents = g->nincidents;

	rc = db_begin(db);
	if (rc == 0) {
		rc = demo_run(g, db, st);
		if (rc == 0)
			rc = db_commit(db);
		else
			db_rollback(db);
	}
	st->seconds = mono_now() - t0;

	for (i = 0; i < N_TEMPLATES; i++) {
		free(g->title[i].seg);
		free(g->ev[i].seg);
	}
	free(g->notes.buf);
	strbuf_free(&g->title_buf);
	strbuf_free(&g->ev_buf);
	free(g);
	fleet_free(&f);
	return rc;
}
