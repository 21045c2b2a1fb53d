# navigate.sh: j/k, PgDn/PgUp, g/G, Enter/Esc, the / filter and :sort on a
# queue larger than the window the console keeps in memory.
. "$VSOC_SRCDIR/tests/lib.sh"
. "$VSOC_SRCDIR/tests/tui/tmux.sh"
. "$VSOC_SRCDIR/tests/tui/fixtures.sh"
migrate
seed_alerts 250

TUI_ENV="PGUSER=alice"
console nav 80 24
wait_for nav "row 1 of 250"
keys nav j j j
wait_for nav "row 4 of 250"
keys nav k
wait_for nav "row 3 of 250"
pass "j/k"

keys nav NPage
wait_for nav "row 23 of 250"
keys nav C-f C-f C-f C-f
wait_for nav "row 103 of 250"
keys nav PPage
wait_for nav "row 83 of 250"
pass "PgDn/^F/PgUp across fetched pages"

keys nav G
wait_for nav "row 250 of 250"
# Severity sort, then last seen: the last row is the oldest info alert.
wait_for nav "alert title 0005"
keys nav k k
wait_for nav "row 248 of 250"
keys nav g
wait_for nav "row 1 of 250"
wait_for nav "alert title 0249"
pass "G/g jump to the ends"

keys nav j Enter
wait_for nav "Evidence"
wait_for nav "Other alerts on"
keys nav Escape
wait_for nav "row 2 of 250"
pass "Enter opens the detail, Esc returns with the selection kept"

keys nav / 0 1 2
wait_for nav "filter: text=012"
wait_for nav "alert title 0120"
keys nav Enter
wait_for nav "row 1 of 11"
keys nav / C-u 9 9 9 9
wait_for nav "No alerts match"
keys nav Escape
wait_for nav "row 1 of 11"
pass "/ filters as you type; Esc restores the previous filter"

keys nav : 'filter' Enter
wait_for nav "row 1 of 250"
keys nav : 'sort title' Enter
wait_for nav "sorted by title"
keys nav j
wait_for nav "alert title 0002"
keys nav : 'sort title' Enter
wait_for nav "sorted by title, reversed"
wait_for nav "alert title 0249"
keys nav : 's' Enter
wait_for nav "ambiguous command: s, could be: save, sort, suppress"
keys nav : 'so' Tab ' -ti' Tab Enter
wait_for nav "sorted by title, reversed"
pass ":sort toggles, prefixes resolve, Tab completes"

keys nav : 'view closed' Enter
wait_for nav "No alerts in this view"
keys nav 1
wait_for nav "row 1 of 250"
keys nav : 'save mytitle' Enter
wait_for nav "saved view mytitle"
keys nav : 'view all' Enter : 'view myt' Tab Enter
wait_for nav "view: mytitle"
pass "views and saved views"

# The queue's commands reach it from an alert's detail: the detail goes.
keys nav Enter
wait_for nav "Evidence"
keys nav : 'sort id' Enter
wait_for nav "sorted by id"
wait_for nav "TITLE"
keys nav Enter
wait_for nav "Evidence"
keys nav : 'so' Tab Tab
wait_for nav "sort"
keys nav Escape Escape
wait_for nav "TITLE"
keys nav '?'
wait_for nav "view-mine"
# Page on until the queue's commands show (the help grows with the keys).
for _ in 1 2 3 4; do
	screen nav | grep -qF ":delete-view NAME" && break
	keys nav NPage
	sleep 0.3
done
wait_for nav ":delete-view NAME"
keys nav q
wait_for nav "TITLE"
pass "queue commands from the detail view; help lists every view's commands"
keys nav q
wait_exit nav 0
