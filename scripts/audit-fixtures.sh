#!/usr/bin/env bash
# Regenerates fixtures/auditproj/reports with the real pip-audit and cargo audit. Both query
# advisory services (PyPI's JSON API or OSV; the RustSec advisory-db on GitHub), so this needs
# network beyond the package registries; see fixtures/auditproj/reports/README.md.
set -euo pipefail
cd "$(dirname "$0")/../fixtures/auditproj"
V=${QGATE_AUDIT_VENV:-$HOME/.cache/qgate-audit-venv}
[ -x "$V/bin/pip-audit" ] || { python3 -m venv "$V" && "$V/bin/pip" install -q pip-audit==2.7.3; }
"$V/bin/pip-audit" -r requirements.txt --no-deps --disable-pip -f json -o reports/pip-audit.json || true
command -v cargo-audit >/dev/null || cargo install cargo-audit --version 0.20.1 --locked
cargo audit --file Cargo.lock --json > reports/cargo-audit.json || true
python3 -c "import json; r=json.load(open('reports/pip-audit.json')); print(sum(len(d.get('vulns', [])) for d in r['dependencies']), 'pip-audit vulnerabilities')"
python3 -c "import json; r=json.load(open('reports/cargo-audit.json')); print(r['vulnerabilities']['count'], 'cargo audit vulnerabilities')"
