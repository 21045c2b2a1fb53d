#!/bin/sh
# tests/integration/incidents.sh: the incident workflow from the command
# line: vsoc incidents list and vsoc incident show|create|rename|assign|
# status|note|add|remove|move|merge|severity; the status rules (back needs
# a reason, closing a resolution and no open alert unless --force, reopen
# a reason); a stale version refused naming who changed it; role refusals
# through vsoc and through psql as each demo role; merge; audit records with
# before and after; hostile titles and notes sanitized; live notices.
#
# Alerts are made here with plain SQL, so the test knows every id.
. "$VSOC_SRCDIR/tests/lib.sh"

migrate

ESC=$(printf '\033')

station() {
	sql "INSERT INTO assets (kind, external_id) VALUES ('station', '$1') RETURNING id"
}

# alert ASSET_ID SEVERITY: a new alert; prints its id.
alert() {
	sql "INSERT INTO alerts (rule_id, title, severity, asset_id, asset_ref, first_seen,
	     last_seen) SELECT 'R1', 'Test alert on ' || external_id, $2, id, external_id,
	     now(), now() FROM assets WHERE id = $1 RETURNING id"
}

inc() {
	sql "SELECT $2 FROM incidents WHERE id = $1"
}

json_ok() {
	json_get 'd["ok"]' >/dev/null || fail "not JSON: $out"
}

s1=$(station CS-INC-001)
s2=$(station CS-INC-002)
s3=$(station CS-INC-003)
a1=$(alert "$s1" 3)
a2=$(alert "$s2" 4)
a3=$(alert "$s3" 2)
a4=$(alert "$s3" 5)

# --- create ----------------------------------------------------------------------
run_as bob incident create "$a1" "#$a2" --json
expect_rc 0 "create from alerts"
json_ok
i1=$(json_get 'd["incident"]')
[ "$(json_get 'd["action"], d["changed"], d["alerts"], d["version"]')" = \
	"create 2 [$a1, $a2] 1" ] || fail "create JSON: $out"
[ "$(inc "$i1" "title || '|' || status || '|' || severity || '|' || scope")" = \
	"Test alert on CS-INC-001|open|4|fleet" ] || fail "created incident: $(inc "$i1" 'title, severity')"
[ "$(sql "SELECT string_agg(status || ':' || incident_id, ',' ORDER BY id) FROM alerts
	WHERE id IN ($a1, $a2)")" = "escalated:$i1,escalated:$i1" ] || fail "alerts not escalated"
[ "$(sql "SELECT count(*) FROM incident_assets WHERE incident_id = $i1")" = 2 ] ||
	fail "assets not linked"
[ "$(sql "SELECT actor || ' ' || object_id || ' ' || alert_ids::text FROM audit_log
	WHERE action = 'incident.create'")" = "bob $i1 {$a1,$a2}" ] || fail "create audit record"
run_as bob incident create
expect_rc 2 "create without alerts or title"
expect_contains "$err" "needs a title"
run_as bob incident create --title "Empty ${ESC}[31mred${ESC}[0m incident"
expect_rc 0 "create empty"
i2=$(sql "SELECT max(id) FROM incidents")
expect_contains "$out" "incident $i2 created with 0 alerts"
run_as bob incident create "$a1"
expect_rc 3 "create from an alert in another incident"
expect_contains "$err" "alert $a1 is in incident $i1"
run_as bob incident create 999999
expect_rc 4 "create from an unknown alert"
[ "$(sql "SELECT count(*) FROM incidents")" = 2 ] || fail "a failed create left an incident"
pass "create: from alerts (severity, scope, assets) or empty with a title"

