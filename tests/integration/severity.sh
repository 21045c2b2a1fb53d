#!/bin/sh
# tests/integration/severity.sh: explainable incident severity on a real
# cluster (sql/005_severity.sql, core/severity_db.c, vsoc severity explain):
#  - every shipped rule has ratings, the matrix and SLA targets are there;
#  - an incident escalated from alerts gets its computed severity and
#    explanation stored in the escalate's own transaction (its one audit
#    record), and an explain that changes nothing records nothing;
#  - a fleet-wide campaign (one rule on many stations within an hour)
#    raises scope and severity;
#  - an admin's rating change moves the result (audited); a viewer, an
#    analyst or a lead cannot change ratings; a viewer's explain stores
#    nothing;
#  - a lead's override wins, the computed value stays beside it; an
#    analyst cannot override;
#  - alerts closed as false positive lower it;
#  - usage errors and unknown incidents.
. "$VSOC_SRCDIR/tests/lib.sh"
migrate
seed_small

# --- the data ----------------------------------------------------------------
[ "$(sql "SELECT count(*) FROM rules r LEFT JOIN rule_ratings x ON x.rule_id = r.id
	WHERE x.rule_id IS NULL")" = 0 ] || fail "a shipped rule has no ratings"
[ "$(sql "SELECT count(*) FROM rule_ratings")" = 16 ] || fail "ratings count"
[ "$(sql "SELECT count(*) FROM severity_matrix")" = 16 ] || fail "matrix size"
[ "$(sql "SELECT risk FROM severity_matrix WHERE impact = 'severe' AND feasibility = 'high'")" = 5 ] ||
	fail "matrix severe x high"
[ "$(sql "SELECT string_agg(name || '=' || coalesce(time_to_ack::text, '-') || '/' ||
	coalesce(time_to_resolve::text, '-'), ' ' ORDER BY severity DESC) FROM sla_targets")" = \
	"critical=00:15:00/04:00:00 high=01:00:00/24:00:00 medium=04:00:00/3 days low=24:00:00/7 days info=-/-" ] ||
	fail "SLA targets: $(sql "SELECT * FROM sla_targets")"
[ "$(sql "SELECT count(*) FROM pg_tables WHERE tableowner = 'vsoc_owner' AND tablename IN
	('rule_ratings', 'severity_matrix', 'severity_scope', 'severity_criticality',
	 'severity_params', 'sla_targets')")" = 6 ] || fail "configuration tables not owned by vsoc_owner"
[ "$(sql "SELECT count(*) FROM pg_proc p JOIN pg_roles r ON r.oid = p.proowner
	WHERE r.rolname = 'vsoc_owner' AND p.proname IN ('rule_ratings_default',
	'rule_ratings_touch', 'incidents_severity', 'severity_config_audit')")" = 4 ] ||
	fail "severity functions not owned by vsoc_owner"
# A rule added later gets middle ratings at once.
sql "INSERT INTO rules (id, name, default_severity) VALUES ('R99', 'later rule', 3)" >/dev/null
[ "$(sql "SELECT safety || feasibility FROM rule_ratings WHERE rule_id = 'R99'")" = moderatemedium ] ||
	fail "no default ratings for a new rule"
pass "ratings for every rule, matrix, SLA targets"

# mk RULE N STEP_MIN [KIND]: N alerts of RULE on the first N stations (or
# connectors), first seen STEP_MIN minutes apart; prints their ids.
mk() {
	sql "INSERT INTO alerts (rule_id, title, severity, asset_id, asset_ref, first_seen, last_seen)
	     SELECT '$1', 'severity test ' || external_id, 3, id, external_id,
	            now() - (n * $3) * interval '1 minute', now()
	     FROM (SELECT id, external_id, row_number() OVER (ORDER BY id) AS n FROM assets
	           WHERE kind = '${4:-station}' ORDER BY id LIMIT $2) s RETURNING id" | tr '\n' ' '
}

explain() {
	run_as "$1" severity explain "$2" --json
	expect_rc 0 "severity explain $2 as $1"
}

# --- one station ---------------------------------------------------------------
ids=$(mk R14 1 0)
run_as bob alert escalate $ids --title "scan on one station" --json
expect_rc 0 "escalate"
one=$(json_get 'd["incident"]')
# escalate computed and stored it, inside its own transaction.
[ "$(sql "SELECT severity || ' ' || severity_computed || ' ' || (severity_explanation->>'severity')
	FROM incidents WHERE id = $one")" = "3 3 medium" ] || fail "not stored by escalate"
