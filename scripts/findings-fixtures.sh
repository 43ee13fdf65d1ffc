#!/usr/bin/env bash
# Regenerates the real tool outputs committed under fixtures/secproj/reports: Bandit JSON and
# SARIF (bandit 1.9.4), ruff SARIF (ruff 0.17.6), pylint json2 (pylint 4.1.4) on the fixture
# project. Needs PyPI.
set -euo pipefail
cd "$(dirname "$0")/../fixtures/secproj"
V=${QGATE_FINDINGS_VENV:-$HOME/.cache/qgate-findings-venv}
[ -x "$V/bin/ruff" ] || { python3 -m venv "$V" && "$V/bin/pip" install -q "bandit[sarif]==1.9.4" ruff==0.17.6 pylint==4.1.4; }
mkdir -p reports
"$V/bin/bandit" -q -r svc -f json -o reports/bandit.json || true
"$V/bin/bandit" -q -r svc -f sarif -o reports/bandit.sarif || true
"$V/bin/ruff" check --isolated --select S,E,F --exit-zero --output-format sarif -o reports/ruff.sarif svc
"$V/bin/pylint" --output-format=json2 svc > reports/pylint.json || true
echo "wrote fixtures/secproj/reports/{bandit.json,bandit.sarif,ruff.sarif,pylint.json}"
