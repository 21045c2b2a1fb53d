#!/bin/sh
# bench/candidates_bench.sh: incident candidates on a large fleet.
#
#   bench/candidates_bench.sh [BUILD_DIR]        (see bench/README)
#
# Creates a cluster in $BENCH_PGDIR (default /work/candidates-pg), migrates
# it, seeds $BENCH_ALERTS (default 1,000,000) demo alerts, and times, each
# $BENCH_REPS (default 10) times, median and maximum in milliseconds:
#   - `vsoc candidates list` (the first page of 50, what a view shows first)
#     end to end, process start included;
#   - the same as --json with 20 alert ids per candidate;
#   - a page deep in the list (--offset 1000);
#   - the database's part alone: vsoc_candidate_groups() over every open
#     alert in no incident (psql \timing);
#   - one candidate by key (what accept and dismiss read first).
# Then it removes the cluster.  BENCH_DB names an existing seeded and migrated
# database instead (nothing is created or removed).
set -eu
build=${1:-$(pwd)}
VSOC=${VSOC:-$build/vsoc}
src=$(cd "$(dirname "$0")/.." && pwd)
N=${BENCH_ALERTS:-1000000}
REPS=${BENCH_REPS:-10}
PGDIR=${BENCH_PGDIR:-/work/candidates-pg}
BIN=${PG_BINDIR:-/usr/lib/postgresql/15/bin}
[ -x "$VSOC" ] || { echo "no vsoc binary at $VSOC (pass the build folder)" >&2; exit 2; }

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
	"$BIN/psql" "$BENCH_DB" -XqAtc "VACUUM ANALYZE alerts"
fi
export VSOC_DB=$BENCH_DB
psql_q() { "$BIN/psql" "$BENCH_DB" -XqAt "$@"; }

ms() { echo $(( ($2 - $1) / 1000000 )); }
# stats FILE: "median M ms, max X ms" of the numbers in FILE.
stats() { sort -n "$1" | awk '{ v[NR] = $1 } END { printf "median %d ms, max %d ms (%d runs)\n", v[int((NR + 1) / 2)], v[NR], NR }'; }

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
	printf '%-44s %s' "$label" "$(stats "$tmpf")"
	echo
}

tmpf=$(mktemp)
echo "open alerts in no incident: $(psql_q -c "SELECT count(*) FROM alerts
	WHERE status IN ('new', 'acknowledged') AND incident_id IS NULL")"
echo "candidates: $(psql_q -c "SELECT count(*) FROM vsoc_candidate_groups()")"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
time_cmd "vsoc candidates list (first 50)" "$VSOC" candidates list
time_cmd "vsoc candidates list --json --ids 20" "$VSOC" candidates list --json --ids 20
time_cmd "vsoc candidates list --offset 1000" "$VSOC" candidates list --offset 1000
time_cmd "vsoc_candidate_groups() alone (psql)" psql_q -c "SELECT count(*) FROM vsoc_candidate_groups()"
key=$("$VSOC" candidates list --json --limit 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["candidates"][0]["key"])')
time_cmd "one candidate by key (accept's read)" psql_q -c "SELECT g.key FROM
	vsoc_candidate_key_parse('$key') k, vsoc_candidate_groups(k.kind, k.window_start) g
	WHERE g.key = '$key'"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -f "$tmpf"

