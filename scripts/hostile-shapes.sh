#!/usr/bin/env bash
# Time and peak memory of `qgate check` on one hostile file per shape, each at the default
# `max-file-size` (2 MiB): the "Memory and time per hostile file" table of docs/reliability.md.
#
#   scripts/hostile-shapes.sh [QGATE_BINARY]     (default: target/release/qgate, built if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
qgate=${1:-target/release/qgate}
[ -x "$qgate" ] || cargo build --quiet --release
# GNU time reports the child's own peak RSS (a fork from Python would count Python's pages).
[ -x /usr/bin/time ] || { echo "hostile-shapes.sh: needs /usr/bin/time (Debian: apt-get install time)" >&2; exit 2; }
python3 - "$qgate" <<'PY'
import json, os, subprocess, sys, tempfile, time

qgate = os.path.abspath(sys.argv[1])
M = 2 * 1024 * 1024 - 100

def lines(line):
    return line * (M // len(line))

shapes = [
    ("Python `x = 1+1+…`", "x.py", "x = " + "+".join(["1"] * (M // 2 - 4)) + "1\n"),
    ("Python `a.b.b.b…`", "x.py", "x = a" + ".b" * (M // 2 - 4) + "\n"),
    ("Python 1,000,000-element list", "x.py", "x = [" + ",".join(["1"] * (M // 2 - 8)) + "]\n"),
    ("Python 130,000-line dict", "x.py", "x = {\n" + "".join(f"    {i}: {i},\n" for i in range(M // 16)) + "}\n"),
    ("Python 87,000 identical lines", "x.py", lines("x = foo(a, b) + bar(c)\n")),
    ("Python `(`×999, then 260,000 lines", "x.py", "x = " + "(" * 999 + "1" + ")" * 999 + "\n" + "y = 1\n" * (M // 8)),
    ("Python one 2 MiB string", "x.py", "x = '" + "a" * (M - 10) + "'\n"),
    ("Python 2 MiB of tabs in a docstring", "x.py", 'def f():\n    """' + "\t" * (M - 40) + '"""\n'),
    ("Rust `1+1+…`", "x.rs", "fn f() -> i32 { " + "+".join(["1"] * (M // 2 - 20)) + "1 }\n"),
    ("Rust `Box<`×5,000", "x.rs", "type T = " + "Box<" * 5000 + "u8" + ">" * 5000 + ";\n"),
    ("Rust 131,000-arm match", "x.rs", "fn f(x: u32) -> u32 { match x { " + "".join(f"{i} => {i}, " for i in range(M // 16)) + "_ => 0 } }\n"),
    ("Rust 35,000 one-line functions", "x.rs", "".join(f"fn f{i}(a: u32) -> u32 {{ if a > {i} {{ a }} else {{ 0 }} }}\n" for i in range(M // 60))),
    ("Rust 65,000 identical lines", "x.rs", "fn f() {\n" + lines("    let x = foo(a, b) + bar(c);\n") + "}\n"),
    ("Rust one 2 MiB string", "x.rs", 'const S: &str = "' + "a" * (M - 40) + '";\n'),
]

print("| shape (2 MiB) | result | time | peak RSS |")
print("|---|---|---|---|")
for title, name, text in shapes:
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, name)
        with open(path, "w") as f:
            f.write(text[:M])
        start = time.monotonic()
        rss = os.path.join(d, "rss")
        run = subprocess.run(["/usr/bin/time", "-o", rss, "-f", "%M", qgate, "check", "-q",
                              "--format", "json", path], capture_output=True)
        elapsed = time.monotonic() - start
        if run.returncode not in (0, 1, 2):
            sys.exit(f"{title}: exit {run.returncode}: {run.stderr[-500:]!r}")
        out = run.stdout
        peak_mb = int(open(rss).read().split()[-1]) // 1024
        report = json.loads(out)
        skipped = report["skipped"]
        result = f"skipped: {skipped[0]['message'][:60]}" if skipped else "analysed"
        print(f"| {title} | {result} | {elapsed:.2f} s | {peak_mb} MB |")
PY
