"""Where a pipeline stage sits in the source, and the codemod action that takes it out.

A stage is removable when it is one list element of a ``Sequential``, one keyword of a call
(``rescale=1./255``), one statement of a chain (``x = x / 255.0``), or an expression whose
operand can take its place (``tf.cast(x, tf.float32) / 255.0`` becomes ``tf.cast(x, tf.float32)``).
A ``.map`` whose function becomes the identity is dropped entirely.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from codemods.actions import Composite, RemoveArg, RemoveImportIfUnused, RemoveElement, RemoveStatement, ReplaceExpression
from fixorder.analysis import syntax
from fixorder.analysis.values import Stage
from fixorder.rules.context import RuleContext


def parents(ctx: RuleContext) -> dict[int, cst.CSTNode]:
    return ctx.positions.parents()


def parent(ctx: RuleContext, node: cst.CSTNode) -> cst.CSTNode | None:
    return parents(ctx).get(id(node))


@dataclass
class Removal:
    action: object
    description: str  # what is removed, e.g. "the Rescaling(1 / 255) element"


def code(ctx: RuleContext, node: cst.CSTNode) -> str:
    return ctx.positions.code_for(node)


def list_element(ctx: RuleContext, node: cst.CSTNode) -> tuple[cst.List | cst.Tuple, cst.Element] | None:
    """``(list, element)`` when ``node`` is directly an element of a ``Sequential([...])`` list."""
    element = parent(ctx, node)
    container = parent(ctx, element) if element is not None else None
    if isinstance(element, cst.Element) and isinstance(container, (cst.List, cst.Tuple)):
        holder = parent(ctx, container)
        if isinstance(holder, cst.Arg):
            return container, element
    return None


def removal(ctx: RuleContext, stage: Stage) -> Removal | None:
    """The action that deletes ``stage`` from its pipeline, or None when it cannot be isolated."""
    node = stage.node
    details = stage.details
    if "chain" in details:
        return None  # several steps compose into this one: which to delete is the user's choice
    if details.get("generator_arg") == "rescale" and isinstance(node, cst.Arg):
        call = parent(ctx, node)
        # rescale= may come from a dict(...) expanded as **settings, which other calls may share.
        if isinstance(call, cst.Call) and not syntax.is_literal_name(call.func, "dict"):
            return Removal(RemoveArg(call, node), f"the `{code(ctx, node).strip().rstrip(',')}` argument")
        return None
    arg_node = details.get("arg_node")
    if details.get("generator_arg") == "preprocessing_function" and isinstance(arg_node, cst.Arg):
        if details.get("callee") is not arg_node.value or not isinstance(node, cst.Call):
            return None  # the function does more than this one step
        return Removal(RemoveArg(node, arg_node), f"the `{code(ctx, arg_node).strip().rstrip(',')}` argument")
    if isinstance(node, cst.AugAssign):
        line = parent(ctx, node)
        if isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1 and _block_keeps_statement(ctx, line):
            return Removal(RemoveStatement(line), f"the statement `{code(ctx, node).strip()}`")
        return None
    placed = list_element(ctx, node)
    if placed is not None and isinstance(node, cst.Call):
        container, element = placed
        if len(container.elements) == 1:
            return None  # an empty Sequential is not a valid model: leave the choice to the user
        return Removal(RemoveElement(container, element), f"the `{code(ctx, node)}` layer")
    expression, operand = _applied_expression(ctx, stage)
    if expression is None or operand is None:
        return None
    return replace_with_operand(ctx, expression, operand)


def _applied_expression(ctx: RuleContext, stage: Stage) -> tuple[cst.CSTNode | None, cst.BaseExpression | None]:
    """The expression that applies ``stage`` to the image, and the image expression inside it."""
    node = stage.node
    if isinstance(node, cst.BinaryOperation):
        first = stage.details.get("first_node", node)
        if not isinstance(first, cst.BinaryOperation):
            return None, None
        return node, _image_side(first)
    if not isinstance(node, cst.Call):
        return None, None
    callee = stage.details.get("callee")
    if callee is not None and callee is node.func:  # pi(x)
        return node, _single_arg(node)
    if callee is not None and isinstance(node.func, cst.Attribute) and node.func.attr.value == "map" \
            and len(node.args) == 1 and node.args[0].value is callee:  # ds.map(pi)
        return node, node.func.value
    outer = parent(ctx, node)
    if isinstance(outer, cst.Call) and outer.func is node:  # Rescaling(1 / 255)(x)
        return outer, _single_arg(outer)
    return None, None


def _single_arg(call: cst.Call) -> cst.BaseExpression | None:
    positional = [a for a in call.args if a.keyword is None and not a.star]
    if len(positional) == 1 and all(a.keyword is None or a.keyword.value == "training" for a in call.args):
        return positional[0].value
    return None


def _is_literal(node: cst.BaseExpression) -> bool:
    if isinstance(node, (cst.Integer, cst.Float)):
        return True
    if isinstance(node, cst.UnaryOperation):
        return _is_literal(node.expression)
    if isinstance(node, cst.BinaryOperation):
        return _is_literal(node.left) and _is_literal(node.right)
    return False


def _image_side(op: cst.BinaryOperation) -> cst.BaseExpression | None:
    left, right = _is_literal(op.left), _is_literal(op.right)
    if right and not left:
        return op.left
    if left and not right and isinstance(op.operator, (cst.Multiply, cst.Add)):
        return op.right
    return None


def _block_keeps_statement(ctx: RuleContext, line: cst.CSTNode) -> bool:
    block = parent(ctx, line)
    body = getattr(block, "body", None)
    return isinstance(body, (list, tuple)) and len(body) > 1


def _assignment_to_itself(ctx: RuleContext, expression: cst.CSTNode, operand: cst.BaseExpression) -> cst.CSTNode | None:
    """The statement line when it is ``name = <expression of name>``."""
    assign = parent(ctx, expression)
    line = parent(ctx, assign) if assign is not None else None
    if isinstance(assign, cst.Assign) and len(assign.targets) == 1 and isinstance(line, cst.SimpleStatementLine) \
            and len(line.body) == 1 and assign.value is expression:
        target = assign.targets[0].target
        if isinstance(target, cst.Name) and isinstance(operand, cst.Name) and target.value == operand.value:
            return line
    return None


def replace_with_operand(ctx: RuleContext, expression: cst.CSTNode, operand: cst.BaseExpression) -> Removal | None:
    what = code(ctx, expression).strip()
    line = _assignment_to_itself(ctx, expression, operand)
    if line is not None and _block_keeps_statement(ctx, line):
        return Removal(RemoveStatement(line), f"the statement `{code(ctx, line).strip()}`")
    folded = _fold_into_next_link(ctx, expression, operand)
    if folded is not None:
        return folded
    dropped_map = _identity_map(ctx, expression, operand)
    if dropped_map is not None:
        return dropped_map
    text = code(ctx, operand).strip()
    holder = parent(ctx, expression)
    if isinstance(holder, (cst.BinaryOperation, cst.UnaryOperation, cst.Attribute, cst.Subscript)) and \
            not isinstance(operand, (cst.Name, cst.Attribute, cst.Call, cst.Subscript)) and not operand.lpar:
        text = f"({text})"
    return Removal(ReplaceExpression(expression, text), f"`{what}` (keeping `{text}`)")


def _identity_map(ctx: RuleContext, expression: cst.CSTNode, operand: cst.BaseExpression) -> Removal | None:
    """``ds.map(lambda x, y: (step(x), y))`` whose lambda would become the identity: drop the map."""
    lam: cst.CSTNode | None = None
    node = parent(ctx, expression)
    if isinstance(node, cst.Lambda) and node.body is expression:
        lam, returned = node, [operand]
    elif isinstance(node, cst.Element):
        tup = parent(ctx, node)
        lam = parent(ctx, tup) if isinstance(tup, cst.Tuple) else None
        if not isinstance(lam, cst.Lambda) or lam.body is not tup:
            return None
        returned = [operand if e is node else e.value for e in tup.elements]
    else:
        return None
    params = [p.name.value for p in lam.params.params]
    if len(params) != len(returned) or lam.params.star_arg not in (None, cst.MaybeSentinel.DEFAULT) \
            or any(not isinstance(v, cst.Name) or v.value != name for v, name in zip(returned, params)):
        return None
    arg = parent(ctx, lam)
    call = parent(ctx, arg) if isinstance(arg, cst.Arg) else None
    if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) and call.func.attr.value == "map"
            and len(call.args) == 1):
        return None
    receiver = call.func.value
    line = _assignment_to_itself(ctx, call, receiver)
    if line is not None and _block_keeps_statement(ctx, line):
        return Removal(RemoveStatement(line), f"the statement `{code(ctx, line).strip()}`")
    return Removal(ReplaceExpression(call, code(ctx, receiver).strip()), f"the `.map({code(ctx, lam)})` call")


def _fold_into_next_link(ctx: RuleContext, expression: cst.CSTNode, operand: cst.BaseExpression) -> Removal | None:
    """``x = inputs / 255.0`` followed by ``x = f(x)``: drop the first, call ``f(inputs)``."""
    assign = parent(ctx, expression)
    line = parent(ctx, assign) if assign is not None else None
    if not (isinstance(assign, cst.Assign) and assign.value is expression and len(assign.targets) == 1
            and isinstance(assign.targets[0].target, cst.Name) and isinstance(line, cst.SimpleStatementLine)
            and len(line.body) == 1):
        return None
    name = assign.targets[0].target.value
    block = parent(ctx, line)
    body = list(getattr(block, "body", ()))
    index = next((i for i, s in enumerate(body) if s is line), None)
    if index is None or index + 1 >= len(body):
        return None
    following = body[index + 1]
    link = following.body[0] if isinstance(following, cst.SimpleStatementLine) and len(following.body) == 1 else None
    if not (isinstance(link, cst.Assign) and len(link.targets) == 1 and isinstance(link.targets[0].target, cst.Name)
            and link.targets[0].target.value == name):
        return None
    uses = [n for n in names_in(link.value) if n.value == name]
    if len(uses) != 1:
        return None
    text = code(ctx, operand).strip()
    return Removal(Composite([RemoveStatement(line), ReplaceExpression(uses[0], text)]),
                   f"the statement `{code(ctx, line).strip()}` and use `{text}` in the next one")


class _Names(cst.CSTVisitor):
    """Names read in an expression (attribute names and keywords are not reads)."""

    def __init__(self) -> None:
        self.names: list[cst.Name] = []

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        node.value.visit(self)
        return False

    def visit_Name(self, node: cst.Name) -> None:
        self.names.append(node)


def names_in(node: cst.CSTNode) -> list[cst.Name]:
    visitor = _Names()
    node.visit(visitor)
    return visitor.names


def describe(ctx: RuleContext, stage: Stage) -> str:
    """How a stage reads in a message: the generator keyword as written, else its label."""
    if stage.details.get("generator_arg") == "rescale" and isinstance(stage.node, cst.Arg):
        return code(ctx, stage.node).strip().rstrip(",").strip()
    return stage.label


def enclosing_function(ctx: RuleContext, node: cst.CSTNode) -> cst.FunctionDef | None:
    current = parent(ctx, node)
    while current is not None and not isinstance(current, cst.FunctionDef):
        current = parent(ctx, current)
    return current


def crosses_functions(ctx: RuleContext, stage: Stage, pipelines: list) -> bool:
    """True when the step lives in another function than the one where the image meets the
    backbone: the function may have other callers (in this file or another)."""
    home = enclosing_function(ctx, stage.node)
    return any(enclosing_function(ctx, p.node) is not home for p in pipelines)


def import_if_unused(ctx: RuleContext, callee: cst.BaseExpression) -> RemoveImportIfUnused | None:
    """Drop the ``from X import root`` binding the first name of ``callee`` if a fix leaves it unused."""
    node = callee
    while isinstance(node, cst.Attribute):
        node = node.value
    if not isinstance(node, cst.Name):
        return None
    for statement in ctx.module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if not isinstance(small, cst.ImportFrom) or isinstance(small.names, cst.ImportStar) \
                    or small.module is None or small.relative:
                continue
            for alias in small.names:
                bound = alias.asname.name.value if alias.asname is not None else code(ctx, alias.name)
                if bound == node.value:
                    return RemoveImportIfUnused(code(ctx, small.module), code(ctx, alias.name),
                                                bound if alias.asname is not None else None)
    return None
