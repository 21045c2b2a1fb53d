# candidates.sh: the incident candidates view at 80x24.  From the queue
# (C and :candidates) the demo's candidates are listed with their reason
# and counts; Enter shows a candidate's alerts; one alert is marked out
# (a split) and the rest accepted: the console lands in the new incident
# with the right alert count, the split-out alert stays in the queue, one
# audit record says so.  Another candidate is dismissed with a reason: it
# leaves the list and the dismissal is audited.
. "$VSOC_SRCDIR/tests/lib.sh"
. "$VSOC_SRCDIR/tests/tui/tmux.sh"
. "$VSOC_SRCDIR/tests/tui/fixtures.sh"
migrate
PGUSER=$DBA "$VSOC" demo seed --seed 7 --stations 20 --vehicles 30 --alerts 2000 >/dev/null ||
	fail "demo seed"

# The first candidate as the list orders it, with every alert id.
run_as bob candidates list --json --limit 1 --ids 1000
expect_rc 0 "candidates list"
key=$(json_get 'd["candidates"][0]["key"]')
n=$(json_get 'd["candidates"][0]["alerts"]')
total=$(json_get 'format(d["total"], ",")')
first=$(json_get 'd["candidates"][0]["alert_ids"][0]')
[ "$n" -ge 3 ] || fail "first candidate too small to split: $n alerts"

TUI_ENV="PGUSER=bob"
console one 80 24
keys one C
wait_for one "REASON"
wait_for one "row 1 of $total"
keys one q
wait_for one "TITLE"
keys one : candidates Enter
wait_for one "REASON"
s=$(screen one)
echo "$s" | grep -q " alerts (R" || fail "no reason on the list: $s"
pass "C and :candidates list the candidates with their reason at 80x24"

# Its alerts; Enter on one opens the alert, q comes back.
keys one Enter
wait_for one "$key"
wait_for one "alert 1 of $n"
keys one Enter
wait_for one "Evidence"
keys one q
wait_for one "alert 1 of $n"
pass "Enter lists a candidate's alerts, and opens one"

# Split the first (most recent) alert out, accept the rest.
keys one Space
wait_for one "1 marked out"
keys one E
wait_for one "new incident with $((n - 1)) alerts (1 marked out)? [y/N]"
keys one y
wait_for one "Incident "
wait_for one " open of "
inc=$(sql "SELECT object_id FROM audit_log WHERE action = 'candidate.accept' AND actor = 'bob'
	AND details->>'candidate' = '$key'")
[ -n "$inc" ] || fail "no candidate.accept audit record"
wait_for one "Incident $inc"
wait_for one "$((n - 1)) open of $((n - 1))"
[ "$(sql "SELECT count(*) FROM alerts WHERE incident_id = $inc")" = $((n - 1)) ] ||
	fail "incident $inc does not hold $((n - 1)) alerts"
[ "$(sql "SELECT status IN ('new', 'acknowledged') AND incident_id IS NULL FROM alerts
	WHERE id = $first")" = t ] || fail "the split-out alert $first left the queue"
[ "$(sql "SELECT details->'split' FROM audit_log WHERE action = 'candidate.accept'
	AND object_id = $inc")" = "[$first]" ] || fail "split not in the audit record"
pass "split one out, accept: the new incident holds the rest, audited"

# Back on the list: the accepted candidate is gone; dismiss the first one.
keys one q
wait_for one "REASON"
run_as bob candidates list --json --limit 1
key2=$(json_get 'd["candidates"][0]["key"]')
shown2=$(json_get 'format(d["total"], ",")')
shown3=$(json_get 'format(d["total"] - 1, ",")')
[ "$key2" != "$key" ] || fail "the accepted candidate is still listed"
wait_for one "row 1 of $shown2"
keys one D
wait_for one "dismiss for how long"
keys one C-u 4h Enter
wait_for one "reason (required)"
keys one Enter
wait_for one "a reason is required"
keys one "smart-charging load test" Enter
wait_for one "dismissed until"
wait_for one "row 1 of $shown3"
[ "$(sql "SELECT count(*) FROM audit_log a JOIN candidate_dismissals d ON d.id = a.object_id
	WHERE a.action = 'candidate.dismiss' AND a.actor = 'bob' AND d.candidate_key = '$key2'
	AND a.details->>'reason' = 'smart-charging load test'
	AND d.until - d.dismissed_at = interval '4 hours'")" = 1 ] || fail "dismissal not audited"
run_as bob candidates list --json --limit 500
[ "$(json_get "sum(1 for c in d['candidates'] if c['key'] == '$key2')")" = 0 ] ||
	fail "the dismissed candidate is still listed"
pass "dismiss with a reason: gone from the list, audited"

# A list longer than the console keeps: lower thresholds (data), paged
# down past the first fetch (keyset after its last row), the selected row
# is the one the CLI lists at that place; G goes to the last.
sql "UPDATE correlation_settings SET min_alerts = 2, min_assets = 1" >/dev/null
run_as bob candidates list --json --limit 1
long=$(json_get 'd["total"]')
[ "$long" -gt 100 ] || fail "only $long candidates with low thresholds"
keys one r
wait_for one "of $(json_get 'format(d["total"], ",")')"
keys one g
wait_for one "row 1 of $(json_get 'format(d["total"], ",")')"
keys one PgDn PgDn PgDn PgDn
sleep 0.5
row=$(screen one | tail -1 | sed -n 's/.*row \([0-9,]*\) of.*/\1/p' | tr -d ,)
[ -n "$row" ] && [ "$row" -gt 60 ] || fail "PgDn x4 reached row '$row'"
run_as bob candidates list --json --limit 1 --offset $((row - 1))
want=$(json_get 'd["candidates"][0]["reason"][:30]')
screen one | grep -qF -- "$want" || fail "row $row is not '$want': $(screen one)"
keys one G
wait_for one "row $(json_get 'format(d["total"], ",")') of"
pass "paging by keyset past the window"

keys one q q
wait_exit one
pass "candidates view"
