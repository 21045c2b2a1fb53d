#!/bin/sh
# tests/integration/triage_cli.sh: vsoc alert take|assign|ack|note|close|
# reopen|suppress|escalate from the command line: every action, the exit
# codes (0 ok, 1 failure, 2 usage, 3 conflict, 4 not found), required
# reasons, a take conflict between two analysts, a version conflict, a bulk
# close as one audit record, a rolled-back bulk with an unknown id, hostile
# note text stored verbatim and printed sanitized, and --json documents.
#
# Alerts are made here with plain SQL (not vsoc demo seed), so the test
# knows every id and depends only on the schema.
. "$VSOC_SRCDIR/tests/lib.sh"

migrate

ESC=$(printf '\033')

station() {
	sql "INSERT INTO assets (kind, external_id) VALUES ('station', '$1') RETURNING id"
}

# alert ASSET_ID RULE [EVIDENCE_JSON]: a new alert; prints its id.
alert() {
	evidence=${3:-}
	[ -n "$evidence" ] || evidence='{}'
	sql "INSERT INTO alerts (rule_id, title, severity, asset_id, asset_ref,
	     first_seen, last_seen, evidence)
	     SELECT '$2', 'Test $2 on ' || external_id, 3, id, external_id, now(), now(),
	     '$evidence'::jsonb FROM assets WHERE id = $1 RETURNING id"
}

status_of() {
	sql "SELECT status FROM alerts WHERE id = $1"
}

audit_rows() {
	sql "SELECT count(*) FROM audit_log"
}

# json_ok: $out is one JSON document.
json_ok() {
	json_get 'd["ok"]' >/dev/null || fail "not JSON: $out"
}

s1=$(station CS-BER-001)
s2=$(station CS-BER-002)

# --- take: atomic, two analysts ---------------------------------------------
a=$(alert "$s1" R1)
run_as alice alert take "$a"
expect_rc 0 "take"
[ "$out" = "alert $a taken by alice" ] || fail "take output: $out"
[ "$(status_of "$a")" = acknowledged ] || fail "take did not acknowledge"
run_as bob alert take "#$a"
expect_rc 3 "take of alice's alert by bob"
expect_contains "$err" "alert $a is already taken by alice" "conflict message"
[ "$(echo "$err" | wc -l)" -eq 1 ] || fail "conflict is not one line: $err"
run_as alice alert take "$a"
expect_rc 0 "take again by the owner"
expect_contains "$out" "already taken by alice"
run_as bob alert take "$a" --json
expect_rc 3 "take --json conflict"
json_ok
[ "$(json_get 'd["ok"], d["result"], d["alert"]')" = "False conflict $a" ] ||
	fail "conflict JSON: $out"
expect_contains "$err" "already taken by alice" "stderr with --json"
pass "take: one owner; the other analyst gets exit 3 naming alice"

closed=$(alert "$s1" R2)
run_as alice alert close "$closed" --disposition benign --reason "lab station"
expect_rc 0 "close"
run_as bob alert take "$closed"
expect_rc 3 "take of a closed alert"
expect_contains "$err" "is closed; reopen it first"

# --- optimistic concurrency --------------------------------------------------
b=$(alert "$s1" R5)
run_as alice alert ack "$b" --expect-version 1
expect_rc 0 "ack at version 1"
[ "$out" = "alert $b acknowledged" ] || fail "ack output: $out"
run_as bob alert close "$b" --expect-version 1 --disposition fp --reason "seen"
expect_rc 3 "close at a stale version"
expect_contains "$err" "alert $b was changed by alice at "
expect_contains "$err" "(version 2, you had 1); reload and retry"
[ "$(status_of "$b")" = acknowledged ] || fail "stale close changed the alert"
run alert ack "$b" "$a" --expect-version 2
expect_rc 2 "--expect-version with two ids"
run alert ack "$b" --expect-version zero
expect_rc 2 "--expect-version zero"
run_as bob alert close "$b" --expect-version 2 --disposition fp --reason "seen"
expect_rc 0 "close at the current version"
pass "optimistic concurrency: --expect-version conflicts with exit 3"

# --- bulk close: one transaction, one audit record ---------------------------
c1=$(alert "$s1" R8)
c2=$(alert "$s1" R8)
c3=$(alert "$s2" R9)
run_as alice alert close "$c1" "#$c2" "$c3" --disposition fp --reason "scanner test" --json
expect_rc 0 "bulk close"
json_ok
[ "$(json_get 'd["action"], d["ok"], d["changed"], d["alerts"]')" = "close True 3 [$c1, $c2, $c3]" ] ||
	fail "bulk close JSON: $out"
