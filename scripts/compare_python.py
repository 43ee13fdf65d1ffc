"""Agreement between qgate's JSON report and radon / complexipy / interrogate outputs.

Called by scripts/compare-python.sh: compare_python.py CORPUS_DIR OUTPUT_DIR
Prints one block per metric with counts and up to 10 example differences.
"""

import json
import os
import sys
from collections import defaultdict

corpus, out = sys.argv[1], sys.argv[2]
load = lambda name: json.load(open(os.path.join(out, name)))
qgate = load("qgate.json")
files = {f["path"]: f for f in qgate["files"]}


def norm(path):
    return os.path.relpath(os.path.join(corpus, path), corpus).replace(os.sep, "/")


def show(title, total, same, diffs):
    pct = 100.0 * same / total if total else float("nan")
    print(f"\n{title}: {same} / {total} identical ({pct:.3f} %)")
    for d in diffs[:10]:
        print("   ", d)


# --- cyclomatic vs radon cc -------------------------------------------------------------
def radon_blocks(blocks):
    for b in blocks:
        if b["type"] in ("function", "method"):
            yield b
            yield from radon_blocks(b.get("closures", []))
        elif b["type"] == "class":
            yield from radon_blocks(b.get("methods", []))
            yield from radon_blocks(b.get("inner_classes", []))


total = same = 0
diffs, not_analysed, radon_errors = [], set(), 0
for path, blocks in load("radon-cc.json").items():
    if isinstance(blocks, dict):
        radon_errors += 1
        continue
    f = files.get(norm(path))
    if f is None:
        not_analysed.add(norm(path))
        continue
    by_line = defaultdict(list)
    for g in f["functions"]:
        by_line[(g["line"], g["name"])].append(g["cyclomatic"])
    seen = set()
    for b in radon_blocks(blocks):
        key = (b["lineno"], b["name"])
        if key in seen:
            continue
        seen.add(key)
        total += 1
        ours = by_line.get(key)
        if ours and ours[0] == b["complexity"]:
            same += 1
        else:
            diffs.append((norm(path), b["lineno"], b["name"], "radon", b["complexity"], "qgate", ours))
show("cyclomatic (radon cc)", total, same, diffs)
print(f"    files radon could not parse: {radon_errors}; files radon read that qgate does not analyse: {len(not_analysed)}")
for p in sorted(not_analysed)[:5]:
    print("     ", p)

# --- mccabe dialect vs ruff C901 --------------------------------------------------------
import re

mccabe = {}
for f in load("qgate-mccabe.json")["files"]:
    for g in f["functions"]:
        mccabe.setdefault((f["path"], g["line"], g["name"]), g["cyclomatic"])
total = same = 0
diffs = []
for d in load("ruff-c901.json"):
    m = re.match(r"`(.+)` is too complex \((\d+) > 0\)", d["message"])
    path = norm(os.path.relpath(d["filename"], corpus))
    if not m or path not in files:
        continue
    total += 1
    ours = mccabe.get((path, d["location"]["row"], m.group(1)))
    if ours == int(m.group(2)):
        same += 1
    else:
        diffs.append((path, d["location"]["row"], m.group(1), "ruff", int(m.group(2)), "qgate", ours))
show("cyclomatic, dialect mccabe (ruff C901)", total, same, diffs)

# --- cognitive vs complexipy -----------------------------------------------------------
ours_cog = defaultdict(list)
for f in qgate["files"]:
    spans = defaultdict(list)
    for g in f["functions"]:
        spans[g["qualified_name"]].append((g["line"], g["end_line"]))

    def inside_function(prefix, line):
        return any(a <= line <= b for a, b in spans.get(prefix, []))

    for g in f["functions"]:
        parts = g["qualified_name"].split(".")
        # complexipy scores module-level functions and methods of (nested) classes, as
        # `Outer::Inner::method`; functions nested in functions count toward their parent.
        prefixes = [".".join(parts[:i]) for i in range(1, len(parts))]
        if not any(inside_function(p, g["line"]) for p in prefixes):
            ours_cog[(f["path"], "::".join(parts))].append(g["cognitive"])
theirs = defaultdict(list)
for e in load("complexipy.json"):
    theirs[(norm(e["path"]), e["function_name"])].append(e["complexity"])
total = same = 0
diffs = []
for key, values in theirs.items():
    if key[0] not in files:
        continue  # a file qgate does not analyse (counted in the cyclomatic block)
    mine = ours_cog.get(key, [])
    for v, m in zip(sorted(values), sorted(mine) + [None] * len(values)):
        total += 1
        if v == m:
            same += 1
        else:
            diffs.append((*key, "complexipy", sorted(values), "qgate", sorted(mine)))
            break
show("cognitive (complexipy)", total, same, diffs)

