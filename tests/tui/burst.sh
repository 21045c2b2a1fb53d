# burst.sh: on a queue of 10,050 alerts, 5,000 more inserted in a burst (2,500 single-row inserts,
# each its own transaction and notice, then one 2,500-row statement) reach
# an open console as a handful of repaints and header counts, the cursor
# stays on its alert, and a console whose view cannot show new alerts (the
# closed view) sends no query for them but the header's counts.  The
# consoles count for themselves (VSOC_DEBUG_STATS, tui/console_stats.c).
. "$VSOC_SRCDIR/tests/lib.sh"
. "$VSOC_SRCDIR/tests/tui/tmux.sh"
. "$VSOC_SRCDIR/tests/tui/fixtures.sh"
migrate
seed_alerts 10050

S1=$VSOC_TEST_TMP/one.stats
S2=$VSOC_TEST_TMP/two.stats
TUI_ENV="PGUSER=alice VSOC_DEBUG_STATS=$S1"
console one 80 24
TUI_ENV="PGUSER=bob VSOC_DEBUG_STATS=$S2"
console two 80 24 xterm-256color console --view closed
wait_for one "open 10,050"
wait_for two "open 10,050"
keys one j j j
wait_for one "row 4 of 10,000+"
title=$(screen one | sed -n 7p | grep -o 'alert title [0-9]*')
[ -n "$title" ] || fail "no selected title"

# stat FILE KEY: one counter from a console's stats file.
stat() {
	[ -f "$1" ] || fail "no stats file $1"
	_v=$(awk -v k="$2" '$1 == k { print $2 }' "$1")
	[ -n "$_v" ] || fail "no $2 in $1: $(cat "$1")"
	echo "$_v"
}
sleep 0.5	# the last frame's stats are written
for k in notices batches frames counts reloads statements; do
	eval "one_$k=\$(stat $S1 $k)"
	eval "two_$k=\$(stat $S2 $k)"
done

# Every insert its own statement and transaction: one notice each.
i=0
: >"$VSOC_TEST_TMP/burst.sql"
while [ $i -lt 2500 ]; do
	echo "INSERT INTO alerts (rule_id, title, severity, asset_id, asset_ref, first_seen, last_seen)
	      VALUES ('R7', 'burst $i', $((1 + i % 5)), 1, 'CS-001', now() - interval '30 min' * random(), now());" \
		>>"$VSOC_TEST_TMP/burst.sql"
	i=$((i + 1))
done
start=$(date +%s%N)
PGUSER=$DBA "$PG_BINDIR/psql" "$VSOC_DB" -XqAt -v ON_ERROR_STOP=1 \
	-f "$VSOC_TEST_TMP/burst.sql" >/dev/null || fail "single-row inserts"
sql "INSERT INTO alerts (rule_id, title, severity, asset_id, asset_ref, first_seen, last_seen)
     SELECT 'R7', 'batch ' || g, 1 + g % 5, 1, 'CS-001', now() - interval '1 hour', now()
     FROM generate_series(1, 2500) g" >/dev/null || fail "batch insert"
wait_for one "open 15,050" 30
wait_for two "open 15,050" 30
ms=$(( ($(date +%s%N) - start) / 1000000 ))
# Anything still gathered is told and written to the stats files; on a
# loaded machine that can take more than a second, so wait for it (up to
# 10 s) rather than sleep a fixed time.
i=0
while [ $i -lt 100 ] && { [ $(( $(stat $S1 notices) - one_notices )) -lt 2501 ] ||
	[ $(( $(stat $S2 notices) - two_notices )) -lt 2501 ]; }; do
	sleep 0.1
	i=$((i + 1))
done
sleep 1
for k in notices batches frames counts reloads statements; do
	eval "d1_$k=\$(( \$(stat $S1 $k) - one_$k ))"
	eval "d2_$k=\$(( \$(stat $S2 $k) - two_$k ))"
done
echo "burst took ${ms} ms"
echo "open view:   notices $d1_notices batches $d1_batches frames $d1_frames counts $d1_counts reloads $d1_reloads statements $d1_statements"
echo "closed view: notices $d2_notices batches $d2_batches frames $d2_frames counts $d2_counts reloads $d2_reloads statements $d2_statements"

# Each console heard every statement...
[ "$d1_notices" -ge 2501 ] || fail "console one heard $d1_notices notices, expected 2,501"
[ "$d2_notices" -ge 2501 ] || fail "console two heard $d2_notices notices, expected 2,501"
# ...and told its views about them a few times a second, not per notice:
# at most one batch per CONSOLE_LIVE_MS (250 ms) of the burst, plus the last.
max=$(( ms / 250 + 2 ))
for who in 1 2; do
	eval "b=\$d${who}_batches f=\$d${who}_frames c=\$d${who}_counts"
	[ "$b" -ge 1 ] || fail "console $who told no batch"
	[ "$b" -le "$max" ] || fail "console $who told $b batches in $ms ms (max $max)"
	[ "$f" -le "$max" ] || fail "console $who repainted $f times in $ms ms (max $max)"
	[ "$c" -le "$b" ] || fail "console $who read the header counts $c times for $b batches"
done
pass "5,000 alerts: $d1_frames repaints and $d1_counts header counts for $d1_notices notices"

# The open view reloads at most once per batch: its window, the rows
# above it and the header.  Its count was past the cap ("10,000+") and
# inserts only add rows: not counted again.
[ "$d1_reloads" -ge 1 ] || fail "the open view never reloaded"
[ "$d1_reloads" -le "$d1_batches" ] || fail "open view: $d1_reloads reloads for $d1_batches batches"
[ "$d1_statements" -le $(( 3 * d1_batches )) ] ||
	fail "open view: $d1_statements statements for $d1_batches batches"
# The closed view cannot show a new alert: the header's counts only.
[ "$d2_reloads" -eq 0 ] || fail "closed view reloaded $d2_reloads times for new alerts"
[ "$d2_statements" -eq "$d2_counts" ] ||
	fail "closed view: $d2_statements statements, $d2_counts of them header counts"
pass "the closed view sent $d2_statements statements, all header counts"

# The cursor kept its alert: Enter opens it.
s=$(screen one)
expect_contains "$s" "new above" "inserts above the window"
keys one Enter
wait_for one "$title"
screen one | sed -n 1,4p | grep -q "$title" || fail "Enter opened another alert than $title"
keys one q
wait_for one "TITLE"
pass "the cursor stayed on $title through the burst"
keys one q
keys two q
wait_exit one 0
wait_exit two 0
