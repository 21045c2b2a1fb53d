#!/bin/sh
# tests/integration/outbox.sh: on-call pages through the outbox, against
# tests/fake/fakepage (a PagerDuty/Opsgenie/Slack/webhook stand-in on
# 127.0.0.1 with fault injection): every channel delivered, 429 honours
# Retry-After, 500 and a dropped connection and a timeout retried then
# sent, 400 failed at once with the backend's message, attempts bounded,
# follow-ups, two deliverers at once send each page once, the deliverer
# group role, a world-readable secrets file refused, and no secret in the
# outbox, the audit log or any output.
. "$VSOC_SRCDIR/tests/lib.sh"
migrate
FAKE=$VSOC_BUILDDIR/tests/fake/fakepage
[ -x "$FAKE" ] || fail "$FAKE not built"

PD_KEY=0123456789abcdefPDKEY0123456789a
GENIE_KEY=genie-SECRET-4711
HOOK_TOKEN=hook-SECRET-0815
SLACK_PATH=/services/T0001/B0002/SLACKSECRETPATH
export XDG_CONFIG_HOME=$VSOC_TEST_TMP/xdg
mkdir -p "$XDG_CONFIG_HOME/vsoc"
umask 077
printf 'pd_key = %s\ngenie = %s\nhook = %s\nslack_url = PLACEHOLDER\n' \
	"$PD_KEY" "$GENIE_KEY" "$HOOK_TOKEN" >"$XDG_CONFIG_HOME/vsoc/secrets"
