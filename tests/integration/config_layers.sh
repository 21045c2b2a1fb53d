#!/bin/sh
# config_layers.sh: the settings' precedence, command line > environment >
# user file > system file > default, each value's origin in `config show`
# (file:line for files), bad lines of both files named as path:line by
# `config check`, a user channel replacing the system's of the same name,
# and a world-readable secrets file refused with the chmod that fixes it.
. "$VSOC_SRCDIR/tests/lib.sh"

export XDG_CONFIG_HOME="$VSOC_TEST_TMP/xdg"
unset VSOC_CONFIG VSOC_IDLE_LOCK NO_COLOR
mkdir -p "$XDG_CONFIG_HOME/vsoc"
sys=$VSOC_SYSTEM_CONFIG
user=$XDG_CONFIG_HOME/vsoc/config
sec=$XDG_CONFIG_HOME/vsoc/secrets
[ -n "$sys" ] && [ ! -e "$sys" ] || fail "tests/with-pg sets an absent system file: '$sys'"

# show_field KEY FIELD: a setting's value or origin from `config show --json`.
show_field() {
	json_get "[s['$2'] for s in d['settings'] if s['key'] == '$1'][0]"
}

run config show
expect_rc 0 "no files"
expect_contains "$out" "system file:   $sys (not found)" "no system file"
expect_contains "$out" "(not found: defaults)" "no files"

# The system file alone.
printf '# site policy\n[console]\nidle_lock = 10m\nview = escalated\n[outbox]\nbackoff = 1m\n' >"$sys"
run config show --json
expect_rc 0 "system file"
[ "$(show_field console.idle_lock value)" = 10m ] || fail "idle_lock: $out"
[ "$(show_field console.idle_lock from)" = "system file $sys:3" ] ||
	fail "idle_lock from: $(show_field console.idle_lock from)"
[ "$(show_field console.idle_lock source)" = system ] || fail "source: $out"
[ "$(json_get 'd["system_config_file"]')" = "$sys" ] || fail "system_config_file: $out"
[ "$(show_field console.read_only from)" = default ] || fail "read_only from: $out"

# The user file over it: its keys win, the others stay the system's.
printf '[console]\n\nidle_lock = 5m\n' >"$user"
run config show --json
[ "$(show_field console.idle_lock value)" = 5m ] || fail "user over system: $out"
[ "$(show_field console.idle_lock from)" = "user file $user:3" ] ||
	fail "idle_lock from: $(show_field console.idle_lock from)"
[ "$(show_field console.view value)" = escalated ] || fail "view: $out"
[ "$(show_field console.view from)" = "system file $sys:4" ] || fail "view from: $out"
[ "$(show_field outbox.backoff from)" = "system file $sys:6" ] || fail "backoff from: $out"
run config show
expect_contains "$out" "console.idle_lock  5m        from user file $user:3" "human show"
expect_contains "$out" "console.view       escalated  from system file $sys:4" "human show"

# The environment over both files, the command line over the environment.
VSOC_IDLE_LOCK=90s run config show --json
[ "$(show_field console.idle_lock value)" = 90s ] || fail "env over user: $out"
[ "$(show_field console.idle_lock from)" = "env VSOC_IDLE_LOCK" ] || fail "env from: $out"
# The command line over the environment: config show takes the console's
# options and shows what the console would run with.
VSOC_IDLE_LOCK=90s run config show --json --idle-lock 2m --read-only
expect_rc 0 "options: $err"
[ "$(show_field console.idle_lock value)" = 2m ] || fail "option over env: $out"
[ "$(show_field console.idle_lock from)" = "option --idle-lock" ] || fail "option from: $out"
[ "$(show_field console.idle_lock source)" = option ] || fail "option source: $out"
[ "$(show_field console.read_only value)" = yes ] || fail "--read-only: $out"
[ "$(show_field console.view from)" = "system file $sys:4" ] || fail "view still: $out"
VSOC_IDLE_LOCK=90s run console --idle-lock 8d
expect_rc 2 "--idle-lock 8d"
expect_contains "$err" "--idle-lock takes a duration up to 7d"
# --config names the user file; the system file still applies under it.
printf '[console]\nread_only = yes\n' >"$VSOC_TEST_TMP/other"
run config show --json --config "$VSOC_TEST_TMP/other"
[ "$(show_field console.read_only from)" = "user file $VSOC_TEST_TMP/other:2" ] ||
	fail "--config: $out"
[ "$(show_field console.idle_lock from)" = "system file $sys:3" ] || fail "--config: $out"
pass "precedence: option > env > user file > system file > default, with file:line"

# A channel in both files: the user's replaces the system's whole; one only
# in the system file stays, named from there.
cat >>"$sys" <<'EOF'
[channel oncall]
type = webhook
url = https://hooks.example.invalid/system
[channel audit]
type = webhook
url = https://hooks.example.invalid/audit
EOF
cat >>"$user" <<'EOF'
[channel oncall]
type = webhook
url = https://hooks.example.invalid/user
EOF
run config show --json
expect_rc 0 "channels: $err"
[ "$(json_get '[c["name"] + " " + c["url"] + " " + c["from"] for c in d["channels"]]')" = \
  "['oncall https://hooks.example.invalid/user user file $user:4', 'audit https://hooks.example.invalid/audit system file $sys:10']" ] ||
	fail "channels: $(json_get 'd["channels"]')"
pass "a user channel replaces the system's of that name; the others stay"

# Bad lines in both files, each named as path:line; the console refuses.
printf '[console]\nidle_lock = forever\n' >>"$sys"
printf 'not a setting\n' >>"$user"
run config check
expect_rc 2 "config check with bad lines"
expect_contains "$err" "$sys:14: idle_lock takes a duration up to 7d"
expect_contains "$err" "$user:7: expected 'key = value' or '[section]'"
run config check --json
expect_rc 2 "config check --json"
[ "$(json_get 'len(d["errors"])')" = 2 ] || fail "errors: $out"
[ "$(json_get 'd["system_config_found"]')" = False ] || fail "a bad system file was kept: $out"
run config show
expect_rc 2 "config show with bad lines"
expect_contains "$err" "$sys:14: idle_lock"
run console
expect_rc 2 "console with a bad system file"
expect_contains "$err" "$sys:14: idle_lock"
pass "config check names bad lines of both files as path:line"

# A system file nobody may read is an error, not silently skipped.
printf '[console]\nidle_lock = 10m\n' >"$sys"
printf '[console]\nidle_lock = 5m\n' >"$user"
if [ "$(id -u)" != 0 ]; then
	chmod 000 "$sys"
	run config check
	expect_rc 2 "unreadable system file"
	expect_contains "$err" "$sys: Permission denied"
	chmod 644 "$sys"
fi
run config check
expect_rc 0 "good files: $err"
expect_contains "$out" "ok: $user, system $sys, 0 channels"

# Secrets: a world-readable file is refused with the chmod that fixes it,
# whatever the settings files say; no value is shown.
printf 'hook_token = s3cr3t-LAYERS\n' >"$sec"
chmod 644 "$sec"
run config check
expect_rc 1 "world-readable secrets"
expect_contains "$err" "mode 0644 lets others at it: refused"
expect_contains "$err" "chmod 600 $sec"
expect_not_contains "$out$err" "s3cr3t-LAYERS" "secrets 0644"
run config show --json
expect_rc 1 "config show, world-readable secrets"
expect_not_contains "$out$err" "s3cr3t-LAYERS" "secrets --json"
chmod 600 "$sec"
run config check
expect_rc 0 "secrets 0600: $err"
pass "a world-readable secrets file is refused with its chmod, both files layered"
