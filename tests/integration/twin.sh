#!/bin/sh
# The twin's database path: events in through core/twin_db.c (late and
# repeated ones included) against full replays in memory
# (tests/unit/check_twin_db.c), the demo's states folded from its events,
# and who may read and write the twin's tables.
. "$VSOC_SRCDIR/tests/lib.sh"

# In a database of its own: the demo below needs an empty one.
PGUSER=$DBA "$PG_BINDIR/createdb" -h "$VSOC_TEST_TMP/pg" vsoc_twin || fail "createdb"
PGUSER=$DBA VSOC_DB="host=$VSOC_TEST_TMP/pg dbname=vsoc_twin" \
	"$VSOC_BUILDDIR/tests/unit/check_twin_db" || fail "check_twin_db"
pass "twin_db: late events, duplicates, as-of against full replays, rebuild"

migrate
seed_small

# Every station and vehicle with events has a state folded from them:
# its position is its newest event, and the firmware is the boot's.
[ "$(sql "SELECT count(*) FROM assets a WHERE a.kind IN ('station', 'vehicle')
	AND EXISTS (SELECT 1 FROM asset_events e WHERE e.asset_id = a.id)
	AND NOT EXISTS (SELECT 1 FROM asset_state s WHERE s.asset_id = a.id
	  AND s.event_id = (SELECT e.id FROM asset_events e WHERE e.asset_id = a.id
	    ORDER BY e.occurred_at DESC, e.id DESC LIMIT 1))")" = 0 ] ||
	fail "a demo state is not the fold of its events"
[ "$(sql "SELECT count(*) FROM asset_state s JOIN assets a ON a.id = s.asset_id
	WHERE a.kind = 'station' AND s.state->>'firmware_version' IS NULL")" = 0 ] ||
	fail "a demo station without its firmware"
[ "$(sql "SELECT count(*) FROM asset_state s JOIN assets a ON a.id = s.asset_id
	WHERE a.kind = 'vehicle' AND s.state->'telematics' IS NULL")" = 0 ] ||
	fail "a demo vehicle without telematics"
pass "demo states folded from the demo's events"

# Everyone reads the twin; nobody but the owner writes it.
r=$(sql_as erin "SELECT count(*) FROM asset_snapshots")
[ "$r" = 0 ] || fail "viewer reads snapshots: $r"
for who in bob dave alice; do
	for s in "INSERT INTO asset_snapshots (asset_id, as_of, event_id, state)
		SELECT id, now(), 1, '{}' FROM assets LIMIT 1" \
	    "INSERT INTO asset_events (asset_id, occurred_at, kind) SELECT id, now(), 'x'
		FROM assets LIMIT 1" \
	    "UPDATE asset_state SET state = '{}'"; do
		r=$(sql_as "$who" "$s")
		expect_contains "$r" "permission denied" "$who: $s"
	done
done
pass "twin tables: read by every role, written by none"

# --- the command line -------------------------------------------------------
st=$(sql "SELECT external_id FROM assets WHERE kind = 'station' ORDER BY id LIMIT 1")
run_as erin twin show "station:$st" --json
expect_rc 0 "twin show --json"
[ "$(json_get "d['asset']['kind'] + ' ' + str(d['state']['firmware_version'] is not None)")" = "station True" ] ||
	fail "twin show state: $out"
[ "$(json_get "[k for k in d['state'] if k.startswith('_')]")" = "[]" ] || fail "working keys shown"
now_state=$(json_get "json.dumps(d['state'], sort_keys=True)")
run_as erin twin show "$st"
expect_rc 0 "twin show by external id"
expect_contains "$out" "firmware_version"
expect_contains "$out" "station:$st"
# As of a moment after the last event: the state now; before the first: nothing.
run_as erin twin show "station:$st" --as-of 2100-01-01 --json
expect_rc 0 "as of the future"
[ "$(json_get "json.dumps(d['state'], sort_keys=True)")" = "$now_state" ] || fail "as of the future differs"
run_as erin twin show "station:$st" --as-of 2000-01-01T00:00:00Z --json
[ "$(json_get "d['state']")" = "{}" ] || fail "as of before the first event: $out"
expect_contains "$(json_get "d['as_of']")" "2000-01-01T00:00:00"
pass "twin show: now, as of, by external id, for a viewer"

