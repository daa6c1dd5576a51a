"""The expected findings of a generated pipeline, computed from the catalogue's JSON alone.

This is the oracle of ``tests/test_properties.py``.  It reads ``fixorder/catalog/*.json`` as
plain data and applies the rules as README documents them ("Rules", "One defect, one
finding", "What fixorder follows"); it never imports the analyzer, the rules or the catalogue
loader, so a bug there cannot hide in the expectation.

A pipeline is described by its steps in the order the image meets them:
``("augment", ((layer, args), ...))``, ``("function", module)`` for that module's
``preprocess_input``, or ``("layers", contract)`` for the exact built-in layers producing that
contract (``Rescaling(1 / 127.5, offset=-1)`` for tf, ``Rescaling(1 / 255)`` for unit, ...).
"""

from __future__ import annotations

import collections
import json
import re
from dataclasses import dataclass
from pathlib import Path

_CATALOG_DIR = Path(__file__).resolve().parent.parent / "fixorder" / "catalog"
BACKBONE_DATA = json.loads((_CATALOG_DIR / "backbones.json").read_text(encoding="utf-8"))
AUGMENTATION_DATA = json.loads((_CATALOG_DIR / "augmentations.json").read_text(encoding="utf-8"))

BACKBONE_ROWS = {row["name"]: row for row in BACKBONE_DATA["backbones"]}
CONTRACTS = BACKBONE_DATA["contracts"]
MODES = BACKBONE_DATA["modes"]
# A module's preprocess_input mode.  keras.applications.resnet50 is an alias module of resnet
# (domain/backbones.md), and imagenet_utils' function defaults to the catalogue's default mode.
MODULE_MODES = {row["module"]: row["mode"] for row in BACKBONE_DATA["backbones"]}
MODULE_MODES["resnet50"] = MODULE_MODES["resnet"]
MODULE_MODES["imagenet_utils"] = BACKBONE_DATA["imagenet_utils_default_mode"]
# The ranges a preprocess_input mode produces; exact layers producing any other range (x / 255,
# x / 128 - 1) are scaling, not preprocessing.
PREPROCESS_RANGES = {m["contract"] for name, m in MODES.items() if name != "identity"}
AUGMENTATION_ROWS = {(row["framework"], row["name"]): row for row in AUGMENTATION_DATA["layers"]}
# Measured verdicts (domain/augmentations.md) under which the augmented image is intact.
HARMLESS = ("OK", "SAFE_BY_ACCIDENT")


@dataclass(frozen=True)
class Pipeline:
    """What the oracle needs to know about one generated program."""

    backbone: str
    framework: str  # keras3 or tf_keras: which augmentation facts apply
    pretrained: bool  # weights not None
    include_preprocessing: bool | None  # the keyword's value, None when omitted
    steps: tuple[tuple[str, object], ...]
    fed_raw: bool  # raw images (image_dataset_from_directory) are fed to the model in the file


def wanted_range(p: Pipeline) -> str | None:
    """The contract at the model input, None without pretrained weights."""
    if not p.pretrained:
        return None
    row = BACKBONE_ROWS[p.backbone]
    if p.include_preprocessing is False and row["include_preprocessing"]["exists"]:
        return row["expects_when_preprocessing_disabled"]
    return row["expects"]


def produced_range(step) -> str | None:
    """The range a preprocessing step makes of raw pixels; None for an identity function."""
    kind, what = step
    if kind == "function":
        mode = MODULE_MODES[what]
        return None if mode == "identity" else MODES[mode]["contract"]
    return what


def is_scaling(step) -> bool:
    return step[0] == "layers" and step[1] not in PREPROCESS_RANGES


def is_real_preprocessing(step) -> bool:
    return step[0] in ("function", "layers") and not is_scaling(step) and produced_range(step) is not None


