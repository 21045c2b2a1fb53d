/* check_twin.c: the twin's derivations, table-driven.
 *
 * Every case is a sequence of events and what the state must say after
 * them in order.  The same sequence then goes in reversed, shuffled and
 * duplicated through the timeline (twin_log), which must end in exactly
 * the in-order state; and the state as of every moment (between events,
 * at them, before the first) must equal a fold of the events up to it. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "twin.h"

#define T0	1764547200LL	/* 2025-12-01T00:00:00Z */
#define US	1000000LL
#define MAXEV	16
#define MAXCHK	12

struct ev_row {
	long long	 id;
	long long	 at;		/* seconds after T0 */
	const char	*type;
	const char	*data;
};

struct chk_row {
	const char	*path;		/* "a.b.0.c" */
	const char	*want;		/* JSON; NULL: absent */
};

struct twin_case {
	const char	*name;
	enum twin_kind	 kind;
	struct ev_row	 ev[MAXEV];
	struct chk_row	 chk[MAXCHK];
};

static const struct twin_case cases[] = {
	{ "station 1.6 boot, firmware change, offline", TWIN_STATION, {
		{ 1, 0, "Connected", "{\"address\": \"198.51.100.7\", \"transport\": \"wss\","
		  " \"securityProfile\": 2, \"subprotocol\": \"ocpp1.6\"}" },
		{ 2, 1, "BootNotification", "{\"chargePointVendor\": \"Voltara\", \"chargePointModel\":"
		  " \"VX-22\", \"chargePointSerialNumber\": \"VX1\", \"firmwareVersion\": \"1.0\"}" },
		{ 3, 60, "Heartbeat", "{}" },
		{ 4, 3600, "FirmwareStatusNotification", "{\"status\": \"Installed\"}" },
		{ 5, 3700, "BootNotification", "{\"chargePointVendor\": \"Voltara\", \"chargePointModel\":"
		  " \"VX-22\", \"chargePointSerialNumber\": \"VX1\", \"firmwareVersion\": \"1.1\"}" },
		{ 6, 4000, "Disconnected", "{}" },
	}, {
		{ "vendor", "\"Voltara\"" }, { "model", "\"VX-22\"" }, { "serial", "\"VX1\"" },
		{ "firmware_version", "\"1.1\"" }, { "firmware_previous", "\"1.0\"" },
		{ "firmware_changed_at", "\"2025-12-01T01:01:40.000000Z\"" },
		{ "ocpp_version", "\"1.6\"" }, { "transport", "\"wss\"" },
		{ "security_profile", "2" }, { "online", "false" },
		{ "last_heartbeat", "\"2025-12-01T01:01:40.000000Z\"" },
		{ "counters.reboots.24h", "2" },
	} },
	{ "station 2.0.1 config, certificates, security events", TWIN_STATION, {
		{ 10, 0, "BootNotification", "{\"reason\": \"PowerUp\", \"chargingStation\":"
		  " {\"vendorName\": \"Ampero\", \"model\": \"A1\", \"serialNumber\": \"S9\","
		  " \"firmwareVersion\": \"2.4\"}}" },
		{ 11, 5, "SecurityEventNotification", "{\"type\": \"StartupOfTheDevice\"}" },
		{ 12, 10, "ChangeConfiguration", "{\"key\": \"HeartbeatInterval\", \"value\": \"300\","
		  " \"status\": \"Accepted\"}" },
		{ 13, 11, "ChangeConfiguration", "{\"key\": \"MaxCurrent\", \"value\": \"64\","
		  " \"status\": \"Rejected\"}" },
		{ 14, 12, "SetVariables", "{\"setVariableData\": [{\"component\": {\"name\":"
		  " \"SecurityCtrlr\"}, \"variable\": {\"name\": \"SecurityProfile\"},"
		  " \"attributeValue\": \"3\"}]}" },
		{ 15, 20, "InstallCertificate", "{\"certificateType\": \"CSMSRootCertificate\","
		  " \"status\": \"Accepted\", \"certificateHashData\": {\"serialNumber\": \"0A\","
		  " \"issuerNameHash\": \"ab\"}}" },
		{ 16, 21, "InstallCertificate", "{\"certificateType\": \"V2GRootCertificate\","
		  " \"status\": \"Accepted\", \"certificateHashData\": {\"serialNumber\": \"0B\"}}" },
		{ 17, 22, "DeleteCertificate", "{\"certificateHashData\": {\"serialNumber\": \"0A\"}}" },
		{ 18, 30, "SecurityEventNotification", "{\"type\": \"TamperDetectionActivated\","
		  " \"techInfo\": \"lid\"}" },
		{ 19, 40, "StatusNotification", "{\"connectorId\": 1, \"status\": \"Faulted\"}" },
	}, {
		{ "vendor", "\"Ampero\"" }, { "ocpp_version", "\"2.0.1\"" },
		{ "config.HeartbeatInterval.value", "\"300\"" }, { "config.MaxCurrent", NULL },
		{ "security_profile", "3" }, { "certificates.0A", NULL },
		{ "certificates.0B.type", "\"V2GRootCertificate\"" },
		{ "security_events.0.type", "\"TamperDetectionActivated\"" },
		{ "security_events.0.techInfo", "\"lid\"" },
		{ "security_events.1.type", "\"StartupOfTheDevice\"" },
		{ "connectors.1", "\"Faulted\"" }, { "firmware_previous", NULL },
	} },
	{ "station counters over sliding windows and a gap", TWIN_STATION, {
		{ 20, 0, "RemoteStartTransaction", "{}" },
		{ 21, 100, "RemoteStartTransaction", "{}" },
		{ 22, 200, "Authorize", "{\"idTagInfo\": {\"status\": \"Invalid\"}}" },
		{ 23, 201, "Authorize", "{\"idTagInfo\": {\"status\": \"Accepted\"}}" },
		{ 24, 300, "Authorize", "{\"idTokenInfo\": {\"status\": \"Blocked\"}}" },
		{ 25, 400, "CallError", "{\"errorCode\": \"FormationViolation\"}" },
		{ 26, 7200, "RemoteStartTransaction", "{}" },	/* the first two leave 1h */
		{ 27, 7300, "Heartbeat", "{}" },
	}, {
		{ "counters.remote_starts.1h", "1" }, { "counters.remote_starts.24h", "3" },
		{ "counters.auth_failures.1h", "0" }, { "counters.auth_failures.24h", "2" },
		{ "counters.rejected_messages.24h", "1" }, { "counters.reboots.24h", "0" },
		{ "online", "true" },
	} },
	{ "station counters empty after a day's gap", TWIN_STATION, {
		{ 30, 0, "RemoteStartTransaction", "{}" },
		{ 31, 10, "CallError", "{}" },
		{ 32, 90000, "Heartbeat", "{}" },
	}, {
		{ "counters.remote_starts.24h", "0" }, { "counters.rejected_messages.24h", "0" },
		{ "_buckets.remote_starts", "[]" }, { "events", "3" },
	} },
	{ "connector 1.6 session", TWIN_CONNECTOR, {
		{ 40, 0, "StatusNotification", "{\"status\": \"Preparing\", \"errorCode\": \"NoError\"}" },
		{ 41, 10, "StartTransaction", "{\"idTag\": \"TAG1\", \"meterStart\": 1000,"
		  " \"transactionId\": 77}" },
		{ 42, 20, "StatusNotification", "{\"status\": \"Charging\", \"errorCode\": \"NoError\"}" },
		{ 43, 600, "MeterValues", "{\"meterValue\": [{\"sampledValue\": [{\"value\": \"2500\"},"
		  " {\"value\": \"16\", \"measurand\": \"Current.Import\"}]}]}" },
		{ 44, 1200, "MeterValues", "{\"meterValue\": [{\"sampledValue\": [{\"value\": \"4.5\","
		  " \"unit\": \"kWh\", \"measurand\": \"Energy.Active.Import.Register\"}]}]}" },
	}, {
		{ "status", "\"Charging\"" }, { "error_code", "\"NoError\"" },
		{ "session.idTag", "\"TAG1\"" }, { "session.transaction_id", "\"77\"" },
		{ "session.start", "\"2025-12-01T00:00:10.000000Z\"" },
		{ "session.energy_wh", "3500.0" }, { "last_meter.wh", "4500.0" },
		{ "last_session", NULL },
	} },
	{ "connector session ends, fault", TWIN_CONNECTOR, {
		{ 50, 0, "StartTransaction", "{\"idTag\": \"T2\", \"meterStart\": 0}" },
		{ 51, 100, "StopTransaction", "{\"meterStop\": 900, \"reason\": \"Local\"}" },
		{ 52, 200, "StatusNotification", "{\"status\": \"Faulted\", \"errorCode\":"
		  " \"GroundFailure\"}" },
		{ 53, 300, "TransactionEvent", "{\"eventType\": \"Started\", \"idToken\": {\"idToken\":"
		  " \"T3\"}, \"transactionInfo\": {\"transactionId\": \"tx9\"}, \"meterValue\":"
		  " [{\"sampledValue\": [{\"value\": 5000}]}]}" },
		{ 54, 400, "TransactionEvent", "{\"eventType\": \"Updated\", \"meterValue\":"
		  " [{\"sampledValue\": [{\"value\": 5600}]}]}" },
	}, {
		{ "session", "{\"idTag\": \"T3\", \"transaction_id\": \"tx9\", \"start\":"
		  " \"2025-12-01T00:05:00.000000Z\", \"meter_start_wh\": 5000.0, \"energy_wh\": 600.0}" },
		{ "last_session.energy_wh", "900.0" }, { "last_session.reason", "\"Local\"" },
		{ "last_session.idTag", "\"T2\"" },
		{ "status", "\"Faulted\"" }, { "error_code", "\"GroundFailure\"" },
	} },
	{ "vehicle OTA, ECUs, telematics, accounts", TWIN_VEHICLE, {
		{ 60, 0, "VehicleInfo", "{\"vin\": \"WVSOC000000000001\", \"model\": \"Ion 3\"}" },
		{ 61, 10, "EcuReport", "{\"ecu\": \"TCU\", \"hwVersion\": \"H1\", \"swVersion\": \"4.1\"}" },
		{ 62, 20, "OtaStatus", "{\"status\": \"running\", \"swVersion\": \"4.2\", \"rolloutId\": 7,"
		  " \"actionId\": 99}" },
		{ 63, 30, "OtaStatus", "{\"status\": \"finished\", \"swVersion\": \"4.2\"}" },
		{ 64, 40, "EcuReport", "{\"ecu\": \"TCU\", \"swVersion\": \"4.2\"}" },
		{ 65, 50, "TelemetrySnapshot", "{\"soc\": 55, \"ignition\": false}" },
		{ 66, 60, "AccountLinked", "{\"user\": \"u-b\"}" },
		{ 67, 61, "AccountLinked", "{\"user\": \"u-a\"}" },
		{ 68, 62, "AccountLinked", "{\"user\": \"u-c\"}" },
		{ 69, 63, "AccountUnlinked", "{\"user\": \"u-b\"}" },
	}, {
		{ "vin", "\"WVSOC000000000001\"" }, { "model", "\"Ion 3\"" },
		{ "ecus.TCU.hw_version", "\"H1\"" }, { "ecus.TCU.sw_version", "\"4.2\"" },
		{ "ota.status", "\"finished\"" }, { "ota.rollout", "\"7\"" },
		{ "ota.action_id", "\"99\"" }, { "ota.assigned_software", "\"4.2\"" },
		{ "software_version", "\"4.2\"" }, { "telematics.soc", "55" },
		{ "accounts", "[\"u-a\", \"u-c\"]" },
	} },
	{ "ecu versions", TWIN_ECU, {
		{ 70, 0, "EcuReport", "{\"hwVersion\": \"B2\", \"swVersion\": \"1.0\"}" },
		{ 71, 86400, "EcuReport", "{\"swVersion\": \"1.0\"}" },
		{ 72, 172800, "OtaStatus", "{\"status\": \"running\"}" },
		{ 73, 180000, "EcuReport", "{\"swVersion\": \"1.1\"}" },
	}, {
		{ "hw_version", "\"B2\"" }, { "sw_version", "\"1.1\"" }, { "sw_previous", "\"1.0\"" },
		{ "sw_changed_at", "\"2025-12-03T02:00:00.000000Z\"" },
		{ "last_report", "\"2025-12-03T02:00:00.000000Z\"" }, { "ota_status", "\"running\"" },
	} },
	{ "app user takeover", TWIN_APP_USER, {
		{ 80, 0, "VehicleLinked", "{\"vin\": \"V1\"}" },
		{ 81, 1, "IdTagLinked", "{\"idTag\": \"TAG9\"}" },
		{ 82, 2, "UPDATE_TOTP", "{}" },
		{ 83, 100, "LOGIN_ERROR", "{\"ipAddress\": \"203.0.113.5\", \"country\": \"KP\"}" },
		{ 84, 110, "LOGIN_ERROR", "{\"ipAddress\": \"203.0.113.5\", \"country\": \"KP\"}" },
		{ 85, 120, "LOGIN", "{\"ipAddress\": \"203.0.113.5\", \"country\": \"KP\","
		  " \"device\": \"phone-x\"}" },
		{ 86, 130, "REMOVE_TOTP", "{}" },
		{ 87, 140, "AccountStatus", "{\"enabled\": false}" },
	}, {
		{ "enabled", "false" }, { "mfa", "false" }, { "vehicles", "[\"V1\"]" },
		{ "id_tags", "[\"TAG9\"]" }, { "devices", "[\"phone-x\"]" },
		{ "logins.0.ok", "true" }, { "logins.0.country", "\"KP\"" },
		{ "logins.1.source", "\"203.0.113.5\"" }, { "logins.2.ok", "false" },
		{ "counters.login_failures.1h", "2" },
		{ "last_login", "\"2025-12-01T00:02:00.000000Z\"" },
	} },
	{ "rollout target counts", TWIN_ROLLOUT, {
		{ 90, 0, "RolloutStatus", "{\"status\": \"running\", \"totalTargets\": 3}" },
		{ 91, 10, "ActionStatus", "{\"controllerId\": \"V1\", \"status\": \"RUNNING\"}" },
		{ 92, 11, "ActionStatus", "{\"controllerId\": \"V2\", \"status\": \"running\"}" },
		{ 93, 12, "ActionStatus", "{\"controllerId\": \"V3\", \"status\": \"SCHEDULED\"}" },
		{ 94, 20, "ActionStatus", "{\"controllerId\": \"V1\", \"status\": \"FINISHED\"}" },
		{ 95, 21, "ActionStatus", "{\"controllerId\": \"V2\", \"status\": \"ERROR\"}" },
		{ 96, 22, "ActionStatus", "{\"controllerId\": \"V2\", \"status\": \"ERROR\"}" },
		{ 97, 30, "RolloutStatus", "{\"status\": \"paused\"}" },
	}, {
		{ "status", "\"paused\"" }, { "total_targets", "3" }, { "targets", "3" },
		{ "target_counts", "{\"finished\": 1, \"error\": 1, \"scheduled\": 1}" },
	} },
};

