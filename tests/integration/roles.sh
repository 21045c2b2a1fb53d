#!/bin/sh
# tests/integration/roles.sh: the role matrix, each role by each action,
# through vsoc and straight through psql as the role's own login: what vsoc
# refuses, the database refuses too.  An analyst's psql transaction that
# does the action properly (with its audit record) is what "the database
# allows" means; the database refuses a change without one anyway.
#
# Roles: erin viewer, bob analyst, alice lead, dave admin, and frank, an
# analyst disabled before the test (his login is refused; an open session
# of a disabled analyst is tested at the end).
. "$VSOC_SRCDIR/tests/lib.sh"
migrate

PGUSER=$DBA "$VSOC" analyst add frank --role analyst >/dev/null || fail "add frank"
PGUSER=$DBA "$VSOC" analyst add carol2 --role analyst >/dev/null || fail "add carol2"
sql "INSERT INTO assets (kind, external_id) VALUES ('station', 'CS-ROLE')" >/dev/null
mk_alert() {
	sql "INSERT INTO alerts (rule_id, title, severity, asset_id, asset_ref, first_seen,
	     last_seen) SELECT 'R1', 'role test', 3, id, external_id, now(), now() FROM assets
	     WHERE external_id = 'CS-ROLE' RETURNING id"
}
PGUSER=$DBA "$VSOC" analyst disable frank --reason "left the team" >/dev/null || fail "disable frank"

roles="erin bob alice dave frank"
# expected: one word per role, y = allowed, n = refused.
matrix="
take            n y y y n
note            n y y y n
close           n y y y n
reassign        n n y y n
incident        n y y y n
approve_other   n n y y n
approve_own     n n n n n
analyst_add     n n n y n
rule_tune       n n n y n
audit_tamper    n n n n n
save_view       y y y y n
"

# cli ROLE ACTION: 0 if vsoc did it, 1 if refused (exit 5 expected).
cli() {
	who=$1
	case $2 in
	take)		a=$(mk_alert); run_as "$who" alert take "$a" ;;
	note)		a=$(mk_alert); run_as "$who" alert note "$a" --text "n" ;;
	close)		a=$(mk_alert); run_as "$who" alert close "$a" --disposition fp --reason r ;;
	reassign)	a=$(mk_alert); run_as carol2 alert take "$a" >/dev/null
			run_as "$who" alert assign "$a" --to bob ;;
	incident)	a=$(mk_alert); run_as "$who" alert escalate "$a" --title "t" ;;
	analyst_add)	run_as "$who" analyst add "new_$who" --role viewer ;;
	*)		return 2 ;;
	esac
	case $rc in
	0) return 0 ;;
	5) return 1 ;;
	*) [ "$who" = frank ] && return 1
	   fail "vsoc $2 as $who: exit $rc: $err" ;;
	esac
}

# db ROLE ACTION: 0 if the database did it, 1 if it refused.
db() {
	who=$1
	case $2 in
	take)		a=$(mk_alert); s="UPDATE alerts SET assignee_id = vsoc_actor_id() WHERE id = $a;
			SELECT audit_record('alert.take', 'alert', $a, '{$a}', '{}')" ;;
	note)		a=$(mk_alert); s="INSERT INTO notes (alert_id, author_id, body) VALUES ($a, 0, 'n');
			SELECT audit_record('alert.note', 'alert', $a, '{$a}', '{}')" ;;
	close)		a=$(mk_alert); s="UPDATE alerts SET status = 'closed', disposition = 'benign',
			disposition_reason = 'r' WHERE id = $a;
			SELECT audit_record('alert.close', 'alert', $a, '{$a}', '{}')" ;;
	reassign)	a=$(mk_alert); run_as carol2 alert take "$a" >/dev/null
			s="UPDATE alerts SET assignee_id = (SELECT id FROM analysts WHERE name = 'bob')
			WHERE id = $a; SELECT audit_record('alert.assign', 'alert', $a, '{$a}', '{}')" ;;
	incident)	s="INSERT INTO incidents (title) VALUES ('t');
			SELECT audit_record('incident.create', 'incident', NULL, '{}', '{}')" ;;
	approve_other)	ap=$(sql_as carol2 "BEGIN; INSERT INTO approvals (what, requested_by) VALUES
			('halt rollout', 0) RETURNING id; SELECT audit_record('approval.request',
			'approval', NULL, '{}', '{}'); COMMIT" | head -1)
			s="SELECT vsoc_approval_decide($ap, true, 'ok')" ;;
	approve_own)	s="INSERT INTO approvals (what, requested_by) VALUES ('mine', 0);
			SELECT audit_record('approval.request', 'approval', NULL, '{}', '{}');
			SELECT vsoc_approval_decide(currval('approvals_id_seq'), true, 'ok')" ;;
	analyst_add)	s="SELECT vsoc_analyst_add('db_$who', 'viewer', NULL)" ;;
	rule_tune)	s="UPDATE rules SET params = '{\"window\": 600}' WHERE id = 'R3'" ;;
	audit_tamper)	s="DELETE FROM audit_log WHERE seq = 1" ;;
	save_view)	s="INSERT INTO saved_views (analyst_id, name) VALUES (0, 'v_$who');
			SELECT audit_record('view.save', 'saved_view', NULL, '{}', '{}')" ;;
	esac
	r=$(sql_as "$who" "BEGIN; $s; COMMIT")
	case $r in
	*ERROR*|*FATAL*|*"not permitted to log in"*) return 1 ;;
	esac
	return 0
}

