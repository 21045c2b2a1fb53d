/* twin_account.c: an app user's state (the driver app's Keycloak
 * account): enabled, MFA, recent logins with source and country, devices,
 * linked vehicles and idTags, and a windowed count of failed logins (the
 * A1 takeover pattern is failures before a success).  Event types are
 * Keycloak's (LOGIN, LOGIN_ERROR, UPDATE_TOTP, REMOVE_TOTP) plus the
 * account's own changes. */
#include <string.h>

#include "twin.h"

static const char *const account_counters[] = { "login_failures", NULL };

static bool
is(const struct twin_event *ev, const char *type)
{
	return strcmp(ev->type, type) == 0;
}

static void
login(json_t *st, const struct twin_event *ev, bool ok)
{
	const json_t *d = ev->data;
	json_t *l;
	char ts[32];

	twin_time_format(ts, ev->at);
	l = json_pack("{s:s, s:b}", "at", ts, "ok", ok);
	twin_set_str(l, "source", twin_str(d, "ipAddress"));
	twin_set_str(l, "country", twin_str(d, "country"));
	if (twin_str(d, "device") != NULL)
		twin_set_str(l, "device", twin_str(d, "device"));
	twin_recent_push(st, "logins", l, TWIN_RECENT);
	if (ok) {
		twin_set_time(st, "last_login", ev->at);
		twin_set_add(st, "devices", twin_str(d, "device"));
	} else {
		twin_counter_bump(st, "login_failures", ev->at);
	}
}

void
twin_account_fold(json_t *st, const struct twin_event *ev)
{
	const json_t *d = ev->data;

	if (json_object_get(st, "enabled") == NULL)
		json_object_set_new(st, "enabled", json_true());
	if (is(ev, "LOGIN")) {
		login(st, ev, true);
	} else if (is(ev, "LOGIN_ERROR")) {
		login(st, ev, false);
	} else if (is(ev, "UPDATE_TOTP")) {
		json_object_set_new(st, "mfa", json_true());
	} else if (is(ev, "REMOVE_TOTP")) {
		json_object_set_new(st, "mfa", json_false());
	} else if (is(ev, "AccountStatus")) {
		if (json_is_boolean(json_object_get(d, "enabled")))
			json_object_set_new(st, "enabled",
			    json_boolean(json_is_true(json_object_get(d, "enabled"))));
		if (json_is_boolean(json_object_get(d, "mfa")))
			json_object_set_new(st, "mfa",
			    json_boolean(json_is_true(json_object_get(d, "mfa"))));
	} else if (is(ev, "DeviceRegistered")) {
		twin_set_add(st, "devices", twin_str(d, "device"));
	} else if (is(ev, "DeviceRemoved")) {
		twin_set_remove(st, "devices", twin_str(d, "device"));
	} else if (is(ev, "VehicleLinked")) {
		twin_set_add(st, "vehicles", twin_str(d, "vin"));
	} else if (is(ev, "VehicleUnlinked")) {
		twin_set_remove(st, "vehicles", twin_str(d, "vin"));
	} else if (is(ev, "IdTagLinked")) {
		twin_set_add(st, "id_tags", twin_str(d, "idTag"));
	} else if (is(ev, "IdTagUnlinked")) {
		twin_set_remove(st, "id_tags", twin_str(d, "idTag"));
	}
	twin_counters_refresh(st, account_counters, ev->at);
}
