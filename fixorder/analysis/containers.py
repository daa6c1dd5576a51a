"""Python lists of images and NumPy arrays filled by index.

Training scripts often read images one at a time: appended to a list in a loop (or built by a
comprehension) and stacked with ``np.array(list)``, or written into a preallocated
``np.zeros((n, h, w, 3))`` by ``x[i] = img``.  A list or array whose elements all carry one image
flow is that flow, as branches join (constants.join_elements); anything unknown put into it
makes it unknown.
"""

from __future__ import annotations

import libcst as cst

from fixorder.analysis import constants, ranges
from fixorder.analysis.values import UNKNOWN_VALUE, EmptyArray, Flow, ListOf, TupleValue, Value

# List methods that add elements: how many of the call's arguments are elements, or "items"
# when the first argument is a sequence of them.
GROWING_METHODS = {"append": "one", "extend": "items"}


def elements_of(value: Value | None) -> list[Value] | None:
    """The elements of a list value (a literal list or tuple, a ListOf); None for anything else."""
    if isinstance(value, ListOf):
        return [value.element]
    if isinstance(value, TupleValue):
        return list(value.items)
    return None


def grown(current: Value, method: str, args: list[Value]) -> Value:
    """``current.append(x)`` / ``current.extend(xs)`` / ``current += xs``: the list afterwards."""
    items = elements_of(current)
    if items is None or len(args) != 1:
        return UNKNOWN_VALUE
    if GROWING_METHODS[method] == "one":
        added = [args[0]]
    else:
        added = elements_of(args[0])
        if added is None:
            return UNKNOWN_VALUE  # extended by something that is not a known list
    if isinstance(current, TupleValue) and (GROWING_METHODS[method] == "one" or isinstance(args[0], TupleValue)):
        # A literal list grown on a straight path is still exact (``layers.append(head)``); a
        # loop's paths join into a ListOf (constants.join).
        return TupleValue(current.items + tuple(added))
    return constants.list_of(items + added)


def stacked(value: Value | None) -> Value:
    """The array ``np.array(images)`` / ``np.stack`` / ``np.concatenate`` makes of a list: the
    one image flow its elements carry (nested lists too); a flow itself is kept."""
    if isinstance(value, Flow):
        return value
    items = elements_of(value)
    if not items:
        return UNKNOWN_VALUE
    element = constants.join_elements(items)
    if isinstance(element, (ListOf, TupleValue)):
        element = stacked(element)
    if not isinstance(element, Flow) or element.dataset:
        return UNKNOWN_VALUE
    return element.with_dataset(False)


def written(current: Value, value: Value, node: cst.CSTNode) -> Value:
    """``x[i] = value`` where ``x`` is an EmptyArray or the flow already written into one: the
    array's value afterwards (the written images in the array's dtype).  Writing anything but an
    image makes it unknown, and so does a float image written into an integer array (its values
    would be truncated)."""
    array = current if isinstance(current, EmptyArray) else getattr(current, "array", None)
    if array is None or not isinstance(value, Flow) or value.dataset or value.features:
        return UNKNOWN_VALUE
    if not ranges.stores_unchanged(array.dtype, ranges.dtype_of(value)):
        return UNKNOWN_VALUE
    kept = ranges.with_dtype(value, array.dtype, node, "written into an array")
    stored = Flow(kept.origin, kept.stages, False, False, kept.fold_site, array=array)
    if isinstance(current, EmptyArray):
        return stored
    return constants.join_elements([current, stored])
