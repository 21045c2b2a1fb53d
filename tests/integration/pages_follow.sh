#!/bin/sh
# tests/integration/pages_follow.sh: acknowledge and resolve follow the
# incident (core/outbox_follow.h).  A status change out of open writes an
# acknowledge row, closing a resolve row, for the PagerDuty channels the
# incident was triggered on, in the same transaction as the change and
# its audit record; reopening after a resolve triggers again; a failed
# trigger and the other channels get no follow-up; a merge resolves the
# merged incident; one channel's pages of one incident go out in order,
# and two deliverers at once send each follow-up once.
. "$VSOC_SRCDIR/tests/lib.sh"
. "$VSOC_SRCDIR/tests/fake/fakepage.sh"
migrate
trap 'fake_stop' EXIT
fake_start
# A Slack channel too, for "only PagerDuty follows".
printf 'slack_url = %s/slack/services/T1/B2/X3\n' "$base" >>"$XDG_CONFIG_HOME/vsoc/secrets"
printf '[channel chat]\ntype = slack\nurl_secret = slack_url\nseverities = all\n' \
	>>"$XDG_CONFIG_HOME/vsoc/config"

incident() {	# incident TITLE SEVERITY: a new incident's id
	sql "INSERT INTO incidents (title, severity) VALUES ('$1', $2) RETURNING id"
}
rows() {	# rows INCIDENT: "channel:action:status" of its pages, in order
	sql "SELECT string_agg(channel || ':' || action || ':' || status, ' ' ORDER BY id)
	     FROM outbox WHERE incident_id = $1"
}
# same_xact INCIDENT ACTION: the incident's last ACTION row was written by
# the transaction of its last audit record and of its last change.
same_xact() {
	sql "SELECT (SELECT xmin FROM outbox WHERE incident_id = $1 AND action = '$2'
	             ORDER BY id DESC LIMIT 1)::text
	          = (SELECT xmin FROM audit_log WHERE object_kind = 'incident' AND object_id = $1
	             ORDER BY seq DESC LIMIT 1)::text
	     AND (SELECT xmin FROM incidents WHERE id = $1)::text
	          = (SELECT xmin FROM audit_log WHERE object_kind = 'incident' AND object_id = $1
	             ORDER BY seq DESC LIMIT 1)::text"
}

# --- acknowledge when it leaves open, resolve when it closes ------------------
i=$(incident 'Follow me' 4)
run incident page "$i"
expect_rc 0 "page"
[ "$(rows "$i")" = "pd:trigger:pending chat:trigger:pending" ] || fail "paged: $(rows "$i")"
run_as bob incident status "$i" triage --json
expect_rc 0 "triage"
[ "$(rows "$i")" = "pd:trigger:pending chat:trigger:pending pd:acknowledge:pending" ] ||
	fail "leaving open acknowledges on PagerDuty only: $(rows "$i")"
[ "$(same_xact "$i" acknowledge)" = t ] || fail "acknowledge not in the status change's transaction"
[ "$(sql "SELECT details -> 'pages' -> 0 ->> 'page' FROM audit_log WHERE action = 'incident.status'
	AND object_id = $i ORDER BY seq DESC LIMIT 1")" = acknowledge ] ||
	fail "the status change's audit record names the page"
run_as bob incident status "$i" containment
[ "$(sql "SELECT count(*) FROM outbox WHERE incident_id = $i AND action = 'acknowledge'")" = 1 ] ||
	fail "acknowledged once, not at every working phase"
run_as bob incident status "$i" open --reason "not ours yet"
expect_rc 0 "back to open"
[ "$(sql "SELECT count(*) FROM outbox WHERE incident_id = $i")" = 3 ] ||
	fail "back to open pages nobody: $(rows "$i")"
run_as bob incident status "$i" closed --resolution "keys rotated"
expect_rc 0 "close"
[ "$(sql "SELECT action FROM outbox WHERE incident_id = $i ORDER BY id DESC LIMIT 1")" = resolve ] ||
	fail "closing resolves: $(rows "$i")"
