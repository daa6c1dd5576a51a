"""Property-based test of FO107: generated inference snippets, judged by the catalogue.

FO107 (``preprocess_input`` overwriting a float NumPy array that is read again) cannot arise
in the model pipelines of ``tests/test_properties.py``, which hold tensors, so it has its own
generator: an image loaded, bound to an array in one of the ways the rule documents (float:
``img_to_array``, ``.astype("float32")``, ``np.array(..., dtype="float32")``, ``np.expand_dims``
of one of those; not float: ``dtype="uint8"``, ``np.asarray`` of an image), passed to some
module's ``preprocess_input`` (every spelling, or a user function of that name), with or
without rebinding, read again or not, at module level or in a function.

The oracle: the tf, torch and caffe modes work in place on float arrays (domain/backbones.md);
the mode of each module comes from ``fixorder/catalog/backbones.json`` (via
``tests/property_oracle.py``).  The rule only reports what it can prove inside one block, so
aliases of the array (``x = raw``) are not generated: that is a documented limit, not a case
to predict.
"""

from __future__ import annotations

import collections
from dataclasses import dataclass

from hypothesis import Phase, given, note, settings
from hypothesis import strategies as st

from fixorder.run.engine import Options, check_source
from tests import property_oracle
from tests.test_properties import NAMESPACES, PROFILE, preprocess_input_spelling

# How the array is bound, and whether that is proven to be a float NumPy array.
BINDINGS = {
    "img_to_array": ("{ns}.utils.img_to_array(image)", True),
    "img_to_array_batch": ("{ns}.utils.img_to_array(image)[None]", True),
    "astype_string": ('np.asarray(image).astype("float32")', True),
    "astype_numpy": ("np.asarray(image).astype(np.float32)", True),
    "array_float": ('np.array(image, dtype="float32")', True),
    "expand_dims": ('np.expand_dims(np.array(image, dtype="float32"), 0)', True),
    "array_uint8": ('np.array(image, dtype="uint8")', False),  # copied to float32 first: unchanged
    "asarray": ("np.asarray(image)", False),  # an image's uint8 pixels
}
CALLS = {
    "result": "batch = {pi}(x)",  # x itself is overwritten
    "rebind": "x = {pi}(x)",  # the author keeps the result under the same name
    "copy": "batch = {pi}(x.copy())",  # the copy is overwritten, not x
}
LATER = {
    "read": ["print(x.mean())"],
    "nothing": [],
    "rebound_then_read": ["x = np.zeros(3)", "print(x.mean())"],
}


@dataclass(frozen=True)
class Snippet:
    namespace: str  # a key of NAMESPACES
    module: str  # whose preprocess_input
    pi_style: str  # attribute | from_import | from_import_alias | module_alias | user_function
    binding: str
    call: str
    later: str
    in_function: bool


def _modules(framework: str) -> list[str]:
    return sorted(m for m in property_oracle.MODULE_MODES
                  if m in ("resnet50", "imagenet_utils")
                  or any(framework in row["frameworks"] and row["module"] == m
                         for row in property_oracle.BACKBONE_DATA["backbones"]))


@st.composite
def snippets(draw) -> Snippet:
    namespace = draw(st.sampled_from(sorted(NAMESPACES)))
    framework = NAMESPACES[namespace][0]
    return Snippet(namespace, draw(st.sampled_from(_modules(framework))),
                   draw(st.sampled_from(["attribute", "from_import", "from_import_alias", "module_alias",
                                         "user_function"])),
                   # The finding needs a call that keeps x and a later read: drawn twice as often.
                   draw(st.sampled_from(sorted(BINDINGS))), draw(st.sampled_from(["result", *sorted(CALLS)])),
                   draw(st.sampled_from(["read", *sorted(LATER)])), draw(st.booleans()))


def render(s: Snippet) -> str:
    _, import_line, ns, package = NAMESPACES[s.namespace]
    lines = [import_line, "import numpy as np"]
    if s.pi_style == "user_function":
        lines += ["", "", "def preprocess_input(x):", "    return x / 127.5 - 1.0"]
        pi = "preprocess_input"
    else:
        line, pi = preprocess_input_spelling(s.pi_style, ns, package, s.module)
        if line is not None:
            lines.append(line)
    body = [f'image = {ns}.utils.load_img("cat.jpg", target_size=(224, 224))',
            f"x = {BINDINGS[s.binding][0].format(ns=ns)}",
            CALLS[s.call].format(pi=pi),
            *LATER[s.later]]
    if s.in_function:
        body = ["", "", "def predict_one():", *("    " + line for line in body), "    return batch" if
                s.call != "rebind" else "    return x"]
    else:
        body = [""] + body
    return "\n".join(lines + body) + "\n"


def expected_findings(s: Snippet) -> collections.Counter:
    mode = property_oracle.MODULE_MODES[s.module]
    overwrites = s.pi_style != "user_function" and mode in ("tf", "torch", "caffe") and BINDINGS[s.binding][1] \
        and s.call == "result"
    read_again = s.later == "read"
    return collections.Counter({"FO107": 1} if overwrites and read_again else {})


@settings(settings.get_profile(PROFILE), max_examples=100)
@given(snippets())
def test_in_place_findings_match_the_catalogue_oracle(snippet):
    source = render(snippet)
    note(source)
    result = check_source("generated.py", source, Options())
    assert result.error is None, result.error
    assert collections.Counter(f.code for f in result.findings) == expected_findings(snippet)


def test_the_snippet_generator_produces_findings_and_non_findings():
    # Within the budget (derandomized, so stable) both outcomes occur, or the property is vacuous.
    seen: collections.Counter = collections.Counter()

    @settings(settings.get_profile("fixorder-ci"), max_examples=100, phases=[Phase.generate])
    @given(snippets())
    def draw(snippet):
        seen[bool(expected_findings(snippet))] += 1

    draw()
    assert seen[True] >= 5 and seen[False] >= 5, seen
