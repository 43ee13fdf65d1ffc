#!/usr/bin/env bash
# Diff coverage next to diff-cover 11.0.1 on real release history. For each project, the sdist of
# one release is committed on `main` and the next release's on `feature` (the real edits between
# them); the later release's test suite runs under coverage.py 7.17.5 with branch measurement and
# `coverage xml` writes the report. Then, for every combination of line/branch coverage and
# whitespace handling, `diff-cover cov.xml --compare-branch=main --total-percent-float` is put
# next to `qgate check --base main` with the same options, and both diff-cover's default (whole
# percent) and the two-decimal numbers are compared, with the covered and coverable line counts.
#
#   bash scripts/compare-diff-cover.sh            # prints a Markdown table; exit 1 on a mismatch
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
V=${QGATE_ACC_VENV:-$HOME/.cache/qgate-acc-venv}
[ -x "$V/bin/python" ] || python3 -m venv "$V"
"$V/bin/pip" install -q coverage==7.17.5 diff-cover==11.0.1 pytest==8.3.4 freezegun==1.5.1 hypothesis==6.122.3
QGATE=${QGATE:-$ROOT/target/release/qgate}
[ -x "$QGATE" ] || (cd "$ROOT" && cargo build --release -q)
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT

# name  old  new  (tests run with PYTHONPATH=src)
PROJECTS="itsdangerous 2.1.2 2.2.0
attrs 23.2.0 24.2.0"

git_() { git -C "$1" -c user.name=qgate -c user.email=qgate@example.com "${@:2}"; }
unpack() { # project version dir: the sdist's tree, without its PKG-INFO noise
  "$V/bin/pip" download -q --no-deps --no-binary :all: "$1==$2" -d "$WORK/dl" >/dev/null
  mkdir -p "$WORK/x" && tar xzf "$WORK/dl/$1-$2.tar.gz" -C "$WORK/x"
  find "$3" -mindepth 1 -maxdepth 1 ! -name .git -exec rm -rf {} +
  cp -r "$WORK/x/$1-$2/." "$3/"
}

mismatches=0
echo "| project | diff | coverage | whitespace | diff-cover % | qgate % | diff-cover (int) | qgate (int) | covered/coverable diff-cover | qgate |"
echo "|---|---|---|---|---:|---:|---:|---:|---:|---:|"
while read -r name old new; do
  R="$WORK/$name"; mkdir -p "$R"
  git_ "$R" init -q -b main
  unpack "$name" "$old" "$R"; git_ "$R" add -A; git_ "$R" commit -qm "$name $old"
  git_ "$R" checkout -qb feature
  unpack "$name" "$new" "$R"; git_ "$R" add -A; git_ "$R" commit -qm "$name $new"
  (cd "$R" && PYTHONPATH=src "$V/bin/coverage" run --branch --source=src -m pytest -q -p no:cacheprovider tests >/dev/null 2>&1 || true)
  (cd "$R" && "$V/bin/coverage" xml -q -o "$WORK/$name.xml")
  for branch in no yes; do
    for ws in exact ignore; do
      dc=(); cfg="$WORK/qgate-$name-$branch-$ws.toml"
      printf 'version = 1\n[new-code]\ntotal-percent-float = true\nignore-whitespace = %s\n' \
        "$([ $ws = ignore ] && echo true || echo false)" > "$cfg"
      [ $branch = yes ] && dc+=(--branch-coverage)
      [ $ws = ignore ] && dc+=(--ignore-whitespace)
      (cd "$R" && "$V/bin/diff-cover" "$WORK/$name.xml" --compare-branch=main "${dc[@]}" \
        --total-percent-float --format "json:$WORK/dc.json" -q >/dev/null 2>&1 || true)
      (cd "$R" && "$V/bin/diff-cover" "$WORK/$name.xml" --compare-branch=main "${dc[@]}" \
        --format "json:$WORK/dc-int.json" -q >/dev/null 2>&1 || true)
      q=(--config "$cfg"); [ $branch = yes ] && q+=(--branch-coverage)
      (cd "$R" && "$QGATE" check . --base main --coverage "$WORK/$name.xml" "${q[@]}" \
        --format json -o "$WORK/q.json" --exit-zero 2>/dev/null)
      printf 'version = 1\n[new-code]\nignore-whitespace = %s\n' \
        "$([ $ws = ignore ] && echo true || echo false)" > "$cfg"
      (cd "$R" && "$QGATE" check . --base main --coverage "$WORK/$name.xml" "${q[@]}" \
        --format json -o "$WORK/q-int.json" --exit-zero 2>/dev/null)
      row=$("$V/bin/python" - "$WORK" "$name $old → $new" "$([ $branch = yes ] && echo 'lines + branches' || echo lines)" "$ws" <<'PY'
import json, sys
w, label, cov, ws = sys.argv[1:]
dc, dci = json.load(open(f"{w}/dc.json")), json.load(open(f"{w}/dc-int.json"))
q, qi = json.load(open(f"{w}/q.json")), json.load(open(f"{w}/q-int.json"))
n, ni = q["summary"]["new_code"]["coverage"], qi["summary"]["new_code"]["coverage"]
dc_lines, dc_viol = dc["total_num_lines"], dc["total_num_violations"]
same = (abs(dc["total_percent_covered"] - n["percent"]) < 0.01
        and dci["total_percent_covered"] == ni["percent"]
        and (dc_lines - dc_viol, dc_lines) == (n["covered_lines"], n["coverable_lines"]))
print(f"| {label.split()[0]} | {' '.join(label.split()[1:])} | {cov} | {ws} | {dc['total_percent_covered']} | {n['percent']} | "
      f"{dci['total_percent_covered']} | {ni['percent']:g} | {dc_lines - dc_viol}/{dc_lines} | "
      f"{n['covered_lines']}/{n['coverable_lines']} |" + ("" if same else " MISMATCH"))
PY
)
      echo "$row"; case $row in *MISMATCH*) mismatches=$((mismatches + 1));; esac
    done
  done
done <<< "$PROJECTS"
echo
echo "$mismatches mismatching rows"
[ "$mismatches" -eq 0 ]
