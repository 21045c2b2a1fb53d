# triage.sh: take, close with a required reason, mark + bulk close with
# confirmation, escalate, and a take conflict naming the owner.
. "$VSOC_SRCDIR/tests/lib.sh"
. "$VSOC_SRCDIR/tests/tui/tmux.sh"
. "$VSOC_SRCDIR/tests/tui/fixtures.sh"
migrate
seed_alerts 40
id_of() { sql "SELECT id FROM alerts WHERE title = 'alert title $1'"; }

TUI_ENV="PGUSER=alice"
console tri 80 24
# Row 1 is "alert title 0039" (critical, seen last).
keys tri t
wait_for tri "taken"
[ "$(sql "SELECT an.name FROM alerts a JOIN analysts an ON an.id = a.assignee_id WHERE a.title = 'alert title 0039'")" = alice ] ||
	fail "take did not assign alice"
wait_for tri "alice    CS-"
pass "t takes the selected alert"

keys tri c f a l s e _ p Tab Enter
wait_for tri "reason (required)"
keys tri Enter
wait_for tri "a reason is required"
keys tri "lab noise" Enter
wait_for tri "closed"
[ "$(sql "SELECT status || ' ' || disposition || ' ' || disposition_reason FROM alerts WHERE title = 'alert title 0039'")" = "closed false_positive lab noise" ] ||
	fail "close not stored"
pass "close asks for a disposition and a required reason"

keys tri Space Space Space
wait_for tri "3 marked"
keys tri c 'benign' Enter 'maintenance window' Enter
wait_for tri "close 3 alerts as benign? [y/N]"
keys tri n
wait_for tri "cancelled"
[ "$(sql "SELECT count(*) FROM alerts WHERE status = 'closed'")" = 1 ] || fail "closed without confirmation"
keys tri c 'benign' Enter 'maintenance window' Enter
wait_for tri "[y/N]"
keys tri y
wait_for tri "3 alerts closed"
[ "$(sql "SELECT count(*) FROM alerts WHERE status = 'closed' AND disposition = 'benign'")" = 3 ] ||
	fail "bulk close"
[ "$(sql "SELECT count(*) FROM audit_log WHERE action LIKE '%close%' AND cardinality(alert_ids) = 3")" = 1 ] ||
	fail "bulk close is not one audit record"
pass "mark + bulk close with confirmation, one audit record"

keys tri e
wait_for tri "into incident"
keys tri C-u 'new Rogue firmware host' Enter
wait_for tri "escalated into incident"
[ "$(sql "SELECT count(*) FROM incidents WHERE title = 'Rogue firmware host'")" = 1 ] || fail "no incident"
pass "escalate into a new incident"

# A take conflict: bob owns the selected alert behind alice's back.
sql "INSERT INTO analysts (name) VALUES ('bob') ON CONFLICT DO NOTHING" >/dev/null
title=$(screen tri | sed -n 4p | grep -o 'alert title [0-9]*')
sql "UPDATE alerts SET assignee_id = (SELECT id FROM analysts WHERE name = 'bob'),
     version = version + 1 WHERE title = '$title'" >/dev/null
wait_for tri "bob"
keys tri t
wait_for tri "already taken by bob"
pass "take conflict names the owner"

# A change the console has not shown yet is refused, not overwritten.
keys tri j
wait_for tri "row 2 of"
title=$(screen tri | sed -n 5p | grep -o 'alert title [0-9]*')
sql "BEGIN; ALTER TABLE alerts DISABLE TRIGGER alert_notify_upd;
     UPDATE alerts SET occurrences = 99, version = version + 1 WHERE title = '$title';
     ALTER TABLE alerts ENABLE TRIGGER alert_notify_upd; COMMIT" >/dev/null
keys tri A
wait_for tri "was changed"
wait_for tri "99"
[ "$(sql "SELECT status FROM alerts WHERE title = '$title'")" = new ] || fail "stale ack applied"
pass "a stale version is refused and the row reloaded"

keys tri Enter
wait_for tri "Evidence"
keys tri n 'checked the station' Enter
wait_for tri "noted"
wait_for tri "checked the station"
keys tri @
wait_for tri "External id"
wait_for tri "ACME"
keys tri q q q
wait_exit tri 0
pass "note from the detail view, asset panel"
