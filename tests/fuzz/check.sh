#!/bin/sh
# tests/fuzz/check.sh: make check's short fuzzing pass.  Builds every
# harness with clang (ASan + UBSan, tests/fuzz/build.sh) in a temporary
# folder, replays its seed corpus (regression inputs included) and fuzzes
# for FUZZ_CHECK_SECONDS (default 3) each.  Fails, never skips, without
# clang: CI installs it through scripts/install-deps.
set -eu
src=${VSOC_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
secs=${FUZZ_CHECK_SECONDS:-3}
out=$(mktemp -d "${TMPDIR:-/tmp}/vsoc-fuzzcheck.XXXXXX")
trap 'rm -rf "$out"' EXIT
. "$src/tests/fuzz/build.sh"
for h in $harnesses; do
	mkdir -p "$out/work-$h"
	[ -n "$(ls "$src/tests/fuzz/corpus/$h" 2>/dev/null)" ] ||
		{ echo "FAIL: no seed corpus in tests/fuzz/corpus/$h"; exit 1; }
	if ! LC_ALL=C.UTF-8 "$out/fuzz_$h" -max_total_time="$secs" -max_len=4096 \
		-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$out/crash-$h-" \
		"$out/work-$h" "$src/tests/fuzz/corpus/$h" >"$out/$h.log" 2>&1; then
		tail -40 "$out/$h.log"
		for c in "$out"/crash-"$h"-*; do
			[ -f "$c" ] && { echo "input (base64):"; base64 "$c" | head -20; }
		done
		echo "FAIL: fuzz_$h"
		exit 1
	fi
	echo "ok: fuzz_$h $(sed -n 's/^stat::number_of_executed_units: */executions: /p' "$out/$h.log" | tail -1)"
done
