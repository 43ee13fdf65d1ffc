#!/usr/bin/env bash
# The GitHub Action under an emulated runner: RUNNER_OS/RUNNER_ARCH, RUNNER_TEMP, GITHUB_PATH,
# GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_EVENT_PATH and GITHUB_BASE_REF point at temp
# files, a pull request is a real git history, and the "release" is a local directory served
# through curl's file:// with the archive and SHA-256 layout release.yml publishes. Checks
# every file the action writes, the exit codes, a tampered download, and that inputs are
# never evaluated by the shell.
# Usage: bash scripts/action-test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
cargo build -q
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
check() { # description, then a command that must succeed
  local what=$1
  shift
  if "$@"; then echo "ok   $what"; else echo "FAIL $what"; fails=$((fails + 1)); fi
  return 0
}

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
target=x86_64-unknown-linux-musl
release="$T/release/v$version"
mkdir -p "$release" "$T/pack"
cp target/debug/qgate "$T/pack/qgate"
tar -czf "$release/qgate-$target.tar.gz" -C "$T/pack" qgate
(cd "$release" && sha256sum "qgate-$target.tar.gz" >"qgate-$target.tar.gz.sha256")

# A repository with a pull request: main holds a small module, the branch adds a tangled
# function (26 branches) and its clone-free tests are absent, so coverage of it is 0.
repo="$T/repo"
mkdir -p "$repo/app"
git -C "$repo" init -q -b main
git -C "$repo" config user.name "qgate test"
git -C "$repo" config user.email "test@qgate.invalid"
cat >"$repo/app/ops.py" <<'EOF'
"""Small operations."""


def add(a: int, b: int) -> int:
    """Sum of two numbers."""
    return a + b
EOF
git -C "$repo" add -A && git -C "$repo" commit -qm base
base_sha=$(git -C "$repo" rev-parse HEAD)
git -C "$repo" checkout -qb feature
{
  echo ""
  echo ""
  echo "def tangled(x: int) -> int:"
  echo "    \"\"\"Too many branches.\"\"\""
  for i in $(seq 1 25); do echo "    if x == $i:"; echo "        return $((i * 2))"; done
  echo "    return 0"
} >>"$repo/app/ops.py"
git -C "$repo" commit -qam "add tangled"
printf '{"pull_request": {"base": {"sha": "%s", "ref": "main"}}}\n' "$base_sha" >"$T/event.json"

# One emulated job: a fresh runner directory, then `action.sh install` and `action.sh run`
# with the given INPUT_* variables (as action.yml's env: passes them).
job() { # name, then NAME=VALUE inputs
  local name=$1
  shift
  local runner="$T/runner-$name"
  mkdir -p "$runner/temp"
  : >"$runner/path" && : >"$runner/output" && : >"$runner/summary"
  set +e
  (
    cd "$repo"
    env -i HOME="$HOME" PATH="/usr/bin:/bin" \
      RUNNER_OS=Linux RUNNER_ARCH=X64 RUNNER_TEMP="$runner/temp" \
      GITHUB_PATH="$runner/path" GITHUB_OUTPUT="$runner/output" \
      GITHUB_STEP_SUMMARY="$runner/summary" GITHUB_EVENT_NAME=pull_request \
      GITHUB_EVENT_PATH="$T/event.json" GITHUB_BASE_REF=main \
      QGATE_RELEASE_URL="${QGATE_RELEASE_URL_OVERRIDE:-file://$T/release}" QGATE_ACTION_REPOSITORY=qgate/qgate \
      ${PIP_FIND_LINKS:+PIP_FIND_LINKS="$PIP_FIND_LINKS" PIP_NO_INDEX=1} \
      bash "$ROOT/scripts/action.sh" install >"$runner/install.log" 2>&1 || exit 90
    env -i HOME="$HOME" PATH="$(tr '\n' ':' <"$runner/path")/usr/bin:/bin" \
      RUNNER_OS=Linux RUNNER_ARCH=X64 RUNNER_TEMP="$runner/temp" \
      GITHUB_OUTPUT="$runner/output" GITHUB_STEP_SUMMARY="$runner/summary" \
      GITHUB_EVENT_NAME=pull_request GITHUB_EVENT_PATH="$T/event.json" GITHUB_BASE_REF=main \
      "$@" bash "$ROOT/scripts/action.sh" run >"$runner/run.log" 2>&1
  )
  echo $? >"$runner/code"
  set -e
}
code_of() { cat "$T/runner-$1/code"; }
output_of() { sed -n "s/^$2=//p" "$T/runner-$1/output"; }

# A pull request adding a 26-branch function: the gate fails and says where.
mkdir -p "$T/out"
job pr INPUT_SARIF_FILE="$T/out/qgate.sarif" INPUT_HTML_FILE="$T/out/qgate.html" \
  'INPUT_THRESHOLDS=complexity=20 duplication=3'
r="$T/runner-pr"
check "install verified the checksum and put qgate on GITHUB_PATH" \
  grep -q "installed qgate $version ($target), SHA-256 $(cut -d' ' -f1 <"$release/qgate-$target.tar.gz.sha256")" "$r/install.log"
