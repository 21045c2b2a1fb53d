# db_drop.sh: the database goes away under an open console.  The console
# says so on the status line and in the header, keeps running, refuses
# actions with the same clear error, and r brings the queue back once the
# server is up again.
. "$VSOC_SRCDIR/tests/lib.sh"
. "$VSOC_SRCDIR/tests/tui/tmux.sh"
. "$VSOC_SRCDIR/tests/tui/fixtures.sh"
migrate
seed_alerts 30

pg() { VSOC_PGDIR=$VSOC_TEST_TMP/pg "$VSOC_SRCDIR/scripts/pg" "$@" >/dev/null 2>&1; }

TUI_ENV="PGUSER=alice"
console drop 80 24
wait_for drop "row 1 of 30"
keys drop j
wait_for drop "row 2 of 30"

pg stop || fail "could not stop the cluster"
keys drop r
wait_status drop "database unreachable"
wait_for drop "DISCONNECTED: r reconnects"
s=$(screen drop)
expect_not_contains "$s" "VSOC-EXIT" "console after the drop"
# The rows already shown stay on screen for reading.
expect_contains "$s" "alert title 0028" "rows kept"
pass "r with the server down: a clear error, no crash"

# Actions and views say the same, and nothing is sent.
keys drop t
wait_status drop "database unreachable"
keys drop Enter
wait_status drop "database unreachable"
keys drop 6
wait_status drop "database unreachable"
keys drop j k
expect_not_contains "$(screen drop)" "VSOC-EXIT" "console after more keys"
pass "take, open and view switches while down report it"

VSOC_PG_FAST=1 pg start || fail "could not restart the cluster"
keys drop r
wait_status drop "reconnected to"
wait_gone drop "DISCONNECTED"
wait_for drop "alert title 0029"
wait_for drop "of 30"
keys drop t
wait_status drop "taken"
[ "$(sql "SELECT count(*) FROM alerts WHERE assignee_id IS NOT NULL")" = 1 ] ||
	fail "take after reconnecting"
pass "r after the restart reconnects and reloads; actions work again"

# A second drop is noticed without a key: the server closes the socket.
pg stop || fail "could not stop the cluster again"
wait_for drop "DISCONNECTED" 10
keys drop q
wait_exit drop 0
pass "a drop noticed while idle; q still quits cleanly"
