"""qgate's docstring counts against interrogate's, one option at a time.

Called by scripts/compare-interrogate.sh: compare_interrogate.py CORPUS_DIR QGATE_BINARY
"""

import ast
import json
import os
import re
import subprocess
import sys
import tempfile
import warnings

from interrogate.config import InterrogateConfig
from interrogate.coverage import InterrogateCoverage

corpus, qgate = sys.argv[1], sys.argv[2]

# (name, qgate [docstrings] lines, interrogate config keywords)
CASES = [
    ("defaults", "", {}),
    ("ignore-init-method", "ignore-init-method = true", {"ignore_init_method": True}),
    ("ignore-init-module", "ignore-init-module = true", {"ignore_init_module": True}),
    ("ignore-magic", "ignore-magic = true", {"ignore_magic": True}),
    ("ignore-module", "ignore-module = true", {"ignore_module": True}),
    ("ignore-nested-classes", "ignore-nested-classes = true", {"ignore_nested_classes": True}),
    ("ignore-nested-functions", "ignore-nested-functions = true", {"ignore_nested_functions": True}),
    ("ignore-private", "ignore-private = true", {"ignore_private": True}),
    ("ignore-semiprivate", "ignore-semiprivate = true", {"ignore_semiprivate": True}),
    ("ignore-property-decorators", "ignore-property-decorators = true", {"ignore_property_decorators": True}),
    ("ignore-setters", "ignore-setters = true", {"ignore_property_setters": True}),
    ("ignore-overloaded-functions", "ignore-overloaded-functions = true", {"ignore_overloaded_functions": True}),
    ("style google", 'style = "google"', {"docstring_style": "google"}),
    ("ignore-regex ^test", 'ignore-regex = ["^test"]', {"ignore_regex": [re.compile("^test")]}),
    # interrogate's command line leaves the module out with a whitelist; qgate does the same.
    ("whitelist-regex ^[A-Z]", 'whitelist-regex = ["^[A-Z]"]', {"include_regex": [re.compile("^[A-Z]")], "ignore_module": True}),
    (
        "all ignore options at once",
        "\n".join(f"{k} = true" for k in [
            "ignore-init-method", "ignore-init-module", "ignore-magic", "ignore-module",
            "ignore-nested-classes", "ignore-nested-functions", "ignore-private",
            "ignore-semiprivate", "ignore-property-decorators", "ignore-setters",
            "ignore-overloaded-functions"]),
        {k: True for k in [
            "ignore_init_method", "ignore_init_module", "ignore_magic", "ignore_module",
            "ignore_nested_classes", "ignore_nested_functions", "ignore_private",
            "ignore_semiprivate", "ignore_property_decorators", "ignore_property_setters",
            "ignore_overloaded_functions"]},
    ),
]


def python_parses(path):
    # interrogate parses with the running Python; files in newer syntax are left out.
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(open(path, encoding="utf-8").read())
        return True
    except (SyntaxError, ValueError, UnicodeDecodeError):
        return False


def qgate_counts(lines):
    with tempfile.TemporaryDirectory() as d:
        cfg = os.path.join(d, "qgate.toml")
        open(cfg, "w").write("[docstrings]\n" + lines + "\n")
        out = os.path.join(d, "r.json")
        subprocess.run([qgate, "check", corpus, "--config", cfg, "--format", "json", "-o", out,
                        "--exit-zero"], check=True, stderr=subprocess.DEVNULL)
        report = json.load(open(out))
    return {f["path"]: f["docstrings"] for f in report["files"] if f["language"] == "python"}


first = qgate_counts("")
paths = [os.path.join(corpus, p) for p in sorted(first) if first[p] is not None]
paths = [p for p in paths if python_parses(p)]
print(f"corpus: {corpus}; {len(paths)} Python files interrogate can parse")
print(f"{'option':<30} {'files':>6} {'agree':>6}   interrogate %   qgate %")
for name, lines, keywords in CASES:
    ours = first if not lines else qgate_counts(lines)
    # The corpus directory, as `interrogate DIR` walks it: `ignore-init-module` applies only to
    # files found by walking. Files qgate does not analyse are not compared.
    results = InterrogateCoverage(paths=[corpus], conf=InterrogateConfig(**keywords)).get_coverage()
    theirs = {os.path.relpath(r.filename, corpus).replace(os.sep, "/"): (r.covered, r.total)
              for r in results.file_results}
    same, diffs = 0, []
    ours_documented = ours_total = theirs_documented = theirs_total = 0
    for path in (os.path.relpath(p, corpus).replace(os.sep, "/") for p in paths):
        mine = ours.get(path)
        mine = (mine["documented"], mine["total"]) if mine else None
        want = theirs.get(path)
        # A file interrogate leaves out is one qgate gives no count, or a count of nothing.
        if want is None and (mine is None or mine[1] == 0):
            same += 1
        elif mine == want:
            same += 1
        else:
            diffs.append((path, want, mine))
        if mine:
            ours_documented += mine[0]
            ours_total += mine[1]
        if want:
            theirs_documented += want[0]
            theirs_total += want[1]
    ours_pct = 100.0 * ours_documented / max(1, ours_total)
    theirs_pct = 100.0 * theirs_documented / max(1, theirs_total)
    print(f"{name:<30} {len(paths):>6} {same:>6}   {theirs_pct:>12.2f}   {ours_pct:>7.2f}")
    for path, want, mine in diffs[:5]:
        print(f"      {path}: interrogate {want}, qgate {mine}")
