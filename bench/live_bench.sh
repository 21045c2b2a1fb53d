#!/bin/sh
# bench/live_bench.sh: what open consoles cost a database that is taking
# 1,000 alerts a second, and what the stream costs the consoles.
#
#   bench/live_bench.sh [BUILD_DIR]        (see bench/README)
#
# BENCH_DB names an existing database seeded with `vsoc demo seed --alerts
# 1000000`; without it a throwaway cluster is made in a temporary folder and
# seeded with BENCH_ALERTS (default 1,000,000).  Then:
#   1. the writer alone, flat out for BENCH_WRITE s: single-row inserts (one
#      transaction each) and 50-row INSERT ... SELECT statements (pgbench,
#      one client);
#   2. BENCH_CONSOLES (20) consoles open in a private tmux server at 80x24,
#      each with its own application_name, VSOC_TRACE and VSOC_DEBUG_STATS;
#   3. with the writer at 1,000 single-row inserts a second, then at 20
#      50-row statements a second (pgbench --rate): for BENCH_SAMPLE (30) s
#      the CPU time of every idle console's backend (utime + stime from
#      /proc/PID/stat), their repaints and statements (VSOC_DEBUG_STATS),
#      and the key latency of the last console: BENCH_REPS j presses, from
#      tmux send-keys to the frame the console logs after doupdate();
#   4. the writer flat out again, with the consoles open; then BENCH_AB (3)
#      times with the consoles stopped and running in turn; then once more
#      after they quit (the machine's other load drifts meanwhile).
# Everything is on this machine: the database listens on a Unix socket only.
set -eu
build=${1:-$(pwd)}
VSOC=${VSOC:-$build/vsoc}
src=$(cd "$(dirname "$0")/.." && pwd)
N=${BENCH_ALERTS:-1000000}
CONSOLES=${BENCH_CONSOLES:-20}
WRITE=${BENCH_WRITE:-15}
SAMPLE=${BENCH_SAMPLE:-30}
REPS=${BENCH_REPS:-40}
BIN=${PG_BINDIR:-/usr/lib/postgresql/15/bin}
[ -x "$VSOC" ] || { echo "no vsoc binary at $VSOC (pass the build folder)" >&2; exit 2; }
command -v tmux >/dev/null || { echo "tmux is needed" >&2; exit 2; }
[ -x "$BIN/pgbench" ] || { echo "pgbench is needed (postgresql-15)" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vsoc-live.XXXXXX")
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

if [ -z "${BENCH_DB:-}" ]; then
	own_db=true
	VSOC_PGDIR=$tmp/pg "$src/scripts/pg" start >/dev/null
	BENCH_DB="host=$tmp/pg dbname=vsoc user=$(id -un)"
	"$VSOC" --db "$BENCH_DB" db migrate >/dev/null
	echo "seeding $N alerts..."
	"$VSOC" --db "$BENCH_DB" demo seed --alerts "$N" >/dev/null
fi
psql() { "$BIN/psql" "$BENCH_DB" -XtAq -v ON_ERROR_STOP=1 "$@"; }
# The consoles log in as an analyst; the writer is the DBA.
psql -c "SELECT 1 FROM analysts WHERE name = 'livebench'" | grep -q 1 ||
	"$VSOC" --db "$BENCH_DB" analyst add livebench --role analyst >/dev/null
amin=$(psql -c "SELECT min(id) FROM assets")
amax=$(psql -c "SELECT max(id) FROM assets")
alerts=$(psql -c "SELECT count(*) FROM alerts")

cat >"$tmp/single.sql" <<'EOF'
\set a random(:amin, :amax)
\set s random(1, 5)
INSERT INTO alerts (rule_id, title, severity, asset_id, asset_ref, first_seen, last_seen)
  SELECT 'R7', 'live bench', :s, id, external_id, now(), now() FROM assets WHERE id = :a;
EOF
cat >"$tmp/batch.sql" <<'EOF'
\set a random(:amin, :amax)
INSERT INTO alerts (rule_id, title, severity, asset_id, asset_ref, first_seen, last_seen)
  SELECT 'R7', 'live bench ' || g, 1 + g % 5, id, external_id, now(), now()
  FROM assets, generate_series(1, 50) g WHERE id = :a;
EOF

# writer SCRIPT SECONDS [RATE]: prints rows per second.
writer() {
	rows=1
	[ "$1" = batch ] && rows=50
	rate=
	[ $# -ge 3 ] && rate="--rate $3 -c 4 -j 2" || rate="-c 1"
	"$BIN/pgbench" -n $rate -T "$2" -D amin="$amin" -D amax="$amax" \
		-f "$tmp/$1.sql" "$BENCH_DB" 2>&1 |
		awk -v r=$rows '/^tps = / { printf "%.0f\n", $3 * r }'
}

ticks() {	# utime + stime of PIDs, clock ticks
	for p in "$@"; do
		awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0
	done | awk '{ s += $1 } END { print s + 0 }'
}
stat_sum() {	# KEY: that counter summed over the idle consoles' stats files
	i=1 s=0
	while [ $i -lt "$CONSOLES" ]; do
		v=$(awk -v k="$1" '$1 == k { print $2 }' "$tmp/stats.$i" 2>/dev/null || true)
		s=$((s + ${v:-0}))
		i=$((i + 1))
	done
	echo $s
}
trace_ns() { awk '{ split($1, t, "."); printf "%d%06d000\n", t[1], t[2] }'; }
stats() {
	sort -n | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "n/a"; exit }
		m = v[int((NR + 1) / 2)]
		printf "median %.2f ms  max %.2f ms  (n=%d)\n", m, v[NR], NR }'
}
# keys: BENCH_REPS j presses on the last console; prints the latencies.
keys() {
	t=$tmp/trace.$CONSOLES
	tmx send-keys -t "c$CONSOLES" g
	sleep 0.5
	: >"$tmp/lat"
	: >"$tmp/lat.in"
	r=0
	while [ $r -lt "$REPS" ]; do
		n=$(grep -c "key=j" "$t" || true)
		s=$(date +%s%N)
		tmx send-keys -t "c$CONSOLES" j
		i=0
		while [ "$(grep -c "key=j" "$t" || true)" -le "$n" ]; do
			i=$((i + 1)); [ $i -lt 5000 ] || { echo "no frame for j" >&2; break; }
			sleep 0.001
		done
		e=$(grep "key=j" "$t" | sed -n "$((n + 1))p" | trace_ns)
		k=$(grep " key j$" "$t" | sed -n "$((n + 1))p" | trace_ns)
		[ -n "$e" ] &&
			echo "$(( (e - s) / 1000 ))" | awk '{ printf "%.3f\n", $1 / 1000 }' >>"$tmp/lat"
		# Consoles before the "key" trace line cannot tell their part.
		[ -n "$e" ] && [ -n "$k" ] &&
			echo "$(( (e - k) / 1000 ))" | awk '{ printf "%.3f\n", $1 / 1000 }' >>"$tmp/lat.in"
		r=$((r + 1))
		sleep 0.2
	done
	echo "send-keys -> frame $(stats <"$tmp/lat"); key read -> frame $(stats <"$tmp/lat.in")"
}

