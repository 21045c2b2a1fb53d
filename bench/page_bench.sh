#!/bin/sh
# bench/page_bench.sh: the console's keys while it delivers pages.
#
#   cd BUILD_DIR && /path/to/src/bench/page_bench.sh .
#
# A throwaway cluster (scripts/pg, fsync off) with the demo fleet (1,000
# alerts); tests/fake/fakepage on 127.0.0.1 as PagerDuty; the console as
# alice, made a deliverer (GRANT vsoc_deliverer), at 120x40 in a private
# tmux server with VSOC_TRACE.  Key -> repaint (j, k) over BENCH_REPS
# presses each, from `tmux send-keys` to the frame the key produced, in
# three states of the deliverer:
#   idle     nothing to send;
#   hang     one page in flight to a backend that says nothing for 10 min
#            (the channel's timeout is 5 min);
#   burst    10 x BENCH_PAGES (default 300) pages due at once to a backend
#            that answers at once; before that, how long the console takes
#            to send BENCH_PAGES pages.
# Then how long quitting takes with a page in flight to the hanging
# backend.  Needs tmux, the PostgreSQL 15 server binaries and a built
# tests/fake/fakepage (make check, or make tests/fake/fakepage).
set -eu
build=${1:-$(pwd)}
VSOC=${VSOC:-$build/vsoc}
FAKE=$build/tests/fake/fakepage
src=$(cd "$(dirname "$0")/.." && pwd)
REPS=${BENCH_REPS:-30}
PAGES=${BENCH_PAGES:-300}
PG_BINDIR=${PG_BINDIR:-/usr/lib/postgresql/15/bin}
[ -x "$VSOC" ] || { echo "no vsoc binary at $VSOC (pass the build folder)" >&2; exit 2; }
[ -x "$FAKE" ] || make -C "$build" tests/fake/fakepage >/dev/null
command -v tmux >/dev/null || { echo "tmux is needed" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vsoc-bench.XXXXXX")
chmod 755 "$tmp"
sock=$tmp/tmux.sock
tmx() { tmux -S "$sock" "$@"; }
fake_pid=
cleanup() {
	for sock in "$tmp"/tmux*.sock; do tmx kill-server >/dev/null 2>&1 || true; done
	[ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null || true
	VSOC_PGDIR=$tmp/pg "$src/scripts/pg" stop >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

VSOC_PGDIR=$tmp/pg VSOC_PG_FAST=1 "$src/scripts/pg" start >/dev/null
DBA_DB="host=$tmp/pg dbname=vsoc user=$(id -un)"
"$VSOC" --db "$DBA_DB" db migrate >/dev/null
"$VSOC" --db "$DBA_DB" demo seed --alerts 1000 >/dev/null
sql() { "$PG_BINDIR/psql" "$DBA_DB" -XtAq -v ON_ERROR_STOP=1 -c "$1"; }
sql "GRANT vsoc_deliverer TO alice" >/dev/null
export XDG_CONFIG_HOME=$tmp/xdg
mkdir -p "$XDG_CONFIG_HOME/vsoc"
KEY=0123456789abcdefPDKEY0123456789a
(umask 077 && printf 'pd_key = %s\n' "$KEY" >"$XDG_CONFIG_HOME/vsoc/secrets")

fake() {	# fake [--plan ...]: (re)start the backend and point the settings at it
	[ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null && wait "$fake_pid" 2>/dev/null || true
	rm -f "$tmp/port"
	"$FAKE" --port-file "$tmp/port" --log "$tmp/fake.log" --pd-key "$KEY" "$@" &
	fake_pid=$!
	while [ ! -s "$tmp/port" ]; do sleep 0.05; done
	cat >"$XDG_CONFIG_HOME/vsoc/config" <<EOF_CFG
[channel pd]
type = pagerduty
url = http://127.0.0.1:$(cat "$tmp/port")/pagerduty/v2/enqueue
secret = pd_key
severities = all
timeout = 5m
EOF_CFG
}

# pages N: N due PagerDuty pages (as the DBA: no audit record needed).
pages() {
	sql "INSERT INTO outbox (incident_id, channel, kind, action, payload)
	     SELECT i.id, 'pd', 'pagerduty', 'trigger', jsonb_build_object('event_action',
	       'trigger', 'dedup_key', 'bench-' || g, 'payload', jsonb_build_object('summary',
	       'bench ' || g, 'source', 'vsoc', 'severity', 'error'))
	     FROM generate_series(1, $1) g, (SELECT min(id) AS id FROM incidents) i" >/dev/null
}
left() { sql "SELECT count(*) FROM outbox WHERE channel = 'pd' AND status = 'pending'"; }

ns() { date +%s%N; }
trace_ns() { awk '{ split($1, t, "."); printf "%d%06d000\n", t[1], t[2] }'; }
frames() { grep -c " frame " "$trace" 2>/dev/null || true; }
wait_lines() {
	i=0
	while [ "$(grep -c -- "$1" "$trace" 2>/dev/null || true)" -lt "$2" ]; do
		i=$((i + 1))
		[ $i -lt 20000 ] || { echo "timeout waiting for '$1' x$2" >&2; exit 1; }
		sleep 0.001
	done
}
stats() {
	sort -n | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "n/a"; exit }
		m = v[int((NR + 1) / 2)]; p = v[int(NR * 0.95 + 0.999)]; if (p == "") p = v[NR]
		printf "median %.1f ms  p95 %.1f ms  max %.1f ms  (n=%d)\n", m, p, v[NR], NR }'
}

start_console() {
	trace=$tmp/trace.$1
	: >"$trace"
	# A tmux server per console: a new session on a server being killed
	# can lose the race.
	tmx kill-server >/dev/null 2>&1 || true
	sock=$tmp/tmux.$1.sock
	tmx -f /dev/null new-session -d -s b -x 120 -y 40 \
		"env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_CONFIG_HOME='$XDG_CONFIG_HOME' VSOC_DB='host=$tmp/pg dbname=vsoc user=alice' VSOC_TRACE='$trace' '$VSOC'; sleep 600"
	wait_lines " frame " 1
}

keys() {	# keys LABEL: j and k, REPS each
	for key in j k; do
		: >"$tmp/lat"
		r=0
		while [ $r -lt "$REPS" ]; do
			n=$(frames)
			s=$(ns)
			tmx send-keys -t b "$key"
			wait_lines " frame " $((n + 1))
			e=$(grep " frame " "$trace" | sed -n "$((n + 1))p" | trace_ns)
			echo "$(( (e - s) / 1000 ))" | awk '{ printf "%.3f\n", $1 / 1000 }' >>"$tmp/lat"
			r=$((r + 1))
		done
		printf '[%s] key %s -> repaint: %s\n' "$1" "$key" "$(stats <"$tmp/lat")"
	done
}

echo "vsoc page delivery benchmark: $(uname -m), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
fake
start_console idle
keys idle

fake --plan pagerduty=hang:600
start_console hang
pages 1
i=0
until [ "$(sql "SELECT count(*) = 0 FROM (SELECT id FROM outbox WHERE channel = 'pd'
	AND status = 'pending' FOR UPDATE SKIP LOCKED) s")" = t ]; do
	i=$((i + 1)); [ $i -lt 200 ] || { echo "the console did not take the page" >&2; exit 1; }
	sleep 0.05
done
keys hang
s=$(ns)
tmx send-keys -t b Q
pane=$(tmx display -p -t b '#{pane_pid}')
while pgrep -P "$pane" -x vsoc >/dev/null 2>&1; do sleep 0.01; done
echo "[hang] quit with a page in flight: $(( ($(ns) - s) / 1000000 )) ms; the page: $(sql "SELECT status || ', attempts ' || attempts FROM outbox WHERE channel = 'pd'")"

sql "UPDATE outbox SET status = 'sent' WHERE channel = 'pd'" >/dev/null
fake
start_console burst
s=$(ns)
pages "$PAGES"
while [ "$(left)" -gt 0 ]; do sleep 0.02; done
echo "[burst] $PAGES pages sent by the console in $(( ($(ns) - s) / 1000000 )) ms"
pages $((PAGES * 10))
keys burst
echo "[burst] keys pressed while $((PAGES * 10)) more were sent ($(left) still pending after the keys)"
tmx send-keys -t b Q
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