audit_id=$(json_get 'd["audit_id"]')
[ "$(sql "SELECT count(*) FROM audit_log WHERE action = 'alert.close'
	AND alert_ids && '{$c1,$c2,$c3}'")" = 1 ] || fail "bulk close is not one audit record"
[ "$(sql "SELECT actor || ' ' || alert_ids::text || ' ' || (details->>'reason')
	FROM audit_log WHERE id = $audit_id")" = "alice {$c1,$c2,$c3} scanner test" ] ||
	fail "bulk close audit record"
[ "$(sql "SELECT count(*) FROM alerts WHERE id IN ($c1, $c2, $c3) AND status = 'closed'
	AND disposition = 'false_positive' AND disposition_reason = 'scanner test'")" = 3 ] ||
	fail "bulk close did not close all three"
run alert close "$c1" "$c2" --disposition fp --reason again
expect_rc 3 "close of closed alerts"
expect_contains "$err" "alert $c1 is already closed"
pass "bulk close: three alerts, one audit record"

# --- bulk with an unknown id: nothing changes --------------------------------
f1=$(alert "$s2" R6)
f2=$(alert "$s2" R6)
before=$(audit_rows)
run_as alice alert ack "$f1" 999999 "$f2"
expect_rc 4 "bulk with an unknown id"
expect_contains "$err" "alert 999999 not found"
[ "$(status_of "$f1") $(status_of "$f2")" = "new new" ] || fail "partial bulk applied"
[ "$(audit_rows)" = "$before" ] || fail "a failed bulk wrote an audit record"
run alert ack 999999 --json
expect_rc 4 "unknown id --json"
[ "$(json_get 'd["result"], d["alert"]')" = "not_found 999999" ] || fail "not found JSON: $out"
pass "bulk with an unknown id: exit 4, rolled back"

# --- usage errors: exit 2, before touching the database ----------------------
for args in \
	"close $f1 --disposition fp" \
	"close $f1 --reason why" \
	"close $f1 --disposition maybe --reason why" \
	"reopen $closed" \
	"suppress $f1 --for 4h" \
	"suppress $f1 --reason why" \
	"suppress $f1 --for 91d --reason why" \
	"suppress $f1 --for soon --reason why" \
	"suppress $f1 --for 4h --reason why --by rule" \
	"suppress $f1 --for 4h --reason why --by evidence:" \
	"note $f1" \
	"note $f1 --text ''" \
	"assign $f1" \
	"escalate $f1 --incident 3 --title both" \
	"take abc" \
	"take 4x2" \
	"take -- -3" \
	"take" \
	"take $f1 --reason why" \
	"take $f1 --frobnicate"
do
	eval "run alert $args"
	expect_rc 2 "vsoc alert $args"
	expect_contains "$err" "usage: vsoc alert" "usage error of vsoc alert $args"
done
run alert close "$f1" --disposition fp
expect_contains "$err" "a reason is required to close"
run alert close "$f1" --disposition fp --json
expect_rc 2 "missing reason --json"
[ "$(json_get 'd["ok"], d["result"]')" = "False usage" ] || fail "usage JSON: $out"
# Bad input is a usage error even with the database down.
run --db "host=$VSOC_TEST_TMP/nowhere dbname=x" alert close "$f1" --disposition fp
expect_rc 2 "missing reason, no database"
[ "$(status_of "$f1")" = new ] || fail "a usage error changed an alert"
pass "usage errors exit 2 (reasons, disposition, duration, ids, options)"

# --- dead database: one clear line, exit 1 -----------------------------------
run --db "host=$VSOC_TEST_TMP/nowhere dbname=x" alert take "$f1"
expect_rc 1 "take with the database down"
[ "$(echo "$err" | wc -l)" -eq 1 ] || fail "dead database is not one line: $err"
expect_contains "$err" "cannot connect"
pass "dead database: exit 1, one line"

# --- note: hostile text stored verbatim, printed sanitized -------------------
hostile="owned ${ESC}]0;pwned$(printf '\007')${ESC}[2J $(printf '\342\200\256')evil 'q' \"dq\" \$(id)"
run_as bob alert note "$f1" "$f2" --text "$hostile"
expect_rc 0 "note with hostile text"
case $out in *"$ESC"*) fail "note output carries a raw ESC: $out" ;; esac
expect_contains "$out" "note added to 2 alerts"
expect_contains "$out" '\e]0;pwned'
want=$(printf '%s' "$hostile" | od -An -tx1 | tr -d ' \n')
for id in "$f1" "$f2"; do
	got=$(sql "SELECT encode(convert_to(body, 'UTF8'), 'hex') FROM notes WHERE alert_id = $id")
	[ "$got" = "$want" ] || fail "note on $id not stored verbatim: $got"
