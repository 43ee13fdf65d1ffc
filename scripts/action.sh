#!/usr/bin/env bash
# The GitHub Action's logic (action.yml runs it; scripts/action-test.sh runs it under an
# emulated runner). Inputs arrive as environment variables only; every value is passed to qgate
# as one argument and never evaluated by the shell.
#
#   action.sh install   puts qgate on PATH: a release binary for RUNNER_OS/RUNNER_ARCH checked
#                       against its published SHA-256, else `pip install qgate`, else
#                       `cargo install --locked` from the action's own checkout
#   action.sh run       runs `qgate check`, writes the step summary, annotations, SARIF/HTML
#                       and the step outputs, and exits as qgate did
set -euo pipefail

ACTION_DIR=$(cd "$(dirname "$0")/.." && pwd)
TEMP=${RUNNER_TEMP:-${TMPDIR:-/tmp}}

die() {
  echo "::error title=qgate action::$*"
  echo "qgate action: error: $*" >&2
  exit 2
}

# The version this checkout of the action is (Cargo.toml's), the default for `version`.
own_version() {
  sed -n 's/^version = "\(.*\)"$/\1/p' "$ACTION_DIR/Cargo.toml" | head -n 1
}

# The release target for the runner (the musl builds run on every Linux distribution).
release_target() {
  case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
    Linux/X64) echo x86_64-unknown-linux-musl ;;
    Linux/ARM64) echo aarch64-unknown-linux-musl ;;
    macOS/X64) echo x86_64-apple-darwin ;;
    macOS/ARM64) echo aarch64-apple-darwin ;;
    Windows/X64) echo x86_64-pc-windows-msvc ;;
    *) return 1 ;;
  esac
}

sha256_of() {
  if command -v sha256sum >/dev/null; then
    sha256sum "$1" | cut -d' ' -f1
  else
    shasum -a 256 "$1" | cut -d' ' -f1
  fi
}

add_to_path() {
  echo "$1" >>"${GITHUB_PATH:?GITHUB_PATH is not set}"
  PATH="$1:$PATH"
}

# Downloads and verifies the release archive; returns 1 when there is none to download, and
# dies when one was downloaded but its checksum does not match (never falls back then).
install_release() {
  local version=$1 target archive base dir expected actual
  target=$(release_target) || {
    echo "no release binary for ${RUNNER_OS:-?}/${RUNNER_ARCH:-?}"
    return 1
  }
  case $target in
    *windows*) archive="qgate-$target.zip" ;;
    *) archive="qgate-$target.tar.gz" ;;
  esac
  base=${QGATE_RELEASE_URL:-https://github.com/${QGATE_ACTION_REPOSITORY:-qgate/qgate}/releases/download}
  dir="$TEMP/qgate-release"
  rm -rf "$dir" && mkdir -p "$dir/bin"
  if ! curl -fsSL --retry 3 -o "$dir/$archive" "$base/v$version/$archive" ||
    ! curl -fsSL --retry 3 -o "$dir/$archive.sha256" "$base/v$version/$archive.sha256"; then
    echo "no release archive $archive for v$version at $base"
    return 1
  fi
  expected=$(cut -d' ' -f1 <"$dir/$archive.sha256")
  actual=$(sha256_of "$dir/$archive")
  [ "$expected" = "$actual" ] ||
    die "$archive: SHA-256 $actual does not match the published $expected — the download is damaged or not the release; not installing it"
  case $archive in
    *.zip) unzip -q -o "$dir/$archive" -d "$dir/bin" ;;
    *) tar -xzf "$dir/$archive" -C "$dir/bin" ;;
  esac
  add_to_path "$dir/bin"
  echo "installed qgate $version ($target), SHA-256 $actual"
}

install_pip() {
  local version=$1 venv="$TEMP/qgate-venv" python
  python=$(command -v python3 || command -v python) || {
    echo "no Python for pip install"
    return 1
  }
  "$python" -m venv "$venv" || return 1
  local bin="$venv/bin"
  [ -d "$bin" ] || bin="$venv/Scripts"
  "$bin/python" -m pip install -q "qgate==$version" || {
    echo "pip install qgate==$version failed"
    return 1
  }
  add_to_path "$bin"
  echo "installed qgate $version with pip"
}

install_cargo() {
  command -v cargo >/dev/null || {
    echo "no cargo for cargo install"
    return 1
  }
  cargo install --locked --quiet --path "$ACTION_DIR" --root "$TEMP/qgate-cargo" || return 1
  add_to_path "$TEMP/qgate-cargo/bin"
  echo "built qgate from the action's checkout with cargo install --locked"
}

install() {
  local version=${QGATE_VERSION:-} how=${QGATE_INSTALL:-auto}
  [ -n "$version" ] || version=$(own_version)
  version=${version#v}
  case $how in
    path) ;;
    release) install_release "$version" || die "no release binary of qgate $version for this runner — use install: pip or cargo" ;;
    pip) install_pip "$version" || die "pip could not install qgate $version" ;;
    cargo) install_cargo || die "cargo install failed" ;;
    auto)
      if command -v qgate >/dev/null && [ "$(qgate --version)" = "qgate $version" ]; then
        echo "qgate $version is already on PATH"
      else
        install_release "$version" || install_pip "$version" || install_cargo ||
          die "cannot install qgate $version: no release binary, pip or cargo — set install: and see the README"
      fi
      ;;
    *) die "install: '$how' is not one of auto, release, pip, cargo, path" ;;
  esac
  command -v qgate >/dev/null || die "qgate is not on PATH after install: $how"
  local got
  got=$(qgate --version)
  [ "$how" = path ] || [ "$got" = "qgate $version" ] ||
    die "installed $got, wanted qgate $version"
  echo "$got"
}