# --- raw metrics, MI, Halstead vs radon ------------------------------------------------
keys = ("loc", "lloc", "sloc", "comments", "multi", "blank", "single_comments")
total = same = 0
diffs = []
for path, m in load("radon-raw.json").items():
    f = files.get(norm(path))
    if f is None or "error" in m:
        continue
    total += 1
    ours = [f["lines"], f["lloc"], f["sloc"], f["comments"], f["multi"], f["blank"], f["single_comments"]]
    theirs_raw = [m[k] for k in keys]
    if ours == theirs_raw:
        same += 1
    else:
        diffs.append((norm(path), dict(zip(keys, theirs_raw)), "qgate", dict(zip(keys, ours))))
show("raw metrics, all seven identical (radon raw)", total, same, diffs)

total = same = 0
diffs = []
for path, m in load("radon-mi.json").items():
    f = files.get(norm(path))
    if f is None or "error" in m or f.get("maintainability") is None:
        continue
    total += 1
    if abs(f["maintainability"] - m["mi"]) <= 0.01:
        same += 1
    else:
        diffs.append((norm(path), "radon", round(m["mi"], 4), "qgate", f["maintainability"]))
show("maintainability index within 0.01 (radon mi)", total, same, diffs)

total = same = 0
diffs = []
for path, m in load("radon-hal.json").items():
    f = files.get(norm(path))
    if f is None or "error" in m or f.get("halstead") is None:
        continue
    total += 1
    if abs(f["halstead"]["volume"] - m["total"]["volume"]) <= 0.01:
        same += 1
    else:
        diffs.append((norm(path), "radon", round(m["total"]["volume"], 3), "qgate", f["halstead"]["volume"]))
show("Halstead volume within 0.01 (radon hal)", total, same, diffs)

# --- radon blocks: what `radon cc -a` averages and xenon gates -----------------------------
total = same = 0
diffs = []
radon_sum = radon_count = ours_sum = ours_count = 0
for path, blocks in load("radon-cc.json").items():
    if isinstance(blocks, dict) or norm(path) not in files:
        continue
    ours = files[norm(path)]["blocks"] or {"count": 0, "total": 0}
    theirs = (len(blocks), sum(b["complexity"] for b in blocks))
    total += 1
    if (ours["count"], ours["total"]) == theirs:
        same += 1
    else:
        diffs.append((norm(path), "radon", theirs, "qgate", (ours["count"], ours["total"])))
    radon_sum += theirs[1]
    radon_count += theirs[0]
    ours_sum += ours["total"]
    ours_count += ours["count"]
show("radon blocks (count, total complexity) per file", total, same, diffs)
print(f"    average over these files: radon cc -a {radon_sum / max(1, radon_count):.4f}, qgate {ours_sum / max(1, ours_count):.4f}")

# --- docstrings vs interrogate ----------------------------------------------------------
from interrogate.config import InterrogateConfig
from interrogate.coverage import InterrogateCoverage

import ast
import warnings


def python_parses(path):
    # interrogate parses with the running Python; files in newer syntax (3.14) are left out.
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(open(path, encoding="utf-8").read())
        return True
    except (SyntaxError, ValueError):
        return False


candidates = [os.path.join(corpus, p) for p in sorted(files) if p.endswith(".py") and files[p]["docstrings"]]
paths = [p for p in candidates if python_parses(p)]
if len(paths) < len(candidates):
    print(f"\n    ({len(candidates) - len(paths)} files left out of the interrogate comparison: this Python cannot parse them)")
# interrogate per file: one whose expressions nest past Python's recursion limit (sympy has a
# few) makes interrogate itself fail, and is left out.
interrogator = InterrogateCoverage(paths=paths, conf=InterrogateConfig())
file_results, too_deep = [], 0
for p in paths:
    try:
        r = interrogator._get_file_coverage(p)
    except RecursionError:
        too_deep += 1
        continue
    if r:
        file_results.append(r)
if too_deep:
    print(f"    ({too_deep} files left out: interrogate itself overflows Python's recursion limit on them)")
covered_all = sum(r.covered for r in file_results)
total_all = sum(r.total for r in file_results)
theirs_by_file = {norm(os.path.relpath(r.filename, corpus)): (r.covered, r.total) for r in file_results}
total = same = 0
diffs = []
for path, (covered, count) in theirs_by_file.items():
    d = files[path]["docstrings"]
    total += 1
    if (d["documented"], d["total"]) == (covered, count):
        same += 1
    else:
        diffs.append((path, "interrogate", (covered, count), "qgate", (d["documented"], d["total"])))
show("docstring counts per file (interrogate)", total, same, diffs)
ours_pct = 100.0 * sum(files[p]["docstrings"]["documented"] for p in theirs_by_file) / max(1, sum(files[p]["docstrings"]["total"] for p in theirs_by_file))
theirs_pct = 100.0 * covered_all / max(1, total_all)
print(f"    total: interrogate {theirs_pct:.2f} %, qgate {ours_pct:.2f} %, difference {abs(theirs_pct - ours_pct):.3f} points")
