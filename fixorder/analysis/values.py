"""Abstract values of the image-flow interpreter.

A ``Flow`` is an image tensor (or a dataset of them) described by where it came from
(``Origin``) and the ordered ``Stage``s applied to it.  A ``Transform`` is something that can
be applied to a flow: a layer, a ``Sequential``, a Functional or subclassed model, a backbone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from fixorder.catalog import Backbone

# Stage kinds.
AUGMENT = "augment"
PREPROCESS = "preprocess"  # a family's preprocess_input or an exact equivalent
SCALE = "scale"  # an affine rescale that is not a preprocess mode (x / 255, Rescaling(1/255))
NORMALIZE = "normalize"  # statistics-based normalization (Normalization, per_image_standardization)
NEUTRAL = "neutral"  # keeps values (resize, crop, cast)
OPAQUE = "opaque"  # unknown effect on values

# Origin kinds.
RAW = "raw"  # known raw pixels [0, 255]
MODEL_INPUT = "model-input"  # a model's input; raw unless data linked in the file says otherwise
PARAM = "param"  # a function parameter never bound to known data
UNKNOWN = "unknown"


class Value:
    """Base of every abstract value."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


class UnknownValue(Value):
    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN_VALUE = UnknownValue()


@dataclass(eq=False, repr=False)
class Ref(Value):
    """An imported name or an attribute path below one (``tensorflow.keras.applications``)."""

    qualified: str
    node: cst.BaseExpression


@dataclass(eq=False, repr=False)
class Origin:
    kind: str
    node: cst.CSTNode | None
    label: str
    # Model inputs are placeholders: feeding the model substitutes real data for them.
    substitutable: bool = False
    # The element dtype the source yields ("uint8", "float32", ...), None when unknown.  Stages
    # that change it say so in ``details["dtype"]`` (see ranges.dtype_of).
    dtype: str | None = None


@dataclass(eq=False, repr=False)
class Stage:
    kind: str
    label: str
    node: cst.CSTNode
    range_sensitive: bool = False
    mode: str | None = None  # PREPROCESS: tf / torch / caffe / identity; SCALE: target contract
    module: str | None = None  # PREPROCESS: the applications module its function comes from
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(eq=False, repr=False)
class Flow(Value):
    origin: Origin
    stages: tuple[Stage, ...] = ()
    dataset: bool = False
    features: bool = False  # already went through a backbone: no longer an image
    # The call of a named augmentation transform that produced the last augmentation
    # (a FoldSite), kept while only value-neutral stages follow it.
    fold_site: Any = None
    # The EmptyArray (``np.zeros(shape)``) this flow was written into by index, while nothing
    # else changed it: a further write joins into it (any stage applied drops it).
    array: Any = None

    def then(self, *stages: Stage) -> Flow:
        keep = self.fold_site if all(s.kind == NEUTRAL for s in stages) else None
        return Flow(self.origin, self.stages + stages, self.dataset, self.features, keep)

    def with_dataset(self, dataset: bool) -> Flow:
        """The same images as a dataset of them (True) or as one batch or array (False); the
        array it was written into is left behind."""
        return Flow(self.origin, self.stages, dataset, self.features, self.fold_site)


@dataclass(eq=False, repr=False)
class FoldSite:
    """``aug(x, training=True)``: a call of an augmentation-only transform bound to a name."""

    call: cst.Call
    transform: Any  # Transform
    binding_statement: cst.CSTNode  # the statement that binds the transform's name
    binding_scope: cst.CSTNode | None  # FunctionDef holding that statement, None at module level
    call_scope: cst.CSTNode | None  # FunctionDef/Lambda-holding FunctionDef of the call site


@dataclass(eq=False, repr=False)
class BackboneUse:
    """One call of a catalogue constructor (``MobileNetV2(include_top=False)``)."""

    catalog: Backbone
    node: cst.Call
    callee: cst.BaseExpression
    qualified: str
    framework: str
    weights_none: bool
    include_preprocessing: bool | None  # the literal value passed, None when absent
    include_preprocessing_unknown: bool  # passed, but not as a literal
    weights_loaded_later: bool = False
    speculative: bool = False  # built only when pruned code was analysed again (never runs here)

    def node_keyword_source(self, keyword: str) -> str | None:
        """Source text of a literal keyword argument of the constructor call, if any."""
        for arg in self.node.args:
            if arg.keyword is not None and arg.keyword.value == keyword:
                # Repeating the expression is exact only if evaluating it has no side effect.
                if _pure(arg.value):
                    return cst.Module([]).code_for_node(arg.value)
        return None

    @property
    def has_contract(self) -> bool:
        return not self.weights_none or self.weights_loaded_later

    @property
    def contract(self) -> str | None:
        if self.include_preprocessing_unknown:
            return None
        return self.catalog.contract(self.include_preprocessing)


