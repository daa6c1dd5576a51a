"""What the analysis produces for each file, recorded so that a change of substrate can be
compared byte for byte (issue 18: the analysis moves from libcst's tree to CPython's ``ast``).

For each file it records the findings of a check (code, positions, message, applicability and
the report edits, as the JSON report prints them), the backbone counts, the error and warning
lines, ``fixorder explain``'s report, and, when a finding carries a fix, the text ``--fix``
writes under every (strategy, unsafe) combination with the findings fixed and left.

    python benchmarks/substrate_oracle.py record [--corpus DIR] [--packages ...]  # store the oracle
    python benchmarks/substrate_oracle.py compare [--only corpus/]                # print mismatches

``record`` writes benchmarks/.substrate/oracle.json (gitignored: it holds fixed copies of real
files that are not ours); ``compare`` exits 1 when any file's observation differs.  The
fixtures' oracle is committed (tests/substrate_oracle_fixtures.json, written by
``record-fixtures``) and checked by tests/test_substrate_equal.py.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fixorder.inputs.files import SourceError, decode_source  # noqa: E402
from fixorder.inputs.options import Options  # noqa: E402
from fixorder.inputs.prefilter import may_have_findings, names_may_have_findings  # noqa: E402

FIXTURES_ORACLE = ROOT / "tests" / "substrate_oracle_fixtures.json"
STORE = ROOT / "benchmarks" / ".substrate" / "oracle.json"
DEFAULT_CORPUS = Path("/work/main/benchmarks/corpus/files")
DEFAULT_PACKAGES = ("tensorflow", "keras", "tf_keras")
# The fix runs: (strategy, unsafe fixes).
FIX_RUNS = (("insert", False), ("insert", True), ("fold", True))


def observe(display: str, text: str) -> dict:
    """Everything the substrate could change for one source text, as plain JSON data."""
    from fixorder.output.explain import explain_text
    from fixorder.run.unit import process_text

    checked = process_text(display, text, Options())
    record = {"check": _unit(checked)}
    if any(f.fix is not None for f in checked.findings):
        record["check_fold"] = _unit(process_text(display, text, Options(strategy="fold")))
        for strategy, unsafe in FIX_RUNS:
            fixed = process_text(display, text, Options(strategy=strategy, unsafe_fixes=unsafe), fix=True)
            record[f"fix_{strategy}_{'unsafe' if unsafe else 'safe'}"] = {
                **_unit(fixed), "fixed": [f.to_json() for f in fixed.fixed], "new_text": fixed.new_text}
    try:
        record["explain"] = explain_text(display, text, Options())
    except Exception as exc:  # noqa: BLE001  (recorded: the new path must fail the same way)
        record["explain"] = f"{type(exc).__name__}: {exc}"
    return json.loads(json.dumps(record, sort_keys=True, default=str))


def _unit(unit) -> dict:
    return {"findings": [f.to_json() for f in unit.findings], "error": unit.error,
            "warning": unit.warning, "backbones": list(unit.backbones)}


# ---------------------------------------------------------------- which files

def fixture_files() -> list[tuple[str, Path]]:
    """Every fixture the rule and fix tests read (testdata/**/*.py and *.ipynb)."""
    found = sorted(p for p in (ROOT / "testdata").rglob("*") if p.suffix in (".py", ".ipynb") and p.is_file())
    return [(p.relative_to(ROOT).as_posix(), p) for p in found]


def corpus_files(corpus: Path) -> list[tuple[str, Path]]:
    if not corpus.is_dir():
        return []
    return [(f"corpus/{p.name}", p) for p in sorted(corpus.iterdir()) if p.suffix in (".py", ".ipynb")]


def package_files(names: list[str]) -> list[tuple[str, Path]]:
    """The installed packages' files that the pre-filter lets through (only those reach the
    analysis), read in place."""
    out = []
    for name in names:
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            print(f"substrate_oracle: package {name!r} is not installed; skipped", file=sys.stderr)
            continue
        root = Path(list(spec.submodule_search_locations)[0])
        for path in sorted(root.rglob("*.py")):
            if "__pycache__" in path.parts:
                continue
            text = read(path)
            if text is not None and may_have_findings(text.encode("utf-8", "surrogatepass")) \
                    and names_may_have_findings(text):
                out.append((f"{name}/{path.relative_to(root).as_posix()}", path))
    return out


def property_sources(count: int = 60) -> list[tuple[str, str]]:
    """Generated programs of tests/test_properties.py, drawn derandomized (the same every run)."""
    sys.path.insert(0, str(ROOT))
    from hypothesis import HealthCheck, Phase, given, settings

    from tests import test_properties as props

    sources: list[str] = []

    @settings(max_examples=count, derandomize=True, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck), deadline=None)
    @given(props.programs())
    def draw(program):
        sources.append(props.render(program, props.Formatter()))

    draw()
    return [(f"property/{i:03d}.py", source) for i, source in enumerate(sources)]


# Identifiers a fixture's pipeline uses, respelt with characters that take two or more bytes in
# UTF-8: CPython's columns count bytes, libcst's and the report's count characters.
_RESPELT = {"base": "bäse", "model": "modèl", "images": "imágenes", "x": "ξ", "augment": "aügment",
            "inputs": "輸入", "train_ds": "train_dś"}


_PIPELINE = ("import keras\n\naugment = keras.Sequential([keras.layers.RandomFlip('horizontal')])\n"
             "base = keras.applications.MobileNetV2(include_top=False)\n"
             "images = keras.utils.image_dataset_from_directory('data')\n")


def edge_sources(fixtures: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Variants of the fixtures where positions are easy to get wrong, and bad input."""
    import re

    with_fixes = [(d, t) for d, t in fixtures if d.endswith(".py") and "applications" in t]
    out = []
    pattern = re.compile(r"\b(" + "|".join(_RESPELT) + r")\b")
    for display, text in with_fixes[::20]:
        out.append((f"edge/unicode/{display}", pattern.sub(lambda m: _RESPELT[m.group(1)], text)))
        out.append((f"edge/unicode-comment/{display}",
                    re.sub(r"(?m)^(\S.*\S)$", r"\1  # ünïcödé 🙂", text, count=40)))
    for display, text in with_fixes[5::40]:
        out.append((f"edge/crlf/{display}", text.replace("\n", "\r\n")))
        out.append((f"edge/tabs/{display}", text.replace("    ", "\t")))
    out += [
        ("edge/syntax-error.py", "import keras\nbase = keras.applications.MobileNetV2(\n"),
        ("edge/python2.py", "import keras\nprint 'keras.applications'\n"),
        ("edge/deep.py", "import keras\nx = keras.applications.MobileNetV2()\ny = " + "(" * 120 + "1" + ")" * 120 + "\n"),
        ("edge/deep-calls.py", "import keras\nx = keras.applications.MobileNetV2()\ny = " + "f(" * 190 + "1" + ")" * 190 + "\n"),
        ("edge/decorated.py", "import keras\n\n@keras.saving.register_keras_serializable()\n"
         "@staticmethod\ndef build(images):\n    base = keras.applications.ResNet50()\n    return base(images)\n\n"
         "build(keras.utils.image_dataset_from_directory('d'))\n"),
        ("edge/fstring.py", _PIPELINE + "print(f'{base(augment(images))!r:>10} ü {keras.applications.MobileNetV2}')\n"
         "features = base(augment(images))\n"),
        ("edge/noqa.py", _PIPELINE + "features = base(augment(images))  # noqa: FO101\n"
         "more = base(augment(images))  # fixorder: ignore[FO102]\nlast = base(augment(images))  # noqa\n"),
    ]
    return out


