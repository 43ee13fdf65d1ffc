#!/usr/bin/env bash
# What the release profile costs to build and what it buys at run time: a clean build of
# `cargo build --release` (what `cargo install --path .` and pre-commit's rust hooks pay,
# dependencies included) with fat LTO, thin LTO and none, then the three binaries side by side
# on the public Python corpus with hyperfine. Results go to docs/benchmarks.md by hand.
#
# Usage: bash scripts/build-profiles.sh [CORPUS_DIR]   (default: $QGATE_CORPUS or ~/.cache/qgate-corpus)
# Needs: hyperfine; about 3 GB under ${TMPDIR:-/tmp} for three target directories.
set -euo pipefail
cd "$(dirname "$0")/.."
C=${1:-${QGATE_CORPUS:-$HOME/.cache/qgate-corpus}}
[ -d "$C/python" ] || bash scripts/corpus.sh "$C"
command -v hyperfine >/dev/null || { echo "hyperfine is missing: apt-get install hyperfine" >&2; exit 2; }
T=${TMPDIR:-/tmp}/qgate-build-profiles
echo "machine: $(nproc) cores, $(uname -m); $(rustc --version)"
cargo fetch --locked --quiet
# name  lto    codegen-units
profiles=("fat true 1" "thin thin 16" "none false 16")
for p in "${profiles[@]}"; do
  read -r name lto units <<<"$p"
  rm -rf "$T/$name"
  start=$(date +%s.%N)
  CARGO_PROFILE_RELEASE_LTO=$lto CARGO_PROFILE_RELEASE_CODEGEN_UNITS=$units \
    cargo build --release --locked --quiet --bin qgate --target-dir "$T/$name"
  end=$(date +%s.%N)
  printf '%-5s lto=%-5s codegen-units=%-2s clean build %6.1f s, binary %s bytes\n' "$name" "$lto" "$units" \
    "$(echo "$end - $start" | bc)" "$(stat -c %s "$T/$name/release/qgate")"
done
# qgate exits 1 when a gate fails on the corpus: that is a result, not an error.
hyperfine --warmup 1 --runs 10 -i --export-markdown "$T/runtime.md" \
  -n "fat LTO" "$T/fat/release/qgate check $C/python --no-cache --format json -o /dev/null" \
  -n "thin LTO" "$T/thin/release/qgate check $C/python --no-cache --format json -o /dev/null" \
  -n "no LTO" "$T/none/release/qgate check $C/python --no-cache --format json -o /dev/null"
cat "$T/runtime.md"
