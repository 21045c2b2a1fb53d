#!/bin/sh
# vsoc alerts list and vsoc alert show: filters, paging, JSON, sanitizing.
. "$VSOC_SRCDIR/tests/lib.sh"
migrate

sql "INSERT INTO analysts (name) VALUES ('alice')"
sql "INSERT INTO assets (kind, external_id, name) VALUES
     ('station', 'CS-0001', 'Depot A'), ('station', 'CS-0002', 'Depot B')"
# 120 alerts: severity cycles, CS-0002 gets every third, alice every fifth.
sql "INSERT INTO alerts (rule_id, title, severity, status, disposition, disposition_reason,
       asset_id, asset_ref, first_seen, last_seen, assignee_id, evidence)
     SELECT CASE WHEN g % 2 = 0 THEN 'R7' ELSE 'R11' END, 'alert ' || g, 1 + g % 5,
       CASE WHEN g % 10 = 0 THEN 'closed' ELSE 'new' END,
       CASE WHEN g % 10 = 0 THEN 'benign' END, CASE WHEN g % 10 = 0 THEN 'test' END,
       s.id, s.external_id, now() - g * interval '1 minute', now() - g * interval '30 seconds',
       CASE WHEN g % 5 = 0 THEN (SELECT id FROM analysts WHERE name = 'alice') END,
       jsonb_build_object('n', g)
     FROM generate_series(1, 120) g
     JOIN assets s ON s.external_id = CASE WHEN g % 3 = 0 THEN 'CS-0002' ELSE 'CS-0001' END"
# One hostile alert: ESC sequences, OSC title, BEL, bidi override.
sql "INSERT INTO alerts (rule_id, title, severity, asset_id, asset_ref, first_seen, last_seen, evidence)
     SELECT 'R1', E'evil \\x1b[2J\\x1b]0;pwned\\x07 \\u202e gnp.exe', 5, id, external_id, now(), now(),
            jsonb_build_object('vendor', E'\\x1b[31mred\\x1b[0m')
     FROM assets WHERE external_id = 'CS-0001'"

run alerts list --json --limit 500
expect_rc 0 "list --json"
[ "$(json_get 'd["count"]')" = 109 ] || fail "open count: $(json_get 'd["count"]')"
[ "$(json_get 'd["more"]')" = False ] || fail "more"
# Most urgent first: severities never increase down the list.
json_get '[a["severity"] for a in d["alerts"]]' | python3 -c "
import sys, ast
order = ['info','low','medium','high','critical']
s = [order.index(x) for x in ast.literal_eval(sys.stdin.read())]
sys.exit(0 if s == sorted(s, reverse=True) else 1)" || fail "not sorted by severity"

run alerts list --severity critical --json
[ "$(json_get 'set(a["severity"] for a in d["alerts"])')" = "{'critical'}" ] || fail "--severity critical"
run alerts list --severity high+ --json --limit 500
[ "$(json_get 'sorted(set(a["severity"] for a in d["alerts"]))')" = "['critical', 'high']" ] ||
	fail "--severity high+"
run alerts list --asset CS-0002 --json --limit 500
[ "$(json_get 'set(a["asset"] for a in d["alerts"])')" = "{'CS-0002'}" ] || fail "--asset"
run alerts list --status closed --json --limit 500
[ "$(json_get 'd["count"]')" = 12 ] || fail "--status closed implies all views"
run alerts list --assignee alice --rule R7 --json --limit 500
[ "$(json_get 'all(a["assignee"] == "alice" and a["rule"] == "R7" for a in d["alerts"])')" = True ] ||
	fail "--assignee --rule"
# "me" is a keyword in any case (the queue matches it case-insensitively),
# so it must resolve the analyst in any case too.
run alerts list --assignee me --as alice --json --limit 500
expect_rc 0 "--assignee me"
mine=$(json_get 'd["count"]')
[ "$mine" -gt 0 ] || fail "--assignee me: none"
run alerts list --assignee ME --as alice --json --limit 500
expect_rc 0 "--assignee ME"
[ "$(json_get 'd["count"]')" = "$mine" ] || fail "--assignee ME: $(json_get 'd["count"]'), me: $mine"
run alerts list --filter "sev>=high alert 1" --json --limit 500
expect_rc 0 "--filter"
# Free words are ANDed however many there are: a word past the first two
# dozen must still narrow the list, not be dropped.
words=""
for i in $(seq 30); do words="$words alert"; done
run alerts list --filter "$words" --json --limit 500
expect_rc 0 "--filter with 30 words"
[ "$(json_get 'd["count"]')" = 108 ] || fail "30 matching words: $(json_get 'd["count"]')"
run alerts list --filter "$words nosuchword" --json --limit 500
expect_rc 0 "--filter with 31 words"
[ "$(json_get 'd["count"]')" = 0 ] || fail "31st word ignored: $(json_get 'd["count"]')"
run alerts list --filter "$words ERT r1" --json --limit 500
expect_rc 0 "--filter with 32 words"
[ "$(json_get 'd["count"]')" = 60 ] || fail "32 words: $(json_get 'd["count"]')"
# Array-literal and LIKE metacharacters past the budget are plain text.
run alerts list --filter "$words x{y},\\\"z% _" --json --limit 500
expect_rc 0 "--filter with metacharacters past the budget"
[ "$(json_get 'd["count"]')" = 0 ] || fail "metacharacters: $(json_get 'd["count"]')"

# Keyset paging for scripts: pages join up with no gap and no repeat.
ids=""
after=""
while :; do
	if [ -n "$after" ]; then run alerts list --limit 25 --json --after "$after"
	else run alerts list --limit 25 --json; fi
	expect_rc 0 "paging"
	ids="$ids $(json_get '" ".join(str(a["id"]) for a in d["alerts"])')"
	after=$(json_get 'd["next_after"] or ""')
	[ -n "$after" ] || break
done
[ "$(echo $ids | wc -w)" = 109 ] || fail "paging saw $(echo $ids | wc -w) alerts"
[ "$(echo $ids | tr ' ' '\n' | sort -u | wc -l)" = 109 ] || fail "paging repeated an alert"

# Human table: aligned columns, sanitized hostile title.
run alerts list --severity critical --limit 3
expect_rc 0 "table"
expect_contains "$out" "ID"
expect_contains "$out" "TITLE"
expect_contains "$out" 'evil \e[2J\e]0;pwned\x07 \u{202E} gnp.exe'
printf '%s' "$out" | LC_ALL=C grep -q "$(printf '\033')" && fail "ESC reached the terminal"

hostile=$(sql "SELECT id FROM alerts WHERE rule_id = 'R1'")
run alert show "$hostile"
expect_rc 0 "show hostile"
expect_contains "$out" '"vendor": "\u001B[31mred\u001B[0m"'
printf '%s' "$out" | LC_ALL=C grep -q "$(printf '\033')" && fail "ESC in alert show"
printf '%s' "$out" | LC_ALL=C grep -q "$(printf '\342\200\256')" && fail "bidi override in alert show"
run alert show "#$hostile" --json
expect_rc 0 "show --json"
[ "$(json_get 'd["evidence"]["vendor"]')" = "$(printf '\033[31mred\033[0m')" ] ||
	fail "JSON evidence not verbatim"
printf '%s' "$out" | LC_ALL=C grep -q "$(printf '\033')" && fail "raw ESC in JSON"
[ "$(json_get 'd["asset"]["external_id"]')" = CS-0001 ] || fail "asset in JSON"
pass "alerts list and show"
