"""FO107 preprocess-input-in-place

## What it does
Checks for `preprocess_input(x)` called on a float NumPy array `x` that the code reads again
afterwards.  It reports only what it can prove within one block of statements: `x` was bound
in that block to a float NumPy array (`img_to_array(...)`, `arr.astype("float32")`,
`np.array(..., dtype="float32")`, or `np.expand_dims` of one of those), the call does not
rebind `x` (`x = preprocess_input(x)` is fine), and a later statement reads `x` before
rebinding it.  Only Keras' own `preprocess_input` (tf, torch or caffe mode) counts; a user
function with the same name does not.

## Why is this bad?
In the tf, torch and caffe modes `preprocess_input` works in place on float NumPy input
(`x /= 127.5; x -= 1.0`): the caller's array is overwritten and the function returns it.
Code that goes on to display `x`, save it, or preprocess it again for a second model sees
preprocessed values; preprocessing it again gives [-1.008, -0.992] (measured,
domain/backbones.md).  Integer arrays are copied to float32 first and are not affected.

## Example
```python
x = keras.utils.img_to_array(image)[None]
predictions = model.predict(mobilenet_v2.preprocess_input(x))
plt.imshow(x[0] / 255.0)  # x is now in [-1, 1]
```

## Use instead
```python
x = keras.utils.img_to_array(image)[None]
predictions = model.predict(mobilenet_v2.preprocess_input(x.copy()))
plt.imshow(x[0] / 255.0)
```

## Fix safety
No fix is offered: whether the later use wants the raw or the preprocessed values is the
author's decision (pass `x.copy()`, or use the returned array explicitly).
"""

from __future__ import annotations

from typing import Iterable, Iterator

import libcst as cst

from fixorder.analysis import names, syntax
from fixorder.findings import Finding
from fixorder.rules.context import RuleContext
from fixorder.rules.edits import names_in

CODE = "FO107"
NAME = "preprocess-input-in-place"
SUMMARY = "preprocess_input overwrites a float NumPy array that is used again afterwards"

FLOAT_DTYPES = {"float", "float16", "float32", "float64", "half", "single", "double"}
IMG_TO_ARRAY = {"utils.img_to_array", "preprocessing.image.img_to_array"}


def check(ctx: RuleContext) -> Iterable[Finding]:
    # Every reference to a Keras preprocess_input (import, alias, attribute) spells the name.
    if "preprocess_input" not in ctx.source:
        return
    for body, index, call in calls_in_simple_statements(ctx.module):
        mode = _keras_preprocess_mode(ctx, call)
        if mode is None or mode == "identity":
            continue
        positional = [a for a in call.args if a.keyword is None and not a.star]
        if not positional or not isinstance(positional[0].value, cst.Name):
            continue
        name = positional[0].value.value
        if name in _assigned(body[index]) or not _float_numpy(ctx, body[:index], name):
            continue
        reuse = _next_read(body[index + 1:], name)
        if reuse is None:
            continue
        line = ctx.range_of(reuse).start.line
        message = (f"preprocess_input ({mode} mode) overwrites the float NumPy array `{name}` in place, "
                   f"and `{name}` is read again on line {line}, where it holds preprocessed values; "
                   f"pass `{name}.copy()` if the raw pixels are still needed")
        yield ctx.finding(call, CODE, NAME, message)


# Where a simple statement's blocks live in compound statements (and their else/except/
# finally/case parts).  A one-line suite (``if x: y = f(x)``) is not a block of statements.
_SUITE_FIELDS = ("body", "orelse", "handlers", "finalbody", "cases")


def calls_in_simple_statements(module: cst.Module) -> Iterator[tuple[list, int, cst.Call]]:
    """(the block's statements, the index of a simple statement, a call inside it) for every
    call that a later read can be ordered after: not inside a lambda, and in a statement line
    of the module or of an indented block (not in a compound statement's header).

    A walk over the syntax tree's fields, not ``SourceMap``: a file without findings then never
    pays for the code-generation pass (~15 ms on a training script; this walk ~2 ms).
    """
    for block in _blocks(module):
        body = list(block.body)
        for index, statement in enumerate(body):
            if isinstance(statement, cst.SimpleStatementLine):
                for call in _calls(statement):
                    yield body, index, call


def _blocks(node: cst.CSTNode) -> Iterator[cst.Module | cst.IndentedBlock]:
    if isinstance(node, (cst.Module, cst.IndentedBlock)):
        yield node
        for statement in node.body:
            if isinstance(statement, cst.BaseCompoundStatement):
                yield from _blocks(statement)
        return
    for name in _SUITE_FIELDS:
        part = getattr(node, name, None)
        for item in part if isinstance(part, (list, tuple)) else (part,):
            if isinstance(item, cst.CSTNode) and not isinstance(item, cst.BaseExpression):
                yield from _blocks(item)


def _calls(statement: cst.SimpleStatementLine) -> list[cst.Call]:
    """The calls in ``statement`` outside lambdas, in source order."""
    found: list[cst.Call] = []
    stack: list[cst.CSTNode] = [statement]
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind is cst.Lambda:
            continue
        if kind is cst.Call:
            found.append(node)
        children = list(syntax.code_children(node))
        stack.extend(reversed(children))
    return found


