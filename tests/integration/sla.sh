#!/bin/sh
# tests/integration/sla.sh: SLA timers on a real cluster (sql/007_sla.sql,
# core/sla_report.c, core/queue_sla.c, vsoc sla report):
#  - `vsoc sla report` on known alerts and incidents: counts, acknowledged,
#    resolved, ack and resolve breaches, MTTA and MTTR p50/p90, all worked
#    out by hand below; the window (--since) leaves older rows out;
#  - --json's shape; a viewer may read it;
#  - a bad --since is a usage error (exit 2) with a clear message;
#  - the breaching view (`vsoc alerts list --view breaching`): exactly the
#    open alerts past their deadline or due within the hour, soonest
#    deadline first, keyset pages with --after;
#  - acknowledged_at: set by the database the first time an alert leaves
#    'new' or an incident leaves 'open' or gets an owner, never cleared,
#    not writable by an analyst.
. "$VSOC_SRCDIR/tests/lib.sh"
migrate

sql "INSERT INTO assets (kind, external_id, name) VALUES ('station', 'CS-SLA', 'SLA depot')" >/dev/null

# al TITLE SEV STATUS CREATED_AGO [ACK_AFTER [CLOSED_AFTER]]: one alert,
# created CREATED_AGO before now, acknowledged and closed that long after
# it was created.  As the DBA, whose explicit acknowledged_at the trigger
# keeps.
al() {
	_ack=NULL _closed=NULL _disp=NULL
	[ -n "${5:-}" ] && _ack="now() - interval '$4' + interval '$5'"
	[ -n "${6:-}" ] && _closed="now() - interval '$4' + interval '$6'" && _disp="'true_positive'"
	sql "INSERT INTO alerts (rule_id, title, severity, status, disposition, asset_id, asset_ref,
	     first_seen, last_seen, created_at, acknowledged_at, closed_at)
	     SELECT 'R7', '$1', $2, '$3', $_disp, id, external_id,
	            now() - interval '$4', now() - interval '$4', now() - interval '$4',
	            $_ack, $_closed
	     FROM assets WHERE external_id = 'CS-SLA' RETURNING id"
}

# Critical (15 minutes to acknowledge, 4 hours to resolve).
A1=$(al "sla A1 new 2h" 5 new '2 hours')			# ack breach
A2=$(al "sla A2 closed in time" 5 closed '3 hours' '10 minutes' '1 hour')
A3=$(al "sla A3 closed late" 5 closed '10 hours' '30 minutes' '6 hours')	# both
A4=$(al "sla A4 acked, open 5h" 5 acknowledged '5 hours' '5 minutes')	# resolve breach
A5=$(al "sla A5 new, 20 days old" 5 new '20 days')		# outside 7d
# High (1 hour / 24 hours).
B1=$(al "sla B1 new 30m" 4 new '30 minutes')			# due in 30m
B2=$(al "sla B2 new 3h" 4 new '3 hours')			# ack breach
# Medium (4 hours / 3 days) and info (no targets).
C1=$(al "sla C1 new 1h" 3 new '1 hour')				# due in 3h
D1=$(al "sla D1 info new 1d" 1 new '1 day')			# no target
[ -n "$A1" ] && [ -n "$D1" ] || fail "inserting the alerts"

# inc TITLE SEV STATUS OWNER CREATED_AGO [ACK_AFTER [CLOSED_AFTER]]
inc() {
	_ack=NULL _closed=NULL _res=NULL _own=NULL
	[ -n "$4" ] && _own="(SELECT id FROM analysts WHERE name = '$4')"
	[ -n "${6:-}" ] && _ack="now() - interval '$5' + interval '$6'"
	[ -n "${7:-}" ] && _closed="now() - interval '$5' + interval '$7'" && _res="'done'"
	sql "INSERT INTO incidents (title, severity, status, owner_id, created_at, updated_at,
	     acknowledged_at, closed_at, resolution)
	     VALUES ('$1', $2, '$3', $_own, now() - interval '$5', now(), $_ack, $_closed, $_res)
	     RETURNING id"
}
I1=$(inc "sla I1 open unowned" 5 open "" '1 hour')		# ack breach
I2=$(inc "sla I2 triage" 5 triage alice '2 hours' '5 minutes')	# due in 2h
I3=$(inc "sla I3 closed" 4 closed bob '30 hours' '20 minutes' '20 hours')
I4=$(inc "sla I4 acked late" 4 containment bob '23 hours 30 minutes' '2 hours')	# ack breach, due in 30m
[ -n "$I1" ] && [ -n "$I4" ] || fail "inserting the incidents"
[ "$(sql "SELECT acknowledged_at IS NULL FROM incidents WHERE id = $I1")" = t ] ||
	fail "an open, unowned incident inserted acknowledged"

