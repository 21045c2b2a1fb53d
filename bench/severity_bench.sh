#!/bin/sh
# bench/severity_bench.sh: an incident's severity recomputation on the
# demo fleet (core/severity_db.c through `vsoc severity explain`).
#
#   bench/severity_bench.sh [BUILD_DIR]
#
# Creates a throwaway cluster (fsync off) in a temporary folder, migrates,
# seeds the demo fleet with BENCH_ALERTS alerts (default 1,000,000), links
# 1,000 and then 10,000 of them to one incident each (as the DBA, no
# triage path), and times `vsoc severity explain ID --json` end to end
# (process start, connect, load, compute, store, audit record, commit):
# the first run stores the result, later ones (BENCH_REPS, default 5)
# find it current.  Prints the median of each.
set -eu
build=${1:-$(pwd)}
VSOC=${VSOC:-$build/vsoc}
src=$(cd "$(dirname "$0")/.." && pwd)
N=${BENCH_ALERTS:-1000000}
REPS=${BENCH_REPS:-5}
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
PSQL="${PG_BINDIR:-/usr/lib/postgresql/15/bin}/psql"
"$VSOC" db migrate >/dev/null
echo "seeding $N alerts..."
"$VSOC" demo seed --alerts "$N" >/dev/null

now() { date +%s%N; }
ms() { echo $((($2 - $1) / 1000000)); }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

for size in 1000 10000; do
	inc=$("$PSQL" "$VSOC_DB" -XqAt -v ON_ERROR_STOP=1 -c "
	    INSERT INTO incidents (title) VALUES ('bench $size') RETURNING id" | head -1)
	# Alerts of many rules and stations, spread over the demo's weeks.
	"$PSQL" "$VSOC_DB" -XqAt -v ON_ERROR_STOP=1 -c "
	    WITH pick AS (SELECT id FROM alerts WHERE incident_id IS NULL
	                  ORDER BY id DESC LIMIT $size)
	    UPDATE alerts SET incident_id = $inc FROM pick WHERE alerts.id = pick.id;
	    INSERT INTO incident_alerts (incident_id, alert_id)
	        SELECT $inc, id FROM alerts WHERE incident_id = $inc ON CONFLICT DO NOTHING;
	    ANALYZE incident_alerts" >/dev/null
	t0=$(now)
	"$VSOC" severity explain "$inc" --json >"$tmp/first.json"
	t1=$(now)
	first=$(ms "$t0" "$t1")
	i=0
	while [ $i -lt "$REPS" ]; do
		t0=$(now)
		"$VSOC" severity explain "$inc" --json >/dev/null
		t1=$(now)
		ms "$t0" "$t1"
		i=$((i + 1))
	done >"$tmp/times"
	sev=$(python3 -c "import json; d=json.load(open('$tmp/first.json')); \
print(d['computed'], d['explanation']['scope'], '|', '; '.join(d['explanation']['lines']))")
	echo "incident of $size alerts: compute+store ${first} ms, compute (current)" \
	    "median $(median <"$tmp/times") ms of $REPS; $sev"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
