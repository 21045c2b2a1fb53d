#!/bin/sh
# The candidate groups kept by triggers (sql/010) agree with the alerts.
# After the bulk seed (one rebuild), inserts one at a time and in bulk,
# analysts' triage through vsoc (ack, close, escalate, accept with a
# split), moves of last_seen and severity, a delete, and an admin's change
# of a window, of the families and of the asset tree, every group's alerts,
# assets and highest severity equal a count over its alerts (009's own
# vsoc_candidate_alerts), every open alert in no incident is in exactly one
# campaign group, no empty rows are left, and a rebuild from scratch gives
# the same tables.  Only the triggers write them.
. "$VSOC_SRCDIR/tests/lib.sh"
migrate
PGUSER=$DBA "$VSOC" demo seed --seed 7 --stations 20 --vehicles 30 --alerts 2000 >/dev/null ||
	fail "demo seed"

tables() {
	sql "SELECT md5(coalesce(string_agg(g::text, '|' ORDER BY g.key), ''))
		|| md5(coalesce((SELECT string_agg(c::text, '|' ORDER BY c.key, c.asset_id)
		FROM candidate_cells c), '')) FROM candidate_groups g"
}

# check LABEL
check() {
	[ "$(sql "SELECT count(*) FROM candidate_groups")" -gt 0 ] || fail "$1: no groups"
	bad=$(sql "SELECT count(*) FROM candidate_groups g, LATERAL (SELECT count(*) AS n,
		count(DISTINCT asset_id) AS na, coalesce(max(severity), 0) AS ms
		FROM vsoc_candidate_alerts(g.key)) a
		WHERE a.n <> g.alerts OR a.na <> g.assets OR a.ms <> g.max_severity")
	[ "$bad" = 0 ] || fail "$1: $bad groups disagree with their alerts"
	[ "$(sql "SELECT (SELECT coalesce(sum(alerts), 0) FROM candidate_groups WHERE kind = 'campaign')
		= (SELECT count(*) FROM alerts WHERE status IN ('new', 'acknowledged')
		AND incident_id IS NULL)")" = t ] || fail "$1: campaign groups do not cover the open alerts"
	[ "$(sql "SELECT (SELECT count(*) FROM candidate_groups WHERE alerts <= 0 OR assets <= 0
		OR least(sev1, sev2, sev3, sev4, sev5) < 0)
		+ (SELECT count(*) FROM candidate_cells WHERE n <= 0)
		+ (SELECT count(*) FROM candidate_groups g WHERE g.assets <> (SELECT count(*)
		   FROM candidate_cells c WHERE c.key = g.key))")" = 0 ] ||
		fail "$1: empty or miscounted rows"
	kept=$(tables)
	sql "SELECT vsoc_candidate_groups_rebuild()" >/dev/null
	[ "$(tables)" = "$kept" ] || fail "$1: the kept tables differ from a rebuild"
	pass "$1"
}

check "after the bulk seed"

# --- inserts -------------------------------------------------------------------------
# One alert, copied from an open one an hour on; then fifty in one statement.
cols="rule_id, title, severity, asset_id, asset_ref, first_seen, last_seen, evidence"
sql "INSERT INTO alerts ($cols) SELECT $cols FROM alerts
	WHERE status = 'new' AND incident_id IS NULL ORDER BY id LIMIT 1" >/dev/null
sql "INSERT INTO alerts ($cols) SELECT rule_id, title, severity, asset_id, asset_ref,
	first_seen, last_seen + interval '3 minutes', evidence FROM alerts
	WHERE status IN ('new', 'acknowledged') AND incident_id IS NULL ORDER BY last_seen DESC LIMIT 50" >/dev/null
check "after inserts"

# --- analysts' triage --------------------------------------------------------------
ids=$(sql "SELECT string_agg(id::text, ' ') FROM (SELECT id FROM alerts WHERE status = 'new'
	AND incident_id IS NULL ORDER BY last_seen DESC LIMIT 6) s")
set -- $ids
run_as bob alert ack "$1" "$2"
expect_rc 0 "ack"
run_as bob alert close "$3" "$4" --disposition fp --reason "lab"
expect_rc 0 "close"
run_as bob alert escalate "$5" "$6" --title "two alerts"
expect_rc 0 "escalate: $err"
run_as bob candidates list --json --limit 1 --ids 1000
key=$(json_get 'd["candidates"][0]["key"]')
one=$(json_get 'd["candidates"][0]["alert_ids"][0]')
run_as bob candidates accept "$key" --except "$one"
expect_rc 0 "accept"
check "after triage"

# --- moves, a delete ---------------------------------------------------------------------
sql "UPDATE alerts SET last_seen = last_seen + interval '61 minutes', occurrences = occurrences + 1
	WHERE id IN (SELECT id FROM alerts WHERE status = 'new' AND incident_id IS NULL
	ORDER BY id LIMIT 20)" >/dev/null
sql "UPDATE alerts SET severity = 6 - severity
	WHERE id IN (SELECT id FROM alerts WHERE status = 'new' AND incident_id IS NULL
	ORDER BY id DESC LIMIT 20)" >/dev/null
sql "UPDATE alerts SET title = title || ' (again)' WHERE id IN (SELECT id FROM alerts
	ORDER BY id LIMIT 100)" >/dev/null
sql "DELETE FROM alerts WHERE id = (SELECT max(id) FROM alerts)" >/dev/null
check "after moves and a delete"

# --- an admin reshapes the groups ----------------------------------------------------------
r=$(sql_as dave "UPDATE correlation_settings SET time_window = '2 hours' WHERE kind = 'campaign'")
expect_not_contains "$r" "ERROR" "window change"
[ "$(sql "SELECT count(*) FROM candidate_groups WHERE kind = 'campaign' AND window_secs <> 7200")" = 0 ] ||
	fail "campaign windows not rebuilt"
r=$(sql_as dave "DELETE FROM rule_families WHERE rule_id = 'R7'")
expect_not_contains "$r" "ERROR" "family change"
[ "$(sql "SELECT count(*) FROM candidate_groups WHERE kind IN ('asset', 'parent', 'site')
	AND family = 'integrity' AND key IN (SELECT key FROM candidate_cells)
	AND EXISTS (SELECT 1 FROM vsoc_candidate_alerts(key) a WHERE a.rule_id = 'R7')")" = 0 ] ||
	fail "R7 still in integrity groups"
sql "UPDATE assets SET parent_id = (SELECT min(id) FROM assets WHERE kind = 'station')
	WHERE id = (SELECT max(id) FROM assets WHERE kind = 'connector')" >/dev/null
check "after an admin's changes"

# --- only the triggers write --------------------------------------------------------------
r=$(sql_as bob "DELETE FROM candidate_groups")
expect_contains "$r" "permission denied" "analyst deletes groups"
r=$(sql_as dave "UPDATE candidate_cells SET n = 9")
expect_contains "$r" "permission denied" "admin writes cells"
r=$(sql_as erin "SELECT vsoc_candidate_groups_rebuild()")
expect_contains "$r" "permission denied" "viewer rebuilds"
[ "$(sql_as erin "SELECT count(*) > 0 FROM vsoc_candidate_groups()")" = t ] ||
	fail "viewer reads candidates"
pass "candidate groups"