# --- the report, by hand ---------------------------------------------------------
run sla report --json
expect_rc 0 "sla report --json"
# Alerts, critical: A1-A4 (A5 is older than 7 days).  Acknowledged A2 A3
# A4; resolved A2 A3; ack breaches A1 (2h, none yet) and A3 (30m); resolve
# breaches A3 (closed at 6h) and A4 (open at 5h).  MTTA 300, 600, 1800:
# p50 600, p90 600 + 0.8 x 1200 = 1560.  MTTR 3600, 21600: p50 12600,
# p90 3600 + 0.9 x 18000 = 19800.
[ "$(json_get "[(l['count'], l['acknowledged'], l['resolved'], l['breaches']['ack'],
	l['breaches']['resolve'], round(l['mtta_seconds']['p50']), round(l['mtta_seconds']['p90']),
	round(l['mttr_seconds']['p50']), round(l['mttr_seconds']['p90']))
	for l in d['alerts'] if l['severity'] == 'critical'][0]")" = \
	"(4, 3, 2, 2, 2, 600, 1560, 12600, 19800)" ] || fail "alerts, critical: $out"
# High: B1, B2, nothing acknowledged, B2 late to acknowledge, no times.
[ "$(json_get "[(l['count'], l['acknowledged'], l['resolved'], l['breaches']['ack'],
	l['breaches']['resolve'], l['mtta_seconds']['p50'], l['mttr_seconds']['p90'])
	for l in d['alerts'] if l['severity'] == 'high'][0]")" = "(2, 0, 0, 1, 0, None, None)" ] ||
	fail "alerts, high: $out"
[ "$(json_get "[(l['severity'], l['count'], l['breaches']['ack'] + l['breaches']['resolve'])
	for l in d['alerts'] if l['severity'] in ('medium', 'low', 'info')]")" = \
	"[('medium', 1, 0), ('low', 0, 0), ('info', 1, 0)]" ] || fail "alerts, the rest: $out"
# Incidents, critical: I1 (unacknowledged, 1h: ack breach), I2 (acked at
# 5m).  High: I3 (acked 20m, closed 20h: in time), I4 (acked 2h: ack
# breach; 23h30 open: not yet a resolve breach).  MTTA 1200, 7200: p50
# 4200, p90 1200 + 0.9 x 6000 = 6600.
[ "$(json_get "[(l['severity'], l['count'], l['acknowledged'], l['resolved'],
	l['breaches']['ack'], l['breaches']['resolve'],
	l['mtta_seconds']['p50'] and round(l['mtta_seconds']['p50']),
	l['mtta_seconds']['p90'] and round(l['mtta_seconds']['p90']),
	l['mttr_seconds']['p50'] and round(l['mttr_seconds']['p50']))
	for l in d['incidents'] if l['count']]")" = \
	"[('critical', 2, 1, 0, 1, 0, 300, 300, None), ('high', 2, 2, 1, 1, 0, 4200, 6600, 72000)]" ] ||
	fail "incidents: $out"
pass "report numbers on known data"

# --json shape: every severity for both kinds, highest first, with targets.
[ "$(json_get "sorted(d.keys())")" = "['alerts', 'incidents', 'since', 'since_seconds']" ] ||
	fail "report keys: $out"
[ "$(json_get "d['since_seconds']")" = 604800 ] || fail "default window: $out"
[ "$(json_get "[l['severity'] for l in d['incidents']]")" = \
	"['critical', 'high', 'medium', 'low', 'info']" ] || fail "severities: $out"
[ "$(json_get "sorted(d['alerts'][0].keys())")" = \
	"['acknowledged', 'breaches', 'count', 'mtta_seconds', 'mttr_seconds', 'resolved', 'severity', 'targets']" ] ||
	fail "line keys: $out"
[ "$(json_get "(d['alerts'][0]['targets'], d['alerts'][4]['targets'])")" = \
	"({'ack_seconds': 900, 'resolve_seconds': 14400}, {'ack_seconds': None, 'resolve_seconds': None})" ] ||
	fail "targets: $out"
pass "--json shape"

# The window: 30 days takes A5 in, 45 minutes only B1.
run sla report --since 30d --json
expect_rc 0 "--since 30d"
[ "$(json_get "(d['alerts'][0]['count'], d['alerts'][0]['breaches']['ack'])")" = "(5, 3)" ] ||
	fail "30 days: $out"
run sla report --since 45m --json
expect_rc 0 "--since 45m"
[ "$(json_get "[(l['severity'], l['count']) for l in d['alerts'] if l['count']]")" = \
	"[('high', 1)]" ] || fail "45 minutes: $out"
pass "--since moves the window"

# Human output: the critical alerts' line, as a viewer.
run_as erin sla report
expect_rc 0 "sla report as a viewer"
line=$(echo "$out" | awk '/^alerts /{on=1} /^incidents /{on=0} on && /^critical /')
echo "$line" | grep -Eq '^critical +15m/4h +4 +3 +2 +2 +2 +10m00s +26m00s +3h30m +5h30m$' ||
	fail "human report line: '$line' in $out"
expect_contains "$out" "MTTA50"
pass "human report, readable by a viewer"

# --- bad input -------------------------------------------------------------------
for bad in 7x 0 -3d '' 1.5h 99999999999d; do
	run sla report --since "$bad"
	expect_rc 2 "--since '$bad'"
	expect_contains "$err" "--since takes a duration back from now"
