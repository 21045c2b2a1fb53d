/* twin_station.c: a charging station's state from its OCPP timeline
 * (1.6-J with the security extension, and 2.0.1), as the CSMS records it.
 *
 * Fields: identity (vendor, model, serial), firmware (current, previous,
 * when it changed, the last FirmwareStatusNotification), OCPP version,
 * security profile and transport, connection (online, last heartbeat,
 * source address), configuration keys seen, installed certificates, the
 * last security events, connector statuses the station reported, and
 * windowed counters of remote starts, authorization failures, reboots and
 * rejected messages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "twin.h"

static const char *const station_counters[] = {
	"remote_starts", "auth_failures", "reboots", "rejected_messages", NULL,
};

/* The firmware moved: keep where it came from and when. */
static void
firmware_set(json_t *st, const char *fw, long long at)
{
	const char *cur = twin_str(st, "firmware_version");

	if (fw == NULL || (cur != NULL && strcmp(cur, fw) == 0))
		return;
	if (cur != NULL) {
		json_object_set_new(st, "firmware_previous", json_string(cur));
		twin_set_time(st, "firmware_changed_at", at);
	}
	twin_set_str(st, "firmware_version", fw);
}

static void
boot(json_t *st, const struct twin_event *ev)
{
	const json_t *d = ev->data, *cs = json_object_get(d, "chargingStation");

	if (json_is_object(cs)) {	/* 2.0.1 */
		twin_set_str(st, "vendor", twin_str(cs, "vendorName"));
		twin_set_str(st, "model", twin_str(cs, "model"));
		twin_set_str(st, "serial", twin_str(cs, "serialNumber"));
		firmware_set(st, twin_str(cs, "firmwareVersion"), ev->at);
		if (twin_str(st, "ocpp_version") == NULL)
			json_object_set_new(st, "ocpp_version", json_string("2.0.1"));
		twin_set_str(st, "boot_reason", twin_str(d, "reason"));
	} else {			/* 1.6 */
		twin_set_str(st, "vendor", twin_str(d, "chargePointVendor"));
		twin_set_str(st, "model", twin_str(d, "chargePointModel"));
		twin_set_str(st, "serial", twin_str(d, "chargePointSerialNumber"));
		firmware_set(st, twin_str(d, "firmwareVersion"), ev->at);
		if (twin_str(st, "ocpp_version") == NULL)
			json_object_set_new(st, "ocpp_version", json_string("1.6"));
	}
	twin_set_time(st, "last_boot", ev->at);
	twin_counter_bump(st, "reboots", ev->at);
	json_object_set_new(st, "online", json_true());
	twin_set_time(st, "last_heartbeat", ev->at);
}

/* The WebSocket came up: where from, how, and speaking what. */
static void
connected(json_t *st, const struct twin_event *ev)
{
	const json_t *d = ev->data, *sp = json_object_get(d, "securityProfile");
	const char *proto = twin_str(d, "subprotocol");

	json_object_set_new(st, "online", json_true());
	twin_set_time(st, "connected_at", ev->at);
	if (twin_str(d, "address") != NULL)
		twin_set_str(st, "source_address", twin_str(d, "address"));
	if (twin_str(d, "transport") != NULL)
		twin_set_str(st, "transport", twin_str(d, "transport"));
	if (json_is_integer(sp))
		json_object_set_new(st, "security_profile", json_integer(json_integer_value(sp)));
	if (proto != NULL && strncmp(proto, "ocpp", 4) == 0)
		twin_set_str(st, "ocpp_version", proto + 4);
}

static void
config_seen(json_t *st, const char *key, const json_t *value, long long at)
{
	json_t *cfg = twin_obj(st, "config"), *e;
	char ts[32];

	if (key == NULL)
		return;
	twin_time_format(ts, at);
	e = json_pack("{s:O, s:s}", "value", value != NULL ? (json_t *)value : json_null(),
	    "at", ts);
	if (e != NULL)
		json_object_set_new(cfg, key, e);
	/* The profile is a configuration key too (1.6 "SecurityProfile",
	 * 2.0.1 "SecurityCtrlr.SecurityProfile"). */
	if ((strcmp(key, "SecurityProfile") == 0 ||
	    strcmp(key, "SecurityCtrlr.SecurityProfile") == 0) && json_is_string(value))
		json_object_set_new(st, "security_profile",
		    json_integer(strtoll(json_string_value(value), NULL, 10)));
}

/* ChangeConfiguration (1.6), a GetConfiguration answer (1.6), SetVariables
 * (2.0.1).  Only accepted changes move the station. */
