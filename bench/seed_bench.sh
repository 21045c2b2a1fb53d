#!/bin/sh
# bench/seed_bench.sh: `vsoc demo seed` against the floor a bulk load can
# reach, COPY of the same rows into a bare table and then the same indexes.
#
#   bench/seed_bench.sh [BUILD_DIR] [N ...]        (see bench/README)
#
# For each N (default 1000000) on one cluster:
#   seed      createdb, `vsoc db migrate`, then the timed
#             `vsoc demo seed --alerts N` (everything: fleet, alerts, notes,
#             incidents, index and key rebuilds, counts, ANALYZE, audit);
#   baseline  the seeded alerts written to a file (\copy ... TO), a second
#             database migrated the same way holding a bare table
#             (LIKE alerts: no index, key, check or trigger), then the timed
#             \copy of that file into it followed by CREATE of every index
#             the seeded alerts table has, primary key included, their
#             definitions read from its catalog (so a new migration's
#             indexes count), at the seed's own maintenance_work_mem (GIN
#             indexes first at 64MB, the others at 1GB, see demo_load.c).
# It prints both times and their ratio.  The cluster is
# $BENCH_PGDIR (default: a temporary folder), created with scripts/pg
# (fsync on, as a user's would be) if it does not exist; it is stopped at
# the end unless BENCH_KEEP=1, and the databases of each N are dropped
# unless BENCH_KEEP=1 (then the last seeded database is kept as seedN).
# BENCH_BASELINE=0 times the seed alone.
set -eu
build=${1:-$(pwd)}
[ $# -gt 0 ] && shift
VSOC=${VSOC:-$build/vsoc}
src=$(cd "$(dirname "$0")/.." && pwd)
sizes=${*:-1000000}
# The seed's own setting (core/demo.c, demo_run): the baseline gets it too,
# so the ratio is the seed's overhead, not a difference in memory.
MWM=${BENCH_MWM:-1GB}
MWM_GIN=${BENCH_MWM_GIN:-64MB}
NOW=2026-11-30T12:00:00Z
[ -x "$VSOC" ] || { echo "no vsoc binary at $VSOC (pass the build folder)" >&2; exit 2; }
BIN=${PG_BINDIR:-/usr/lib/postgresql/15/bin}

own_tmp=
if [ -z "${BENCH_PGDIR:-}" ]; then
	own_tmp=$(mktemp -d "${TMPDIR:-/tmp}/vsoc-seedbench.XXXXXX")
	chmod 755 "$own_tmp"
	BENCH_PGDIR=$own_tmp/pg
fi
export VSOC_PGDIR=$BENCH_PGDIR
rows=$BENCH_PGDIR.alerts.copy
cleanup() {
	rm -f "$rows"
	if [ "${BENCH_KEEP:-0}" != 1 ]; then
		"$src/scripts/pg" stop >/dev/null 2>&1 || true
		[ -z "$own_tmp" ] || rm -rf "$own_tmp"
	fi
}
trap cleanup EXIT INT TERM
"$src/scripts/pg" start >/dev/null
conn() { echo "host=$BENCH_PGDIR dbname=$1"; }
psql_on() { db=$1; shift; "$BIN/psql" "$(conn "$db")" -XqtA -v ON_ERROR_STOP=1 "$@"; }
now_s() { date +%s.%N; }
fresh_db() {
	psql_on postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1"
	"$VSOC" db migrate --db "$(conn "$1")" >/dev/null
}

echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)," \
	"$(. /etc/os-release && echo "$PRETTY_NAME"), $("$BIN/postgres" --version)"
for n in $sizes; do
	seed=seed$n base=base$n
	fresh_db "$seed"
	psql_on "$seed" -c "CHECKPOINT"
	echo "N=$n: load average before the seed: $(cut -d' ' -f1-3 /proc/loadavg)"
	t0=$(now_s)
	"$VSOC" demo seed --alerts "$n" --now "$NOW" --db "$(conn "$seed")" >/dev/null
	t1=$(now_s)
	ts=$(echo "$t1 - $t0" | bc)
	if [ "${BENCH_BASELINE:-1}" = 0 ]; then
		printf 'N=%s  seed %.1f s  (load average after: %s)\n' "$n" "$ts" \
			"$(cut -d' ' -f1-3 /proc/loadavg)"
		continue
	fi

	psql_on "$seed" -c "\\copy alerts TO '$rows'"
	fresh_db "$base"
	# The generated column (009's indicators) is computed by the COPY as
	# the seed's own COPY computes it; \copy TO leaves it out.
	psql_on "$base" -c "CREATE TABLE bare (LIKE alerts INCLUDING DEFAULTS INCLUDING GENERATED)"
	# Every index of the seeded table, renamed onto the bare one, at the
	# seed's memory for each kind: GIN at 64MB, the rest at 1GB.
	idx_of() {
		psql_on "$seed" -c "SELECT regexp_replace(pg_get_indexdef(i.indexrelid),
		    ' INDEX (\S+) ON (\S+)\.alerts ', ' INDEX bare_\1 ON \2.bare ') || ';'
		    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
		    JOIN pg_am a ON a.oid = c.relam
		    WHERE i.indrelid = 'alerts'::regclass AND (a.amname = 'gin') = $1 ORDER BY 1"
	}
	{
		echo "SET maintenance_work_mem = '$MWM_GIN';"
		idx_of true
		echo "SET maintenance_work_mem = '$MWM';"
		idx_of false
	} >"$rows.idx"
	nidx=$(grep -c 'INDEX' "$rows.idx")
	psql_on "$base" -c "CHECKPOINT"
	echo "N=$n: load average before the baseline: $(cut -d' ' -f1-3 /proc/loadavg)"
	t0=$(now_s)
	{
		printf '%s\n' "\\copy bare FROM '$rows'"
		cat "$rows.idx"
	} | psql_on "$base" >/dev/null
	t1=$(now_s)
	tb=$(echo "$t1 - $t0" | bc)
	got=$(psql_on "$base" -c "SELECT count(*) FROM bare")
	[ "$got" = "$n" ] ||
		{ echo "baseline has $got rows, not $n" >&2; exit 1; }
	rm -f "$rows" "$rows.idx"
	printf 'N=%s  seed %.1f s  baseline (COPY + %s indexes) %.1f s  ratio %.2f  (load average after: %s)\n' \
		"$n" "$ts" "$nidx" "$tb" "$(echo "$ts / $tb" | bc -l)" "$(cut -d' ' -f1-3 /proc/loadavg)"
	psql_on postgres -c "DROP DATABASE $base"
	[ "${BENCH_KEEP:-0}" = 1 ] || psql_on postgres -c "DROP DATABASE $seed"
done
