#!/bin/sh
# The queue's statements use their indexes: tests/unit/check_plans.c on a
# seeded throwaway cluster (auto_explain, sequential scans disabled).
exec "$VSOC_BUILDDIR/tests/unit/check_plans"
