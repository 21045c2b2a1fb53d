# saved_views.sh: :filter and :sort, :save NAME, a restart with
# `vsoc console --view NAME`, :view NAME, :delete-view NAME; another
# analyst does not see the view.
. "$VSOC_SRCDIR/tests/lib.sh"
. "$VSOC_SRCDIR/tests/tui/tmux.sh"
. "$VSOC_SRCDIR/tests/tui/fixtures.sh"
migrate
seed_alerts 30

TUI_ENV="PGUSER=alice"
console sv 80 24
wait_for sv "row 1 of 30"
keys sv : "filter sev>=high" Enter
wait_for sv "filter: severity>=high"
wait_for sv "row 1 of 12"
keys sv : "sort -title" Enter
wait_for sv "sorted by title, reversed"
keys sv : "save hot" Enter
wait_for sv "saved view hot"
wait_for sv "view: hot"
[ "$(sql "SELECT s.base_view || '|' || s.filter || '|' || s.sort FROM saved_views s
          JOIN analysts a ON a.id = s.analyst_id WHERE a.name = 'alice' AND s.name = 'hot'")" = \
  "open|severity>=high|-title" ] || fail "saved view row: $(sql "SELECT * FROM saved_views")"
keys sv q
wait_exit sv 0
pass ":filter, :sort, :save"

# A restart straight into the saved view: filter and sort come back.
tmx kill-session -t sv
console sv 80 24 xterm-256color console --view hot
wait_for sv "view: hot"
wait_for sv "filter: severity>=high"
wait_for sv "row 1 of 12"
# Reverse title order among high and critical alerts: 0029 is critical.
screen sv | sed -n 4p | grep -qF "alert title 0029" || fail "row 1: $(screen sv)"
pass "vsoc console --view NAME"

# A built-in view keeps the current filter (as the 1-6 keys do); :filter
# clears it, and :view NAME brings the saved filter and sort back.
keys sv : "view open" Enter
wait_for sv "view: open"
wait_for sv "filter: severity>=high"
keys sv : filter Enter
wait_for sv "filter: (none)"
wait_for sv "row 1 of 30"
keys sv : "view hot" Enter
wait_for sv "view: hot"
wait_for sv "filter: severity>=high"
wait_for sv "sort: title"
wait_for sv "row 1 of 12"
pass ":view NAME switches to and from the saved view"

keys sv : "delete-view hot" Enter
wait_for sv "deleted view hot"
[ "$(sql "SELECT count(*) FROM saved_views")" = 0 ] || fail "view not deleted"
keys sv : "view hot" Enter
wait_for sv "unknown view 'hot'"
keys sv : "delete-view hot" Enter
wait_for sv "no saved view 'hot'"
keys sv q
wait_exit sv 0
pass ":delete-view NAME, then the name is unknown"

# Saved views are per analyst: bob's console does not know alice's.
sql "INSERT INTO analysts (name) VALUES ('bob') ON CONFLICT DO NOTHING" >/dev/null
tmx kill-session -t sv
console a 80 24
keys a : "save mine-hot" Enter
wait_for a "saved view mine-hot"
keys a q
wait_exit a 0
TUI_ENV="PGUSER=bob"
console b 80 24 xterm-256color console --view mine-hot
wait_for b "unknown view 'mine-hot'"
wait_for b "view: open"
keys b q
wait_exit b 0
pass "saved views are per analyst"
