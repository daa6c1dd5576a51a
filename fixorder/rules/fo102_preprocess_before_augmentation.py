"""FO102 preprocess-before-augmentation

## What it does
Checks the order of preprocessing and value-range-sensitive augmentation on the way to a
pretrained backbone.  It reports preprocessing (`preprocess_input`, its layer equivalents,
or `Rescaling(1/255)`) that runs before an augmentation which assumes raw [0, 255] pixels
and whose `value_range` does not match the data: RandomBrightness, RandomContrast,
Solarization, RandomPosterization, RandomInvert, RandomErasing, AutoContrast, Equalization,
CLAHE, RandAugment, AugMix, RandomColorJitter with a factor set, RandomColorDegeneration,
RandomSaturation, RandomHue, RandomSharpness, tf_keras' RandomContrast (which has no
`value_range` and clips to [0, 255]); `ImageDataGenerator(brightness_range=...,
channel_shift_range=...)` on preprocessed arrays; `tf.image.random_saturation`/`random_hue`
on signed data.

Geometric augmentation (flip, rotation, zoom, crop) after preprocessing is not reported,
nor is a layer whose `value_range` matches the data, nor layers the measurements show to be
unaffected on [0, 1] data (RandomHue, RandomSaturation, RandomSharpness, RandomGaussianBlur,
RandomElasticTransform after `Rescaling(1/255)`).

## Why is this bad?
Keras 3 colour layers default to `value_range=(0, 255)`.  On [-1, 1] data RandomBrightness
adds up to ±51 and clips at 0 (measured output [0, 49]), RandomContrast clips every negative
value to 0, Solarization returns 255 - x, RandomPosterization returns all zeros.  The
backbone trains on images that look nothing like its pretraining data, and nothing fails.
RandomSaturation and RandomInvert are wrong on signed data even with `value_range` set.

## Example
```python
model = keras.Sequential([
    keras.Input((224, 224, 3)),
    layers.Rescaling(1 / 127.5, offset=-1),
    layers.RandomFlip("horizontal"),
    layers.RandomContrast(0.2),
    keras.applications.MobileNetV2(include_top=False),
])
```

## Use instead
```python
model = keras.Sequential([
    keras.Input((224, 224, 3)),
    layers.RandomFlip("horizontal"),
    layers.RandomContrast(0.2),
    layers.Rescaling(1 / 127.5, offset=-1),
    keras.applications.MobileNetV2(include_top=False),
])
```
or keep the order and pass the data's range: `layers.RandomContrast(0.2, value_range=(-1, 1))`.

## Fix safety
The fix moves the preprocessing after the last augmentation.  It is safe when both are
elements of one `Sequential` list, or statements of one chain (`x = pi(inputs)`,
`x = aug(x)`) in the same block.  When they are in different places (a `tf.data` map and
the model, an `ImageDataGenerator` fed preprocessed arrays) the fix is shown, not applied.
"""

from __future__ import annotations

from typing import Iterable

import libcst as cst

from codemods.actions import Composite, InsertStatementAfter, MoveElement, RemoveStatement, ReplaceExpression
from fixorder.analysis.values import AUGMENT, NEUTRAL, Pipeline, Stage
from fixorder.findings import DISPLAY_ONLY, SAFE, Finding, Fix
from fixorder.rules.context import RuleContext
from fixorder.rules.edits import code, list_element, names_in, parent
from fixorder.rules.review import RangeProblem, _value_range, reviews, value_range_text

# The range every Keras colour layer assumes by default: what it sees once preprocessing moves after it.
RAW_VALUE_RANGE = "(0, 255)"

CODE = "FO102"
NAME = "preprocess-before-augmentation"
SUMMARY = "preprocessing runs before a value-range-sensitive augmentation"


