#!/usr/bin/env bash
# Downloads more real Python, of styles the public corpus lacks, for scripts/compare-python.sh:
# symbolic maths with long expressions (sympy), web frameworks (django, flask), generated code
# (googleapis-common-protos' *_pb2.py), and libraries (requests, attrs, click, rich).
# Usage: bash scripts/corpus-extra.sh [DIR]   (default: ~/.cache/qgate-corpus-extra)
# Then:  bash scripts/compare-python.sh ~/.cache/qgate-corpus-extra
set -euo pipefail
D=${1:-$HOME/.cache/qgate-corpus-extra}
mkdir -p "$D/dl"
for req in sympy==1.14.0 django==5.2.8 flask==3.1.2 googleapis-common-protos==1.72.0 \
           requests==2.32.5 attrs==25.4.0 click==8.3.1 rich==14.2.0; do
  name=${req%%==*}
  [ -n "$(ls -d "$D/$name"-* 2>/dev/null | grep -v '\.tar\.gz$' | head -1)" ] && continue
  python3 -m pip download -q --no-binary :all: --no-deps -d "$D/dl" "$req"
  archive=$(ls "$D/dl/"*.tar.gz | grep -i "/${name//-/[-_]}-" | head -1)
  tar -xzf "$archive" -C "$D"
done
echo "extra corpus at $D: $(find "$D" -name '*.py' -not -path '*/dl/*' | wc -l) files, $(find "$D" -name '*.py' -not -path '*/dl/*' -print0 | xargs -0 cat | wc -l) lines"
