# open_quit.sh: the console opens at 80x24, shows the queue, and q quits
# with the terminal restored (the harness's shell prints VSOC-EXIT=0).
. "$VSOC_SRCDIR/tests/lib.sh"
. "$VSOC_SRCDIR/tests/tui/tmux.sh"
. "$VSOC_SRCDIR/tests/tui/fixtures.sh"
migrate
seed_alerts 30

TUI_ENV="PGUSER=alice"
console main 80 24
s=$(screen main)
expect_contains "$s" "alice" "header"
expect_contains "$s" "open 30:" "header counts"
expect_contains "$s" "alert title 0029" "first row"
expect_contains "$s" "row 1 of 30" "status line"
expect_contains "$s" "?:help" "key hints"
pass "queue drawn at 80x24"

keys main '?'
wait_for main "move-down"
# Long key lists (page-down's) do not push their row out of line at 80.
s=$(screen main)
col() { echo "$s" | grep -F -- " $1 " | head -1 | awk -v w="$1" '{ print index($0, w) }'; }
c=$(col page-down)
[ -n "$c" ] && [ "$(col move-down)" = "$c" ] && [ "$(col move-last)" = "$c" ] ||
	fail "help columns misaligned: $s"
keys main G
wait_for main "none unbinds"
keys main q
wait_for main "row 1 of 30"
pass "help generated from the keymap, q goes back"

keys main q
wait_exit main 0
pass "q quits cleanly"

# A user keys file rebinds, and a bad line is reported with file:line.
mkdir -p "$HOME/.config/vsoc"
printf 'bind x quit\nbind queue Z no-such-request\n' >"$HOME/.config/vsoc/keys"
tmx kill-session -t main
console main 80 24
wait_for main "keys:2: unknown request"
keys main x
wait_exit main 0
pass "keys file rebinds and reports errors with file:line"

# SIGTERM and Ctrl-C end cleanly too.
console term 80 24
pid=$(pgrep -P "$(tmx display -p -t term '#{pane_pid}')" | head -1)
[ -n "$pid" ] || fail "no console process"
kill -TERM "$pid"
wait_exit term 0
pass "SIGTERM restores the terminal"
console intr 80 24
keys intr C-c
wait_exit intr 0
pass "Ctrl-C restores the terminal"
