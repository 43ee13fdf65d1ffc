#!/usr/bin/env bash
# The pre-commit figure (issue 18): a generated git repository of about a million lines of
# Python (4,000 files of varied functions), three files changed and staged, then
# `qgate check --staged` timed with hyperfine: cold (no cache) and warm (the cache filled by a
# run on the committed tree, so only the staged files are new).
#
# Usage: bash scripts/staged-bench.sh [QGATE_BINARY]   (default: target/release/qgate)
# Needs: hyperfine (apt-get install hyperfine), git, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
Q=${1:-$PWD/target/release/qgate}
[ -x "$Q" ] || cargo build --release --quiet --bin qgate
command -v hyperfine >/dev/null || { echo "hyperfine is missing: apt-get install hyperfine" >&2; exit 2; }
R=$(mktemp -d)
trap 'rm -rf "$R"' EXIT
python3 - "$R" <<'PY'
import os, random, sys
root = sys.argv[1]
rng = random.Random(18)
words = "alpha beta gamma delta load parse store fetch merge split count index value total".split()
def function(n):
    name = f"{rng.choice(words)}_{rng.choice(words)}_{n}"
    lines = [f"def {name}(items, limit={rng.randint(1, 99)}):", f'    """{name.replace("_", " ")}."""']
    lines.append(f"    {rng.choice(words)} = {rng.randint(0, 999)}")
    for i in range(rng.randint(3, 9)):
        var = f"{rng.choice(words)}{i}"
        kind = rng.randrange(4)
        if kind == 0:
            lines += [f"    for {var} in items[:{rng.randint(1, 50)}]:", f"        if {var} > {rng.randint(0, 500)}:", f"            limit += {rng.randint(1, 9)}"]
        elif kind == 1:
            lines += [f"    if limit % {rng.randint(2, 13)} == {rng.randint(0, 1)}:", f"        {var} = limit * {rng.randint(2, 70)}", "    else:", f"        {var} = limit - {rng.randint(1, 40)}"]
        elif kind == 2:
            lines += [f"    while limit > {rng.randint(100, 900)}:", f"        limit //= {rng.randint(2, 5)}"]
        else:
            lines.append(f"    {var} = [x * {rng.randint(2, 9)} for x in items if x != {rng.randint(0, 99)}]")
    lines += ["    return limit", "", ""]
    return lines
total = 0
for f in range(4000):
    d = os.path.join(root, "pkg", f"m{f // 100:02d}")
    os.makedirs(d, exist_ok=True)
    lines = [f'"""Module {f}."""', "", ""]
    n = 0
    while len(lines) < 245:
        lines += function(f * 100 + n)
        n += 1
    total += len(lines)
    with open(os.path.join(d, f"mod{f}.py"), "w") as out:
        out.write("\n".join(lines) + "\n")
print(f"generated {total:,} lines in 4,000 files")
PY
cd "$R"
git init -q && git config user.name bench && git config user.email bench@example.com
git add -A && git commit -qm base
for f in 7 1234 3999; do
  file=$(ls pkg/m*/mod$f.py)
  printf '\n\ndef staged_%s(x):\n    if x:\n        return x + %s\n    return 0\n' "$f" "$f" >> "$file"
  git add "$file"
done
echo "staged: $(git diff --cached --shortstat)"
# Fill the cache, then before every timed run change one file again, as an edit between two
# commit attempts does: that file is analysed again. A line of code appended changes its clone
# tokens, so the clone pass runs again over the cached token streams; a comment appended leaves
# every clone token on its line, so the stored clone result stands.
# The hook's own command (`qgate check --staged`, the text verdict), and with the full JSON
# report of the million lines for comparison.
"$Q" check --staged --exit-zero >/dev/null
code_edit="echo 'edited = 1' >> pkg/m00/mod7.py"
comment_edit="echo '# edited' >> pkg/m00/mod7.py"
"$Q" check --staged --exit-zero -v 2>&1 >/dev/null | grep 'qgate: cache:' || true
hyperfine --warmup 2 --runs 10 -i --export-markdown /tmp/qgate-bench-staged.md \
  --prepare true --prepare true --prepare "$code_edit" --prepare "$comment_edit" --prepare true \
  -n "qgate check --staged (warm, nothing changed)" "$Q check --staged" \
  -n "qgate check --staged --format json (warm, nothing changed)" "$Q check --staged --format json -o /dev/null" \
  -n "qgate check --staged (warm, a line of code appended to one file)" "$Q check --staged" \
  -n "qgate check --staged (warm, a comment appended to one file)" "$Q check --staged" \
  -n "qgate check --staged --no-cache" "$Q check --staged --no-cache"
cat /tmp/qgate-bench-staged.md
