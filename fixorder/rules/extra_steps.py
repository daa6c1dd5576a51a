"""Findings for extra scaling/preprocessing steps (FO104, FO105): one per step, whose fix removes it."""

from __future__ import annotations

from typing import Callable, Iterable

from fixorder.analysis.values import Pipeline
from fixorder.findings import DISPLAY_ONLY, SAFE, UNSAFE, Finding, Fix
from fixorder.rules.context import RuleContext
from codemods.actions import Composite
from fixorder.rules.edits import crosses_functions, import_if_unused, removal
from fixorder.rules.review import Extra, origin_known, reviews


def extra_findings(ctx: RuleContext, code: str, name: str,
                   message: Callable[[RuleContext, Extra, Pipeline], str]) -> Iterable[Finding]:
    all_reviews = reviews(ctx)
    groups: dict[int, list[tuple[Extra, Pipeline]]] = {}
    for r in all_reviews:
        for extra in r.extras:
            if extra.code == code:
                groups.setdefault(id(extra.stage.node), []).append((extra, r.pipeline))
    for key, items in groups.items():
        extra, pipeline = items[0]
        # Every pipeline through this step must want it gone, or removing it breaks another one.
        through = [r for r in all_reviews if any(id(s.node) == key for s in r.pipeline.stages)]
        agreed = all(any(id(e.stage.node) == key for e in r.extras) for r in through)
        fix = plan_removal(ctx, extra, [p for _, p in items], agreed)
        use = pipeline.backbone
        yield ctx.finding(extra.stage.node, code, name, message(ctx, extra, pipeline), backbone=use.catalog.name,
                          module=use.catalog.module, expects=use.contract, fix=fix)


def plan_removal(ctx: RuleContext, extra: Extra, pipelines: list[Pipeline], agreed: bool) -> Fix:
    label = extra.stage.label
    if not agreed:
        return Fix(DISPLAY_ONLY, "remove", f"remove {label} from the data path into the backbone "
                                           "(the step also feeds another pipeline that needs it)")
    if "zscore" in extra.stage.details:  # the statistics step may also compute what others use
        return Fix(DISPLAY_ONLY, "remove", f"remove {label} from the data path into the backbone")
    planned = removal(ctx, extra.stage)
    if planned is None:
        return Fix(DISPLAY_ONLY, "remove", f"remove {label}")
    applicability = SAFE if origin_known(pipelines) and not crosses_functions(ctx, extra.stage, pipelines) \
        else UNSAFE
    action = planned.action
    callee = extra.stage.details.get("callee")
    unused = import_if_unused(ctx, callee) if callee is not None else None
    if unused is not None:
        action = Composite([action, unused])
    return Fix(applicability, "remove", f"remove {planned.description}", action)
