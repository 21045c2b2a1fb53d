#!/bin/sh
# vsoc demo seed: a realistic fleet, deterministic for a seed and --now,
# consistent with the schema's invariants, refused on a non-empty database.
. "$VSOC_SRCDIR/tests/lib.sh"
migrate

opts="--stations 20 --vehicles 30 --alerts 2000 --now 2026-11-01T00:00:00Z"

# Bad flags: usage errors, exit 2, nothing written.
for bad in "--alerts 0" "--alerts -5" "--alerts lots" "--stations 50001" "--sites 0" \
	"--vehicles 100001" "--alerts 10000001" "--now yesterday" "--now 2026-02-30" \
	"--seed -1" "--bogus" "extra"; do
	# shellcheck disable=SC2086
	run demo seed $bad
	expect_rc 2 "demo seed $bad"
	expect_contains "$err" "usage: vsoc demo seed"
done
[ "$(sql "SELECT count(*) FROM assets")" = 0 ] || fail "a bad flag wrote assets"

# Seeding drops and rebuilds indexes and creates login roles: the DBA's job.
# shellcheck disable=SC2086
run_as bob demo seed $opts
expect_rc 1 "demo seed as an analyst"
expect_contains "$err" "demo seed needs the DBA"
[ "$(sql "SELECT count(*) FROM assets")" = 0 ] || fail "an analyst's seed wrote assets"

# From here on the test is the DBA.
PGUSER=$DBA
# shellcheck disable=SC2086
run demo seed $opts --json
expect_rc 0 "demo seed"
[ "$(json_get 'd["alerts"]')" = 2000 ] || fail "JSON alerts: $out"
[ "$(json_get 'd["stations"]')" = 20 ] || fail "JSON stations: $out"

count() { sql "SELECT count(*) FROM assets WHERE kind = '$1'"; }
[ "$(count site)" -ge 3 ] || fail "sites"
[ "$(count station)" = 20 ] || fail "stations"
[ "$(count connector)" -ge 20 ] || fail "connectors"
[ "$(count vehicle)" = 30 ] || fail "vehicles"
[ "$(count ecu)" -ge 90 ] || fail "ECUs"
[ "$(count app_user)" -ge 20 ] || fail "app users"
[ "$(count backend_service)" = 4 ] || fail "backend services"
[ "$(count ota_rollout)" = 2 ] || fail "rollouts"
[ "$(sql "SELECT count(*) FROM assets WHERE kind = 'ota_rollout'
	AND attributes->>'status' IN ('running', 'paused')
	AND attributes ? 'totalTargetsPerStatus'")" = 2 ] || fail "rollout attributes"
# The hierarchy: every connector under a station, every ECU under a vehicle.
[ "$(sql "SELECT count(*) FROM assets c JOIN assets p ON p.id = c.parent_id
	WHERE (c.kind = 'connector' AND p.kind <> 'station')
	   OR (c.kind = 'ecu' AND p.kind <> 'vehicle')
	   OR (c.kind = 'station' AND p.kind <> 'site')")" = 0 ] || fail "hierarchy"
[ "$(sql "SELECT count(*) FROM assets WHERE kind = 'vehicle' AND length(external_id) <> 17")" = 0 ] ||
	fail "VINs"
[ "$(sql "SELECT count(*) FROM asset_events")" -gt 0 ] || fail "asset events"
[ "$(sql "SELECT string_agg(name || ':' || role, ',' ORDER BY name) FROM analysts
	WHERE name IN ('alice','bob','carol','dave','erin')")" = \
	"alice:lead,bob:analyst,carol:analyst,dave:admin,erin:viewer" ] || fail "analysts"
# Each demo analyst logs in with its role: PGUSER=bob vsoc works.
for who in alice:lead bob:analyst dave:admin erin:viewer; do
	[ "$(sql_as "${who%%:*}" "SELECT vsoc_session_role()")" = "${who#*:}" ] ||
		fail "login role of ${who%%:*}"
done
run_as bob alerts list --limit 1 --json
expect_rc 0 "alerts list as bob"