static void
config(json_t *st, const struct twin_event *ev)
{
	const json_t *d = ev->data, *list;
	const char *status = twin_str(d, "status");
	size_t i;
	char name[256];

	if (status != NULL && strcmp(status, "Accepted") != 0 &&
	    strcmp(status, "RebootRequired") != 0)
		return;
	if (strcmp(ev->type, "ChangeConfiguration") == 0) {
		config_seen(st, twin_str(d, "key"), json_object_get(d, "value"), ev->at);
		return;
	}
	if (strcmp(ev->type, "GetConfiguration") == 0) {
		list = json_object_get(d, "configurationKey");
		for (i = 0; i < json_array_size(list); i++) {
			const json_t *k = json_array_get(list, i);

			config_seen(st, twin_str(k, "key"), json_object_get(k, "value"), ev->at);
		}
		return;
	}
	list = json_object_get(d, "setVariableData");
	for (i = 0; i < json_array_size(list); i++) {
		const json_t *v = json_array_get(list, i);
		const char *c = twin_str(json_object_get(v, "component"), "name");
		const char *n = twin_str(json_object_get(v, "variable"), "name");

		if (c == NULL || n == NULL)
			continue;
		snprintf(name, sizeof name, "%s.%s", c, n);
		config_seen(st, name, json_object_get(v, "attributeValue"), ev->at);
	}
}

static void
certificate(json_t *st, const struct twin_event *ev)
{
	const json_t *d = ev->data, *h = json_object_get(d, "certificateHashData");
	const char *serial = twin_str(h, "serialNumber");
	const char *status = twin_str(d, "status");
	json_t *certs = twin_obj(st, "certificates");

	if (serial == NULL || (status != NULL && strcmp(status, "Accepted") != 0))
		return;
	if (strcmp(ev->type, "DeleteCertificate") == 0) {
		json_object_del(certs, serial);
		return;
	}
	{
		char ts[32];
		json_t *c;

		twin_time_format(ts, ev->at);
		c = json_pack("{s:s?, s:s?, s:s}", "type", twin_str(d, "certificateType"),
		    "issuer_name_hash", twin_str(h, "issuerNameHash"), "installed_at", ts);
		if (c != NULL)
			json_object_set_new(certs, serial, c);
	}
}

static void
security_event(json_t *st, const struct twin_event *ev)
{
	const char *type = twin_str(ev->data, "type");
	json_t *e;
	char ts[32];

	if (type == NULL)
		return;
	twin_time_format(ts, ev->at);
	e = json_pack("{s:s, s:s, s:s?}", "at", ts, "type", type, "techInfo",
	    twin_str(ev->data, "techInfo"));
	if (e != NULL)
		twin_recent_push(st, "security_events", e, TWIN_RECENT);
	if (strcmp(type, "FirmwareUpdated") == 0)
		twin_set_time(st, "firmware_reported_updated_at", ev->at);
}

/* Connector 0 (or none) is the station itself. */
static void
status(json_t *st, const struct twin_event *ev)
{
	const json_t *d = ev->data;
	char id[32];
	const char *s = twin_str(d, "status") != NULL ? twin_str(d, "status") :
	    twin_str(d, "connectorStatus");

	if (s == NULL)
		return;
	if (!twin_text(d, "connectorId", id, sizeof id) || strcmp(id, "0") == 0) {
		twin_set_str(st, "status", s);
		return;
	}
	twin_set_str(twin_obj(st, "connectors"), id, s);
}

static bool
is(const struct twin_event *ev, const char *type)
{
	return strcmp(ev->type, type) == 0;
}

void
twin_station_fold(json_t *st, const struct twin_event *ev)
{
	const char *s;

	if (is(ev, "BootNotification")) {
		boot(st, ev);
	} else if (is(ev, "Heartbeat")) {
		json_object_set_new(st, "online", json_true());
		twin_set_time(st, "last_heartbeat", ev->at);
	} else if (is(ev, "Connected")) {
		connected(st, ev);
	} else if (is(ev, "Disconnected")) {
		json_object_set_new(st, "online", json_false());
		twin_set_time(st, "disconnected_at", ev->at);
	} else if (is(ev, "SecurityEventNotification")) {
		security_event(st, ev);
	} else if (is(ev, "FirmwareStatusNotification") ||
	    is(ev, "SignedFirmwareStatusNotification")) {
		twin_set_str(st, "firmware_status", twin_str(ev->data, "status"));
		twin_set_time(st, "firmware_status_at", ev->at);
	} else if (is(ev, "ChangeConfiguration") || is(ev, "GetConfiguration") ||
	    is(ev, "SetVariables")) {
		config(st, ev);
	} else if (is(ev, "InstallCertificate") || is(ev, "DeleteCertificate") ||
	    is(ev, "CertificateInstalled")) {
		certificate(st, ev);
	} else if (is(ev, "StatusNotification")) {
		status(st, ev);
	} else if (is(ev, "RemoteStartTransaction") || is(ev, "RequestStartTransaction")) {
		twin_counter_bump(st, "remote_starts", ev->at);
	} else if (is(ev, "Authorize")) {
		/* 1.6 idTagInfo.status, 2.0.1 idTokenInfo.status. */
		s = twin_str(json_object_get(ev->data, "idTagInfo"), "status");
		if (s == NULL)
			s = twin_str(json_object_get(ev->data, "idTokenInfo"), "status");
		if (s != NULL && strcmp(s, "Accepted") != 0)
			twin_counter_bump(st, "auth_failures", ev->at);
	} else if (is(ev, "CallError")) {
		twin_counter_bump(st, "rejected_messages", ev->at);
	}
	twin_counters_refresh(st, station_counters, ev->at);
}