#define NCASES	(sizeof cases / sizeof cases[0])

static size_t
case_len(const struct twin_case *c)
{
	size_t n = 0;

	while (n < MAXEV && c->ev[n].type != NULL)
		n++;
	return n;
}

/* The case's events as twin_events; data parsed into keep[]. */
static void
case_events(const struct twin_case *c, struct twin_event *ev, json_t **keep, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		json_error_t err;

		keep[i] = json_loads(c->ev[i].data, 0, &err);
		ck_assert_msg(keep[i] != NULL, "%s: event %zu: %s", c->name, i, err.text);
		ev[i].id = c->ev[i].id;
		ev[i].at = (T0 + c->ev[i].at) * US;
		ev[i].type = c->ev[i].type;
		ev[i].data = keep[i];
	}
}

static void
free_keep(json_t **keep, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		json_decref(keep[i]);
}

static const json_t *
path_get(const json_t *v, const char *path)
{
	char buf[128], *p, *save = NULL;

	snprintf(buf, sizeof buf, "%s", path);
	for (p = strtok_r(buf, ".", &save); p != NULL && v != NULL; p = strtok_r(NULL, ".", &save))
		v = json_is_array(v) ? json_array_get(v, strtoul(p, NULL, 10)) :
		    json_object_get(v, p);
	return v;
}

