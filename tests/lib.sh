# tests/lib.sh: helpers for the shell tests (sourced).  Each test runs
# under tests/with-pg, so $VSOC_DB points at a throwaway cluster and
# $VSOC_TEST_TMP is a private scratch folder.
set -u

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

pass() {
	echo "ok: $*"
}

# Who acts is the database session user.  The cluster's superuser (this
# Unix user) is the DBA: it migrates, seeds and runs the SQL fixtures.
# migrate() adds the test analysts (as the demo does: alice lead, bob and
# carol analysts, dave admin, erin viewer) and makes alice the default.
DBA=$(id -un)
export DBA

# run ARGS...: run vsoc, keeping stdout in $out, stderr in $err, exit code in $rc.
run() {
	out=$("$VSOC" "$@" 2>"$VSOC_TEST_TMP/stderr") && rc=0 || rc=$?
	err=$(cat "$VSOC_TEST_TMP/stderr")
}

# run_as NAME ARGS...: run vsoc as analyst NAME (or as "$DBA").
run_as() {
	_who=$1
	shift
	out=$(PGUSER=$_who "$VSOC" "$@" 2>"$VSOC_TEST_TMP/stderr") && rc=0 || rc=$?
	err=$(cat "$VSOC_TEST_TMP/stderr")
}

expect_rc() {
	[ "$rc" = "$1" ] || fail "${2:-command}: exit $rc, expected $1; stderr: $err; stdout: $(echo "$out" | head -5)"
}

expect_contains() {
	case $1 in *"$2"*) ;; *) fail "${3:-output} lacks '$2': $1" ;; esac
}

expect_not_contains() {
	case $1 in *"$2"*) fail "${3:-output} contains '$2': $1" ;; *) ;; esac
}

# psql on the test database as the DBA, unaligned, tuples only.
sql() {
	PGUSER=$DBA "$PG_BINDIR/psql" "$VSOC_DB" -XtAq -v ON_ERROR_STOP=1 -c "$1"
}

# sql_as NAME SQL: psql as a login role; output (and errors) on stdout.
sql_as() {
	PGUSER=$1 "$PG_BINDIR/psql" "$VSOC_DB" -XtAq -v ON_ERROR_STOP=1 -c "$2" 2>&1
}

migrate() {
	PGUSER=$DBA "$VSOC" db migrate >/dev/null || fail "vsoc db migrate"
	for _a in alice:lead bob:analyst carol:analyst dave:admin erin:viewer; do
		PGUSER=$DBA "$VSOC" analyst add "${_a%%:*}" --role "${_a#*:}" >/dev/null ||
			fail "vsoc analyst add $_a"
	done
	PGUSER=alice
	export PGUSER
}

# A small deterministic fleet.
seed_small() {
	PGUSER=$DBA "$VSOC" demo seed --seed 7 --stations 20 --vehicles 30 --alerts ${1:-300} \
		>/dev/null || fail "vsoc demo seed"
}

json_get() {
	# json_get EXPR: evaluate a Python expression on the JSON in $out as d.
	python3 -c "import json,sys; d=json.loads(sys.stdin.read()); print($1)" <<EOF_JSON
$out
EOF_JSON
}