explain bob "$one"
[ "$(json_get 'd["computed"], d["severity"], d["stored"], d["changed"]')" = \
	"medium medium True False" ] || fail "one station: $out"
[ "$(json_get 'd["explanation"]["lines"][0]')" = \
	"start: medium (risk 3): rule R14, impact moderate (operational) x feasibility high" ] ||
	fail "start line: $out"
[ "$(json_get 'd["explanation"]["scope"]')" = station ] || fail "scope: $out"
[ "$(sql "SELECT count(*) FROM audit_log WHERE action = 'incident.severity_refresh'
	AND object_id = $one")" = 0 ] || fail "a refresh that changed nothing was recorded"
run_as bob incident show "$one"
expect_contains "$out" "because:"
expect_contains "$out" "start: medium (risk 3): rule R14"
run_as bob severity explain "$one"
expect_rc 0 "human explain"
expect_contains "$out" "incident $one: medium"
expect_contains "$out" "computed:  medium (stored)"
pass "one station: medium, stored by escalate, shown by incident show"

# --- a fleet-wide campaign -------------------------------------------------------
ids=$(mk R14 12 4)
run_as bob alert escalate $ids --title "scan campaign" --json
expect_rc 0 "escalate the campaign"
camp=$(json_get 'd["incident"]')
explain bob "$camp"
[ "$(json_get 'd["computed"], d["explanation"]["scope"]')" = "critical fleet" ] ||
	fail "campaign: $out"
[ "$(json_get '" ".join(f["factor"] + "%+d" % f["adjust"] for f in d["explanation"]["factors"])')" = \
	"scope+2 campaign+1 assets+1 cap-2" ] || fail "campaign factors: $out"
expect_contains "$out" "60% of the fleet's stations (12 of 20)"
expect_contains "$out" "campaign: rule R14 on 12 stations, vehicles or accounts within 60 min"
# The campaign is data: past the window it is no campaign.
sql "UPDATE severity_params SET value = 30 WHERE name = 'campaign_window_minutes'" >/dev/null
explain bob "$camp"
[ "$(json_get '" ".join(f["factor"] for f in d["explanation"]["factors"])')" = "scope assets cap" ] ||
	fail "campaign window as data: $out"
sql "UPDATE severity_params SET value = 60 WHERE name = 'campaign_window_minutes'" >/dev/null
pass "fleet-wide campaign raises scope and severity"

# --- ratings: an admin changes them, nobody else can -------------------------------
for who in erin bob alice; do
	r=$(sql_as "$who" "UPDATE rule_ratings SET operational = 'negligible' WHERE rule_id = 'R14'")
	expect_contains "$r" "permission denied" "$who changing a rating"
	r=$(sql_as "$who" "UPDATE severity_matrix SET risk = 1 WHERE impact = 'moderate' AND feasibility = 'high'")
	expect_contains "$r" "permission denied" "$who changing the matrix"
	r=$(sql_as "$who" "UPDATE sla_targets SET time_to_ack = '1 minute' WHERE severity = 5")
	expect_contains "$r" "permission denied" "$who changing an SLA target"