/* A fold of ev[0..n) in order from nothing, one event at a time. */
static json_t *
fold_in_order(enum twin_kind k, const struct twin_event *ev, size_t n)
{
	json_t *st = twin_state_new();
	size_t i;

	for (i = 0; i < n; i++)
		ck_assert_int_eq(twin_fold(k, st, &ev[i]), TWIN_FOLDED);
	return st;
}

static void
assert_same(const json_t *a, const json_t *b, const char *what, const char *name)
{
	if (!json_equal((json_t *)a, (json_t *)b)) {
		char *x = json_dumps(a, JSON_SORT_KEYS), *y = json_dumps(b, JSON_SORT_KEYS);

		ck_abort_msg("%s: %s:\n%.1500s\n%.1500s", name, what, x, y);
	}
}

START_TEST(test_in_order)
{
	const struct twin_case *c = &cases[_i];
	struct twin_event ev[MAXEV];
	json_t *keep[MAXEV], *st;
	size_t n = case_len(c), i;

	case_events(c, ev, keep, n);
	st = fold_in_order(c->kind, ev, n);
	for (i = 0; i < MAXCHK && c->chk[i].path != NULL; i++) {
		const json_t *got = path_get(st, c->chk[i].path);

		if (c->chk[i].want == NULL) {
			ck_assert_msg(got == NULL || json_is_null(got), "%s: %s present", c->name,
			    c->chk[i].path);
		} else {
			json_t *want = json_loads(c->chk[i].want, JSON_DECODE_ANY, NULL);
			char *g = got != NULL ? json_dumps(got, JSON_ENCODE_ANY) : NULL;

			ck_assert_msg(want != NULL, "%s: bad want", c->chk[i].path);
			ck_assert_msg(got != NULL && json_equal((json_t *)got, want),
			    "%s: %s is %s, want %s", c->name, c->chk[i].path,
			    g != NULL ? g : "(absent)", c->chk[i].want);
			free(g);
			json_decref(want);
		}
	}
	ck_assert_int_eq(json_integer_value(json_object_get(st, "events")), (json_int_t)n);
	ck_assert_int_eq(json_integer_value(json_object_get(st, "event_id")), ev[n - 1].id);
	json_decref(st);
	free_keep(keep, n);
}
END_TEST

