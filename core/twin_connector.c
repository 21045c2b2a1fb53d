/* twin_connector.c: a connector's state: status, error code, and the
 * active session (idTag, start, energy so far, last meter value), from
 * OCPP 1.6 StartTransaction / MeterValues / StopTransaction and 2.0.1
 * TransactionEvent.  Energy is Wh of Energy.Active.Import.Register. */
#include <stdlib.h>
#include <string.h>

#include "twin.h"

/* The energy register in a MeterValues meterValue list (1.6 and 2.0.1
 * share the shape); false if none.  A sampledValue without a measurand
 * is the register by the spec's default. */
static bool
meter_energy(const json_t *list, double *wh)
{
	size_t i, j;
	bool found = false;

	for (i = 0; i < json_array_size(list); i++) {
		const json_t *sv = json_object_get(json_array_get(list, i), "sampledValue");

		for (j = 0; j < json_array_size(sv); j++) {
			const json_t *v = json_array_get(sv, j), *val = json_object_get(v, "value");
			const char *m = twin_str(v, "measurand");
			const char *unit = twin_str(v, "unit");
			double x;

			if (m != NULL && strcmp(m, "Energy.Active.Import.Register") != 0)
				continue;
			if (json_is_string(val))
				x = strtod(json_string_value(val), NULL);
			else if (json_is_number(val))
				x = json_number_value(val);
			else
				continue;
			if (unit != NULL && strcmp(unit, "kWh") == 0)
				x *= 1000.0;
			*wh = x;
			found = true;
		}
	}
	return found;
}

static void
meter(json_t *st, double wh, long long at)
{
	json_t *s = json_object_get(st, "session");
	char ts[32];

	twin_time_format(ts, at);
	json_object_set_new(st, "last_meter", json_pack("{s:f, s:s}", "wh", wh, "at", ts));
	if (json_is_object(s))
		json_object_set_new(s, "energy_wh", json_real(wh -
		    json_number_value(json_object_get(s, "meter_start_wh"))));
}

static void
session_start(json_t *st, const char *idtag, const char *txid, double start_wh, long long at)
{
	json_t *s;
	char ts[32];

	twin_time_format(ts, at);
	s = json_pack("{s:s, s:f, s:f}", "start", ts, "meter_start_wh", start_wh,
	    "energy_wh", 0.0);
	/* Untrusted ids: twin_set_str gives null for text that is not UTF-8. */
	twin_set_str(s, "idTag", idtag);
	twin_set_str(s, "transaction_id", txid);
	json_object_set_new(st, "session", s);
}

static void
session_end(json_t *st, const char *reason, double stop_wh, bool have_stop, long long at)
{
	json_t *s = json_object_get(st, "session"), *last;

	if (!json_is_object(s))
		return;
	last = json_deep_copy(s);
	if (have_stop)
		json_object_set_new(last, "energy_wh", json_real(stop_wh -
		    json_number_value(json_object_get(s, "meter_start_wh"))));
	twin_set_time(last, "stop", at);
	if (reason != NULL)
		twin_set_str(last, "reason", reason);
	json_object_set_new(st, "last_session", last);
	json_object_set_new(st, "session", json_null());
}

static double
num(const json_t *o, const char *key, bool *have)
{
	const json_t *v = json_object_get(o, key);

	*have = json_is_number(v);
	return json_number_value(v);
}

static void
transaction_event(json_t *st, const struct twin_event *ev)
{
	const json_t *d = ev->data;
	const char *type = twin_str(d, "eventType");
	const char *idtag = twin_str(json_object_get(d, "idToken"), "idToken");
	char txid[64];
	double wh = 0;
	bool have = meter_energy(json_object_get(d, "meterValue"), &wh);

	if (type == NULL)
		return;
	if (!twin_text(json_object_get(d, "transactionInfo"), "transactionId", txid, sizeof txid))
		txid[0] = '\0';
	if (strcmp(type, "Started") == 0) {
		session_start(st, idtag, txid[0] ? txid : NULL, have ? wh : 0, ev->at);
		if (have)
			meter(st, wh, ev->at);
	} else if (strcmp(type, "Updated") == 0) {
		if (idtag != NULL && json_is_object(json_object_get(st, "session")))
			twin_set_str(json_object_get(st, "session"), "idTag", idtag);
		if (have)
			meter(st, wh, ev->at);
	} else if (strcmp(type, "Ended") == 0) {
		if (have)
			meter(st, wh, ev->at);
		session_end(st, twin_str(json_object_get(d, "transactionInfo"), "stoppedReason"),
		    wh, have, ev->at);
	}
}

void
twin_connector_fold(json_t *st, const struct twin_event *ev)
{
	const json_t *d = ev->data;
	char txid[64];
	double wh;
	bool have;

	if (strcmp(ev->type, "StatusNotification") == 0) {
		const char *s = twin_str(d, "status") != NULL ? twin_str(d, "status") :
		    twin_str(d, "connectorStatus");

		if (s != NULL)
			twin_set_str(st, "status", s);
		if (twin_str(d, "errorCode") != NULL)
			twin_set_str(st, "error_code", twin_str(d, "errorCode"));
		twin_set_time(st, "status_at", ev->at);
	} else if (strcmp(ev->type, "StartTransaction") == 0) {
		wh = num(d, "meterStart", &have);
		session_start(st, twin_str(d, "idTag"),
		    twin_text(d, "transactionId", txid, sizeof txid) ? txid : NULL, wh, ev->at);
		meter(st, wh, ev->at);
	} else if (strcmp(ev->type, "MeterValues") == 0) {
		if (meter_energy(json_object_get(d, "meterValue"), &wh))
			meter(st, wh, ev->at);
	} else if (strcmp(ev->type, "StopTransaction") == 0) {
		wh = num(d, "meterStop", &have);
		if (have)
			meter(st, wh, ev->at);
		session_end(st, twin_str(d, "reason"), wh, have, ev->at);
	} else if (strcmp(ev->type, "TransactionEvent") == 0) {
		transaction_event(st, ev);
	}
}
