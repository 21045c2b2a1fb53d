#!/bin/sh
# db_lost.sh: an idle console notices a stopped database within a few
# seconds and says DISCONNECTED, without a key pressed; after r the session
# is set up again as on the first connect (client_encoding included), so a
# title the client's own encoding cannot hold does not empty the queue.
. "$VSOC_SRCDIR/tests/lib.sh"
. "$VSOC_SRCDIR/tests/tui/tmux.sh"
. "$VSOC_SRCDIR/tests/tui/fixtures.sh"
migrate
seed_alerts 12
# U+2603 has no LATIN1 form: with client_encoding LATIN1 (what
# PGCLIENTENCODING asks for, and what a reset connection goes back to) the
# server refuses to send this row, and with it the whole page.
sql "INSERT INTO alerts (rule_id, title, severity, asset_id, asset_ref, first_seen, last_seen)
     SELECT 'R1', 'snowman café ☃', 5, id, external_id, now(), now()
     FROM assets WHERE external_id = 'CS-001'" >/dev/null || fail "insert the snowman"

pg() { VSOC_PGDIR=$VSOC_TEST_TMP/pg "$VSOC_SRCDIR/scripts/pg" "$@" >/dev/null 2>&1; }

# seconds_until NAME TEXT MAX: whole seconds (tenths) until TEXT shows.
tenths_until() {
	_t=0
	while [ $_t -lt $(( $3 * 10 )) ]; do
		screen "$1" | grep -qF -- "$2" && { echo $_t; return 0; }
		sleep 0.1
		_t=$((_t + 1))
	done
	echo 9999
}

TUI_ENV="PGUSER=alice PGCLIENTENCODING=LATIN1"
console lost 100 24
wait_for lost "row 1 of 13"
wait_for lost "snowman café ☃"
sleep 2	# idle: nothing on the screen changes, no key pending

pg stop || fail "could not stop the cluster"
t=$(tenths_until lost "DISCONNECTED" 15)
echo "# stopped server noticed after $t tenths of a second"
[ "$t" -le 50 ] || { screen lost >&2; fail "an idle console took $t/10 s to notice the stop"; }
expect_contains "$(screen lost)" "alert title 0012" "rows kept after the drop"
pass "idle console notices a stopped database ($t/10 s)"

VSOC_PG_FAST=1 pg start || fail "could not restart the cluster"
keys lost r
wait_status lost "reconnected to"
wait_for lost "row 1 of 13"
wait_for lost "snowman café ☃"
expect_not_contains "$(screen lost)" "no equivalent" "queue after the reconnect"
pass "after r the session speaks UTF-8 again: every row, the snowman's too"

keys lost q
wait_exit lost 0
