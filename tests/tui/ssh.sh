#!/bin/sh
# The console over a real `ssh -t` (an sshd of our own on 127.0.0.1, key
# authentication, no PAM) under TERM xterm-256color, screen, tmux-256color
# and vt100; then the SSH link drops in the middle of a close prompt: the
# console must end on SIGHUP, leave no transaction open and no half-done
# action behind.
. "$VSOC_SRCDIR/tests/lib.sh"
. "$VSOC_SRCDIR/tests/tui/tmux.sh"
. "$VSOC_SRCDIR/tests/tui/fixtures.sh"

sshd=$(command -v sshd || echo /usr/sbin/sshd)
[ -x "$sshd" ] || { echo "SKIP: sshd not installed (openssh-server)"; exit 77; }
command -v ssh-keygen >/dev/null || { echo "SKIP: ssh-keygen missing"; exit 77; }

d=$VSOC_TEST_TMP/ssh
mkdir -p "$d"
chmod 700 "$d"
ssh-keygen -q -t ed25519 -N '' -f "$d/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$d/client_key"
cp "$d/client_key.pub" "$d/authorized_keys"
chmod 600 "$d/authorized_keys"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$d/sshd_config" <<EOF_CONF
ListenAddress 127.0.0.1
Port $port
HostKey $d/host_key
AuthorizedKeysFile $d/authorized_keys
PidFile $d/sshd.pid
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
PermitUserEnvironment no
X11Forwarding no
AllowTcpForwarding no
EOF_CONF
# As root, sshd wants its privilege-separation folder.
[ "$(id -u)" != 0 ] || mkdir -p /run/sshd
"$sshd" -f "$d/sshd_config" -E "$d/sshd.log" || fail "sshd did not start: $(cat "$d/sshd.log")"
stop_sshd() { [ -f "$d/sshd.pid" ] && kill "$(cat "$d/sshd.pid")" 2>/dev/null; tmux_cleanup; }
trap stop_sshd EXIT
i=0
until [ -f "$d/sshd.pid" ] || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done

migrate
seed_alerts 40

# ssh_console NAME TERM: the console through ssh -t in a tmux pane.
ssh_console() {
	tmx -f /dev/null new-session -d -s "$1" -x 80 -y 24 \
		"env TERM=$2 ssh -t -p $port -i '$d/client_key' -o BatchMode=yes \
		 -o StrictHostKeyChecking=no -o UserKnownHostsFile='$d/known_hosts' \
		 -o LogLevel=ERROR $(id -un)@127.0.0.1 \
		 \"env VSOC_DB='$VSOC_DB' PGUSER=alice LANG=C.UTF-8 '$VSOC'\"; echo VSOC-EXIT=\$?; sleep 30"
	wait_for "$1" "TITLE" 15
}

for term in xterm-256color screen tmux-256color vt100; do
	name=t$(echo "$term" | tr -cd 'a-z0-9')
	ssh_console "$name" "$term"
	keys "$name" j
	keys "$name" Enter
	wait_for "$name" "Evidence"
	keys "$name" q
	wait_for "$name" "TITLE"
	keys "$name" q
	wait_for "$name" "VSOC-EXIT=0" 5
	pass "ssh -t with TERM=$term"
done

# The link drops while the analyst is half-way through closing an alert.
ssh_console drop xterm-256color
before=$(sql "SELECT string_agg(id || ':' || status || ':' || version, ',' ORDER BY id) FROM alerts")
# Only the session's own start and end records may appear: no action.
audit_q="SELECT count(*) FROM audit_log WHERE action NOT LIKE 'session.%'"
audit_before=$(sql "$audit_q")
ends_q="SELECT count(*) FROM audit_log WHERE action = 'session.end'"
ends_before=$(sql "$ends_q")
keys drop c
sleep 0.3
# Ours is the vsoc whose environment points at this test's cluster.
pid=""
for p in $(pgrep -x vsoc); do
	tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -q "^VSOC_DB=.*$VSOC_TEST_TMP" && pid=$p
done
[ -n "$pid" ] || fail "no vsoc process behind sshd"
# Kill the ssh client: sshd loses the connection and hangs up the session.
pkill -KILL -f "ssh -t -p $port" || fail "no ssh client to kill"
i=0
while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
kill -0 "$pid" 2>/dev/null && fail "vsoc still running 10 s after the SSH link dropped"
[ "$(sql "SELECT string_agg(id || ':' || status || ':' || version, ',' ORDER BY id) FROM alerts")" = "$before" ] ||
	fail "alerts changed by a dropped session"
[ "$(sql "$audit_q")" = "$audit_before" ] || fail "action recorded from a dropped session"
# The hang-up still ends the session on the record, for the forensics.
[ "$(sql "$ends_q")" = $((ends_before + 1)) ] ||
	fail "no session.end record after the SSH link dropped"
[ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'vsoc'")" = 0 ] ||
	fail "a vsoc backend outlived its console"
pass "dropped SSH link: SIGHUP ends the console cleanly"
