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

# clippy on the sample's Rust file, as a throwaway crate (pedantic, for more than one lint).
T=$(mktemp -d)
mkdir -p "$T/src"
cp ../sample/src/lib.rs "$T/src/"
printf '[package]\nname = "sample"\nversion = "0.1.0"\nedition = "2021"\n' > "$T/Cargo.toml"
(cd "$T" && cargo clippy --quiet --message-format=json -- -W clippy::pedantic 2>/dev/null) > ../reports/clippy-sample.json || true
rm -rf "$T"
echo "wrote fixtures/reports/clippy-sample.json"
