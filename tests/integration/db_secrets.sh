#!/bin/sh
# db_secrets.sh: a password in a connection string never reaches the
# output, whatever is wrong with the string: one libpq cannot parse (its
# message quotes the text), one that parses but does not connect, through
# --db or VSOC_DB, in the human line and in the --json document.
. "$VSOC_SRCDIR/tests/lib.sh"

# no_secret WHAT: neither stdout nor stderr holds the password or a piece.
no_secret() {
	for piece in s3cretPW s3cr etPW; do
		case "$out$err" in
		*"$piece"*) fail "$1: the output holds '$piece': $err $out" ;;
		esac
	done
}

# check CONNINFO: through --db and VSOC_DB, with and without --json.
check() {
	run --db "$1" db status
	[ "$rc" = 1 ] || fail "--db '$1': exit $rc"
	[ -n "$err" ] || fail "--db '$1': no message"
	no_secret "--db '$1'"
	run --db "$1" db status --json
	[ "$rc" = 1 ] || fail "--db '$1' --json: exit $rc"
	[ "$(json_get 'd["ok"]')" = False ] || fail "--db '$1' --json: $out"
	no_secret "--db '$1' --json"
	out=$(VSOC_DB=$1 "$VSOC" --json db status 2>"$VSOC_TEST_TMP/stderr") && rc=0 || rc=$?
	err=$(cat "$VSOC_TEST_TMP/stderr")
	[ "$rc" = 1 ] || fail "VSOC_DB='$1': exit $rc"
	expect_contains "$err" "VSOC_DB" "VSOC_DB='$1'"
	no_secret "VSOC_DB='$1'"
}

# Strings libpq cannot parse: its message quotes them, password and all.
check 'postgresql://u:s3cretPW@[::1/db'
check 'postgresql://u:s3cr%zzetPW@localhost/db'
check 'postgresql://u:s3cr%00etPW@localhost/db'
check 'postgresql://u:s3cretPW@localhost/db?bogus=1'
check "host=/nonexistent password='s3cretPW"
check 'host=/nonexistent password=s3cr etPW'
run --db 'postgresql://u:s3cretPW@[::1/db' db status
expect_contains "$err" "not a valid connection string" "unparseable --db"
expect_contains "$err" "IPv6 host address" "the problem is named"
pass "unparseable connection strings: the problem named, never the text"

# Strings that parse but do not connect: libpq names hosts and databases,
# and a password typed into the wrong field is still a password.
check 'postgresql://u:s3cretPW@/db?host=/nonexistent'
check 'host=s3cretPW password=s3cretPW connect_timeout=2'
check "host=/nonexistent dbname=x password=s3cretPW port=99999"
pass "connection failures: no password in the reason"