def expected_findings(p: Pipeline) -> collections.Counter:
    wants = wanted_range(p)
    found: collections.Counter = collections.Counter()
    if wants is None:
        return found  # README: weights=None has no pretrained contract, nothing is reported
    row = BACKBONE_ROWS[p.backbone]
    disabled = p.include_preprocessing is False and row["include_preprocessing"]["exists"]
    steps = list(p.steps)
    # Steps are compared by position: a doubled preprocess_input is two equal tuples.
    prep = [i for i, s in enumerate(steps) if s[0] != "augment"]
    augmented = any(s[0] == "augment" for s in steps)
    known_raw = p.fed_raw or augmented  # README: an unfed model input is only judged when augmented
    scales = [i for i in prep if is_scaling(steps[i])]
    real = [i for i in prep if is_real_preprocessing(steps[i])]
    functions = [i for i in real if steps[i][0] == "function"]
    identities = [i for i in prep if steps[i][0] == "function" and produced_range(steps[i]) is None]
    extras: list[int] = []  # steps that should not be there (FO104/FO105); FO102 judges without them
    if wants == "raw":
        # The model normalizes internally: manual scaling or an exact preprocessing layer in
        # front is FO105 (one per step); a real preprocess_input is the wrong family, FO103.
        extras = scales + [i for i in real if steps[i][0] == "layers"]
        found["FO105"] += len(extras)
        if functions:
            found["FO103"] += 1
    elif real:
        matching = [i for i in real if produced_range(steps[i]) == wants]
        kept = matching[-1] if matching else real[-1]
        extras = [i for i in scales + real if i != kept]
        found["FO104"] += len(extras)
        if produced_range(steps[kept]) != wants:
            # Another family's function is FO103; a wrong exact layer too, unless the model's
            # own preprocessing is disabled, whose unmet contract is FO106.
            found["FO106" if disabled and steps[kept][0] == "layers" else "FO103"] += 1
    elif identities and not disabled:
        # Another family's identity preprocess_input used as if it scaled.
        found["FO103"] += 1
        found["FO104"] += len(scales)
        extras = scales
    elif disabled:
        # Scaling in front is a step that is wrong whatever the data; with nothing in front,
        # only known raw data is a defect.
        supplied = produced_range(steps[scales[-1]]) if scales else "raw"
        if supplied != wants and (scales or known_raw):
            found["FO106"] += 1
    elif row["mode"] in ("tf", "torch", "caffe") and not row["builtin_preprocessing"]:
        if known_raw:
            found["FO101"] += 1
        # README (one defect, one finding): a scaling in place of the preprocessing is FO101's
        # defect; FO102 judges the augmentation as if it were gone.
        extras = scales
    found["FO102"] += len(range_causes(p.framework, [s for i, s in enumerate(steps) if i not in extras]))
    return +found


def range_causes(framework: str, steps: list) -> set[int]:
    """FO102: the preprocessing steps followed by an augmentation that is wrong on their range."""
    causes: set[int] = set()
    current: str | None = "raw"
    cause: int | None = None
    for index, step in enumerate(steps):
        if step[0] == "augment":
            if current not in ("raw", None) and cause is not None:
                if any(augmentation_harmful(framework, name, args, current) for name, args in step[1]):
                    causes.add(cause)
            continue
        produced = produced_range(step)
        if produced is None:
            continue  # an identity function leaves the range
        # Preprocessing assumes raw pixels: on anything else its result is no named range.
        after = produced if current == "raw" else None
        if after != current:
            cause = index
        current = after
    return causes


def augmentation_harmful(framework: str, name: str, args: str, data: str) -> bool:
    row = AUGMENTATION_ROWS.get((framework, name)) or AUGMENTATION_ROWS[("keras3", name)]
    contract = CONTRACTS[data]
    signed = min(contract["low"]) < 0
    verdict = row["verdict_on_tf_range"] if signed else row["verdict_on_unit_range"]
    # "BROKEN (when brightness_factor set)": the layer does nothing unless that argument is given.
    condition = re.search(r"\(when (\w+) set\)", verdict or "")
    if condition and condition.group(1) not in args:
        return False
    stated = re.search(r"value_range=\(([-\d.e]+), ([-\d.e]+)\)", args)
    if stated and _matches(float(stated.group(1)), float(stated.group(2)), contract):
        # A value_range matching the data fixes every layer except those whose maths is wrong on
        # signed data whatever value_range says (domain/augmentations.md).
        return signed and row["wrong_on_signed_data"]
    # Absent or the raw default stated: the measured verdict with the default applies.
    if verdict is None:
        return row["range_sensitive"]
    return not verdict.startswith(HARMLESS)


def _matches(low: float, high: float, contract: dict) -> bool:
    """value_range equals the data's bounds, up to rounding (1% of the span)."""
    lo, hi = min(contract["low"]), max(contract["high"])
    return abs(low - lo) <= 0.01 * (hi - lo) and abs(high - hi) <= 0.01 * (hi - lo)
