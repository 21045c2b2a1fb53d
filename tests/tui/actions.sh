# actions.sh: suppress by asset (s key) and by evidence value (:suppress),
# taking the similar open alerts along; escalate into a new incident, then
# another alert into that existing incident with :escalate ID, and the
# incident view (i) from the alert's detail.
. "$VSOC_SRCDIR/tests/lib.sh"
. "$VSOC_SRCDIR/tests/tui/tmux.sh"
. "$VSOC_SRCDIR/tests/tui/fixtures.sh"
migrate
seed_alerts 10

# add_alert TITLE RULE ASSET SEVERITY STATUS SECONDS_AGO IP: one alert,
# seen more recently than any fixture alert so it sorts first in its
# severity.
add_alert() {
	sql "INSERT INTO alerts (rule_id, title, severity, asset_id, asset_ref,
	         status, disposition, disposition_reason, first_seen, last_seen, evidence)
	     SELECT '$2', '$1', $4, id, external_id, '$5',
	            CASE '$5' WHEN 'closed' THEN 'benign' END,
	            CASE '$5' WHEN 'closed' THEN 'test' END,
	            now() - interval '$6 seconds' - interval '1 minute',
	            now() - interval '$6 seconds', jsonb_build_object('ip', '$7')
	     FROM assets WHERE external_id = '$3'" >/dev/null || fail "add_alert $1"
}
status_of() { sql "SELECT status FROM alerts WHERE title = '$1'"; }

# Rule R3 on CS-005: three open alerts (one acknowledged) and a closed one;
# the same rule on another station must not be touched.
add_alert "dup probe A" R3 CS-005 5 new 1 10.1.1.1
add_alert "dup probe B" R3 CS-005 5 new 2 10.1.1.2
add_alert "dup probe C" R3 CS-005 5 acknowledged 3 10.1.1.3
add_alert "dup probe old" R3 CS-005 5 closed 4 10.1.1.4
add_alert "probe elsewhere" R3 CS-006 4 new 5 10.1.1.1
# Rule R4 from one scanner address on two stations; the same address under
# another rule, and another address under the same rule, must stay.
add_alert "scanner hit 1" R4 CS-001 4 new 6 10.9.9.9
add_alert "scanner hit 2" R4 CS-002 4 new 7 10.9.9.9
add_alert "scanner other ip" R4 CS-001 4 new 8 10.9.9.8
add_alert "scanner other rule" R5 CS-001 4 new 9 10.9.9.9

TUI_ENV="PGUSER=alice"
console act 80 24
wait_for act "open 18:"
# Row 1 is the newest critical alert.
screen act | sed -n 4p | grep -qF "dup probe A" || fail "dup probe A is not row 1: $(screen act)"

keys act s
wait_for act "suppress by (asset | evidence:KEY)"
keys act Enter
wait_for act "for how long"
keys act C-u 4h Enter
wait_for act "reason (required)"
keys act "noisy lab station" Enter
wait_for act "suppressed (suppression"
wait_gone act "dup probe"
wait_for act "probe elsewhere"
wait_for act "open 15:"
for t in "dup probe A" "dup probe B" "dup probe C"; do
	[ "$(status_of "$t")" = suppressed ] || fail "$t: $(status_of "$t"), not suppressed"
done
[ "$(status_of "dup probe old")" = closed ] || fail "a closed alert was suppressed"
[ "$(status_of "probe elsewhere")" = new ] || fail "another asset was suppressed"
[ "$(sql "SELECT count(*) || ' ' || min(rule_id) || ' ' || min(a.external_id) || ' ' ||
          bool_and(s.expires_at BETWEEN now() + interval '3 hours 55 minutes'
                                    AND now() + interval '4 hours 5 minutes') || ' ' || min(reason)
          FROM suppressions s JOIN assets a ON a.id = s.asset_id")" = "1 R3 CS-005 true noisy lab station" ] ||
	fail "suppressions: $(sql "SELECT * FROM suppressions")"
[ "$(sql "SELECT count(*) FROM audit_log WHERE action = 'alert.suppress'")" = 1 ] ||
	fail "not one audit record: $(sql "SELECT action, alert_ids FROM audit_log")"
[ "$(sql "SELECT cardinality(alert_ids) FROM audit_log WHERE action = 'alert.suppress'")" = 3 ] ||
	fail "the audit record does not list the similar alerts"
pass "s suppresses by asset: similar open alerts leave the queue, one suppression, one audit record"

