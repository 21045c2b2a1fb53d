# sla.sh: SLA timers in the console at 80x24: the queue's SLA column shows
# time left and overdue, a breached row stands out in colour (white on red)
# and by attribute (bold, and bold reverse without colours), the breaching
# view (7) lists exactly what is overdue or due within the hour, soonest
# first, and the incident list has the same column and view.
. "$VSOC_SRCDIR/tests/lib.sh"
. "$VSOC_SRCDIR/tests/tui/tmux.sh"
. "$VSOC_SRCDIR/tests/tui/fixtures.sh"
migrate
seed_alerts 3

# al TITLE SEVERITY CREATED_AGO: a new alert that arrived CREATED_AGO ago.
al() {
	sql "INSERT INTO alerts (rule_id, title, severity, asset_id, asset_ref, first_seen,
	     last_seen, created_at)
	     SELECT 'R7', '$1', $2, id, external_id, now() - interval '$3',
	            now() - interval '$3', now() - interval '$3'
	     FROM assets WHERE external_id = 'CS-001'" >/dev/null || fail "alert $1"
}
al "sla overdue crit" 5 '2 hours'	# 15m to acknowledge: 1h45 overdue
al "sla due high" 4 '30 minutes'	# 1h to acknowledge: 30m left
al "sla fine medium" 3 '1 minute'	# 4h to acknowledge: 3h59 left
# The fixtures: just in, medium at most (four hours or more to go).
sql "UPDATE alerts SET created_at = now(), severity = least(severity, 3)
     WHERE title LIKE 'alert title%'" >/dev/null

esc=$(printf '\033')
# The screen with its attributes, one line per row.
ansi() { tmx capture-pane -p -e -t "$1"; }
row_of() { ansi "$1" | grep -F -- "$2"; }

TUI_ENV="PGUSER=alice"
console one 80 24
wait_for one "SLA"
wait_for one "sla overdue crit"
s=$(screen one)
echo "$s" | grep "sla overdue crit" | grep -Eq -- "-1h4[456] " || fail "overdue cell: $s"
echo "$s" | grep "sla due high" | grep -Eq " (29|30)m " || fail "due cell: $s"
echo "$s" | grep "sla fine medium" | grep -Eq " 3h5[89] " || fail "running cell: $s"
# Off the first row, so the breached row is not the selected one.
keys one Down
sleep 0.3
r=$(row_of one "sla overdue crit")
echo "$r" | grep -Eq "$esc\\[([0-9]+;)*41(;[0-9]+)*m" || fail "breached row has no red: $r"
echo "$r" | grep -Eq "$esc\\[([0-9]+;)*1(;[0-9]+)*m" || fail "breached row is not bold: $r"
r=$(row_of one "sla fine medium")
echo "$r" | grep -Eq "$esc\\[([0-9]+;)*41(;[0-9]+)*m" && fail "a running row is red: $r"
pass "the SLA column at 80x24; a breached row in red and bold"

# Monochrome: the breach by attribute alone (bold reverse cell).
TUI_ENV="PGUSER=alice NO_COLOR=1"
console mono 80 24
wait_for mono "sla overdue crit"
keys mono Down
sleep 0.3
r=$(row_of mono "sla overdue crit")
echo "$r" | grep -Eq "$esc\\[([0-9]+;)*7(;[0-9]+)*m" || fail "no reverse without colours: $r"
echo "$r" | grep -Eq "$esc\\[([0-9]+;)*1(;[0-9]+)*m" || fail "not bold without colours: $r"
r=$(row_of mono "sla fine medium")
echo "$r" | grep -Eq "$esc\\[([0-9]+;)*7(;[0-9]+)*m" && fail "a running row in reverse: $r"
keys mono q
pass "without colours a breached row stands out by attribute"

# The breaching view: overdue first, then due within the hour; nothing
# with more than an hour left, none of the fixtures (created just now).
keys one 7
wait_for one "view: breaching"
wait_for one "sort: deadline"
wait_gone one "sla fine medium"
wait_gone one "alert title"
s=$(screen one)
first=$(echo "$s" | grep -n "sla overdue crit" | cut -d: -f1)
second=$(echo "$s" | grep -n "sla due high" | cut -d: -f1)
[ -n "$first" ] && [ -n "$second" ] && [ "$first" -lt "$second" ] ||
	fail "breaching view order: $s"
expect_contains "$s" "row 1 of 2"
keys one '>'
wait_status one "the breaching view is sorted by deadline"
pass "the breaching view lists the breached and the due, soonest first"

# Incidents: the same column and view.
sql "INSERT INTO incidents (title, severity, created_at) VALUES
     ('sla incident late', 5, now() - interval '1 hour'),
     ('sla incident calm', 3, now())" >/dev/null
keys one I
wait_for one "sla incident late"
s=$(screen one)
echo "$s" | grep "sla incident late" | grep -Eq -- "-4[456]m " || fail "incident SLA cell: $s"
echo "$s" | grep "sla incident calm" | grep -Eq " (4h00|3h59) " || fail "calm incident cell: $s"
keys one 7
wait_for one "incidents: breaching"
wait_gone one "sla incident calm"
wait_for one "sla incident late"
pass "the incident list's SLA column and breaching view"
keys one q q
