"""Where fixorder's time goes on relevant files: cProfile over check_source on dense scripts.

    python benchmarks/profile_dense.py [--files 20] [--top 15]

Prints the share of each phase (parse, analysis, positions, fix edits and the re-rendering
inside them) and the top entries by cumulative time.  Uses the dense tree that
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
    ("libcst parse", "fixorder/run/engine.py", "parse"),
    ("image-flow analysis", "fixorder/analysis/interpreter.py", "analyze"),
    ("positions and parents (one codegen pass)", "fixorder/analysis/source_map.py", "_recorded"),
    ("fix edits for the report", "fixorder/run/engine.py", "attach_edits"),
    ("  re-render of changed statements", "codemods/render.py", "render"),
]


def print_phases(sources: list[tuple[str, str]]) -> None:
    """Median CPU time per file of each phase, measured without a profiler (which inflates
    Python code several times more than libcst's native parser)."""
    import statistics
    import time

    from fixorder import catalog

    from fixorder.run import engine
    from fixorder.analysis.interpreter import analyze
    from fixorder.analysis.source_map import SourceMap
    from fixorder.inputs.options import Options

    cat = catalog.load()
    import ast

    phases: dict[str, list[float]] = {"libcst parse": [], "image-flow analysis": [],
                                      "positions and parents (codegen pass)": [], "whole check_source": []}
    # CPython's parser on the same files: what the pre-filter already pays (issue 18's substrate).
    ast_parse = []
    for path, text in sources:
        started = time.process_time()
        ast.parse(text)
        ast_parse.append(time.process_time() - started)
    for path, text in sources:
        started = time.process_time()
        module = engine.parse(text)
        parsed = time.process_time()
        analyze(module, cat)
        analysed = time.process_time()
        SourceMap(module, text).parents()
        mapped = time.process_time()
        engine.check_source(path, text, Options())
        checked = time.process_time()
        for label, value in zip(phases, (parsed - started, analysed - parsed, mapped - analysed, checked - mapped)):
            phases[label].append(value)
    # What generic name resolution would cost instead of the interpreter (the question:
    # is one pass of our own cheaper than libcst's scope analysis?).
    from libcst.metadata import MetadataWrapper, QualifiedNameProvider, ScopeProvider

    generic = []
    for path, text in sources:
        module = engine.parse(text)
        started = time.process_time()
        MetadataWrapper(module, unsafe_skip_copy=True).resolve_many(
            [ScopeProvider, QualifiedNameProvider])
        generic.append(time.process_time() - started)
    medians = {label: statistics.median(values) * 1000 for label, values in phases.items()}
    rest = medians["whole check_source"] - sum(v for k, v in medians.items() if k != "whole check_source")
    print(f"Median CPU ms per file, no profiler ({len(sources)} files):\n")
    print("| phase | ms | share |\n|---|---|---|")
    for label, value in [*medians.items(), ("rules, fixes and edits (the rest)", rest)]:
        print(f"| {label} | {value:.1f} | {value / medians['whole check_source']:.0%} |")
    cpython = statistics.median(ast_parse) * 1000
    print(f"\nCPython's ast.parse: {cpython:.1f} ms per file, "
          f"{medians['libcst parse'] / cpython:.0f}x faster than libcst's parse "
          f"({cpython / medians['whole check_source']:.0%} of check_source).")
    scope = statistics.median(generic) * 1000
    print(f"\nFor comparison, libcst's ScopeProvider + QualifiedNameProvider alone: {scope:.1f} ms per file, "
          f"{scope / medians['image-flow analysis']:.1f}x the image-flow analysis (which resolves "
          f"imports and aliases and follows the data).")
    print()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "fixorder-bench")
    args = parser.parse_args(argv)
    dense = trees.build_dense(args.work / f"dense{args.files}", args.files)

    from fixorder.run import engine
    from fixorder.inputs.options import Options

    sources = [(str(p), p.read_text(encoding="utf-8")) for p in sorted(dense.rglob("*.py"))]
    print_phases(sources)
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
