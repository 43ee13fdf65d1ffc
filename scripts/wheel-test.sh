#!/usr/bin/env bash
# The pip wheel: build it with maturin (bindings = "bin", as ruff ships), install it into a
# fresh venv, and run `qgate` and `python -m qgate` on fixtures: the exit codes must be qgate's.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
M=${QGATE_MATURIN_VENV:-$HOME/.cache/qgate-maturin-venv}
[ -x "$M/bin/maturin" ] || { python3 -m venv "$M" && "$M/bin/pip" install -q maturin==1.7.8; }
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
"$M/bin/maturin" build --release --quiet -o "$T/wheels" >/dev/null
wheel=$(ls "$T"/wheels/qgate-*.whl)
# Kept for scripts/action-test.sh, which installs it through the action's pip fallback.
mkdir -p target/wheels && rm -f target/wheels/qgate-*.whl && cp "$wheel" target/wheels/
python3 -m venv "$T/venv"
"$T/venv/bin/pip" install -q "$wheel"
fails=0
expect() { # code command...
  local want=$1; shift
  set +e; "$@" >/dev/null 2>&1; local got=$?; set -e
  if [ "$got" -eq "$want" ]; then echo "ok   exit $want: ${*#$T/}"; else echo "FAIL exit $got, want $want: $*"; fails=$((fails + 1)); fi
}
echo "built $(basename "$wheel")"
expect 0 "$T/venv/bin/qgate" --version
expect 0 "$T/venv/bin/qgate" check "$ROOT/fixtures/sample"
expect 0 "$T/venv/bin/python" -m qgate check "$ROOT/fixtures/sample"
expect 1 "$T/venv/bin/python" -m qgate check "$ROOT/fixtures/coverage" --coverage "$ROOT/fixtures/coverage/reports/branch.xml"
expect 2 "$T/venv/bin/python" -m qgate check "$ROOT/no/such/dir"
[ "$fails" -eq 0 ]
