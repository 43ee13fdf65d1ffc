#!/usr/bin/env bash
# Times qgate on the public corpus (scripts/corpus.sh) next to the reference tools, with
# hyperfine, and prints CPU time and peak memory from /usr/bin/time. Results go to
# docs/benchmarks.md by hand, with the machine they were measured on.
#
# Usage: bash scripts/bench.sh [CORPUS_DIR]    (default: $QGATE_CORPUS or ~/.cache/qgate-corpus)
#        bash scripts/bench.sh new-code        what --base HEAD~1 costs on this repository
# Needs: hyperfine (apt-get install hyperfine), python3; installs ruff into a venv.
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
[ -x "$V/bin/ruff" ] || { python3 -m venv "$V" && "$V/bin/pip" install -q ruff==0.17.6; }
command -v hyperfine >/dev/null || { echo "hyperfine is missing: apt-get install hyperfine" >&2; exit 2; }
cargo build --release --quiet --bins --examples
Q=$PWD/target/release/qgate
P=$PWD/target/release/examples/syn_parse_only
echo "machine: $(nproc) cores, $(uname -m); qgate $($Q --version | cut -d' ' -f2); $($V/bin/ruff --version)"
echo "python corpus: $(find "$C/python" -name '*.py' | wc -l) files, $(find "$C/python" -name '*.py' -print0 | xargs -0 cat | wc -l) lines"
echo "rust corpus:   $(find "$C/rust" -name '*.rs' | wc -l) files, $(find "$C/rust" -name '*.rs' -print0 | xargs -0 cat | wc -l) lines"

# qgate exits 1 when a gate fails on the corpus: that is a result, not an error.
hyperfine --warmup 1 --runs 10 -i --export-markdown /tmp/qgate-bench-python.md \
  -n "qgate check (python)" "$Q check $C/python --format json -o /dev/null" \
  -n "ruff --select C901" "$V/bin/ruff check --no-cache --isolated --select C901 --exit-zero -q $C/python"
# The floor for Rust: syn::parse_file on every file, same thread pool, nothing else.
hyperfine --warmup 1 --runs 10 -i --export-markdown /tmp/qgate-bench-rust.md \
  -n "qgate check (rust)" "$Q check $C/rust --format json -o /dev/null" \
  -n "syn parse only (rust)" "$P $C/rust"

peak() {
  /usr/bin/time -f "%e s wall, %U s user, %S s sys, %M KiB peak RSS" "$@" >/dev/null 2>/tmp/qgate-bench-time || true
  tail -1 /tmp/qgate-bench-time
}
echo "qgate python: $(peak "$Q" check "$C/python" --format json -o /dev/null)"
echo "ruff C901:    $(peak "$V/bin/ruff" check --no-cache --isolated --select C901 --exit-zero -q "$C/python")"
echo "qgate rust:   $(peak "$Q" check "$C/rust" --format json -o /dev/null)"
echo "syn only:     $(peak "$P" "$C/rust")"
cat /tmp/qgate-bench-python.md /tmp/qgate-bench-rust.md
