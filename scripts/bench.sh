#!/usr/bin/env bash
# Times qgate on the public corpus (scripts/corpus.sh) side by side with the reference tools in
# one run: ruff's parse alone (W291) and C901, radon, complexipy, interrogate and jscpd on the
# Python corpus, syn's parse alone on the Rust one, and qgate on the Python corpus twice over.
# Prints one Markdown table (wall and CPU from hyperfine, peak memory from /usr/bin/time) and
# the ratios issue 18 sets, for docs/benchmarks.md.
#
# Usage: bash scripts/bench.sh [CORPUS_DIR]    (default: $QGATE_CORPUS or ~/.cache/qgate-corpus)
#        bash scripts/bench.sh new-code        what --base HEAD~1 costs on this repository
# Needs: hyperfine (apt-get install hyperfine), python3, GNU time, node and npm; installs the
# Python tools into a venv and jscpd into ~/.cache/qgate-jscpd.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = new-code ]; then
  command -v hyperfine >/dev/null || { echo "hyperfine is missing: apt-get install hyperfine" >&2; exit 2; }
  cargo build --release --quiet --bins
  Q=$PWD/target/release/qgate
  echo "machine: $(nproc) cores; $(git ls-files '*.py' '*.rs' | wc -l) tracked Python and Rust files; HEAD~1..HEAD: $(git diff --shortstat HEAD~1)"
  hyperfine --warmup 2 --runs 20 -i --export-markdown /tmp/qgate-bench-new-code.md \
    -n "qgate check" "$Q check . --format json -o /dev/null" \
    -n "qgate check --base HEAD~1" "$Q check . --base HEAD~1 --format json -o /dev/null" \
    -n "qgate check --base HEAD~20" "$Q check . --base HEAD~20 --format json -o /dev/null"
  cat /tmp/qgate-bench-new-code.md
  exit 0
fi
C=${1:-${QGATE_CORPUS:-$HOME/.cache/qgate-corpus}}
[ -d "$C/python" ] || bash scripts/corpus.sh "$C"
V=${QGATE_BENCH_VENV:-$HOME/.cache/qgate-bench-venv}
[ -x "$V/bin/complexipy" ] || { python3 -m venv "$V" && "$V/bin/pip" install -q radon==6.0.1 complexipy==8.3.0 interrogate==1.7.0 ruff==0.17.6; }
J=${QGATE_JSCPD_DIR:-$HOME/.cache/qgate-jscpd}
[ -x "$J/node_modules/.bin/jscpd" ] || { mkdir -p "$J" && (cd "$J" && npm i -s -E jscpd@5.3.2); }
command -v hyperfine >/dev/null || { echo "hyperfine is missing: apt-get install hyperfine" >&2; exit 2; }
cargo build --release --quiet --bins --examples
Q=$PWD/target/release/qgate
P=$PWD/target/release/examples/syn_parse_only
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# The corpus twice over (two copies under one root) for the scaling ratio.
mkdir "$T/double" && cp -r "$C/python" "$T/double/a" && cp -r "$C/python" "$T/double/b"
lines() { find "$1" -name "$2" -print0 | xargs -0 cat | wc -l; }
echo "machine: $(nproc) cores, $(uname -m); qgate $("$Q" --version | cut -d' ' -f2) (release profile); $("$V/bin/ruff" --version); radon $("$V/bin/radon" --version); $("$V/bin/pip" list 2>/dev/null | grep -iE '^(complexipy|interrogate) ' | tr -s ' ' | paste -sd';' | sed 's/;/; /g'); $("$J/node_modules/.bin/jscpd" --version)"
echo "python corpus: $(find "$C/python" -name '*.py' | wc -l) files, $(lines "$C/python" '*.py') lines; rust corpus: $(find "$C/rust" -name '*.rs' | wc -l) files, $(lines "$C/rust" '*.rs') lines"