# Alerts: many rules, mixed statuses, the schema's invariants.
[ "$(sql "SELECT count(DISTINCT rule_id) FROM alerts")" -ge 12 ] || fail "distinct rules"
[ "$(sql "SELECT count(DISTINCT status) FROM alerts")" = 5 ] || fail "statuses not mixed"
[ "$(sql "SELECT count(*) FROM alerts")" = 2000 ] || fail "alert count"
[ "$(sql "SELECT sum(n) FROM alert_counts")" = 2000 ] || fail "alert_counts"
[ "$(sql "SELECT count(*) FROM (SELECT status, severity, count(*) AS n FROM alerts
	GROUP BY 1, 2) a FULL JOIN alert_counts c USING (status, severity)
	WHERE coalesce(a.n, 0) <> coalesce(c.n, 0)")" = 0 ] || fail "alert_counts per bucket"
[ "$(sql "SELECT count(*) - count(DISTINCT dedup_key) FROM alerts
	WHERE status NOT IN ('closed', 'suppressed')")" = 0 ] || fail "live dedup keys"
[ "$(sql "SELECT count(*) FROM alerts a WHERE status = 'escalated' AND NOT EXISTS
	(SELECT 1 FROM incident_alerts i WHERE i.alert_id = a.id AND i.incident_id = a.incident_id)")" = 0 ] ||
	fail "escalated alert without incident_alerts"
[ "$(sql "SELECT count(*) FROM alerts WHERE status = 'escalated'")" -gt 0 ] || fail "no escalations"
[ "$(sql "SELECT count(*) FROM alerts a JOIN assets s ON s.id = a.asset_id
	WHERE s.external_id <> a.asset_ref")" = 0 ] || fail "asset_ref"
[ "$(sql "SELECT count(*) FROM alerts WHERE first_seen > last_seen OR last_seen > '2026-11-01'
	OR first_seen < timestamptz '2026-11-01' - interval '31 days'")" = 0 ] || fail "timestamps"
[ "$(sql "SELECT count(*) FROM alerts WHERE status = 'closed' AND (closed_at IS NULL
	OR disposition_reason IS NULL)")" = 0 ] || fail "closed alerts"
[ "$(sql "SELECT count(*) FROM incidents")" -ge 5 ] || fail "incidents"
# SLA clocks: every alert that left new was acknowledged after it arrived
# and no later than its last change; new ones not; every incident (all
# have owners) after it was opened.
[ "$(sql "SELECT count(*) FROM alerts WHERE (status = 'new') <> (acknowledged_at IS NULL)
	OR acknowledged_at < created_at OR acknowledged_at > updated_at")" = 0 ] ||
	fail "alerts' acknowledged_at"
[ "$(sql "SELECT count(*) FROM incidents WHERE acknowledged_at IS NULL
	OR acknowledged_at <= created_at")" = 0 ] || fail "incidents' acknowledged_at"
[ "$(sql "SELECT count(*) FROM notes")" -gt 0 ] || fail "notes"
[ "$(sql "SELECT count(*) FROM alerts WHERE title ~ '[\x01-\x1f]'")" -ge 2 ] || fail "hostile alerts"
[ "$(sql "SELECT count(*) FROM audit_log WHERE action = 'demo.seed'
	AND object_kind = 'database' AND details->>'alerts' = '2000'")" = 1 ] || fail "audit record"
# The indexes dropped for the load are all back (14 of 001, 4 of 003, 2 of
# 007, 2 of 009, 1 of 010), and the sequences moved on.
[ "$(sql "SELECT count(*) FROM pg_indexes WHERE tablename = 'alerts'")" = 23 ] || fail "alert indexes"
[ "$(sql "SELECT count(*) FROM pg_constraint WHERE conrelid = 'alerts'::regclass
	AND contype = 'f'")" = 4 ] || fail "alert foreign keys"
[ "$(sql "SELECT nextval('alerts_id_seq')")" = 2001 ] || fail "alerts sequence"
# The triggers set aside for the load are all enabled again, and the chain
# that recorded the seed verifies.
[ "$(sql "SELECT count(*) FROM pg_trigger WHERE tgenabled <> 'O'
	AND tgrelid IN ('alerts'::regclass, 'notes'::regclass, 'incident_alerts'::regclass)")" = 0 ] ||
	fail "a trigger left disabled"
run audit verify
expect_rc 0 "audit verify after the seed"

