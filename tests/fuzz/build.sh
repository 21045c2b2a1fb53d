# tests/fuzz/build.sh (sourced by run.sh and check.sh): build every
# libFuzzer harness with clang, AddressSanitizer and UndefinedBehavior-
# Sanitizer (any UB aborts) into $out.  Needs $src (the source tree) and
# $out.  Sets $harnesses.  Exits 1 when clang or its fuzzer runtime is
# missing: make check must not pass without fuzzing (scripts/install-deps
# installs clang and libclang-rt-14-dev).
harnesses="filter sanitize keymap settings secrets evidence"
CLANG=${CLANG:-clang}
if ! command -v "$CLANG" >/dev/null 2>&1; then
	echo "FAIL: $CLANG not found: run scripts/install-deps (Debian: clang libclang-rt-14-dev)" >&2
	exit 1
fi
# The same feature macros as configure's config.h, guarded because
# ncursesw's pkg-config flags define some of them too.
cat >"$out/config.h" <<'EOF_H'
#ifndef _POSIX_C_SOURCE
# define _POSIX_C_SOURCE 200809L
#endif
#ifndef _XOPEN_SOURCE
# define _XOPEN_SOURCE 700
#endif
#ifndef _DEFAULT_SOURCE
# define _DEFAULT_SOURCE 1
#endif
EOF_H
fuzz_cflags="-g -O1 -std=c11 -fsanitize=address,undefined -fno-sanitize-recover=all
-include $out/config.h -I$src/core -I$src/tui $(pkg-config --cflags ncursesw jansson libcurl)"
mkdir -p "$out/obj"
objs=""
for f in core/strbuf.c core/sanitize.c core/format.c core/model.c core/filter.c \
	core/settings.c core/secrets.c core/evidence.c core/channel.c \
	core/channel_pagerduty.c core/channel_opsgenie.c core/channel_slack.c \
	core/channel_webhook.c core/sla.c tui/keymap.c tui/request.c \
	tui/layout.c tui/prompt.c; do
	o="$out/obj/$(basename "$f" .c).o"
	# shellcheck disable=SC2086
	"$CLANG" $fuzz_cflags -fsanitize=fuzzer-no-link -c "$src/$f" -o "$o" || exit 1
	objs="$objs $o"
done
for h in $harnesses; do
	# shellcheck disable=SC2086
	"$CLANG" $fuzz_cflags -fsanitize=fuzzer "$src/tests/fuzz/fuzz_$h.c" $objs \
		$(pkg-config --libs ncursesw jansson libcurl) -o "$out/fuzz_$h" || {
		echo "FAIL: cannot build fuzz_$h (is libclang-rt-14-dev installed?)" >&2
		exit 1
	}
done
