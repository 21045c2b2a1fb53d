#!/bin/sh
# bench/sla_bench.sh: the SLA timers on a large fleet.
#
#   bench/sla_bench.sh [BUILD_DIR]        (see bench/README)
#
# Creates a cluster in $BENCH_PGDIR (default /work/sla-pg), migrates it,
# seeds $BENCH_ALERTS (default 1,000,000) demo alerts, adds
# $BENCH_INCIDENTS (default 10,000) incidents in one bulk INSERT (every
# phase and severity, created over 60 days, most closed, some never
# acknowledged), and measures:
#   - bench/sla_query: the database time of the exact statements (through
#     the core functions the console calls): the incident list's first
#     screen, next page and count, the incident and alert breaching views'
#     first page, next page and count, the SLA report over 30 days;
#   - `vsoc sla report --since 30d` and `--json` end to end, process start
#     included ($BENCH_REPS, default 10, runs; median and maximum);
#   - before the times, the plans of the three first pages as the server
#     ran them (bench/sla_query --plans: auto_explain in its session).
# Then it removes the cluster.  BENCH_DB names an existing seeded and
# migrated database instead (nothing is created or removed; incidents are
# added only when it has fewer than $BENCH_INCIDENTS).
set -eu
build=${1:-$(pwd)}
VSOC=${VSOC:-$build/vsoc}
QUERY=${QUERY:-$build/bench/sla_query}
src=$(cd "$(dirname "$0")/.." && pwd)
N=${BENCH_ALERTS:-1000000}
NI=${BENCH_INCIDENTS:-10000}
REPS=${BENCH_REPS:-10}
PGDIR=${BENCH_PGDIR:-/work/sla-pg}
BIN=${PG_BINDIR:-/usr/lib/postgresql/15/bin}
[ -x "$VSOC" ] || { echo "no vsoc binary at $VSOC (pass the build folder)" >&2; exit 2; }
[ -x "$QUERY" ] || { echo "no $QUERY: make bench/sla_query in the build folder" >&2; exit 2; }

own=false
cleanup() {
	if $own; then
		VSOC_PGDIR=$PGDIR "$src/scripts/pg" stop >/dev/null 2>&1 || true
		rm -rf "$PGDIR"
	fi
}
trap cleanup EXIT INT TERM

if [ -z "${BENCH_DB:-}" ]; then
	[ -e "$PGDIR" ] && { echo "$PGDIR exists: remove it or set BENCH_DB" >&2; exit 2; }
	own=true
	VSOC_PGDIR=$PGDIR VSOC_PG_FAST=1 "$src/scripts/pg" start >/dev/null
	BENCH_DB="host=$PGDIR dbname=vsoc user=$(id -un)"
	"$VSOC" --db "$BENCH_DB" db migrate >/dev/null
	echo "seeding $N alerts..."
	t=$(date +%s)
	"$VSOC" --db "$BENCH_DB" demo seed --alerts "$N" >/dev/null
	echo "seeded in $(( $(date +%s) - t )) s"
fi
export VSOC_DB=$BENCH_DB
psql_q() { "$BIN/psql" "$BENCH_DB" -XqAt -v ON_ERROR_STOP=1 "$@"; }

have=$(psql_q -c "SELECT count(*) FROM incidents")
if [ "$have" -lt "$NI" ]; then
	t=$(date +%s%N)
	# As the DBA: the explicit acknowledged_at and closed_at stand.  g
	# spreads them over 60 days; 7 in 10 closed; an open one in 10 has
	# no owner and was never acknowledged.
	psql_q -c "INSERT INTO incidents (title, status, severity, owner_id, summary,
	    created_at, updated_at, acknowledged_at, closed_at, resolution)
	  SELECT 'bench incident ' || g, st, 1 + g % 5, CASE WHEN unacked THEN NULL ELSE owner END,
	         'bulk', c, least(now(), c + interval '1 hour'),
	         CASE WHEN unacked THEN NULL ELSE c + (1 + g % 120) * interval '1 minute' END,
	         CASE WHEN st = 'closed' THEN least(now(), c + (2 + g % 96) * interval '1 hour') END,
	         CASE WHEN st = 'closed' THEN 'bench: resolved' END
	  FROM (SELECT g, now() - g * interval '518 seconds' AS c,
	               CASE WHEN g % 10 < 7 THEN 'closed' WHEN g % 10 = 7 THEN 'open'
	                    ELSE (ARRAY['open', 'triage', 'containment', 'eradication',
	                          'recovery', 'post_incident'])[1 + g % 6] END AS st,
	               g % 10 = 7 AS unacked, (SELECT min(id) FROM analysts) AS owner
	        FROM generate_series(1, $NI - $have) g) s" >/dev/null
	echo "inserted $(( NI - have )) incidents in $(( ($(date +%s%N) - t) / 1000000 )) ms"
fi
psql_q -c "VACUUM ANALYZE alerts" -c "VACUUM ANALYZE incidents"

echo "alerts: $(psql_q -c "SELECT count(*) FROM alerts"), open: $(psql_q -c "SELECT count(*)
	FROM alerts WHERE status IN ('new', 'acknowledged', 'escalated')"), created in 30 days:
	$(psql_q -c "SELECT count(*) FROM alerts WHERE created_at >= now() - interval '30 days'")"
echo "incidents: $(psql_q -c "SELECT count(*) FROM incidents"), not closed: $(psql_q -c "SELECT
	count(*) FROM incidents WHERE status <> 'closed'")"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

# The plans first (one index range per severity and clock, no sort of
# the table: the merge sorts at most 15 x 21 rows), then the times.
"$QUERY" --plans 20 || echo "(a target was missed: see MISSED above)"

ms() { echo $(( ($2 - $1) / 1000000 )); }
stats() { sort -n "$1" | awk '{ v[NR] = $1 } END { printf "median %d ms, max %d ms (%d runs)\n", v[int((NR + 1) / 2)], v[NR], NR }'; }
tmpf=$(mktemp)
time_cmd() {
	label=$1
	shift
	: >"$tmpf"
	i=0
	while [ $i -lt "$REPS" ]; do
		t0=$(date +%s%N)
		"$@" >/dev/null
		t1=$(date +%s%N)
		ms "$t0" "$t1" >>"$tmpf"
		i=$((i + 1))
	done
	printf '%-44s %s\n' "$label" "$(stats "$tmpf")"
}
time_cmd "vsoc sla report --since 30d (end to end)" "$VSOC" sla report --since 30d
time_cmd "vsoc sla report --since 30d --json" "$VSOC" sla report --since 30d --json
rm -f "$tmpf"

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
