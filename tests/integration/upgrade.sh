#!/bin/sh
# vsoc db migrate on a database in use: every earlier schema a release
# shipped (6: incidents and pages; 9: candidates), holding alerts,
# acknowledged and closed ones, and incidents past open, upgrades to the
# latest in one run and keeps its rows.  Migrations are tested on empty
# databases elsewhere; this is where a migration that only fails on
# data (an UPDATE queueing deferred trigger events before a CREATE INDEX,
# as 007 once did) is caught.
. "$VSOC_SRCDIR/tests/lib.sh"

# schema_at N: apply sql/001.. sql/N by hand, as vsoc would have.
schema_at() {
	sql "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY,
	     name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"
	for f in "$VSOC_SRCDIR"/sql/[0-9][0-9][0-9]_*.sql; do
		b=$(basename "$f" .sql)
		v=$(echo "$b" | sed 's/^0*//; s/_.*//')
		[ "$v" -le "$1" ] || continue
		PGUSER=$DBA "$PG_BINDIR/psql" "$VSOC_DB" -XqAt -1 -v ON_ERROR_STOP=1 -f "$f" \
			>/dev/null || fail "applying $b"
		sql "INSERT INTO schema_migrations (version, name) VALUES ($v, '$b')"
	done
}

base_db=$VSOC_DB
for at in 6 9; do
	# A database of its own (a later conninfo keyword wins).
	sql "CREATE DATABASE upgrade_$at" >/dev/null || fail "create database upgrade_$at"
	VSOC_DB="$base_db dbname=upgrade_$at"
	export VSOC_DB
	schema_at $at
	# Rows of every kind the later migrations touch, written as the DBA
	# (with an audit record, as every change must have).
	sql "BEGIN;
	     INSERT INTO analysts (name, role) VALUES ('upgrader', 'analyst')
	         ON CONFLICT DO NOTHING;
	     INSERT INTO assets (kind, external_id) VALUES ('station', 'CS-UP');
	     INSERT INTO alerts (rule_id, title, severity, asset_id, asset_ref, first_seen, last_seen, status)
	         SELECT 'R7', 'upgrade ' || g, 1 + g % 5, id, external_id, now() - interval '1 hour',
	                now(), CASE WHEN g % 3 = 0 THEN 'acknowledged' ELSE 'new' END
	         FROM assets, generate_series(1, 300) g WHERE external_id = 'CS-UP';
	     INSERT INTO incidents (title, status, severity, owner_id)
	         SELECT 'kept ' || s, s, 3, (SELECT id FROM analysts WHERE name = 'upgrader')
	         FROM unnest(ARRAY['open', 'triage', 'containment', 'closed']) s;
	     UPDATE alerts SET incident_id = (SELECT min(id) FROM incidents WHERE status = 'triage')
	         WHERE id <= 20;
	     SELECT audit_record('test.fixture', 'database', NULL, '{}'::bigint[], '{}'::jsonb);
	     COMMIT;" >/dev/null || fail "rows at schema $at"
	run db migrate
	expect_rc 0 "upgrade from schema $at"
	expect_contains "$out" "migrated to schema"
	[ "$(sql "SELECT count(*) FROM alerts")" = 300 ] || fail "alerts lost upgrading from $at"
	[ "$(sql "SELECT count(*) FROM incidents WHERE title LIKE 'kept %'")" = 4 ] ||
		fail "incidents lost upgrading from $at"
	# 007 gave incidents past open (or owned) their best known time.
	[ "$(sql "SELECT count(*) FROM incidents WHERE title LIKE 'kept %' AND acknowledged_at IS NULL")" = 0 ] ||
		fail "owned incidents without acknowledged_at after upgrading from $at"
	run db status
	expect_rc 0 "status after the upgrade from $at"
	pass "schema $at with 300 alerts and 4 incidents upgraded"
done
