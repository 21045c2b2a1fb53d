# incidents.sh: the incident list and the incident view.  From the queue
# (I and :incidents), an incident made from marked alerts, more alerts
# picked into it from the escalate list without typing its id, status
# changes (a back move asks for a reason), a lead's severity override with
# its reason, every change live in a second console (at a larger size)
# with its cursor kept, an analyst refused the override, a viewer refused
# every action, and the help screen listing the new keys.
. "$VSOC_SRCDIR/tests/lib.sh"
. "$VSOC_SRCDIR/tests/tui/tmux.sh"
. "$VSOC_SRCDIR/tests/tui/fixtures.sh"
migrate
seed_alerts 12
inc_field() { sql "SELECT $1 FROM incidents WHERE title = 'Charger tamper'"; }

TUI_ENV="PGUSER=alice"
console one 80 24
keys one I
wait_for one "incidents: open"
wait_for one "No incidents in this view"
wait_for one "OPEN/ALL"
keys one q
wait_for one "open 12:"
pass "I opens the (empty) incident list from the queue, q goes back"

# Two marked alerts into a new incident.
keys one Space Space e
wait_for one "Escalate into: new TITLE"
wait_for one "no open incident matches"
keys one C-u "new Charger tamper" Enter
wait_for one "escalate 2 alerts? [y/N]"
keys one y
wait_for one "escalated into incident"
inc=$(inc_field id)
[ -n "$inc" ] || fail "no incident"
[ "$(sql "SELECT count(*) FROM alerts WHERE incident_id = $inc")" = 2 ] ||
	fail "not 2 alerts in incident $inc"
pass "marked alerts escalate into a new incident"

# A decoy, then one more alert into the first incident, picked from the
# list by a word of its title: no id typed.
sql "INSERT INTO incidents (title) VALUES ('Decoy outage')" >/dev/null
keys one Space e
wait_for one "Decoy outage"
wait_for one "Charger tamper"
keys one C-u tamper
wait_gone one "Decoy outage"
keys one Down
sleep 0.3
keys one Enter
wait_for one "escalated into incident $inc"
[ "$(sql "SELECT count(*) FROM alerts WHERE incident_id = $inc")" = 3 ] ||
	fail "the picked incident did not get the alert"
[ "$(sql "SELECT count(*) FROM alerts a JOIN incidents i ON i.id = a.incident_id
          WHERE i.title = 'Decoy outage'")" = 0 ] || fail "the decoy got alerts"
pass "escalate picks an open incident from a searched list"

# The list: both incidents, counts, sanitized titles; a second console,
# larger, on the same list.
sql "UPDATE incidents SET title = E'Decoy \\033[31moutage' WHERE title = 'Decoy outage'" >/dev/null
keys one : incidents Enter
wait_for one "incidents: open"
wait_for one "Charger tamper"
s=$(screen one)
echo "$s" | grep "Charger tamper" | grep -q " 3/3 " || fail "alert counts: $s"
echo "$s" | grep -q "Decoy ^\[\[31moutage\|Decoy \\\\e\[31moutage\|Decoy .*outage" ||
	fail "decoy row missing: $s"
echo "$s" | grep "Decoy" | grep -q "$(printf '\033')" && fail "escape reached the screen"
TUI_ENV="PGUSER=bob"
console two 120 40
keys two I
wait_for two "Charger tamper"
wait_for two "OWNER"
# bob's cursor on the second row (the decoy, updated last, is first).
keys two j
wait_for two "row 2 of 2"
pass ":incidents lists incidents with open/total alerts, sanitized, at 80x24 and 120x40"

# Open it: the summary, its alerts, Enter on an alert opens the alert.
keys one / tamper
wait_gone one "Decoy"
keys one Enter
wait_for one "row 1 of 1"
keys one Enter
wait_for one "Incident $inc"
wait_for one "3 open of 3"
wait_for one "alert 1 of 3"
# The classifier's explanation, its first line (core/severity.c).
wait_for one "Because"
expect_contains "$(screen one)" "start: " "severity explanation"
keys one j Enter
wait_for one "Evidence"
keys one q
wait_for one "Incident $inc"
wait_for one "alert 2 of 3"
pass "the incident view lists its alerts, Enter opens one"

