#!/bin/sh
# Bad input and dead databases: one clear line on stderr, the right exit
# code, never a crash.
. "$VSOC_SRCDIR/tests/lib.sh"
migrate

run --version
expect_rc 0 "--version"
expect_contains "$out" "vsoc "
run --help
expect_rc 0 "--help"
expect_contains "$out" "Exit codes"
run help alerts list
expect_rc 0 "help alerts list"
expect_contains "$out" "--severity"
run help bogus
expect_rc 2 "help bogus"

run bogus
expect_rc 2 "unknown command"
expect_contains "$err" "unknown command 'bogus'"
run alert
expect_rc 2 "group without subcommand"
expect_contains "$err" "vsoc alert show"
run --frobnicate
expect_rc 2 "unknown global option"
run alerts list --limit 0
expect_rc 2 "--limit 0"
run alerts list --limit abc
expect_rc 2 "--limit abc"
run alerts list --view nowhere
expect_rc 2 "--view nowhere"
expect_contains "$err" "unknown view 'nowhere'"
run alerts list --filter "sev>=apocalyptic"
expect_rc 2 "bad filter"
expect_contains "$err" "apocalyptic"
run alert show
expect_rc 2 "alert show without id"
run alert show 12abc
expect_rc 2 "alert show 12abc"
run alert show 424242
expect_rc 4 "unknown alert"
expect_contains "$err" "no alert with id 424242"

# With --json every failure is one JSON document on stdout, even a bad
# option met before --json was parsed; stderr keeps the line.
json_fails() {	# EXIT RESULT ARGS...
	want_rc=$1 want=$2
	shift 2
	run "$@"
	expect_rc "$want_rc" "$*"
	[ "$(json_get 'd["ok"], d["result"]')" = "False $want" ] || fail "$*: JSON $out"
	[ -n "$(json_get 'd["error"]')" ] || fail "$*: JSON without error: $out"
	[ -n "$err" ] || fail "$*: nothing on stderr"
}
json_fails 2 usage alerts list --limit 0 --json
json_fails 2 usage alerts list --bogus --json
json_fails 2 usage alert show x --json
json_fails 4 not_found alert show 424242 --json
json_fails 2 usage alert close 1 --disposition bogus --reason r --json
[ "$(json_get 'd["action"]')" = close ] || fail "action missing from JSON: $out"
json_fails 2 usage demo seed --alerts lots --json
json_fails 2 usage db migrate extra --json
json_fails 1 error --db "host=$VSOC_TEST_TMP/nowhere dbname=x" alerts list --json
# A note whose text is "--json" is not a JSON run: no document.
run alert note 424242 --text "--json-like text"
expect_rc 4 "note on an unknown alert"
[ -z "$out" ] || fail "a document without --json: $out"

# Hostile text in an argument is echoed sanitized.
run alert show "$(printf '\033]0;pwned\007')"
expect_rc 2 "hostile id"
expect_contains "$err" '\e]0;pwned\x07'

# --as only checks who the session is; it never chooses who acts.  Names
# that mean something else in filters cannot be analysts at all.
for who in bob none ME - "bad name"; do
	run --as "$who" alerts list --view mine
	expect_rc 5 "--as '$who'"
	expect_contains "$err" "this session is 'alice'"
done
export VSOC_ANALYST=bob
run alerts list --view mine
expect_rc 5 "VSOC_ANALYST=bob as alice"
unset VSOC_ANALYST
run --as alice alerts list --view mine
expect_rc 0 "--as naming the session user"
run_as erin alert take 1 --read-only
expect_rc 5 "--read-only"
expect_contains "$err" "refused in read-only mode"
for who in none ME - "bad name" "$DBA"; do
	run_as "$DBA" analyst add "$who" --role analyst
	[ "$rc" != 0 ] || fail "analyst add '$who' was accepted"
done
run_as "$DBA" alert take 1
expect_rc 5 "the DBA is not an analyst"
expect_contains "$err" "is not a vsoc analyst"

# A database never migrated: every command says so and how to fix it.
PGUSER=$DBA "$PG_BINDIR/createdb" -h "$VSOC_TEST_TMP/pg" vsoc_empty
empty="host=$VSOC_TEST_TMP/pg dbname=vsoc_empty"
for cmd in "alerts list" "alert show 1" "alert take 1" "demo seed --alerts 10"; do
	# shellcheck disable=SC2086
	run --db "$empty" $cmd
	expect_rc 1 "$cmd on an unmigrated database"
	expect_contains "$err" "run vsoc db migrate" "$cmd"
done
run --db "$empty" db status
expect_rc 0 "db status on an unmigrated database"
expect_contains "$out" "run vsoc db migrate"

# A stopped database: one line naming the target, exit 1.
dead="host=$VSOC_TEST_TMP/nowhere dbname=vsoc"
run --db "$dead" alerts list
expect_rc 1 "dead database"
expect_contains "$err" "cannot connect to"
expect_contains "$err" "hint:"
[ "$(printf '%s\n' "$err" | wc -l)" = 1 ] || fail "more than one line: $err"
[ -z "$out" ] || fail "stdout on failure: $out"

# A password in the connection string is never printed.
run --db "postgresql://alice:s3cr3t-pw@127.0.0.1:9/vsoc?connect_timeout=2" alerts list
expect_rc 1 "refused TCP"
expect_not_contains "$err" "s3cr3t-pw"

