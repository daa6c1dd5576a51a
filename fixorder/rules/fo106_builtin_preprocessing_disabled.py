"""FO106 builtin-preprocessing-disabled

## What it does
Checks backbones built with `include_preprocessing=False` (EfficientNetV2, ConvNeXt,
MobileNetV3, RegNet, ResNetRS) for a pipeline that supplies what the model then expects:
- EfficientNetV2 B0-B3, ConvNeXt and ResNetRS: ImageNet mean/std normalized (torch mode);
- MobileNetV3: [-1, 1];
- EfficientNetV2 S/M/L: `x / 128 - 1`;
- RegNet: [0, 1].
It reports when the images arrive raw (or scaled to the wrong range) with nothing in between.
With nothing at all in front of the backbone, a model input never fed data in the same file
is reported only when it is augmented: otherwise the data may be normalized elsewhere.
The module's own `preprocess_input` does not help: for these families it is an identity.

## Why is this bad?
`include_preprocessing=False` removes the model's first `Rescaling`/`Normalization` layers.
Raw pixels then reach the stem convolution a hundred times too large, and the pretrained
features are lost.  The expected range is not the one the docstrings claim for every
family (EfficientNetV2 B0-B3 and ResNetRS say [-1, 1] but were trained on torch-normalized
input), so the exact layers matter.

## Example
```python
base = keras.applications.ConvNeXtTiny(include_top=False, include_preprocessing=False)
model = keras.Sequential([keras.Input((224, 224, 3)), base])
```

## Use instead
```python
base = keras.applications.ConvNeXtTiny(include_top=False, include_preprocessing=False)
model = keras.Sequential([
    keras.Input((224, 224, 3)),
    keras.layers.Normalization(mean=[0.485 * 255, 0.456 * 255, 0.406 * 255],
                               variance=[(0.229 * 255) ** 2, (0.224 * 255) ** 2, (0.225 * 255) ** 2]),
    base,
])
```
(or drop `include_preprocessing=False` and feed raw pixels).

## Fix safety
The fix inserts the exact built-in layers where the image enters the backbone: a
`Sequential` element, a `.add()` before the backbone, or a call wrapping the backbone's input.
They reproduce the removed preprocessing exactly (checked numerically), so the fix is safe
when the data source is known in the file; unsafe when the image enters through a function
parameter (the caller may already normalize).  When the images are already scaled to another
range, or only some data paths lack the layers, the fix is shown but not applied.
"""

from __future__ import annotations

from typing import Iterable

import libcst as cst

from codemods.actions import Composite, InsertElement, InsertStatementBefore, ReplaceExpression, WrapExpression
from codemods.naming import Namer, Reference
from fixorder.analysis.values import MODEL_INPUT, PREPROCESS, Pipeline, Stage
from fixorder.findings import DISPLAY_ONLY, SAFE, UNSAFE, Finding, Fix
from fixorder.rules.context import RuleContext, group_by_entry
from fixorder.rules.edits import enclosing_function, parent
from fixorder.rules.review import origin_known, pipelines, reviews

CODE = "FO106"
NAME = "builtin-preprocessing-disabled"
SUMMARY = "include_preprocessing=False and nothing supplies the range the model then expects"


def check(ctx: RuleContext) -> Iterable[Finding]:
    by_backbone: dict[int, list] = {}
    for r in reviews(ctx):
        if r.disabled_unmet is not None:
            by_backbone.setdefault(id(r.pipeline.backbone), []).append(r)
    namer = Namer(ctx.positions, ctx.analysis)
    for flagged in by_backbone.values():
        use = flagged[0].pipeline.backbone
        contract = use.contract
        supplied = flagged[0].disabled_unmet
        flag = next((a for a in use.node.args if a.keyword is not None
                     and a.keyword.value == "include_preprocessing"), None)
        received = ctx.contract_text(supplied)
        origin = flagged[0].pipeline.origin
        if origin.kind == MODEL_INPUT and supplied == "raw":
            # Never fed in this file: judged as raw because it is augmented (as FO101 says it).
            received = f"{origin.label} ({received} unless fed preprocessed data)"
        message = (f"{use.catalog.name} is built with include_preprocessing=False and then expects "
                   f"{ctx.contract_text(contract)}, but receives {received}; "
                   f"{use.catalog.module}.preprocess_input is an identity and does not help")
        fix = plan(ctx, namer, [r.pipeline for r in flagged])
        yield ctx.finding(flag if flag is not None else use.node, CODE, NAME, message,
                          backbone=use.catalog.name, module=use.catalog.module, expects=contract, fix=fix)


