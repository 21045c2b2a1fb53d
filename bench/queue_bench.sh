#!/bin/sh
# bench/queue_bench.sh: the console's speed and memory on a large queue.
#
#   bench/queue_bench.sh [BUILD_DIR]        (see bench/README)
#
# Creates a throwaway cluster in a temporary folder with two databases,
# seeded by `vsoc demo seed` with 1,000 and $BENCH_ALERTS (default
# 1,000,000) alerts, and measures the console on each (BENCH_SMALL_DB and
# BENCH_LARGE_DB name existing, seeded databases instead):
#   - startup: launching the console until its first full screen;
#   - keypress -> repaint for j, k, PgDn, G, g (median, p95, max), from the
#     time tmux send-keys is called to the frame the console logs after
#     doupdate() (VSOC_TRACE);
#   - a / filter keystroke -> filtered list repainted (includes the 150 ms
#     typing debounce);
#   - the console's resident memory (VmRSS);
#   - then bench/queue_query --targets on the large database: the database
#     time of word search, alert open and "sev>=high asset=X" (issue 7).
set -eu
build=${1:-$(pwd)}
VSOC=${VSOC:-$build/vsoc}
src=$(cd "$(dirname "$0")/.." && pwd)
N=${BENCH_ALERTS:-1000000}
REPS=${BENCH_REPS:-30}
[ -x "$VSOC" ] || { echo "no vsoc binary at $VSOC (pass the build folder)" >&2; exit 2; }
command -v tmux >/dev/null || { echo "tmux is needed" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vsoc-bench.XXXXXX")
chmod 755 "$tmp"
sock=$tmp/tmux.sock
tmx() { tmux -S "$sock" "$@"; }
own_db=false
cleanup() {
	tmx kill-server >/dev/null 2>&1 || true
	if $own_db; then VSOC_PGDIR=$tmp/pg "$src/scripts/pg" stop >/dev/null 2>&1 || true; fi
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

PSQL=${PG_BINDIR:-/usr/lib/postgresql/15/bin}/psql
if [ -z "${BENCH_SMALL_DB:-}" ] || [ -z "${BENCH_LARGE_DB:-}" ]; then
	own_db=true
	VSOC_PGDIR=$tmp/pg VSOC_PG_FAST=1 "$src/scripts/pg" start >/dev/null
	"${PG_BINDIR:-/usr/lib/postgresql/15/bin}/createdb" -h "$tmp/pg" vsoc_small
	BENCH_SMALL_DB="host=$tmp/pg dbname=vsoc_small user=$(id -un)"
	BENCH_LARGE_DB="host=$tmp/pg dbname=vsoc user=$(id -un)"
	for db in "$BENCH_SMALL_DB" "$BENCH_LARGE_DB"; do
		"$VSOC" --db "$db" db migrate >/dev/null
	done
	"$VSOC" --db "$BENCH_SMALL_DB" demo seed --alerts 1000 >/dev/null
	echo "seeding $N alerts..."
	t=$(date +%s)
	"$VSOC" --db "$BENCH_LARGE_DB" demo seed --alerts "$N" >/dev/null
	echo "seeded $N alerts in $(( $(date +%s) - t )) s"
fi

ns() { date +%s%N; }
# Seconds.micro in the trace -> nanoseconds.
trace_ns() { awk '{ split($1, t, "."); printf "%d%06d000\n", t[1], t[2] }'; }

frames() { grep -c " frame " "$trace" 2>/dev/null || true; }

# wait_line PATTERN COUNT: until the trace holds COUNT lines matching.
wait_lines() {
	i=0
	while [ "$(grep -c -- "$1" "$trace" 2>/dev/null || true)" -lt "$2" ]; do
		i=$((i + 1))
		[ $i -lt 4000 ] || { echo "timeout waiting for '$1' x$2" >&2; exit 1; }
		sleep 0.001
	done
}

stats() {
	sort -n | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "n/a"; exit }
		m = v[int((NR + 1) / 2)]; p = v[int(NR * 0.95 + 0.999)]; if (p == "") p = v[NR]
		printf "median %.1f ms  p95 %.1f ms  max %.1f ms  (n=%d)\n", m, p, v[NR], NR }'
}

# measure LABEL CONNINFO
measure() {
	label=$1
	VSOC_DB=$2
	trace=$tmp/trace.$label
	: >"$trace"
	tmx kill-server >/dev/null 2>&1 || true
	t0=$(ns)
	tmx -f /dev/null new-session -d -s b -x 120 -y 40 \
		"env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 VSOC_DB='$VSOC_DB' VSOC_ANALYST=bench VSOC_TRACE='$trace' '$VSOC'; sleep 600"
	wait_lines " frame " 1
	t1=$(grep -m1 " frame " "$trace" | trace_ns)
	echo "[$label] startup to first full screen: $(( (t1 - t0) / 1000000 )) ms"
	pid=$(pgrep -P "$(tmx display -p -t b '#{pane_pid}')" | head -1)

	for key in j k NPage G g; do
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
		printf '[%s] key %-5s -> repaint: %s' "$label" "$key" "$(stats <"$tmp/lat")"
		echo
	done

	# An analyst's search, one keystroke at a time, each refining the list.
	: >"$tmp/lat"
	tmx send-keys -t b /
	for ch in f i r m w a r e; do
		f=$(grep -c "filtered" "$trace" || true)
		s=$(ns)
		tmx send-keys -t b "$ch"
		wait_lines "filtered" $((f + 1))
		# The frame after the reload.
		line=$(grep -n "filtered" "$trace" | sed -n "$((f + 1))p" | cut -d: -f1)
		i=0
		while [ "$(sed -n "$((line + 1)),\$p" "$trace" | grep -c " frame " || true)" -lt 1 ]; do
			i=$((i + 1)); [ $i -lt 4000 ] || break; sleep 0.001
		done
		e=$(sed -n "$((line + 1)),\$p" "$trace" | grep -m1 " frame " | trace_ns)
		echo "$(( (e - s) / 1000 ))" | awk '{ printf "%.3f\n", $1 / 1000 }' >>"$tmp/lat"
	done
	tmx send-keys -t b Escape
	printf '[%s] / filter keystroke -> filtered list: %s' "$label" "$(stats <"$tmp/lat")"
	echo
	echo "[$label] console RSS: $(awk '/VmRSS/ { print $2, $3 }' /proc/"$pid"/status)"
	tmx send-keys -t b q
}

echo "vsoc queue benchmark: $(uname -m), $(nproc) CPUs"
measure 1k "$BENCH_SMALL_DB"
measure "$N" "$BENCH_LARGE_DB"

# The database side of the same paths (issue 7's targets): word search
# first page and capped count, Enter on the busiest and quietest asset,
# "sev>=high asset=X", each against its target (bench/queue_query.c).
qq=$build/bench/queue_query
if [ ! -x "$qq" ] && [ -f "$build/Makefile" ]; then
	make -C "$build" bench/queue_query >/dev/null 2>&1 || true
fi
if [ -x "$qq" ]; then
	echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
	VSOC_DB=$BENCH_LARGE_DB "$qq" --targets || true
else
	echo "no $qq: make bench/queue_query in the build folder for the database targets"
fi
