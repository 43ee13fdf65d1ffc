#!/usr/bin/env bash
# The HTML report in headless Chromium: renders the coverage fixture's report and a hostile one
# (markup in a file name, its source and a finding), then runs tests/browser/report.mjs with
# playwright-core driving Debian's chromium. `--screenshots` also refreshes docs/html-*.png.
# Needs: chromium (apt-get install chromium), node and npm (playwright-core from the registry).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v chromium >/dev/null || { apt-get update -qq >/dev/null && apt-get install -y -qq chromium >/dev/null; }
P=${QGATE_PLAYWRIGHT:-$HOME/.cache/qgate-playwright}
[ -d "$P/node_modules/playwright-core" ] || { mkdir -p "$P" && (cd "$P" && npm init -y >/dev/null && npm install -q --no-audit --no-fund playwright-core@1.49.1 >/dev/null); }
Q=${QGATE:-$PWD/target/release/qgate}
[ -n "${QGATE:-}" ] || cargo build --release -q
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
cp -r fixtures/coverage "$T/coverage"
(cd "$T/coverage" && "$Q" check . --coverage reports/branch.xml --format html -o "$T/report.html" --exit-zero 2>/dev/null)
mkdir -p "$T/hostile"
python3 - "$T/hostile" <<'PY'
import json, os, sys
d = sys.argv[1]
name = "<img src=x onerror=alert(1)>.py"
payload = "</script><script>document.title='pwned'</script><!-- <a href=\"javascript:alert(1)\">x</a>"
open(os.path.join(d, name), "w").write(f"TEXT = {payload!r}\n\n\ndef f(a):\n    return a\n")
sarif = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "evil<b>", "rules": [{"id": "X1", "helpUri": "javascript:alert(1)"}]}},
         "results": [{"ruleId": "X1", "level": "error", "message": {"text": payload},
                      "locations": [{"physicalLocation": {"artifactLocation": {"uri": name}, "region": {"startLine": 1}}}]}]}]}
json.dump(sarif, open(os.path.join(d, "evil.sarif"), "w"))
PY
(cd "$T/hostile" && "$Q" check . --sarif evil.sarif --format html -o "$T/hostile.html" --exit-zero 2>/dev/null)
mkdir -p "$T/clones"
python3 - "$T/clones" <<'PY'
import os, sys
body = "".join(f"    r{i} = load(p, {i}) + parse(q, {i * 5})\n    out = out + r{i} * {i + 1}\n" for i in range(12))
for name in ("first", "second"):
    open(os.path.join(sys.argv[1], f"{name}.py"), "w").write(f"def h_{name}(p: int, q: int) -> int:\n    out = 0\n{body}    return out\n")
PY
(cd "$T/clones" && "$Q" check . --format html -o "$T/clones.html" --exit-zero 2>/dev/null)
shots=""; [ "${1:-}" = --screenshots ] && shots=$PWD/docs
QGATE_PLAYWRIGHT=$P node tests/browser/report.mjs "$T/report.html" "$T/hostile.html" "$T/clones.html" $shots