done
run sla report --since bogus --json
expect_rc 2 "--since bogus --json"
[ "$(json_get "(d['ok'], d['result'])")" = "(False, 'usage')" ] || fail "JSON usage error: $out"
run sla report extra
expect_rc 2 "an extra argument"
run sla report --bogus
expect_rc 2 "an unknown option"
pass "bad --since and arguments: exit 2, clear message"

# --- the breaching view ------------------------------------------------------------
# Open alerts due by now + 1 hour, soonest deadline first: A5 (20 days
# ago + 15m), B2 (now - 2h), A1 (now - 1h45), A4 (now - 1h: resolve
# target), B1 (now + 30m).  Not C1 (now + 3h), not D1 (no target), not
# the closed ones.
run alerts list --view breaching --json
expect_rc 0 "alerts list --view breaching"
[ "$(json_get "[a['id'] for a in d['alerts']]")" = "[$A5, $B2, $A1, $A4, $B1]" ] ||
	fail "breaching view: $out"
[ "$(json_get "[a['sla']['state'] for a in d['alerts']]")" = \
	"['breached', 'breached', 'breached', 'breached', 'due']" ] || fail "states: $out"
[ "$(json_get "-7000 < d['alerts'][2]['sla']['left_seconds'] < -5600")" = True ] ||
	fail "A1 is 1h45 overdue: $out"
# Keyset pages of two: the deadline and id carry over.
run alerts list --view breaching --limit 2 --json
[ "$(json_get "([a['id'] for a in d['alerts']], d['next_after'])")" = "([$A5, $B2], $B2)" ] ||
	fail "first page: $out"
run alerts list --view breaching --limit 2 --after "$B2" --json
[ "$(json_get "[a['id'] for a in d['alerts']]")" = "[$A1, $A4]" ] || fail "second page: $out"
run alerts list --view breaching --limit 2 --after "$A4" --json
[ "$(json_get "([a['id'] for a in d['alerts']], d['next_after'])")" = "([$B1], None)" ] ||
	fail "last page: $out"
# Filters apply inside: high only.
run alerts list --view breaching --severity high --json
[ "$(json_get "[a['id'] for a in d['alerts']]")" = "[$B2, $B1]" ] || fail "high only: $out"
# Targets are data: with 30 minutes to acknowledge a medium alert, C1
# (new for an hour) is 30 minutes overdue and joins the view.
sql_as dave "UPDATE sla_targets SET time_to_ack = '30 minutes' WHERE name = 'medium'" >/dev/null
run alerts list --view breaching --severity medium --json
[ "$(json_get "[a['id'] for a in d['alerts']]")" = "[$C1]" ] || fail "medium at 30m: $out"
sql_as dave "UPDATE sla_targets SET time_to_ack = '4 hours' WHERE name = 'medium'" >/dev/null
pass "breaching view: contents, order, pages, filters, targets as data"

# --- acknowledged_at -------------------------------------------------------------
run alert ack "$C1"
expect_rc 0 "alert ack"
first=$(sql "SELECT acknowledged_at FROM alerts WHERE id = $C1")
[ -n "$first" ] || fail "ack left acknowledged_at empty"
run alert close "$C1" --disposition benign --reason "lab"
expect_rc 0 "alert close"
run alert reopen "$C1" --reason "again"
expect_rc 0 "alert reopen"
[ "$(sql "SELECT acknowledged_at FROM alerts WHERE id = $C1")" = "$first" ] ||
	fail "acknowledged_at moved by close and reopen"
expect_contains "$(sql_as bob "UPDATE alerts SET acknowledged_at = NULL WHERE id = $C1")" \
	"permission denied"
# An incident is acknowledged when it gets an owner, and stays so: an
# analyst's own SQL (audited, as the database demands) can neither clear
# nor move it.
run_as bob incident assign "$I1" bob
expect_rc 0 "incident assign"
ack=$(sql "SELECT acknowledged_at FROM incidents WHERE id = $I1")
[ -n "$ack" ] || fail "an owner did not acknowledge the incident"
run_as bob incident assign "$I1" none
expect_rc 0 "incident assign none"
for v in NULL "now() - interval '1 day'"; do
	o=$(sql_as bob "SELECT audit_record('incident.test', 'incident', $I1, NULL, NULL);
		UPDATE incidents SET acknowledged_at = $v WHERE id = $I1")
	expect_not_contains "$o" "ERROR" "the analyst's update"
	[ "$(sql "SELECT acknowledged_at FROM incidents WHERE id = $I1")" = "$ack" ] ||
		fail "an analyst set acknowledged_at to $v"
done
# Leaving 'open' acknowledges too (I5 has no owner).
I5=$(inc "sla I5" 3 open "" '10 minutes')
run_as bob incident status "$I5" triage
expect_rc 0 "incident status triage"
[ "$(sql "SELECT acknowledged_at IS NOT NULL FROM incidents WHERE id = $I5")" = t ] ||
	fail "leaving open did not acknowledge"
pass "acknowledged_at: set once by the database, never cleared or moved by analysts"