umask 022
LOG=$VSOC_TEST_TMP/fake.log
fake_pid=
cleanup_fake() {
	[ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null && wait "$fake_pid" 2>/dev/null
	fake_pid=
}
trap 'cleanup_fake' EXIT

# start_fake [--plan ROUTE=FAULTS]...: a fresh server and a fresh log; the
# settings and the Slack URL secret point at its port.
TIMEOUT=5
start_fake() {
	cleanup_fake
	rm -f "$VSOC_TEST_TMP/port" "$LOG"
	"$FAKE" --port-file "$VSOC_TEST_TMP/port" --log "$LOG" --pd-key "$PD_KEY" \
		--genie-key "$GENIE_KEY" --token "$HOOK_TOKEN" --slack-path "$SLACK_PATH" "$@" &
	fake_pid=$!
	i=0
	while [ ! -s "$VSOC_TEST_TMP/port" ]; do
		i=$((i + 1)); [ $i -lt 100 ] || fail "fakepage did not start"; sleep 0.05
	done
	port=$(cat "$VSOC_TEST_TMP/port")
	base=http://127.0.0.1:$port
	sed -i "s|^slack_url = .*|slack_url = $base/slack$SLACK_PATH|" "$XDG_CONFIG_HOME/vsoc/secrets"
	cat >"$XDG_CONFIG_HOME/vsoc/config" <<EOF_CFG
[outbox]
max_attempts = ${MAX_ATTEMPTS:-5}
backoff = 1s
backoff_max = 2s
[channel pd]
type = pagerduty
url = $base/pagerduty/v2/enqueue
secret = pd_key
severities = high+
timeout = ${TIMEOUT}s
connect_timeout = 1s
[channel og]
type = opsgenie
url = $base/opsgenie/v2/alerts
secret = genie
severities = critical
timeout = ${TIMEOUT}s
connect_timeout = 1s
[channel chat]
type = slack
url_secret = slack_url
severities = all
timeout = ${TIMEOUT}s
connect_timeout = 1s
[channel hook]
type = webhook
url = $base/webhook/vsoc
secret = hook
severities = all
timeout = ${TIMEOUT}s
connect_timeout = 1s
EOF_CFG
}

# requests [PYTHON FILTER on r]: how many requests the server logged.
requests() {
	python3 - "$LOG" "${1:-True}" <<'EOF_PY'
import json, sys
n = 0
try:
    lines = open(sys.argv[1]).read().splitlines()
except FileNotFoundError:
    lines = []
for l in lines:
    r = json.loads(l)
    if eval(sys.argv[2]):
        n += 1
print(n)
EOF_PY
}

incident() {	# incident TITLE SEVERITY: a new incident's id
	sql "INSERT INTO incidents (title, severity) VALUES ('$1', $2) RETURNING id"
}
state_of() {	# state_of OUTBOX_ID
	sql "SELECT status || ':' || attempts FROM outbox WHERE id = $1"
}
outbox_ids() {	# outbox_ids INCIDENT [CHANNEL]
	sql "SELECT id FROM outbox WHERE incident_id = $1 ${2:+AND channel = '$2'} ORDER BY id"
}

start_fake
run config check
expect_rc 0 "config check"
expect_contains "$out" "4 channels"

# --- every channel, routed by severity ---------------------------------------
I1=$(incident 'Firmware from <!channel> evil.example' 5)
run outbox page "$I1"
expect_rc 0 "outbox page"
expect_contains "$out" "queued on pd"
expect_contains "$out" "queued on og"
expect_contains "$out" "queued on chat"
expect_contains "$out" "queued on hook"
[ "$(sql "SELECT count(*) FROM outbox WHERE incident_id = $I1 AND status = 'pending'")" = 4 ] ||
	fail "four pending pages"
[ "$(sql "SELECT count(*) FROM audit_log WHERE action = 'incident.page' AND object_id = $I1
	AND actor = 'alice'")" = 1 ] || fail "one incident.page audit record by alice"
I2=$(incident 'Low one' 2)
run outbox page "$I2" --json
expect_rc 0 "outbox page low"
[ "$(json_get 'sorted(d["channels"])')" = "['chat', 'hook']" ] || fail "low pages chat and hook only: $out"
I3=$(incident 'High one' 4)
run incident page "$I3" --json
expect_rc 0 "incident page (the same command under incident)"
[ "$(json_get 'sorted(d["channels"])')" = "['chat', 'hook', 'pd']" ] || fail "high pages pd too: $out"
run outbox page 999999
expect_rc 4 "page a missing incident"
run_as erin outbox page "$I1"
expect_rc 5 "a viewer pages"
pass "pages routed by severity, one audit record each, viewers refused"

run outbox deliver
expect_rc 0 "deliver"
[ "$(sql "SELECT count(*) FROM outbox WHERE status = 'sent'")" = 9 ] || fail "nine sent: $(sql 'SELECT id, channel, status, last_error FROM outbox')"
[ "$(requests)" = 9 ] || fail "nine requests: $(cat "$LOG")"
[ "$(requests 'r["valid"]')" = 9 ] || fail "every request met its contract: $(cat "$LOG")"
[ "$(requests 'r["route"] == "pagerduty" and r["body"]["dedup_key"] == "vsoc-incident-'"$I1"'"')" = 1 ] ||
	fail "PagerDuty: the incident is the dedup key"
[ "$(requests 'r["route"] == "opsgenie" and r["auth"] == "GenieKey '"$GENIE_KEY"'"')" = 1 ] ||
	fail "Opsgenie: GenieKey header"
[ "$(requests 'r["route"] == "slack" and "&lt;!channel&gt;" in r["body"]["text"]')" = 1 ] ||
	fail "Slack: markup escaped"
[ "$(requests 'r["route"] == "webhook" and r["auth"] == "Bearer '"$HOOK_TOKEN"'"')" = 3 ] ||
	fail "webhook: bearer token"
[ "$(sql "SELECT count(*) FROM audit_log WHERE action = 'outbox.sent' AND actor = 'alice'")" = 9 ] ||
	fail "each delivery audited as the deliverer"
run outbox deliver
expect_rc 0 "deliver again"
[ "$(requests)" = 9 ] || fail "nothing sent twice"
run outbox list --state sent --json
expect_rc 0 "outbox list"
[ "$(json_get 'len(d["outbox"])')" = 9 ] || fail "list --state sent: $out"
pass "PagerDuty, Opsgenie, Slack and webhook delivered once each, audited"

# --- follow-ups ------------------------------------------------------------------
run outbox page "$I1" --action resolve --json
expect_rc 0 "resolve"
[ "$(json_get 'sorted(d["channels"])')" = "['chat', 'hook', 'og', 'pd']" ] || fail "resolve where triggered: $out"
run outbox page "$I2" --action acknowledge
expect_rc 0 "acknowledge"
I4=$(incident 'never paged' 5)
run outbox page "$I4" --action resolve
expect_rc 1 "resolve a never-paged incident"
expect_contains "$err" "never paged"
run outbox deliver
expect_rc 0 "deliver follow-ups"
[ "$(requests 'r["route"] == "pagerduty" and r["body"]["event_action"] == "resolve" and r["valid"]')" = 1 ] ||
	fail "PagerDuty resolve"
[ "$(requests 'r["route"] == "opsgenie" and r["path"].endswith("/vsoc-incident-'"$I1"'/close?identifierType=alias") and r["valid"]')" = 1 ] ||
	fail "Opsgenie close by alias: $(cat "$LOG")"
pass "acknowledge and resolve follow the trigger's channels"

# --- faults ------------------------------------------------------------------------
page_pd() {	# a fresh incident paged on pd only (severity high: og is critical only)
	_i=$(incident "fault $1" 4)
	PGUSER=alice "$VSOC" outbox page "$_i" >/dev/null || fail "page for $1"
	sql "DELETE FROM outbox WHERE incident_id = $_i AND channel <> 'pd'" >/dev/null
	outbox_ids "$_i" pd
}

# The machine may be loaded: what must not happen before a time is tested
# with a long Retry-After, and the wait is skipped by moving the clock of
# the row (as the DBA), not by sleeping.
start_fake --plan pagerduty=429:40
o=$(page_pd 429)
run outbox deliver --json
expect_rc 0 "deliver 429"
[ "$(state_of "$o")" = retrying:1 ] || fail "429: retrying, got $(state_of "$o")"
[ "$(json_get 'd["results"][0]["retry_in"]')" = 40 ] || fail "429: Retry-After 40 honoured: $out"
wait_s=$(sql "SELECT round(extract(epoch FROM next_attempt - updated_at)) FROM outbox WHERE id = $o")
[ "$wait_s" = 40 ] || fail "429: next attempt 40 s later, got $wait_s"
run outbox list --state retrying --json
[ "$(json_get 'd["outbox"][0]["code"]')" = 429 ] || fail "429 in the list: $out"
[ "$(json_get 'd["outbox"][0]["next_attempt"] is not None')" = True ] || fail "next attempt listed"
run outbox deliver
[ "$(requests)" = 1 ] || fail "429: retried before Retry-After: $(cat "$LOG")"
sql "UPDATE outbox SET next_attempt = now() WHERE id = $o" >/dev/null
run outbox deliver
[ "$(state_of "$o")" = sent:2 ] || fail "429 then sent, got $(state_of "$o")"
pass "429: Retry-After honoured, then sent"

start_fake --plan pagerduty=500
o=$(page_pd 500)
run outbox deliver
[ "$(state_of "$o")" = retrying:1 ] || fail "500: retrying"
expect_contains "$out" "HTTP 500, server error: rollup_error"
sleep 1.1
run outbox deliver
[ "$(state_of "$o")" = sent:2 ] || fail "500 then sent, got $(state_of "$o")"
pass "500: retried, then sent"

start_fake --plan pagerduty=400
o=$(page_pd 400)
run outbox deliver
expect_rc 1 "deliver with a 400"
[ "$(state_of "$o")" = failed:1 ] || fail "400: failed at once, got $(state_of "$o")"
run outbox list --state failed
expect_contains "$out" "HTTP 400, refused: not retried"
expect_contains "$out" "Event object is invalid"
sleep 1.1
run outbox deliver
[ "$(requests)" = 1 ] || fail "400: never retried"
[ "$(sql "SELECT count(*) FROM audit_log WHERE action = 'outbox.failed' AND object_id =
	(SELECT incident_id FROM outbox WHERE id = $o)")" = 1 ] || fail "failure audited"
pass "400: failed without retry, the backend's message shown"

start_fake --plan pagerduty=drop
o=$(page_pd drop)
run outbox deliver
[ "$(state_of "$o")" = retrying:1 ] || fail "drop: retrying"
expect_contains "$(sql "SELECT last_error FROM outbox WHERE id = $o")" "no reply"
sleep 1.1
run outbox deliver
[ "$(state_of "$o")" = sent:2 ] || fail "drop then sent"
pass "dropped connection: retried, then sent"

TIMEOUT=1
start_fake --plan pagerduty=hang:4
o=$(page_pd hang)
run outbox deliver
[ "$(state_of "$o")" = retrying:1 ] || fail "timeout: retrying, got $(state_of "$o")"
# Timed out by the 1 s timeout, not closed by the server 4 s later.
expect_contains "$(sql "SELECT last_error FROM outbox WHERE id = $o")" "imed out"
sleep 4.2
run outbox deliver
[ "$(state_of "$o")" = sent:2 ] || fail "timeout then sent, got $(state_of "$o"): $(sql "SELECT last_error FROM outbox WHERE id = $o")"
TIMEOUT=5
pass "timeout: retried, then sent"

MAX_ATTEMPTS=2
start_fake --plan pagerduty=500,500,500
o=$(page_pd max)
run outbox deliver
sleep 1.1
run outbox deliver
expect_rc 1 "the last attempt fails"
[ "$(state_of "$o")" = failed:2 ] || fail "max attempts: failed after 2, got $(state_of "$o")"
expect_contains "$(sql "SELECT last_error FROM outbox WHERE id = $o")" "gave up"
MAX_ATTEMPTS=5
pass "attempts bounded: failed after max_attempts"

# --- two deliverers at once ------------------------------------------------------
start_fake
sql "UPDATE outbox SET status = 'sent' WHERE status IN ('pending', 'retrying')" >/dev/null
n=0
while [ $n -lt 30 ]; do
	i=$(incident "race $n" 1)
	PGUSER=bob "$VSOC" outbox page "$i" >/dev/null || fail "page race $n"
	n=$((n + 1))
done
[ "$(sql "SELECT count(*) FROM outbox WHERE status = 'pending'")" = 60 ] || fail "60 pending"
PGUSER=bob "$VSOC" outbox deliver --json >"$VSOC_TEST_TMP/d1" 2>&1 &
d1=$!
PGUSER=carol "$VSOC" outbox deliver --json >"$VSOC_TEST_TMP/d2" 2>&1 &
d2=$!
wait $d1 || fail "deliverer 1: $(cat "$VSOC_TEST_TMP/d1")"
wait $d2 || fail "deliverer 2: $(cat "$VSOC_TEST_TMP/d2")"
[ "$(requests)" = 60 ] || fail "two deliverers: $(requests) requests for 60 pages"
[ "$(python3 - "$LOG" <<'EOF_PY'
import json, sys
keys = [(r["route"], r["body"].get("dedup_key") or r["body"]["text"]) for r in map(json.loads, open(sys.argv[1]))]
print(len(set(keys)))
EOF_PY
)" = 60 ] || fail "two deliverers: a page sent twice"
[ "$(sql "SELECT count(*) FROM outbox WHERE status = 'sent' AND incident_id IN
	(SELECT id FROM incidents WHERE title LIKE 'race %')")" = 60 ] || fail "all 60 sent"
s1=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sent"])' "$VSOC_TEST_TMP/d1")
s2=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["sent"])' "$VSOC_TEST_TMP/d2")
[ $((s1 + s2)) = 60 ] || fail "the deliverers' counts add up: $s1 + $s2"
pass "two deliverers at once: each page sent once ($s1 + $s2)"

