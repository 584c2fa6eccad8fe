#!/usr/bin/env bash
# Real-terminal smoke test of the dashboard: runs `tapir ui-demo` inside tmux, visits every
# screen, approves and edits an expansion, changes the theme, resizes, suspends with ctrl-z
# and resumes with fg, quits with confirmation, then checks the database and that the
# terminal is sane again. Usage: scripts/tui-smoke.sh [path/to/tapir]
set -euo pipefail

TAPIR=$(realpath "${1:-.build/debug/tapir}")
WORK=$(mktemp -d)
DB="$WORK/demo.sqlite"
SESSION="tapir-smoke-$$"
FAILED=0
trap 'tmux kill-session -t "$SESSION" 2>/dev/null || true; rm -rf "$WORK"' EXIT

pass() { echo "ok   - $1"; }
fail() { echo "FAIL - $1"; FAILED=1; }
screen() { tmux capture-pane -t "$SESSION" -p; }
# Waits up to 10 s for text to appear on screen.
wait_for() {
  for _ in $(seq 1 100); do
    if screen | grep -qF -- "$1"; then return 0; fi
    sleep 0.1
  done
  return 1
}
expect() { if wait_for "$1"; then pass "$2"; else fail "$2 (missing: $1)"; screen | sed 's/^/     | /'; fi; }
keys() { tmux send-keys -t "$SESSION" "$@"; }

command -v tmux >/dev/null || { echo "tmux is required"; exit 2; }
tmux new-session -d -s "$SESSION" -x 120 -y 40 "bash --norc --noprofile"
keys "export TERM=xterm-256color LANG=C.UTF-8 PS1='PROMPT\$ '; clear" Enter
keys "'$TAPIR' ui-demo --engine-running --database '$DB'" Enter

expect " 1 Rounds │ 2 Tasks │ 3 Scores │" "first frame shows the tab bar"
expect "Round 2 stages" "rounds screen"
keys 2; expect "Category share · round 2" "tasks screen"
keys 3; expect "MFD (teacher − student)" "scores screen"
keys + +; expect "δ 1.50 →" "δ moves with +"
keys Enter; expect "will be used from the next round" "δ applied"
keys 4; expect "Hard queue · round 2" "hard queue screen"
keys 5; expect "Review · 4 pending" "review screen"
keys a; expect "Review · 3 pending · 1 approved" "approve"
keys e; expect "Edit #62" "edit prompt"
keys C-u "Edited in the smoke test" Enter; expect "edited and approved #62" "edit saved"
keys 6; expect "Samples · 64 of 64" "samples screen"
if screen | grep -qF "␛[31mred␛[0m"; then pass "escape sequences shown as placeholders"; else fail "escape placeholders"; fi
keys /; keys "Translate" Enter; expect "Samples · 1 of 1" "search"
keys Escape; expect "Samples · 64 of 64" "search cleared"
keys 7; expect "no trainer configured" "logs screen"
keys : "theme light" Enter; expect "theme light" "theme change"
tmux resize-window -t "$SESSION" -x 100 -y 30
sleep 1
if screen | tail -1 | grep -q "? help *$" && [ "$(screen | tail -1 | wc -m)" -le 102 ]; then pass "redraw after resize"; else fail "redraw after resize"; screen | tail -2; fi
keys C-z; expect "Stopped" "ctrl-z suspends"
keys "stty -a | grep -o -- '-*icanon\|-*echo ' | tr '\n' ' '; echo" Enter
expect "icanon echo" "terminal sane while suspended"
keys "clear; fg" Enter; expect " 1 Rounds │ 2 Tasks │" "fg redraws the dashboard"
keys q; expect "Quit the dashboard?" "quit asks while the engine runs"
keys y; sleep 0.5; keys "echo EXIT=\$?" Enter; expect "EXIT=0" "quit exits cleanly"
keys "stty -a | grep -o -- '-*icanon\|-*echo ' | tr '\n' ' '; echo" Enter
expect "icanon echo" "terminal sane after exit"

approved=$(sqlite3 "$DB" "SELECT COUNT(*) FROM expansions WHERE state IN ('approved','edited')")
edited=$(sqlite3 "$DB" "SELECT text FROM instructions WHERE id = 62")
delta=$(sqlite3 "$DB" "SELECT value FROM control WHERE key = 'delta_next'")
[ "$approved" = 2 ] && pass "database: 2 expansions approved" || fail "database approvals: $approved"
[ "$edited" = "Edited in the smoke test" ] && pass "database: edited text stored" || fail "database edit: $edited"
[ "$delta" = "1.5" ] && pass "database: δ for the next round" || fail "database δ: $delta"

if [ "$FAILED" = 0 ]; then echo "tui smoke test passed"; else echo "tui smoke test FAILED"; exit 1; fi