# load LABEL SCRIPT RATE: the writer at RATE for SAMPLE + 10 s; measure.
load() {
	writer "$2" $((SAMPLE + 10)) "$3" >"$tmp/w.$1" &
	wp=$!
	sleep 5
	f0=$(stat_sum frames) q0=$(stat_sum statements) b0=$(stat_sum batches)
	t0=$(ticks $idle)
	start=$(date +%s%N)
	lat=$(keys)
	left=$(( SAMPLE * 1000 - ($(date +%s%N) - start) / 1000000 ))
	[ $left -gt 0 ] && sleep "$(echo "$left" | awk '{ print $1 / 1000 }')"
	el=$(( ($(date +%s%N) - start) / 1000000 ))
	t1=$(ticks $idle)
	f1=$(stat_sum frames) q1=$(stat_sum statements) b1=$(stat_sum batches)
	wait $wp
	hz=$(getconf CLK_TCK)
	k=$((CONSOLES - 1))
	echo "[$1] writer $(cat "$tmp/w.$1") rows/s (asked $3 statements/s)"
	echo "$t0 $t1 $el $hz $k" | awk '{ s = $5 * $3 / 1000 * $4
		printf "[%s] DB CPU per idle console: %.2f%% of a CPU\n", lbl, 100 * ($2 - $1) / s }' lbl="$1"
	echo "$f0 $f1 $q0 $q1 $b0 $b1 $el $k" | awk '{ s = $8 * $7 / 1000
		printf "[%s] per idle console: %.1f repaints/s, %.1f batches/s, %.1f statements/s\n",
		    lbl, ($2 - $1) / s, ($6 - $5) / s, ($4 - $3) / s }' lbl="$1"
	echo "[$1] key j on console $CONSOLES: $lat"
}