# --- --once and --follow --------------------------------------------------------
i=$(incident 'once' 1)
run outbox page "$i"
run outbox deliver --once --json
expect_rc 0 "deliver --once"
[ "$(json_get 'd["sent"]')" = 1 ] || fail "--once sends one: $out"
[ "$(sql "SELECT count(*) FROM outbox WHERE incident_id = $i AND status = 'pending'")" = 1 ] ||
	fail "--once leaves the other page"
run outbox deliver --once --follow
expect_rc 2 "--once --follow"
PGUSER=bob "$VSOC" outbox deliver --follow >"$VSOC_TEST_TMP/follow" 2>&1 &
fpid=$!
i=$(incident 'followed' 1)
run outbox page "$i"
n=0
until [ "$(sql "SELECT count(*) FROM outbox WHERE incident_id = $i AND status = 'sent'")" = 2 ]; do
	n=$((n + 1)); [ $n -lt 200 ] || fail "--follow did not deliver: $(cat "$VSOC_TEST_TMP/follow")"
	sleep 0.1
done
kill -TERM $fpid
wait $fpid || fail "--follow stops cleanly on SIGTERM: $(cat "$VSOC_TEST_TMP/follow")"
expect_contains "$(cat "$VSOC_TEST_TMP/follow")" "(incident $i, hook trigger): sent"
pass "deliver --once sends one page, --follow delivers new pages as they come"

