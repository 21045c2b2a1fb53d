# security.sh: the console and the roles.  A viewer's console is read-only
# (header, status line, greyed help, refused keys, audited refusals);
# --read-only does the same for an analyst; an analyst disabled or demoted
# while the console is open is refused the next action with the reason; an
# idle console locks, hides alert content, and the next key re-checks the
# connection and the role; the audit view lists, filters and opens records;
# every console start and end is in the audit log.
. "$VSOC_SRCDIR/tests/lib.sh"
. "$VSOC_SRCDIR/tests/tui/tmux.sh"
. "$VSOC_SRCDIR/tests/tui/fixtures.sh"
migrate
seed_alerts 40
assigned() { sql "SELECT count(*) FROM alerts WHERE assignee_id IS NOT NULL"; }

# --- a viewer ------------------------------------------------------------------
TUI_ENV="PGUSER=erin"
console view 80 24
wait_for view "[read-only: viewer]"
screen view | tail -1 | grep -q "READ-ONLY" || fail "status line does not say read-only"
keys view t
wait_status view "take needs the analyst role; erin is viewer"
keys view c
wait_status view "close needs the analyst role"
[ "$(assigned)" = 0 ] || fail "a viewer's take changed an alert"
[ "$(sql "SELECT count(*) FROM audit_log WHERE actor = 'erin' AND action = 'permission.denied'
	AND details->>'tried' IN ('console:take', 'console:close')")" = 2 ] ||
	fail "the refusals are not audited"
keys view :
keys view "take" Enter
wait_status view "take needs the analyst role"
keys view '?'
wait_for view "Read-only (viewer role): the greyed actions are off."
# The help draws the actions dim (SGR 2).
i=0
until screen view | grep -q "Take: assign to me" || [ $i -ge 8 ]; do
	keys view PgDn
	sleep 0.2
	i=$((i + 1))
done
tmx capture-pane -p -e -t view >"$VSOC_TEST_TMP/help.ansi"
grep "Take: assign" "$VSOC_TEST_TMP/help.ansi" | grep -q "$(printf '\033')\[2m" ||
	fail "take is not greyed in the help: $(grep take "$VSOC_TEST_TMP/help.ansi" | cat -v)"
keys view q
keys view q
wait_exit view
pass "a viewer's console is read-only, says so, and audits refusals"

# --- --read-only for an analyst --------------------------------------------------
TUI_ENV="PGUSER=bob"
console ro 100 30 xterm-256color --read-only
wait_for ro "[read-only]"
keys ro t
wait_status ro "read-only console (--read-only): take is off"
[ "$(assigned)" = 0 ] || fail "--read-only took an alert"
keys ro q
wait_exit ro
pass "--read-only turns actions off"

# --- disabled, then demoted, while the console is open ----------------------------
console bob 100 30
run_as dave analyst disable bob --reason "test"
expect_rc 0 "disable bob"
keys bob t
wait_status bob "analyst 'bob' is disabled"
# He can no longer read either: the screen locks, showing why.
wait_for bob "LOCKED"
[ "$(assigned)" = 0 ] || fail "a disabled analyst took an alert"
run_as dave analyst enable bob
run_as dave analyst role bob viewer
keys bob j
wait_status bob "unlocked: bob (viewer), read-only"
keys bob t
wait_status bob "take needs the analyst role; bob is viewer"
wait_for bob "[read-only: viewer]"
[ "$(assigned)" = 0 ] || fail "a demoted analyst took an alert"
run_as dave analyst role bob analyst
keys bob t
wait_status bob "taken"
[ "$(assigned)" = 1 ] || fail "bob, analyst again, could not take"
keys bob q
wait_exit bob
pass "a disabled or demoted analyst is refused the next action, with the reason"

# --- idle lock --------------------------------------------------------------------------
TUI_ENV="PGUSER=carol"
console lock 100 30 xterm-256color console --idle-lock 2s
wait_for lock "alert title 0038"
wait_for lock "LOCKED" 6
screen lock | grep -q "alert title" && fail "a locked screen shows alert content"
run_as dave analyst disable carol
keys lock j
wait_status lock "analyst 'carol' is disabled"
screen lock | grep -q "LOCKED" || fail "a disabled analyst unlocked the console"
run_as dave analyst enable carol
keys lock j
wait_for lock "alert title 0038"
wait_status lock "unlocked: carol (analyst)"
# A prompt left open is cancelled by the lock: nothing half typed is sent.
keys lock c
wait_for lock "disposition"
wait_for lock "LOCKED" 6
keys lock Enter
wait_for lock "alert title"
[ "$(sql "SELECT count(*) FROM alerts WHERE status = 'closed'")" = 0 ] || fail "a locked prompt closed an alert"
keys lock Q
wait_exit lock
[ "$(sql "SELECT string_agg(action, ',' ORDER BY seq) FROM audit_log WHERE actor = 'carol'
	AND action LIKE 'session.%'")" = \
	"session.start,session.lock,session.unlock,session.lock,session.unlock,session.end" ] ||
	fail "session records: $(sql "SELECT string_agg(action, ',' ORDER BY seq) FROM audit_log WHERE actor = 'carol'")"
pass "an idle console locks, hides content and re-checks on the next key"

# --- the audit view -------------------------------------------------------------------
TUI_ENV="PGUSER=alice"
console aud 120 30
keys aud L
wait_for aud "session.start"
keys aud /
keys aud "actor=erin" Enter
wait_for aud "audit: actor=erin"
screen aud | grep -q "carol" && fail "the filter let another actor through"
wait_for aud "permission.denied"
keys aud Enter
wait_for aud "Audit record"
wait_for aud "Hash"
keys aud q
keys aud /
keys aud C-u "bogus" Enter
wait_status aud "not a term"
keys aud q
wait_for aud "TITLE"
keys aud q
wait_exit aud
[ "$(sql "SELECT count(*) FROM audit_log WHERE action = 'session.end'")" -ge 5 ] ||
	fail "console ends not audited"
pass "the audit view lists, filters and opens records"