# A bad option in a cluster is named, not the program's path.
run -xh
expect_rc 2 "-xh"
expect_contains "$err" "unknown option '-x'" "-xh"
expect_not_contains "$err" "$VSOC" "-xh"
run --db
expect_rc 2 "--db without a value"
expect_contains "$err" "'--db' needs a value"
# --json before the command is the same as after it.
run --json db status
expect_rc 0 "--json db status"
[ "$(json_get 'd["schema"] == d["schema_known"]')" = True ] || fail "--json db status: $out"
run --json alert show 424242
expect_rc 4 "--json alert show"
[ "$(json_get 'd["result"]')" = not_found ] || fail "--json before: $out"
pass "global options: -xh names -x, --json before the command"

# Values out of range are usage errors naming the value, not a clamped id
# or a database error.
big=99999999999999999999
run alert show $big
expect_rc 2 "alert show $big"
expect_contains "$err" "'$big'"
expect_not_contains "$err" "9223372036854775807'" "alert show $big"
run alerts list --after $big
expect_rc 2 "--after $big"
expect_contains "$err" "'$big'"
run alerts list --filter "incident=$big"
expect_rc 2 "incident=$big"
expect_contains "$err" "'$big'"
run alert take $big
expect_rc 2 "alert take $big"
expect_contains "$err" "'$big'"
run alert escalate 1 --incident $big
expect_rc 2 "escalate --incident $big"
expect_contains "$err" "'$big'"
run alerts list --filter 'sev=low age<99999999h'
expect_rc 2 "age<99999999h"
expect_contains "$err" "'99999999h'"
run alerts list --filter 'last<9999999999999999999999s'
expect_rc 2 "last<huge"
expect_contains "$err" "9999999999999999999999s"
run alerts list --filter 'age<100w'
expect_rc 0 "age<100w is fine"
pass "ids and durations out of range: exit 2 naming the value"

# Invalid UTF-8 in a value that goes to the database: exit 2 naming the
# option (it was exit 1 with the database's encoding error).
bad=$(printf 'CS\377\376')
for opt in --asset --rule --assignee --filter --status; do
	run alerts list $opt "$bad"
	expect_rc 2 "alerts list $opt <invalid UTF-8>"
	expect_contains "$err" "$opt is not valid UTF-8"
done
run alert assign 1 --to "$bad"
expect_rc 2 "alert assign --to <invalid UTF-8>"
expect_contains "$err" "--to is not valid UTF-8"
run alert note 1 --text "$bad"
expect_rc 2 "alert note --text <invalid UTF-8>"
expect_contains "$err" "--text is not valid UTF-8"
run --as "$bad" alert take 1
expect_rc 2 "--as <invalid UTF-8>"
expect_contains "$err" "--as is not valid UTF-8"
out=$(VSOC_ANALYST=$bad "$VSOC" alert take 1 2>"$VSOC_TEST_TMP/stderr") && rc=0 || rc=$?
err=$(cat "$VSOC_TEST_TMP/stderr")
expect_rc 2 "VSOC_ANALYST <invalid UTF-8>"
expect_contains "$err" "VSOC_ANALYST is not valid UTF-8"
run alerts list --json --asset "$bad"
expect_rc 2 "--json with invalid UTF-8"
[ "$(json_get 'd["result"]')" = usage ] || fail "--json invalid UTF-8: $out"
pass "invalid UTF-8 in options: exit 2 naming the option"

# Filters are bounded: no value is silently cut, too many or too long
# terms are refused with a reason.
sql "INSERT INTO assets (kind, external_id, name) VALUES ('station', 'CS-9', 'Nine')"
sql "INSERT INTO alerts (rule_id, title, severity, status, disposition, disposition_reason,
       asset_id, asset_ref, first_seen, last_seen)
     SELECT 'R1', 'bounded ' || g, 3, CASE WHEN g = 1 THEN 'closed' ELSE 'new' END,
       CASE WHEN g = 1 THEN 'benign' END, CASE WHEN g = 1 THEN 'test' END,
       s.id, s.external_id, now(), now()
     FROM generate_series(1, 3) g, assets s WHERE s.external_id = 'CS-9'"
long="status=$(python3 -c "print(','.join(['new'] * 70 + ['closed']))")"
run alerts list --view all --filter "$long" --json --limit 1000
expect_rc 0 "a 290-byte status list"
[ "$(json_get 'sorted(set(a["status"] for a in d["alerts"]))')" = "['closed', 'new']" ] ||
	fail "the status list lost its last value: $(json_get 'sorted(set(a["status"] for a in d["alerts"]))')"
run alerts list --filter "$(python3 -c "print(' '.join(['w'] * 65))")"
expect_rc 2 "65 words"
expect_contains "$err" "more than 64 terms"
run alerts list --filter "$(python3 -c "print('x' * 120000)")"
expect_rc 2 "a 120 KB word"
expect_contains "$err" "at most 1024"
pass "filters: long values kept whole, term count and length bounded"

# The throwaway cluster itself stopped under us.
VSOC_PGDIR=$VSOC_TEST_TMP/pg "$VSOC_SRCDIR/scripts/pg" stop >/dev/null
run alerts list
expect_rc 1 "stopped cluster"
expect_contains "$err" "cannot connect to"
run alert show 1 --json
expect_rc 1 "stopped cluster, show"
pass "cli errors"