[ "$(sql "SELECT count(*) FROM outbox WHERE incident_id = $i AND channel = 'chat'")" = 1 ] ||
	fail "Slack has no follow-up: $(rows "$i")"
[ "$(same_xact "$i" resolve)" = t ] || fail "resolve not in the close's transaction"
pass "leaving open acknowledges, closing resolves, in the change's transaction; PagerDuty only"

# --- a change that fails writes no page ---------------------------------------
j=$(incident 'Refused change' 4)
run incident page "$j"
run_as bob incident status "$j" closed
expect_rc 2 "close without a resolution"
[ "$(sql "SELECT count(*) FROM outbox WHERE incident_id = $j")" = 2 ] ||
	fail "a refused close wrote a page: $(rows "$j")"
run_as erin incident status "$j" triage
expect_rc 5 "a viewer's status change"
[ "$(sql "SELECT count(*) FROM outbox WHERE incident_id = $j")" = 2 ] ||
	fail "a refused change wrote a page: $(rows "$j")"
pass "a refused status change writes no follow-up"

# --- reopen after resolve triggers again ---------------------------------------
run outbox deliver
expect_rc 0 "deliver: $err"
run_as bob incident status "$i" recovery --reason "the principal is back"
expect_rc 0 "reopen into recovery"
[ "$(sql "SELECT string_agg(action || ':' || status, ' ' ORDER BY id) FROM outbox
	WHERE incident_id = $i AND channel = 'pd' AND status = 'pending'")" = \
	"trigger:pending acknowledge:pending" ] || fail "reopen into recovery: $(rows "$i")"
[ "$(same_xact "$i" trigger)" = t ] || fail "the new trigger not in the reopen's transaction"
run outbox deliver
expect_rc 0 "deliver the reopen"
[ "$(fake_requests 'r["route"] == "pagerduty" and r["valid"] and r["body"]["dedup_key"] == "vsoc-incident-'"$i"'"')" = 5 ] ||
	fail "trigger, acknowledge, resolve, trigger, acknowledge: $(fake_log)"
[ "$(python3 - "$FAKE_LOG" "$i" <<'EOF_PY'
import json, sys
print(" ".join(r["body"]["event_action"] for r in map(json.loads, open(sys.argv[1]))
               if r["route"] == "pagerduty" and r["body"]["dedup_key"] == "vsoc-incident-" + sys.argv[2]))
EOF_PY
)" = "trigger acknowledge resolve trigger acknowledge" ] || fail "order at PagerDuty: $(fake_log)"
k=$(incident 'Reopened to open' 5)
run incident page "$k"
run_as bob incident status "$k" closed --resolution "false alarm"
run_as bob incident status "$k" open --reason "it was not"
[ "$(sql "SELECT string_agg(action, ' ' ORDER BY id) FROM outbox WHERE incident_id = $k
	AND channel = 'pd'")" = "trigger resolve trigger" ] || fail "reopen into open: $(rows "$k")"
pass "reopening after a resolve triggers again (and acknowledges past open), sent in order"

# --- a failed trigger is followed by nothing ----------------------------------
fake_start --plan pagerduty=400
sql "UPDATE outbox SET status = 'sent' WHERE status IN ('pending', 'retrying')" >/dev/null
f=$(incident 'Bad key' 4)
run incident page "$f"
run outbox deliver
[ "$(sql "SELECT status FROM outbox WHERE incident_id = $f AND channel = 'pd'")" = failed ] ||
	fail "the trigger failed: $(rows "$f")"
run_as bob incident status "$f" triage
run_as bob incident status "$f" closed --resolution "done"
[ "$(sql "SELECT count(*) FROM outbox WHERE incident_id = $f AND channel = 'pd'")" = 1 ] ||
	fail "a failed trigger was followed up: $(rows "$f")"
pass "no follow-up for a trigger that failed"

# --- a merge resolves the merged incident --------------------------------------
fake_start
a=$(incident 'Merge target' 4)
b=$(incident 'Merged away' 4)
run incident page "$b"
run_as bob incident merge "$b" --into "$a"
expect_rc 0 "merge: $err"
[ "$(sql "SELECT action FROM outbox WHERE incident_id = $b AND channel = 'pd' ORDER BY id DESC LIMIT 1")" = resolve ] ||
	fail "the merged incident resolved: $(rows "$b")"
