#!/usr/bin/env bash
# `qgate merge` on the public corpus split by project: one shard per project (10 shards), each
# run with --report-fingerprints, merged, and compared with one run over the whole corpus — the
# JSON must be identical. Prints the timings for docs/benchmarks.md.
# Usage: bash scripts/merge-corpus.sh [CORPUS_DIR]   (default: $QGATE_CORPUS or ~/.cache/qgate-corpus)
set -euo pipefail
cd "$(dirname "$0")/.."
C=${1:-${QGATE_CORPUS:-$HOME/.cache/qgate-corpus}}
[ -d "$C/python" ] || bash scripts/corpus.sh "$C"
cargo build --release -q
Q=$PWD/target/release/qgate
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# One repository holding both languages (hard links: no copy), so every shard's paths are
# relative to the same root, as in a monorepo.
mkdir "$T/repo" "$T/out"
cp -al "$C/python" "$C/rust" "$T/repo/"
git -C "$T/repo" init -q
cd "$T/repo"
now() { date +%s.%N; }
t0=$(now)
"$Q" check . --report-fingerprints --format json -o "$T/out/whole.json" || [ $? -eq 1 ]
t1=$(now)
shards=()
for project in python/* rust/*; do
  name=$(basename "$project")
  "$Q" check "$project" --report-fingerprints --format json -o "$T/out/$name.json" 2>/dev/null || [ $? -eq 1 ]
  shards+=("$T/out/$name.json")
done
t2=$(now)
"$Q" merge "${shards[@]}" -o "$T/out/merged.json" 2>/dev/null || [ $? -eq 1 ]
t3=$(now)
python3 - "$T/out/whole.json" "$T/out/merged.json" <<'PY'
import json, sys
whole, merged = (json.load(open(p)) for p in sys.argv[1:3])
s = merged["summary"]
print(f"files {s['files']}, functions {s['functions']}, duplication {s['duplication']['percent']} % "
      f"({s['duplication']['clones']} clones), grade {s['grade']['letter']}, status {merged['status']}")
cross = sum(1 for c in merged["duplication"]["clones"]
            if len({f["path"].split("/")[1] for f in c["fragments"]}) > 1)
print(f"listed clones spanning two projects: {cross}")
if whole != merged:
    keys = [k for k in whole if whole[k] != merged.get(k)]
    sys.exit(f"merged report differs from one run in: {keys}")
print("merged report == one run's report (byte-for-byte equal JSON values)")
PY
python3 - "$t0" "$t1" "$t2" "$t3" "${shards[@]}" <<'PY'
import os, sys
t0, t1, t2, t3 = map(float, sys.argv[1:5])
size = sum(os.path.getsize(p) for p in sys.argv[5:]) / 1e6
print(f"shard reports with fingerprints: {size:.1f} MB in all")
print(f"one run: {t1 - t0:.2f} s; {len(sys.argv) - 5} shards one after another: {t2 - t1:.2f} s; merge: {t3 - t2:.2f} s")
PY
