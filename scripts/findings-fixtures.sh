#!/usr/bin/env bash
# Regenerates the real tool outputs committed under fixtures/secproj/reports: Bandit JSON
# (bandit 1.9.4) on the fixture project. Run from anywhere; needs PyPI.
set -euo pipefail
cd "$(dirname "$0")/../fixtures/secproj"
V=${QGATE_FINDINGS_VENV:-$HOME/.cache/qgate-findings-venv}
[ -x "$V/bin/bandit" ] || { python3 -m venv "$V" && "$V/bin/pip" install -q bandit==1.9.4; }
mkdir -p reports
"$V/bin/bandit" -q -r svc -f json -o reports/bandit.json || true
echo "wrote fixtures/secproj/reports/bandit.json"
