"""One review of every pipeline's value range, shared by FO102-FO106.

The input-contract rules look at the same stages from different angles, and one defect must
yield one finding.  This module decides, per pipeline, which stage is wrong and which rule
owns it:

- FO104 / FO105: a scaling or preprocessing step that is extra (scaling on top of
  ``preprocess_input``, preprocessing applied twice, or any manual scaling in front of a
  backbone that normalizes internally).  Removing it is the fix.
- FO103: the remaining ``preprocess_input`` produces another family's range.
- FO106: ``include_preprocessing=False`` and nothing produces what the model then expects.
- FO102: with the extra steps left out, a range-sensitive augmentation still sees data that
  is no longer raw pixels.

FO101 (lead) owns pipelines without any preprocessing; nothing here reports those, except
FO106, whose backbones FO101 skips.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from fixorder.analysis import ranges
from fixorder.analysis.values import AUGMENT, NORMALIZE, OPAQUE, PARAM, PREPROCESS, RAW, SCALE, UNKNOWN, Pipeline, Stage
from fixorder.catalog import Catalog
from fixorder.rules.context import RuleContext

SIGNED = frozenset({"tf", "tf128", "torch", "caffe"})
# Measured verdicts (domain/augmentations.md) that leave the image intact.
HARMLESS_VERDICTS = ("OK", "SAFE_BY_ACCIDENT", "NOOP")
# Relative tolerance, as a share of the contract's span, for a value_range to match the data.
VALUE_RANGE_TOLERANCE = 0.05


@dataclass(eq=False)
class Extra:
    """A stage that should not be there (FO104 double-scaling or FO105)."""

    code: str
    stage: Stage
    kept: Stage | None  # the preprocessing it doubles (FO104), None for FO105


@dataclass(eq=False)
class RangeProblem:
    """FO102: ``augment`` sees ``data_range`` produced by ``cause``."""

    augment: Stage
    cause: Stage
    data_range: str
    matched_value_range: bool  # value_range matches the data, the layer is wrong on signed data anyway


@dataclass(eq=False)
class Review:
    pipeline: Pipeline
    contract: str | None
    extras: list[Extra] = field(default_factory=list)
    wrong_family: Stage | None = None  # FO103
    disabled_unmet: str | None = None  # FO106: what reaches the model instead (a range name)
    range_problems: list[RangeProblem] = field(default_factory=list)  # FO102
    fo101_scalings: list[Stage] = field(default_factory=list)  # scalings FO101 reports in place of preprocessing


def pipelines(ctx: RuleContext) -> list[Pipeline]:
    """The analysis' pipelines with their affine steps composed (ranges.compose): what every
    input-contract rule judges, so that ``/255`` undone by ``* 255`` is one neutral step and
    ``/255`` then ``* 2 - 1`` is tf mode for all of them alike."""
    cached = getattr(ctx, "_composed_pipelines", None)
    if cached is None:
        cached = [composed(p) for p in ctx.analysis.pipelines]
        ctx._composed_pipelines = cached
    return cached


def composed(p: Pipeline) -> Pipeline:
    stages = ranges.compose(p.stages)
    if stages is p.stages:
        return p
    return Pipeline(p.origin, stages, p.backbone, p.entry, p.node, p.fold_site)


def reviews(ctx: RuleContext) -> list[Review]:
    cached = getattr(ctx, "_input_contract_reviews", None)
    if cached is None:
        cached = [review(p, ctx.catalog) for p in pipelines(ctx)]
        ctx._input_contract_reviews = cached
    return cached


def mode_range(catalog: Catalog, mode: str | None) -> str | None:
    if mode is None or mode == "identity":
        return None
    return catalog.modes[mode].contract if mode in catalog.modes else None


def is_real_preprocess(stage: Stage) -> bool:
    return stage.kind == PREPROCESS and stage.mode not in (None, "identity")


def identity_calls(stages) -> list[Stage]:
    return [s for s in stages if s.kind == PREPROCESS and s.mode == "identity" and s.module is not None]


def range_after(catalog: Catalog, stage: Stage, before: str | None) -> str | None:
    """The named range after ``stage`` given the range before it (None: unknown)."""
    if "range" in stage.details:  # a step of a composed affine chain: its exact range from the start
        return stage.details["range"]
    if stage.kind == PREPROCESS:
        if stage.mode == "identity":
            return before
        # preprocess_input assumes raw pixels; applied to anything else the result is no contract.
        return mode_range(catalog, stage.mode) if before in ("raw", None) else None
    if stage.kind == SCALE:
        return stage.mode if before in ("raw", None) else None
    if stage.kind in (NORMALIZE, OPAQUE):
        return None
    return before


def final_zscore(stages) -> Stage | None:
    """The z-score (zero mean, unit std over each image or the training data) that is the last
    and only statistics step, with nothing changing values after it: a known range that is no
    backbone's contract.  None otherwise (a partial normalisation may compensate for anything)."""
    normalizing = [s for s in stages if s.kind == NORMALIZE]
    if len(normalizing) != 1 or "zscore" not in normalizing[0].details:
        return None
    z = normalizing[0]
    after = stages[list(stages).index(z) + 1:]
    if any(s.kind in (PREPROCESS, SCALE, OPAQUE) or "affine" in s.details for s in after):
        return None
    return z