done
[ "$(sql "SELECT version FROM alerts WHERE id = $f1")" = 1 ] || fail "a note bumped the version"
[ "$(sql "SELECT details::text LIKE '%pwned%' FROM audit_log WHERE action = 'alert.note'")" = f ] ||
	fail "the note body leaked into the audit log"
printf 'from stdin\nsecond line\n\n' >"$VSOC_TEST_TMP/note"
out=$(PGUSER=bob "$VSOC" alert note "$f1" --text - <"$VSOC_TEST_TMP/note") || fail "note --text -"
expect_contains "$out" "note added to alert $f1: \"from stdin\" (+1 line)"
[ "$(sql "SELECT body FROM notes WHERE alert_id = $f1 ORDER BY id DESC LIMIT 1")" = "from stdin
second line" ] || fail "note from stdin"
# A NUL byte would cut the note short without a word: refuse it, as a
# usage error with its JSON document, and store nothing.
notes_before=$(sql "SELECT count(*) FROM notes")
printf 'before\000after\n' >"$VSOC_TEST_TMP/nul"
out=$(PGUSER=bob "$VSOC" alert note "$f1" --text - --json <"$VSOC_TEST_TMP/nul" \
    2>"$VSOC_TEST_TMP/stderr") && rc=0 || rc=$?
err=$(cat "$VSOC_TEST_TMP/stderr")
expect_rc 2 "note --text - with a NUL byte"
expect_contains "$err" "NUL byte" "NUL stderr"
json_ok
[ "$(json_get 'd["ok"], d["result"]')" = "False usage" ] || fail "NUL JSON: $out"
out=$(PGUSER=bob "$VSOC" alert note "$f1" --text - --json </dev/null \
    2>"$VSOC_TEST_TMP/stderr") && rc=0 || rc=$?
err=$(cat "$VSOC_TEST_TMP/stderr")
expect_rc 2 "note --text - with empty stdin"
expect_contains "$err" "a note needs text" "empty stdin"
json_ok
[ "$(sql "SELECT count(*) FROM notes")" = "$notes_before" ] || fail "a refused note was stored"
# A usage error quoting bytes that are not UTF-8 still names the problem
# in its JSON document.
run alert take "$(printf '\377')" --json
expect_rc 2 "take of a non-UTF-8 id"
json_ok
expect_contains "$(json_get 'd.get("error")')" "is not an alert id" "non-UTF-8 JSON error"
# Hostile input in an error message is sanitized too.
run alert assign "$f1" --to "x${ESC}[2Jy"
expect_rc 4 "assign to an unknown hostile name"
case $err in *"$ESC"*) fail "stderr carries a raw ESC: $err" ;; esac
expect_contains "$err" "no analyst named 'x\\e[2Jy'"
pass "note: stored verbatim, printed sanitized, version unchanged"

# --- assign, unassign ---------------------------------------------------------
run_as alice alert assign "$f1" "$f2" --to bob
expect_rc 0 "assign"
[ "$out" = "2 alerts assigned to bob" ] || fail "assign output: $out"
# Taking bob's alerts away is a lead's call: carol (an analyst) is refused,
# by vsoc and by the database, and the refusal is in the audit log.
run_as carol alert assign "$f1" --to carol
expect_rc 5 "an analyst reassigning another's alert"
expect_contains "$err" "belongs to bob: reassigning it needs the lead role"
[ "$(sql "SELECT actor || ' ' || (details->>'tried') FROM audit_log
	WHERE action = 'permission.denied' ORDER BY seq DESC LIMIT 1")" = "carol alert.assign" ] ||
	fail "refusal not audited"
run_as carol alert assign "$f1" --to none
expect_rc 5 "an analyst unassigning another's alert"
run_as erin alert take "$f2"
expect_rc 5 "a viewer taking an alert"
expect_contains "$err" "erin is viewer, and triage needs the analyst role"
run_as erin alert take "$f2" --json
[ "$(json_get 'd["result"]')" = denied ] || fail "denied JSON: $out"
run_as alice alert assign "$f1" alice
expect_rc 0 "assign with the name as the last word"
[ "$(sql "SELECT a.name FROM alerts JOIN analysts a ON a.id = assignee_id WHERE alerts.id = $f1")" = alice ] ||
	fail "assign NAME"
run alert assign "$f1" --to nobody-here
expect_rc 4 "assign to an unknown analyst"
expect_contains "$err" "no analyst named 'nobody-here'"
sql "UPDATE analysts SET active = false WHERE name = 'bob'"
run alert assign "$f1" --to bob
expect_rc 2 "assign to an inactive analyst"
expect_contains "$err" "not active"
sql "UPDATE analysts SET active = true WHERE name = 'bob'"
run alert assign "$f1" --to none --json
expect_rc 0 "unassign"
[ "$(json_get 'd["action"], d["changed"]')" = "unassign 1" ] || fail "unassign JSON: $out"
[ "$(sql "SELECT assignee_id IS NULL FROM alerts WHERE id = $f1")" = t ] || fail "unassign"
pass "assign, unassign"