# --- show: sanitized for humans, raw in JSON ---------------------------------------
run incident show "$i2"
expect_rc 0 "show"
expect_not_contains "$out" "$ESC" "show output"
expect_contains "$out" "Empty"
expect_contains "$out" "status:     open (version 1)"
run incident show "$i2" --json
expect_rc 0 "show --json"
[ "$(json_get 'd["title"] == "Empty \x1b[31mred\x1b[0m incident"')" = True ] ||
	fail "show --json does not keep the stored title"
run incident show 999999
expect_rc 4 "show of an unknown incident"
run incident show abc
expect_rc 2 "show of a bad id"
pass "show: hostile title sanitized on screen, as stored in JSON"

# --- rename, assign -----------------------------------------------------------------
run_as bob incident rename "$i1" "Identity hijack at two stations"
expect_rc 0 "rename"
[ "$(inc "$i1" title)" = "Identity hijack at two stations" ] || fail "rename"
[ "$(inc "$i1" version)" = 2 ] || fail "rename did not bump the version"
[ "$(sql "SELECT details->'before'->>'title' || '>' || (details->'after'->>'title')
	FROM audit_log WHERE action = 'incident.rename'")" = \
	"Test alert on CS-INC-001>Identity hijack at two stations" ] || fail "rename audit"
run_as bob incident rename "$i1"
expect_rc 2 "rename without a title"
run_as bob incident assign "$i1" carol
expect_rc 0 "bob gives his incident to carol"
[ "$(sql "SELECT a.name FROM incidents i JOIN analysts a ON a.id = i.owner_id
	WHERE i.id = $i1")" = carol ] || fail "assign"
run_as bob incident assign "$i1" --to bob
expect_rc 5 "bob takes carol's incident"
expect_contains "$err" "needs the lead role"
run_as alice incident assign "$i1" --to bob --json
expect_rc 0 "a lead reassigns"
[ "$(sql "SELECT details->'before'->>'owner' || '>' || (details->'after'->>'owner')
	FROM audit_log WHERE action = 'incident.assign' ORDER BY seq DESC LIMIT 1")" = \
	"carol>bob" ] || fail "assign audit"
run_as bob incident assign "$i1" --to nobody_here
expect_rc 4 "assign to an unknown analyst"
pass "rename and assign; taking someone else's incident needs a lead"

# --- status rules -------------------------------------------------------------------
run_as bob incident status "$i1" containment
expect_rc 0 "forward"
expect_contains "$out" "is now containment"
run_as bob incident status "$i1" triage
expect_rc 2 "back without a reason"
expect_contains "$err" "needs a reason"
run_as bob incident status "$i1" triage --reason "scope was wrong"
expect_rc 0 "back with a reason"
[ "$(sql "SELECT details->>'move' || ' ' || (details->>'reason') FROM audit_log
	WHERE action = 'incident.status' ORDER BY seq DESC LIMIT 1")" = "back scope was wrong" ] ||
	fail "back audit"
run_as bob incident status "$i1" closed
expect_rc 2 "close without a resolution"
expect_contains "$err" "resolution"
run_as bob incident status "$i1" closed --resolution "keys rotated"
expect_rc 3 "close with open alerts"
expect_contains "$err" "2 alerts in the incident are still open"
run_as bob incident status "$i1" closed --resolution "keys rotated" --force
expect_rc 2 "--force without a disposition"
run_as bob incident status "$i1" sideways
expect_rc 2 "unknown status"
v=$(inc "$i1" version)
run_as bob incident status "$i1" closed --resolution "keys rotated" --force --disposition tp --json
expect_rc 0 "forced close"
[ "$(json_get 'd["changed"], d["alerts"], d["version"]')" = "2 [$a1, $a2] $((v + 1))" ] ||
	fail "forced close JSON: $out"
[ "$(sql "SELECT string_agg(status || ':' || disposition || ':' || disposition_reason, ','
	ORDER BY id) FROM alerts WHERE id IN ($a1, $a2)")" = \
	"closed:true_positive:keys rotated,closed:true_positive:keys rotated" ] ||
	fail "forced close did not close the alerts"
[ "$(inc "$i1" "status || '|' || resolution || '|' || (closed_at IS NOT NULL)")" = \
	"closed|keys rotated|true" ] || fail "closed incident"
[ "$(sql "SELECT count(*) FROM audit_log WHERE action = 'incident.status'
	AND alert_ids = '{$a1,$a2}' AND details->>'move' = 'close'")" = 1 ] ||
	fail "forced close is not one audit record with its alerts"
run_as bob incident status "$i1" triage
expect_rc 2 "reopen without a reason"
run_as bob incident add "$i1" "$a3"
expect_rc 3 "add to a closed incident"
run_as bob incident status "$i1" triage --reason "same attacker is back"
expect_rc 0 "reopen"
[ "$(inc "$i1" "status || '|' || coalesce(resolution, '-') || '|' || (closed_at IS NULL)")" = \
	"triage|-|true" ] || fail "reopened incident"
pass "status: forward free, back and reopen need a reason, close a resolution and --force"

# --- stale version ------------------------------------------------------------------
v=$(inc "$i1" version)
run_as carol incident note "$i1" --text "looking"
expect_rc 0 "note"
[ "$(inc "$i1" version)" = "$v" ] || fail "a note bumped the version"
run_as alice incident rename "$i1" "Hijack wave" --expect-version "$v"
expect_rc 0 "rename at the current version"
run_as bob incident status "$i1" containment --expect-version "$v" --json
expect_rc 3 "stale version"
json_ok
[ "$(json_get 'd["result"], d["incident"]')" = "conflict $i1" ] || fail "stale JSON: $out"
expect_contains "$err" "incident $i1 was changed by alice at "
expect_contains "$err" "(version $((v + 1)), you had $v); reload and retry"
[ "$(inc "$i1" status)" = triage ] || fail "a stale change went through"
# Two analysts at once from the same version: one wins, the other is told.
v=$(inc "$i1" version)
(PGUSER=bob "$VSOC" incident rename "$i1" "race bob" --expect-version "$v" >/dev/null 2>&1
	echo $? >"$VSOC_TEST_TMP/race.bob") &
(PGUSER=carol "$VSOC" incident rename "$i1" "race carol" --expect-version "$v" >/dev/null 2>&1
	echo $? >"$VSOC_TEST_TMP/race.carol") &
wait
[ "$(cat "$VSOC_TEST_TMP/race.bob" "$VSOC_TEST_TMP/race.carol" | sort | tr '\n' ' ')" = "0 3 " ] ||
	fail "concurrent renames: $(cat "$VSOC_TEST_TMP/race.bob" "$VSOC_TEST_TMP/race.carol")"
[ "$(inc "$i1" version)" = $((v + 1)) ] || fail "both concurrent renames applied"
pass "optimistic versions: a stale change names who changed the incident and when"

# --- notes ----------------------------------------------------------------------------
printf 'line one\n%s]2;pwned\a line two\n' "$ESC" | PGUSER=bob "$VSOC" incident note "$i1" --text - >/dev/null ||
	fail "note from stdin"
[ "$(sql "SELECT count(*) FROM notes WHERE incident_id = $i1 AND body LIKE '%pwned%'")" = 1 ] ||
	fail "hostile note not stored verbatim"
run incident show "$i1"
expect_contains "$out" "pwned"
expect_not_contains "$out" "$ESC" "show with a hostile note"
run_as bob incident note "$i1" --text "   "
expect_rc 2 "blank note"
[ "$(sql "SELECT count(*) FROM audit_log WHERE action = 'incident.note'
	AND object_id = $i1 AND details ? 'note' AND NOT details::text LIKE '%pwned%'")" = 2 ] ||
	fail "note audit records (without the body)"
pass "notes: stored verbatim, shown sanitized, not in the audit log"

# --- add, remove, move ------------------------------------------------------------------
run_as bob incident add "$i1" "$a3" "$a4" --json
expect_rc 0 "add"
[ "$(json_get 'd["changed"]')" = 2 ] || fail "add JSON: $out"
[ "$(inc "$i1" severity)" = 5 ] || fail "severity not recomputed on add"
run_as bob incident add "$i2" "$a3"
expect_rc 3 "add an alert of another incident"
expect_contains "$err" "move it with: vsoc incident move $i1 $a3 --to $i2"
run_as bob incident remove "$i1" "$a4"
expect_rc 0 "remove"
[ "$(sql "SELECT status || ':' || coalesce(incident_id::text, '-') FROM alerts
	WHERE id = $a4")" = "acknowledged:-" ] || fail "removed alert not back in the queue"
[ "$(inc "$i1" severity)" = 4 ] || fail "severity not recomputed on remove: $(inc "$i1" severity)"
[ "$(sql "SELECT count(*) FROM incident_alerts WHERE alert_id = $a4")" = 0 ] ||
	fail "removed alert still linked"
run_as bob incident remove "$i2" "$a3"
expect_rc 3 "remove an alert that is not in it"
run_as bob incident move "$i1" "$a3" --to "$i2" --json
expect_rc 0 "move"
[ "$(sql "SELECT incident_id FROM alerts WHERE id = $a3")" = "$i2" ] || fail "move"
[ "$(sql "SELECT count(*) FROM incident_assets WHERE incident_id = $i2 AND asset_id = $s3")" = 1 ] ||
	fail "move did not bring the asset"
[ "$(sql "SELECT count(*) FROM incident_assets WHERE incident_id = $i1 AND asset_id = $s3")" = 0 ] ||
	fail "move left the asset behind"
run_as bob incident move "$i2" "$a3"
expect_rc 2 "move without --to"
pass "add, remove (back to the queue acknowledged) and move, severity recomputed"

# --- merge --------------------------------------------------------------------------------
run_as bob incident note "$i2" --text "note of the merged incident"
run_as bob incident add "$i2" "$a4"
expect_rc 0 "add to the incident that will be merged"
run_as bob incident merge "$i2" --into "$i1" --json
expect_rc 0 "merge"
[ "$(json_get 'd["changed"]')" = 2 ] || fail "merge JSON: $out"
[ "$(inc "$i2" "status || '|' || merged_into || '|' || resolution")" = \
	"closed|$i1|merged into incident $i1" ] || fail "merged incident"
[ "$(sql "SELECT count(*) FROM alerts WHERE incident_id = $i1 AND id IN ($a3, $a4)")" = 2 ] ||
	fail "merge did not move the alerts"
[ "$(sql "SELECT count(*) FROM notes WHERE incident_id = $i2")" = 0 ] &&
[ "$(sql "SELECT count(*) FROM notes WHERE incident_id = $i1 AND body = 'note of the merged incident'")" = 1 ] ||
	fail "merge did not move the notes"
[ "$(sql "SELECT count(*) FROM incident_assets WHERE incident_id = $i2")" = 0 ] ||
	fail "merge left assets"
[ "$(inc "$i1" severity)" = 5 ] || fail "merge did not recompute the severity"
[ "$(sql "SELECT (details->>'into') || ' ' || (details->>'notes_moved') FROM audit_log
	WHERE action = 'incident.merge'")" = "$i1 1" ] || fail "merge audit record"
run incident show "$i1"
expect_contains "$out" "merged from: incidents $i2"
expect_contains "$out" "incident.merge"
run_as bob incident status "$i2" open --reason "undo"
expect_rc 3 "reopen a merged incident"
expect_contains "$err" "merged"
run_as bob incident merge "$i1" --into "$i1"
expect_rc 2 "merge into itself"
run_as bob incident merge "$i1" --into "$i2"
expect_rc 3 "merge into a closed incident"
pass "merge: alerts, assets and notes move; the merged incident is closed with a link"

# --- severity override (lead) -----------------------------------------------------------------
run_as bob incident severity "$i1" critical --reason "safety"
expect_rc 5 "an analyst overrides severity"
run_as alice incident severity "$i1" high
expect_rc 2 "override without a reason"
run_as alice incident severity "$i1" low --reason "lab fleet only"
expect_rc 0 "a lead overrides"
[ "$(inc "$i1" "severity_override || '|' || severity_override_reason || '|' || severity")" = \
	"2|lab fleet only|5" ] || fail "override stored"
run incident show "$i1"
expect_contains "$out" "low (override by alice at "
expect_contains "$out" "computed critical): lab fleet only"
run incidents list --json
[ "$(json_get '[(r["severity"], r["computed_severity"]) for r in d["incidents"] if r["id"] == '"$i1"']')" = \
	"[(2, 5)]" ] || fail "list shows the override: $out"
run_as alice incident severity "$i1" --clear
expect_rc 0 "clear"
[ "$(inc "$i1" "coalesce(severity_override::text, '-')")" = "-" ] || fail "clear"
run_as alice incident severity "$i1" --clear critical
expect_rc 2 "--clear with a level"
pass "severity override: lead only, reason required, computed value kept, cleared"

# --- list: filters and keyset paging ------------------------------------------------------------
for n in 1 2 3 4 5; do
	run_as carol incident create --title "page $n" >/dev/null
done
run incidents list --limit 2 --json
expect_rc 0 "list page 1"
p1=$(json_get '[r["id"] for r in d["incidents"]]')
next=$(json_get 'd["next_after"]')
run incidents list --limit 2 --after "$next" --json
p2=$(json_get '[r["id"] for r in d["incidents"]]')
top=$(sql "SELECT max(id) FROM incidents")
[ "$p1" = "[$top, $((top - 1))]" ] && [ "$p2" = "[$((top - 2)), $((top - 3))]" ] ||
	fail "keyset pages: $p1 then $p2"
run incidents list --owner carol --json
[ "$(json_get 'len(d["incidents"])')" = 5 ] || fail "--owner carol"
run incidents list --status closed --json
[ "$(json_get '[r["id"] for r in d["incidents"]]')" = "[$i2]" ] || fail "--status closed: $out"
run incidents list
expect_rc 0 "list for humans"
expect_contains "$out" "page 5"
expect_not_contains "$out" "$i2  " "active list"
run incidents list --status maybe
expect_rc 2 "unknown status filter"
run incidents list --owner nobody_here
expect_rc 4 "unknown owner"
run incidents list --limit 0
expect_rc 2 "--limit 0"
pass "list: newest first, keyset pages, status and owner filters"

# --- roles through vsoc -------------------------------------------------------------------------
run_as erin incident create --title "viewer's"
expect_rc 5 "a viewer creates"
run_as erin incident note "$i1" --text "viewer note"
expect_rc 5 "a viewer adds a note"
[ "$(sql "SELECT count(*) FROM audit_log WHERE action = 'permission.denied' AND actor = 'erin'
	AND details->>'tried' LIKE 'incident.%'")" = 2 ] || fail "viewer refusals not audited"
run_as bob incident create --title "x" --read-only
expect_rc 5 "--read-only"
pass "roles through vsoc: viewers refused and audited"

# --- roles through psql, as each login ------------------------------------------------------------
# db ROLE SQL: y if the database took it (with its audit record), n if refused.
db() {
	r=$(sql_as "$1" "BEGIN; $2; SELECT audit_record('incident.rename', 'incident', $i1, '{}', '{}'); COMMIT")
	case $r in *ERROR*) echo n ;; *) echo y ;; esac
}
[ "$(db erin "UPDATE incidents SET title = 'v' WHERE id = $i1")" = n ] || fail "viewer updated"
[ "$(db erin "INSERT INTO notes (incident_id, author_id, body) VALUES ($i1, 0, 'v')")" = n ] ||
	fail "viewer added a note"