def read(path: Path) -> str | None:
    try:
        return decode_source(path, path.read_bytes()).text
    except (OSError, SourceError):
        return None


def observe_all(named: list[tuple[str, str]]) -> dict[str, dict]:
    return {display: observe(display, text) for display, text in named}


def texts(files: list[tuple[str, Path]]) -> list[tuple[str, str]]:
    out = []
    for display, path in files:
        text = read(path)
        if text is not None:
            out.append((display, text))
    return out


# ---------------------------------------------------------------- comparison

def differences(expected: dict, actual: dict, limit: int = 3) -> list[str]:
    """One line per differing leaf (path into the record: expected != actual), at most ``limit``."""
    out: list[str] = []

    def walk(a, b, where: str) -> None:
        if len(out) >= limit:
            return
        if isinstance(a, dict) and isinstance(b, dict):
            for key in sorted(set(a) | set(b)):
                walk(a.get(key, "<missing>"), b.get(key, "<missing>"), f"{where}.{key}")
        elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
            for i, (x, y) in enumerate(zip(a, b)):
                walk(x, y, f"{where}[{i}]")
        elif a != b:
            out.append(f"{where}: {_short(a)} != {_short(b)}")

    walk(expected, actual, "")
    return out


def _short(value) -> str:
    text = json.dumps(value, sort_keys=True)
    return text if len(text) <= 160 else text[:157] + "..."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("record", "compare", "record-fixtures"))
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--packages", nargs="*", default=list(DEFAULT_PACKAGES))
    parser.add_argument("--properties", type=int, default=60, help="generated programs (0: none)")
    parser.add_argument("--store", type=Path, default=STORE)
    parser.add_argument("--only", default="", help="compare only files whose name starts with this "
                        "(corpus/, keras/, tf_keras/, property/, edge/, testdata/)")
    args = parser.parse_args(argv)

    if args.command == "record-fixtures":
        fixtures = texts(fixture_files())
        oracle = observe_all(fixtures + edge_sources(fixtures))
        FIXTURES_ORACLE.write_text(json.dumps(oracle, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"recorded {len(oracle)} fixtures into {FIXTURES_ORACLE.relative_to(ROOT)}")
        return 0

    fixtures = texts(fixture_files())
    named = fixtures + edge_sources(fixtures) + texts(corpus_files(args.corpus)) + texts(package_files(args.packages))
    if args.properties:
        named += property_sources(args.properties)
    start = time.perf_counter()
    if args.command == "record":
        oracle = observe_all(named)
        args.store.parent.mkdir(parents=True, exist_ok=True)
        args.store.write_text(json.dumps(oracle, sort_keys=True) + "\n", encoding="utf-8")
        print(f"recorded {len(oracle)} files into {args.store} in {time.perf_counter() - start:.0f} s")
        return 0
    oracle = json.loads(args.store.read_text(encoding="utf-8"))
    mismatched = missing = 0
    named = [(display, text) for display, text in named if display.startswith(args.only)]
    for display, text in named:
        if display not in oracle:
            missing += 1
            print(f"{display}: not in the oracle")
            continue
        diffs = differences(oracle[display], observe(display, text))
        if diffs:
            mismatched += 1
            print(f"{display}:")
            for line in diffs:
                print(f"    {line}")
    print(f"{len(named)} files compared in {time.perf_counter() - start:.0f} s: "
          f"{mismatched} differ, {missing} not in the oracle")
    return 1 if mismatched or missing else 0


if __name__ == "__main__":
    sys.exit(main())
