#!/bin/sh
# The embedded default: scripts/pg creates and runs a private cluster in
# ./var/pg (socket only, no TCP), and vsoc with no connection settings uses
# it.  Runs in a scratch folder so it never touches the checkout's var/pg.
. "$VSOC_SRCDIR/tests/lib.sh"

work=$VSOC_TEST_TMP/work
mkdir -p "$work"
chmod 755 "$work"
cd "$work"
unset VSOC_DB
pg() { "$VSOC_SRCDIR/scripts/pg" "$@"; }
trap 'VSOC_PGDIR= pg stop >/dev/null 2>&1' EXIT

# No cluster yet: vsoc says so, names the folder and the fix.
run alerts list
expect_rc 1 "no private cluster"
expect_contains "$err" "$work/var/pg"
expect_contains "$err" "scripts/pg start"

VSOC_PG_FAST=1 pg start >/dev/null || fail "scripts/pg start"
[ -S "$work/var/pg/.s.PGSQL.5432" ] || fail "no socket in var/pg"
pg status | grep -q running || fail "status does not say running"
pg start | grep -q "already running" || fail "second start"

run db migrate
expect_rc 0 "migrate on the private cluster"
expect_contains "$out" "$work/var/pg"
run alerts list --json
expect_rc 0 "list on the private cluster"

[ "$(pg psql -XtAc 'SHOW listen_addresses')" = "" ] || fail "the private cluster listens on TCP"
if [ "$(id -u)" = 0 ]; then
	owner=$(ps -o user= -p "$(head -1 "$work/var/pg/postmaster.pid")")
	[ "$owner" = postgres ] || fail "as root the server must run as postgres, not $owner"
fi

# PG* variables take precedence over the private cluster.
PGHOST=$VSOC_TEST_TMP/elsewhere run alerts list
expect_rc 1 "PGHOST wins"
expect_contains "$err" "PG* variables"

pg stop >/dev/null
pg status >/dev/null && fail "status after stop"
run alerts list
expect_rc 1 "stopped private cluster"
expect_contains "$err" "scripts/pg start"

# Data survives a restart.
VSOC_PG_FAST=1 pg start >/dev/null
run db status --json
expect_rc 0 "status after restart"
[ "$(json_get 'd["schema"]')" -ge 1 ] || fail "schema lost over restart"
pg destroy >/dev/null
[ ! -d "$work/var/pg" ] || fail "destroy left the folder"
pass "private cluster"