# A hostile station's event: escapes reach neither the terminal nor broken JSON.
sid=$(sql "SELECT id FROM assets WHERE external_id = '$st' AND kind = 'station'")
sql "INSERT INTO asset_events (asset_id, occurred_at, kind, source, data) VALUES
	($sid, now() - interval '40 days', 'SecurityEventNotification', 'csms',
	 jsonb_build_object('type', 'Evil' || chr(27) || '[2J' || chr(7), 'techInfo', 'x' || chr(155) || 'y'))" >/dev/null
run_as erin twin timeline "station:$st" --type SecurityEventNotification --limit 1000
expect_rc 0 "timeline with hostile data"
case $out in *"$(printf '\033')"*|*"$(printf '\007')"*) fail "raw escape in timeline output" ;; esac
expect_contains "$out" "Evil"
run_as erin twin timeline "station:$st" --json --limit 1000
json_get "len(d['events'])" >/dev/null || fail "timeline JSON does not parse"
pass "twin timeline: hostile payloads sanitized"

# Keyset paging: one event a page, newest first, every event once.
total=$(sql "SELECT count(*) FROM asset_events WHERE asset_id = $sid")
want=$(sql "SELECT string_agg(id::text, ',' ORDER BY occurred_at DESC, id DESC) FROM asset_events WHERE asset_id = $sid")
got=""
after=""
pages=0
while :; do
	if [ -n "$after" ]; then
		run_as erin twin timeline "station:$st" --limit 1 --after "$after" --json
	else
		run_as erin twin timeline "station:$st" --limit 1 --json
	fi
	expect_rc 0 "timeline page $pages"
	got="$got${got:+,}$(json_get "','.join(str(e['id']) for e in d['events'])")"
	after=$(json_get "d['next'] or ''")
	pages=$((pages + 1))
	[ -n "$after" ] || break
	[ $pages -le "$total" ] || fail "paging does not end"
done
[ "$got" = "$want" ] || fail "pages $got, want $want"
run_as erin twin timeline "station:$st" --type BootNotification --json
[ "$(json_get "sorted(set(e['type'] for e in d['events']))")" = "['BootNotification']" ] || fail "--type: $out"
run_as erin twin timeline "station:$st" --since 2000-01-01 --until 2000-12-31 --json
[ "$(json_get "len(d['events'])")" = 0 ] || fail "--since/--until: $out"
pass "twin timeline: keyset pages, --type, --since, --until"

# Errors.
run_as erin twin show station:NO-SUCH-STATION
expect_rc 4 "unknown asset"
expect_contains "$err" "no asset 'station:NO-SUCH-STATION'"
run_as erin twin timeline NO-SUCH --json
expect_rc 4 "unknown asset (timeline, json)"
[ "$(json_get "d['ok'], d['result']")" = "False not_found" ] || fail "not found JSON: $out"
run_as erin twin show "vehicle:$st"
expect_rc 4 "right id, wrong kind"
sql "INSERT INTO assets (kind, external_id) VALUES ('site', '$st')" >/dev/null
run_as erin twin show "$st"
expect_rc 2 "ambiguous external id"
expect_contains "$err" "several kinds (site, station)"
run_as erin twin show "site:$st"
expect_rc 0 "a site"
expect_contains "$out" "none for this kind"
for args in "twin show" "twin timeline" "twin show station:$st extra" \
    "twin show station:$st --as-of yesterday" "twin show station:$st --as-of 2026-13-01" \
    "twin show station:$st --limit 5" "twin timeline station:$st --as-of 2026-01-01" \
    "twin timeline station:$st --limit 0" "twin timeline station:$st --limit 1001" \
    "twin timeline station:$st --limit x" "twin timeline station:$st --after 12" \
    "twin timeline station:$st --after 1:0" "twin timeline station:$st --after x:1" \
    "twin timeline station:$st --since 2026-02-01 --until 2026-01-01" \
    "twin timeline station:$st --since" "twin show --nope station:$st"; do
	# shellcheck disable=SC2086
	run_as erin $args
	expect_rc 2 "$args"
	expect_contains "$err" "usage: vsoc twin" "$args"
done
run_as erin twin show "$(printf 'station:\377')"
expect_rc 2 "ASSET not UTF-8"
run_as erin twin timeline "station:$st" --type "$(printf '\377')"
expect_rc 2 "--type not UTF-8"
pass "twin show/timeline: every error path"