printf '%-14s' ACTION >"$VSOC_TEST_TMP/matrix"
for who in $roles; do printf ' %-6s' "$who" >>"$VSOC_TEST_TMP/matrix"; done
echo >>"$VSOC_TEST_TMP/matrix"
echo "$matrix" | while read -r action expect; do
	[ -n "$action" ] || continue
	printf '%-14s' "$action" >>"$VSOC_TEST_TMP/matrix"
	i=1
	for who in $roles; do
		want=$(echo "$expect" | cut -d' ' -f$i)
		if db "$who" "$action"; then got_db=y; else got_db=n; fi
		got_cli=-
		if cli "$who" "$action"; then got_cli=y; else [ $? = 2 ] || got_cli=n; fi
		printf ' %-6s' "$got_db/$got_cli" >>"$VSOC_TEST_TMP/matrix"
		[ "$got_db" = "$want" ] || fail "database: $action as $who: $got_db, expected $want"
		[ "$got_cli" = - ] || [ "$got_cli" = "$want" ] ||
			fail "vsoc: $action as $who: $got_cli, expected $want"
		i=$((i + 1))
	done
	echo >>"$VSOC_TEST_TMP/matrix"
done || exit 1
echo "role matrix (database/vsoc; - where vsoc has no command for it yet):"
cat "$VSOC_TEST_TMP/matrix"
# Every refusal vsoc met is in the audit log, under the refused analyst.
[ "$(sql "SELECT count(*) FROM audit_log WHERE action = 'permission.denied'
	AND actor IN ('erin', 'bob', 'alice')")" -ge 6 ] || fail "refusals not audited"
[ "$(sql "SELECT count(*) FROM approvals WHERE decided_by = requested_by")" = 0 ] ||
	fail "a self-approval went through"
pass "role matrix: vsoc and the database agree"

# --- a session open when its analyst is disabled -------------------------------------
a=$(mk_alert)
fifo=$VSOC_TEST_TMP/bob.sql
mkfifo "$fifo"
PGUSER=bob "$PG_BINDIR/psql" "$VSOC_DB" -XtAq <"$fifo" >"$VSOC_TEST_TMP/bob.out" 2>&1 &
psql_pid=$!
exec 3>"$fifo"
echo "SELECT 'connected';" >&3
i=0
until grep -q connected "$VSOC_TEST_TMP/bob.out" || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
run_as dave analyst disable bob --reason "test"
expect_rc 0 "an admin disables bob"
echo "BEGIN; UPDATE alerts SET assignee_id = vsoc_actor_id() WHERE id = $a;
SELECT audit_record('alert.take', 'alert', $a, '{$a}', '{}'); COMMIT;" >&3
exec 3>&-
wait $psql_pid
expect_contains "$(cat "$VSOC_TEST_TMP/bob.out")" "ERROR"
[ "$(sql "SELECT assignee_id IS NULL FROM alerts WHERE id = $a")" = t ] ||
	fail "a disabled analyst's open session changed an alert"
r=$(sql_as bob "SELECT 1")
expect_contains "$r" "not permitted to log in" "bob's next login"
run_as dave analyst disable dave
expect_rc 3 "an admin disabling themself"
run_as dave analyst role dave viewer
expect_rc 3 "demoting the last admin"
expect_contains "$err" "last active admin"
run_as dave analyst enable bob
expect_rc 0 "enable bob"
[ "$(sql_as bob "SELECT vsoc_session_role()")" = analyst ] || fail "bob's role after enable"
[ "$(sql "SELECT string_agg(action, ',' ORDER BY seq) FROM audit_log
	WHERE action LIKE 'analyst.%' AND details->>'name' = 'bob'")" = \
	"analyst.add,analyst.disable,analyst.enable" ] || fail "analyst changes not audited"
pass "a disabled analyst cannot act, even in an open session"