/* Reversed, then shuffled (several seeds), then every event twice: the
 * timeline ends where the in-order fold did. */
START_TEST(test_out_of_order_and_duplicates)
{
	const struct twin_case *c = &cases[_i];
	struct twin_event ev[MAXEV], perm[MAXEV];
	json_t *keep[MAXEV], *want;
	size_t n = case_len(c), i, j;
	struct rng r;
	int round;

	case_events(c, ev, keep, n);
	want = fold_in_order(c->kind, ev, n);
	rng_seed(&r, 42 + (uint64_t)_i);
	for (round = 0; round < 12; round++) {
		struct twin_log l;

		for (i = 0; i < n; i++)
			perm[i] = round == 0 ? ev[n - 1 - i] : ev[i];
		for (i = n; round > 0 && i > 1; i--) {
			struct twin_event t;

			j = (size_t)rng_below(&r, i);
			t = perm[i - 1];
			perm[i - 1] = perm[j];
			perm[j] = t;
		}
		twin_log_init(&l, c->kind);
		for (i = 0; i < n; i++) {
			ck_assert_int_ne(twin_log_add(&l, &perm[i]), TWIN_DUPLICATE);
			/* A duplicate of anything already in, at once or later. */
			if (round % 2 == 1) {
				j = (size_t)rng_below(&r, i + 1);
				ck_assert_int_eq(twin_log_add(&l, &perm[j]), TWIN_DUPLICATE);
			}
		}
		for (i = 0; i < n; i++)
			ck_assert_int_eq(twin_log_add(&l, &ev[i]), TWIN_DUPLICATE);
		assert_same(l.state, want, round == 0 ? "reversed" : "shuffled", c->name);
		if (round == 0)
			ck_assert_int_eq(l.refolds, (long)n - 1);
		twin_log_free(&l);
	}
	/* twin_replay sorts and skips duplicates too. */
	for (i = 0; i < n; i++) {
		perm[i] = ev[n - 1 - i];
	}
	{
		struct twin_event twice[2 * MAXEV];
		json_t *st;

		memcpy(twice, perm, n * sizeof *perm);
		memcpy(twice + n, ev, n * sizeof *ev);
		st = twin_replay(c->kind, NULL, twice, 2 * n, 0x7fffffffffffffffLL);
		assert_same(st, want, "replay of duplicates", c->name);
		json_decref(st);
	}
	json_decref(want);
	free_keep(keep, n);
}
END_TEST