[ "$(sql "SELECT count(*) FROM outbox WHERE incident_id = $a")" = 0 ] || fail "the target paged"
pass "a merge resolves the merged incident's page"

# --- one channel's pages of one incident go out in order -----------------------
sql "UPDATE outbox SET status = 'sent' WHERE status IN ('pending', 'retrying')" >/dev/null
FAKE_BACKOFF=1s
fake_start --plan pagerduty=500
o=$(incident 'Order' 4)
run incident page "$o"
run_as bob incident status "$o" triage
run outbox deliver
[ "$(sql "SELECT string_agg(action || ':' || status, ' ' ORDER BY id) FROM outbox
	WHERE incident_id = $o AND channel = 'pd'")" = "trigger:retrying acknowledge:pending" ] ||
	fail "the acknowledge waits for its trigger: $(rows "$o")"
[ "$(fake_requests 'r["route"] == "pagerduty"')" = 1 ] || fail "only the trigger tried: $(fake_log)"
sql "UPDATE outbox SET next_attempt = now() WHERE incident_id = $o" >/dev/null
run outbox deliver
[ "$(sql "SELECT string_agg(action || ':' || status, ' ' ORDER BY id) FROM outbox
	WHERE incident_id = $o AND channel = 'pd'")" = "trigger:sent acknowledge:sent" ] ||
	fail "then both, in order: $(rows "$o")"
pass "an acknowledge waits while its trigger is retried"

# --- two deliverers at once: each follow-up sent once, in order ------------------
fake_start
sql "UPDATE outbox SET status = 'sent' WHERE status IN ('pending', 'retrying')" >/dev/null
n=0
while [ $n -lt 15 ]; do
	x=$(incident "race $n" 4)
	PGUSER=bob "$VSOC" incident page "$x" >/dev/null || fail "page race $n"
	PGUSER=bob "$VSOC" incident status "$x" triage >/dev/null || fail "triage race $n"
	PGUSER=bob "$VSOC" incident status "$x" closed --resolution done >/dev/null ||
		fail "close race $n"
	n=$((n + 1))
done
[ "$(sql "SELECT count(*) FROM outbox WHERE status = 'pending' AND channel = 'pd'")" = 45 ] ||
	fail "45 pending PagerDuty pages"
PGUSER=bob "$VSOC" outbox deliver --json >"$VSOC_TEST_TMP/d1" 2>&1 &
d1=$!
PGUSER=carol "$VSOC" outbox deliver --json >"$VSOC_TEST_TMP/d2" 2>&1 &
d2=$!
wait $d1 || fail "deliverer 1: $(cat "$VSOC_TEST_TMP/d1")"
wait $d2 || fail "deliverer 2: $(cat "$VSOC_TEST_TMP/d2")"
# A deliverer may find an incident's next page not yet due (its trigger
# was in the other's hands): what is left goes out on a last pass.
run outbox deliver
[ "$(fake_requests 'r["route"] == "pagerduty"')" = 45 ] ||
	fail "45 PagerDuty requests: $(fake_requests 'r["route"] == "pagerduty"')"
[ "$(python3 - "$FAKE_LOG" <<'EOF_PY'
import json, sys
seen, order = set(), {}
for r in map(json.loads, open(sys.argv[1])):
    if r["route"] != "pagerduty":
        continue
    k = (r["body"]["dedup_key"], r["body"]["event_action"])
    if k in seen:
        print("twice", k); sys.exit()
    seen.add(k)
    order.setdefault(k[0], []).append(k[1])
bad = [k for k, v in order.items() if v != ["trigger", "acknowledge", "resolve"]]
print("bad order %s" % bad if bad else "ok")
EOF_PY
)" = ok ] || fail "two deliverers: a page twice or out of order: $(fake_log)"
pass "two deliverers at once: every follow-up sent once, after its trigger"