def review(p: Pipeline, catalog: Catalog) -> Review:
    use = p.backbone
    contract = use.contract if use.has_contract else None
    r = Review(p, contract)
    if contract is None:
        return r
    zscore = final_zscore(p.stages)
    if contract == "raw" and zscore is not None and not any(s.kind == OPAQUE for s in p.stages):
        # A full z-score (a known range) in front of a backbone that normalizes internally.
        r.extras.append(Extra("FO105", zscore, None))
        return r
    if any(s.kind in (OPAQUE, NORMALIZE) for s in p.stages):
        # Unknown steps may compensate: only the order of what precedes them can be judged.
        r.range_problems = range_problems(catalog, list(p.stages))
        return r
    real = [s for s in p.stages if is_real_preprocess(s)]
    scales = [s for s in p.stages if s.kind == SCALE]
    if contract == "raw":
        # The model normalizes internally: manual scaling is extra (FO105); a preprocess_input
        # call is another family's function (FO103).
        for s in scales + [s for s in real if s.module is None]:
            r.extras.append(Extra("FO105", s, None))
        calls = [s for s in real if s.module is not None]
        if calls:
            r.wrong_family = calls[-1]
    else:
        if real:
            matching = [s for s in real if mode_range(catalog, s.mode) == contract]
            kept = matching[-1] if matching else real[-1]
            for s in p.stages:
                if s is not kept and (s.kind == SCALE or is_real_preprocess(s)):
                    r.extras.append(Extra("FO104", s, kept))
            if mode_range(catalog, kept.mode) != contract:
                if kept.module is not None or use.include_preprocessing is not False:
                    r.wrong_family = kept
                else:
                    r.disabled_unmet = mode_range(catalog, kept.mode)
        elif identity_calls(p.stages) and use.include_preprocessing is not False:
            # Another module's identity preprocess_input (mobilenet_v3's, efficientnet's) used as
            # if it scaled: the backbone gets no preprocessing at all.
            kept = identity_calls(p.stages)[-1]
            r.extras.extend(Extra("FO104", s, kept) for s in scales)
            r.wrong_family = kept
        elif use.include_preprocessing is False and use.catalog.has_include_preprocessing:
            final = scales[-1].mode if scales else "raw"
            # With nothing in front of the model, only known raw data is a defect: an input never
            # fed in this file may get normalized data elsewhere (the same limit as FO101).
            if final != contract and (scales or p.origin.kind == RAW or any(s.kind == AUGMENT for s in p.stages)):
                r.disabled_unmet = final
        elif use.catalog.mode not in (None, "identity") and not use.catalog.builtin_preprocessing:
            # No preprocessing at all: FO101 owns the pipeline, and a scaling in place of the
            # preprocessing is that one defect (its fix replaces it).  Augmentations are judged as
            # if it were gone, so the same scaling is not reported again as FO102's cause.
            r.fo101_scalings = [s for s in p.stages if s.kind == SCALE or s.details.get("absorbed")]
    excluded = {id(e.stage) for e in r.extras} | {id(s) for s in r.fo101_scalings}
    r.range_problems = range_problems(catalog, [s for s in p.stages if id(s) not in excluded])
    return r


