#!/bin/sh
# tests/fuzz/run.sh [SECONDS]: build the libFuzzer harnesses with clang
# (ASan + UBSan) in a temporary folder and run each for SECONDS (default
# 60).  Needs clang and its runtime (Debian: clang, libclang-rt-14-dev or
# the clang package's own).  Not part of make check: fuzzing is open-ended.
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-60}
out=$(mktemp -d "${TMPDIR:-/tmp}/vsoc-fuzz.XXXXXX")
trap 'rm -rf "$out"' EXIT
printf '#define _POSIX_C_SOURCE 200809L\n#define _XOPEN_SOURCE 700\n#define _DEFAULT_SOURCE 1\n' >"$out/config.h"
clang -g -O1 -fsanitize=fuzzer,address,undefined -include "$out/config.h" \
	-I"$src/core" "$src/tests/fuzz/fuzz_text.c" "$src/core/sanitize.c" \
	"$src/core/filter.c" "$src/core/format.c" "$src/core/strbuf.c" \
	"$src/core/model.c" -o "$out/fuzz_text"
mkdir -p "$out/corpus"
printf 'sev>=high rule=R7 "a b" firmware' >"$out/corpus/filter"
printf 'vendor \033]0;pwned\007 \342\200\256' >"$out/corpus/hostile"
LC_ALL=C.UTF-8 "$out/fuzz_text" -max_total_time="$secs" -max_len=512 "$out/corpus"
