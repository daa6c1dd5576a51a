"""FO103 wrong-family-preprocess

## What it does
Checks that the `preprocess_input` feeding a pretrained backbone produces the range that
backbone expects.  It reports another family's function whose mode differs:
`resnet50.preprocess_input` (caffe) with MobileNetV2 (tf), `resnet.preprocess_input` (v1,
caffe) with ResNet50V2 (tf), `mobilenet_v2.preprocess_input` with EfficientNet (which wants
raw pixels), `imagenet_utils.preprocess_input` (whose default mode is caffe) with a tf-mode
backbone, or an identity function such as `mobilenet_v3.preprocess_input` used as a scaler.

The same mode from another module (`xception.preprocess_input` with MobileNetV2, both tf) is
not reported, and neither is a user function that happens to be named `preprocess_input`.

## Why is this bad?
The modes differ completely: caffe flips RGB to BGR and subtracts the ImageNet mean without
scaling ([-124, 152]), tf maps to [-1, 1], torch normalizes by ImageNet mean and std.
MobileNetV2 fed caffe-preprocessed images sees values a hundred times too large; EfficientNet
fed [-1, 1] images sees an almost constant input.  Nothing fails, accuracy drops
(keras-team/keras#6875: InceptionV3 with `imagenet_utils.preprocess_input` predicted one
class for every image).

## Example
```python
from tensorflow.keras.applications.resnet50 import preprocess_input

base = tf.keras.applications.MobileNetV2(include_top=False)
ds = ds.map(lambda x, y: (preprocess_input(x), y))
```

## Use instead
```python
from tensorflow.keras.applications.mobilenet_v2 import preprocess_input

base = tf.keras.applications.MobileNetV2(include_top=False)
ds = ds.map(lambda x, y: (preprocess_input(x), y))
```

## Fix safety
The fix names the backbone's own module's `preprocess_input`: it rewrites the module in the
`from ... import preprocess_input` when every use of that name is wrong in the same way,
otherwise it replaces the reference at the call (`resnet50.preprocess_input` becomes
`mobilenet_v2.preprocess_input`; `imagenet_utils.preprocess_input(x, mode="caffe")` gets the
right `mode=`).  It is safe when the data source is known in the file and unsafe when the
image enters through a function parameter.  No fix is offered when the same call feeds
backbones of different families, or when the backbone's module has no matching function
(`include_preprocessing=False` backbones: see FO106 for the exact layers).
"""

from __future__ import annotations

from typing import Iterable

import libcst as cst

from codemods.actions import Composite, ReplaceExpression
from codemods.naming import Namer, preprocess_module
from fixorder.analysis.values import Pipeline, Stage
from fixorder.findings import DISPLAY_ONLY, SAFE, UNSAFE, Finding, Fix
from fixorder.rules.context import RuleContext
from fixorder.rules.edits import code, crosses_functions, import_if_unused, list_element, parent
from fixorder.rules.review import mode_range, origin_known, reviews

CODE = "FO103"
NAME = "wrong-family-preprocess"
SUMMARY = "the preprocess_input used belongs to a family whose mode differs from the backbone's"


def check(ctx: RuleContext) -> Iterable[Finding]:
    groups: dict[int, list[Pipeline]] = {}
    stages: dict[int, Stage] = {}
    for r in reviews(ctx):
        if r.wrong_family is not None:
            key = id(r.wrong_family.node)
            groups.setdefault(key, []).append(r.pipeline)
            stages.setdefault(key, r.wrong_family)
    namer = Namer(ctx.positions, ctx.analysis)
    planned_imports: set[int] = set()
    for key, pipelines in groups.items():
        stage = stages[key]
        use = pipelines[0].backbone
        contract = use.contract
        supplied = mode_range(ctx.catalog, stage.mode)
        supplied_text = ctx.contract_text(supplied) if supplied else "unchanged raw pixels [0, 255]"
        source = f"{stage.label} ({'an identity' if supplied is None else f'{stage.mode} mode'})"
        module = preprocess_module(use)
        own_mode = use.catalog.mode
        message = (f"{use.catalog.name} expects {ctx.contract_text(contract)} but receives {supplied_text} "
                   f"from {source}; use {module}.preprocess_input"
                   f"{'' if own_mode == 'identity' else f' ({own_mode} mode)'}")
        if mode_range(ctx.catalog, own_mode) != contract and not (own_mode == "identity" and contract == "raw"):
            message = (f"{use.catalog.name} (include_preprocessing=False) expects {ctx.contract_text(contract)} "
                       f"but receives {supplied_text} from {source}")
        fix = plan(ctx, namer, stage, pipelines, planned_imports)
        yield ctx.finding(stage.node, CODE, NAME, message, backbone=use.catalog.name, module=module,
                          expects=contract, fix=fix)


