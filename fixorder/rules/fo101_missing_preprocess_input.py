"""FO101 missing-preprocess-input

## What it does
Checks that images reaching a pretrained `keras.applications` backbone whose module has a
real `preprocess_input` (tf, torch or caffe mode) pass through that preprocessing, or an
exact equivalent such as `Rescaling(1 / 127.5, offset=-1)` for tf mode, on the way.

It follows the image from its source (a dataset, `keras.Input`, a random or decoded batch)
through augmentation, `Sequential` models, `tf.data` `.map` functions, `ImageDataGenerator`
arguments and subclassed models to the backbone.  It reports when the image arrives with
augmentation only, straight from a raw source, scaled to a range that is not the backbone's
(`x / 255`: [0, 1]), or standardized to zero mean and unit standard deviation
(`samplewise_center` with `samplewise_std_normalization`, featurewise ones after `gen.fit()`,
`tf.image.per_image_standardization`), which is no backbone's mode either.  A model whose
input is never fed data in the same file is reported only when it augments its input
(augmentation defaults assume raw pixels): otherwise the data may be preprocessed elsewhere.

## Why is this bad?
Each backbone was trained on one input range: MobileNetV2, Xception, InceptionV3 and
ResNetV2 expect [-1, 1]; ResNet50 and VGG expect caffe-style BGR mean-subtracted pixels;
DenseNet expects ImageNet mean/std normalization.  Raw pixels in [0, 255] (or [0, 1] after
`Rescaling(1/255)`) still train, so nothing fails, but the pretrained features are wasted and
accuracy silently drops.

Backbones that normalize inside the model (EfficientNet, EfficientNetV2, ConvNeXt, RegNet,
ResNetRS, MobileNetV3 with `include_preprocessing=True`) want raw pixels and are not
reported.  A backbone built with `weights=None` (and no weights loaded later) has no
pretrained input contract and is not reported either.

## Example
```python
augment = keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomBrightness(0.2)])
base = keras.applications.MobileNetV2(include_top=False)
features = base(augment(images, training=True))
```

## Use instead
```python
features = base(keras.applications.mobilenet_v2.preprocess_input(augment(images, training=True)))
```
or, with `--strategy fold`, one function that augments and then preprocesses:
```python
def augment_and_preprocess(images, training=None):
    return keras.applications.mobilenet_v2.preprocess_input(augment(images, training=training))
```

## Fix safety
The insert fix puts the backbone's own `preprocess_input` where the image enters the
backbone (after the last augmentation), spelled with the file's existing imports.  It is
safe when the image enters through a call, a `Functional` graph or `input_tensor=`.  Inside
`Sequential([...])` or `.add()` it inserts the exact built-in layer for tf mode
(`Rescaling(1 / 127.5, offset=-1)`) and torch mode (`Normalization(mean=..., variance=...)`),
which is safe; caffe mode has no built-in equivalent, so it inserts
`Lambda(preprocess_input)`, which Keras 3 cannot reload without `custom_objects`: unsafe.
No fix is offered when the image is already scaled (`x / 255`, `Rescaling(1/255)`,
`rescale=`), when only some of the data paths into the backbone lack preprocessing, or when
the model is built on `base.input`.
"""

from __future__ import annotations

from typing import Iterable

from codemods.actions import Composite, InsertElement, InsertFunctionAfter, InsertStatementBefore, RenameCall, \
    WrapExpression
from codemods.naming import Namer, preprocess_module
from fixorder.analysis.values import (
    AUGMENT, MODEL_INPUT, NORMALIZE, OPAQUE, PARAM, PREPROCESS, RAW, SCALE, UNKNOWN, Pipeline,
)
from fixorder.findings import DISPLAY_ONLY, SAFE, UNSAFE, Finding, Fix
from fixorder.rules import review
from fixorder.rules.context import RuleContext, describe_stages, group_by_entry, has_kind

CODE = "FO101"
NAME = "missing-preprocess-input"
SUMMARY = "augmented or raw images reach a backbone that needs preprocess_input, with no preprocessing"


