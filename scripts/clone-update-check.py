#!/usr/bin/env python3
"""The clone update against the whole pass on a real corpus (issue 18).

Copies a corpus, fills a cache, then makes edits one at a time — a line of code appended, a
line deleted, forty lines of another file appended, a line changed, a new file of forty lines
of another, a file deleted — and after
each compares `qgate check --format json` with the cache against `--no-cache`, byte for byte,
and records how many files the update's pass ran over (the `-v` clones line).

Usage: python3 scripts/clone-update-check.py CORPUS [EDITS] [QGATE]
"""
import hashlib, os, random, re, shutil, subprocess, sys, tempfile

corpus = sys.argv[1]
edits = int(sys.argv[2]) if len(sys.argv) > 2 else 40
qgate = sys.argv[3] if len(sys.argv) > 3 else os.path.join(os.path.dirname(__file__), "..", "target", "release", "qgate")
qgate = os.path.abspath(qgate)
work = tempfile.mkdtemp()
root = os.path.join(work, "corpus")
shutil.copytree(corpus, root, symlinks=True)
cache = os.path.join(work, "cache")


def run(*extra):
    out = subprocess.run([qgate, "check", "--exit-zero", "--format", "json", "-o", os.path.join(work, "r.json"), "-v", "--cache-dir", cache, *extra, "."],
                         cwd=root, capture_output=True, text=True)
    digest = hashlib.md5(open(os.path.join(work, "r.json"), "rb").read()).hexdigest()
    m = re.search(r"qgate: cache: clones: (.*)", out.stderr)
    return digest, m.group(1) if m else "-"


files = sorted(os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(root) for f in fs if f.endswith((".py", ".rs")))
rng = random.Random(18)
run()
agree, parts = 0, {}
for n in range(edits):
    name = rng.choice(files)
    path = os.path.join(root, name)
    lines = open(path, encoding="utf-8", errors="surrogateescape").read().split("\n")
    kind = rng.randrange(6)
    if kind == 4:
        start = rng.randrange(max(1, len(lines) - 40))
        path = os.path.join(os.path.dirname(path), f"added_{n}" + os.path.splitext(name)[1])
        lines = lines[start:start + 40]
        files.append(os.path.relpath(path, root))
    elif kind == 5:
        os.remove(path)
        files.remove(name)
        lines = None
    elif kind == 0:
        lines.append(f"edited_{n} = {n}")
    elif kind == 1 and len(lines) > 3:
        del lines[rng.randrange(len(lines) - 1)]
    elif kind == 2:
        donor = open(os.path.join(root, rng.choice(files)), encoding="utf-8", errors="surrogateescape").read().split("\n")
        start = rng.randrange(max(1, len(donor) - 40))
        lines += [""] + donor[start:start + 40]
    else:
        k = rng.randrange(len(lines))
        lines[k] = lines[k] + f"  # {n}" if rng.random() < 0.5 else lines[k].replace("=", "= 1 +", 1)
    if lines is not None:
        open(path, "w", encoding="utf-8", errors="surrogateescape").write("\n".join(lines))
    cached, how = run()
    uncached, _ = run("--no-cache")
    agree += cached == uncached
    parts[how] = parts.get(how, 0) + 1
    print(f"{n:3} {['append', 'delete', 'copy in', 'change', 'new file', 'rm file'][kind]:8} {'same' if cached == uncached else 'DIFFERENT'}  {how}", flush=True)
print(f"{agree} of {edits} edits: the cached report is the uncached one byte for byte")
for how, count in sorted(parts.items(), key=lambda p: -p[1]):
    print(f"  {count:3}  {how}")
shutil.rmtree(work)
sys.exit(0 if agree == edits else 1)