# Forward: no reason asked.
keys one S
wait_for one "status (Tab completes)"
keys one cont Tab Enter
wait_for one "incident $inc is now containment"
[ "$(inc_field status)" = containment ] || fail "status: $(inc_field status)"
wait_for two "containment"
s=$(screen two)
expect_contains "$s" "row 2 of 2" "bob's cursor kept"
pass "a forward move needs no reason; the other console shows it live, cursor kept"

# Back: a reason is required.
keys one S
wait_for one "status (Tab completes)"
keys one triage Enter
wait_for one "reason for moving back (required)"
keys one Enter
wait_for one "a reason is required"
keys one "wrong phase, still scoping" Enter
wait_for one "incident $inc is now triage"
[ "$(sql "SELECT details->>'reason' FROM audit_log WHERE action = 'incident.status'
          AND object_id = $inc ORDER BY seq DESC LIMIT 1")" = "wrong phase, still scoping" ] ||
	fail "back move's reason not in the audit record"
keys one G
wait_for one "incident.status: wrong phase, still scoping"
keys one g
pass "a back move asks for a reason and records it (timeline shows it)"

# bob, an analyst, may not override severity.
keys two O
wait_for two "override-severity needs the lead role"
[ "$(inc_field "severity_override IS NULL")" = t ] || fail "bob overrode severity"

# alice, a lead, overrides with a reason.
keys one O
wait_for one "override severity"
keys one critical Enter
wait_for one "reason (required)"
keys one "fleet-wide campaign" Enter
wait_for one "severity overridden to critical"
wait_for one "override by alice"
wait_for one "fleet-wide campaign"
[ "$(inc_field "severity_override || ' ' || severity_override_reason")" = "5 fleet-wide campaign" ] ||
	fail "override: $(inc_field "severity_override || ' ' || severity_override_reason")"
wait_for two "CRIT!"
pass "a lead overrides severity with a reason; marked with ! live elsewhere; an analyst is refused"

# A note, live too.
keys one n
wait_for one "note:"
keys one "vendor contacted" Enter
wait_for one "note added to incident $inc"
keys one G
wait_for one "vendor contacted"
keys one g
pass "n adds a note to the incident"

# erin, a viewer: everything refused, with the reason.
TUI_ENV="PGUSER=erin"
console three 80 24
keys three I
wait_for three "Charger tamper"
keys three S
wait_for three "status needs the analyst role"
keys three n
wait_for three "note needs the analyst role"
keys three Enter
wait_for three "Incident"
keys three R
wait_for three "rename needs the analyst role"
[ "$(inc_field status)" = triage ] || fail "erin changed the status"
[ "$(sql "SELECT string_agg(details->>'tried', ',' ORDER BY seq) FROM audit_log
          WHERE actor = 'erin' AND action = 'permission.denied'")" = \
  "console:status,console:note,console:rename" ] ||
	fail "erin's refusals not audited: $(sql "SELECT action, details FROM audit_log WHERE actor = 'erin'")"
keys three '?'
wait_for three "vsoc console: keys"
h=""
for _ in 1 2 3 4 5 6 7 8 9 10 11 12; do
	h="$h$(screen three)"
	keys three PgDn
	sleep 0.1
done
expect_contains "$h" "incidents" "help: incidents"
expect_contains "$h" "override-severity" "help: override-severity"
expect_contains "$h" "Change an incident's status" "help: status"
for k in "I +incidents +Show the incident list" "S +status +Change an incident" \
    "R +rename +Rename an incident" "O +override-severity +Override"; do
	echo "$h" | grep -qE "^ +$k" || fail "help lacks the row '$k'"
done
pass "a viewer is refused every incident action with the reason; help lists the keys"

keys three Q
wait_exit three 0

# --read-only: alice, a lead, acts on nothing.
TUI_ENV="PGUSER=alice"
console ro 80 24 xterm-256color --read-only
keys ro I
wait_for ro "Charger tamper"
keys ro O
wait_for ro "read-only console (--read-only): override-severity is"
keys ro : "status closed" Enter
wait_for ro "read-only console (--read-only): status is off"
[ "$(inc_field status)" = triage ] || fail "--read-only changed the status"
keys ro Q
wait_exit ro 0
pass "--read-only refuses incident actions, keys and commands alike"

