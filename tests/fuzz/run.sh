#!/bin/sh
# tests/fuzz/run.sh [SECONDS] [HARNESS...]: build the libFuzzer harnesses
# (tests/fuzz/build.sh) and run each for SECONDS (default $FUZZ_SECONDS,
# else 60), starting from its seed corpus in tests/fuzz/corpus/HARNESS.
# New inputs go to a scratch folder, not the source tree; a crash leaves
# its input in ./fuzz-crashes/HARNESS (add it to the corpus once fixed, so
# make check replays it).  `make fuzz` runs this.  Prints the executions
# per harness at the end.
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-${FUZZ_SECONDS:-60}}
[ $# -gt 0 ] && shift
out=$(mktemp -d "${TMPDIR:-/tmp}/vsoc-fuzz.XXXXXX")
trap 'rm -rf "$out"' EXIT
. "$src/tests/fuzz/build.sh"
[ $# -gt 0 ] && harnesses="$*"
summary=""
status=0
for h in $harnesses; do
	mkdir -p "$out/work-$h" "fuzz-crashes/$h"
	echo "== fuzz_$h for ${secs}s"
	if LC_ALL=C.UTF-8 "$out/fuzz_$h" -max_total_time="$secs" -max_len=4096 \
		-timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="fuzz-crashes/$h/" \
		"$out/work-$h" "$src/tests/fuzz/corpus/$h" >"$out/$h.log" 2>&1; then
		r=ok
	else
		r=FAILED
		status=1
		tail -40 "$out/$h.log"
	fi
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$h.log" | tail -1)
	summary="$summary$(printf '%-10s %12s executions  %s' "$h" "${execs:-?}" "$r")
"
done
rmdir fuzz-crashes/* fuzz-crashes 2>/dev/null || true
printf '\n%s' "$summary"
exit $status
