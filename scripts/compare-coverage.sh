#!/usr/bin/env bash
# Runs part of a real project's test suite (more-itertools from PyPI, pinned: its recipe tests,
# so coverage is partial and the totals mean something) under coverage.py, with
# and without branch coverage, and checks that qgate's total from coverage.xml, coverage.json
# and `coverage lcov` output equals `coverage report`'s TOTAL (to 0.01).
#
# Usage: bash scripts/compare-coverage.sh
# Needs: python3 (a venv with coverage.py is created in ~/.cache/qgate-coverage-venv).
set -euo pipefail
cd "$(dirname "$0")/.."
V=${QGATE_COVERAGE_VENV:-$HOME/.cache/qgate-coverage-venv}
[ -x "$V/bin/coverage" ] || { python3 -m venv "$V" && "$V/bin/pip" install -q coverage==7.17.5; }
cargo build --release --quiet
Q=$PWD/target/release/qgate
W=$(mktemp -d)
"$V/bin/pip" download -q --no-binary :all: --no-deps -d "$W" more-itertools==10.8.0
tar -xzf "$W"/more_itertools-10.8.0.tar.gz -C "$W"
P="$W/more_itertools-10.8.0"
echo "project: more-itertools 10.8.0, $("$V/bin/coverage" --version | head -1)"
status=0
for mode in line branch; do
  (cd "$P" && rm -f .coverage && "$V/bin/coverage" run $([ $mode = branch ] && echo --branch) --source=more_itertools \
    -m unittest tests.test_recipes -q >/dev/null 2>&1 || true)
  want=$(cd "$P" && "$V/bin/coverage" report --precision 2 | awk '/^TOTAL/ {sub("%","",$NF); print $NF}')
  (cd "$P" && "$V/bin/coverage" xml -q -o cov.xml && "$V/bin/coverage" json -q -o cov.json && "$V/bin/coverage" lcov -q -o cov.lcov)
  for f in cov.xml cov.json cov.lcov; do
    got=$("$Q" check "$P/more_itertools" --coverage "$P/$f" --format json --exit-zero | python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["coverage"]["percent"])')
    verdict=$(python3 -c "print('equal' if abs($got - $want) < 0.01 else 'DIFFERENT')")
    [ "$verdict" = equal ] || status=1
    printf '%-6s %-9s coverage.py TOTAL %6s %%  qgate %6s %%  %s\n' "$mode" "$f" "$want" "$got" "$verdict"
  done
done
rm -rf "$W"
exit $status