def check(ctx: RuleContext) -> Iterable[Finding]:
    groups: dict[int, list[tuple[RangeProblem, Pipeline]]] = {}
    for r in reviews(ctx):
        for problem in r.range_problems:
            groups.setdefault(id(problem.cause.node), []).append((problem, r.pipeline))
    for items in groups.values():
        problems = list({id(pr.augment.node): pr for pr, _ in items}.values())
        first, pipeline = items[0]
        use = pipeline.backbone
        data = ctx.contract_text(first.data_range)
        alternative = _alternative(ctx, problems)
        message = (f"{_assumptions(ctx, problems)} after "
                   f"{first.cause.label}, on {data} data, before {use.catalog.name}; "
                   f"move {first.cause.label} after the augmentation{alternative}")
        fix = plan(ctx, first.cause, [p for _, p in items], problems)
        yield ctx.finding(first.augment.node, CODE, NAME, message, backbone=use.catalog.name,
                          module=use.catalog.module, expects=use.contract, fix=fix)


def _assumptions(ctx: RuleContext, problems: list[RangeProblem]) -> str:
    """"RandomBrightness assumes raw pixels [0, 255] but runs": what each layer needs, from the
    catalogue (Keras layers default to value_range (0, 255); tf.image ops need other inputs)."""
    by_need: dict[str, list[str]] = {}
    for pr in problems:
        labels = by_need.setdefault(_assumed_input(ctx, pr), [])
        if pr.augment.label not in labels:
            labels.append(pr.augment.label)
    parts = [f"{', '.join(labels)} {'assumes' if len(labels) == 1 else 'assume'} {need}"
             for need, labels in by_need.items()]
    count = sum(len(labels) for labels in by_need.values())
    return f"{' and '.join(parts)} but {'runs' if count == 1 else 'run'}"


def _assumed_input(ctx: RuleContext, problem: RangeProblem) -> str:
    augment = problem.augment
    if problem.matched_value_range:  # RandomSaturation, RandomInvert: wrong on signed data anyway
        return "non-negative pixels"
    stated = _value_range(augment.details.get("value_range"))
    if isinstance(stated, tuple):  # a value_range that does not match the data: say what it states
        return "value_range=(" + ", ".join(f"{v:g}" for v in stated) + ")"
    if augment.label.startswith("tf.image."):
        verdict = ctx.catalog.tf_image_ops.get(augment.label[len("tf.image."):], {}).get("verdict", "")
        if verdict.startswith("WRONG_SIGNED"):
            return "non-negative pixels"
        if verdict.startswith("BROKEN outside [0,1]"):
            return "pixels in [0, 1]"
    return "raw pixels [0, 255]"


def _alternative(ctx: RuleContext, problems: list[RangeProblem]) -> str:
    if any(pr.matched_value_range for pr in problems):
        return " (RandomSaturation and RandomInvert are wrong on signed data even with value_range)"
    infos = [pr.augment.details.get("catalog") for pr in problems]
    if infos and all(i is not None and i.value_range_default is not None and not
                     (i.wrong_on_signed_data and pr.data_range != "unit") for i, pr in zip(infos, problems)):
        return f", or pass {value_range_text(ctx.catalog, problems[0].data_range)}"
    return ""


def plan(ctx: RuleContext, cause: Stage, pipelines: list[Pipeline], problems: list[RangeProblem]) -> Fix:
    description = f"move {cause.label} after the augmentation"
    for p in pipelines:
        target = _last_augmentation(p, cause)
        if target is None or any(_index(p, pr.augment) is None or _index(p, pr.augment) > _index(p, target)
                                 for pr in problems if _index(p, pr.augment) is not None):
            return Fix(DISPLAY_ONLY, "move", description)
    target = _last_augmentation(pipelines[0], cause)
    moved = _move_in_list(ctx, cause, target) or _move_in_chain(ctx, cause, target)
    if moved is None:
        return Fix(DISPLAY_ONLY, "move", description)
    # Every pipeline through the preprocessing must agree on where it goes.
    for p in pipelines[1:]:
        if _last_augmentation(p, cause).node is not target.node:
            return Fix(DISPLAY_ONLY, "move", description)
    # Layers the preprocessing moves past now see raw pixels: a value_range stated for the old
    # data range must become the raw one.
    restated = [ReplaceExpression(arg.value, RAW_VALUE_RANGE) for arg in _value_range_args(pipelines[0], cause, target)
                if code(ctx, arg.value).replace(" ", "") != RAW_VALUE_RANGE.replace(" ", "")]
    description = f"move {cause.label} after {target.label}"
    if restated:
        description += f" and set value_range={RAW_VALUE_RANGE} on the layers it moves past"
    return Fix(SAFE, "move", description, Composite([moved, *restated]) if restated else moved)