# Each command is a shell word list (hyperfine -N splits it so, `sh -c` runs it for the peak):
# the paths in it are quoted, so a corpus or checkout under a path with spaces works.
qQ=$(printf '%q' "$Q"); qP=$(printf '%q' "$P"); qC=$(printf '%q' "$C"); qT=$(printf '%q' "$T")
qV=$(printf '%q' "$V"); qJ=$(printf '%q' "$J")
# name|command: qgate exits 1 when a gate fails on the corpus, the linters when they find
# something; that is a result, not an error (hyperfine -i, time's status ignored).
fast=(
  "qgate check (python, no cache)|$qQ check $qC/python --no-cache --format json -o /dev/null"
  "qgate check (python, warm cache)|$qQ check $qC/python --cache-dir $qT/cache --format json -o /dev/null"
  "qgate check (python twice over, no cache)|$qQ check $qT/double --no-cache --format json -o /dev/null"
  "ruff --select W291 (parse only)|$qV/bin/ruff check --no-cache --isolated --select W291 --exit-zero -q $qC/python"
  "ruff --select C901|$qV/bin/ruff check --no-cache --isolated --select C901 --exit-zero -q $qC/python"
  "qgate check (rust, no cache)|$qQ check $qC/rust --no-cache --format json -o /dev/null"
  "syn parse only (rust)|$qP $qC/rust"
)
slow=(
  "jscpd (python, duplication only)|$qJ/node_modules/.bin/jscpd --min-tokens 50 --min-lines 5 --format python --reporters json --output $qT/jscpd --silent $qC/python"
  "complexipy (cognitive)|$qV/bin/complexipy $qC/python -q"
  "interrogate (docstrings)|$qV/bin/interrogate -q $qC/python"
  "radon cc (cyclomatic)|$qV/bin/radon cc -j $qC/python"
)
"$Q" check "$C/python" --cache-dir "$T/cache" --format json -o /dev/null || true
args() { for entry in "$@"; do printf '%s\0%s\0' "-n" "${entry%%|*}"; printf '%s\0' "${entry#*|}"; done; }
mapfile -d '' fast_args < <(args "${fast[@]}")
mapfile -d '' slow_args < <(args "${slow[@]}")
# The fast commands in three rounds of four runs each, their times pooled: hyperfine runs one
# command's runs back to back, and this machine's speed drifts within a minute by more than
# the differences measured; rounds let every command sample the same stretches of it.
for round in 1 2 3; do
  hyperfine -N --warmup 1 --runs 4 -i --export-json "$T/fast-$round.json" "${fast_args[@]}" >/dev/null 2>&1
done
hyperfine -N --warmup 0 --runs 3 -i --export-json "$T/slow.json" "${slow_args[@]}" >/dev/null 2>&1
for entry in "${fast[@]}" "${slow[@]}"; do
  # sh's peak is the largest of its own and its child's (or it runs the command in its place).
  /usr/bin/time -f "%M" -o "$T/peak" sh -c "${entry#*|}" >/dev/null 2>&1 || true
  printf '%s\t%s\n' "${entry%%|*}" "$(tail -1 "$T/peak")"
done > "$T/peaks.tsv"
python3 - "$T/peaks.tsv" "$(lines "$C/python" '*.py')" "$T"/fast-*.json "$T/slow.json" <<'PY'
import json, statistics, sys
# hyperfine's JSON names each run by its -n; a command's rounds are pooled run by run.
times, cpu = {}, {}
for path in sys.argv[3:]:
    for r in json.load(open(path))["results"]:
        times.setdefault(r["command"], []).extend(r["times"])
        # hyperfine gives a round's mean CPU only: weighted by its runs.
        cpu.setdefault(r["command"], []).extend([r["user"] + r["system"]] * len(r["times"]))
runs = {
    name: {"mean": statistics.mean(t), "stddev": statistics.stdev(t) if len(t) > 1 else 0.0,
           "cpu": statistics.mean(cpu[name])}
    for name, t in times.items()
}
peaks = dict(line.rstrip("\n").split("\t") for line in open(sys.argv[1]))
print("| command | wall (mean ± σ) | user + sys CPU | peak RSS |")
print("|---|---:|---:|---:|")
for name, r in runs.items():
    print(f"| {name} | {r['mean']:.3f} ± {r['stddev']:.3f} s | {r['cpu']:.2f} s "
          f"| {int(peaks[name]) / 1024:.0f} MiB |")
def ratio(a, b):
    x, y = runs[a], runs[b]
    q = x["mean"] / y["mean"]
    err = q * ((x["stddev"] / x["mean"]) ** 2 + (y["stddev"] / y["mean"]) ** 2) ** 0.5
    return f"{q:.2f} ± {err:.2f}"
print()
print(f"- full check / ruff parse only: {ratio('qgate check (python, no cache)', 'ruff --select W291 (parse only)')} (target ≤ 2)")
print(f"- corpus twice over / once: {ratio('qgate check (python twice over, no cache)', 'qgate check (python, no cache)')} (target ≤ 2.1)")
print(f"- warm / cold: {ratio('qgate check (python, warm cache)', 'qgate check (python, no cache)')} (target < 0.25)")
print(f"- rust check / syn parse only: {ratio('qgate check (rust, no cache)', 'syn parse only (rust)')} (target ≤ 1.2)")
lines = int(sys.argv[2])
print(f"- peak memory per million Python lines: {int(peaks['qgate check (python, no cache)']) / 1024 * 1.048576 / lines * 1e6:.0f} MB (target ≤ 300)")
PY
