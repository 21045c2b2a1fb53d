# terms.sh: the terminals analysts reach vsoc through besides xterm: GNU
# screen and tmux (TERM=screen, TERM=tmux-256color).  Open, move, open an
# alert and help, quit with the terminal restored.
. "$VSOC_SRCDIR/tests/lib.sh"
. "$VSOC_SRCDIR/tests/tui/tmux.sh"
. "$VSOC_SRCDIR/tests/tui/fixtures.sh"
migrate
seed_alerts 60

TUI_ENV="PGUSER=alice"
for term in screen tmux-256color; do
	infocmp "$term" >/dev/null 2>&1 || { echo "SKIP: no terminfo for $term"; exit 77; }
	name=$(echo "$term" | tr -c 'a-z0-9\n' _)
	console "$name" 80 24 "$term"
	wait_for "$name" "row 1 of 60"
	keys "$name" j j Down
	wait_for "$name" "row 4 of 60"
	keys "$name" NPage
	wait_for "$name" "row 24 of 60"
	keys "$name" End
	wait_for "$name" "row 60 of 60"
	keys "$name" Home
	wait_for "$name" "row 1 of 60"
	keys "$name" Enter
	wait_for "$name" "Evidence"
	keys "$name" Escape
	wait_for "$name" "row 1 of 60"
	keys "$name" F1
	wait_for "$name" "move-down"
	keys "$name" q q
	wait_exit "$name" 0
	# Back on the normal screen: the console's alternate screen is gone.
	expect_not_contains "$(screen "$name")" "alert title" "screen after quitting"
	pass "TERM=$term: open, navigate, detail, help, quit"
done
