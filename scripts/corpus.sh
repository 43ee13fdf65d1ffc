#!/usr/bin/env bash
# Downloads public real-world corpora for benchmarks and comparison scripts:
#   python/  twisted, networkx, ansible-core source distributions (about 860k lines of Python)
#   rust/    chrono, rustls, winnow, nom, image, toml_edit, rand crate sources
# Usage: bash scripts/corpus.sh [DIR]    (default: $QGATE_CORPUS or ~/.cache/qgate-corpus)
# Idempotent: a second run is a quick no-op. Needs python3 with pip, and cargo.
set -euo pipefail
D=${1:-${QGATE_CORPUS:-$HOME/.cache/qgate-corpus}}
mkdir -p "$D/dl" "$D/python" "$D/rust"

SDISTS="twisted==26.10.0 5f0355403e507fc23ceea85e9dbb4bc59335aabde41dd324e8b8cea180dd38de twisted-26.10.0.tar.gz
networkx==3.6.1 26b7c357accc0c8cde558ad486283728b65b6a95d85ee1cd66bafab4c8168509 networkx-3.6.1.tar.gz
ansible-core==2.19.14 1e7612788eaa6b3c87a3670ce86c64b830eba0ae2b3fcb25a772f276704163b4 ansible_core-2.19.14.tar.gz"
while read -r req sha file; do
  dir=$D/python/${file%.tar.gz}
  [ -d "$dir" ] && continue
  if [ ! -f "$D/dl/$file" ]; then
    python3 -m pip download -q --no-binary :all: --no-deps -d "$D/dl" "$req"
  fi
  echo "$sha  $D/dl/$file" | sha256sum -c --quiet -
  tar -xzf "$D/dl/$file" -C "$D/python"
done <<< "$SDISTS"

CRATES="chrono@0.4.45 rustls@0.23.35 winnow@1.0.5 nom@8.0.0 image@0.25.10 toml_edit@0.25.20 rand@0.10.4"
if [ ! -f "$D/rust/.done" ]; then
  P=$(mktemp -d)
  mkdir -p "$P/src"; : > "$P/src/lib.rs"
  {
    printf '[package]\nname = "corpus"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n[dependencies]\n'
    for c in $CRATES; do
      n=${c%@*}; v=${c#*@}
      printf '%s = { version = "=%s", default-features = false }\n' "$n" "$v"
    done
  } > "$P/Cargo.toml"
  (cd "$P" && cargo fetch -q)
  reg=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/ | head -1)
  for c in $CRATES; do
    n=${c%@*}; v=${c#*@}
    src=$(ls -d "$reg"/"$n"-"$v"* | head -1)
    rm -rf "$D/rust/$n-$v"; cp -r "$src" "$D/rust/$n-$v"
  done
  rm -rf "$P"
  touch "$D/rust/.done"
fi
py_lines=$(find "$D/python" -name '*.py' -print0 | xargs -0 cat | wc -l)
rs_lines=$(find "$D/rust" -name '*.rs' -print0 | xargs -0 cat | wc -l)
echo "corpus at $D: $py_lines lines of Python, $rs_lines lines of Rust"
