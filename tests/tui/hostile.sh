# hostile.sh: terminal escapes, a C1 CSI, bidi overrides and invalid UTF-8
# in a title, an asset and the evidence are shown as visible escapes and
# never reach the terminal (the pane title must not change).
. "$VSOC_SRCDIR/tests/lib.sh"
. "$VSOC_SRCDIR/tests/tui/tmux.sh"
. "$VSOC_SRCDIR/tests/tui/fixtures.sh"
migrate
seed_alerts 3
sql "INSERT INTO assets (kind, external_id, name) VALUES
     ('station', E'EVIL\\x1b[31m', E'name\\x07')" >/dev/null
# Title: ESC [ 2 J, OSC 0 ; title BEL, C1 CSI (U+009B), RLO (U+202E), and
# the invalid bytes 0xff 0xfe (decoded as LATIN1 so the database accepts
# them, then shown as the UTF-8 they became, or kept raw in the evidence).
sql "INSERT INTO alerts (rule_id, title, severity, asset_id, asset_ref, first_seen,
       last_seen, evidence)
     SELECT 'R13', E'pwn\\x1b[2J\\x1b]0;HACKED\\x07 csi\\u009b31m rlo\\u202Eabc', 5, id,
       external_id, now(), now(),
       jsonb_build_object('payload', E'\\x1b]0;HACKED\\x07\\u202E',
         'raw', convert_from('\\xfffe41'::bytea, 'LATIN1'))
     FROM assets WHERE external_id = E'EVIL\\x1b[31m'" >/dev/null

TUI_ENV="PGUSER=alice"
console evil 100 30
before=$(tmx display -p -t evil '#{pane_title}')
wait_for evil 'pwn\e[2J\e]0;HACKED\x07'
wait_for evil 'EVIL\e[31m'
s=$(screen evil)
expect_contains "$s" 'csi\u{009B}' "C1 CSI escaped"
pass "title and asset shown with visible escapes"

keys evil Enter
wait_for evil "Evidence"
wait_for evil '"payload"'
wait_for evil 'rlo\u{202E}abc'
s=$(screen evil)
expect_contains "$s" '\u{202E}' "bidi in evidence"
expect_contains "$s" 'HACKED' "evidence text"
expect_not_contains "$s" "$(printf '\033')" "raw ESC on screen"
pass "evidence pretty-printed, escapes visible"

after=$(tmx display -p -t evil '#{pane_title}')
[ "$after" = "$before" ] || fail "pane title changed: '$before' -> '$after'"
case $after in *HACKED*) fail "pane title set by an alert" ;; esac
pass "pane title unchanged ($after)"
keys evil q q
wait_exit evil 0

# Non-UTF-8 locale: everything non-ASCII is escaped.
tmx -f /dev/null new-session -d -s ascii -x 100 -y 30 \
	"env TERM=xterm-256color VSOC_DB='$VSOC_DB' LANG=C LC_ALL=C PGUSER=alice '$VSOC'; echo VSOC-EXIT=\$?; sleep 30"
wait_for ascii 'pwn\e[2J'
keys ascii Space
wait_for ascii '1 marked'
s=$(screen ascii)
expect_contains "$s" "sort: severityv" "ASCII sort arrow"
expect_not_contains "$s" "●" "UTF-8 symbol in an ASCII locale"
keys ascii k Enter
wait_for ascii 'rlo\u{202E}abc'
keys ascii q q
wait_exit ascii 0
pass "C locale: ASCII escapes and symbols"
