#!/bin/sh
# tests/integration/audit.sh: the audit chain.
#  - an existing database with records of the old chain migrates to the new
#    one without losing any, and the re-anchoring is itself recorded;
#  - 16 sessions writing at once leave one line (no fork);
#  - the DBA editing, deleting, inserting or swapping records (triggers off)
#    is caught at the first record touched; a rewrite that recomputes every
#    later hash is caught by an anchor;
#  - no application role can change, remove or truncate records, disable
#    the triggers, insert directly, or write the database's own records;
#  - audit list and export filter, page and parse.
. "$VSOC_SRCDIR/tests/lib.sh"

# --- an old database (schema 1) with records of the old chain ---------------
PGUSER=$DBA "$PG_BINDIR/psql" "$VSOC_DB" -XqA -v ON_ERROR_STOP=1 \
	-f "$VSOC_SRCDIR/sql/001_schema.sql" >/dev/null || fail "schema 1"
sql "CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL,
	applied_at timestamptz NOT NULL DEFAULT now());
	INSERT INTO schema_migrations (version, name) VALUES (1, '001_schema');
	INSERT INTO audit_log (actor, action, object_kind, details, prev_hash, hash)
	SELECT 'old' || g, 'alert.ack', 'alert', jsonb_build_object('n', g), '', ''
	FROM generate_series(1, 3) g" >/dev/null
legacy=$(sql "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")
migrate
[ "$(sql "SELECT count(*) FROM audit_log WHERE actor LIKE 'old%'")" = 3 ] ||
	fail "old records lost by the migration"
[ "$(sql "SELECT details->>'records' || ' ' || (details->>'legacy_head') FROM audit_log
	WHERE action = 'audit.rechain'")" = "3 $legacy" ] || fail "re-anchoring not recorded"
[ "$(sql "SELECT string_agg(seq::text, ',' ORDER BY seq) FROM audit_log WHERE seq <= 4")" = "1,2,3,4" ] ||
	fail "old records not re-chained in order"
run audit verify
expect_rc 0 "verify after the migration"
expect_contains "$out" "audit chain intact"
pass "an old chain is re-anchored, nothing lost"

# --- concurrency: one line whatever the writers --------------------------------
sql "INSERT INTO assets (kind, external_id) VALUES ('station', 'CS-AUD')" >/dev/null
alert=$(sql "INSERT INTO alerts (rule_id, title, severity, asset_id, asset_ref, first_seen,
	last_seen) SELECT 'R1', 'audit me', 3, id, external_id, now(), now() FROM assets
	WHERE external_id = 'CS-AUD' RETURNING id")
before=$(sql "SELECT count(*) FROM audit_log")
i=0
while [ $i -lt 16 ]; do
	who=bob
	[ $((i % 2)) = 0 ] && who=carol
	(
		k=0
		while [ $k -lt 12 ]; do
			PGUSER=$who "$VSOC" alert note "$alert" --text "writer $i note $k" >/dev/null ||
				echo "note failed" >>"$VSOC_TEST_TMP/writers"
			k=$((k + 1))
		done
	) &
	i=$((i + 1))
done
wait
[ ! -s "$VSOC_TEST_TMP/writers" ] || fail "a concurrent note failed"
[ "$(sql "SELECT count(*) FROM audit_log")" = $((before + 192)) ] || fail "records lost"
[ "$(sql "SELECT count(*) = count(DISTINCT prev_hash) AND count(*) = max(seq)
	AND min(seq) = 1 FROM audit_log")" = t ] || fail "the chain forked: $(sql "SELECT
	count(*), count(DISTINCT prev_hash), max(seq) FROM audit_log")"
[ "$(sql "SELECT count(*) FROM audit_log a JOIN audit_log b ON b.seq = a.seq + 1
	WHERE b.prev_hash <> a.hash")" = 0 ] || fail "a record does not follow its predecessor"
run audit verify --json
expect_rc 0 "verify after concurrent writers"
[ "$(json_get 'd["records"]')" = $((before + 192)) ] || fail "verify count: $out"
pass "16 concurrent sessions: one line"

# --- tampering by the owner, triggers off ---------------------------------------
last=$(sql "SELECT max(seq) FROM audit_log")
mid=$((last / 2))
tamper() {
	sql "BEGIN; ALTER TABLE audit_log DISABLE TRIGGER USER; $1;
	     ALTER TABLE audit_log ENABLE TRIGGER USER; COMMIT" >/dev/null || fail "tamper: $1"
}
# verify_breaks KIND SEQ WHAT: verify exits 1 naming the first bad record.
verify_breaks() {
	run audit verify --json
	expect_rc 1 "verify after $3"
	[ "$(json_get 'd["break"]')" = "$1" ] || fail "$3: break $(json_get 'd["break"]'), not $1: $out"
	[ "$(json_get 'd["seq"]')" = "$2" ] || fail "$3: seq $(json_get 'd["seq"]'), not $2: $out"
	run audit verify
	expect_rc 1 "verify after $3 (text)"
	expect_contains "$err" "audit chain broken ($1)"
}
verify_intact() {
	run audit verify
	expect_rc 0 "verify after undoing $1"
}

