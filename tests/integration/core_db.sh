#!/bin/sh
# core/ against a real cluster: the check suite in tests/unit/check_db.c.
exec "$VSOC_BUILDDIR/tests/unit/check_db"