[ "$(db bob "UPDATE incidents SET title = 'by bob' WHERE id = $i1")" = y ] || fail "analyst rename"
[ "$(db bob "UPDATE incidents SET severity_override = 5, severity_override_reason = 'x'
	WHERE id = $i1")" = n ] || fail "an analyst overrode severity in psql"
[ "$(db alice "UPDATE incidents SET severity_override = 5, severity_override_reason = 'x'
	WHERE id = $i1")" = y ] || fail "a lead could not override in psql"
[ "$(inc "$i1" severity_override_by)" = "$(sql "SELECT id FROM analysts WHERE name = 'alice'")" ] ||
	fail "override_by not set by the database"
[ "$(db dave "UPDATE incidents SET severity_override = 4, severity_override_reason = 'y'
	WHERE id = $i1")" = y ] || fail "an admin could not override in psql"
[ "$(db erin "UPDATE incidents SET severity_override = 1, severity_override_reason = 'z'
	WHERE id = $i1")" = n ] || fail "a viewer overrode in psql"
[ "$(db bob "UPDATE incidents SET severity_override = NULL, severity_override_reason = NULL
	WHERE id = $i1")" = n ] || fail "an analyst cleared an override in psql"
[ "$(db bob "UPDATE incidents SET status = 'closed' WHERE id = $i1")" = n ] ||
	fail "closed without a resolution in psql"