/* As of a moment: before everything, at each event, between events, and
 * in the gaps; each must equal a fold of the events up to it. */
START_TEST(test_as_of)
{
	const struct twin_case *c = &cases[_i];
	struct twin_event ev[MAXEV];
	json_t *keep[MAXEV];
	struct twin_log l;
	size_t n = case_len(c), i, upto;

	case_events(c, ev, keep, n);
	twin_log_init(&l, c->kind);
	for (i = n; i > 0; i--)
		twin_log_add(&l, &ev[i - 1]);
	for (i = 0; i <= 2 * n; i++) {
		long long at = i == 0 ? ev[0].at - 1 : i % 2 == 1 ? ev[i / 2].at :
		    ev[i / 2 - 1].at + (i / 2 < n ? (ev[i / 2].at - ev[i / 2 - 1].at) / 2 : 99 * US);
		json_t *got = twin_log_state_at(&l, at), *want;

		for (upto = 0; upto < n && ev[upto].at <= at; upto++)
			;
		want = fold_in_order(c->kind, ev, upto);
		assert_same(got, want, "as of", c->name);
		json_decref(got);
		json_decref(want);
	}
	twin_log_free(&l);
	free_keep(keep, n);
}
END_TEST

/* A long history: snapshots are taken, a late event re-folds from the
 * nearest earlier snapshot (not from the beginning), and as-of agrees
 * with a full replay at random moments. */
