"""Mutation recall for benchmarks/realcode.py --mutate: break pipelines fixorder judges correct.

A pipeline is judged correct when known data (raw pixels) reaches a pretrained backbone in a file
where fixorder reports nothing.  For each one, libcst rewrites the pipeline's own nodes (the
preprocessing stage's ``.node``, or the backbone call) into one mutant per applicable kind:

| kind | rewrite | expected |
|---|---|---|
| drop | the ``preprocess_input`` call becomes its argument / the generator loses ``preprocessing_function=`` | FO101 |
| swap | the call (or generator argument) uses another mode's ``preprocess_input`` | FO103 |
| move | a ``RandomBrightness`` (default value range 0..255) runs on the preprocessed tensor, so the
  preprocessing comes before a range-sensitive augmentation (existing augmentations are not reordered) | FO102 |
| rescale | ``/ 255.0`` in front of a backbone that preprocesses internally (or ``rescale=1/255``) | FO105 |

Each mutant is written to a temporary directory as a ``.py`` file (a notebook's joined code
cells) and checked like any file; it counts as caught when the expected code is reported.
No labels are needed: this measures recall on the shapes the corpus really uses.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import libcst as cst

from fixorder import catalog as catalog_module
from fixorder.analysis.interpreter import analyze
from fixorder.analysis.values import PREPROCESS, RAW
from fixorder.run.engine import ParseError, parse

import realcode

EXPECTED = {"drop": "FO101", "swap": "FO103", "move": "FO102", "rescale": "FO105"}
# A module whose preprocess_input has another mode, by the backbone's mode.
OTHER_FAMILY = {"tf": "resnet50", "caffe": "mobilenet_v2", "torch": "resnet50"}
WRONG_NAME = "fixorder_mutant_preprocess"
BRIGHTNESS_NAME = "fixorder_mutant_brightness"
GENERATOR_ARG = "preprocessing_function"


@dataclass
class Mutant:
    source: str  # the corpus file it comes from
    kind: str
    backbone: str
    line: int  # of the backbone call in the original program
    text: str

    @property
    def expected(self) -> str:
        return EXPECTED[self.kind]


@dataclass
class MutationReport:
    files: int = 0
    pipelines: int = 0  # judged correct and mutated at least once
    made: dict[str, int] = field(default_factory=dict)
    caught: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)  # why a kind could not be applied
    misses: list[dict] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.made.values())

    @property
    def total_caught(self) -> int:
        return sum(self.caught.values())


# ---------------------------------------------------------------- rewriting one node


class _Replace(cst.CSTTransformer):
    """Replace nodes (matched by identity in the analysed tree) through a callback."""

    def __init__(self, replacements: dict[int, callable]):
        super().__init__()
        self.replacements = replacements
        self.done = 0

    def on_leave(self, original_node, updated_node):
        rewrite = self.replacements.get(id(original_node))
        if rewrite is None:
            return updated_node
        self.done += 1
        return rewrite(updated_node)


def _callee_name(call: cst.Call) -> str:
    func = call.func
    while isinstance(func, cst.Attribute):
        return func.attr.value
    return func.value if isinstance(func, cst.Name) else ""


def _generator_arg(call: cst.Call) -> cst.Arg | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == GENERATOR_ARG:
            return arg
    return None


def _is_function_call(call: cst.Call) -> bool:
    """``preprocess_input(x)`` (or an alias of it) rather than a layer or generator constructor."""
    return bool(call.args) and call.args[0].keyword is None and _generator_arg(call) is None


def _with_imports(module: cst.Module, lines: list[str]) -> cst.Module:
    """Module with import lines after its docstring and ``from __future__`` imports."""
    body = list(module.body)
    k = 0
    while k < len(body) and isinstance(body[k], cst.SimpleStatementLine):
        first = body[k].body[0]
        docstring = k == 0 and isinstance(first, cst.Expr) and isinstance(first.value, (cst.SimpleString,
                                                                                         cst.ConcatenatedString))
        future = isinstance(first, cst.ImportFrom) and isinstance(first.module, cst.Name) and \
            first.module.value == "__future__"
        if not (docstring or future):
            break
        k += 1
    added = [cst.parse_statement(line + "\n") for line in lines]
    return module.with_changes(body=body[:k] + added + body[k:])


def keras_root(qualified: str) -> str | None:
    """``tensorflow.keras`` from ``tensorflow.keras.applications.MobileNetV2``; None off keras.applications."""
    marker = ".applications"
    if marker not in qualified:
        return None
    return qualified[:qualified.index(marker)]


def _rewrite(module: cst.Module, node: cst.CSTNode, rewrite, imports: list[str]) -> str | None:
    transformer = _Replace({id(node): rewrite})
    changed = module.visit(transformer)
    if transformer.done != 1:
        return None
    if imports:
        changed = _with_imports(changed, imports)
    code = changed.code
    try:
        parse(code)
    except ParseError:
        return None
    return code


def _drop(node: cst.Call) -> cst.BaseExpression:
    if _is_function_call(node):
        return node.args[0].value
    arg = _generator_arg(node)
    kept = [a for a in node.args if a is not arg]
    if kept:
        kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return node.with_changes(args=kept)


def _swap(node: cst.Call) -> cst.BaseExpression:
    if _is_function_call(node):
        return node.with_changes(func=cst.Name(WRONG_NAME))
    arg = _generator_arg(node)
    return node.with_changes(args=[a.with_changes(value=cst.Name(WRONG_NAME)) if a is arg else a
                                   for a in node.args])


def _brighten(node: cst.Call) -> cst.BaseExpression:
    layer = cst.Call(cst.Name(BRIGHTNESS_NAME), [cst.Arg(cst.Float("0.2"))])
    return cst.Call(layer, [cst.Arg(node)])


def _divide(node: cst.BaseExpression) -> cst.BaseExpression:
    return cst.BinaryOperation(cst.ensure_type(node, cst.BaseExpression).with_changes(
        lpar=[cst.LeftParen()], rpar=[cst.RightParen()]), cst.Divide(), cst.Float("255.0"))


def _rescale_generator(node: cst.Call) -> cst.BaseExpression:
    args = list(node.args)
    if args:
        args[-1] = args[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    return node.with_changes(args=args + [cst.Arg(cst.parse_expression("1. / 255"), keyword=cst.Name("rescale"),
                                                   equal=cst.AssignEqual(cst.SimpleWhitespace(""),
                                                                         cst.SimpleWhitespace("")))])


def _backbone_input_call(pipeline) -> cst.Call | None:
    node = pipeline.node
    if isinstance(node, cst.Call) and node.args and node.args[0].keyword is None:
        return node
    return None


# ---------------------------------------------------------------- mutants of one file


def correct_pipelines(analysis, skipped: Counter | None = None) -> list:
    """Distinct pipelines where known data (raw pixels) reaches a pretrained backbone.

    Only called for files without findings, so each of these is judged correct.  A pipeline from
    unknown data, or from a model input never fed in the file, is silent without being judged.
    """
    seen = set()
    out = []
    for pipeline in analysis.pipelines:
        use = pipeline.backbone
        if use.weights_none and not use.weights_loaded_later:
            continue
        preprocess = [s for s in pipeline.stages if s.kind == PREPROCESS]
        key = (id(use.node), id(preprocess[-1].node) if preprocess else id(pipeline.node))
        if key in seen:
            continue
        seen.add(key)
        if pipeline.origin.kind != RAW:
            if skipped is not None:
                skipped["not linked to data (silent, not judged correct)"] += 1
            continue
        out.append(pipeline)
    return out


def mutants_of(source_id: str, program: str, catalog, skipped: Counter) -> tuple[int, list[Mutant]]:
    """(pipelines mutated, mutants) for a program fixorder reported nothing on."""
    try:
        module = parse(program)
    except ParseError:
        return 0, []
    analysis = analyze(module, catalog)
    from fixorder.analysis.source_map import SourceMap

    positions = SourceMap(module, program)
    mutants: list[Mutant] = []
    mutated = 0
    for pipeline in correct_pipelines(analysis, skipped):
        use = pipeline.backbone
        backbone = use.catalog
        line = positions[use.node].start.line if use.node in positions else 0
        root = keras_root(use.qualified)
        builtin = backbone.builtin_preprocessing and use.include_preprocessing is not False
        preprocess = [s for s in pipeline.stages if s.kind == PREPROCESS]
        made = []
        if root is None:
            skipped["backbone not from keras.applications"] += 1
            continue
        stage_node = preprocess[-1].node if preprocess else None
        call = stage_node if isinstance(stage_node, cst.Call) else None
        if builtin:
            if call is not None and _is_function_call(call):
                made.append(("rescale", _rewrite(module, call, _divide, [])))
            elif call is not None and _generator_arg(call) is not None:
                made.append(("rescale", _rewrite(module, call, _rescale_generator, [])))
            elif (target := _backbone_input_call(pipeline)) is not None:
                made.append(("rescale", _rewrite(module, target.args[0].value, _divide, [])))
            else:
                skipped["rescale: no call to put /255 in"] += 1
        elif backbone.mode in OTHER_FAMILY:
            if call is None:
                # fixorder is silent here because it cannot tell what arrives, not because it
                # judged the preprocessing right: nothing to break.
                skipped["no preprocessing stage (silent, not judged correct)"] += 1
                continue
            if not (_is_function_call(call) or _generator_arg(call) is not None):
                skipped["preprocessing is a layer or lambda, not a call or generator argument"] += 1
            else:
                wrong = f"from {root}.applications.{OTHER_FAMILY[backbone.mode]} import preprocess_input as {WRONG_NAME}"
                made.append(("drop", _rewrite(module, call, _drop, [])))
                made.append(("swap", _rewrite(module, call, _swap, [wrong])))
                if _is_function_call(call):
                    bright = f"from {root}.layers import RandomBrightness as {BRIGHTNESS_NAME}"
                    made.append(("move", _rewrite(module, call, _brighten, [bright])))
                else:
                    skipped["move: generator applies preprocessing_function after its augmentation"] += 1
        for kind, text in made:
            if text is None:
                skipped[f"{kind}: rewrite did not apply"] += 1
            else:
                mutants.append(Mutant(source_id, kind, backbone.name, line, text))
        mutated += bool(made)
    return mutated, mutants


# ---------------------------------------------------------------- running


def run(root: Path, reports: list, keep: Path | None = None) -> MutationReport:
    """Mutate and check every correct pipeline under root; ``keep``: also copy the mutants there."""
    catalog = catalog_module.load()
    report = MutationReport()
    made, caught, skipped = Counter(), Counter(), Counter()
    paths = {(p.name if root.is_file() else str(p.relative_to(root))): p for p in realcode.discover(root)}
    with tempfile.TemporaryDirectory(prefix="fixorder-mutants-") as tmp:
        out_dir = Path(tmp)
        for file_report in reports:
            if file_report.findings or file_report.error:
                continue
            path = paths.get(file_report.id)
            if path is None:
                continue
            program = realcode.analysed_program(path, path.read_text(encoding="utf-8"))
            if program is None:
                continue
            pipelines, mutants = mutants_of(file_report.id, program, catalog, skipped)
            if not mutants:
                continue
            report.files += 1
            report.pipelines += pipelines
            for n, mutant in enumerate(mutants):
                target = out_dir / f"m{len(list(out_dir.iterdir())):04d}_{mutant.kind}.py"
                target.write_text(mutant.text, encoding="utf-8")
                checked = realcode.check_file(target, out_dir, catalog)
                if keep is not None:
                    keep.mkdir(parents=True, exist_ok=True)
                    (keep / f"{Path(mutant.source).stem}.{n}.{mutant.kind}.py").write_text(mutant.text, encoding="utf-8")
                made[mutant.kind] += 1
                if mutant.expected in checked.codes:
                    caught[mutant.kind] += 1
                else:
                    report.misses.append({"source": mutant.source, "kind": mutant.kind, "backbone": mutant.backbone,
                                          "backbone_line": mutant.line, "expected": mutant.expected,
                                          "found": sorted(checked.codes), "error": checked.error})
    report.made, report.caught, report.skipped = dict(made), dict(caught), dict(skipped)
    return report


def print_report(report: MutationReport, out) -> None:
    print("\nMutation (pipelines fixorder judges correct, broken on purpose)", file=out)
    print(f"  files with a correct pipeline: {report.files}; pipelines mutated: {report.pipelines}", file=out)
    for kind in EXPECTED:
        n = report.made.get(kind, 0)
        print(f"  {kind:<8} expects {EXPECTED[kind]}: {realcode.ratio(report.caught.get(kind, 0), n)}", file=out)
    print(f"  mutation recall: {realcode.ratio(report.total_caught, report.total)}", file=out)
    for why, n in sorted(report.skipped.items()):
        print(f"  not mutated ({n}): {why}", file=out)
    if report.misses:
        print("\n  missed mutants:", file=out)
        for m in report.misses:
            print(f"    {m['source']} {m['kind']} on {m['backbone']} (line {m['backbone_line']}): expected "
                  f"{m['expected']}, got {realcode.outcome(set(m['found']))}", file=out)
