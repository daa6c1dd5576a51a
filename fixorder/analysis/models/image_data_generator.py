"""``ImageDataGenerator``: its arguments become stages in the order Keras applies them.

Which arguments augment (and which of those are range-sensitive) and the order of
``standardize()`` are catalogue data (catalog/augmentations.json, ``image_data_generator``).
"""

from __future__ import annotations

import libcst as cst

from fixorder.analysis import ranges, syntax
from fixorder.analysis.calls import Call
from fixorder.analysis.models.registry import KERAS, Callee, calls, methods
from fixorder.analysis.values import (
    AUGMENT, NORMALIZE, OPAQUE, RAW, UNKNOWN, UNKNOWN_VALUE, Flow, Generator, Number, Origin, Stage, Value,
)
from fixorder.catalog import api


def _disabled(arg) -> bool:
    return syntax.is_literal_name(arg.value, "False", "None")


@calls(KERAS + "preprocessing.image.ImageDataGenerator")
def image_data_generator(it, call: Call, callee: Callee) -> Value:
    spec = it.catalog.image_data_generator
    stages: list[Stage] = []
    for key, sensitive in spec["augmentation_args"].items():
        arg = call.kwarg_nodes.get(key)
        if arg is not None and not _disabled(arg):
            stages.append(Stage(AUGMENT, f"ImageDataGenerator({key}=...)", arg, range_sensitive=sensitive,
                                details={"generator_arg": key}))
    for key in spec["standardize_order"]:
        arg = call.kwarg_nodes.get(key)
        if arg is None or _disabled(arg):
            continue
        value = call.kwargs[key]
        if key == "preprocessing_function":
            probe = Origin(UNKNOWN, None, "generator input")
            out = it.apply_callable(value, Flow(probe), call, arg.value)
            if isinstance(out, Flow) and out.origin is probe:
                for s in out.stages:
                    s.details.setdefault("generator_arg", key)
                    s.details.setdefault("arg_node", arg)
                stages.extend(out.stages)
            else:
                stages.append(Stage(OPAQUE, "preprocessing_function", arg))
        elif key == "rescale":
            if isinstance(value, Number):
                kind, mode, _ = ranges.classify_affine(value.value, 0.0)
                stages.append(Stage(kind, f"rescale={syntax.source(it.module, arg.value)}", arg, mode=mode,
                                    details={"generator_arg": key, "affine": (value.value, 0.0)}))
            else:
                stages.append(Stage(OPAQUE, "rescale", arg))
        elif key not in api.FITTED_GENERATOR_ARGS or fitted(it, call):
            stages.append(Stage(NORMALIZE, key, arg, details={"generator_arg": key}))
    return Generator(call.node, tuple(zscores(stages)))


def zscores(stages: list[Stage]) -> list[Stage]:
    """Statistics steps that form complete z-scores (center and divide by the std) become one
    known step each; a partial one (centering only) stays a step of unknown effect."""
    normalizing = [s for s in stages if s.kind == NORMALIZE]
    keys = {s.details["generator_arg"]: s for s in normalizing}
    pairs = [(pair, over) for pair, over in api.ZSCORE_GENERATOR_ARGS.items() if all(k in keys for k in pair)]
    paired = {k for pair, _ in pairs for k in pair}
    if not pairs or set(keys) - paired:
        return stages
    (center, scale), over = pairs[-1]
    last = keys[scale]
    label = f"{center}=True and {scale}=True"
    zscore = Stage(NORMALIZE, label, last.node, details={"generator_arg": scale, "zscore": over})
    return [s for s in stages if s.kind != NORMALIZE] + [zscore]


def fitted(it, call: Call) -> bool:
    """The generator bound by this call's statement has ``fit()`` called on it somewhere in the file
    (featurewise statistics exist only after ``gen.fit(x)``)."""
    name = bound_name(call)
    return name is not None and name in fit_receivers(it)


def bound_name(call: Call) -> str | None:
    statement = call.statement
    if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
        small = statement.body[0]
        if isinstance(small, cst.Assign) and len(small.targets) == 1 and small.value is call.node:
            target = small.targets[0].target
            if isinstance(target, cst.Name):
                return target.value
            if isinstance(target, cst.Attribute):
                return syntax.dotted(target)
    return None


def fit_receivers(it) -> set[str]:
    """Every ``name.fit(...)`` receiver in the module (dotted names included), computed once."""
    cached = getattr(it, "_generator_fit_receivers", None)
    if cached is None:
        cached = set()

        class Finder(cst.CSTVisitor):
            def visit_Call(self, node: cst.Call) -> None:
                func = node.func
                if isinstance(func, cst.Attribute) and func.attr.value == "fit" and syntax.dotted(func.value):
                    cached.add(syntax.dotted(func.value))

        it.module.visit(Finder())
        it._generator_fit_receivers = cached
    return cached


@methods(Generator, "*")
def generator_method(it, owner: Generator, name: str, call: Call) -> Value:
    if name not in api.GENERATOR_FLOW_METHODS:
        return UNKNOWN_VALUE
    source = call.args[0] if call.args else call.kwargs.get("x")
    if isinstance(source, Flow) and name == "flow":
        return Flow(source.origin, source.stages + owner.stages, dataset=True)
    return Flow(Origin(RAW, call.node, f"ImageDataGenerator.{name}", dtype=api.GENERATOR_DTYPE), owner.stages,
                dataset=True)