START_TEST(test_long_history)
{
	enum { N = 3000 };
	struct twin_event *ev = calloc(N, sizeof *ev);
	json_t *hb = json_object(), *rs = json_object(), *full, *got;
	struct twin_log l;
	struct rng r;
	long before;
	int i;

	rng_seed(&r, 7);
	twin_log_init(&l, TWIN_STATION);
	for (i = 0; i < N; i++) {
		ev[i].id = i + 1;
		ev[i].at = (T0 + i * 37LL) * US;
		ev[i].type = i % 5 == 0 ? "RemoteStartTransaction" : "Heartbeat";
		ev[i].data = i % 5 == 0 ? rs : hb;
		if (i != N - 100)	/* held back: arrives late */
			ck_assert_int_eq(twin_log_add(&l, &ev[i]), TWIN_FOLDED);
	}
	ck_assert_uint_ge(l.nsnap, (N - 1) / TWIN_SNAPSHOT_EVERY);
	before = l.refolded;
	ck_assert_int_eq(twin_log_add(&l, &ev[N - 100]), TWIN_LATE);
	ck_assert_int_le(l.refolded - before, TWIN_SNAPSHOT_EVERY + 100);
	full = twin_replay(TWIN_STATION, NULL, ev, N, 0x7fffffffffffffffLL);
	assert_same(l.state, full, "late event", "long history");
	json_decref(full);
	for (i = 0; i < 40; i++) {
		long long at = (T0 + (long long)rng_below(&r, N * 37ULL + 100)) * US - 1;

		got = twin_log_state_at(&l, at);
		full = twin_replay(TWIN_STATION, NULL, ev, N, at);
		assert_same(got, full, "as of in a long history", "long history");
		json_decref(got);
		json_decref(full);
	}
	/* The counters saw every fifth event: 1h holds 3600/37 events' worth
	 * (bucket-aligned), 24h holds all 24h. */
	ck_assert_int_gt(json_integer_value(path_get(l.state, "counters.remote_starts.1h")), 15);
	ck_assert_int_le(json_integer_value(path_get(l.state, "counters.remote_starts.24h")),
	    86400 / 37 / 5 + 2);
	twin_log_free(&l);
	json_decref(hb);
	json_decref(rs);
	free(ev);
}
END_TEST