orig=$(sql "SELECT details::text FROM audit_log WHERE seq = $mid")
tamper "UPDATE audit_log SET details = details || '{\"n\": 42}' WHERE seq = $mid"
verify_breaks changed "$mid" "an edit"
tamper "UPDATE audit_log SET details = '$orig' WHERE seq = $mid"
verify_intact "the edit"
actor=$(sql "SELECT actor FROM audit_log WHERE seq = $mid")
tamper "UPDATE audit_log SET actor = 'mallory' WHERE seq = $mid"
verify_breaks changed "$mid" "an edited actor"
tamper "UPDATE audit_log SET actor = '$actor' WHERE seq = $mid"
verify_intact "the actor edit"

sql "CREATE TABLE audit_keep AS SELECT * FROM audit_log WHERE seq = $mid" >/dev/null
tamper "DELETE FROM audit_log WHERE seq = $mid"
verify_breaks removed "$mid" "a deletion"
tamper "INSERT INTO audit_log SELECT * FROM audit_keep"
verify_intact "the deletion"

sql "CREATE TABLE audit_keep2 AS SELECT * FROM audit_log WHERE seq = $last" >/dev/null
tamper "DELETE FROM audit_log WHERE seq = $last"
verify_breaks removed "$last" "removing the last record"
tamper "INSERT INTO audit_log SELECT * FROM audit_keep2"
verify_intact "removing the last record"

tamper "ALTER TABLE audit_log DROP CONSTRAINT audit_log_seq_key;
	INSERT INTO audit_log (actor, action, object_kind, seq, prev_hash, hash)
	SELECT 'mallory', 'alert.close', 'alert', $mid, prev_hash, hash FROM audit_log WHERE seq = $mid"
verify_breaks inserted "$mid" "an insertion with a repeated seq"
tamper "DELETE FROM audit_log WHERE actor = 'mallory';
	ALTER TABLE audit_log ADD CONSTRAINT audit_log_seq_key UNIQUE (seq)"

tamper "UPDATE audit_log SET seq = -1 WHERE seq = $mid; UPDATE audit_log SET seq = $mid
	WHERE seq = $((mid + 1)); UPDATE audit_log SET seq = $((mid + 1)) WHERE seq = -1"
verify_breaks reordered "$mid" "a swap"
tamper "UPDATE audit_log SET seq = -1 WHERE seq = $mid; UPDATE audit_log SET seq = $mid
	WHERE seq = $((mid + 1)); UPDATE audit_log SET seq = $((mid + 1)) WHERE seq = -1"
pass "edit, deletion, insertion and swap each caught at the first record"

# --- a rewrite that recomputes every later hash: only an anchor catches it ----
run audit anchor --file "$VSOC_TEST_TMP/anchors"
expect_rc 0 "anchor"
expect_contains "$out" "vsoc-audit-anchor seq="
run_as bob alert note "$alert" --text "after the anchor"
run audit anchor --file "$VSOC_TEST_TMP/anchors"
[ "$(grep -c vsoc-audit-anchor "$VSOC_TEST_TMP/anchors")" = 2 ] || fail "anchors not appended"
run audit verify --anchors "$VSOC_TEST_TMP/anchors"
expect_rc 0 "verify with anchors"
expect_contains "$out" "2 anchors checked"
tamper "UPDATE audit_log SET details = details || '{\"rewritten\": true}' WHERE seq = $mid;
	DO \$\$ DECLARE r record; prev text; BEGIN
	  SELECT hash INTO prev FROM audit_log WHERE seq = $mid - 1;
	  FOR r IN SELECT * FROM audit_log WHERE seq >= $mid ORDER BY seq LOOP
	    UPDATE audit_log SET prev_hash = prev, hash = encode(sha256(convert_to(
	      audit_canonical(r.seq, r.at, r.actor, r.action, r.object_kind, r.object_id,
	      r.alert_ids, r.details, prev), 'UTF8')), 'hex') WHERE seq = r.seq
	      RETURNING hash INTO prev;
	  END LOOP;
	  UPDATE audit_head SET hash = prev;
	END \$\$"