# Close: a resolution, and with open alerts, whether they go too and as what.
keys one c
wait_for one "resolution summary (required)"
keys one "firmware rolled back" Enter
wait_for one "close its 3 open alerts with it? [y/N]"
keys one y
wait_for one "close them as"
keys one true_positive Enter
wait_for one "incident $inc is now closed (its open alerts clos"
[ "$(inc_field "status || ' ' || resolution")" = "closed firmware rolled back" ] ||
	fail "close: $(inc_field "status || ' ' || resolution")"
[ "$(sql "SELECT count(*) FROM alerts WHERE incident_id = $inc AND status = 'closed'
          AND disposition = 'true_positive'")" = 3 ] || fail "its alerts were not closed"
wait_gone two "Charger tamper"
keys one o
wait_for one "reason for reopening"
keys one "it came back" Enter
wait_for one "incident $inc is now open"
[ "$(inc_field status)" = open ] || fail "not reopened"
wait_for two "Charger tamper"
pass "c closes with a resolution and the open alerts as asked; o reopens with a reason"

# Paging: 60 more incidents, a window over keyset pages.
sql "INSERT INTO incidents (title, updated_at)
     SELECT 'bulk incident ' || lpad(g::text, 2, '0'), now() - make_interval(mins => g)
     FROM generate_series(1, 60) g" >/dev/null
keys one q
wait_for one "incidents: open  sort: updated"
keys one : filter Enter
wait_for one "filter cleared"
wait_for one "row 1 of 62"
keys one G
wait_for one "row 62 of 62"
wait_for one "bulk incident 60"
keys one g
wait_for one "row 1 of 62"
keys one PgDn
wait_for one "row 21 of 62"
keys one '>'
wait_for one "sorted by severity"
keys one '>'
wait_for one "sorted by id"
screen one | sed -n 4p | grep -q "bulk incident 60" || fail "by id: not the newest first: $(screen one)"
keys one '<'
wait_for one "sorted by id, reversed"
screen one | sed -n 4p | grep -q "Charger tamper" || fail "reversed: not the oldest first: $(screen one)"
# By severity: 61 ties (medium) paged through from the end, up.
keys one : "sort severity" Enter
wait_for one "sorted by severity"
keys one G
wait_for one "row 62 of 62"
keys one PgUp
wait_for one "row 42 of 62"
keys one PgUp
wait_for one "row 22 of 62"
keys one PgUp
wait_for one "row 2 of 62"
keys one k
wait_for one "row 1 of 62"
screen one | sed -n 4p | grep -q "CRIT! .*Charger tamper" || fail "by severity: $(screen one)"
screen one | sed -n 5p | grep -q "MED " || fail "by severity, row 2: $(screen one)"
keys one j
wait_for one "row 2 of 62"
keys one : "sort -id" Enter
wait_for one "sorted by id, reversed"
screen one | sed -n 4p | grep -q "Charger tamper" || fail "-id: $(screen one)"
pass "the list pages (G, g, PgDn, PgUp) and sorts (> <, :sort) over 62 incidents at 80x24"

# Marks: two incidents taken at once, one audit record each.
keys one Space Space
wait_for one "2 marked"
keys one t
wait_for one "take 2 incidents? [y/N]"
keys one y
wait_for one "2 incidents: take done"
[ "$(sql "SELECT count(*) FROM incidents i JOIN analysts a ON a.id = i.owner_id
          WHERE a.name = 'alice' AND i.title IN ('Charger tamper', 'Decoy' || E' \033[31moutage')")" = 2 ] ||
	fail "marked incidents not taken: $(sql "SELECT id, title, owner_id FROM incidents WHERE owner_id IS NOT NULL")"
keys one 2
wait_for one "incidents: mine"
wait_for one "row 1 of 2"
keys one 5
wait_for one "No incidents in this view"
pass "marked incidents are acted on together; views mine and closed"
keys one Q
wait_exit one 0
keys two Q
wait_exit two 0
