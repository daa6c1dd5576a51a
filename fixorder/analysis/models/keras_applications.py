"""``keras.applications``: pretrained backbone constructors and ``preprocess_input``.

Which names are backbones, and which mode each module's ``preprocess_input`` implements, is
catalogue data (catalog/backbones.json); this model only reads the call.
"""

from __future__ import annotations

import libcst as cst

from fixorder.analysis import syntax
from fixorder.analysis.calls import Call
from fixorder.analysis.models.registry import KERAS, Callee, calls_prefixed
from fixorder.analysis.values import (
    MODEL_INPUT, OPAQUE, PREPROCESS, UNKNOWN, UNKNOWN_VALUE, BackboneLayer, BackboneLayers, BackboneUse, Entry,
    Flow, Number, Origin, Pipeline, Stage, Transform, Value,
)
from fixorder.catalog import api


@calls_prefixed(KERAS + "applications.")
def applications(it, call: Call, callee: Callee) -> Value | None:
    parts = callee.path.split(".")
    last = parts[-1]
    if last in it.catalog.backbones and (len(parts) == 2 or parts[1] in it.catalog.backbone_modules):
        return backbone(it, call, callee)
    if last == "preprocess_input" and len(parts) == 3:
        return preprocess_input(it, call, parts[1])
    return None


def preprocess_input(it, call: Call, module: str) -> Value | None:
    first = call.first
    if module == "imagenet_utils":
        mode_value = call.kwargs.get("mode")
        mode_node = call.kwarg_nodes.get("mode")
        mode = syntax.string(mode_node.value) if mode_node is not None else it.catalog.imagenet_utils_default_mode
        if mode_value is not None and mode is None:
            return first.then(Stage(OPAQUE, "imagenet_utils.preprocess_input", call.node)) \
                if isinstance(first, Flow) else UNKNOWN_VALUE
    else:
        mode = it.catalog.mode_of_module(module)
    if mode is None:
        return None
    if isinstance(first, Flow):
        return first.then(Stage(PREPROCESS, f"{module}.preprocess_input", call.node, mode=mode, module=module,
                                details={"callee": call.callee, "statement": call.statement}))
    return UNKNOWN_VALUE


def backbone(it, call: Call, callee: Callee) -> Value:
    entry = it.catalog.backbones[callee.last]
    weights = call.kwarg_nodes.get("weights")
    weights_none = weights is not None and syntax.is_literal_name(weights.value, "None")
    flag_node = call.kwarg_nodes.get("include_preprocessing")
    flag: bool | None = None
    unknown_flag = False
    if flag_node is not None:
        if syntax.is_literal_name(flag_node.value, "True", "False"):
            flag = flag_node.value.value == "True"
        else:
            unknown_flag = True
    use = BackboneUse(entry, call.node, call.node.func, callee.qualified, callee.framework, weights_none, flag,
                      unknown_flag)
    use.speculative = it.speculative
    it.result.backbones.append(use)
    t = Transform(call.node, "backbone", backbone=use)
    tensor = call.kwargs.get("input_tensor")
    if tensor is not None and not syntax.is_literal_name(call.kwarg_nodes["input_tensor"].value, "None"):
        flow = tensor if isinstance(tensor, Flow) else Flow(Origin(UNKNOWN, call.node, "unknown tensor"))
        entry_ = Entry("wrap", call.kwarg_nodes["input_tensor"].value, statement=call.statement)
        it.record(Pipeline(flow.origin, flow.stages, use, entry_, call.node, flow.fold_site))
        # The backbone's own input is the tensor's placeholder: feeding the model feeds it.
        it.backbone_inputs[t] = flow.origin
    return t


def backbone_input(it, t: Transform, node: cst.CSTNode) -> Origin:
    """``base.input``: the backbone's own input placeholder, fed when the model built on it is."""
    if t not in it.backbone_inputs:
        use = t.backbone
        origin = Origin(MODEL_INPUT, node, f"{use.catalog.name}.input", substitutable=True,
                        dtype=api.MODEL_INPUT_DTYPE)
        it.backbone_inputs[t] = origin
        entry = Entry("none", None, reason=f"the model is built on {use.catalog.name}'s own input "
                                           "(base.input); rebuild it with input_tensor= to insert preprocessing")
        it.record(Pipeline(origin, (), use, entry, use.node))
    return it.backbone_inputs[t]


# The names Keras gives a backbone's input layer (``input_1``, ``input_layer``...).
INPUT_LAYER_PREFIX = "input"


def backbone_attribute(it, t: Transform, attr: str, node: cst.CSTNode) -> Value | None:
    """``base.input``, ``base.output``, ``base.layers`` of a pretrained backbone."""
    if t.backbone is None:
        return None
    if attr in ("input", "inputs"):
        return Flow(backbone_input(it, t, node))
    if attr in ("output", "outputs"):
        return Flow(backbone_input(it, t, node), features=True)
    if attr == "layers":
        return BackboneLayers(t)
    return None


def layer_of(t: Transform, index: Value | None) -> Value:
    """``base.layers[index]``: only a literal index says which layer."""
    if isinstance(index, Number) and float(index.value).is_integer():
        return BackboneLayer(t, int(index.value))
    return UNKNOWN_VALUE


def get_layer(t: Transform, call: Call) -> Value:
    """``base.get_layer(name)`` / ``get_layer(index=i)``."""
    index = call.kwargs.get("index")
    if index is not None:
        return layer_of(t, index)
    name_node = call.arg_nodes[0].value if call.arg_nodes else (
        call.kwarg_nodes["name"].value if "name" in call.kwarg_nodes else None)
    name = syntax.string(name_node) if name_node is not None else None
    if name is None:
        return UNKNOWN_VALUE
    return BackboneLayer(t, 0 if name.startswith(INPUT_LAYER_PREFIX) else None)


def layer_attribute(it, layer: BackboneLayer, attr: str, node: cst.CSTNode) -> Value:
    """A backbone layer's ``input``/``output``: the backbone's input for its input layer (index
    0), the backbone's features for any layer after it."""
    t = layer.backbone
    if attr not in ("input", "inputs", "output", "outputs"):
        return UNKNOWN_VALUE
    origin = backbone_input(it, t, node)
    return Flow(origin, features=layer.index != 0)