@dataclass(eq=False, repr=False)
class Entry:
    """Where an image enters a backbone, i.e. where a fix can insert preprocessing.

    kind ``wrap``: the expression ``node`` is the backbone's input; wrap it in a call.
    kind ``seq``: ``node`` is the backbone's ``cst.Element`` in the ``Sequential`` list ``container``.
    kind ``add``: ``node`` is the statement ``model.add(backbone)``; ``container`` is ``model``'s expression.
    kind ``none``: no place to insert (``reason`` says why).
    """

    kind: str
    node: cst.CSTNode | None
    container: cst.CSTNode | None = None
    statement: cst.CSTNode | None = None
    reason: str = ""
    # seq/add: the backbone is the model's first layer, so it alone fixes the input shape.
    first: bool = False


@dataclass(eq=False, repr=False)
class Pipeline:
    origin: Origin
    stages: tuple[Stage, ...]
    backbone: BackboneUse
    entry: Entry
    node: cst.CSTNode  # where the data meets the backbone (reported position)
    # The expression that produced the last augmentation, for the fold strategy.
    fold_site: Any = None


@dataclass(eq=False, repr=False)
class Transform(Value):
    """A layer, Sequential, model or backbone object."""

    node: cst.CSTNode
    kind: str  # "layer", "sequential", "model", "backbone", "subclass"
    stages: tuple[Stage, ...] = ()  # for layers: the stages one call applies
    backbone: BackboneUse | None = None
    input_origin: Origin | None = None
    output: Flow | None = None
    list_node: cst.List | None = None
    # For fold: where an augmentation-only transform is bound (statement, name).
    binding: Any = None
    layer_count: int = 0  # Sequential: layers (and Input) given so far
    # Functional models with several inputs: every input's placeholder, in order.
    input_origins: tuple[Origin, ...] = ()
    instance: Any = None  # subclassed models: the Instance (its train_step / test_step)
    copied: set = field(default_factory=set)  # Sequential: backbones whose layers were added one by one


@dataclass(eq=False, repr=False)
class Generator(Value):
    """An ``ImageDataGenerator``: its augmentation and standardize() stages, in Keras' order."""

    node: cst.Call
    stages: tuple[Stage, ...]


@dataclass(eq=False, repr=False)
class Function(Value):
    node: cst.FunctionDef | cst.Lambda
    env: Any
    name: str
    owner: Any = None  # ClassValue for methods


@dataclass(eq=False, repr=False)
class ClassValue(Value):
    node: cst.ClassDef
    env: Any
    is_keras_model: bool
    methods: dict[str, Function] = field(default_factory=dict)


@dataclass(eq=False, repr=False)
class Instance(Value):
    cls: ClassValue
    attrs: dict[str, Value] = field(default_factory=dict)
    transform: Transform | None = None


@dataclass(eq=False, repr=False)
class TupleValue(Value):
    items: tuple[Value, ...]


@dataclass(eq=False, repr=False)
class Number(Value):
    value: float


def _pure(node: cst.CSTNode) -> bool:
    """Literals, names, tuples/lists and arithmetic of them (no calls, no attribute lookups)."""
    if isinstance(node, (cst.Integer, cst.Float, cst.Name)):
        return True
    if isinstance(node, (cst.Tuple, cst.List)):
        return all(_pure(e.value) for e in node.elements)
    if isinstance(node, cst.BinaryOperation):
        return _pure(node.left) and _pure(node.right)
    if isinstance(node, cst.Subscript):
        return _pure(node.value) and all(
            isinstance(s.slice, cst.Index) and _pure(s.slice.value) for s in node.slice)
    return False


@dataclass(eq=False, repr=False)
class Const(Value):
    """A known ``str``, ``bool`` or ``None`` constant (numbers are ``Number``)."""

    value: Any


@dataclass(eq=False, repr=False)
class DictValue(Value):
    """A dict with known string keys (``dict(a=1)``, ``{"a": 1}``): expands into ``**kwargs``."""

    items: dict[str, Value]
    # The node each key was written at (a ``dict(k=...)`` Arg or a ``{"k": ...}`` element):
    # API models read literal arguments from the nodes of expanded keywords.
    nodes: dict[str, Any] = field(default_factory=dict)



@dataclass(eq=False, repr=False)
class Elements(Value):
    """A Python iterable whose every element is ``element`` (``enumerate(ds)``, ``zip(a, b)``)."""

    element: Value


@dataclass(eq=False, repr=False)
class ListOf(Value):
    """A list built as the program runs (``append`` in a loop, a comprehension) whose every
    element is ``element`` (never UNKNOWN: a list with an unknown element is unknown)."""

    element: Value


@dataclass(eq=False, repr=False)
class EmptyArray(Value):
    """``np.zeros(shape)`` / ``np.empty(shape)``: no image yet.  Images written into it by index
    (``x[i] = img``) make it their flow, in the array's dtype."""

    node: cst.CSTNode
    dtype: str | None


@dataclass(eq=False, repr=False)
class BackboneLayer(Value):
    """``base.layers[i]`` or ``base.get_layer(name)``: a layer inside a pretrained backbone.

    ``index`` is the literal index (None for a layer picked by name); layer 0 is the input layer.
    """

    backbone: Transform
    index: int | None
    # The loop variable of ``for layer in base.layers``: every layer in turn, so adding it to a
    # Sequential copies the whole backbone in.
    every: bool = False


@dataclass(eq=False, repr=False)
class BackboneLayers(Value):
    """``base.layers``: the backbone's layer list."""

    backbone: Transform
