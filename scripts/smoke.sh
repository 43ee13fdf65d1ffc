#!/usr/bin/env bash
# Corpus smoke test (issue 17): qgate over every corpus of scripts/corpus.sh and over
# ~/.cargo/registry/src (every crate this machine has built: real Rust nobody wrote for qgate),
# asserting for each tree: no panic or internal error, an exit code in {0, 1, 2}, every file the
# walk found either analysed or skipped with a reason, and time and peak memory within the budget
# below. Prints a line per tree for docs/reliability.md.
# Usage: bash scripts/smoke.sh [CORPUS_DIR]   (default: $QGATE_CORPUS or ~/.cache/qgate-corpus)
set -euo pipefail
cd "$(dirname "$0")/.."
C=${1:-${QGATE_CORPUS:-$HOME/.cache/qgate-corpus}}
[ -d "$C/python" ] || bash scripts/corpus.sh "$C"
cargo build --release -q
Q=$PWD/target/release/qgate
# Budgets per tree, on 2 cores: generous multiples of what docs/benchmarks.md records.
MAX_SECONDS=${QGATE_SMOKE_SECONDS:-120}
MAX_RSS_MB=${QGATE_SMOKE_RSS_MB:-2048}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
trees=("$C"/python/* "$C"/rust/*)
[ -d "$HOME/.cargo/registry/src" ] && trees+=("$HOME"/.cargo/registry/src/*)
fails=0
for tree in "${trees[@]}"; do
  name=${tree#"$HOME"/}
  set +e
  /usr/bin/time -f '%e %M' -o "$T/time" "$Q" check "$tree" --format json -o "$T/report.json" \
    >/dev/null 2>"$T/stderr"
  code=$?
  set -e
  # GNU time writes "Command exited with non-zero status N" first: the figures are the last line.
  read -r seconds rss_kb < <(tail -n 1 "$T/time") || true
  problems=()
  case $code in 0 | 1 | 2) ;; *) problems+=("exit $code") ;; esac
  grep -q 'internal error\|panicked' "$T/stderr" && problems+=("panic: $(grep -m1 'internal error\|panicked' "$T/stderr")")
  if [ -s "$T/report.json" ]; then
    python3 - "$T/report.json" >"$T/check" <<'PY' || problems+=("$(cat "$T/check")")
import json, sys
r = json.load(open(sys.argv[1]))
internal = [s["path"] for s in r["skipped"] if s["reason"] == "internal-error"]
unexplained = [s["path"] for s in r["skipped"] if not s["message"]]
if internal or unexplained:
    print(f"internal errors {internal[:3]}, skips without a reason {unexplained[:3]}")
    sys.exit(1)
print(f"{r['summary']['files']} files, {len(r['skipped'])} skipped")
PY
  elif [ "$code" -ne 2 ]; then
    problems+=("no report and exit $code")
  fi
  awk -v s="$seconds" -v max="$MAX_SECONDS" 'BEGIN { exit !(s > max) }' && problems+=("${seconds} s > ${MAX_SECONDS} s")
  [ "$((rss_kb / 1024))" -le "$MAX_RSS_MB" ] || problems+=("$((rss_kb / 1024)) MB > ${MAX_RSS_MB} MB")
  summary=$(cat "$T/check" 2>/dev/null || echo "no report: $(head -c 160 "$T/stderr")")
  if [ ${#problems[@]} -eq 0 ]; then
    printf 'ok   %-60s exit %s, %s s, %s MB, %s\n' "$name" "$code" "$seconds" "$((rss_kb / 1024))" "$summary"
  else
    printf 'FAIL %-60s %s\n' "$name" "${problems[*]}"
    fails=$((fails + 1))
  fi
  rm -f "$T/report.json" "$T/check"
done
echo "${#trees[@]} trees, $fails failing"
[ "$fails" -eq 0 ]
