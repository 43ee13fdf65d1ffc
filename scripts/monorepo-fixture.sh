#!/usr/bin/env bash
# Regenerates fixtures/monorepo/reports: coverage.py's Cobertura XML of the fixture's tests
# (coverage 7.17.5, branch coverage) and Bandit's JSON (bandit 1.9.4) over the whole fixture —
# the whole-repository reports each CI shard is given in tests/merge.rs.
# Usage: bash scripts/monorepo-fixture.sh    (needs python3 with venv)
set -euo pipefail
cd "$(dirname "$0")/../fixtures/monorepo"
V=${QGATE_MONOREPO_VENV:-$HOME/.cache/qgate-monorepo-venv}
[ -x "$V/bin/bandit" ] || { python3 -m venv "$V" && "$V/bin/pip" install -q coverage==7.17.5 bandit==1.9.4; }
rm -f .coverage
"$V/bin/coverage" run --branch --source=billing,shipping -m unittest -q 2>/dev/null
"$V/bin/coverage" xml -q -o reports/coverage.xml
"$V/bin/coverage" report --precision 2 | tail -1
rm -f .coverage
"$V/bin/bandit" -q -r billing shipping -f json -o reports/bandit.json || true
echo "wrote fixtures/monorepo/reports/{coverage.xml,bandit.json}"
