#!/bin/sh
# vsoc config show and the console's settings: file, environment, options,
# errors with line numbers, and the secrets file's permissions.
. "$VSOC_SRCDIR/tests/lib.sh"

export XDG_CONFIG_HOME="$VSOC_TEST_TMP/xdg"
unset VSOC_CONFIG VSOC_IDLE_LOCK NO_COLOR
mkdir -p "$XDG_CONFIG_HOME/vsoc"
cfg=$XDG_CONFIG_HOME/vsoc/config
sec=$XDG_CONFIG_HOME/vsoc/secrets

run config show
expect_rc 0 "config show, no files"
expect_contains "$out" "console.idle_lock  15m" "defaults"
expect_contains "$out" "(not found: defaults)" "defaults"

printf '# test\n[console]\nidle_lock = 5m\nread_only = yes\nfrobnicate = 1\n' >"$cfg"
run config show --json
expect_rc 0 "config show --json"
[ "$(json_get '[s["value"] + " " + s["from"] for s in d["settings"]][0]')" = "5m user file $cfg:3" ] ||
	fail "idle_lock from file: $out"
expect_contains "$err" "$cfg:5: unknown key 'frobnicate' in [console] (ignored)" "warning"
VSOC_IDLE_LOCK=90s run config show --json
[ "$(json_get 'd["settings"][0]["from"]')" = "env VSOC_IDLE_LOCK" ] || fail "env over file"

# A malformed file: exit 2, every bad line named; the console refuses too.
printf '[console]\nidle_lock = forever\nthis is not a setting\n' >"$VSOC_TEST_TMP/bad"
run config show --config "$VSOC_TEST_TMP/bad"
expect_rc 2 "bad file"
expect_contains "$err" "bad:2: idle_lock takes a duration up to 7d (90s, 15m, 1h) or 0, not 'forever'"
expect_contains "$err" "bad:3: expected 'key = value' or '[section]'"
VSOC_CONFIG="$VSOC_TEST_TMP/bad" run console
expect_rc 2 "console with a bad file"
expect_contains "$err" "bad:2: idle_lock"
run console --config "$VSOC_TEST_TMP/missing"
expect_rc 2 "console --config missing"
expect_contains "$err" "missing: No such file or directory"
# The option still wins over a good file and is checked.
run console --idle-lock 9d
expect_rc 2 "--idle-lock 9d"
expect_contains "$err" "--idle-lock takes a duration up to 7d"

# Secrets: names only, never values; refused unless 0600 and ours.
printf 'ticket_token = s3cr3t-VALUE\n' >"$sec"
chmod 644 "$sec"
run config show
expect_rc 1 "secrets 0644"
expect_contains "$err" "mode 0644 lets others at it: refused"
expect_not_contains "$out$err" "s3cr3t-VALUE" "secrets 0644"
chmod 600 "$sec"
run config show
expect_rc 0 "secrets 0600"
expect_contains "$out" "ticket_token       (set)"
run config show --json
expect_not_contains "$out$err" "s3cr3t-VALUE" "secrets --json"
[ "$(json_get 'd["secrets"]')" = "['ticket_token']" ] || fail "secrets names: $out"
pass "config show: precedence, errors, secrets"
