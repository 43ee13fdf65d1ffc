#!/usr/bin/env bash
# The pre-commit hooks with the real pre-commit: `pre-commit try-repo` this repository's `qgate`
# hook in a temporary repository — a commit of a small function passes, a commit adding an
# over-complex function fails and names it — and the `qgate-wheel` variant, which pip-installs
# the repository (maturin builds the wheel) into the hook's environment, on the failing commit
# with no qgate on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
V=${QGATE_PRECOMMIT_VENV:-$HOME/.cache/qgate-precommit-venv}
[ -x "$V/bin/pre-commit" ] || { python3 -m venv "$V" && "$V/bin/pip" install -q pre-commit==4.0.1; }
[ -n "${QGATE:-}" ] || cargo build --release -q
SYSTEM_PATH=$PATH
export PATH="$(dirname "${QGATE:-$ROOT/target/release/qgate}"):$PATH"
# The wheel's build runs under the temporary HOME below: keep the real toolchain and crates.
export CARGO_HOME=${CARGO_HOME:-$HOME/.cargo} RUSTUP_HOME=${RUSTUP_HOME:-$HOME/.rustup}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
export HOME=$T/home PRE_COMMIT_HOME=$T/cache GIT_CONFIG_NOSYSTEM=1; mkdir -p "$HOME"
g() { git -C "$T/r" -c user.name=qgate -c user.email=qgate@example.com "$@"; }
mkdir "$T/r" && g init -q -b main
printf 'def add(a: int, b: int) -> int:\n    """Add."""\n    return a + b\n' > "$T/r/ops.py"
g add ops.py && g commit -qm base
# The hook repository at its committed state, as pre-commit clones it.
rev=$(git -C "$ROOT" rev-parse HEAD)
fails=0
printf '\n\ndef sub(a: int, b: int) -> int:\n    """Subtract."""\n    return a - b\n' >> "$T/r/ops.py"; g add ops.py
if (cd "$T/r" && "$V/bin/pre-commit" try-repo "$ROOT" qgate --ref "$rev" > "$T/good.log" 2>&1); then
  echo "ok   a small staged change passes"
else
  echo "FAIL a small staged change passes"; cat "$T/good.log"; fails=$((fails + 1))
fi
python3 - "$T/r/ops.py" <<'PY'
import sys
body = "".join(f"    if x == {i}:\n        return {i}\n" for i in range(25))
open(sys.argv[1], "a").write(f'\n\ndef tangled(x: int) -> int:\n    """Branch."""\n{body}    return -1\n')
PY
g add ops.py
if (cd "$T/r" && "$V/bin/pre-commit" try-repo "$ROOT" qgate --ref "$rev" > "$T/bad.log" 2>&1); then
  echo "FAIL an over-complex staged function fails"; cat "$T/bad.log"; fails=$((fails + 1))
elif grep -q "tangled" "$T/bad.log" && grep -q "new-complexity" "$T/bad.log"; then
  echo "ok   an over-complex staged function fails, named: $(grep -m1 'tangled' "$T/bad.log" | sed 's/^ *//')"
else
  echo "FAIL the failure names the function"; cat "$T/bad.log"; fails=$((fails + 1))
fi
# The wheel variant: a fast release profile (no LTO) into a target directory kept between runs.
if (cd "$T/r" && PATH=$SYSTEM_PATH CARGO_TARGET_DIR="$ROOT/target/pre-commit-wheel" \
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
  "$V/bin/pre-commit" try-repo "$ROOT" qgate-wheel --ref "$rev" > "$T/wheel.log" 2>&1); then
  echo "FAIL qgate-wheel: an over-complex staged function fails"; cat "$T/wheel.log"; fails=$((fails + 1))
elif grep -q "tangled" "$T/wheel.log" && grep -q "new-complexity" "$T/wheel.log"; then
  echo "ok   qgate-wheel (pip-installed, nothing on PATH) fails it too, named: $(grep -m1 'tangled' "$T/wheel.log" | sed 's/^ *//')"
else
  echo "FAIL qgate-wheel names the function"; cat "$T/wheel.log"; fails=$((fails + 1))
fi
[ "$fails" -eq 0 ]