run audit verify
expect_rc 0 "a full rewrite checks clean without anchors (that is why they exist)"
run audit verify --anchors "$VSOC_TEST_TMP/anchors" --json
expect_rc 1 "verify --anchors after a rewrite"
[ "$(json_get 'd["break"]')" = anchor ] || fail "rewrite: $out"
expect_contains "$(json_get 'd["error"]')" "no longer has the anchored hash"
printf 'vsoc-audit-anchor seq=abc hash=zz\n' >>"$VSOC_TEST_TMP/anchors"
run audit verify --anchors "$VSOC_TEST_TMP/anchors"
expect_rc 1 "a malformed anchor"
expect_contains "$err" "anchors:"
pass "a recomputed chain is caught by its anchors"

# --- what the application's roles cannot do -----------------------------------------
for who in erin bob alice dave; do
	for stmt in "UPDATE audit_log SET actor = 'x'" "DELETE FROM audit_log" \
		"TRUNCATE audit_log" "ALTER TABLE audit_log DISABLE TRIGGER audit_no_update" \
		"DROP TRIGGER audit_no_update ON audit_log" \
		"INSERT INTO audit_log (actor, action, object_kind, prev_hash, hash) VALUES ('x', 'a.b', 'c', '', '')" \
		"UPDATE audit_head SET seq = 1" \
		"SELECT audit_record('analyst.add', 'analyst', 1, '{}', '{}')"; do
		r=$(sql_as "$who" "$stmt")
		case $r in
		*"permission denied"*|*"must be owner"*|*"written by the database itself"*|*"needs the analyst role"*) ;;
		*) fail "$who could: $stmt ($r)" ;;
		esac
	done
done
[ "$(sql "SELECT tableowner FROM pg_tables WHERE tablename = 'audit_log'")" = vsoc_owner ] ||
	fail "audit_log is not owned by vsoc_owner"
[ "$(sql "SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid
	WHERE r.rolname = 'vsoc_owner'")" = 0 ] || fail "a login is a member of vsoc_owner"
r=$(sql_as erin "SELECT audit_record('alert.close', 'alert', 1, '{}', '{}')")
expect_contains "$r" "needs the analyst role" "a viewer recording an action"
[ "$(sql_as erin "SELECT audit_record('session.start', 'console', NULL, '{}', '{}') > 0")" = t ] ||
	fail "a viewer cannot record its session"
[ "$(sql "SELECT actor FROM audit_log ORDER BY seq DESC LIMIT 1")" = erin ] ||
	fail "the actor is not the session user"
pass "no application role can rewrite the log"

# --- list and export ------------------------------------------------------------
run audit list --actor carol --limit 5 --json
expect_rc 0 "list --actor"
[ "$(json_get 'd["count"]')" = 5 ] || fail "list count: $out"
[ "$(json_get 'set(r["actor"] for r in d["records"])')" = "{'carol'}" ] || fail "list --actor: $out"
next=$(json_get 'd["next_before"]')
run audit list --actor carol --limit 5 --before "$next" --json
[ "$(json_get 'all(r["seq"] < '"$next"' for r in d["records"])')" = True ] || fail "--before paging"
run audit list --alert "$alert" --action alert.note
expect_rc 0 "list --alert"
expect_contains "$out" "alert.note"
run audit export --action alert.note
expect_rc 0 "export"
[ "$(printf '%s\n' "$out" | wc -l)" = 193 ] || fail "export lines: $(printf '%s\n' "$out" | wc -l)"
printf '%s\n' "$out" | python3 -c '
import json, sys
seqs = [json.loads(l)["seq"] for l in sys.stdin]
assert seqs == sorted(seqs), "export not oldest first"' || fail "export is not JSON lines in order"
run audit export --after 999999
[ -z "$out" ] || fail "export past the end: $out"
run audit list --since yesterday
expect_rc 2 "a bad --since"
pass "audit list and export"

# --- verify while analysts keep writing ------------------------------------
# The walk is one snapshot: records appended while it runs are not "removed
# records" at the head check.  A writer appends in a loop (a transaction per
# record, as actions are) while verify runs ten times.
stop="$VSOC_TEST_TMP/stop-writer"
(
	while [ ! -e "$stop" ]; do
		sql_as bob "SELECT audit_record('alert.note', 'alert', NULL, '{}', '{}')" >/dev/null
	done
) &
writer=$!
i=0
while [ $i -lt 10 ]; do
	run audit verify
	[ "$rc" = 0 ] || { touch "$stop"; wait $writer; fail "verify during writes: $out"; }
	i=$((i + 1))
done
touch "$stop"
wait $writer
before=$(sql "SELECT count(*) FROM audit_log")
run audit verify
expect_rc 0 "verify after the writer"
pass "verify during concurrent writes ($before records at the end)"
