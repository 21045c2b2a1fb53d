#!/bin/sh
# vsoc db migrate: applies in order, records, is idempotent, keeps data,
# and two concurrent runs do not collide.
. "$VSOC_SRCDIR/tests/lib.sh"

run db status
expect_rc 0 "status of an empty database"
expect_contains "$out" "schema:  0"

run db migrate
expect_rc 0 "first migrate"
expect_contains "$out" "applied 001_schema"
[ "$(sql "SELECT count(*) FROM schema_migrations")" -ge 1 ] || fail "no migration recorded"
[ "$(sql "SELECT count(*) FROM rules")" -ge 14 ] || fail "rules not seeded"

# Data survives a second run, which applies nothing.
sql "INSERT INTO assets (kind, external_id) VALUES ('station', 'CS-KEEP')"
sql "INSERT INTO alerts (rule_id, title, severity, asset_id, asset_ref, first_seen, last_seen)
     SELECT 'R7', 'kept', 5, id, external_id, now(), now() FROM assets WHERE external_id = 'CS-KEEP'"
run db migrate --json
expect_rc 0 "second migrate"
[ "$(json_get 'len(d["applied"])')" = 0 ] || fail "second migrate applied something: $out"
[ "$(sql "SELECT title FROM alerts")" = kept ] || fail "data lost by migrate"

# Concurrent migrations of a fresh database serialise on an advisory lock.
"$PG_BINDIR/createdb" -h "$VSOC_TEST_TMP/pg" vsoc_conc
conc="host=$VSOC_TEST_TMP/pg dbname=vsoc_conc"
"$VSOC" --db "$conc" db migrate >"$VSOC_TEST_TMP/m1" 2>&1 & p1=$!
"$VSOC" --db "$conc" db migrate >"$VSOC_TEST_TMP/m2" 2>&1 & p2=$!
wait $p1 || fail "concurrent migrate 1: $(cat "$VSOC_TEST_TMP/m1")"
wait $p2 || fail "concurrent migrate 2: $(cat "$VSOC_TEST_TMP/m2")"
# (Versions may skip numbers: count them against the test database's.)
[ "$("$PG_BINDIR/psql" "$conc" -XtAc "SELECT count(*) = count(DISTINCT version)
	AND count(*) = $(sql "SELECT count(*) FROM schema_migrations") FROM schema_migrations")" = t ] ||
	fail "concurrent migrate recorded twice"

# Migrating is the DBA's job: an analyst's login cannot (it owns nothing).
"$PG_BINDIR/createdb" -h "$VSOC_TEST_TMP/pg" vsoc_user
sql "CREATE ROLE frank LOGIN"
run --db "host=$VSOC_TEST_TMP/pg dbname=vsoc_user user=frank" db migrate
expect_rc 1 "migrate as a plain login"
expect_contains "$err" "superuser"

run db status --json
expect_rc 0 "status --json"
[ "$(json_get 'd["schema"] == d["schema_known"]')" = True ] || fail "schema mismatch: $out"
[ "$(json_get 'd["alerts_total"]')" = 1 ] || fail "alert count: $out"
pass "migrate"
