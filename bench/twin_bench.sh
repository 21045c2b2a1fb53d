#!/bin/sh
# bench/twin_bench.sh: the digital twin's database path on one station
# with a long history.
#
#   bench/twin_bench.sh [BUILD_DIR]      (make bench/twin_bench first)
#
# Creates a throwaway cluster (fsync off) in a temporary folder, migrates,
# and runs bench/twin_bench with BENCH_EVENTS (default 100,000) events.
set -eu
build=${1:-$(pwd)}
src=$(cd "$(dirname "$0")/.." && pwd)
N=${BENCH_EVENTS:-100000}
[ -x "$build/bench/twin_bench" ] || { echo "make bench/twin_bench in $build first" >&2; exit 2; }

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
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs"
"$build/bench/twin_bench" "$N"
