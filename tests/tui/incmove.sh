# incmove.sh: moving alerts between incidents from the console, at 80x24.
# Marked alerts in the queue escalate into an existing incident picked
# from the searchable list; in the incident view two marked alerts move to
# another incident picked the same way (both incidents' counts change),
# one alert is removed (back in the queue, acknowledged), a merge whose
# target changed meanwhile is refused naming who changed it and when, and
# a merge closes the merged incident with a link to the one it joined.
# Each action is one audit record.
. "$VSOC_SRCDIR/tests/lib.sh"
. "$VSOC_SRCDIR/tests/tui/tmux.sh"
. "$VSOC_SRCDIR/tests/tui/fixtures.sh"
migrate
seed_alerts 12
aid() { sql "SELECT id FROM alerts WHERE title = 'alert title $1'"; }
count_in() { sql "SELECT count(*) FROM alerts WHERE incident_id = $1"; }
records() { sql "SELECT count(*) FROM audit_log WHERE action = '$1'"; }
# wait_row NAME TEXT COUNTS: a row with TEXT shows COUNTS (open/all).
wait_row() {
	_i=0
	while [ $_i -lt 100 ]; do
		screen "$1" | grep -F -- "$2" | grep -qF -- " $3 " && return 0
		sleep 0.05
		_i=$((_i + 1))
	done
	screen "$1" >&2
	fail "no row '$2' with $3 on $1"
}

# A (4 alerts) and B (empty, a title with a terminal escape in it).
run incident create "$(aid 0001)" "$(aid 0002)" "$(aid 0003)" "$(aid 0004)" \
	--title "Charger tamper" --json
expect_rc 0 "incident create A"
a=$(json_get 'd["incident"]')
run incident create --title "$(printf 'Cable theft \033[2J')" --json
expect_rc 0 "incident create B"
b=$(json_get 'd["incident"]')
[ -n "$a" ] && [ -n "$b" ] || fail "incidents: $a $b"

TUI_ENV="PGUSER=alice"
console one 80 24
# From the queue: two marked alerts into B, picked by a word of its title.
wait_for one "open 8:"
keys one Space Space e
wait_for one "Escalate into: new TITLE"
wait_for one "Charger tamper"
keys one C-u cable
wait_gone one "Charger tamper"
wait_for one "Cable theft"
screen one | grep -q "$(printf '\033')" && fail "an escape reached the screen"
keys one Down
sleep 0.3
keys one Enter
wait_for one "escalate 2 alerts? [y/N]"
keys one y
wait_for one "escalated into incident $b"
[ "$(count_in "$b")" = 2 ] || fail "B has $(count_in "$b") alerts, not 2"
pass "marked alerts escalate from the queue into an incident picked from the list"

# A's view: mark two alerts, move them to B through the picker.
keys one I
wait_for one "Charger tamper"
keys one / tamper Enter
wait_for one "row 1 of 1"
keys one Enter
wait_for one "Incident $a"
wait_for one "4 open of 4"
wait_for one "alert 1 of 4"
keys one m m
wait_for one "2 marked"
keys one M
wait_for one "Move 2 alerts of incident $a into"
wait_for one "Cable theft"
keys one Down
sleep 0.3
keys one Enter
wait_for one "move 2 alerts from incident $a to incident $b? [y/N]"
keys one y
wait_for one "2 alerts moved from incident $a to incident $b"
wait_for one "2 open of 2"
[ "$(count_in "$a")" = 2 ] && [ "$(count_in "$b")" = 4 ] ||
	fail "after the move A has $(count_in "$a"), B $(count_in "$b")"
[ "$(records incident.move)" = 1 ] || fail "$(records incident.move) move records"
[ "$(sql "SELECT cardinality(alert_ids) FROM audit_log WHERE action = 'incident.move'")" = 2 ] ||
	fail "the move record does not name both alerts"
keys one q
wait_for one "incidents: open"
keys one / C-u Enter
wait_for one "Cable theft"
wait_row one "Charger tamper" 2/2
wait_row one "Cable theft" 4/4
pass "two marked alerts move to a picked incident; both incidents' counts change"

# Remove one: back in the queue, acknowledged.
keys one / tamper Enter
wait_for one "row 1 of 1"
keys one Enter
wait_for one "Incident $a"
wait_for one "alert 1 of 2"
gone=$(sql "SELECT id FROM alerts WHERE incident_id = $a ORDER BY severity DESC, id LIMIT 1")
keys one x
wait_for one "1 alert removed from incident $a (back in the q"
wait_for one "1 open of 1"
[ "$(sql "SELECT status || ' ' || coalesce(incident_id::text, 'none') FROM alerts
          WHERE id = $gone")" = "acknowledged none" ] || fail "alert $gone not back acknowledged"
[ "$(records incident.remove)" = 1 ] || fail "$(records incident.remove) remove records"
t=$(sql "SELECT title FROM alerts WHERE id = $gone")
keys one q q
wait_for one "open 7:"
keys one / "$t" Enter
wait_for one "$t"
screen one | grep "$t" | grep -qi "ack" || fail "alert $gone not shown acknowledged: $(screen one)"
pass "a removed alert is back in the queue, acknowledged"

# Merge B into A: refused first, A changed by bob while the list was open.
keys one I
wait_for one "Charger tamper"
keys one / tamper Enter
wait_for one "row 1 of 1"
keys one Enter
wait_for one "Incident $a"
keys one +
wait_for one "Merge which incident into incident $a"
wait_for one "Cable theft"
run_as bob incident rename "$a" "Charger tamper, Berlin"
expect_rc 0 "bob renames A"
keys one Down
sleep 0.3
keys one Enter
wait_for one "merge $b into $a: its 4 alerts, assets, notes move"
keys one y
wait_for one "incident $a was changed by bob at"
[ "$(sql "SELECT status FROM incidents WHERE id = $b")" = open ] || fail "B merged anyway"
[ "$(records incident.merge)" = 0 ] || fail "a refused merge left a record"
pass "a merge into an incident changed meanwhile is refused, naming who and when"

# Again, on the reloaded view: B is closed as merged, linked to A.
wait_for one "Charger tamper, Berlin"
keys one +
wait_for one "Merge which incident into incident $a"
keys one C-u "$b"
sleep 0.3
keys one Enter
wait_for one "merge $b into $a: its 4 alerts, assets, notes move; $b closes"
keys one y
wait_for one "incident $b merged into incident $a (4 alerts mo"
wait_for one "5 open of 5"
wait_for one "Merged from"
[ "$(sql "SELECT status || ' ' || merged_into FROM incidents WHERE id = $b")" = "closed $a" ] ||
	fail "B: $(sql "SELECT status, merged_into FROM incidents WHERE id = $b")"
[ "$(count_in "$a")" = 5 ] && [ "$(count_in "$b")" = 0 ] || fail "after the merge"
[ "$(records incident.merge)" = 1 ] || fail "$(records incident.merge) merge records"
keys one : "incident $b" Enter
wait_for one "Incident $b"
wait_for one "closed"
wait_for one "incident $a (i opens it)"
keys one i
wait_for one "Incident $a"
wait_for one "5 open of 5"
pass "merge closes B as merged with a link to A (i follows it), one record"

keys one Q
wait_exit one 0