def _qualified(ctx: RuleContext, node: cst.BaseExpression) -> str | None:
    """The imported dotted name ``node`` spells, through module-level imports bound once."""
    parts: list[str] = []
    while isinstance(node, cst.Attribute):
        parts.insert(0, node.attr.value)
        node = node.value
    if not isinstance(node, cst.Name) or ctx.analysis.binding_counts.get(node.value, 0) != 1:
        return None
    root = ctx.analysis.imports.get(node.value)
    return ".".join([root, *parts]) if root else None


def _keras_preprocess_mode(ctx: RuleContext, call: cst.Call) -> str | None:
    qualified = _qualified(ctx, call.func)
    canon = names.canonical(qualified) if qualified else None
    if canon is None:
        return None
    parts = canon[1].split(".")
    if len(parts) != 3 or parts[0] != "applications" or parts[2] != "preprocess_input":
        return None
    if parts[1] == "imagenet_utils":
        return ctx.catalog.imagenet_utils_default_mode
    return ctx.catalog.mode_of_module(parts[1])


def _assigned(statement: cst.CSTNode) -> set[str]:
    out: set[str] = set()

    class Visitor(cst.CSTVisitor):
        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            out.update(n.value for n in _target_names(node.target))

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            out.update(n.value for n in _target_names(node.target))

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            out.update(n.value for n in _target_names(node.target))

        def visit_For(self, node: cst.For) -> None:
            out.update(n.value for n in _target_names(node.target))

    statement.visit(Visitor())
    return out


def _target_names(target: cst.BaseExpression) -> list[cst.Name]:
    if isinstance(target, cst.Name):
        return [target]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [n for e in target.elements for n in _target_names(e.value)]
    return []


def _binding(before: list, name: str) -> cst.BaseExpression | None:
    """The value of the last ``name = value`` among ``before``; None if bound otherwise."""
    for statement in reversed(before):
        if name not in _assigned(statement):
            continue
        small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 \
            else None
        if isinstance(small, cst.Assign) and len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name):
            return small.value
        return None
    return None


def _float_numpy(ctx: RuleContext, before: list, name: str, depth: int = 0) -> bool:
    value = _binding(before, name)
    return value is not None and depth < 8 and _float_numpy_expression(ctx, before, value, depth)


def _float_numpy_expression(ctx: RuleContext, before: list, value: cst.BaseExpression, depth: int) -> bool:
    if isinstance(value, cst.Subscript):  # arr[None], arr[0]: a view of the same array
        return _float_numpy_expression(ctx, before, value.value, depth + 1)
    if isinstance(value, cst.Name):
        return False  # an alias of another array: its other name may be the one reused
    if not isinstance(value, cst.Call):
        return False
    func = value.func
    if isinstance(func, cst.Attribute) and func.attr.value == "astype":
        return bool(value.args) and _float_dtype(ctx, value.args[0].value)
    qualified = _qualified(ctx, func) or ""
    canon = names.canonical(qualified)
    if canon is not None and canon[1] in IMG_TO_ARRAY:
        dtype = next((a.value for a in value.args if a.keyword and a.keyword.value == "dtype"), None)
        return dtype is None or _float_dtype(ctx, dtype)
    if qualified == "numpy.array":
        dtype = next((a.value for a in value.args if a.keyword and a.keyword.value == "dtype"), None)
        return dtype is not None and _float_dtype(ctx, dtype)
    if qualified == "numpy.expand_dims" and value.args:
        inner = value.args[0].value
        if isinstance(inner, cst.Name):
            return _float_numpy(ctx, before, inner.value, depth + 1)
        return _float_numpy_expression(ctx, before, inner, depth + 1)
    return False


def _float_dtype(ctx: RuleContext, node: cst.BaseExpression) -> bool:
    if isinstance(node, cst.SimpleString):
        return node.evaluated_value in FLOAT_DTYPES
    if isinstance(node, cst.Name):
        return node.value == "float"
    qualified = _qualified(ctx, node) or ""
    return qualified.startswith("numpy.") and qualified.rsplit(".", 1)[1] in FLOAT_DTYPES


def _next_read(after: list, name: str) -> cst.Name | None:
    for statement in after:
        if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            continue  # a definition reads nothing until it is called
        reads = [n for n in _reads(statement) if n.value == name]
        if reads:
            return reads[0]
        if name in _assigned(statement):
            return None
    return None


def _reads(statement: cst.CSTNode) -> list[cst.Name]:
    """Names read by a statement: everything but assignment targets."""
    targets = {id(n) for n in _all_targets(statement)}
    return [n for n in names_in(statement) if id(n) not in targets]


def _all_targets(statement: cst.CSTNode) -> list[cst.Name]:
    out: list[cst.Name] = []

    class Visitor(cst.CSTVisitor):
        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            out.extend(_target_names(node.target))

        def visit_For(self, node: cst.For) -> None:
            out.extend(_target_names(node.target))

    statement.visit(Visitor())
    return out