# By evidence value, from the command line, on a filtered queue.
keys act : "filter rule=R4" Enter
wait_for act "filter: rule=R4"
wait_gone act "probe elsewhere"
screen act | sed -n 4p | grep -qF "scanner hit 1" || fail "scanner hit 1 is not row 1: $(screen act)"
keys act : "suppress evidence:ip 1d known scanner, ticket 4711" Enter
wait_for act "suppressed (suppression"
wait_gone act "scanner hit"
wait_for act "scanner other ip"
[ "$(status_of "scanner hit 1") $(status_of "scanner hit 2")" = "suppressed suppressed" ] ||
	fail "evidence suppression missed an alert"
[ "$(status_of "scanner other ip") $(status_of "scanner other rule")" = "new new" ] ||
	fail "evidence suppression took another address or rule"
[ "$(sql "SELECT rule_id || ' ' || evidence_key || ' ' || evidence_value || ' ' || reason ||
          ' ' || (asset_id IS NULL) FROM suppressions WHERE evidence_key IS NOT NULL")" = \
  "R4 ip 10.9.9.9 known scanner, ticket 4711 true" ] ||
	fail "evidence suppression row: $(sql "SELECT * FROM suppressions")"
[ "$(sql "SELECT count(*) FROM audit_log WHERE action = 'alert.suppress'")" = 2 ] ||
	fail "not one audit record per suppress"
keys act : filter Enter
wait_for act "filter cleared"
wait_for act "scanner other rule"
pass ":suppress evidence:KEY DURATION REASON"

# Escalate into a new incident, then another alert into that one by id.
keys act : "filter 0009" Enter
wait_for act "row 1 of 1"
keys act e
wait_for act "into incident"
keys act C-u "new Firmware campaign" Enter
wait_for act "escalated into incident"
inc=$(sql "SELECT id FROM incidents WHERE title = 'Firmware campaign'")
[ -n "$inc" ] || fail "no incident"
keys act : "filter 0004" Enter
wait_for act "row 1 of 1"
keys act Enter
wait_for act "Evidence"
keys act : "escalate $inc" Enter
wait_for act "escalated into incident $inc"
[ "$(sql "SELECT string_agg(a.title, ',' ORDER BY a.title) FROM incident_alerts ia
          JOIN alerts a ON a.id = ia.alert_id WHERE ia.incident_id = $inc")" = \
  "alert title 0004,alert title 0009" ] ||
	fail "incident_alerts: $(sql "SELECT * FROM incident_alerts")"
[ "$(sql "SELECT count(*) FROM incidents")" = 1 ] || fail "a second incident was created"
[ "$(status_of "alert title 0004")" = escalated ] || fail "not escalated"
# The detail view reloaded with the incident, and i opens it.
wait_for act "#$inc Firmware campaign"
keys act i
wait_for act "Incident $inc"
wait_for act "Firmware campaign"
s=$(screen act)
expect_contains "$s" "Alerts" "incident view"
echo "$s" | grep -q "Alerts  *2 open of 2" || fail "incident view does not count 2 alerts: $s"
expect_contains "$s" "alert title 0004" "incident view's alert list"
expect_contains "$s" "alert title 0009" "incident view's alert list"
pass ":escalate ID adds to an existing incident; i shows it"

# An id that does not exist is refused, and nothing changes.
keys act q
wait_for act "Evidence"
keys act : "escalate 999999" Enter
wait_for act "incident 999999 not found"
[ "$(sql "SELECT count(*) FROM incident_alerts")" = 2 ] || fail "escalated into a missing incident"
pass "escalating into a missing incident is refused"

# An evidence key of up to 200 bytes is a key: the whole of it, not the
# first 150 bytes that fitted a buffer.
long_key=$(printf '%0190d' 0 | tr 0 k)
sql "UPDATE alerts SET evidence = evidence || jsonb_build_object('$long_key', 'v1')
     WHERE title = 'alert title 0005'" >/dev/null
keys act q
wait_for act "open "
keys act : "filter 0005" Enter
wait_for act "row 1 of 1"
keys act : "suppress evidence:$long_key 1h long key" Enter
wait_for act "suppressed (suppression"
[ "$(sql "SELECT length(evidence_key) FROM suppressions WHERE reason = 'long key'")" = 190 ] ||
	fail "evidence key cut: $(sql "SELECT length(evidence_key) FROM suppressions")"
pass ":suppress evidence:KEY keeps a 190-byte key whole"

# A title with an existing incident's id is not silently dropped.
keys act : "filter 0006" Enter
wait_for act "row 1 of 1"
keys act : "escalate $inc Some new title" Enter
wait_for act "title only names a new incident"
[ "$(status_of "alert title 0006")" != escalated ] || fail "escalated, title dropped"
keys act e
wait_for act "into incident"
keys act C-u "$inc typed title" Enter
wait_for act "title only names a new incident"
[ "$(status_of "alert title 0006")" != escalated ] || fail "escalated from the prompt, title dropped"
pass ":escalate ID TITLE is refused, not half done"

keys act q
wait_exit act 0
