#!/bin/sh
# bench/audit_bench.sh: `vsoc audit verify` on a large audit log.
#
#   bench/audit_bench.sh [BUILD_DIR]
#
# Creates a throwaway cluster (fsync off) in a temporary folder, migrates,
# appends BENCH_TRIGGER_RECORDS (default 10,000) records through the chain
# trigger (the path every action takes; prints the chain's write cost) and
# the rest up to BENCH_RECORDS (default 1,000,000) in bulk with the same
# hashes, details shaped like a triage action's, then times `vsoc audit
# verify` BENCH_REPS times (default 3) and prints the median and the rate.
set -eu
build=${1:-$(pwd)}
VSOC=${VSOC:-$build/vsoc}
src=$(cd "$(dirname "$0")/.." && pwd)
N=${BENCH_RECORDS:-1000000}
REPS=${BENCH_REPS:-3}
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

now() { date +%s.%N; }
# The write path: BENCH_TRIGGER_RECORDS (default 10,000) records through the
# chain trigger, the path every action takes, a transaction per hundred
# (one transaction updating the head thousands of times would leave as
# many dead versions of that row to step over).
NT=${BENCH_TRIGGER_RECORDS:-10000}
"$PSQL" "$VSOC_DB" -XqAt -v ON_ERROR_STOP=1 -c "
CREATE PROCEDURE bench_append(n integer) LANGUAGE plpgsql AS \$\$ BEGIN
  FOR i IN 1..n LOOP
    INSERT INTO audit_log (actor, action, object_kind, object_id, alert_ids, details,
                           prev_hash, hash)
    VALUES ('', 'alert.close', 'alert', i, ARRAY[i, i + 1]::bigint[],
            jsonb_build_object('reason', 'benign scanner ' || i, 'disposition',
              'false_positive', 'previous_status', jsonb_build_object('new', ARRAY[i])),
            '', '');
    IF i % 100 = 0 THEN COMMIT; END IF;
  END LOOP;
END \$\$"
t0=$(now)
"$PSQL" "$VSOC_DB" -XqAt -v ON_ERROR_STOP=1 -c "CALL bench_append($NT)"
t1=$(now)
echo "chain trigger: $NT records in $(echo "$t1 - $t0" | bc) s"

# The rest in bulk: the same canonical text and hash as the trigger
# computes (audit_canonical), chained in one loop with the triggers off
# (session_replication_role, the bench's superuser only), then the head
# moved to the last record.  verify below checks every hash, so a bulk
# record that differed from the trigger's would fail the benchmark.
t0=$(now)
"$PSQL" "$VSOC_DB" -XqAt -v ON_ERROR_STOP=1 -c "
SET session_replication_role = replica;
DO \$\$
DECLARE
  h record;
  n bigint;
  d jsonb;
  ids bigint[];
  ts timestamptz := clock_timestamp();
BEGIN
  SELECT seq, hash INTO h FROM audit_head;
  n := h.seq;
  FOR i IN 1..($N - (SELECT count(*) FROM audit_log)) LOOP
    n := n + 1;
    ids := ARRAY[i, i + 1]::bigint[];
    d := jsonb_build_object('reason', 'benign scanner ' || i, 'disposition',
           'false_positive', 'previous_status', jsonb_build_object('new', ARRAY[i]));
    INSERT INTO audit_log (seq, at, actor, action, object_kind, object_id, alert_ids,
                           details, prev_hash, hash)
    VALUES (n, ts, 'bench', 'alert.close', 'alert', i, ids, d, h.hash,
            encode(sha256(convert_to(audit_canonical(n, ts, 'bench', 'alert.close',
              'alert', i, ids, d, h.hash), 'UTF8')), 'hex'))
    RETURNING hash INTO h.hash;
  END LOOP;
  UPDATE audit_head SET seq = n, hash = h.hash;
END \$\$"
t1=$(now)
echo "bulk: to $N records in $(echo "$t1 - $t0" | bc) s"
records=$("$PSQL" "$VSOC_DB" -XqAt -c "SELECT count(*) FROM audit_log")
echo "$records records in the log"

times=""
i=0
while [ $i -lt "$REPS" ]; do
	s=$(now)
	"$VSOC" audit verify >/dev/null || { echo "verify failed" >&2; exit 1; }
	e=$(now)
	times="$times $(echo "$e - $s" | bc)"
	i=$((i + 1))
done
med=$(echo "$times" | tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo "audit verify of $records records: median $med s over $REPS runs (all: $times)"
echo "rate: $(echo "$records / $med" | bc) records/s"
"$VSOC" audit verify
