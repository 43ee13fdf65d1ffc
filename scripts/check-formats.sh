#!/usr/bin/env bash
# The CI formats read by real consumers: SARIF validated with `jsonschema` against the official
# 2.1.0 schema (tests/data), JUnit parsed by `junitparser`, GitLab Code Quality checked for the
# fields GitLab documents as required, Markdown rendered by Python-Markdown — on the fixtures,
# and with a corpus directory also on it, with GitHub's limits (SARIF: 25,000 results, 10 MB
# gzipped; step summary: 1 MiB).
#
#   bash scripts/check-formats.sh [CORPUS_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
V=${QGATE_FORMATS_VENV:-$HOME/.cache/qgate-formats-venv}
[ -x "$V/bin/python" ] || python3 -m venv "$V"
"$V/bin/python" -c "import jsonschema, markdown, junitparser" 2>/dev/null ||
  "$V/bin/pip" install -q jsonschema==4.23.0 markdown==3.7 junitparser==3.2.0
Q=${QGATE:-$PWD/target/release/qgate}
[ -n "${QGATE:-}" ] || cargo build --release -q
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT

consume() { # label dir args...: render every format, then read each with its consumer
  local label=$1 dir=$2; shift 2
  local started=$SECONDS
  (cd "$dir" && "$Q" check . "$@" --exit-zero --format json -o "$T/r.json" \
    --report "sarif=$T/r.sarif" --report "junit=$T/r.xml" --report "gitlab=$T/gl.json" \
    --report "markdown=$T/r.md" --report "github=$T/gh.txt" 2>/dev/null)
  "$V/bin/python" - "$T" "$label" "$PWD/tests/data/sarif-schema-2.1.0.json" $((SECONDS - started)) <<'PY'
import gzip, json, os, sys
import jsonschema, markdown, junitparser
t, label, schema_path, seconds = sys.argv[1:]
report = json.load(open(f"{t}/r.json"))
failures = []
sarif = json.load(open(f"{t}/r.sarif"))
errors = list(jsonschema.Draft4Validator(json.load(open(schema_path))).iter_errors(sarif))
results = sarif["runs"][0]["results"]
gz = len(gzip.compress(open(f"{t}/r.sarif", "rb").read()))
if errors: failures.append(f"SARIF: {errors[0].message[:120]}")
if len(results) > 25000: failures.append(f"SARIF: {len(results)} results")
if gz > 10 * 1024 * 1024: failures.append(f"SARIF: {gz} bytes gzipped")
if not all(r.get("partialFingerprints") for r in results): failures.append("SARIF: a result without fingerprint")
xml = junitparser.JUnitXml.fromfile(f"{t}/r.xml")
cases = [c for suite in xml for c in suite]
gates = report["gates"]
failed = [c for c in cases if any(isinstance(r, junitparser.Failure) for r in c.result)]
if len(cases) != len(gates): failures.append(f"JUnit: {len(cases)} testcases for {len(gates)} gates")
if len(failed) != sum(g["status"] == "fail" for g in gates): failures.append("JUnit: failures differ from failing gates")
gl = json.load(open(f"{t}/gl.json"))
need = all(i["description"] and i["check_name"] and i["fingerprint"] and i["severity"] in ("info", "minor", "major", "critical", "blocker")
           and i["location"]["path"] and i["location"]["lines"]["begin"] >= 1 for i in gl)
if not need: failures.append("GitLab: a required field is missing")
if len({i["fingerprint"] for i in gl}) != len(gl): failures.append("GitLab: fingerprints not unique")
md = open(f"{t}/r.md", encoding="utf-8").read()
html = markdown.markdown(md, extensions=["tables"])
if "<table>" not in html: failures.append("Markdown: no table")
if len(md.encode()) >= 1024 * 1024: failures.append(f"Markdown: {len(md.encode())} bytes")
annotations = sum(1 for l in open(f"{t}/gh.txt", encoding="utf-8") if l.startswith("::"))
print(f"| {label} | {len(results)} results, {os.path.getsize(f'{t}/r.sarif'):,} bytes ({gz:,} gzipped), valid: {not errors} | "
      f"{len(cases)} testcases, {len(failed)} failures | {len(gl)} issues | {len(md.encode()):,} bytes, table: {'<table>' in html} | "
      f"{annotations} | {seconds} s |")
for f in failures: print("FAIL", f)
sys.exit(1 if failures else 0)
PY
}

echo "| input | SARIF | JUnit | GitLab | Markdown | annotations | time |"
echo "|---|---|---|---|---|---:|---:|"
cp -r fixtures/secproj "$T/secproj"
consume "secproj + Bandit" "$T/secproj" --bandit reports/bandit.json
consume "secproj + ruff SARIF + pylint" "$T/secproj" --sarif reports/ruff.sarif --pylint reports/pylint.json
cp -r fixtures/coverage "$T/coverage"
consume "coverage fixture" "$T/coverage" --coverage reports/branch.xml
if [ -n "${1:-}" ]; then
  for lang in python rust; do consume "corpus: $lang" "$1/$lang"; done
fi
