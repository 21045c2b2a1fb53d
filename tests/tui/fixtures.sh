# tests/tui/fixtures.sh: deterministic alerts for the console tests
# (sourced after tests/lib.sh and tests/tui/tmux.sh).  Plain SQL, so the
# screens do not depend on the demo generator.

# seed_alerts N: stations CS-001..CS-010 and N alerts "alert title NNNN",
# severity cycling 1..5, the highest id seen last.
seed_alerts() {
	case $1 in *[!0-9]*|'') fail "seed_alerts: not a number: $1" ;; esac
	sql "INSERT INTO assets (kind, external_id, name, attributes)
	     SELECT 'station', 'CS-' || lpad(g::text, 3, '0'), 'Station ' || g,
	            jsonb_build_object('vendor', 'ACME', 'firmware', '1.' || g)
	     FROM generate_series(1, 10) g
	     ON CONFLICT DO NOTHING" >/dev/null || fail "seed assets"
	sql "INSERT INTO alerts (rule_id, title, severity, asset_id, asset_ref,
	         first_seen, last_seen, occurrences, evidence)
	     SELECT 'R' || (1 + g % 14), 'alert title ' || lpad(g::text, 4, '0'),
	            1 + g % 5, s.id, s.external_id,
	            now() - make_interval(mins => 2 * ($1 - g) + 5),
	            now() - make_interval(mins => ($1 - g)),
	            1 + g % 7, jsonb_build_object('n', g, 'ip', '10.0.0.' || g % 250)
	     FROM generate_series(1, $1) g
	     JOIN assets s ON s.external_id = 'CS-' || lpad((1 + g % 10)::text, 3, '0')" \
	     >/dev/null || fail "seed alerts"
}

# console NAME COLS ROWS [TERM [ARGS...]]: start vsoc, wait for the queue.
console() {
	tui_start "$@"
	wait_for "$1" "TITLE" 10
}

# wait_exit NAME [CODE]: the harness's shell prints VSOC-EXIT=CODE after vsoc.
wait_exit() {
	wait_for "$1" "VSOC-EXIT=${2:-0}" 5
}