done
r=$(sql_as dave "UPDATE rule_ratings SET operational = 'negligible',
	rationale = 'scans are noise here' WHERE rule_id = 'R14'")
expect_not_contains "$r" "ERROR" "admin changing a rating"
[ "$(sql "SELECT actor || ' ' || (details->'before'->>'operational') || ' ' ||
	(details->'after'->>'operational') FROM audit_log WHERE action = 'rule_rating.update'")" = \
	"dave moderate negligible" ] || fail "rating change not audited"
r=$(sql_as dave "UPDATE sla_targets SET time_to_ack = '10 minutes' WHERE severity = 5")
expect_not_contains "$r" "ERROR" "admin changing an SLA target"
[ "$(sql "SELECT count(*) FROM audit_log WHERE action = 'sla_target.update' AND actor = 'dave'")" = 1 ] ||
	fail "SLA change not audited"
# A viewer sees the new result but stores nothing.
explain erin "$one"
[ "$(json_get 'd["computed"], d["severity"], d["stored"], d["changed"]')" = \
	"info medium False False" ] || fail "viewer explain: $out"
[ "$(sql "SELECT severity_computed FROM incidents WHERE id = $one")" = 3 ] ||
	fail "a viewer's explain stored"
run_as bob --read-only severity explain "$one" --json
expect_rc 0 "read-only explain"
[ "$(json_get 'd["stored"]')" = False ] || fail "--read-only stored: $out"
explain bob "$one"
[ "$(json_get 'd["computed"], d["severity"], d["changed"]')" = "info info True" ] ||
	fail "after the rating change: $out"
pass "an admin's rating change moves the result; others cannot change ratings"

# --- override -------------------------------------------------------------------------
r=$(sql_as bob "BEGIN; UPDATE incidents SET severity_override = 5, severity_override_reason = 'x'
	WHERE id = $one; SELECT audit_record('incident.severity', 'incident', $one, '{}', '{}'); COMMIT")
expect_contains "$r" "needs the lead role" "analyst override"
r=$(sql_as alice "BEGIN; UPDATE incidents SET severity_override = 5 WHERE id = $one;
	SELECT audit_record('incident.severity', 'incident', $one, '{}', '{}'); COMMIT")
expect_contains "$r" "override_reason" "override without a reason"
r=$(sql_as alice "BEGIN; UPDATE incidents SET severity_override = 4,
	severity_override_reason = 'same attacker as last week', severity_override_by = 1
	WHERE id = $one; SELECT audit_record('incident.severity', 'incident', $one, '{}', '{}'); COMMIT")
expect_not_contains "$r" "ERROR" "lead override"
[ "$(sql "SELECT i.severity || ' ' || i.severity_computed || ' ' || a.name FROM incidents i
	JOIN analysts a ON a.id = i.severity_override_by WHERE i.id = $one")" = "4 1 alice" ] ||
	fail "override: $(sql "SELECT severity, severity_computed, severity_override_by FROM incidents WHERE id = $one")"
sql "UPDATE rule_ratings SET operational = 'major' WHERE rule_id = 'R14'" >/dev/null
explain bob "$one"
[ "$(json_get 'd["severity"], d["computed"], d["override"]["severity"], d["override"]["by"]')" = \
	"high high high alice" ] || fail "explain with an override: $out"
[ "$(sql "SELECT severity || ' ' || severity_computed FROM incidents WHERE id = $one")" = "4 4" ] ||
	fail "computed value not stored beside the override"
sql "UPDATE rule_ratings SET operational = 'moderate' WHERE rule_id = 'R14'" >/dev/null
explain bob "$one"
[ "$(json_get 'd["severity"], d["computed"]')" = "high medium" ] ||
	fail "the override does not win: $out"
run_as bob severity explain "$one"
expect_contains "$out" "override:  high by alice"
expect_contains "$out" "same attacker as last week"
r=$(sql_as alice "BEGIN; UPDATE incidents SET severity_override = NULL WHERE id = $one;
	SELECT audit_record('incident.severity', 'incident', $one, '{}', '{}'); COMMIT")
expect_not_contains "$r" "ERROR" "clearing the override"
[ "$(sql "SELECT severity || ' ' || coalesce(severity_override_reason, '-') FROM incidents
	WHERE id = $one")" = "3 -" ] || fail "cleared override"
pass "a lead's override wins, the computed value stays beside it"

# --- confidence: alerts closed as false positive -----------------------------------------
ids=$(mk R7 1 0)
run_as bob alert escalate $ids --title "firmware" --json
fw=$(json_get 'd["incident"]')
explain bob "$fw"
[ "$(json_get 'd["computed"]')" = critical ] || fail "R7: $out"
run_as bob alert close $ids --disposition fp --reason "lab station"
expect_rc 0 "close as false positive"
explain bob "$fw"
[ "$(json_get 'd["computed"], d["explanation"]["factors"][-1]["text"]')" = \
	"low confidence: every alert (1) closed as false positive" ] || fail "false positive: $out"
pass "false positives lower it"

# --- the demo's incidents, and errors -------------------------------------------------------
n=$(sql "SELECT count(*) FROM incidents")
for i in $(sql "SELECT id FROM incidents ORDER BY id LIMIT 5"); do
	explain bob "$i"
done
run_as bob severity explain 999999
expect_rc 4 "unknown incident"
expect_contains "$err" "no incident with id 999999"
run_as bob severity explain 999999 --json
expect_rc 4 "unknown incident --json"
[ "$(json_get 'd["ok"], d["result"]')" = "False not_found" ] || fail "json failure: $out"
run_as bob severity explain abc
expect_rc 2 "bad id"
run_as bob severity explain
expect_rc 2 "no id"
run_as bob severity explain 1 2
expect_rc 2 "two ids"
run audit verify
expect_rc 0 "audit chain after severity work"
pass "demo incidents ($n), errors"
