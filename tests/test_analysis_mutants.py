"""Analysis behaviour that benchmarks/mutate.py found no test pinning: each test names the
mutant (``path:line: change``) it kills, and was checked to fail with it and pass without."""

from __future__ import annotations

import ast

import libcst as cst

from fixorder.analysis.source_map import SourceMap
from fixorder.analysis.spans import AstOffsets, CstLocator
from fixorder.run.engine import Options, check_source

# A MobileNetV2 pipeline without preprocess_input in a function (FO101 on its last line), with
# an early exit before it.
GUARDED = '''import tensorflow as tf


def build(images):
{guard}    augment = tf.keras.Sequential([tf.keras.layers.RandomFlip("horizontal")])
    base = tf.keras.applications.MobileNetV2(include_top=False)
    return base(augment(images, training=True))
'''
FO101_MESSAGE = ("MobileNetV2 expects [-1, 1] (mobilenet_v2.preprocess_input, tf mode) but receives "
                 "images augmented by RandomFlip, with no preprocessing")


def _findings(source: str) -> list[tuple[int, int, str, str]]:
    return [(f.line, f.column, f.code, f.message) for f in check_source("train.py", source, Options()).findings]


def test_code_after_an_if_whose_only_branch_stops_is_still_analysed():
    """Kills analysis/interpreter.py:340 (``frame.stopped = None`` removed in exec_branches: the
    stop of the raising branch leaks into the empty else branch, and the rest of the function is
    taken for unreachable)."""
    assert _findings(GUARDED.format(guard="")) == [(7, 12, "FO101", FO101_MESSAGE)]
    for guard in ('    if images is None:\n        raise ValueError("no images")\n',
                  "    if images is None:\n        return None\n    elif len(images) == 0:\n        pass\n"):
        lines = guard.count("\n")
        assert _findings(GUARDED.format(guard=guard)) == [(7 + lines, 12, "FO101", FO101_MESSAGE)], guard


def test_a_parenthesised_tuple_is_located_by_its_text_with_the_parentheses():
    """ast's Tuple span includes the parentheses, libcst's Tuple node does not own them: the
    locator keeps such tuples by their text with parentheses (kills analysis/spans.py:148, the
    table of them removed; tests/test_spans.py covers it too but is too slow to map)."""
    text = "size = (224, 224)\nshape = 224, 224\n"
    tree = ast.parse(text)
    module = cst.parse_module(text)
    source_map = SourceMap(module, text)
    locator, offsets = CstLocator(source_map), AstOffsets(text)
    located = [locator.node_for(n, offsets) for n in ast.walk(tree) if isinstance(n, ast.Tuple)]
    assert [module.code_for_node(t) for t in located] == ["(224, 224)", "224, 224"]
    assert all(isinstance(t, cst.Tuple) for t in located)