def applies(p: Pipeline) -> bool:
    """The pipeline feeds a pretrained, externally-preprocessed backbone without preprocessing."""
    use = p.backbone
    if not use.has_contract or use.catalog.builtin_preprocessing or use.catalog.mode == "identity":
        return False
    if has_kind(p.stages, PREPROCESS, OPAQUE):
        return False
    # Statistics normalisation may compensate, unless it is a full z-score (a known range).
    if has_kind(p.stages, NORMALIZE) and review.final_zscore(p.stages) is None:
        return False
    # Raw data followed from its source, or augmentation (whose defaults assume raw pixels) of
    # a model input or parameter never fed data in this file.  Data that is fed but cannot be
    # followed (an unknown call's result) may already be preprocessed: only a range-sensitive
    # augmentation left at its default value_range (0, 255) says the author feeds raw pixels.
    if p.origin.kind == UNKNOWN:
        return any(assumes_raw_pixels(s) for s in p.stages)
    return p.origin.kind == RAW or has_kind(p.stages, AUGMENT)


def assumes_raw_pixels(s) -> bool:
    """A range-sensitive augmentation whose value range is its default, raw pixels."""
    info = s.details.get("catalog")
    default_raw = info is None or info.value_range_default in (None, "(0, 255)")
    return s.kind == AUGMENT and s.range_sensitive and s.details.get("value_range") is None and default_raw


def received(p: Pipeline, ctx: RuleContext) -> str:
    scaled = [s for s in p.stages if s.kind == SCALE]
    augments = describe_stages(p.stages)
    zscore = review.final_zscore(p.stages)
    if zscore is not None:
        what = (f"values standardized over {zscore.details['zscore']} (zero mean, unit standard deviation) "
                f"by {zscore.label}")
    elif scaled:
        mode = scaled[-1].mode
        scale_range = ctx.contract_text(mode) if mode in ctx.catalog.contracts else "a scaled range"
        what = f"{scale_range} after {scaled[-1].label}"
    elif p.origin.kind == MODEL_INPUT:
        what = f"{p.origin.label} (raw pixels [0, 255] unless fed preprocessed data)"
    elif p.origin.kind == RAW:
        what = f"raw pixels [0, 255] from {p.origin.label}"
    else:
        what = "images"
    if augments:
        what = f"{what} augmented by {augments}"
    return f"{what}, with no preprocessing"


def check(ctx: RuleContext) -> Iterable[Finding]:
    namer = Namer(ctx.positions, ctx.analysis)
    for entry_group in group_by_entry(review.pipelines(ctx)):
        # One input may reach several backbones (a loop over a model zoo): one finding each,
        # and no edit of the shared input, which cannot suit them all.
        by_backbone: dict[int, list[Pipeline]] = {}
        for q in entry_group:
            by_backbone.setdefault(id(q.backbone.node), []).append(q)
        shared = len(by_backbone) > 1
        for group in by_backbone.values():
            yield from _check_group(ctx, namer, group, shared)


def _check_group(ctx: RuleContext, namer: Namer, group: list[Pipeline], shared: bool) -> Iterable[Finding]:
    flagged = [p for p in group if applies(p)]
    if flagged:
        p = flagged[0]
        use = p.backbone
        module = preprocess_module(use)
        contract = use.contract or use.catalog.expects
        message = (f"{use.catalog.name} expects {ctx.contract_text(contract)} "
                   f"({module}.preprocess_input, {use.catalog.mode} mode) but receives {received(p, ctx)}")
        fix = _display(f"apply {module}.preprocess_input on the data of {use.catalog.name} only: the same input "
                       "also reaches other backbones") if shared else plan_fix(ctx, namer, group, flagged)
        yield ctx.finding(p.node, CODE, NAME, message, backbone=use.catalog.name, module=module,
                          expects=use.catalog.mode, fix=fix)