# --- the deliverer role ------------------------------------------------------------
sql "CREATE ROLE pager LOGIN IN ROLE vsoc_deliverer" >/dev/null
i=$(incident 'for the pager' 1)
run outbox page "$i"
run_as pager outbox deliver
expect_rc 0 "the deliverer role delivers: $err"
[ "$(sql "SELECT count(*) FROM audit_log WHERE actor = 'pager' AND action = 'outbox.sent'")" = 2 ] ||
	fail "audited as the deliverer's session user"
out=$(sql_as pager "UPDATE outbox SET status = 'pending'")
expect_contains "$out" "permission denied"
out=$(sql_as pager "SELECT count(*) FROM alerts")
expect_contains "$out" "permission denied"
out=$(sql_as pager "SELECT vsoc_outbox_result($o, 'sent', 0, 200, NULL)")
expect_contains "$out" "already failed"
# Nobody marks a page sent without claiming (and sending) it.
i=$(incident 'not to be faked' 1)
run outbox page "$i"
p1=$(outbox_ids "$i" | head -1)
out=$(sql_as bob "SELECT vsoc_outbox_result($p1, 'sent', 0, 200, NULL)")
expect_contains "$out" "was not claimed by this transaction"
[ "$(state_of "$p1")" = pending:0 ] || fail "a page marked sent unsent"
out=$(sql_as bob "BEGIN; SELECT id FROM vsoc_outbox_claim('{chat,hook}');
	SELECT vsoc_outbox_result($p1, 'failed', 0, NULL, 'x'); COMMIT")
expect_contains "$out" "$p1"
[ "$(state_of "$p1")" = failed:1 ] || fail "the claiming transaction records: $(state_of "$p1")"
run outbox deliver
run_as erin outbox deliver
expect_rc 5 "a viewer cannot deliver"
# An analyst writes rows only as pending, and only with an audit record.
out=$(sql_as bob "INSERT INTO outbox (incident_id, channel, payload) VALUES ($i, 'pd', '{}')")
expect_contains "$out" "audit log in the same transaction"
out=$(sql_as bob "BEGIN; INSERT INTO outbox (incident_id, channel, payload, status, attempts)
	VALUES ($i, 'pd', '{}', 'sent', 7) RETURNING status || ':' || attempts;
	SELECT audit_record('incident.page', 'incident', $i, '{}', '{}'); ROLLBACK")
expect_contains "$out" "pending:0"
out=$(sql_as bob "UPDATE outbox SET status = 'sent'")
expect_contains "$out" "permission denied"
pass "vsoc_deliverer: delivers and is audited as itself, nothing more; analysts insert pending only"

# --- secrets -------------------------------------------------------------------------
chmod 644 "$XDG_CONFIG_HOME/vsoc/secrets"
run outbox deliver
expect_rc 1 "deliver with a world-readable secrets file"
expect_contains "$err" "chmod 600 $XDG_CONFIG_HOME/vsoc/secrets"
run config check
expect_rc 1 "config check with a world-readable secrets file"
expect_contains "$err" "chmod 600"
chmod 600 "$XDG_CONFIG_HOME/vsoc/secrets"
sed -i 's/^secret = hook$/secret = nohook/' "$XDG_CONFIG_HOME/vsoc/config"
run config check
expect_rc 1 "config check with a missing secret"
expect_contains "$err" "config:28: channel hook: secret 'nohook' is not set"
VSOC_SECRET_NOHOOK=x run config check
expect_rc 0 "the secret from the environment: $err"
sed -i 's/^severities = critical$/severities = urgent/' "$XDG_CONFIG_HOME/vsoc/config"
run config check --json
expect_rc 2 "config check with a bad line"
expect_contains "$(json_get 'd["errors"][0]')" "config:16: severities takes"
pass "secrets file refused with the chmod hint; config check names file:line"

start_fake
run config show
run config show --json
show=$out
run outbox list --json
list=$out
run audit list --json --limit 1000
audit=$out
dump=$(sql "SELECT string_agg(o::text, ' ') FROM outbox o")$(sql "SELECT string_agg(a::text, ' ') FROM audit_log a")
for s in "$PD_KEY" "$GENIE_KEY" "$HOOK_TOKEN" SLACKSECRETPATH; do
	for where in show list audit dump; do
		eval "v=\$$where"
		expect_not_contains "$v" "$s" "$where"
	done
done
[ "$(sql "SELECT count(*) FROM outbox")" -gt 60 ] || fail "the dump read the outbox"
pass "no secret in config show, outbox list --json, the audit log or the database"

# --- TLS: verification on, the CA bundle configurable ---------------------------
cleanup_fake
tls=$VSOC_TEST_TMP/tls
mkdir -p "$tls"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tls/key.pem" -out "$tls/cert.pem" \
	-days 2 -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" 2>/dev/null ||
	fail "openssl could not make a test certificate"
python3 - "$tls" <<'EOF_PY' &
import http.server, ssl, sys, os
d = sys.argv[1]
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        open(os.path.join(d, "hits"), "a").write(self.path + "\n")
        self.send_response(200); self.send_header("Content-Length", "2"); self.end_headers()
        self.wfile.write(b"{}")
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(os.path.join(d, "cert.pem"), os.path.join(d, "key.pem"))
s.socket = ctx.wrap_socket(s.socket, server_side=True)
open(os.path.join(d, "port.tmp"), "w").write(str(s.server_address[1]))
os.rename(os.path.join(d, "port.tmp"), os.path.join(d, "port"))
s.serve_forever()
EOF_PY
fake_pid=$!
n=0
while [ ! -s "$tls/port" ]; do
	n=$((n + 1)); [ $n -lt 100 ] || fail "the TLS server did not start"; sleep 0.05
done
cat >"$XDG_CONFIG_HOME/vsoc/config" <<EOF_CFG
[outbox]
backoff = 1s
[channel tls]
type = webhook
url = https://127.0.0.1:$(cat "$tls/port")/hook
severities = all
timeout = 5s
EOF_CFG
sql "UPDATE outbox SET status = 'failed' WHERE status IN ('pending', 'retrying')" >/dev/null
i=$(incident 'over TLS' 3)
run outbox page "$i"
expect_rc 0 "page over TLS"
o=$(outbox_ids "$i" tls)
run outbox deliver
[ "$(state_of "$o")" = retrying:1 ] || fail "self-signed: refused and retried, got $(state_of "$o")"
expect_contains "$(sql "SELECT last_error FROM outbox WHERE id = $o")" "certificate"
[ ! -e "$tls/hits" ] || fail "nothing reached an unverified server"
echo "ca_bundle = $tls/cert.pem" >>"$XDG_CONFIG_HOME/vsoc/config"
run config check
expect_rc 0 "config check with a CA bundle: $err"
sql "UPDATE outbox SET next_attempt = now() WHERE id = $o" >/dev/null
run outbox deliver
[ "$(state_of "$o")" = sent:2 ] || fail "with the CA bundle: sent, got $(state_of "$o"): $(sql "SELECT last_error FROM outbox WHERE id = $o")"
[ "$(cat "$tls/hits")" = /hook ] || fail "the TLS server got the page"
echo "ca_bundle = $tls/none.pem" >>"$XDG_CONFIG_HOME/vsoc/config"
run config check
expect_rc 1 "config check with a missing CA bundle"
expect_contains "$err" "config:9: channel tls: ca_bundle $tls/none.pem"
pass "TLS: an unknown certificate refused, trusted through ca_bundle"
