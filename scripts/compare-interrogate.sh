#!/usr/bin/env bash
# Docstring coverage next to interrogate, option by option: for each of interrogate's ignore
# options (and the google style, a whitelist and an ignore regex), qgate with the same
# `[docstrings]` setting against interrogate with it, per file, on a corpus.
#
# Usage: bash scripts/compare-interrogate.sh [PYTHON_CORPUS_DIR]   (venv as compare-python.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
C=${1:-${QGATE_CORPUS:-$HOME/.cache/qgate-corpus}/python}
[ -d "$C" ] || bash scripts/corpus.sh
C=$(cd "$C" && pwd)
PY=$(ls -d "$(pyenv root 2>/dev/null || echo /nonexistent)"/versions/3.13*/bin/python 2>/dev/null | head -1 || true)
PY=${PY:-python3}
V=${QGATE_COMPARE_VENV:-$HOME/.cache/qgate-compare-venv}
if [ ! -x "$V/bin/interrogate" ]; then
  "$PY" -m venv "$V"
  "$V/bin/pip" install -q radon==6.0.1 complexipy==8.3.0 interrogate==1.7.0 ruff==0.17.6
fi
cargo build --release --quiet
"$V/bin/python" scripts/compare_interrogate.py "$C" "$PWD/target/release/qgate"
