/* demo_tpl.c: the alert templates (rule, target kind, usual severity,
 * title and evidence with ${var} placeholders) and their expansion.
 * Values placed into evidence are JSON-escaped, so evidence is always
 * valid JSON even when a value (a hostile station's vendor string) is not. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo_int.h"
#include "strbuf.h"

/* --- alert templates ------------------------------------------------- */


static const char *const var_names[V__COUNT] = {
	"asset", "station", "station2", "site", "conn", "ver", "vendor", "fw", "fw2",
	"serial", "sp", "kw", "kw2", "w2", "ip", "ip2", "lanip", "mid", "ts", "n",
	"n2", "tag", "tx", "wh1", "wh2", "op", "user", "country", "vin", "ecu",
	"sw", "sw2", "rollout", "rid", "rstatus", "ds", "ds2", "pct", "certevt",
	"raw",
};

const struct alert_tpl tpl_table[TPL_N] = {
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

void
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

void
tpl_var_num(struct vars *v, enum var k, long long n)
{
	snprintf(v->buf[k], sizeof v->buf[k], "%lld", n);
	v->s[k] = v->buf[k];
}

void
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
			demo_json_escape(out, val, strlen(val));
		else
			strbuf_append(out, val);
	}
}
