#!/bin/sh
# vsoc candidates list|accept|dismiss on a real cluster: every kind found in
# the demo fleet, hostile indicators shown as text, accept makes an
# incident of exactly the candidate's alerts minus those split out, dismiss
# hides until expiry, viewers are refused by vsoc and by the database, and
# every decision (and refusal) is in the audit log.
. "$VSOC_SRCDIR/tests/lib.sh"
migrate
PGUSER=$DBA "$VSOC" demo seed --seed 7 --stations 20 --vehicles 30 --alerts 2000 >/dev/null ||
	fail "demo seed"

# --- every kind ------------------------------------------------------------------
run_as erin candidates list --json --limit 500 --ids 100
expect_rc 0 "list as a viewer"
for kind in asset parent site campaign source_ip id_tag principal firmware_host; do
	[ "$(json_get "sum(1 for c in d['candidates'] if c['kind'] == '$kind')")" -ge 1 ] ||
		fail "no $kind candidate: $out"
done
[ "$(json_get 'd["total"] == len(d["candidates"])')" = True ] || fail "total: $out"
# Keys are short printable ASCII; a candidate's ids are open alerts in no incident.
[ "$(json_get 'all(len(c["key"]) <= 128 and all(33 <= ord(ch) <= 126 for ch in c["key"]) for c in d["candidates"])')" = True ] ||
	fail "keys"
ids=$(json_get '",".join(str(i) for c in d["candidates"] for i in c["alert_ids"])')
[ "$(sql "SELECT count(*) FROM alerts WHERE id IN ($ids) AND (status NOT IN ('new', 'acknowledged')
	OR incident_id IS NOT NULL)")" = 0 ] || fail "a listed alert is not open or in an incident"
# Counts agree with the alerts themselves.
camp=$(json_get '[c for c in d["candidates"] if c["key"].startswith("campaign:R8@")][0]["key"]')
[ "$(json_get "[c for c in d['candidates'] if c['key'] == '$camp'][0]['assets']")" -ge 5 ] ||
	fail "campaign assets"
camp_ids=$(json_get "','.join(str(i) for i in [c for c in d['candidates'] if c['key'] == '$camp'][0]['alert_ids'])")
[ "$(sql "SELECT count(DISTINCT asset_id) FROM alerts WHERE id IN ($camp_ids) AND rule_id = 'R8'")" = \
	"$(json_get "[c for c in d['candidates'] if c['key'] == '$camp'][0]['assets']")" ] ||
	fail "campaign alerts and assets disagree"
# Paging: offset and limit cut the same order.
run_as erin candidates list --json --limit 3 --offset 2
expect_rc 0 "list page"
page=$(json_get '",".join(c["key"] for c in d["candidates"])')
run_as erin candidates list --json --limit 5
[ "$(json_get '",".join(c["key"] for c in d["candidates"][2:5])')" = "$page" ] || fail "paging"
pass "every kind of candidate"

# --- hostile evidence: escapes shown as text, raw in JSON ---------------------
run_as erin candidates list --limit 500
expect_rc 0 "human list"
case $out in *"$(printf '\033')"*) fail "an escape byte reached the screen" ;; esac
expect_contains "$out" 'operator principal \e[31mroot' "hostile principal"
run_as erin candidates list --json --limit 500
hostile=$(json_get '[c["key"] for c in d["candidates"] if c["subject"].startswith("\x1b[31m")][0]')
case $hostile in principal:~*) ;; *) fail "hostile key not hashed: $hostile" ;; esac
pass "hostile indicator"

# --- usage errors ------------------------------------------------------------------
run_as bob candidates dismiss "$camp" --for 4h
expect_rc 2 "dismiss without a reason"
run_as bob candidates dismiss "$camp" --for 91d --reason r
expect_rc 2 "dismiss too long"
run_as bob candidates accept 'not a key' --json
expect_rc 2 "malformed key"
[ "$(json_get 'd["result"]')" = usage ] || fail "usage JSON: $out"
run_as bob candidates accept "$camp" --except 12x
expect_rc 2 "bad --except"
run_as bob candidates accept 'campaign:R99@20200101T0000Z'
expect_rc 4 "no such candidate"
run_as bob candidates list --limit 0
expect_rc 2 "--limit 0"
run_as bob candidates accept "$camp" --for 4h
expect_rc 2 "--for on accept"
pass "usage errors"