def plan(ctx: RuleContext, namer: Namer, stage: Stage, pipelines: list[Pipeline], planned_imports: set[int]) -> Fix:
    use = pipelines[0].backbone
    module = preprocess_module(use)
    own = use.catalog.mode
    wanted = use.contract
    if any(p.backbone.contract != wanted for p in pipelines):
        return Fix(DISPLAY_ONLY, "replace", "use one preprocess_input per backbone family")
    own_matches = mode_range(ctx.catalog, own) == wanted or (own == "identity" and wanted == "raw")
    if not own_matches:
        layers = ctx.catalog.disabled_layers.get(wanted, ())
        text = ", ".join(f"{layer}({args})" for layer, args in layers) or "the matching preprocessing"
        return Fix(DISPLAY_ONLY, "replace", f"replace {stage.label} with {text}")
    applicability = SAFE if origin_known(pipelines) and not crosses_functions(ctx, stage, pipelines) \
        else UNSAFE
    callee = stage.details.get("callee")
    if stage.module is None:
        return _replace_layer(ctx, namer, stage, use, module, applicability) or \
            Fix(DISPLAY_ONLY, "replace", f"replace {stage.label} with {module}.preprocess_input")
    if callee is None:
        return Fix(DISPLAY_ONLY, "replace", f"replace {stage.label} with {module}.preprocess_input")
    call = stage.node if isinstance(stage.node, cst.Call) and stage.node.func is callee else None
    if stage.module == "imagenet_utils" and call is not None and own != "identity":
        mode_arg = next((a for a in call.args if a.keyword is not None and a.keyword.value == "mode"), None)
        if mode_arg is not None:
            return Fix(applicability, "replace", f'pass mode="{own}"',
                       ReplaceExpression(mode_arg.value, f'"{own}"'))
        if not any(a.star for a in call.args):
            # imagenet_utils.preprocess_input(x, mode=...) is the same function as the family's.
            args = list(call.args)
            if args:
                args[-1] = args[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
            args.append(cst.Arg(cst.SimpleString(f'"{own}"'), keyword=cst.Name("mode"),
                                equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace(""))))
            new_call = code(ctx, call.with_changes(args=args))
            return Fix(applicability, "replace", f'pass mode="{own}"', ReplaceExpression(call, new_call))
    if isinstance(callee, cst.Name):
        rewrite = _rewrite_import(ctx, callee, stage, module, planned_imports)
        if rewrite is not None:
            return Fix(applicability, "replace", rewrite[1], rewrite[0])
    ref = namer.preprocess_input(use, module)
    if call is not None and any(a.keyword is not None and a.keyword.value == "mode" for a in call.args):
        return Fix(DISPLAY_ONLY, "replace", f"call {ref.code}(x) instead of {code(ctx, call)}")
    action = ReplaceExpression(callee, ref.code, (ref,))
    old_import = import_if_unused(ctx, callee)
    if old_import is not None:
        action = Composite([action, old_import])  # resnet50 in "from ... import resnet50" may now be unused
    return Fix(applicability, "replace", f"use {ref.code} instead of {code(ctx, callee)}", action)


def _replace_layer(ctx: RuleContext, namer: Namer, stage: Stage, use, module: str, applicability: str) -> Fix | None:
    """A preprocessing layer of another mode (``Rescaling(1 / 127.5, offset=-1)`` before ResNet50)
    becomes the backbone's exact layer, or its ``preprocess_input`` where no layer exists (caffe)."""
    node = stage.node
    if not isinstance(node, cst.Call) or not stage.label.startswith(("Rescaling(", "Normalization(")):
        return None
    applied = parent(ctx, node)
    applied = applied if isinstance(applied, cst.Call) and applied.func is node else None
    if applied is None and list_element(ctx, node) is None:
        return None
    layers = ctx.catalog.modes[use.catalog.mode].layers
    if layers and len(layers) == 1:
        layer, args = layers[0]
        ref = namer.layer(use, layer)
        text = f"{ref.code}({args})"
        return Fix(applicability, "replace", f"replace {code(ctx, node)} with {text}",
                   ReplaceExpression(node, text, (ref,)))
    pi = namer.preprocess_input(use, module)
    if applied is not None and len(applied.args) == 1 and applied.args[0].keyword is None:
        text = f"{pi.code}({code(ctx, applied.args[0].value).strip()})"
        return Fix(applicability, "replace", f"call {pi.code} instead of {code(ctx, node)}",
                   ReplaceExpression(applied, text, (pi,)))
    lam = namer.layer(use, "Lambda")
    text = f"{lam.code}({pi.code})"
    return Fix(UNSAFE, "replace", f"replace {code(ctx, node)} with {text} (unsafe: a Lambda of a named function "
                                  "does not reload in Keras 3 without custom_objects)",
               ReplaceExpression(node, text, (lam, pi)))


def _rewrite_import(ctx: RuleContext, callee: cst.Name, stage: Stage, module: str,
                    planned_imports: set[int]):
    """``from ...resnet50 import preprocess_input`` -> ``from ...mobilenet_v2 import preprocess_input``
    when that import binds the name once and every use of the name is this wrong call."""
    name = callee.value
    if ctx.analysis.binding_counts.get(name, 0) != 1:
        return None
    imported = ctx.analysis.imports.get(name)
    if imported is None or not imported.endswith(f".applications.{stage.module}.preprocess_input"):
        return None
    uses = [n for n in _names(ctx.module) if n.value == name]
    statement = _import_of(ctx, name)
    if statement is None or len(uses) != 1 or uses[0] is not callee or id(statement) in planned_imports:
        return None
    planned_imports.add(id(statement))
    old = statement.module
    new_module = imported.rsplit(".", 2)[0] + f".{module}"
    action = ReplaceExpression(old, new_module)
    return action, f"import preprocess_input from {new_module} instead of {code(ctx, old)}"


class _Names(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: list[cst.Name] = []

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)
        return False

    def visit_Name(self, node: cst.Name) -> None:
        self.names.append(node)


def _names(module: cst.Module) -> list[cst.Name]:
    visitor = _Names()
    module.visit(visitor)
    return visitor.names


def _import_of(ctx: RuleContext, name: str) -> cst.ImportFrom | None:
    for statement in ctx.module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar) \
                    and len(small.names) == 1 and small.module is not None:
                alias = small.names[0]
                bound = alias.asname.name.value if alias.asname is not None else \
                    (alias.name.value if isinstance(alias.name, cst.Name) else None)
                if bound == name:
                    return small
    return None

