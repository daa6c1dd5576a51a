"""Keras models: ``Input``, ``Sequential``, Functional ``Model``, and data reaching a model.

Feeding data to a model (a call, ``fit``, ``predict``...) applies it: a layer adds its stages to
the flow, a backbone records a pipeline, a container substitutes the data for its input
placeholder so that pipelines built inside it start from the real data.
"""

from __future__ import annotations

import libcst as cst

from fixorder.analysis.calls import Call
from fixorder.analysis.models import keras_applications
from fixorder.analysis.models.registry import Callee, calls, methods
from fixorder.analysis.values import (
    AUGMENT, MODEL_INPUT, NEUTRAL, OPAQUE, UNKNOWN, UNKNOWN_VALUE, BackboneLayer, Entry, FoldSite, Flow, Instance,
    Origin, Pipeline, Stage, Transform, TupleValue, Value,
)
from fixorder.catalog import api

# Methods whose result is the model's output for the data (the others return history, metrics).
RETURNING_OUTPUT = ("__call__", "call", "predict", "predict_on_batch")


@calls("keras:Input")
def model_input(it, call: Call, callee: Callee) -> Value:
    return Flow(Origin(MODEL_INPUT, call.node, "the model input", substitutable=True, dtype=api.MODEL_INPUT_DTYPE))


@calls("keras:Sequential")
def sequential(it, call: Call, callee: Callee) -> Value:
    origin = Origin(MODEL_INPUT, call.node, "the Sequential model's input", substitutable=True,
                    dtype=api.MODEL_INPUT_DTYPE)
    seq = Transform(call.node, "sequential", input_origin=origin)
    seq.output = Flow(origin)
    layers_arg = call.arg_nodes[0].value if call.arg_nodes else (
        call.kwarg_nodes["layers"].value if "layers" in call.kwarg_nodes else None)
    if isinstance(layers_arg, (cst.List, cst.Tuple)):
        seq.list_node = layers_arg
        items = call.args[0].items if call.args and isinstance(call.args[0], TupleValue) else \
            call.kwargs["layers"].items
        for element, value in zip(layers_arg.elements, items):
            if isinstance(value, Flow):  # keras.Input(...) as the first element
                continue
            if isinstance(value, Instance) and value.transform is not None:
                value = value.transform
            if isinstance(value, Transform):
                entry = Entry("seq", element, container=layers_arg, statement=call.statement,
                              first=element is layers_arg.elements[0])
                seq.output = apply(it, value, seq.output, None, None, entry)
            else:
                seq.output = seq.output.then(Stage(OPAQUE, "layer", element))
    elif layers_arg is not None:
        seq.output = seq.output.then(Stage(OPAQUE, "layers", layers_arg))
    seq.stages = seq.output.stages
    return seq


@calls("keras:Model", "keras:engine.training.Model", "keras:engine.functional.Functional")
def functional(it, call: Call, callee: Callee) -> Value:
    # Keras 1 spelled the keywords input= and output=.
    inputs = call.args[0] if call.args else call.kwargs.get("inputs", call.kwargs.get("input"))
    outputs = call.args[1] if len(call.args) > 1 else call.kwargs.get("outputs", call.kwargs.get("output"))
    if isinstance(outputs, TupleValue) and outputs.items:
        outputs = outputs.items[0]
    every_input = ()
    if isinstance(inputs, TupleValue):  # inputs=[a, b]: each placeholder, fed in this order
        every_input = tuple(v.origin if isinstance(v, Flow) else None for v in inputs.items)
        inputs = inputs.items[0] if len(inputs.items) == 1 else UNKNOWN_VALUE
    origin = inputs.origin if isinstance(inputs, Flow) else None
    model = Transform(call.node, "model", input_origin=origin,
                      input_origins=every_input if len(every_input) > 1 else ())
    if isinstance(outputs, Flow) and origin is not None and outputs.origin is origin:
        model.output = outputs
    return model


@methods(Transform, "*")
def model_method(it, owner: Transform, name: str, call: Call) -> Value:
    if name == "add" and call.args:
        return sequential_add(it, owner, call)
    if name == "get_layer" and owner.backbone is not None:
        return keras_applications.get_layer(owner, call)
    step = _custom_step(owner, name)
    if step is not None:
        return run_custom_step(it, owner, step, call)
    if name in api.MODEL_FEEDING_METHODS:
        return feed(it, owner, call, name)
    if name == "load_weights":
        it.load_weights_called = True
    return UNKNOWN_VALUE


def _custom_step(t: Transform, method: str):
    """The subclass's own ``train_step``/``test_step`` that Keras runs for ``method``, if any."""
    if t.instance is None:
        return None
    step_name = api.CUSTOM_STEP_METHODS.get(method)
    return t.instance.cls.methods.get(step_name) if step_name else None


def run_custom_step(it, t: Transform, step, call: Call) -> Value:
    """``model.fit(ds)`` on a subclass with ``train_step(self, data)``: Keras calls the step with
    each batch (``(x, y)`` for a labelled dataset), so the step is run with the data."""
    data = call.args[0] if call.args else call.kwargs.get("x", UNKNOWN_VALUE)
    if isinstance(data, Flow):
        data = data.with_dataset(False)
    it.call_function(step, [t.instance, data], {}, call.node)
    return UNKNOWN_VALUE


