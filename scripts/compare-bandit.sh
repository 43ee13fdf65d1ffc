#!/usr/bin/env bash
# Runs bandit 1.9.4 on a real project (default: the corpus's ansible-core) and checks that
# qgate's security counts from that report equal Bandit's own metrics._totals.
# Usage: bash scripts/compare-bandit.sh [PROJECT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
P=${1:-${QGATE_CORPUS:-$HOME/.cache/qgate-corpus}/python/ansible_core-2.19.14}
V=${QGATE_FINDINGS_VENV:-$HOME/.cache/qgate-findings-venv}
[ -x "$V/bin/bandit" ] || { python3 -m venv "$V" && "$V/bin/pip" install -q bandit==1.9.4; }
cargo build --release --quiet
T=$(mktemp -d)
(cd "$P" && "$V/bin/bandit" -q -r . -f json -o "$T/bandit.json") || true
./target/release/qgate check "$P" --bandit "$T/bandit.json" --format json -o "$T/qgate.json" --exit-zero 2>"$T/stderr" || true
python3 - "$T/bandit.json" "$T/qgate.json" "$T/stderr" <<'PY'
import json, sys
bandit, qgate = (json.load(open(p)) for p in sys.argv[1:3])
t = bandit["metrics"]["_totals"]
theirs = (t["SEVERITY.HIGH"], t["SEVERITY.MEDIUM"], t["SEVERITY.LOW"] + t["SEVERITY.UNDEFINED"])
s = qgate["summary"]["security"]
ours = (s["high"], s["medium"], s["low"])
with_function = sum(1 for f in qgate["findings"] if f["source"] == "bandit" and f.get("function"))
print(f"results: {len(bandit['results'])}, scan errors: {len(bandit['errors'])}")
print(f"bandit _totals high/medium/low: {theirs}")
print(f"qgate security  high/medium/low: {ours}")
print(f"findings inside a function: {with_function}")
print(f"warnings: {len(s.get('warnings', []))}")
sys.exit(0 if theirs == ours else 1)
PY
rm -rf "$T"
