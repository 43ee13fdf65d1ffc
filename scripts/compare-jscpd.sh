#!/usr/bin/env bash
# Compares qgate's clone detection with jscpd 5.3.2 (pinned) on the Python and Rust corpora:
# jscpd's clone fragments covered by a qgate fragment (same file, overlapping lines), a sample
# of qgate clones jscpd did not report, both percentages, and the time and peak memory of one
# run of each.
#
# Usage: bash scripts/compare-jscpd.sh [CORPUS_DIR]   (default: $QGATE_CORPUS or ~/.cache/qgate-corpus)
# Needs: node and npm (jscpd is installed into ~/.cache/qgate-jscpd), python3, GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
C=${1:-${QGATE_CORPUS:-$HOME/.cache/qgate-corpus}}
[ -d "$C/python" ] || bash scripts/corpus.sh "$C"
J=${QGATE_JSCPD_DIR:-$HOME/.cache/qgate-jscpd}
if [ ! -x "$J/node_modules/.bin/jscpd" ]; then
  mkdir -p "$J" && (cd "$J" && npm i -s -E jscpd@5.3.2)
fi
cargo build --release --quiet
OUT=${QGATE_COMPARE_OUT:-$(mktemp -d)}
mkdir -p "$OUT"
# Same min-tokens as jscpd's default; every clone listed so fragments can be compared.
printf '[duplication]\nmin-tokens = 50\nmin-lines = 5\nmax-reported-clones = 10000000\nmax-reported-fragments = 10000000\nignore-imports = false\nignore-overloads = false\n' > "$OUT/qgate.toml"
for lang in python rust; do
  echo "== $lang: $C/$lang"
  /usr/bin/time -f "%e %M" -o "$OUT/jscpd-$lang.time" "$J/node_modules/.bin/jscpd" --min-tokens 50 --min-lines 5 \
    --format "$lang" --reporters json --output "$OUT/jscpd-$lang" "$C/$lang" > /dev/null 2>&1 || true
  /usr/bin/time -f "%e %M" -o "$OUT/qgate-$lang.time" ./target/release/qgate check "$C/$lang" \
    --config "$OUT/qgate.toml" --format json -o "$OUT/qgate-$lang.json" --exit-zero
  python3 - "$OUT/qgate-$lang.json" "$OUT/jscpd-$lang/jscpd-report.json" "$OUT/jscpd-$lang.time" "$OUT/qgate-$lang.time" <<'PY'
import collections, json, random, sys
q, j = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
jt, qt = (open(p).read().split() for p in sys.argv[3:5])
frags = collections.defaultdict(list)
for c in q["duplication"]["clones"]:
    for f in c["fragments"]:
        frags[f["path"]].append((f["start_line"], f["end_line"]))
files = {f["path"] for f in q["files"]}
total = covered = outside = 0
missed = []
jscpd_frags = collections.defaultdict(list)
for d in j["duplicates"]:
    for side in ("firstFile", "secondFile"):
        s = d[side]
        a, b = s["startLoc"]["line"], s["endLoc"]["line"]
        jscpd_frags[s["name"]].append((a, b))
        if s["name"] not in files:
            outside += 1
            continue
        total += 1
        if any(x <= b and y >= a for x, y in frags[s["name"]]):
            covered += 1
        else:
            missed.append((s["name"], a, b, d["tokens"]))
st = j["statistics"]["total"]
print(f"jscpd fragments: {total} in files qgate analyses, {covered} covered by a qgate fragment "
      f"({100 * covered / max(1, total):.2f} %); {outside} in files qgate does not analyse")
for m in missed[:10]:
    print("    missed:", *m)
ours = [(c, f) for c in q["duplication"]["clones"] for f in c["fragments"]
        if not any(x <= f["end_line"] and y >= f["start_line"] for x, y in jscpd_frags[f["path"]])]
random.seed(1)
print(f"qgate fragments no jscpd fragment overlaps: {len(ours)}; a sample for review:")
for c, f in random.sample(ours, min(5, len(ours))):
    print(f"    {f['path']}:{f['start_line']}-{f['end_line']} ({c['tokens']} tokens)")
d = q['summary']['duplication']
print(f"percent: jscpd {st['percentage']:.2f} % (one side of each clone), "
      f"qgate {d['percent']} % (both sides), qgate's jscpd-compatible {d['jscpd_percent']} %; "
      f"clones: jscpd {st['clones']}, qgate {d['clones']}")
print(f"time and peak memory: jscpd {jt[0]} s, {int(jt[1]) // 1024} MiB; qgate check (all metrics) {qt[0]} s, {int(qt[1]) // 1024} MiB")
PY
done