def feed(it, t: Transform, call: Call, method: str) -> Value:
    """Data reaches ``t``: a call, fit, predict or evaluate."""
    if t.kind == "layer":
        it.result.layer_calls.add(call.node)
    data_values = []
    if call.args:
        data_values.append((call.args[0], call.arg_nodes[0].value if call.arg_nodes else None))
    elif "x" in call.kwargs:
        data_values.append((call.kwargs["x"], call.kwarg_nodes["x"].value))
    elif "inputs" in call.kwargs:
        data_values.append((call.kwargs["inputs"], call.kwarg_nodes["inputs"].value))
    elif "generator" in call.kwargs:  # fit_generator(generator=...), evaluate/predict_generator
        data_values.append((call.kwargs["generator"], call.kwarg_nodes["generator"].value))
    if method in ("fit", "fit_generator") and "validation_data" in call.kwargs:
        val = call.kwargs["validation_data"]
        if isinstance(val, TupleValue) and val.items:
            val = val.items[0]
        data_values.append((val, None))
    result: Value = UNKNOWN_VALUE
    for i, (value, value_node) in enumerate(data_values):
        if t.input_origins and isinstance(value, TupleValue):
            feed_inputs(it, t, value)
            continue
        if isinstance(value, TupleValue) and value.items:
            value = value.items[0]
        flow = value if isinstance(value, Flow) else Flow(Origin(UNKNOWN, value_node, "unknown data"))
        out = apply(it, t, flow, call, value_node, None)
        if i == 0:
            result = out
    return result if method in RETURNING_OUTPUT else UNKNOWN_VALUE


def feed_inputs(it, t: Transform, values: TupleValue) -> None:
    """``model.fit([meta, images])`` on a model with several inputs: each to its placeholder."""
    for origin, value in zip(t.input_origins, values.items):
        if isinstance(value, Flow) and origin is not None:
            it.substitute(origin, value)


def apply(it, t: Transform, flow: Flow, call: Call | None, arg_node: cst.CSTNode | None,
          entry: Entry | None) -> Flow:
    """``t`` applied to ``flow``; records pipelines where the flow reaches a backbone."""
    if flow.features:
        return flow
    if t.kind == "backbone":
        use = t.backbone
        if entry is None:
            entry = Entry("wrap", arg_node, statement=call.statement if call else None) if arg_node is not None \
                else Entry("none", None, reason="the image is not passed as an expression")
        node = call.node if call is not None and entry.kind == "wrap" else (entry.node or t.node)
        if entry.kind == "seq":
            node = entry.node.value
        it.record(Pipeline(flow.origin, flow.stages, use, entry, node, flow.fold_site))
        return Flow(flow.origin, flow.stages, flow.dataset, True)
    if t.kind == "layer":
        out = flow.then(*applied(t.stages, call))
        if call is not None and t.binding is not None and any(s.kind == AUGMENT for s in t.stages):
            out.fold_site = fold_site(t, call)
        return out
    # Containers: a Sequential, a Functional model, a subclassed model.
    it.substitute(t.input_origin, flow)
    if t.output is not None and t.output.origin is t.input_origin:
        out = Flow(flow.origin, flow.stages + applied(t.output.stages, call), flow.dataset, t.output.features)
        if call is not None and t.binding is not None and not t.output.features:
            out.fold_site = fold_site(t, call)
        return out
    return Flow(flow.origin, flow.stages + (Stage(OPAQUE, "model", t.node),), flow.dataset, True)


def fold_site(t: Transform, call: Call) -> FoldSite | None:
    node = call.node
    if not isinstance(node.func, cst.Name) or node.func.value != t.binding[1]:
        return None
    statement, _, scope = t.binding
    return FoldSite(node, t, statement, scope, call.env.scope)


def sequential_add(it, seq: Transform, call: Call) -> Value:
    layer = call.args[0]
    stmt = call.statement
    if seq.output is None:
        seq.output = Flow(seq.input_origin)
    seq.layer_count += 1
    if isinstance(layer, Flow):  # model.add(Input(...))
        return UNKNOWN_VALUE
    if isinstance(layer, Instance) and layer.transform is not None:
        layer = layer.transform
    if isinstance(layer, BackboneLayer) and layer.every:
        # ``for layer in base.layers: model.add(layer)``: the backbone's layers in order, from
        # its input layer, are the backbone itself (its pretrained contract comes with them).
        if layer.backbone in seq.copied:
            return UNKNOWN_VALUE
        seq.copied.add(layer.backbone)
        layer = layer.backbone
    if isinstance(layer, Transform):
        entry = Entry("add", stmt, container=call.node.func.value
                      if isinstance(call.node.func, cst.Attribute) else None, statement=stmt,
                      first=seq.layer_count == 1)
        seq.output = apply(it, layer, seq.output, None, None, entry)
    else:
        seq.output = seq.output.then(Stage(OPAQUE, "layer", call.node))
    seq.stages = seq.output.stages
    return UNKNOWN_VALUE


def applied(stages: tuple[Stage, ...], call: Call | None) -> tuple[Stage, ...]:
    """Copies of a transform's stages that remember the first call applying them to a flow
    (``x = aug(x)``), so a fix can move a statement of a chain.  The transform's own stages
    are shared by every application and stay unannotated."""
    if call is None:
        return stages
    out = []
    for s in stages:
        if "applied_call" in s.details:
            out.append(s)
            continue
        details = {**s.details, "applied_call": call.node, "applied_statement": call.statement}
        out.append(Stage(s.kind, s.label, s.node, s.range_sensitive, s.mode, s.module, details))
    return tuple(out)


def is_augmentation_only(t: Transform) -> bool:
    """A layer or Sequential that only augments (a fold candidate)."""
    stages = t.output.stages if t.kind == "sequential" and t.output is not None else t.stages
    return (t.kind in ("layer", "sequential") and any(s.kind == AUGMENT for s in stages)
            and all(s.kind in (AUGMENT, NEUTRAL) for s in stages))