[ "$(db bob "UPDATE incidents SET status = 'closed', resolution = 'r' WHERE id = $i1")" = n ] ||
	fail "closed with open alerts in psql"
[ "$(db bob "UPDATE incidents SET status = 'open' WHERE id = $i2")" = n ] ||
	fail "reopened a merged incident in psql"
[ "$(db bob "UPDATE notes SET incident_id = $i2 WHERE incident_id = $i1")" = n ] ||
	fail "an analyst moved notes in psql"
[ "$(db bob "SELECT vsoc_incident_move_notes($i1, $i2)")" = n ] ||
	fail "notes moved outside a merge"
[ "$(db carol "UPDATE incidents SET owner_id = vsoc_actor_id() WHERE id = $i1")" = n ] ||
	fail "an analyst took bob's incident in psql"
[ "$(db alice "UPDATE incidents SET owner_id = vsoc_actor_id() WHERE id = $i1")" = y ] ||
	fail "a lead could not reassign in psql"
[ "$(inc "$i1" updated_by)" = "$(sql "SELECT id FROM analysts WHERE name = 'alice'")" ] ||
	fail "updated_by not set by the database"
r=$(sql_as bob "UPDATE incidents SET title = 'unaudited' WHERE id = $i1")
expect_contains "$r" "must be recorded in the audit log"
pass "roles through psql: viewer reads, analyst acts, lead overrides and reassigns"

# --- live notices ----------------------------------------------------------------------------------
r=$(PGUSER=$DBA "$PG_BINDIR/psql" "$VSOC_DB" -XAq -c "LISTEN vsoc_incident" \
	-c "UPDATE incidents SET summary = 'x' WHERE id = $i1" \
	-c "INSERT INTO notes (incident_id, author_id, body) SELECT $i1, id, 'n' FROM analysts LIMIT 1" \
	-c "SELECT 1" 2>&1)
expect_contains "$r" "\"update:$i1\""
expect_contains "$r" "\"note:$i1\""
pass "live notices on vsoc_incident for changes and notes"

# --- the audit chain is intact after all of it -------------------------------------------------------
run audit verify
expect_rc 0 "audit verify"
for a in create rename assign status note add remove move merge severity; do
	[ "$(sql "SELECT count(*) > 0 FROM audit_log WHERE action = 'incident.$a'
		AND (details ? 'before' OR details ? 'after' OR details ? 'note'
		OR details ? 'added' OR details ? 'removed' OR details ? 'moved')")" = t ] ||
		fail "no incident.$a record with its values"
done
pass "every incident action left its audit record; the chain verifies"