def plan_fix(ctx: RuleContext, namer: Namer, group: list[Pipeline], flagged: list[Pipeline]) -> Fix | None:
    p = flagged[0]
    use = p.backbone
    module = preprocess_module(use)
    if len(flagged) != len(group):
        return _display(f"insert {module}.preprocess_input only on the data paths that lack it")
    zscore = review.final_zscore(p.stages)
    if zscore is not None:
        return _display(f"replace {zscore.label} with {module}.preprocess_input")
    if any(has_kind(q.stages, SCALE) for q in group):
        return _display(f"replace the scaling with {module}.preprocess_input")
    if p.entry.kind == "none":
        return _display(f"apply {module}.preprocess_input before the backbone ({p.entry.reason})")
    if ctx.strategy == "fold":
        fold = plan_fold(ctx, namer, group)
        if fold is not None:
            return fold
    # Data from a parameter or an unknown call may be preprocessed already: the fix is unsafe.
    origin_known = all(q.origin.kind not in (PARAM, UNKNOWN) for q in group)
    if p.entry.kind == "wrap":
        ref = namer.preprocess_input(use, module)
        return Fix(SAFE if origin_known else UNSAFE, "insert",
                   f"apply {ref.code} before {use.catalog.name}", WrapExpression(p.entry.node, ref))
    layers = ctx.catalog.modes[use.catalog.mode].layers
    if layers:
        parts, refs = [], []
        for layer, args in layers:
            ref = namer.layer(use, layer)
            refs.append(ref)
            parts.append(f"{ref.code}({args})")
        applicability = SAFE if origin_known else UNSAFE
        description = f"insert {parts[0]} before {use.catalog.name}"
    else:
        pi = namer.preprocess_input(use, module)
        lam = namer.layer(use, "Lambda")
        refs = [pi, lam]
        parts = [f"{lam.code}({pi.code})"]
        applicability = UNSAFE
        description = (f"insert {parts[0]} before {use.catalog.name} (unsafe: a Lambda of a named function "
                       "does not reload in Keras 3 without custom_objects)")
    if p.entry.first:
        # Layers in front of a first-layer backbone would leave the model unbuilt until its
        # first call (model.summary() would fail): give it an explicit Input of the same shape.
        shape = use.node_keyword_source("input_shape")
        if shape is None:
            applicability = UNSAFE
            description += " (unsafe: the backbone was the model's first layer and sets no literal input_shape)"
        else:
            input_ref = namer.layer(use, "Input")
            refs.insert(0, input_ref)
            parts.insert(0, f"{input_ref.code}(shape={shape})")
    if p.entry.kind == "seq":
        action = Composite([InsertElement(p.entry.container, p.entry.node, code, tuple(refs)) for code in parts])
    else:
        receiver = ctx.positions.code_for(p.entry.container) if p.entry.container is not None else None
        if receiver is None:
            return _display(description)
        action = Composite([InsertStatementBefore(p.entry.node, f"{receiver}.add({code})\n", tuple(refs))
                            for code in parts])
    return Fix(applicability, "insert", description, action)


def plan_fold(ctx: RuleContext, namer: Namer, group: list[Pipeline]) -> Fix | None:
    """One function that augments then preprocesses; the augmentation call sites use it."""
    sites = [q.fold_site for q in group]
    if any(s is None for s in sites):
        return None
    site = sites[0]
    if any(s.transform is not site.transform for s in sites):
        return None
    for s in sites:
        if site.binding_scope is not None and s.call_scope is not site.binding_scope:
            return None
        if any(a.keyword is not None and a.keyword.value != "training" for a in s.call.args):
            return None
        if len(s.call.args) > 2 or any(a.star for a in s.call.args):
            return None
    use = group[0].backbone
    module = preprocess_module(use)
    pi = namer.preprocess_input(use, module)
    aug_name = site.transform.binding[1]
    # One function per (augmentation, preprocessing): several backbones of one family share it.
    key = (id(site.transform), pi.code)
    function = namer.folds.get(key)
    if function is None:
        function = namer.free_name("augment_and_preprocess", f"{aug_name}_and_preprocess",
                                   f"{aug_name}_and_{module}_preprocess")
        namer.taken.add(function)
        namer.folds[key] = function
    code = (f"def {function}(images, training=None):\n"
            f"    return {pi.code}({aug_name}(images, training=training))\n")
    parts: list = [InsertFunctionAfter(site.binding_statement, code, (pi,))]
    seen = set()
    for s in sites:
        if id(s.call) not in seen:
            seen.add(id(s.call))
            parts.append(RenameCall(s.call, function))
    return Fix(SAFE, "fold", f"define {function}() that applies {aug_name} then {pi.code}, and call it "
                             f"instead of {aug_name}", Composite(parts))


def _display(description: str) -> Fix:
    return Fix(DISPLAY_ONLY, "insert", description, None)
