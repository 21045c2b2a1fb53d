# resize.sh: resizing redraws at once; 80x24 from larger, 60x20 still
# usable, wider shows more columns; TERM=vt100 runs in monochrome.
. "$VSOC_SRCDIR/tests/lib.sh"
. "$VSOC_SRCDIR/tests/tui/tmux.sh"
. "$VSOC_SRCDIR/tests/tui/fixtures.sh"
migrate
seed_alerts 100

TUI_ENV="PGUSER=alice"
console big 140 40
wait_for big "ID"
wait_for big "LAST"
wait_for big "row 1 of 100"
keys big j j
wait_for big "row 3 of 100"
pass "140 columns show ID and LAST"

tmx resize-window -t big -x 80 -y 24
wait_gone big "LAST"
wait_for big "OWNER"
wait_status big "row 3 of 100"
s=$(screen big)
[ "$(echo "$s" | wc -l)" -le 24 ] || fail "more than 24 lines"
expect_contains "$s" "alert title 0099" "title column at 80"
pass "resized to 80x24: redrawn, selection kept"

tmx resize-window -t big -x 60 -y 20
wait_gone big "OWNER"
wait_status big "row 3 of 100"
s=$(screen big)
expect_contains "$s" "alert title" "title at 60 columns"
keys big j
wait_for big "row 4 of 100"
pass "60x20 still usable"

tmx resize-window -t big -x 30 -y 6
wait_for big "terminal too small"
tmx resize-window -t big -x 100 -y 30
wait_for big "row 4 of 100"
keys big q
wait_exit big 0
pass "too small, then back"

console mono 80 24 vt100
s=$(screen mono)
expect_contains "$s" "alert title 0099" "vt100 queue"
keys mono j Enter
wait_for mono "Evidence"
keys mono q q
wait_exit mono 0
NO_COLOR=1
TUI_ENV="PGUSER=alice NO_COLOR=1"
console nocolor 80 24 screen
keys nocolor q
wait_exit nocolor 0
pass "TERM=vt100 and NO_COLOR run monochrome"