run alerts list --json --limit 100
expect_rc 0 "alerts list"
[ "$(json_get 'd["count"]')" -gt 0 ] || fail "alerts list is empty"
run alerts list --limit 100
printf '%s' "$out" | LC_ALL=C grep -q "$(printf '\033')" && fail "ESC reached the terminal"

# A second seed is refused, clearly, with exit 1.
# shellcheck disable=SC2086
run demo seed $opts
expect_rc 1 "second seed"
expect_contains "$err" "already has alerts"
[ "$(sql "SELECT count(*) FROM alerts")" = 2000 ] || fail "second seed changed alerts"

# Determinism: the same options in a second database give the same rows;
# another seed gives others.
digest() {
	"$PG_BINDIR/psql" "host=$VSOC_TEST_TMP/pg dbname=$1" -XtAq -v ON_ERROR_STOP=1 -c "
	SELECT md5(string_agg(id || title || severity || status || evidence::text ||
	    first_seen::text || coalesce(assignee_id, 0) || coalesce(incident_id, 0), ',' ORDER BY id))
	FROM alerts" -c "
	SELECT md5(string_agg(id || kind || external_id || coalesce(parent_id, 0) ||
	    attributes::text, ',' ORDER BY id)) FROM assets"
}
for db in vsoc2 vsoc3; do
	"$PG_BINDIR/createdb" -h "$VSOC_TEST_TMP/pg" $db || fail "createdb $db"
	"$VSOC" db migrate --db "host=$VSOC_TEST_TMP/pg dbname=$db" >/dev/null || fail "migrate $db"
