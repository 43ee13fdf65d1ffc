#!/usr/bin/env bash
# Compares qgate's Python metrics with the reference tools on a corpus and prints agreement:
# cyclomatic vs radon, cognitive vs complexipy, maintainability index / Halstead / raw metrics
# vs radon, docstring coverage vs interrogate.
#
# Usage: bash scripts/compare-python.sh [PYTHON_CORPUS_DIR]
#   default: the Python part of scripts/corpus.sh ($QGATE_CORPUS or ~/.cache/qgate-corpus)/python
# radon and interrogate parse with the Python they run on, so the venv uses Python 3.13 (from
# pyenv when present), else they reject 3.12+ syntax.
set -euo pipefail
cd "$(dirname "$0")/.."
C=${1:-${QGATE_CORPUS:-$HOME/.cache/qgate-corpus}/python}
[ -d "$C" ] || bash scripts/corpus.sh
C=$(cd "$C" && pwd)
PY=$(ls -d "$(pyenv root 2>/dev/null || echo /nonexistent)"/versions/3.13*/bin/python 2>/dev/null | head -1 || true)
PY=${PY:-python3}
V=${QGATE_COMPARE_VENV:-$HOME/.cache/qgate-compare-venv}
if [ ! -x "$V/bin/complexipy" ]; then
  "$PY" -m venv "$V"
  "$V/bin/pip" install -q radon==6.0.1 complexipy==8.3.0 interrogate==1.7.0 ruff==0.17.6
fi
cargo build --release --quiet
OUT=${QGATE_COMPARE_OUT:-$(mktemp -d)}
mkdir -p "$OUT"
echo "corpus: $C ($("$V/bin/python" --version))"
# qgate exits 1 when a gate fails on the corpus: a result, not an error.
./target/release/qgate check "$C" --format json -o "$OUT/qgate.json" --exit-zero
printf '[metrics]\npython-cyclomatic = "mccabe"\n' > "$OUT/mccabe.toml"
./target/release/qgate check "$C" --config "$OUT/mccabe.toml" --format json -o "$OUT/qgate-mccabe.json" --exit-zero
(cd "$C" && "$V/bin/ruff" check --isolated --no-cache --select C901 --config 'lint.mccabe.max-complexity = 0' \
  --output-format json --exit-zero . > "$OUT/ruff-c901.json")
(cd "$C" && "$V/bin/radon" cc -j . > "$OUT/radon-cc.json")
(cd "$C" && "$V/bin/radon" mi -j . > "$OUT/radon-mi.json")
(cd "$C" && "$V/bin/radon" raw -j . > "$OUT/radon-raw.json")
(cd "$C" && "$V/bin/radon" hal -j . > "$OUT/radon-hal.json")
(cd "$C" && "$V/bin/complexipy" . --output-format json --output "$OUT/complexipy.json" -q >/dev/null 2>&1 || true)
"$V/bin/python" scripts/compare_python.py "$C" "$OUT"
