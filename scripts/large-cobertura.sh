#!/usr/bin/env bash
# Generates a Cobertura report of about 200 MB (100,000 classes) for the sample project and
# measures qgate reading it: reports are streamed, so peak memory must stay far below the
# file's size. Prints wall time and peak RSS.
# Usage: bash scripts/large-cobertura.sh [SIZE_MB]
set -euo pipefail
cd "$(dirname "$0")/.."
MB=${1:-200}
cargo build --release --quiet
T=$(mktemp -d)
cp -r fixtures/sample/. "$T/"
python3 - "$T/large.xml" "$MB" <<'PY'
import sys
path, mb = sys.argv[1], int(sys.argv[2])
lines = "".join(f'<line number="{n}" hits="{n % 3}"/>' for n in range(1, 61))
with open(path, "w") as out:
    out.write('<?xml version="1.0" ?>\n<coverage version="7.6"><sources><source>/elsewhere/proj</source></sources><packages><package name="p"><classes>\n')
    out.write(f'<class name="stock.py" filename="inventory/stock.py"><lines>{lines}</lines></class>\n')
    k = 0
    while out.tell() < mb * 1024 * 1024:
        out.write(f'<class name="m{k}.py" filename="vendor/gen/m{k}.py"><lines>{lines}</lines></class>\n')
        k += 1
    out.write("</classes></package></packages></coverage>\n")
PY
ls -la "$T/large.xml" | awk '{printf "report: %.0f MB\n", $5 / 1048576}'
/usr/bin/time -f "qgate: %e s wall, %M KiB peak RSS" ./target/release/qgate check "$T" --coverage "$T/large.xml" --format json -o "$T/out.json" --exit-zero
python3 -c "import json,sys; c=json.load(open(sys.argv[1]))['summary']['coverage']; print('matched', c['matched_entries'], 'not found', c['not_found_entries'], 'percent', c['percent'])" "$T/out.json"
rm -rf "$T"
