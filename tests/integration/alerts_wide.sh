#!/bin/sh
# alerts_wide.sh: human output of vsoc alerts list fits the terminal, and one
# hostile alert with a 100,000-character asset ref and title neither pads
# every other row nor floods a pipe: long values are cut with a marker.
. "$VSOC_SRCDIR/tests/lib.sh"
migrate
export LANG=C.UTF-8 LC_ALL=C.UTF-8
unset COLUMNS

sql "INSERT INTO assets (kind, external_id, name) VALUES ('station', 'CS-0001', 'Depot A')"
sql "INSERT INTO alerts (rule_id, title, severity, asset_id, asset_ref, first_seen, last_seen)
     SELECT 'R' || (1 + g % 9), 'alert ' || g, 1 + g % 5, s.id, s.external_id,
            now() - g * interval '1 minute', now()
     FROM generate_series(1, 199) g, assets s"
sql "INSERT INTO alerts (rule_id, title, severity, asset_id, asset_ref, first_seen, last_seen)
     SELECT 'R1', 'long ' || repeat('t', 100000), 5, id, 'HUGE-' || repeat('x', 100000),
            now(), now()
     FROM assets WHERE external_id = 'CS-0001'"

# widest FILE: the widest line of FILE in display columns.
widest() {
	python3 -c "import sys; print(max(len(l.rstrip('\n')) for l in open(sys.argv[1], encoding='utf-8')))" "$1"
}

# A pipe: each row is capped, so 200 rows cost a few tens of KB, not MB.
"$VSOC" alerts list --limit 10000 >"$VSOC_TEST_TMP/pipe.txt" 2>"$VSOC_TEST_TMP/err" ||
	fail "alerts list piped: $(cat "$VSOC_TEST_TMP/err")"
bytes=$(wc -c <"$VSOC_TEST_TMP/pipe.txt")
w=$(widest "$VSOC_TEST_TMP/pipe.txt")
echo "# piped, 200 rows: $bytes bytes, widest line $w columns"
[ "$bytes" -lt 100000 ] || fail "piped output is $bytes bytes"
[ "$w" -le 300 ] || fail "a piped line is $w columns wide"
grep -q "HUGE-xxx" "$VSOC_TEST_TMP/pipe.txt" || fail "the long asset ref is not shown at all"
grep -q "HUGE-x*…" "$VSOC_TEST_TMP/pipe.txt" || fail "the cut asset ref lacks the … marker"
grep -q "long t*…" "$VSOC_TEST_TMP/pipe.txt" || fail "the cut title lacks the … marker"
# The short rows are not padded to the long one's width.
short=$(grep "alert 17\$" "$VSOC_TEST_TMP/pipe.txt")
[ ${#short} -le 120 ] || fail "a short row is padded to ${#short} columns: $short"
pass "piped: rows capped with a marker ($bytes bytes for 200 rows)"

# COLUMNS in a pipe, and a real 120-column terminal: every line fits.
COLUMNS=120 "$VSOC" alerts list --limit 10000 >"$VSOC_TEST_TMP/cols.txt" ||
	fail "alerts list with COLUMNS"
w=$(widest "$VSOC_TEST_TMP/cols.txt")
[ "$w" -le 120 ] || fail "COLUMNS=120: a line is $w columns wide"
COLUMNS=120 script -qec "stty cols 120 rows 40; '$VSOC' alerts list --limit 10000" /dev/null \
	| tr -d '\r' >"$VSOC_TEST_TMP/tty.txt" || fail "alerts list on a terminal"
bytes=$(wc -c <"$VSOC_TEST_TMP/tty.txt")
w=$(widest "$VSOC_TEST_TMP/tty.txt")
echo "# 120-column terminal, 200 rows: $bytes bytes, widest line $w columns"
[ "$w" -le 120 ] || fail "on a 120-column terminal a line is $w columns wide"
grep -q "HUGE-x*…" "$VSOC_TEST_TMP/tty.txt" || fail "terminal: no marker on the cut asset ref"
stty_rows=$(grep -c "alert " "$VSOC_TEST_TMP/tty.txt")
[ "$stty_rows" -ge 199 ] || fail "terminal: only $stty_rows rows"
pass "a 120-column terminal: every line fits ($w columns, $bytes bytes)"

# A narrow terminal still gets every column, each cut to fit.
COLUMNS=60 "$VSOC" alerts list --limit 5 >"$VSOC_TEST_TMP/narrow.txt" || fail "COLUMNS=60"
w=$(widest "$VSOC_TEST_TMP/narrow.txt")
[ "$w" -le 60 ] || fail "COLUMNS=60: a line is $w columns wide"
head -1 "$VSOC_TEST_TMP/narrow.txt" | grep -q "ID.*SEV.*STATUS.*TITLE" || fail "narrow header"
pass "COLUMNS=60: $w columns"