# --- viewers: refused by vsoc and by the database, refusals audited ---------------
run_as erin candidates dismiss "$camp" --for 4h --reason "not mine"
expect_rc 5 "viewer dismiss"
run_as erin candidates accept "$camp"
expect_rc 5 "viewer accept"
[ "$(sql "SELECT count(*) FROM audit_log WHERE actor = 'erin' AND action = 'permission.denied'
	AND details->>'tried' IN ('candidate.dismiss', 'candidate.accept')")" = 2 ] ||
	fail "viewer refusals not audited"
r=$(sql_as erin "BEGIN; INSERT INTO candidate_dismissals (candidate_key, reason, dismissed_by, until)
	VALUES ('$camp', 'x', 0, now() + interval '1 hour');
	SELECT audit_record('candidate.dismiss', 'candidate', NULL, '{}', '{}'); COMMIT")
expect_contains "$r" "permission denied" "viewer insert via psql"
r=$(sql_as erin "UPDATE correlation_settings SET min_assets = 100 WHERE kind = 'campaign'")
expect_contains "$r" "permission denied" "viewer tunes settings"
r=$(sql_as bob "UPDATE rule_families SET family = 'control' WHERE rule_id = 'R7'")
expect_contains "$r" "permission denied" "analyst tunes families"
# An analyst's dismissal without its audit record is refused at commit;
# with it, the database names who dismissed, whatever the client says.
r=$(sql_as bob "INSERT INTO candidate_dismissals (candidate_key, reason, dismissed_by, until)
	VALUES ('$camp', 'x', 1, now() + interval '1 hour')")
expect_contains "$r" "must be recorded in the audit log" "dismissal without audit"
sql_as bob "BEGIN; INSERT INTO candidate_dismissals (candidate_key, reason, dismissed_by,
	dismissed_at, until) VALUES ('campaign:R1@20200101T0000Z', 'x', 1, now() - interval '10 days',
	now() + interval '1 hour'); SELECT audit_record('candidate.dismiss', 'candidate', NULL, '{}', '{}');
	COMMIT" >/dev/null
[ "$(sql "SELECT a.name || ' ' || (d.dismissed_at > now() - interval '1 minute')
	FROM candidate_dismissals d JOIN analysts a ON a.id = d.dismissed_by
	WHERE candidate_key = 'campaign:R1@20200101T0000Z'")" = "bob true" ] ||
	fail "dismissed_by or dismissed_at not the database's"
pass "viewers refused, the database enforces"

# --- dismiss hides until expiry --------------------------------------------------
run_as bob candidates dismiss "$camp" --for 1h --reason "smart-charging load test" --json
expect_rc 0 "dismiss"
did=$(json_get 'd["dismissal"]')
[ "$(sql "SELECT count(*) FROM audit_log WHERE actor = 'bob' AND action = 'candidate.dismiss'
	AND object_id = $did AND details->>'candidate' = '$camp'
	AND details->>'reason' = 'smart-charging load test' AND cardinality(alert_ids) > 0")" = 1 ] ||
	fail "dismiss audit record"
run_as bob candidates list --json --limit 500
[ "$(json_get "sum(1 for c in d['candidates'] if c['key'] == '$camp')")" = 0 ] ||
	fail "dismissed candidate still listed"
run_as bob candidates list --json --limit 500 --dismissed
[ "$(json_get "[c['dismissed_until'] is not None for c in d['candidates'] if c['key'] == '$camp'][0]")" = True ] ||
	fail "--dismissed does not show it"
[ "$(sql "SELECT until - dismissed_at FROM candidate_dismissals WHERE id = $did")" = 01:00:00 ] ||
	fail "dismissal length"
# Expiry is the database's clock: move it to the past, the candidate is back.
sql "UPDATE candidate_dismissals SET until = now() - interval '1 second',
	dismissed_at = now() - interval '1 hour' WHERE id = $did" >/dev/null
run_as bob candidates list --json --limit 500
[ "$(json_get "sum(1 for c in d['candidates'] if c['key'] == '$camp')")" = 1 ] ||
	fail "candidate still hidden after its dismissal expired"
# A dismissal of a second lasts a second.
run_as bob candidates dismiss "$hostile" --for 1s --reason "known tester"
expect_rc 0 "dismiss 1s"
expect_contains "$out" "dismissed until"
[ "$(sql "SELECT max(until - dismissed_at) FROM candidate_dismissals
	WHERE candidate_key = '$hostile'")" = 00:00:01 ] || fail "1s dismissal"
sleep 2
run_as bob candidates list --json --limit 500
[ "$(json_get "sum(1 for c in d['candidates'] if c['key'] == '$hostile')")" = 1 ] ||
	fail "expired 1s dismissal"
pass "dismiss hides until expiry"

# --- accept, with a split --------------------------------------------------------
run_as bob candidates list --json --limit 500 --ids 1000
all=$(json_get "','.join(str(i) for i in sorted([c for c in d['candidates'] if c['key'] == '$camp'][0]['alert_ids']))")
out_id=$(echo "$all" | cut -d, -f1)
keep=$(echo "$all" | cut -d, -f2-)
run_as bob candidates accept "$camp" --except "$out_id" --title "Zero-limit profiles from grid-ops-7" --json
expect_rc 0 "accept"
inc=$(json_get 'd["incident"]')
[ "$(sql "SELECT string_agg(id::text, ',' ORDER BY id) FROM alerts WHERE incident_id = $inc
	AND status = 'escalated'")" = "$keep" ] || fail "incident alerts: want $keep"
[ "$(sql "SELECT string_agg(alert_id::text, ',' ORDER BY alert_id) FROM incident_alerts
	WHERE incident_id = $inc")" = "$keep" ] || fail "incident_alerts"
[ "$(sql "SELECT status IN ('new', 'acknowledged') AND incident_id IS NULL FROM alerts
	WHERE id = $out_id")" = t ] || fail "the split-out alert left the queue"
[ "$(sql "SELECT title || '|' || (SELECT name FROM analysts WHERE id = owner_id) FROM incidents
	WHERE id = $inc")" = "Zero-limit profiles from grid-ops-7|bob" ] || fail "incident title/owner"
[ "$(sql "SELECT count(*) FROM audit_log WHERE action = 'candidate.accept' AND actor = 'bob'
	AND object_kind = 'incident' AND object_id = $inc AND details->>'candidate' = '$camp'
	AND details->'split' = '[$out_id]'
	AND array_to_string(ARRAY(SELECT unnest(alert_ids) ORDER BY 1), ',') = '$keep'")" = 1 ] ||
	fail "accept audit record"
# Its alerts are in an incident now: the candidate is gone, accepting it again fails.
run_as bob candidates accept "$camp"
expect_rc 4 "accept twice"
expect_contains "$err" "no candidate"
run_as bob candidates list --json --limit 500
[ "$(json_get "sum(1 for c in d['candidates'] if c['key'] == '$camp')")" = 0 ] || fail "accepted still listed"
# Without --title the incident is named after the reason.
tag=$(json_get '[c["key"] for c in d["candidates"] if c["kind"] == "id_tag" and c["subject"] == "04A1B2C3D4"][0]')
run_as alice candidates accept "$tag"
expect_rc 0 "accept id_tag"
expect_contains "$out" "accepted: new incident"
[ "$(sql "SELECT count(*) FROM incidents WHERE title LIKE 'idTag 04A1B2C3D4 in 2 alerts%'")" = 1 ] ||
	fail "default title"
pass "accept with a split"

# --- windows and thresholds are data, tuned by an admin, audited ----------------
run_as bob candidates list --json --limit 500
before=$(json_get "sum(1 for c in d['candidates'] if c['kind'] == 'site')")
[ "$before" -ge 1 ] || fail "no site candidate left to tune away"
sql_as dave "UPDATE correlation_settings SET min_assets = 1000 WHERE kind = 'site'" >/dev/null
run_as bob candidates list --json --limit 500
[ "$(json_get "sum(1 for c in d['candidates'] if c['kind'] == 'site')")" = 0 ] ||
	fail "threshold not applied"
[ "$(sql "SELECT count(*) FROM audit_log WHERE actor = 'dave' AND action = 'correlation.update.update'
	AND details->'after'->>'min_assets' = '1000'")" = 1 ] || fail "settings change not audited"
sql_as dave "UPDATE correlation_settings SET enabled = false WHERE kind <> 'asset'" >/dev/null
run_as bob candidates list --json --limit 500
[ "$(json_get "set(c['kind'] for c in d['candidates'])")" = "{'asset'}" ] || fail "enabled: $out"
pass "settings"

# The audit chain still verifies.
run_as "$DBA" audit verify
expect_rc 0 "audit verify"
pass "candidates"
