#!/usr/bin/env bash
# RELIABILITY.md X6: `qgate check` of the whole public corpus inside a 512 MB memory cgroup
# (cgroup v2 `memory.max`, or v1 `memory.limit_in_bytes`; `systemd-run --scope -p
# MemoryMax=512M` does the same where systemd runs), compared with an unlimited run: the same
# exit code and the same JSON report, no OOM kill. Needs root and a writable memory controller;
# without one it says so and exits 0 (the `ulimit -v` case is a test: tests/hostile.rs).
# Usage: bash scripts/memory-limit.sh [CORPUS_DIR] [LIMIT_MB]
set -euo pipefail
cd "$(dirname "$0")/.."
C=${1:-${QGATE_CORPUS:-$HOME/.cache/qgate-corpus}}
LIMIT_MB=${2:-512}
[ -d "$C/python" ] || bash scripts/corpus.sh "$C"
cargo build --release -q
Q=$PWD/target/release/qgate
T=$(mktemp -d)

if [ -w /sys/fs/cgroup/cgroup.subtree_control ] && grep -qw memory /sys/fs/cgroup/cgroup.controllers 2>/dev/null; then
  G=/sys/fs/cgroup/qgate-memory-limit
  mkdir -p "$G"
  echo "$((LIMIT_MB * 1024 * 1024))" >"$G/memory.max"
  echo 0 >"$G/memory.swap.max" 2>/dev/null || true
  limit_file=memory.max peak_file=memory.peak
elif [ -d /sys/fs/cgroup/memory ] && [ -w /sys/fs/cgroup/memory ]; then
  G=/sys/fs/cgroup/memory/qgate-memory-limit
  mkdir -p "$G"
  echo "$((LIMIT_MB * 1024 * 1024))" >"$G/memory.limit_in_bytes"
  echo "$((LIMIT_MB * 1024 * 1024))" >"$G/memory.memsw.limit_in_bytes" 2>/dev/null || true
  echo 0 >"$G/memory.max_usage_in_bytes"
  limit_file=memory.limit_in_bytes peak_file=memory.max_usage_in_bytes
else
  echo "memory-limit.sh: no writable memory cgroup here; nothing measured"
  exit 0
fi
trap 'rm -rf "$T"; rmdir "$G" 2>/dev/null || true' EXIT

trees=("$C"/python/* "$C"/rust/*)
set +e
# --no-cache: the limited run analyses everything, not what the first run left in the cache.
"$Q" check "${trees[@]}" --no-cache --format json -o "$T/free.json" >/dev/null 2>"$T/free.err"
free=$?
start=$(date +%s.%N)
# The limit applies to this subshell and everything it starts.
(echo "$BASHPID" >"$G/cgroup.procs" && exec "$Q" check "${trees[@]}" --no-cache --format json -o "$T/limited.json") >/dev/null 2>"$T/limited.err"
limited=$?
set -e
seconds=$(printf '%.2f' "$(echo "$(date +%s.%N) - $start" | bc)")
peak_mb=$(($(cat "$G/$peak_file") / 1024 / 1024))
oom=$(grep -sh '^oom_kill ' "$G/memory.events" "$G/memory.oom_control" | awk '{print $2}' | head -n1 || true)
files=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["summary"]["files"])' "$T/free.json")
echo "limit $LIMIT_MB MB ($limit_file): exit $limited (unlimited: $free), $files files, ${seconds} s, peak ${peak_mb} MB, OOM kills ${oom:-0}"
[ "$limited" -eq "$free" ] || { echo "FAIL: exit codes differ"; cat "$T/limited.err"; exit 1; }
cmp -s "$T/free.json" "$T/limited.json" || { echo "FAIL: the reports differ"; exit 1; }
echo "ok: the same report under the limit"
