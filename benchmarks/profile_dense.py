"""Where fixorder's time goes on relevant files: cProfile over check_source on dense scripts.

    python benchmarks/profile_dense.py [--files 20] [--top 15]

Prints the share of each phase (parse, analysis, positions, rules, fix edits and the import
insertion inside them) and the top entries by cumulative time.  Uses the dense tree that
bench.py builds (benchmarks/trees.py).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import trees  # noqa: E402

PHASES = [  # (label, file suffix, function name) as cProfile names them
    ("libcst parse", "fixorder/engine.py", "parse"),
    ("image-flow analysis", "fixorder/analysis/interpreter.py", "analyze"),
    ("rules (incl. positions)", "fixorder/rules/fo101_missing_preprocess_input.py", "check"),
    ("  positions (PositionProvider)", "libcst/metadata/wrapper.py", "resolve"),
    ("fix edits for the report", "fixorder/engine.py", "attach_edits"),
    ("  import insertion (AddImportsVisitor)", "libcst/codemod/visitors/_add_imports.py", "visit_Module"),
    ("  import insertion (AddImportsVisitor)", "libcst/codemod/visitors/_add_imports.py", "leave_Module"),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "fixorder-bench")
    args = parser.parse_args(argv)
    dense = trees.build_dense(args.work / f"dense{args.files}", args.files)

    from fixorder import engine
    from fixorder.options import Options

    sources = [(str(p), p.read_text(encoding="utf-8")) for p in sorted(dense.rglob("*.py"))]
    profile = cProfile.Profile()
    profile.enable()
    for path, text in sources:
        engine.check_source(path, text, Options())
    profile.disable()
    stats = pstats.Stats(profile)
    total = sum(v[3] for k, v in stats.stats.items() if k[2] == "check_source")
    print(f"{len(sources)} dense files, check_source total {total:.2f} s under cProfile "
          f"({total / len(sources) * 1000:.0f} ms per file)\n")
    print("| phase | s | share |\n|---|---|---|")
    seen = set()
    for label, suffix, name in PHASES:
        cumulative = sum(v[3] for k, v in stats.stats.items() if k[0].endswith(suffix) and k[2] == name)
        key = (label, suffix, name)
        if cumulative == 0 or key in seen:
            continue
        seen.add(key)
        print(f"| {label} ({name}) | {cumulative:.2f} | {cumulative / total:.0%} |")
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(args.top)
    print("\n```")
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[-(args.top + 2) * 200:])
    print("```")
    return 0


if __name__ == "__main__":
    sys.exit(main())
