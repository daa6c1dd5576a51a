"""Property-based tests: whole generated pipeline programs, judged by the catalogue itself.

Hypothesis generates a program: a backbone from the catalogue, an import spelling (keras,
tf.keras, tensorflow.keras, tf_keras, ``from .. import X as Y``, module aliases), an
augmentation stack drawn from the catalogue's layers, preprocessing (absent, the backbone's
own, the wrong family's, doubled, the exact built-in equivalent, before or after the
augmentation), one of four shapes (Functional chain, Sequential list, tf.data map,
subclassed model), trained on raw images in the file or not.  The expected findings are computed from the generated description and the
catalogue alone (ORACLES), never from the analyzer; and random formatting (comments, line
breaks inside calls, redundant parentheses) must never change what is found.

The example budget is fixed by a settings profile; with CI set, examples are derandomized so a
run is reproducible.
"""

from __future__ import annotations

import collections
import os
import random
from dataclasses import dataclass, field

from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from fixorder import catalog as catalog_module
from fixorder.engine import Options, check_source, fix_source
from fixorder.rules import RULE_MODULES
from tests.fix_invariants import broken_invariants

settings.register_profile("fixorder-ci", max_examples=100, deadline=None, derandomize=True, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fixorder-dev", max_examples=100, deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
PROFILE = "fixorder-ci" if os.environ.get("CI") else "fixorder-dev"

CATALOG = catalog_module.load()
SHAPES = ("chain", "sequential", "dataset_map", "subclassed")
PREPROCESSING = ("absent", "own", "wrong_family", "doubled", "equivalent")
# Constructor arguments the layers require; the analysis only cares about the class.
LAYER_ARGS = {
    "RandomRotation": "0.1", "RandomZoom": "0.1", "RandomTranslation": "0.1, 0.1", "RandomCrop": "200, 200",
    "RandomContrast": "0.2", "RandomBrightness": "0.2", "RandomHeight": "0.1", "RandomWidth": "0.1",
    "RandomHue": "0.1", "RandomSaturation": "0.2", "RandomSharpness": "0.2", "RandomColorDegeneration": "0.2",
    "RandomPosterization": "4", "RandomShear": "0.1", "RandomFlip": '"horizontal"',
}


# ---------------------------------------------------------------- the generated description

@dataclass(frozen=True)
class Spelling:
    """How the program names Keras: the namespace, layers, backbones and preprocess_input."""

    framework: str  # keras3 or tf_keras (which catalogue layers and backbones exist)
    namespace_import: str  # e.g. "import tensorflow as tf"
    namespace: str  # e.g. "tf.keras"
    package: str  # dotted package for from-imports: "tensorflow.keras", "keras", "tf_keras"
    layer_style: str  # attribute | layers_module | from_import
    backbone_style: str  # attribute | from_import | from_import_alias | module_alias
    pi_style: str  # attribute | from_import | from_import_alias | module_alias


@dataclass(frozen=True)
class Program:
    shape: str
    spelling: Spelling
    backbone: str
    weights: str  # "imagenet", "default" (argument omitted) or "None"
    augmentations: tuple[str, ...]
    preprocessing: str
    preprocess_module: str | None  # the module whose preprocess_input is used
    preprocess_first: bool  # preprocessing placed before the augmentation
    fed_raw: bool  # the model is trained on raw images (image_dataset_from_directory) in the file


NAMESPACES = {
    # framework, import line, namespace expression, package for from-imports
    "tf": ("keras3", "import tensorflow as tf", "tf.keras", "tensorflow.keras"),
    "tf_alias": ("keras3", "import tensorflow as T", "T.keras", "tensorflow.keras"),
    "from_tensorflow": ("keras3", "from tensorflow import keras", "keras", "tensorflow.keras"),
    "from_tensorflow_alias": ("keras3", "from tensorflow import keras as tk", "tk", "tensorflow.keras"),
    "keras": ("keras3", "import keras", "keras", "keras"),
    "keras_alias": ("keras3", "import keras as kr", "kr", "keras"),
    "tf_keras": ("tf_keras", "import tf_keras", "tf_keras", "tf_keras"),
    "tf_keras_alias": ("tf_keras", "import tf_keras as tfk", "tfk", "tf_keras"),
}


@st.composite
def spellings(draw) -> Spelling:
    framework, line, namespace, package = NAMESPACES[draw(st.sampled_from(sorted(NAMESPACES)))]
    return Spelling(framework, line, namespace, package,
                    draw(st.sampled_from(["attribute", "layers_module", "from_import"])),
                    draw(st.sampled_from(["attribute", "from_import", "from_import_alias", "module_alias"])),
                    draw(st.sampled_from(["attribute", "from_import", "from_import_alias", "module_alias"])))


@st.composite
def programs(draw) -> Program:
    spelling = draw(spellings())
    # Mode first, so the few externally preprocessed families are drawn as often as the many
    # EfficientNet/RegNet/ConvNeXt variants that normalize inside the model.
    available = [b for b in CATALOG.backbones.values() if spelling.framework in b.frameworks]
    mode = draw(st.sampled_from(sorted({b.mode for b in available})))
    backbone = CATALOG.backbones[draw(st.sampled_from(sorted(b.name for b in available if b.mode == mode)))]
    layers = sorted({layer.name for key, layer in CATALOG.layers.items()
                     if key.startswith(f"{spelling.framework}:") and layer.augmentation})
    augmentations = tuple(draw(st.lists(st.sampled_from(layers), max_size=3)))
    preprocessing = draw(st.sampled_from(PREPROCESSING[:1] * 3 + PREPROCESSING[1:]))  # absent: the bug
    module = backbone.module
    if preprocessing == "equivalent" and CATALOG.modes[backbone.mode].layers is None:
        preprocessing = "own"  # only tf and torch modes have exact built-in layers
    if preprocessing == "wrong_family":
        others = sorted(m for m, mode in CATALOG.module_modes.items()
                        if mode != backbone.mode and mode != "identity" and _module_exists(m, spelling.framework))
        module = draw(st.sampled_from(others))
    shape = draw(st.sampled_from(SHAPES))
    return Program(
        shape=shape,
        spelling=spelling,
        backbone=backbone.name,
        weights=draw(st.sampled_from(["imagenet", "imagenet", "default", "default", "None"])),
        augmentations=augmentations,
        preprocessing=preprocessing,
        preprocess_module=None if preprocessing == "absent" else module,
        preprocess_first=draw(st.booleans()),
        fed_raw=shape == "dataset_map" or draw(st.booleans()),
    )


def _module_exists(module: str, framework: str) -> bool:
    return any(b.module == module and framework in b.frameworks for b in CATALOG.backbones.values())


# ---------------------------------------------------------------- the oracle: catalogue only

def expect_fo101(program: Program) -> int:
    """FO101: a pretrained backbone whose module has a real preprocess_input gets none."""
    backbone = CATALOG.backbones[program.backbone]
    if program.weights == "None":
        return 0  # no pretrained weights: no input contract
    if backbone.builtin_preprocessing or backbone.mode not in ("tf", "torch", "caffe"):
        return 0
    if program.preprocessing != "absent":
        return 0
    # The image must be known to be raw: followed from a raw source, or augmented (augmentation
    # defaults assume raw pixels).  A model input never fed in the file may get preprocessed
    # data elsewhere, so it is not reported.
    return 1 if program.fed_raw or program.augmentations else 0


# One function per rule code; a code is only asserted when the rule exists on this branch, so
# the FO102..FO106 oracles can be added here as those rules land.
ORACLES = {"FO101": expect_fo101}


def expected_findings(program: Program) -> collections.Counter:
    return collections.Counter({code: n for code, oracle in ORACLES.items()
                                if code in RULE_MODULES and (n := oracle(program))})


def actual_findings(source: str) -> collections.Counter:
    result = check_source("generated.py", source, Options())
    assert result.error is None, result.error
    return collections.Counter(f.code for f in result.findings if f.code in ORACLES and f.code in RULE_MODULES)


# ---------------------------------------------------------------- rendering to source

@dataclass
class Formatter:
    """Plain rendering, or random comments, line breaks inside calls and redundant parentheses."""

    rng: random.Random | None = None
    imports: list[str] = field(default_factory=list)

    def _chance(self, p: float = 0.5) -> bool:
        return self.rng is not None and self.rng.random() < p

    def call(self, func: str, *args: str) -> str:
        args = tuple(self.paren(a) for a in args)
        if self._chance(0.4) and args:
            inner = "".join(f"\n        {a},{'  # argument' if self._chance(0.3) else ''}" for a in args)
            return f"{func}({inner}\n    )"
        return f"{func}({', '.join(args)})"

    def paren(self, expr: str) -> str:
        if self._chance(0.2) and "=" not in expr.split("(")[0] and not expr.startswith("*"):
            return f"({expr})"
        return expr

    def statement(self, line: str) -> list[str]:
        out = []
        if self._chance(0.3):
            out.append("# a comment between statements")
        out.append(line + ("  # trailing comment" if self._chance(0.2) and "\n" not in line else ""))
        if self._chance(0.2):
            out.append("")
        return out

    def need(self, line: str) -> None:
        if line not in self.imports:
            self.imports.append(line)


def names(program: Program, fmt: Formatter):
    """Expressions for layers, the backbone constructor and preprocess_input in this spelling."""
    sp = program.spelling
    fmt.need(sp.namespace_import)
    backbone = CATALOG.backbones[program.backbone]

    def layer(name: str) -> str:
        if sp.layer_style == "layers_module":
            fmt.need(f"from {sp.package} import layers")
            return f"layers.{name}"
        if sp.layer_style == "from_import":
            fmt.need(f"from {sp.package}.layers import {name} as {name}Layer")
            return f"{name}Layer"
        return f"{sp.namespace}.layers.{name}"

    style = sp.backbone_style
    if style == "module_alias" and not backbone.module_exports_constructor:
        style = "from_import"
    if style == "from_import":
        fmt.need(f"from {sp.package}.applications import {backbone.name}")
        constructor = backbone.name
    elif style == "from_import_alias":
        fmt.need(f"from {sp.package}.applications import {backbone.name} as Backbone")
        constructor = "Backbone"
    elif style == "module_alias":
        fmt.need(f"from {sp.package}.applications import {backbone.module} as backbone_module")
        constructor = f"backbone_module.{backbone.name}"
    else:
        constructor = f"{sp.namespace}.applications.{backbone.name}"

    pi = None
    if program.preprocess_module and program.preprocessing != "equivalent":
        module = program.preprocess_module
        if sp.pi_style == "from_import":
            fmt.need(f"from {sp.package}.applications.{module} import preprocess_input")
            pi = "preprocess_input"
        elif sp.pi_style == "from_import_alias":
            fmt.need(f"from {sp.package}.applications.{module} import preprocess_input as prep")
            pi = "prep"
        elif sp.pi_style == "module_alias":
            fmt.need(f"from {sp.package}.applications import {module} as pi_module")
            pi = "pi_module.preprocess_input"
        else:
            pi = f"{sp.namespace}.applications.{module}.preprocess_input"
    return layer, constructor, pi


def backbone_call(program: Program, fmt: Formatter, constructor: str) -> str:
    args = ["include_top=False"]
    if program.weights == "imagenet":
        args.append('weights="imagenet"')
    elif program.weights == "None":
        args.append("weights=None")
    return fmt.call(constructor, *args)


def preprocess_steps(program: Program, layer, pi: str | None) -> list[str]:
    """The preprocessing as layer expressions (for Sequential) or call templates ``{}``."""
    if program.preprocessing == "absent":
        return []
    if program.preprocessing == "equivalent":
        mode = CATALOG.modes[CATALOG.backbones[program.backbone].mode]
        return [f"{layer(name)}({args})" for name, args in mode.layers]
    calls = 2 if program.preprocessing == "doubled" else 1
    return [pi] * calls


def render(program: Program, fmt: Formatter) -> str:
    layer, constructor, pi = names(program, fmt)
    ns = program.spelling.namespace
    body: list[str] = []
    aug_layers = [f"{layer(name)}({LAYER_ARGS.get(name, '')})" for name in program.augmentations]
    prep = preprocess_steps(program, layer, pi)
    equivalent = program.preprocessing == "equivalent"

    augment_def = fmt.statement(f"augment = {fmt.call(f'{ns}.Sequential', '[' + ', '.join(aug_layers) + ']')}") \
        if aug_layers else []

    if program.shape == "chain":
        body += augment_def
        body += fmt.statement(f"base = {backbone_call(program, fmt, constructor)}")
        body += fmt.statement(f"inputs = {fmt.call(f'{ns}.Input', 'shape=(224, 224, 3)')}")
        current = "inputs"
        steps: list[tuple[str, str]] = []
        if aug_layers:
            steps.append(("augment", "aug"))
        prep_steps = [(p, "prep") for p in prep]
        steps = prep_steps + steps if program.preprocess_first else steps + prep_steps
        for func, kind in steps:
            args = [current, "training=True"] if kind == "aug" else [current]
            body += fmt.statement(f"x = {fmt.call(func, *args)}")
            current = "x"
        body += fmt.statement(f"features = {fmt.call('base', current, 'training=False')}")
        body += fmt.statement(f"model = {fmt.call(f'{ns}.Model', 'inputs', 'features')}")

    elif program.shape == "sequential":
        prep_layers = prep if equivalent else [fmt.call(f"{layer('Lambda')}", p) for p in prep]
        stack = prep_layers + aug_layers if program.preprocess_first else aug_layers + prep_layers
        elements = [fmt.call(f"{ns}.Input", "shape=(224, 224, 3)"), *stack,
                    backbone_call(program, fmt, constructor), f"{layer('GlobalAveragePooling2D')}()",
                    fmt.call(layer("Dense"), "2")]
        inner = "".join(f"\n    {e}," for e in elements)
        body += fmt.statement(f"model = {ns}.Sequential([{inner}\n])")

    elif program.shape == "dataset_map":
        body += augment_def
        body += fmt.statement(
            f"train_ds = {fmt.call(f'{ns}.utils.image_dataset_from_directory', repr('data/train'), 'image_size=(224, 224)')}")
        expr = "x"
        steps = [("augment", "aug")] if aug_layers else []
        prep_steps = [(p, "prep") for p in prep]
        steps = prep_steps + steps if program.preprocess_first else steps + prep_steps
        for func, kind in steps:
            expr = fmt.call(func, expr, "training=True") if kind == "aug" else fmt.call(func, expr)
        if steps:
            body += fmt.statement(f"train_ds = train_ds.map(lambda x, y: ({expr}, y))")
        elements = [fmt.call(f"{ns}.Input", "shape=(224, 224, 3)"), backbone_call(program, fmt, constructor),
                    f"{layer('GlobalAveragePooling2D')}()", fmt.call(layer("Dense"), "2")]
        inner = "".join(f"\n    {e}," for e in elements)
        body += fmt.statement(f"model = {ns}.Sequential([{inner}\n])")
        body += fmt.statement(fmt.call("model.compile", 'optimizer="adam"', 'loss="sparse_categorical_crossentropy"'))
        body += fmt.statement(fmt.call("model.fit", "train_ds", "epochs=1"))

    else:  # subclassed
        init = []
        if aug_layers:
            init += fmt.statement(f"self.augment = {fmt.call(f'{ns}.Sequential', '[' + ', '.join(aug_layers) + ']')}")
        if equivalent:
            for i, p in enumerate(prep):
                init += fmt.statement(f"self.prep{i} = {p}")
        init += fmt.statement(f"self.backbone = {backbone_call(program, fmt, constructor)}")
        init += fmt.statement(f"self.head = {fmt.call(layer('Dense'), '2')}")
        call = []
        steps = [("self.augment", "aug")] if aug_layers else []
        prep_steps = [(f"self.prep{i}" if equivalent else p, "prep") for i, p in enumerate(prep)]
        steps = prep_steps + steps if program.preprocess_first else steps + prep_steps
        current = "inputs"
        for func, kind in steps:
            args = [current, "training=training"] if kind == "aug" else [current]
            call += fmt.statement(f"x = {fmt.call(func, *args)}")
            current = "x"
        call += fmt.statement(f"x = {fmt.call('self.backbone', current, 'training=False')}")
        call += fmt.statement("return self.head(x)")
        body += [f"class Classifier({ns}.Model):",
                 "    def __init__(self):",
                 "        super().__init__()",
                 *("        " + line if line else "" for line in "\n".join(init).split("\n")),
                 "",
                 "    def call(self, inputs, training=False):",
                 *("        " + line if line else "" for line in "\n".join(call).split("\n")),
                 "",
                 "",
                 "model = Classifier()"]
    if program.fed_raw and program.shape != "dataset_map":
        body += fmt.statement(
            f"train_ds = {fmt.call(f'{ns}.utils.image_dataset_from_directory', repr('data/train'), 'image_size=(224, 224)')}")
        body += fmt.statement(fmt.call("model.fit", "train_ds", "epochs=1"))
    return "\n".join([*fmt.imports, "", *body]) + "\n"


# ---------------------------------------------------------------- the properties

@settings(settings.get_profile(PROFILE))
@given(programs())
def test_findings_match_the_catalogue_oracle(program):
    source = render(program, Formatter())
    note(source)
    assert actual_findings(source) == expected_findings(program)


@settings(settings.get_profile(PROFILE), max_examples=50)
@given(programs(), st.integers(min_value=0, max_value=2**32 - 1))
def test_formatting_never_changes_the_findings(program, seed):
    plain = render(program, Formatter())
    formatted = render(program, Formatter(random.Random(seed)))
    note(formatted)
    assert actual_findings(formatted) == actual_findings(plain)


@settings(settings.get_profile(PROFILE), max_examples=30)
@given(programs(), st.sampled_from(["insert", "fold"]))
def test_fixing_a_generated_program_keeps_the_invariants_and_removes_fo101(program, strategy):
    source = render(program, Formatter())
    note(source)
    options = Options(strategy=strategy, unsafe_fixes=True)
    assert broken_invariants("generated.py", source, options) == []
    result = fix_source("generated.py", source, options)
    if result.changed:
        assert "FO101" not in actual_findings(result.fixed_source)
