"""``ImageDataGenerator``: its arguments become stages in the order Keras applies them.

Which arguments augment (and which of those are range-sensitive) and the order of
``standardize()`` are catalogue data (catalog/augmentations.json, ``image_data_generator``).
"""

from __future__ import annotations

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
        else:
            stages.append(Stage(NORMALIZE, key, arg, details={"generator_arg": key}))
    return Generator(call.node, tuple(stages))


@methods(Generator, "*")
def generator_method(it, owner: Generator, name: str, call: Call) -> Value:
    if name not in api.GENERATOR_FLOW_METHODS:
        return UNKNOWN_VALUE
    source = call.args[0] if call.args else call.kwargs.get("x")
    if isinstance(source, Flow) and name == "flow":
        return Flow(source.origin, source.stages + owner.stages, dataset=True)
    return Flow(Origin(RAW, call.node, f"ImageDataGenerator.{name}", dtype=api.GENERATOR_DTYPE), owner.stages,
                dataset=True)