echo "vsoc live benchmark: $(uname -m), $(nproc) CPUs, $alerts alerts, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "[alone] writer single-row: $(writer single "$WRITE") rows/s"
echo "[alone] writer 50-row statements: $(writer batch "$WRITE") rows/s"

i=1
while [ $i -le "$CONSOLES" ]; do
	tmx -f /dev/null new-session -d -s "c$i" -x 80 -y 24 \
		"env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 VSOC_DB='$BENCH_DB user=livebench' PGAPPNAME=livebench-$i VSOC_TRACE='$tmp/trace.$i' VSOC_DEBUG_STATS='$tmp/stats.$i' '$VSOC'; sleep 600"
	i=$((i + 1))
done
i=0
while [ "$(psql -c "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'livebench-%'")" -lt "$CONSOLES" ] ||
    [ "$(grep -l ' frame ' "$tmp"/trace.* 2>/dev/null | wc -l)" -lt "$CONSOLES" ]; do
	i=$((i + 1)); [ $i -lt 600 ] || { echo "consoles did not start" >&2; exit 1; }
	sleep 0.1
done
idle=$(psql -c "SELECT string_agg(pid::text, ' ') FROM pg_stat_activity
	WHERE application_name LIKE 'livebench-%' AND application_name <> 'livebench-$CONSOLES'")
echo "$CONSOLES consoles open"

t0=$(ticks $idle)
start=$(date +%s%N)
lat=$(keys)
sleep 5
t1=$(ticks $idle)
el=$(( ($(date +%s%N) - start) / 1000000 ))
echo "[quiet] key j on console $CONSOLES: $lat"
echo "$t0 $t1 $(getconf CLK_TCK) $((CONSOLES - 1)) $el" | awk '{
	printf "[quiet] DB CPU per idle console, no writer: %.2f%% of a CPU\n",
	    100 * ($2 - $1) / $3 / $4 / ($5 / 1000) }'
load single single 1000
load batch batch 20
echo "[consoles] writer single-row: $(writer single "$WRITE") rows/s"
echo "[consoles] writer 50-row statements: $(writer batch "$WRITE") rows/s"
# The same consoles stopped (SIGSTOP: their backends still take the
# notices, the consoles send nothing) and running, in turn, so the drift
# of the machine's other load falls on both alike.
cpids=$(for s in $(tmx list-panes -a -F '#{pane_pid}'); do pgrep -P "$s"; done)
r=0
while [ $r -lt "${BENCH_AB:-3}" ]; do
	kill -STOP $cpids
	a=$(writer single "$WRITE") b=$(writer batch "$WRITE")
	kill -CONT $cpids
	c=$(writer single "$WRITE") d=$(writer batch "$WRITE")
	echo "[ab] stopped / running consoles: single-row $a / $c rows/s, 50-row $b / $d rows/s"
	r=$((r + 1))
done
i=1
while [ $i -le "$CONSOLES" ]; do
	tmx send-keys -t "c$i" q
	i=$((i + 1))
done
sleep 2
# Alone again: other work on the machine drifts; the truth is in between.
echo "[after] writer single-row, consoles closed: $(writer single "$WRITE") rows/s"
echo "[after] writer 50-row statements, consoles closed: $(writer batch "$WRITE") rows/s"
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