# Splits a space- or newline-separated input into the array WORDS, without globbing (bash 3,
# as macOS ships it, has no namerefs).
split_words() {
  local IFS=$' \t\n'
  set -f
  # shellcheck disable=SC2206
  WORDS=($1)
  set +f
}

# The pull request's base commit, from the event payload (or the base branch).
pull_request_base() {
  case "${GITHUB_EVENT_NAME:-}" in
    pull_request | pull_request_target) ;;
    *) return 0 ;;
  esac
  local sha=""
  if [ -f "${GITHUB_EVENT_PATH:-}" ]; then
    sha=$(json_field "$GITHUB_EVENT_PATH" pull_request.base.sha)
  fi
  if [ -n "$sha" ]; then
    echo "$sha"
  elif [ -n "${GITHUB_BASE_REF:-}" ]; then
    echo "origin/$GITHUB_BASE_REF"
  fi
}

# Prints a dotted field of a JSON file (empty when absent or null); one line, no newlines.
json_field() {
  local python
  if python=$(command -v python3 || command -v python); then
    "$python" - "$1" "$2" <<'PY'
import json, sys
value = json.load(open(sys.argv[1], encoding="utf-8"))
for key in sys.argv[2].split("."):
    value = value.get(key) if isinstance(value, dict) else None
if value is not None:
    text = str(value).lower() if isinstance(value, bool) else str(value)
    print(text.replace("\r", " ").replace("\n", " "))
PY
  else
    jq -r ".$2 // empty" "$1" | tr '\r\n' '  '
  fi
}

# A value for GITHUB_OUTPUT: a newline would start another output.
one_line() {
  printf '%s' "$1" | tr '\r\n' '  '
}

run_check() {
  local out="$TEMP/qgate-action"
  mkdir -p "$out"
  local json=${INPUT_JSON_FILE:-$out/qgate.json} markdown="$out/summary.md" annotations="$out/annotations.txt"
  rm -f "$json" "$markdown" "$annotations"
  local args=(check) word flag input
  split_words "${INPUT_PATHS:-}"
  args+=(${WORDS[@]+"${WORDS[@]}"})
  [ -z "${INPUT_CONFIG:-}" ] || args+=(--config "$INPUT_CONFIG")
  for flag in coverage bandit sarif pylint clippy mypy pip-audit cargo-audit; do
    input="INPUT_$(echo "$flag" | tr 'a-z-' 'A-Z_')"
    split_words "${!input:-}"
    for word in ${WORDS[@]+"${WORDS[@]}"}; do args+=("--$flag" "$word"); done
  done
  local base=${INPUT_BASE:-}
  [ -n "$base" ] || base=$(pull_request_base)
  [ -z "$base" ] || args+=(--base "$base")
  [ -z "${INPUT_BASELINE:-}" ] || args+=(--baseline "$INPUT_BASELINE")
  split_words "${INPUT_THRESHOLDS:-}"
  for word in ${WORDS[@]+"${WORDS[@]}"}; do args+=(--threshold "$word"); done
  args+=(--format text --report "json=$json" --report "markdown=$markdown" --report "github=$annotations")
  [ -z "${INPUT_SARIF_FILE:-}" ] || args+=(--report "sarif=$INPUT_SARIF_FILE")
  [ -z "${INPUT_HTML_FILE:-}" ] || args+=(--report "html=$INPUT_HTML_FILE")
  [ -z "${INPUT_REPORT_URL:-}" ] || args+=(--report-url "$INPUT_REPORT_URL")
  split_words "${INPUT_ARGS:-}"
  args+=(${WORDS[@]+"${WORDS[@]}"})

  # What qgate prints comes from the repository (paths, names): no line of it may act as a
  # workflow command, so the runner is told to ignore commands until the random token.
  local token
  token="qgate-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
  echo "::stop-commands::$token"
  local code=0
  qgate "${args[@]}" || code=$?
  echo "::$token::"

  if [ "${INPUT_SUMMARY:-true}" = true ] && [ -f "$markdown" ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
    cat "$markdown" >>"$GITHUB_STEP_SUMMARY"
  fi
  if [ "${INPUT_ANNOTATIONS:-true}" = true ] && [ -f "$annotations" ]; then
    cat "$annotations"
  fi

  local status=error
  case $code in
    0) status=pass ;;
    1) status=fail ;;
  esac
  {
    echo "status=$status"
    echo "exit-code=$code"
    if [ -f "$json" ]; then
      echo "json-file=$(one_line "$json")"
      echo "grade=$(json_field "$json" summary.grade.letter)"
      echo "coverage=$(json_field "$json" summary.coverage.percent)"
      echo "diff-coverage=$(json_field "$json" summary.new_code.coverage.percent)"
      echo "duplication=$(json_field "$json" summary.duplication.percent)"
    fi
    [ -z "${INPUT_SARIF_FILE:-}" ] || [ ! -f "$INPUT_SARIF_FILE" ] || echo "sarif-file=$(one_line "$INPUT_SARIF_FILE")"
    [ -z "${INPUT_HTML_FILE:-}" ] || [ ! -f "$INPUT_HTML_FILE" ] || echo "html-file=$(one_line "$INPUT_HTML_FILE")"
  } >>"${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"

  if [ "$code" -eq 1 ] && [ "${INPUT_FAIL_ON_GATE:-true}" != true ]; then
    echo "qgate: a gate failed; fail-on-gate is false, so the step passes"
    return 0
  fi
  return "$code"
}

case "${1:-}" in
  install) install ;;
  run) run_check ;;
  *)
    echo "usage: action.sh install|run" >&2
    exit 2
    ;;
esac
