# pagelive.sh: pages delivered inside a console and their state live in
# another, at 80x24, against tests/fake/fakepage on 127.0.0.1; no `vsoc
# outbox deliver` runs here.  Console A (alice) pages an incident, console
# B (bob) shows its page pending without a key; console C (carol, a
# vsoc_deliverer member) sends it and B shows it sent.  With PagerDuty
# answering 500 then 202, B shows retrying with the next attempt, then
# sent.  With PagerDuty hanging, C's keys still answer at once, and
# quitting C does not wait for the backend: the page stays pending.
. "$VSOC_SRCDIR/tests/lib.sh"
. "$VSOC_SRCDIR/tests/tui/tmux.sh"
. "$VSOC_SRCDIR/tests/tui/fixtures.sh"
. "$VSOC_SRCDIR/tests/fake/fakepage.sh"
migrate
seed_alerts 12
trap 'fake_stop; tmux_cleanup' EXIT
FAKE_BACKOFF=4s
fake_start --plan pagerduty=ok,500
sql "GRANT vsoc_deliverer TO carol" >/dev/null
i1=$(sql "INSERT INTO incidents (title, severity) VALUES ('Pager one', 4) RETURNING id")
i2=$(sql "INSERT INTO incidents (title, severity) VALUES ('Pager two', 4) RETURNING id")
state() { sql "SELECT string_agg(status || ':' || attempts, ' ' ORDER BY id) FROM outbox
	WHERE incident_id = $1"; }
# open_incident CONSOLE ID: the incident view, from the incident list.
open_incident() {
	keys "$1" I
	wait_for "$1" "incidents: open"
	keys "$1" : "incident $2" Enter
	wait_for "$1" "Incident $2"
	wait_for "$1" "Pages (P pages on-call)"
}

TUI_ENV="PGUSER=alice XDG_CONFIG_HOME=$XDG_CONFIG_HOME"
console A 80 24
TUI_ENV="PGUSER=bob XDG_CONFIG_HOME=$XDG_CONFIG_HOME"
console B 80 24
open_incident A "$i1"
open_incident B "$i1"

# A pages; B shows it pending by itself.  Nobody delivers yet: alice and
# bob are no deliverers, so their consoles send nothing.
keys A P
wait_for A "Page on-call about incident $i1? [y/N]"
keys A y
wait_for A "incident $i1: trigger queued on pd"
wait_for B "pd           trigger     pending" 10
sleep 1
[ "$(state "$i1")" = pending:0 ] || fail "a console that may not deliver sent: $(state "$i1")"
[ "$(fake_requests)" = 0 ] || fail "requests without a deliverer: $(fake_log)"
pass "a page from console A shows pending in console B without a key"

# C delivers: B shows it sent without a key.
TUI_ENV="PGUSER=carol XDG_CONFIG_HOME=$XDG_CONFIG_HOME"
console C 80 24
wait_for B "pd           trigger     sent at" 10
[ "$(state "$i1")" = sent:1 ] || fail "sent once: $(state "$i1")"
[ "$(fake_requests 'r["valid"]')" = 1 ] || fail "one valid request: $(fake_log)"
[ "$(sql "SELECT actor FROM audit_log WHERE action = 'outbox.sent'")" = carol ] ||
	fail "the delivery is carol's"
pass "console C delivers; console B shows the page sent without a key"

# 500, then 202: retrying with its next attempt, then sent, live in B.
keys B q
wait_for B "incidents: open"
keys B : "incident $i2" Enter
wait_for B "Incident $i2"
keys A q
wait_for A "incidents: open"
keys A : "incident $i2" Enter
wait_for A "Incident $i2"
keys A : "page" Enter
wait_for A "Page on-call about incident $i2? [y/N]"
keys A y
wait_for B "pd           trigger     retrying (attempt 1 failed), next at" 10
wait_for B "HTTP 500" 2
wait_for B "pd           trigger     sent at" 15
[ "$(state "$i2")" = sent:2 ] || fail "retried once, then sent: $(state "$i2")"
pass "500 then 202: B shows retrying with the next attempt, then sent"

# A hanging backend: the deliverer's keys answer at once (console D,
# carol again), and quitting it does not
# wait for it; the page stays pending for the next deliverer.
FAKE_TIMEOUT=60s
fake_start --plan pagerduty=hang:40
keys C q
wait_exit C 0
i3=$(sql "INSERT INTO incidents (title, severity) VALUES ('Pager three', 4) RETURNING id")
TUI_ENV="PGUSER=carol XDG_CONFIG_HOME=$XDG_CONFIG_HOME"
console D 80 24
run_as alice incident page "$i3"
expect_rc 0 "page three"
# In flight: D holds the page's row locked while the backend says nothing
# (fakepage logs a request only when it ends).
in_flight() { sql "SELECT count(*) = 0 FROM (SELECT id FROM outbox WHERE incident_id = $i3
	FOR UPDATE SKIP LOCKED) s"; }
n=0
until [ "$(in_flight)" = t ]; do
	n=$((n + 1)); [ $n -lt 100 ] || fail "D did not take the page: $(state "$i3")"; sleep 0.1
done
start=$(date +%s%N)
keys D I
wait_for D "incidents: open" 3
ms=$(( ($(date +%s%N) - start) / 1000000 ))
keys D q
wait_gone D "incidents: open" 3
[ "$(state "$i3")" = pending:0 ] && [ "$(in_flight)" = t ] ||
	fail "the page is in flight, still pending: $(state "$i3")"
pass "a key answers while the backend hangs (${ms} ms)"
start=$(date +%s%N)
keys D Q
wait_exit D 0
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$ms" -lt 5000 ] || fail "quitting waited for the backend: ${ms} ms"
[ "$(state "$i3")" = pending:0 ] && [ "$(in_flight)" = f ] ||
	fail "left pending (and free) for the next deliverer: $(state "$i3")"
[ "$(fake_requests)" = 0 ] || fail "the backend answered before the quit: $(fake_log)"
[ "$(sql "SELECT count(*) FROM audit_log WHERE action LIKE 'outbox.%' AND object_id = $i3")" = 0 ] ||
	fail "an abandoned attempt was recorded"
pass "quitting during a hang ends in ${ms} ms; the page stays pending"
keys A Q
keys B Q
wait_exit A 0
wait_exit B 0
