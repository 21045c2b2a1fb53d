#!/bin/sh
# bench/incident_bench.sh: moving alerts between incidents on a large fleet.
#
#   bench/incident_bench.sh [BUILD_DIR]        (see bench/README)
#
# Creates a throwaway cluster (fsync off) in a temporary folder, migrates,
# seeds BENCH_ALERTS (default 1,000,000) demo alerts, adds BENCH_INCIDENTS
# (default 10,000) incidents of 10 alerts each with bulk SQL, then BENCH_REPS
# (default 3) times, each on fresh incidents and 1,000 fresh alerts spread
# over the fleet (BENCH_MOVE to change the count):
#   add    `vsoc incident add A ID...` with the 1,000 ids;
#   move   `vsoc incident move A ID... --to B` of those 1,000;
#   merge  `vsoc incident merge B --into C` (B holds the 1,000, C 10);
# each the exact core path the console takes (incident_run: one
# transaction, the severity recomputation of every incident whose alerts
# changed, the audit record), timed end to end (process start, connect,
# commit) and on the server: the sum of every statement's parse, bind and
# execute durations in the server log (log_min_duration_statement = 0 for
# the bench's analyst only), with the slowest statement, and the CPU time
# spent: the server's (log_statement_stats, user + system) and vsoc's own.
# Prints each run and the median, and the load average before and after.
set -eu
build=${1:-$(pwd)}
VSOC=${VSOC:-$build/vsoc}
src=$(cd "$(dirname "$0")/.." && pwd)
N=${BENCH_ALERTS:-1000000}
NINC=${BENCH_INCIDENTS:-10000}
REPS=${BENCH_REPS:-3}
MOVE=${BENCH_MOVE:-1000}
BIN=${PG_BINDIR:-/usr/lib/postgresql/15/bin}
[ -x "$VSOC" ] || { echo "no vsoc binary at $VSOC (pass the build folder)" >&2; exit 2; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vsoc-bench.XXXXXX")
chmod 755 "$tmp"
cleanup() {
	VSOC_PGDIR=$tmp/pg "$src/scripts/pg" stop >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
VSOC_PGDIR=$tmp/pg VSOC_PG_FAST=1 "$src/scripts/pg" start >/dev/null
VSOC_DB="host=$tmp/pg dbname=vsoc"
export VSOC_DB
unset PGUSER
# Never the machine's settings files.
VSOC_SYSTEM_CONFIG=$tmp/no-system-config
XDG_CONFIG_HOME=$tmp/xdg
export VSOC_SYSTEM_CONFIG XDG_CONFIG_HOME
log=$tmp/pg/server.log
psql_q() { "$BIN/psql" "$VSOC_DB" -XqAt -v ON_ERROR_STOP=1 "$@"; }

"$VSOC" db migrate >/dev/null
echo "seeding $N alerts..."
t=$(date +%s)
"$VSOC" demo seed --alerts "$N" >/dev/null
echo "seeded in $(( $(date +%s) - t )) s"
"$VSOC" analyst add benchlead --role lead >/dev/null
# Every statement's duration, and its CPU time (log_statement_stats): on a
# shared machine the durations grow with the load average, the CPU time
# much less, so both are reported.
psql_q -c "ALTER ROLE benchlead SET log_min_duration_statement = 0"
psql_q -c "ALTER ROLE benchlead SET log_statement_stats = on"

# The incidents, in bulk: 10 alerts each (closed ones first, keeping the
# open ones for the timed runs), linked as escalate links them
# (alerts.incident_id, incident_alerts, incident_assets).
echo "adding $NINC incidents of 10 alerts..."
psql_q <<EOF >/dev/null
BEGIN;
CREATE TEMP TABLE bench_inc AS
    WITH ins AS (INSERT INTO incidents (title)
        SELECT 'bench incident ' || g FROM generate_series(1, $NINC) g RETURNING id)
    SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM ins;
CREATE TEMP TABLE bench_pick AS
    SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM (
        SELECT id FROM alerts WHERE incident_id IS NULL
        ORDER BY status IN ('new', 'acknowledged'), id LIMIT $NINC * 10) x;
UPDATE alerts a SET incident_id = i.id, status = CASE WHEN a.status IN
        ('new', 'acknowledged') THEN 'escalated' ELSE a.status END
    FROM bench_pick p JOIN bench_inc i ON i.k = p.k / 10 WHERE a.id = p.id;
INSERT INTO incident_alerts (incident_id, alert_id)
    SELECT a.incident_id, a.id FROM alerts a JOIN bench_pick p ON p.id = a.id;
INSERT INTO incident_assets (incident_id, asset_id)
    SELECT DISTINCT a.incident_id, a.asset_id FROM alerts a JOIN bench_pick p ON p.id = a.id
    ON CONFLICT DO NOTHING;
COMMIT;
VACUUM ANALYZE alerts;
VACUUM ANALYZE incidents;
VACUUM ANALYZE incident_alerts;
VACUUM ANALYZE incident_assets;
EOF
echo "incidents: $(psql_q -c "SELECT count(*) FROM incidents"), alerts in one:" \
    "$(psql_q -c "SELECT count(*) FROM alerts WHERE incident_id IS NOT NULL")," \
    "open alerts in none: $(psql_q -c "SELECT count(*) FROM alerts WHERE incident_id IS NULL
        AND status IN ('new', 'acknowledged')")"
open=$(psql_q -c "SELECT count(*) FROM alerts WHERE incident_id IS NULL
    AND status IN ('new', 'acknowledged')")
stride=$((open / (MOVE * REPS)))
[ "$stride" -ge 1 ] || { echo "only $open open alerts: too few for $REPS runs of $MOVE" >&2; exit 2; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

now() { date +%s%N; }
ms() { echo $((($2 - $1) / 1000000)); }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
new_incident() {
	psql_q -c "INSERT INTO incidents (title) VALUES ('$1') RETURNING id" | head -1
}

# run LABEL ARGS...: vsoc ARGS as benchlead; prints the line and keeps
# "LABEL wall db" in $tmp/results.
run() {
	label=$1
	shift
	off=$(wc -c <"$log")
	t0=$(now)
	# times: the subshell's children, i.e. vsoc's CPU time.
	(PGUSER=benchlead "$VSOC" "$@" >"$tmp/out" 2>"$tmp/err" && times >"$tmp/times") ||
		{ echo "FAILED: vsoc $label: $(cat "$tmp/err")" >&2; exit 1; }
	t1=$(now)
	wall=$(ms "$t0" "$t1")
	# The server writes its log asynchronously to us: wait for the commit.
	sleep 0.5
	tail -c +"$((off + 1))" "$log" >"$tmp/log"
	db=$(grep -o 'duration: [0-9.]* ms' "$tmp/log" |
	    awk '{ s += $2 } END { printf "%.1f", s }')
	slow=$(grep -o 'duration: [0-9.]* ms  [a-z]* [^:]*: .\{0,60\}' "$tmp/log" |
	    sort -t' ' -k2 -rn | head -1 | tr -s ' ')
	# Each statement's own line ("! U s user, S s system, E s elapsed"),
	# not the backend's running total ("[... s system total]").
	dbcpu=$(grep -o '[0-9.]* s user, [0-9.]* s system, [0-9.]* s elapsed' "$tmp/log" |
	    awk '{ s += $1 + $4 } END { printf "%d", s * 1000 }')
	cpu=$(tail -1 "$tmp/times" | tr 'ms' '  ' |
	    awk '{ printf "%d", ($1 * 60 + $2 + $3 * 60 + $4) * 1000 }')
	echo "$label $wall $db $dbcpu $cpu" >>"$tmp/results"
	printf '  %-6s %6d ms end to end, %8s ms in the database; CPU: server %d ms, vsoc %d ms\n' \
	    "$label" "$wall" "$db" "$dbcpu" "$cpu"
	echo "         slowest: $slow"
}

: >"$tmp/results"
rep=1
while [ "$rep" -le "$REPS" ]; do
	a=$(new_incident "bench A $rep")
	b=$(new_incident "bench B $rep")
	c=$(psql_q -c "SELECT id FROM incidents WHERE title = 'bench incident $((rep * 7))'")
	# 1,000 open alerts in no incident, spread over the fleet: every k-th.
	ids=$(psql_q -c "WITH o AS (SELECT id, row_number() OVER (ORDER BY id) AS r
	    FROM alerts WHERE incident_id IS NULL AND status IN ('new', 'acknowledged'))
	    SELECT id FROM o WHERE r % $stride = $((rep % stride)) ORDER BY id LIMIT $MOVE" |
	    tr '\n' ' ')
	echo "run $rep: A $a, B $b, C $c (10 alerts), $(echo $ids | wc -w) alerts"
	# shellcheck disable=SC2086
	run add incident add "$a" $ids
	# shellcheck disable=SC2086
	run move incident move "$a" $ids --to "$b"
	run merge incident merge "$b" --into "$c"
	echo "    C now: $(psql_q -c "SELECT count(*) || ' alerts, severity ' || i.severity
	    || ', ' || jsonb_array_length(i.severity_explanation -> 'lines') || ' factor lines'
	    FROM incidents i JOIN alerts a ON a.incident_id = i.id WHERE i.id = $c
	    GROUP BY i.severity, i.severity_explanation")"
	rep=$((rep + 1))
done
for what in add move merge; do
	w=$(awk -v k="$what" '$1 == k { print $2 }' "$tmp/results" | median)
	d=$(awk -v k="$what" '$1 == k { print $3 }' "$tmp/results" | median)
	sc=$(awk -v k="$what" '$1 == k { print $4 }' "$tmp/results" | median)
	vc=$(awk -v k="$what" '$1 == k { print $5 }' "$tmp/results" | median)
	printf '%-6s median %6d ms end to end, %8s ms in the database, CPU server %d ms + vsoc %d ms (%d runs)\n' \
	    "$what" "$w" "$d" "$sc" "$vc" "$REPS"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
