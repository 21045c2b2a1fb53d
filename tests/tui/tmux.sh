# tests/tui/tmux.sh: drive the console in tmux (sourced after tests/lib.sh).
# A private tmux server per test (socket in $VSOC_TEST_TMP), so a
# developer's own tmux is never touched.
command -v tmux >/dev/null 2>&1 || { echo "SKIP: tmux not installed"; exit 77; }

TMUX_SOCK=$VSOC_TEST_TMP/tmux.sock
unset TMUX
export LANG=C.UTF-8 LC_ALL=C.UTF-8

tmx() { tmux -S "$TMUX_SOCK" "$@"; }

tmux_cleanup() { tmx kill-server >/dev/null 2>&1 || true; }
trap tmux_cleanup EXIT

# tui_start NAME COLS ROWS [TERM] [ARGS...]: start vsoc in a new session.
tui_start() {
	_name=$1 _cols=$2 _rows=$3 _term=${4:-xterm-256color}
	shift 4 2>/dev/null || shift $#
	tmx -f /dev/null new-session -d -s "$_name" -x "$_cols" -y "$_rows" \
		"env TERM=$_term VSOC_DB='$VSOC_DB' LANG=C.UTF-8 LC_ALL=C.UTF-8 ${TUI_ENV:-} '$VSOC' $* ; echo VSOC-EXIT=\$?; sleep 30"
	tmx set-option -t "$_name" remain-on-exit on >/dev/null 2>&1 || true
}

# screen NAME: the visible screen as plain text.
screen() { tmx capture-pane -p -t "$1"; }

keys() { _n=$1; shift; tmx send-keys -t "$_n" "$@"; }

# wait_for NAME TEXT [SECONDS]: poll the screen until TEXT shows.
wait_for() {
	_i=0 _max=$(( ${3:-5} * 20 ))
	while [ $_i -lt $_max ]; do
		screen "$1" | grep -qF -- "$2" && return 0
		sleep 0.05
		_i=$((_i + 1))
	done
	echo "--- screen of $1 ---" >&2
	screen "$1" >&2
	fail "timed out waiting for '$2' on $1"
}

# wait_gone NAME TEXT [SECONDS]
wait_gone() {
	_i=0 _max=$(( ${3:-5} * 20 ))
	while [ $_i -lt $_max ]; do
		screen "$1" | grep -qF -- "$2" || return 0
		sleep 0.05
		_i=$((_i + 1))
	done
	screen "$1" >&2
	fail "'$2' still on $1"
}

# wait_status NAME TEXT: the status line (the last line) shows TEXT.
wait_status() {
	_i=0
	while [ $_i -lt 100 ]; do
		screen "$1" | tail -1 | grep -qF -- "$2" && return 0
		sleep 0.05
		_i=$((_i + 1))
	done
	fail "status line of $1 lacks '$2': $(screen "$1" | tail -3)"
}
