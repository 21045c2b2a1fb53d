# burst.sh: on a queue of 10,050 alerts, 5,000 more inserted in a burst (2,500 single-row inserts,
# each its own transaction and notice, then one 2,500-row statement) reach
# an open console as a handful of repaints and header counts, the cursor
# stays on its alert.  During the stream the consoles stop listening
# (CONSOLE_LIVE_DEAF): they hear a few notices a batch, not 2,500.  Then a
# trickle of single inserts, too slow to deafen: a console whose view
# cannot show new alerts (the closed view) sends no query for them but the
# header's counts.  The consoles count for themselves (VSOC_DEBUG_STATS,
# tui/console_stats.c).
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
wait_for one "row 4 of 10,050"
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
K="notices batches frames counts reloads statements deaf"
for k in $K; do
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
# loaded machine that can take more than a second, so wait for the last
# batch (the statement's notice) rather than sleep a fixed time.
sleep 2
for k in $K; do
	eval "d1_$k=\$(( \$(stat $S1 $k) - one_$k ))"
	eval "d2_$k=\$(( \$(stat $S2 $k) - two_$k ))"
done
echo "burst took ${ms} ms"
echo "open view:   notices $d1_notices batches $d1_batches deaf $d1_deaf frames $d1_frames counts $d1_counts reloads $d1_reloads statements $d1_statements"
echo "closed view: notices $d2_notices batches $d2_batches deaf $d2_deaf frames $d2_frames counts $d2_counts reloads $d2_reloads statements $d2_statements"

# Each console stopped listening during the stream: it heard a few
# notices a batch (CONSOLE_LIVE_DEAF is 8; what was in flight when it
# said UNLISTEN comes too), not one per insert...
for who in 1 2; do
	eval "n=\$d${who}_notices b=\$d${who}_batches d=\$d${who}_deaf"
	[ "$d" -ge 1 ] || fail "console $who never stopped listening ($n notices)"
	[ "$n" -le $(( 40 * b )) ] || fail "console $who heard $n notices in $b batches"
	[ "$n" -lt 1250 ] || fail "console $who heard $n of 2,501 notices"
done
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
# above it, its count (cells of alert_counts) and the header; a deaf
# batch adds UNLISTEN and one LISTEN of the three channels.
[ "$d1_reloads" -ge 1 ] || fail "the open view never reloaded"
[ "$d1_reloads" -le "$d1_batches" ] || fail "open view: $d1_reloads reloads for $d1_batches batches"
[ "$d1_statements" -le $(( 4 * d1_batches + 2 * d1_deaf )) ] ||
	fail "open view: $d1_statements statements for $d1_batches batches ($d1_deaf deaf)"
# The closed view cannot show a new alert, but a deaf batch could have
# held anything: it reloads for those batches only.
[ "$d2_reloads" -le "$d2_deaf" ] ||
	fail "closed view reloaded $d2_reloads times for $d2_deaf deaf batches"
pass "the open view sent $d1_statements statements in $d1_batches batches, the closed view $d2_reloads reloads in $d2_deaf deaf batches"

# A trickle (one insert every 0.4 s: never deaf): the closed view sends
# nothing but the header's counts, the open view shows every alert.
for k in $K; do
	eval "one_$k=\$(stat $S1 $k)"
	eval "two_$k=\$(stat $S2 $k)"
done
i=0
while [ $i -lt 5 ]; do
	sql "INSERT INTO alerts (rule_id, title, severity, asset_id, asset_ref, first_seen, last_seen)
	     VALUES ('R7', 'trickle $i', 3, 1, 'CS-001', now(), now())" >/dev/null || fail "trickle insert"
	sleep 0.4
	i=$((i + 1))
done
wait_for one "open 15,055" 30
wait_for two "open 15,055" 30
sleep 1.5
for k in $K; do
	eval "d1_$k=\$(( \$(stat $S1 $k) - one_$k ))"
	eval "d2_$k=\$(( \$(stat $S2 $k) - two_$k ))"
done
echo "trickle, closed view: notices $d2_notices batches $d2_batches deaf $d2_deaf counts $d2_counts reloads $d2_reloads statements $d2_statements"
[ "$d2_notices" -eq 5 ] || fail "closed view heard $d2_notices of 5 trickle notices"
[ "$d2_deaf" -eq 0 ] || fail "a trickle deafened the closed view"
[ "$d2_reloads" -eq 0 ] || fail "closed view reloaded $d2_reloads times for new alerts"
[ "$d2_statements" -eq "$d2_counts" ] ||
	fail "closed view: $d2_statements statements, $d2_counts of them header counts"
[ "$d1_reloads" -ge 1 ] || fail "the open view never reloaded for the trickle"
pass "trickle: the closed view sent $d2_statements statements, all header counts"

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