check "GITHUB_PATH holds the release directory" grep -qx "$r/temp/qgate-release/bin" "$r/path"
check "exit 1 for a failing gate" [ "$(code_of pr)" = 1 ]
check "outputs: status=fail" [ "$(output_of pr status)" = fail ]
check "outputs: exit-code=1" [ "$(output_of pr exit-code)" = 1 ]
check "outputs: grade is a letter" grep -qxE 'grade=[A-E]' "$r/output"
check "outputs: duplication=0" [ "$(output_of pr duplication)" = 0.0 ]
check "outputs: coverage empty without a report" grep -qx 'coverage=' "$r/output"
check "outputs: sarif-file" [ "$(output_of pr sarif-file)" = "$T/out/qgate.sarif" ]
check "outputs: html-file" [ "$(output_of pr html-file)" = "$T/out/qgate.html" ]
check "the PR's base came from the event payload" \
  grep -q "\"base_commit\": \"$base_sha\"" "$(output_of pr json-file)"
check "the summary names the gate and the function at path:line" \
  grep -q 'tangled' "$r/summary"
check "the summary is qgate's Markdown" grep -q '^## qgate' "$r/summary"
check "an error annotation at app/ops.py:9" grep -q '^::error file=app/ops.py,line=9' "$r/run.log"
check "qgate's text output is fenced from workflow commands" \
  grep -qE '^::stop-commands::qgate-[0-9a-f]{16}$' "$r/run.log"
check "the SARIF log is SARIF 2.1.0" grep -q '"version": "2.1.0"' "$T/out/qgate.sarif"
check "the HTML report is a page" grep -q '<!DOCTYPE html>' "$T/out/qgate.html"

# fail-on-gate: false turns the gate failure into a passing step; the outputs still say fail.
job soft INPUT_FAIL_ON_GATE=false
check "fail-on-gate false: exit 0" [ "$(code_of soft)" = 0 ]
check "fail-on-gate false: status=fail" [ "$(output_of soft status)" = fail ]

# The base branch passes, with the PR's base (the event's) as its base: nothing changed.
git -C "$repo" checkout -q main
job pass
git -C "$repo" checkout -q feature
check "a passing run exits 0" [ "$(code_of pass)" = 0 ]
check "outputs: status=pass" [ "$(output_of pass status)" = pass ]

# Inputs are data: shell syntax in them is passed to qgate as arguments, never run.
job hostile 'INPUT_PATHS=$(touch pwned) `touch pwned2` ;touch;pwned3 *' 'INPUT_ARGS=--exit-zero'
none_exist() { local f; for f in "$@"; do [ ! -e "$f" ] || return 1; done; }
check "shell syntax in inputs ran nothing" none_exist "$repo/pwned" "$repo/pwned2" "$repo/pwned3" \
  "$repo/;touch;pwned3" "$T/runner-hostile/temp/pwned"
check "a nonexistent path (the glob was not expanded) exits 2" [ "$(code_of hostile)" = 2 ]
check "the error names the literal path" grep -q "\`\$(touch\`: no such file or directory" "$T/runner-hostile/run.log"
check "outputs: status=error" [ "$(output_of hostile status)" = error ]

# No release for this version: `install: auto` falls back to pip (the wheel scripts/wheel-test.sh
# built, found through PIP_FIND_LINKS with no index), and the installed qgate runs the check.
wheel=$(ls "$ROOT"/target/wheels/qgate-*.whl 2>/dev/null | head -n 1 || true)
if [ -n "$wheel" ]; then
  mkdir -p "$T/no-release"
  QGATE_RELEASE_URL_OVERRIDE="file://$T/no-release" PIP_FIND_LINKS="$ROOT/target/wheels" PIP_NO_INDEX=1 job pip
  check "no release archive: the install says so" grep -q "no release archive qgate-$target.tar.gz for v$version" "$T/runner-pip/install.log"
  check "then installs the wheel with pip" grep -q "installed qgate $version with pip" "$T/runner-pip/install.log"
  check "the venv's bin is on GITHUB_PATH" grep -qx "$T/runner-pip/temp/qgate-venv/bin" "$T/runner-pip/path"
  check "and its qgate gates the pull request (exit 1)" [ "$(code_of pip)" = 1 ]
else
  echo "skip the pip fallback: no wheel in target/wheels (scripts/wheel-test.sh builds it)"
fi

# A tampered download is refused, not installed and not papered over by a fallback.
printf 'garbage' >>"$release/qgate-$target.tar.gz"
job tampered
check "a checksum mismatch stops the install" [ "$(code_of tampered)" = 90 ]
check "and says why" grep -q 'does not match the published' "$T/runner-tampered/install.log"
check "nothing was put on PATH" [ ! -s "$T/runner-tampered/path" ]

if [ "$fails" -ne 0 ]; then
  for log in "$T"/runner-*/run.log; do echo "--- $log"; tail -n 25 "$log"; done
  echo "$fails check(s) failed"
  exit 1
fi
echo "action: all checks passed"
