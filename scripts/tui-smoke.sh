#!/usr/bin/env bash
# Real-terminal test of the dashboard, in tmux.
#
# Part 1 — `tapir` alone on a demo workspace (tapir init + demo/seed.jsonl) whose teacher,
# student, judge and classifier are `tapir-loopback-server --curriculum` on 127.0.0.1: the
# dashboard starts the engine in-process, which answers, judges, selects and writes
# expansions into the approval queue. The script visits every screen, moves δ, clicks and
# scrolls with the mouse (xterm SGR sequences), approves one expansion, edits one, changes
# the theme, resizes, suspends with ctrl-z and resumes with fg; a second dashboard attaches
# to the running engine; then it quits with confirmation and checks the database rows, that
# the engine lock is free, that no log line reached the terminal and that `stty -a` is
# unchanged.
# Part 2 — `tapir ui-demo`: hostile text (escape sequences) is shown as placeholders; search.
#
# Usage: scripts/tui-smoke.sh [path/to/tapir]   (tapir-loopback-server is taken from the same folder)
set -euo pipefail

TAPIR=$(realpath "${1:-.build/debug/tapir}")
BIN=$(dirname "$TAPIR")
SERVER_BIN="$BIN/tapir-loopback-server"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SEED="$ROOT/demo/seed.jsonl"
WORK=$(mktemp -d)
WS="$WORK/ws"
SESSION="tapir-smoke-$$"
OTHER="tapir-smoke-attach-$$"
FAILED=0
CHECKS=0
SERVER_PID=""
cleanup() {
  tmux kill-session -t "$SESSION" 2>/dev/null || true
  tmux kill-session -t "$OTHER" 2>/dev/null || true
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

pass() { CHECKS=$((CHECKS + 1)); echo "ok   - $1"; }
fail() { CHECKS=$((CHECKS + 1)); echo "FAIL - $1"; FAILED=1; }
screen_of() { tmux capture-pane -t "$1" -p; }
screen() { screen_of "$SESSION"; }
# Waits up to $2 seconds (default 10) for text to appear on screen.
wait_for() {
  local limit=$(( ${2:-10} * 10 ))
  for _ in $(seq 1 "$limit"); do
    if screen | grep -qF -- "$1"; then return 0; fi
    sleep 0.1
  done
  return 1
}
expect() { if wait_for "$1" "${3:-10}"; then pass "$2"; else fail "$2 (missing: $1)"; screen | sed 's/^/     | /'; fi; }
keys() { tmux send-keys -t "$SESSION" "$@"; }
# An xterm SGR mouse report at 1-based column $2, row $3 (button code $1), press then release.
mouse() {
  local seq press release
  press=$(printf '\033[<%s;%s;%sM' "$1" "$2" "$3")
  release=$(printf '\033[<%s;%s;%sm' "$1" "$2" "$3")
  for seq in "$press" "$release"; do
    tmux send-keys -t "$SESSION" -H $(printf '%s' "$seq" | od -An -tx1)
    if [ "$1" -ge 64 ]; then break; fi  # wheel events have no release
  done
}
sql() { sqlite3 "$WS/tapir.sqlite" "$1"; }
sane() { keys "stty -a | grep -o -- '-*icanon\|-*echo ' | tr '\n' ' '; echo" Enter; }

command -v tmux >/dev/null || { echo "tmux is required"; exit 2; }
command -v sqlite3 >/dev/null || { echo "sqlite3 is required"; exit 2; }
[ -x "$SERVER_BIN" ] || { echo "missing $SERVER_BIN (swift build builds it)"; exit 2; }

# ---- Part 1: `tapir` on a demo workspace with a scripted loopback teacher/student/judge.
"$SERVER_BIN" --curriculum --delay 0.002 >"$WORK/server.out" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do grep -q listening "$WORK/server.out" 2>/dev/null && break; sleep 0.1; done
URL=$(sed -n 's/^listening //p' "$WORK/server.out")
[ -n "$URL" ] || { echo "loopback server did not start"; cat "$WORK/server.out"; exit 1; }

"$TAPIR" init "$WS" >/dev/null
# The demo configuration with every role (a judge added) on the loopback server, judge difficulty,
# 4 expansions per round waiting for manual approval, and the mouse on.
awk -v url="$URL" '
  /^  judge: null/ {
    print "  judge:"; print "    provider: openai"; print "    base_url: \"" url "\""
    print "    model: \"judge-model\""; print "    temperature: 0.0"; print "    max_tokens: 128"; next
  }
  /^  (student|teacher|judge|classifier):/ { role = $1; sub(":", "", role) }
  /provider: native/ { sub("provider: native ", "provider: openai ") }
  /base_url: null/ { sub("base_url: null", "base_url: \"" url "\"") }
  /model: null/ { sub("model: null", "model: \"" role "-model\"") }
  /difficulty: ifd/ { sub("difficulty: ifd ", "difficulty: judge") }
  /expansions_per_round:/ { sub("expansions_per_round: 8 ", "expansions_per_round: 4 ") }
  /mouse: false/ { sub("mouse: false", "mouse: true ") }
  { print }
' "$ROOT/demo/tapir.yaml" >"$WS/tapir.yaml"
"$TAPIR" import --workspace "$WS" "$SEED" >/dev/null

tmux new-session -d -s "$SESSION" -x 120 -y 40 "bash --norc --noprofile"
keys "export TERM=xterm-256color LANG=C.UTF-8 TAPIR_THEMES='$ROOT/themes' PS1='PROMPT\$ '; cd '$WS'; stty -a > '$WORK/stty.before'; clear" Enter
keys "'$TAPIR'" Enter

expect " 1 Rounds │ 2 Tasks │ 3 Scores │" "tapir alone: first frame shows the tab bar"
expect "engine " "status bar names the in-process engine"
keys 5
expect "Review · 4 pending" "engine in-process fills the approval queue" 60
expect "engine waits for approvals" "status bar: the engine waits for approvals"
keys 1; expect "Round 1 stages" "rounds screen"
keys 2; expect "Category share · round 1" "tasks screen"
keys 3; expect "MFD (teacher − student)" "scores screen"
keys + +; expect "→" "δ moves with +"
keys Enter; expect "will be used from the next round" "δ applied"
keys 4; expect "Hard queue · round 1" "hard queue screen"
keys 6; expect "Samples · " "samples screen"
# Mouse: click the third row of the Samples list (rows start on screen row 4, 1-based),
# then roll the wheel down once (3 rows).
mouse 0 5 6; expect "Instruction #3 " "mouse click selects a row"
mouse 65 5 6; expect "Instruction #6 " "mouse wheel scrolls the selection"
keys 7; expect "engine started in the dashboard process" "logs screen shows the engine's events"
keys 5; expect "Review · 4 pending" "review screen"
keys a; expect "Review · 3 pending · 1 approved" "approve"
keys e; expect "Edit #" "edit prompt"
keys C-u "Edited in the smoke test" Enter; expect "edited and approved #" "edit saved"
expect "Review · 2 pending · 2 approved" "review counts after the edit"
keys : "theme light" Enter; expect "theme light" "theme change"
tmux resize-window -t "$SESSION" -x 100 -y 30
sleep 1
if screen | tail -1 | grep -q "? help *$" && [ "$(screen | tail -1 | wc -m)" -le 102 ]; then pass "redraw after resize"; else fail "redraw after resize"; screen | tail -2; fi
keys C-z; expect "Stopped" "ctrl-z suspends"
sane; expect "icanon echo" "terminal sane while suspended"
keys "clear; fg" Enter; expect " 1 Rounds │ 2 Tasks │" "fg redraws the dashboard"

# A second dashboard attaches to the engine of the first.
tmux new-session -d -s "$OTHER" -x 120 -y 30 "bash --norc --noprofile"
tmux send-keys -t "$OTHER" "export TERM=xterm-256color LANG=C.UTF-8; cd '$WS'; '$TAPIR'" Enter
attached=0
for _ in $(seq 1 100); do
  if screen_of "$OTHER" | grep -q "attached to engine pid"; then attached=1; break; fi
  sleep 0.1
done
if [ "$attached" = 1 ]; then pass "second dashboard attaches and says so"; else fail "attach"; screen_of "$OTHER" | tail -2; fi
tmux send-keys -t "$OTHER" q; sleep 0.3; tmux send-keys -t "$OTHER" y; sleep 0.5
tmux kill-session -t "$OTHER" 2>/dev/null || true

keys q; expect "Quit the dashboard?" "quit asks while the engine runs"
keys y; expect "tapir: engine stopped" "quitting stops the in-process engine" 20
keys "echo EXIT=\$?" Enter; expect "EXIT=0" "quit exits cleanly"
keys "stty -a > '$WORK/stty.after'" Enter; sleep 0.5
# The window was resized on purpose: compare everything but rows and columns.
unsized() { sed -E 's/rows [0-9]+; columns [0-9]+;//' "$1"; }
if diff <(unsized "$WORK/stty.before") <(unsized "$WORK/stty.after") >/dev/null; then pass "stty -a unchanged after exit"; else fail "stty differs"; diff <(unsized "$WORK/stty.before") <(unsized "$WORK/stty.after") || true; fi
sane; expect "icanon echo" "terminal sane after exit"
if screen | grep -qE "round 1: |\[round|info engine"; then fail "engine log lines reached the terminal"; screen | sed 's/^/     | /'; else pass "no engine log lines on the terminal"; fi

approved=$(sql "SELECT COUNT(*) FROM expansions WHERE state IN ('approved','edited')")
edited=$(sql "SELECT COUNT(*) FROM instructions WHERE text = 'Edited in the smoke test' AND source = 'expansion'")
delta=$(sql "SELECT value FROM control WHERE key = 'delta_next'")
judged=$(sql "SELECT COUNT(*) FROM judgements WHERE round = 1 AND status = 'ok'")
started=$(sql "SELECT COUNT(*) FROM events WHERE message LIKE 'engine started in the dashboard process%'")
[ "$approved" = 2 ] && pass "database: 2 expansions approved" || fail "database approvals: $approved"
[ "$edited" = 1 ] && pass "database: edited text stored" || fail "database edit: $edited"
[ -n "$delta" ] && pass "database: δ $delta for the next round" || fail "database δ missing"
[ "$judged" -gt 0 ] && pass "database: $judged judgements written by the in-process engine" || fail "database judgements: $judged"
[ "$started" -ge 1 ] && pass "database: engine start event" || fail "database: no engine start event"
# The reviews changed what the waiting engine reads, so it ran the expand stage again.
reruns=$(sql "SELECT COUNT(*) FROM events WHERE message = 'round 1: expand started'")
[ "$reruns" -ge 2 ] && pass "database: the engine carried on after the reviews ($reruns expand runs)" || fail "engine did not re-run after the reviews: $reruns"
if flock -n "$WS/.tapir.lock" true; then pass "engine lock released"; else fail "engine lock still held"; fi
[ -s "$WS/logs/dashboard.log" ] || [ -f "$WS/logs/dashboard.log" ] && pass "log file written" || fail "no logs/dashboard.log"

# ---- Part 2: hostile text and search on the generated demo history.
DB="$WORK/demo.sqlite"
keys "clear; '$TAPIR' ui-demo --database '$DB'" Enter
expect " 1 Rounds │ 2 Tasks │ 3 Scores │" "ui-demo first frame"
keys 6; expect "Samples · 64 of 64" "ui-demo samples screen"
if screen | grep -qF "␛[31mred␛[0m"; then pass "escape sequences shown as placeholders"; else fail "escape placeholders"; fi
keys /; keys "Translate" Enter; expect "Samples · 1 of 1" "search"
keys Escape; expect "Samples · 64 of 64" "search cleared"
keys q; sleep 0.5; keys "echo EXIT=\$?" Enter; expect "EXIT=0" "ui-demo quits at once without an engine"

if [ "$FAILED" = 0 ]; then echo "tui smoke test passed ($CHECKS checks)"; else echo "tui smoke test FAILED"; exit 1; fi