# --- reopen ------------------------------------------------------------------
run_as alice alert reopen "$c1" "$c2" --reason "the scanner was not ours"
expect_rc 0 "reopen"
[ "$(status_of "$c1") $(sql "SELECT disposition IS NULL FROM alerts WHERE id = $c1")" = "new t" ] ||
	fail "reopen state"
run alert reopen "$c1" --reason again
expect_rc 3 "reopen an open alert"
expect_contains "$err" "not closed or suppressed"
pass "reopen"

# --- suppress ----------------------------------------------------------------
s3=$(station CS-HAM-001)
h1=$(alert "$s3" R12)
h2=$(alert "$s3" R12)
h3=$(alert "$s1" R12)
run_as alice alert suppress "$h1" --for 4h --reason "firmware rollout tonight" --json
expect_rc 0 "suppress by asset"
[ "$(json_get 'd["changed"], d["alerts"], d["suppression"] is not None')" = "2 [$h1, $h2] True" ] ||
	fail "suppress JSON: $out"
[ "$(status_of "$h1") $(status_of "$h2") $(status_of "$h3")" = "suppressed suppressed new" ] ||
	fail "suppress by asset states"
[ "$(sql "SELECT count(*) FROM suppressions WHERE rule_id = 'R12' AND asset_id = $s3
	AND expires_at - created_at = interval '4 hours'")" = 1 ] || fail "suppression row"

k1=$(alert "$s1" R3 '{"card": {"id_tag": "04A1B2"}}')
k2=$(alert "$s2" R3 '{"card": {"id_tag": "04A1B2"}}')
k3=$(alert "$s2" R3 '{"card": {"id_tag": "FFFF00"}}')
k4=$(alert "$s2" R3 '{}')
run alert suppress "$k4" --for 7d --by evidence:card.id_tag --reason "test card"
expect_rc 2 "suppress by a missing evidence key"
expect_contains "$err" "has no evidence field 'card.id_tag'"
run alert suppress "$k1" --for 7d --by evidence:card.id_tag --reason "test card"
expect_rc 0 "suppress by evidence"
expect_contains "$out" "alert $k1 suppressed for 7d with 1 similar open alert"
[ "$(status_of "$k2") $(status_of "$k3")" = "suppressed new" ] || fail "suppress by evidence states"
run alert suppress "$k1" --for 7d --reason again
expect_rc 3 "suppress a suppressed alert"
run alert reopen "$k1" --reason "card was not a test card"
expect_rc 0 "reopen a suppressed alert"
pass "suppress by asset and by evidence"

# --- escalate ----------------------------------------------------------------
e1=$(alert "$s1" R7)
e2=$(alert "$s2" R10)
run_as alice alert escalate "$e1" "$e2" --json
expect_rc 0 "escalate to a new incident"
inc=$(json_get 'd["incident"]')
# Its severity is the classifier's (tests/integration/severity.sh).
[ "$(sql "SELECT title || '|' || status || '|' || (severity = severity_computed)
	FROM incidents WHERE id = $inc")" = "Test R7 on CS-BER-001|open|true" ] || fail "new incident"
[ "$(sql "SELECT count(*) FROM incident_alerts WHERE incident_id = $inc")" = 2 ] || fail "incident_alerts"
[ "$(sql "SELECT object_kind || ' ' || object_id FROM audit_log WHERE action = 'alert.escalate'")" = \
	"incident $inc" ] || fail "escalate audit record"
e3=$(alert "$s2" R10)
run_as bob alert escalate "$e3" --incident "#$inc"
expect_rc 0 "escalate to an existing incident"
[ "$out" = "alert $e3 escalated to incident $inc" ] || fail "escalate output: $out"
run alert escalate "$e3" --incident 999999
expect_rc 4 "escalate to an unknown incident"
expect_contains "$err" "incident 999999 not found"
run alert escalate "$e3" --title "Another one"
expect_rc 3 "escalate an alert of another incident"
expect_contains "$err" "already escalated to incident $inc"
sql "UPDATE incidents SET status = 'closed' WHERE id = $inc"
run alert escalate "$f2" --incident "$inc"
expect_rc 3 "escalate into a closed incident"
expect_contains "$err" "incident $inc is closed"
pass "escalate"

# --- help ----------------------------------------------------------------------
for c in take assign ack note close reopen suppress escalate; do
	run help alert $c
	expect_rc 0 "help alert $c"
	expect_contains "$out" "Exit codes" "help alert $c"
	expect_contains "$out" "Examples" "help alert $c"
	run alert $c --help
	expect_rc 0 "alert $c --help"
done
pass "help for every action"
