#!/usr/bin/env bash
# Regenerates fixtures/coverage/reports/site-*: coverage.py reports of fixtures/coverage's
# tests run against a non-editable install of its `shop` package (what tox's `package =
# wheel` does), so every path of the package is under site-packages, plus coverage.py's own
# TOTAL for them.
# Usage: bash scripts/coverage-fixtures.sh    (needs python3 with venv; installs coverage 7.17.5)
set -euo pipefail
cd "$(dirname "$0")/.."
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cp -r fixtures/coverage/shop "$T/"
printf '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n[project]\nname = "shop"\nversion = "1.0"\n[tool.setuptools]\npackages = ["shop"]\n' > "$T/pyproject.toml"
python3 -m venv "$T/env"
"$T/env/bin/pip" install -q "$T" coverage==7.17.5
mkdir "$T/run"
cp -r fixtures/coverage/tests "$T/run/"
out=$PWD/fixtures/coverage/reports
cd "$T/run"
"$T/env/bin/coverage" run --branch --source=shop -m unittest -q 2>/dev/null
"$T/env/bin/coverage" xml -q -o "$out/site-packages.xml"
"$T/env/bin/coverage" json -q -o "$out/site-packages.json"
"$T/env/bin/coverage" lcov -q -o "$out/site-packages.lcov"
"$T/env/bin/coverage" report --precision 2 | tail -1 > "$out/site-packages-TOTAL.txt"
grep -q site-packages "$out/site-packages.xml"
cat "$out/site-packages-TOTAL.txt"