def range_problems(catalog: Catalog, stages: list[Stage]) -> list[RangeProblem]:
    problems = []
    current: str | None = "raw"
    cause: Stage | None = None
    for s in stages:
        if s.kind == AUGMENT and current not in ("raw", None) and cause is not None:
            verdict = augmentation_verdict(catalog, s, current)
            if verdict is not None:
                problems.append(RangeProblem(s, cause, current, verdict == "matched"))
        after = range_after(catalog, s, current)
        if (s.kind in (PREPROCESS, SCALE) or "range" in s.details) and after != current:
            cause = s
        current = after
    return problems


def augmentation_verdict(catalog: Catalog, s: Stage, data: str) -> str | None:
    """None when ``s`` is fine on ``data``; "wrong" or "matched" (wrong despite value_range)."""
    signed = data in SIGNED
    info = s.details.get("catalog")
    if info is not None:
        verdict = info.verdict_on_tf_range if signed else info.verdict_on_unit_range
        if verdict is None:
            verdict = "BROKEN" if info.range_sensitive else "OK"
        if verdict.startswith(HARMLESS_VERDICTS):
            return None
        if info.name == "RandomColorJitter" and not _jitter_active(s, signed):
            return None
        value_range = _value_range(s.details.get("value_range"))
        if value_range is not None and _matches(catalog, value_range, data):
            return "matched" if signed and info.wrong_on_signed_data else None
        if value_range is False:  # passed, but not as literal numbers: cannot tell
            return None
        return "wrong"
    key = s.details.get("generator_arg")
    if key is not None:
        return "wrong" if s.range_sensitive else None
    if s.label.startswith("tf.image."):
        op = catalog.tf_image_ops.get(s.label[len("tf.image."):], {})
        verdict = op.get("verdict", "OK")
        if verdict.startswith("WRONG_SIGNED") and signed:
            return "wrong"
        if verdict.startswith("BROKEN outside [0,1]") and data != "unit":
            return "wrong"
        return None
    return None


def _jitter_active(s: Stage, signed: bool) -> bool:
    """RandomColorJitter does nothing unless a factor is set; on [0, 1] only brightness breaks it."""
    call = s.node
    if not isinstance(call, cst.Call):
        return True
    names = {a.keyword.value for a in call.args if a.keyword is not None
             and not (isinstance(a.value, cst.Name) and a.value.value == "None")}
    wanted = {"brightness_factor", "contrast_factor", "saturation_factor", "hue_factor"} if signed \
        else {"brightness_factor"}
    return bool(names & wanted)


def _value_range(arg: cst.Arg | None) -> tuple[float, float] | None | bool:
    """The literal ``value_range=(low, high)``; None when absent, False when not literal."""
    if arg is None:
        return None
    node = arg.value
    if isinstance(node, (cst.Tuple, cst.List)) and len(node.elements) == 2:
        values = [_number(e.value) for e in node.elements]
        if all(v is not None for v in values):
            return values[0], values[1]
    return False


def _number(node: cst.BaseExpression) -> float | None:
    if isinstance(node, (cst.Integer, cst.Float)):
        return float(node.evaluated_value)
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        inner = _number(node.expression)
        return None if inner is None else -inner
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Divide):
        a, b = _number(node.left), _number(node.right)
        return a / b if a is not None and b not in (None, 0.0) else None
    return None


def _matches(catalog: Catalog, value_range: tuple[float, float], data: str) -> bool:
    c = catalog.contracts[data]
    low, high = min(c.low), max(c.high)
    span = high - low
    return abs(value_range[0] - low) <= VALUE_RANGE_TOLERANCE * span and \
        abs(value_range[1] - high) <= VALUE_RANGE_TOLERANCE * span


def origin_known(pipelines: list[Pipeline]) -> bool:
    return all(p.origin.kind not in (PARAM, UNKNOWN) for p in pipelines)


def value_range_text(catalog: Catalog, data: str) -> str:
    c = catalog.contracts[data]
    return f"value_range=({min(c.low):g}, {max(c.high):g})"
