#!/bin/sh
# Hostile evidence through `vsoc alert show`: nested 3,000 deep, huge,
# escape sequences and bidi overrides; human and --json output.
. "$VSOC_SRCDIR/tests/lib.sh"
migrate

sql "INSERT INTO assets (kind, external_id) VALUES ('station', 'CS-1')"
add() {	# add TITLE EVIDENCE-SQL: prints the new alert's id
	sql "INSERT INTO alerts (rule_id, title, severity, asset_id, asset_ref, first_seen, last_seen, evidence)
	     SELECT 'R1', '$1', 3, id, external_id, now(), now(), $2 FROM assets RETURNING id"
}
deep=$(add deep "(repeat('{\"k\": ', 3000) || '1' || repeat('}', 3000))::jsonb")
huge=$(add huge "jsonb_build_object('blob', repeat('A', 2000000), 'n', 1)")
evil=$(add evil "jsonb_build_object('vendor', E'\\x1b]0;pwned\\x07\\x1b[2J', 'rtl', E'\\u202egnp.exe', 'big', 123456789012345678901234567890::numeric)")

# Human: depth cut at 64 levels, with the reason.
run alert show "$deep"
expect_rc 0 "show deep"
expect_contains "$out" "nested deeper than 64 levels: cut" "show deep"
[ "$(printf '%s\n' "$out" | grep -c '"k"')" = 64 ] || fail "show deep: not 64 levels shown"

# --json: the whole evidence, 3,000 levels, one valid document (it was {}).
run alert show "$deep" --json
expect_rc 0 "show deep --json"
depth=$(printf '%s' "$out" | python3 -c "
import json, sys
sys.setrecursionlimit(100000)
d = json.load(sys.stdin)['evidence']
n = 0
while isinstance(d, dict):
    d = d['k']; n += 1
print(n, d)")
[ "$depth" = "3000 1" ] || fail "show deep --json: evidence depth '$depth'"

# Human: 2 MB of evidence is cut to the bound, and says so.
run alert show "$huge"
expect_rc 0 "show huge"
expect_contains "$out" "(cut at 262144 bytes of" "show huge"
[ "${#out}" -lt 300000 ] || fail "show huge: ${#out} bytes"
run alert show "$huge" --json
expect_rc 0 "show huge --json"
[ "$(json_get 'len(d["evidence"]["blob"])')" = 2000000 ] || fail "show huge --json: blob cut"

# Hostile escapes: no control byte reaches the terminal, numbers kept.
run alert show "$evil"
expect_rc 0 "show evil"
printf '%s' "$out" | LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" &&
	fail "show evil: control bytes in output"
expect_contains "$out" '\u001B]0;pwned\u0007' "show evil"
expect_contains "$out" '123456789012345678901234567890' "show evil"
expect_not_contains "$out" "$(printf '\342\200\256')" "show evil: raw U+202E"
run alert show "$evil" --json
expect_rc 0 "show evil --json"
printf '%s' "$out" | LC_ALL=C grep -q "$(printf '[\200-\377]')" && fail "show evil --json: not ASCII"
[ "$(json_get 'd["evidence"]["big"]')" = 123456789012345678901234567890 ] ||
	fail "show evil --json: big number lost: $(json_get 'd["evidence"]')"
[ "$(json_get 'd["evidence"]["rtl"] == "\u202egnp.exe"')" = True ] || fail "show evil --json: rtl"
pass "evidence: deep, huge and hostile, human and --json"
