/* twin_vehicle.c: a vehicle's and an ECU's state.
 *
 * Vehicle: VIN, model, software version, its ECUs with hardware and
 * software versions, OTA state (assigned software, rollout, action status,
 * from hawkBit's action feedback), last telematics (TCU snapshot) and the
 * app accounts linked to it.  ECU: hardware and software versions (the
 * previous software and when it changed), OTA status, last report. */
#include <string.h>

#include "twin.h"

static bool
is(const struct twin_event *ev, const char *type)
{
	return strcmp(ev->type, type) == 0;
}

/* hawkBit action feedback for this controller. */
static void
ota(json_t *st, const struct twin_event *ev)
{
	const json_t *d = ev->data;
	json_t *o = twin_obj(st, "ota");
	const char *status = twin_str(d, "status");
	char buf[64];

	if (status != NULL)
		twin_set_str(o, "status", status);
	if (twin_str(d, "swVersion") != NULL)
		twin_set_str(o, "assigned_software", twin_str(d, "swVersion"));
	if (twin_text(d, "rollout", buf, sizeof buf) || twin_text(d, "rolloutId", buf, sizeof buf))
		twin_set_str(o, "rollout", buf);
	if (twin_text(d, "actionId", buf, sizeof buf))
		twin_set_str(o, "action_id", buf);
	twin_set_time(o, "at", ev->at);
	/* Only a finished action changes what the vehicle runs. */
	if (status != NULL && strcmp(status, "finished") == 0 && twin_str(d, "swVersion") != NULL)
		twin_set_str(st, "software_version", twin_str(d, "swVersion"));
}

void
twin_vehicle_fold(json_t *st, const struct twin_event *ev)
{
	const json_t *d = ev->data;

	if (is(ev, "VehicleInfo")) {
		if (twin_str(d, "vin") != NULL)
			twin_set_str(st, "vin", twin_str(d, "vin"));
		if (twin_str(d, "model") != NULL)
			twin_set_str(st, "model", twin_str(d, "model"));
	} else if (is(ev, "TelemetrySnapshot")) {
		json_t *t = json_is_object(d) ? json_deep_copy(d) : json_object();

		twin_set_time(t, "at", ev->at);
		json_object_set_new(st, "telematics", t);
	} else if (is(ev, "OtaStatus")) {
		ota(st, ev);
	} else if (is(ev, "EcuReport")) {
		const char *ecu = twin_str(d, "ecu");
		json_t *e;

		if (ecu == NULL)
			return;
		e = twin_obj(twin_obj(st, "ecus"), ecu);
		if (twin_str(d, "hwVersion") != NULL)
			twin_set_str(e, "hw_version", twin_str(d, "hwVersion"));
		if (twin_str(d, "swVersion") != NULL)
			twin_set_str(e, "sw_version", twin_str(d, "swVersion"));
		twin_set_time(e, "at", ev->at);
	} else if (is(ev, "AccountLinked")) {
		twin_set_add(st, "accounts", twin_str(d, "user"));
	} else if (is(ev, "AccountUnlinked")) {
		twin_set_remove(st, "accounts", twin_str(d, "user"));
	}
}

void
twin_ecu_fold(json_t *st, const struct twin_event *ev)
{
	const json_t *d = ev->data;

	if (is(ev, "EcuReport")) {
		const char *hw = twin_str(d, "hwVersion"), *sw = twin_str(d, "swVersion");
		const char *cur = twin_str(st, "sw_version");

		if (hw != NULL)
			twin_set_str(st, "hw_version", hw);
		if (sw != NULL && (cur == NULL || strcmp(cur, sw) != 0)) {
			if (cur != NULL) {
				json_object_set_new(st, "sw_previous", json_string(cur));
				twin_set_time(st, "sw_changed_at", ev->at);
			}
			twin_set_str(st, "sw_version", sw);
		}
		twin_set_time(st, "last_report", ev->at);
	} else if (is(ev, "OtaStatus")) {
		if (twin_str(d, "status") != NULL)
			twin_set_str(st, "ota_status", twin_str(d, "status"));
		twin_set_time(st, "ota_at", ev->at);
	}
}
