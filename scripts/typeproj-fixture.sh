#!/usr/bin/env bash
# Regenerates fixtures/typeproj/reports with the real mypy: `--output json` and the plain text,
# from the fixture's deliberately wrong app/orders.py (3 errors).
set -euo pipefail
cd "$(dirname "$0")/../fixtures/typeproj"
V=${QGATE_MYPY_VENV:-$HOME/.cache/qgate-audit-venv}
[ -x "$V/bin/mypy" ] || { python3 -m venv "$V" && "$V/bin/pip" install -q mypy==1.13.0; }
"$V/bin/mypy" --strict app --output json > reports/mypy.json || true
"$V/bin/mypy" --strict app > reports/mypy.txt || true
"$V/bin/mypy" --strict --show-column-numbers app > reports/mypy-columns.txt || true
tail -1 reports/mypy.txt
