#!/usr/bin/env bash
# Runs every fuzz target (or those named) for MINUTES minutes each (default 10).
#
#   scripts/fuzz.sh [MINUTES] [TARGET...]
#
# With a nightly toolchain and cargo-fuzz installed (`cargo install cargo-fuzz`), each target
# runs under libFuzzer (`cargo +nightly fuzz run`, corpus in fuzz/corpus/<target>, seeded from
# the fixtures by fuzz-loop's seed selection on the first run). Without them it runs
# fuzz-loop, the seeded mutator in fuzz/src, which needs only stable Rust. A failing input is
# saved in fuzz/artifacts/<target>/; copy it into fuzz/regressions/<target>/ once fixed, and
# every later run replays it first.
set -euo pipefail
cd "$(dirname "$0")/.."

minutes=${1:-10}
shift || true
if [ $# -gt 0 ]; then
    targets=("$@")
else
    targets=()
    for f in fuzz/fuzz_targets/*.rs; do
        targets+=("$(basename "$f" .rs)")
    done
fi
seconds=$((minutes * 60))

if cargo +nightly fuzz --version >/dev/null 2>&1; then
    for t in "${targets[@]}"; do
        mkdir -p "fuzz/corpus/$t"
        (cd fuzz && cargo +nightly fuzz run --features libfuzzer "$t" "corpus/$t" -- -max_total_time="$seconds" -rss_limit_mb=2048)
    done
else
    echo "fuzz.sh: no nightly cargo-fuzz here; running fuzz-loop (stable, seeded mutation)" >&2
    cargo build --quiet --release --manifest-path fuzz/Cargo.toml --target-dir target/fuzz
    target/fuzz/release/fuzz-loop --seconds "$seconds" "${targets[@]}"
fi
