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
#   - one candidate by key (what accept and dismiss read first);
#   - the database time of the exact statements `vsoc candidates list`
#     sends (the server logs each one's duration: log_min_duration_statement
#     = 0 for that process only), all of them and the list's two: the page
#     and its members (needs the server log: BENCH_LOG, default
#     $BENCH_PGDIR/server.log; skipped when it is not readable);
#   - the cost of writing alerts: 200 single-row INSERTs (200 statements)
#     and one INSERT of 10,000 rows, in a transaction rolled back, with
#     the candidate-group triggers of sql/010 enabled and disabled (when
#     they exist), in microseconds per alert.
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

LOG=${BENCH_LOG:-$PGDIR/server.log}
# db_ms CMD...: run CMD with every statement's duration logged; prints the
# milliseconds of all of them, of the list's page and of its members.
db_ms() {
	off=$(stat -c %s "$LOG")
	PGOPTIONS="-c log_min_duration_statement=0" "$@" >/dev/null
	tail -c +"$((off + 1))" "$LOG" | awk '
	/duration: [0-9.]+ ms/ {
		match($0, /duration: [0-9.]+/)
		d = substr($0, RSTART + 10, RLENGTH - 10) + 0
		tot += d
		if ($0 ~ /FROM vsoc_candidate_groups\(\) g/) page += d
		else if ($0 ~ /vsoc_candidate_alerts\(k\.key\)/) mem += d
	}
	END { printf "%.1f %.1f %.1f\n", tot, page, mem }'
}
time_db() {
	label=$1
	shift
	: >"$tmpf.t"; : >"$tmpf.p"; : >"$tmpf.m"
	i=0
	while [ $i -lt "$REPS" ]; do
		set -- $(db_ms "$@") "$@"
		echo "$1" >>"$tmpf.t"; echo "$2" >>"$tmpf.p"; echo "$3" >>"$tmpf.m"
		shift 3
		i=$((i + 1))
	done
	printf '%-44s all statements %s\n' "$label" "$(stats "$tmpf.t")"
	printf '%-44s the page        %s\n' "" "$(stats "$tmpf.p")"
	printf '%-44s its members     %s\n' "" "$(stats "$tmpf.m")"
}

# ins_us TRIGGERS: microseconds per alert, singles then bulk, with the
# candidate-group triggers on or off (rolled back either way).
ins_us() {
	cols="rule_id, title, severity, asset_id, asset_ref, first_seen, last_seen, evidence"
	sel="SELECT rule_id, title, severity, asset_id, asset_ref, now(), now(), evidence"
	off=
	if [ "$1" = off ]; then
		off="ALTER TABLE alerts DISABLE TRIGGER candidate_groups_ins;"
	fi
	{
		echo "BEGIN; $off"
		printf "%s\n" "\\timing on"
		psql_q -c "SELECT 'INSERT INTO alerts ($cols) $sel FROM alerts WHERE id = ' || id || ';'
			FROM (SELECT id FROM alerts WHERE status = 'new' AND incident_id IS NULL
			ORDER BY id DESC LIMIT 200) s"
		printf "%s\n" "\\echo BULK"
		echo "INSERT INTO alerts ($cols) $sel FROM alerts WHERE status = 'new'
			AND incident_id IS NULL ORDER BY id DESC LIMIT 10000;"
		echo "ROLLBACK;"
	} >"$tmpf.sql"
	psql_q -f "$tmpf.sql" | awk '
	/^BULK/ { bulk = 1; next }
	/^Time: / { if (bulk) b += $2; else { s += $2; n++ } }
	END { printf "single-row %.0f us/alert (%d statements), 10,000 in one %.1f us/alert\n",
		1000 * s / n, n, 1000 * b / 10000 }'
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
if [ -r "$LOG" ]; then
	time_db "database time of candidates list" "$VSOC" candidates list
else
	echo "no readable server log at $LOG: statement times skipped"
fi
if [ "$(psql_q -c "SELECT count(*) FROM pg_trigger WHERE tgname = 'candidate_groups_ins'")" = 1 ]; then
	echo "alert inserts, candidate groups kept:    $(ins_us on)"
	echo "alert inserts, candidate groups skipped: $(ins_us off)"
else
	echo "alert inserts (no candidate groups):     $(ins_us on)"
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -f "$tmpf" "$tmpf".*

