#!/usr/bin/env bash
# Issue 18: before choosing a Rust front end, count the files syn and rust-analyzer's parser
# (`ra_ap_syntax`) reject on the public Rust corpus and on ~/.cargo/registry/src, each file under
# its crate's edition and then under one forced edition, and time both parsers alone.
# The measuring program is scripts/ra-parse-errors/, a crate of its own so qgate never depends
# on ra_ap_syntax.
#
# Usage: bash scripts/ra-parse-errors.sh [RUST_CORPUS] [REGISTRY_SRC]
# Needs: cargo (the registry), hyperfine.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-${QGATE_CORPUS:-$HOME/.cache/qgate-corpus}/rust}
registry=${2:-$HOME/.cargo/registry/src}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/qgate-ra-target}
cargo build --release --quiet --manifest-path scripts/ra-parse-errors/Cargo.toml
ra=$CARGO_TARGET_DIR/release/ra-parse-errors
for dir in "$corpus" "$registry"; do
  echo "## $dir, each file under its crate's edition"
  "$ra" count "$dir" | sed "s|$dir/||"
  for edition in 2015 2021 2024; do
    echo "every file as $edition: $(RA_EDITION=$edition "$ra" count "$dir" | grep '^| all')"
  done
  echo
done
command -v hyperfine >/dev/null || { echo "hyperfine is missing: apt-get install hyperfine" >&2; exit 2; }
hyperfine -N --warmup 2 --runs 10 \
  "$ra syn $corpus" "$ra ra $corpus" "$ra syn $registry" "$ra ra $registry"