def plan(ctx: RuleContext, namer: Namer, flagged: list[Pipeline]) -> Fix:
    use = flagged[0].backbone
    layers = ctx.catalog.disabled_layers[use.contract]
    refs = [namer.layer(use, layer) for layer, _ in layers]
    parts = [f"{ref.code}({args})" for ref, (_, args) in zip(refs, layers)]
    description = f"insert {', '.join(parts)} before {use.catalog.name}"
    all_paths = [p for p in pipelines(ctx) if p.backbone is use]
    groups = group_by_entry(all_paths)
    if len(groups) != 1 or len(groups[0]) != len(flagged) or any(r != "raw" for r in _supplied(ctx, flagged)):
        return Fix(DISPLAY_ONLY, "insert", description)
    p = flagged[0]
    applicability = SAFE if origin_known(flagged) else UNSAFE
    entry = p.entry
    identity = _identity_call(ctx, flagged)
    if identity is not None and len(parts) == 1:
        # x = convnext.preprocess_input(inputs) -> x = layers.Normalization(...)(inputs)
        return Fix(applicability, "insert", f"replace {identity.label} (an identity) with {parts[0]}",
                   ReplaceExpression(identity.node.func, parts[0], tuple(refs)))

    if entry.kind == "wrap" and _in_method(ctx, entry.node):
        # A layer created inside call() would be rebuilt on every call and never tracked.
        return Fix(DISPLAY_ONLY, "insert", f"create {', '.join(parts)} in __init__ and apply it before "
                                           f"{use.catalog.name} in call()")
    if entry.kind == "wrap" and len(parts) == 1:
        ref = refs[0]
        return Fix(applicability, "insert", description,
                   WrapExpression(entry.node, Reference(parts[0], ref.import_from)))
    if entry.kind == "seq":
        return Fix(applicability, "insert", description,
                   Composite([InsertElement(entry.container, entry.node, part, (ref,))
                              for part, ref in zip(parts, refs)]))
    if entry.kind == "add" and isinstance(entry.container, cst.BaseExpression):
        receiver = ctx.positions.code_for(entry.container)
        return Fix(applicability, "insert", description,
                   Composite([InsertStatementBefore(entry.node, f"{receiver}.add({part})\n", (ref,))
                              for part, ref in zip(parts, refs)]))
    return Fix(DISPLAY_ONLY, "insert", description)


def _supplied(ctx: RuleContext, flagged: list[Pipeline]) -> list[str]:
    by_pipeline = {id(r.pipeline): r.disabled_unmet for r in reviews(ctx)}
    return [by_pipeline[id(p)] for p in flagged]


def _in_method(ctx: RuleContext, node: cst.CSTNode) -> bool:
    function = enclosing_function(ctx, node)
    return function is not None and isinstance(parent(ctx, parent(ctx, function)), cst.ClassDef)


def _identity_call(ctx: RuleContext, flagged: list[Pipeline]) -> Stage | None:
    """The one direct call of the module's identity preprocess_input on every flagged path."""
    found: Stage | None = None
    for p in flagged:
        calls = [s for s in p.stages if s.kind == PREPROCESS and s.mode == "identity"]
        if len(calls) != 1:
            return None
        stage = calls[0]
        if not isinstance(stage.node, cst.Call) or stage.details.get("callee") is not stage.node.func:
            return None
        if found is not None and found.node is not stage.node:
            return None
        found = stage
    if found is None or _in_method(ctx, found.node):
        return None
    return found