done
# What the bulk load sets aside (indexes, keys, triggers of the loaded
# tables), read from the catalog before and after: the same schema.
schema_of() {
	"$PG_BINDIR/psql" "host=$VSOC_TEST_TMP/pg dbname=$1" -XtAq -v ON_ERROR_STOP=1 -c "
	SELECT md5(string_agg(d, ';' ORDER BY d)) FROM (
	    SELECT pg_get_indexdef(indexrelid) AS d FROM pg_index
	    WHERE indrelid IN ('alerts'::regclass, 'notes'::regclass, 'incident_alerts'::regclass)
	    UNION ALL SELECT conname || pg_get_constraintdef(oid) FROM pg_constraint
	    WHERE conrelid IN ('alerts'::regclass, 'notes'::regclass, 'incident_alerts'::regclass)
	    UNION ALL SELECT tgname || tgenabled::text FROM pg_trigger WHERE NOT tgisinternal
	    AND tgrelid IN ('alerts'::regclass, 'notes'::regclass, 'incident_alerts'::regclass)) s"
}
s1=$(schema_of vsoc2) || fail "reading the schema of vsoc2"
[ ${#s1} -eq 32 ] || fail "no schema digest: '$s1'"
# A console listening for changes hears of the seed once, as a reload.
# shellcheck disable=SC2086
heard=$("$PG_BINDIR/psql" "host=$VSOC_TEST_TMP/pg dbname=vsoc2" -Xq -v ON_ERROR_STOP=1 2>&1 <<EOF2
LISTEN vsoc_alerts;
\\! "$VSOC" demo seed $opts --db "host=$VSOC_TEST_TMP/pg dbname=vsoc2" >/dev/null || echo seed failed
SELECT 1;
EOF2
)
statuses=$("$PG_BINDIR/psql" "host=$VSOC_TEST_TMP/pg dbname=vsoc2" -XtAq -c "
	SELECT string_agg(DISTINCT status, ',') FROM alerts")
[ "$statuses" = "acknowledged,closed,escalated,new,suppressed" ] || fail "statuses: $statuses"
expect_contains "$heard" "notification \"vsoc_alerts\" with payload \"insert:*;$statuses\"" \
	"change notice"
[ "$(printf '%s\n' "$heard" | grep -c 'notification "vsoc_alerts"')" = 1 ] ||
	fail "not one change notice: $heard"
case $heard in *"seed failed"*) fail "seed vsoc2: $heard" ;; esac
s2=$(schema_of vsoc2) || fail "reading the schema of vsoc2 after the load"
[ "$s2" = "$s1" ] || fail "indexes, keys or triggers differ after the load"
# Up to 100 new alerts, the notice names them, as the trigger would.
"$PG_BINDIR/createdb" -h "$VSOC_TEST_TMP/pg" vsoc5 || fail "createdb vsoc5"
"$VSOC" db migrate --db "host=$VSOC_TEST_TMP/pg dbname=vsoc5" >/dev/null || fail "migrate vsoc5"
heard=$("$PG_BINDIR/psql" "host=$VSOC_TEST_TMP/pg dbname=vsoc5" -Xq -v ON_ERROR_STOP=1 2>&1 <<EOF2
LISTEN vsoc_alerts;
\\! "$VSOC" demo seed --stations 5 --vehicles 5 --alerts 12 --now 2026-11-01T00:00:00Z --db "host=$VSOC_TEST_TMP/pg dbname=vsoc5" >/dev/null || echo seed failed
SELECT 1;
EOF2
)
want=$("$PG_BINDIR/psql" "host=$VSOC_TEST_TMP/pg dbname=vsoc5" -XtAq -c "
	SELECT string_agg(id::text, ',' ORDER BY id) || ';' || string_agg(DISTINCT status, ',')
	FROM alerts")
expect_contains "$heard" "with payload \"insert:1,2,3,4,5,6,7,8,9,10,11,12;${want#*;}\"" \
	"change notice of 12 alerts"
[ "${want%%;*}" = "1,2,3,4,5,6,7,8,9,10,11,12" ] || fail "ids of 12 alerts: $want"
# shellcheck disable=SC2086
"$VSOC" demo seed $opts --seed 2 --db "host=$VSOC_TEST_TMP/pg dbname=vsoc3" >/dev/null ||
	fail "seed vsoc3"
d1=$(digest vsoc)
d2=$(digest vsoc2)
d3=$(digest vsoc3)
[ -n "$d1" ] && [ "$d1" = "$d2" ] || fail "same seed, different rows: $d1 / $d2"
[ "$d1" != "$d3" ] || fail "different seeds, same rows"

# A failure in the middle of the alerts' COPY (here a trigger standing in
# for a full disk or a constraint) rolls everything back: no rows, every
# dropped index and foreign key still there, the server's reason on stderr
# and, with --json, a failure document.
db4="host=$VSOC_TEST_TMP/pg dbname=vsoc4"
"$PG_BINDIR/createdb" -h "$VSOC_TEST_TMP/pg" vsoc4 || fail "createdb vsoc4"
"$VSOC" db migrate --db "$db4" >/dev/null || fail "migrate vsoc4"
"$PG_BINDIR/psql" "$db4" -XtAq -v ON_ERROR_STOP=1 -c "
CREATE FUNCTION demo_boom() RETURNS trigger LANGUAGE plpgsql AS
  \$\$BEGIN IF NEW.id = 1500 THEN RAISE EXCEPTION 'disk on fire at alert %', NEW.id; END IF;
  RETURN NEW; END\$\$;
CREATE TRIGGER demo_boom BEFORE INSERT ON alerts FOR EACH ROW EXECUTE FUNCTION demo_boom();" ||
	fail "trigger"
# shellcheck disable=SC2086
run demo seed $opts --db "$db4" --json
expect_rc 1 "seed with a failing COPY"
expect_contains "$err" "disk on fire at alert 1500" "COPY failure reason"
[ "$(echo "$err" | wc -l)" -eq 1 ] || fail "COPY failure is not one line: $err"
[ "$(json_get 'd["ok"]')" = False ] || fail "no JSON failure document: $out"
expect_contains "$(json_get 'd["error"]')" "disk on fire" "JSON error"
[ "$("$PG_BINDIR/psql" "$db4" -XtAq -c "SELECT (SELECT count(*) FROM alerts) ||
	' ' || (SELECT count(*) FROM assets) || ' ' || (SELECT count(*) FROM incidents) ||
	' ' || (SELECT count(*) FROM pg_indexes WHERE tablename = 'alerts') ||
	' ' || (SELECT count(*) FROM pg_constraint WHERE conrelid = 'alerts'::regclass
	        AND contype = 'f')")" = "0 0 0 23 4" ] || fail "half state after a failed seed"

# Unreachable database: exit 1.
run demo seed --db "host=$VSOC_TEST_TMP/nowhere dbname=vsoc"
expect_rc 1 "unreachable"
pass "demo seed"