def _value_range_args(p: Pipeline, cause: Stage, target: Stage) -> list[cst.Arg]:
    start, end = _index(p, cause), _index(p, target)
    out = []
    for s in p.stages[start + 1:end + 1]:
        if isinstance(s.node, cst.Call):
            out.extend(a for a in s.node.args if a.keyword is not None and a.keyword.value == "value_range")
    return out


def _index(p: Pipeline, stage: Stage) -> int | None:
    for i, s in enumerate(p.stages):
        if s.node is stage.node:
            return i
    return None


def _last_augmentation(p: Pipeline, cause: Stage) -> Stage | None:
    """The last augmentation of the run of augmentation right after ``cause``."""
    start = _index(p, cause)
    if start is None:
        return None
    last = None
    for s in p.stages[start + 1:]:
        if s.kind == AUGMENT:
            last = s
        elif s.kind != NEUTRAL:
            break
    return last


def _move_in_list(ctx: RuleContext, cause: Stage, target: Stage):
    here = list_element(ctx, cause.node)
    there = list_element(ctx, target.node)
    if here is None or there is None or here[0] is not there[0]:
        return None
    return MoveElement(here[0], here[1], there[1])


def _move_in_chain(ctx: RuleContext, cause: Stage, target: Stage):
    """``x = pi(inputs)`` / ``x = aug(x)`` / ... -> ``x = aug(inputs)`` / ... / ``x = pi(x)``."""
    statement = cause.details.get("statement") or cause.details.get("applied_statement")
    last = target.details.get("applied_statement")
    if not isinstance(statement, cst.SimpleStatementLine) or not isinstance(last, cst.SimpleStatementLine):
        return None
    block = parent(ctx, statement)
    body = list(getattr(block, "body", ()))
    here, there = _position(body, statement), _position(body, last)
    if here is None or there is None or there <= here:
        return None
    assign = statement.body[0] if len(statement.body) == 1 else None
    if not isinstance(assign, cst.Assign) or len(assign.targets) != 1 or not isinstance(assign.targets[0].target, cst.Name):
        return None
    name = assign.targets[0].target.value
    applied = assign.value
    if not isinstance(applied, cst.Call) or len(applied.args) != 1 or applied.args[0].keyword is not None:
        return None
    if applied is not cause.node and applied.func is not cause.node:
        return None
    source = applied.args[0].value
    following = body[_position(body, statement) + 1]
    small = following.body[0] if isinstance(following, cst.SimpleStatementLine) and len(following.body) == 1 else None
    if not isinstance(small, (cst.Assign, cst.Expr)):
        return None
    uses = [n for n in names_in(small.value) if n.value == name]
    last_assign = last.body[0] if len(last.body) == 1 else None
    if len(uses) != 1 or not isinstance(last_assign, cst.Assign) or len(last_assign.targets) != 1 \
            or not isinstance(last_assign.targets[0].target, cst.Name) or last_assign.targets[0].target.value != name:
        return None
    for between in body[here + 1:there + 1]:
        # Every later statement up to the augmentation must be a link ``x = f(x)`` of the chain,
        # so nothing else observes ``x`` before the preprocessing moves.
        link = between.body[0] if isinstance(between, cst.SimpleStatementLine) and len(between.body) == 1 else None
        if not isinstance(link, cst.Assign) or len(link.targets) != 1 \
                or not isinstance(link.targets[0].target, cst.Name) or link.targets[0].target.value != name \
                or len([n for n in names_in(link.value) if n.value == name]) != 1:
            return None
    function = code(ctx, applied.func)
    return Composite([
        RemoveStatement(statement),
        ReplaceExpression(uses[0], code(ctx, source).strip()),
        InsertStatementAfter(last, f"{name} = {function}({name})\n"),
    ])


def _position(body: list, statement: cst.CSTNode) -> int | None:
    return next((i for i, s in enumerate(body) if s is statement), None)