START_TEST(test_time)
{
	static const struct { const char *in; long long us; } ok[] = {
		{ "2025-12-01T00:00:00Z", T0 * US },
		{ "2025-12-01", T0 * US },
		{ "2025-12-01 01:00", (T0 + 3600) * US },
		{ "2025-12-01T02:00:00+02:00", T0 * US },
		{ "2025-12-01T00:00:00.25Z", T0 * US + 250000 },
		{ "1764547200", T0 * US },
	};
	static const char *const bad[] = { "", "yesterday", "2025-13-01", "2025-12-01T25:00",
		"2025-12-01T00:00:00Q", "2025-12-01T00:00:00+0", "99999999999999" };
	char buf[32];
	long long us;
	size_t i;

	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		ck_assert_msg(twin_time_parse(ok[i].in, &us) == 0, "%s", ok[i].in);
		ck_assert_int_eq(us, ok[i].us);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(twin_time_parse(bad[i], &us) < 0, "%s", bad[i]);
	twin_time_format(buf, T0 * US + 5);
	ck_assert_str_eq(buf, "2025-12-01T00:00:00.000005Z");
	ck_assert_int_eq(twin_kind_parse("ota_rollout"), TWIN_ROLLOUT);
	ck_assert_int_eq(twin_kind_parse("site"), -1);
	ck_assert_str_eq(twin_kind_name(TWIN_APP_USER), "app_user");
}
END_TEST

/* Text that is not UTF-8 (a hostile station) does not stop the fold. */
START_TEST(test_hostile_text)
{
	json_t *st = twin_state_new(), *d = json_object();
	struct twin_event e = { 1, T0 * US, "BootNotification", d };

	json_object_set_new(d, "chargePointVendor", json_string("Evil\x1b[2J"));
	json_object_set_new(d, "chargePointModel", json_string_nocheck("M\xff"));
	json_object_set_new(d, "firmwareVersion", json_integer(5));	/* wrong type */
	ck_assert_int_eq(twin_fold(TWIN_STATION, st, &e), TWIN_FOLDED);
	ck_assert_str_eq(twin_str(st, "vendor"), "Evil\x1b[2J");	/* kept raw; sanitized on output */
	ck_assert_ptr_null(twin_str(st, "firmware_version"));
	ck_assert(json_is_null(json_object_get(st, "model")));
	e.id = 2;
	e.type = "NoSuchMessage";
	ck_assert_int_eq(twin_fold(TWIN_STATION, st, &e), TWIN_FOLDED);
	e.data = NULL;
	e.id = 3;
	e.type = "SecurityEventNotification";
	ck_assert_int_eq(twin_fold(TWIN_STATION, st, &e), TWIN_FOLDED);
	ck_assert_int_eq(json_integer_value(json_object_get(st, "events")), 3);
	json_decref(st);
	json_decref(d);
}
END_TEST

static Suite *
twin_suite(void)
{
	Suite *s = suite_create("twin");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_in_order, 0, (int)NCASES);
	tcase_add_loop_test(tc, test_out_of_order_and_duplicates, 0, (int)NCASES);
	tcase_add_loop_test(tc, test_as_of, 0, (int)NCASES);
	tcase_add_test(tc, test_long_history);
	tcase_add_test(tc, test_time);
	tcase_add_test(tc, test_hostile_text);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(twin_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
