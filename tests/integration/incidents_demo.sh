#!/bin/sh
# tests/integration/incidents_demo.sh: vsoc demo seed leaves incidents in
# every phase, with overrides, a closed one whose alerts closed with it and
# a merged one; the incident commands read them.
. "$VSOC_SRCDIR/tests/lib.sh"
migrate
seed_small 5000

[ "$(sql "SELECT string_agg(DISTINCT status, ',' ORDER BY status) FROM incidents")" = \
	"closed,containment,eradication,open,post_incident,recovery,triage" ] ||
	fail "phases: $(sql "SELECT string_agg(status, ',' ORDER BY id) FROM incidents")"
[ "$(sql "SELECT count(*) FROM incidents WHERE severity_override IS NOT NULL
	AND severity_override_reason <> '' AND severity_override_by IS NOT NULL")" = 2 ] ||
	fail "overrides"
merged=$(sql "SELECT id FROM incidents WHERE merged_into IS NOT NULL")
into=$(sql "SELECT merged_into FROM incidents WHERE id = $merged")
[ -n "$merged" ] && [ "$(sql "SELECT status FROM incidents WHERE id = $merged")" = closed ] ||
	fail "no merged incident"
[ "$(sql "SELECT (SELECT count(*) FROM alerts WHERE incident_id = $merged)
	+ (SELECT count(*) FROM incident_alerts WHERE incident_id = $merged)
	+ (SELECT count(*) FROM notes WHERE incident_id = $merged)")" = 0 ] ||
	fail "the merged incident kept alerts or notes"
[ "$(sql "SELECT severity FROM incidents WHERE id = $into")" = \
	"$(sql "SELECT max(severity) FROM alerts WHERE incident_id = $into")" ] ||
	fail "merge target severity"
closed=$(sql "SELECT id FROM incidents WHERE status = 'closed' AND merged_into IS NULL")
[ "$(sql "SELECT count(*) FROM alerts WHERE incident_id = $closed
	AND status IN ('new', 'acknowledged', 'escalated')")" = 0 ] &&
[ "$(sql "SELECT count(*) > 0 FROM alerts WHERE incident_id = $closed
	AND disposition = 'true_positive'")" = t ] || fail "closed incident's alerts"
[ "$(sql "SELECT resolution <> '' AND closed_at IS NOT NULL FROM incidents WHERE id = $closed")" = t ] ||
	fail "closed incident's resolution"

run incidents list --status all --json
expect_rc 0 "list all"
[ "$(json_get 'len(d["incidents"])')" = 10 ] || fail "list all: $out"
run incident show "$merged"
expect_rc 0 "show merged"
expect_contains "$out" "merged into: incident $into"
run incident show "$into" --json
[ "$(json_get 'd["merged_from"][0]["id"]')" = "$merged" ] || fail "merged_from"
# Paged incidents, their pages in every delivery state, on demo channels
# only, with the real contracts' payloads; incident show prints them.
[ "$(sql "SELECT string_agg(DISTINCT status, ',' ORDER BY status) FROM outbox")" = \
	"failed,pending,retrying,sent" ] || fail "page states: $(sql "SELECT status FROM outbox")"
[ "$(sql "SELECT string_agg(DISTINCT action, ',' ORDER BY action) FROM outbox")" = \
	"acknowledge,resolve,trigger" ] || fail "follow-ups in the demo"
[ "$(sql "SELECT count(*) FROM outbox WHERE channel NOT LIKE 'demo-%'")" = 0 ] ||
	fail "a demo page on a channel a settings file may name"
[ "$(sql "SELECT count(*) FROM outbox WHERE kind = 'pagerduty'
	AND payload ->> 'dedup_key' = 'vsoc-incident-' || incident_id")" -gt 0 ] ||
	fail "PagerDuty payloads"
[ "$(sql "SELECT string_agg(action || ':' || status, ' ' ORDER BY id) FROM outbox
	WHERE incident_id = $closed AND channel = 'demo-oncall'")" = \
	"trigger:sent acknowledge:sent resolve:sent" ] || fail "the closed incident's pages"
run incident show "$closed"
expect_contains "$out" "pages (4):"
expect_contains "$out" "resolve"
retrying=$(sql "SELECT incident_id FROM outbox WHERE status = 'retrying'")
run incident show "$retrying"
expect_contains "$out" "retrying (attempt 2 failed), next at"
expect_contains "$out" "HTTP 500, server error"
pass "demo pages: sent, retrying, failed with a message, pending, followed up"

# The workflow goes on from the demo's state.
run_as alice incident status "$closed" recovery --reason "the principal is back"
expect_rc 0 "reopen a demo incident"
[ "$(sql "SELECT string_agg(action || ':' || status, ' ' ORDER BY id) FROM outbox
	WHERE incident_id = $closed AND channel = 'demo-oncall'")" = \
	"trigger:sent acknowledge:sent resolve:sent trigger:pending acknowledge:pending" ] ||
	fail "reopening the demo's resolved incident triggers again"
run audit verify
expect_rc 0 "audit verify"
pass "demo seed: incidents in every phase, overrides, closed and merged"
