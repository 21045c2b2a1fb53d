#!/bin/sh
# bad_input.sh: the console refuses out-of-range values where they are
# typed: a filter whose duration no timestamp can hold keeps the old filter
# and rows (it used to show the new filter over the old rows, and the
# database's error only after r), and an incident id past 2^63 is named as
# not an id (it used to be clamped to 9223372036854775807).
. "$VSOC_SRCDIR/tests/lib.sh"
. "$VSOC_SRCDIR/tests/tui/tmux.sh"
. "$VSOC_SRCDIR/tests/tui/fixtures.sh"
migrate
seed_alerts 20

TUI_ENV="PGUSER=alice"
console bad 100 24
wait_for bad "row 1 of 20"

keys bad : "filter sev=low age<99999999h" Enter
wait_status bad "bad duration '99999999h'"
wait_for bad "filter: (none)"
wait_for bad "row 1 of 20"
keys bad r
sleep 0.5
expect_not_contains "$(screen bad)" "out of range" "after r"
wait_for bad "row 1 of 20"
pass ":filter with an out-of-range duration is refused, naming it"

keys bad : "filter incident=99999999999999999999" Enter
wait_status bad "bad incident id '99999999999999999999'"
wait_for bad "filter: (none)"

keys bad e
wait_for bad "into incident"
keys bad C-u "99999999999999999999" Enter
wait_status bad "'99999999999999999999' is not an incident id"
[ "$(sql "SELECT count(*) FROM alerts WHERE status = 'escalated'")" = 0 ] ||
	fail "an alert was escalated"
pass "incident ids past 2^63 are refused where typed"

keys bad q
wait_exit bad 0
