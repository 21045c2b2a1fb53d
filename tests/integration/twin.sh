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
