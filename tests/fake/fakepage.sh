# tests/fake/fakepage.sh: tests/fake/fakepage for a shell test (sourced
# after tests/lib.sh): a PagerDuty stand-in on 127.0.0.1 and a settings
# file with one channel, pd, and its secret.
#
#   fake_start [--plan pagerduty=FAULTS]   (re)start it; sets $base
#   fake_requests [PYTHON FILTER on r]     how many requests it logged
#   fake_log                               the log, one JSON line a request
#
# Settings: $FAKE_TIMEOUT (the channel's timeout, default 5s) and
# $FAKE_BACKOFF (the first retry's wait, default 1s).
FAKE=$VSOC_BUILDDIR/tests/fake/fakepage
[ -x "$FAKE" ] || fail "$FAKE not built"
FAKE_PD_KEY=0123456789abcdefPDKEY0123456789a
export XDG_CONFIG_HOME=$VSOC_TEST_TMP/xdg
mkdir -p "$XDG_CONFIG_HOME/vsoc"
(umask 077 && printf 'pd_key = %s\n' "$FAKE_PD_KEY" >"$XDG_CONFIG_HOME/vsoc/secrets")
FAKE_LOG=$VSOC_TEST_TMP/fake.log
fake_pid=
fake_stop() {
	[ -n "$fake_pid" ] && kill "$fake_pid" 2>/dev/null && wait "$fake_pid" 2>/dev/null
	fake_pid=
}

fake_start() {
	fake_stop
	rm -f "$VSOC_TEST_TMP/port" "$FAKE_LOG"
	"$FAKE" --port-file "$VSOC_TEST_TMP/port" --log "$FAKE_LOG" --pd-key "$FAKE_PD_KEY" \
		--slack-path /services/T1/B2/X3 "$@" &
	fake_pid=$!
	_i=0
	while [ ! -s "$VSOC_TEST_TMP/port" ]; do
		_i=$((_i + 1)); [ $_i -lt 100 ] || fail "fakepage did not start"; sleep 0.05
	done
	base=http://127.0.0.1:$(cat "$VSOC_TEST_TMP/port")
	cat >"$XDG_CONFIG_HOME/vsoc/config" <<EOF_CFG
[outbox]
max_attempts = 5
backoff = ${FAKE_BACKOFF:-1s}
backoff_max = ${FAKE_BACKOFF:-1s}
[channel pd]
type = pagerduty
url = $base/pagerduty/v2/enqueue
secret = pd_key
severities = high+
timeout = ${FAKE_TIMEOUT:-5s}
connect_timeout = 1s
EOF_CFG
}

fake_log() {
	cat "$FAKE_LOG" 2>/dev/null
}

fake_requests() {
	python3 - "$FAKE_LOG" "${1:-True}" <<'EOF_PY'
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
