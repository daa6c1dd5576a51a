"""Load a script of benchmarks/ as a module, for the tests that run a fast slice of it."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def load_benchmark(name: str, module_name: str | None = None):
    """``benchmarks/<name>.py`` as a module, loaded once (registered in sys.modules, where
    dataclasses look their module up; benchmarks/ on sys.path for the scripts' own imports)."""
    module_name = module_name or name
    if module_name in sys.modules:
        return sys.modules[module_name]
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    spec = importlib.util.spec_from_file_location(module_name, BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module
