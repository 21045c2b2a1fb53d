#!/bin/sh
# tests/integration/triage_db.sh: the check suite of core/triage.c
# (tests/unit/check_triage) against this test's throwaway cluster: every
# action, rollback of a failed bulk, optimistic concurrency, and races of
# two connections taking the same alerts at the same instant.  The suite
# migrates the database itself (migrate_apply is idempotent).
. "$VSOC_SRCDIR/tests/lib.sh"

bin=$VSOC_BUILDDIR/tests/unit/check_triage
[ -x "$bin" ] || fail "$bin is not built (make check builds it)"

CK_VERBOSITY=normal "$bin" || fail "check_triage (see the failures above)"
pass "triage_run against PostgreSQL"
