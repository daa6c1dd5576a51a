"""Fix actions and the one transformer that applies any set of them.

Rules describe a fix as an action that points at nodes of the analysed module (by identity);
``apply_actions`` performs them in one pass and adds the imports they need.  Every action
touches only the nodes it names, so the rest of the file keeps its bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from codemods.naming import Reference


@dataclass(eq=False)
class WrapExpression:
    """Replace ``node`` (an expression) with ``function(node)``."""

    node: cst.BaseExpression
    function: Reference


@dataclass(eq=False)
class InsertElement:
    """Insert ``code`` as a new element of ``container`` (a List) before ``before``."""

    container: cst.List | cst.Tuple
    before: cst.Element
    code: str
    references: tuple[Reference, ...] = ()


@dataclass(eq=False)
class InsertStatementBefore:
    """Insert the statement ``code`` before the statement ``before``."""

    before: cst.BaseStatement
    code: str
    references: tuple[Reference, ...] = ()


@dataclass(eq=False)
class InsertFunctionAfter:
    """Insert the function definition ``code`` after the statement ``after``."""

    after: cst.BaseStatement
    code: str
    references: tuple[Reference, ...] = ()


@dataclass(eq=False)
class RenameCall:
    """Call ``name`` instead of the callee of ``call`` (arguments unchanged)."""

    call: cst.Call
    name: str


@dataclass(eq=False)
class Composite:
    """Several actions that only make sense together (a fold: new function + call sites)."""

    parts: list = field(default_factory=list)


def flatten(actions) -> list:
    out = []
    for action in actions:
        if isinstance(action, Composite):
            out.extend(flatten(action.parts))
        else:
            out.append(action)
    return out


def references(action) -> list[Reference]:
    if isinstance(action, WrapExpression):
        return [action.function]
    return list(getattr(action, "references", ()))


class _Apply(cst.CSTTransformer):
    def __init__(self, actions: list):
        super().__init__()
        self.wraps = {id(a.node): a for a in actions if isinstance(a, WrapExpression)}
        self.renames = {id(a.call): a for a in actions if isinstance(a, RenameCall)}
        self.elements: dict[int, list[InsertElement]] = {}
        for a in actions:
            if isinstance(a, InsertElement):
                self.elements.setdefault(id(a.container), []).append(a)
        self.before: dict[int, list[InsertStatementBefore]] = {}
        self.after: dict[int, list[InsertFunctionAfter]] = {}
        for a in actions:
            if isinstance(a, InsertStatementBefore):
                self.before.setdefault(id(a.before), []).append(a)
            elif isinstance(a, InsertFunctionAfter):
                self.after.setdefault(id(a.after), []).append(a)
        self.applied = 0

    def on_leave(self, original_node, updated_node):
        updated_node = super().on_leave(original_node, updated_node)
        action = self.wraps.get(id(original_node))
        if action is not None and isinstance(updated_node, cst.BaseExpression):
            self.applied += 1
            inner = updated_node
            if inner.lpar:  # keep the user's parentheses outside the new call
                return cst.Call(func=cst.parse_expression(action.function.code),
                                args=[cst.Arg(inner.with_changes(lpar=[], rpar=[]))],
                                lpar=inner.lpar, rpar=inner.rpar)
            return cst.Call(func=cst.parse_expression(action.function.code), args=[cst.Arg(inner)])
        return updated_node

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        action = self.renames.get(id(original_node))
        if action is not None:
            self.applied += 1
            return updated_node.with_changes(func=cst.Name(action.name))
        return updated_node

    def _insert_elements(self, original_node, updated_node):
        actions = self.elements.get(id(original_node))
        if not actions:
            return updated_node
        originals = list(original_node.elements)
        updated = list(updated_node.elements)
        new_elements = []
        for index, (orig, element) in enumerate(zip(originals, updated)):
            for action in actions:
                if action.before is orig:
                    comma = _element_comma(originals, index)
                    new_elements.append(cst.Element(cst.parse_expression(action.code), comma=comma))
                    self.applied += 1
            new_elements.append(element)
        return updated_node.with_changes(elements=new_elements)

    def leave_List(self, original_node: cst.List, updated_node: cst.List) -> cst.BaseExpression:
        return self._insert_elements(original_node, updated_node)

    def leave_Tuple(self, original_node: cst.Tuple, updated_node: cst.Tuple) -> cst.BaseExpression:
        return self._insert_elements(original_node, updated_node)

    def _insert_statements(self, original_body, updated_body, at_module: bool):
        out = []
        changed = False
        for orig, stmt in zip(original_body, updated_body):
            for action in self.before.get(id(orig), ()):
                new = cst.parse_statement(action.code)
                new = new.with_changes(leading_lines=stmt.leading_lines)
                stmt = stmt.with_changes(leading_lines=[])
                out.append(new)
                self.applied += 1
                changed = True
            out.append(stmt)
            for action in {a.code: a for a in self.after.get(id(orig), ())}.values():
                blank = [cst.EmptyLine()] * (2 if at_module else 1)
                out.append(cst.parse_statement(action.code).with_changes(leading_lines=blank))
                self.applied += 1
                changed = True
                out.append(_SpaceNext(len(blank)))
        if not changed:
            return None
        result = []
        for i, stmt in enumerate(out):
            if isinstance(stmt, _SpaceNext):
                continue
            if i > 0 and isinstance(out[i - 1], _SpaceNext):
                lines = list(stmt.leading_lines)
                blank = 0
                while blank < len(lines) and lines[blank].comment is None:
                    blank += 1
                missing = out[i - 1].count - blank
                if missing > 0:
                    stmt = stmt.with_changes(leading_lines=[cst.EmptyLine()] * missing + lines)
            result.append(stmt)
        return result

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        body = self._insert_statements(original_node.body, updated_node.body, at_module=True)
        return updated_node if body is None else updated_node.with_changes(body=body)

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock,
                            updated_node: cst.IndentedBlock) -> cst.IndentedBlock:
        body = self._insert_statements(original_node.body, updated_node.body, at_module=False)
        return updated_node if body is None else updated_node.with_changes(body=body)


class _SpaceNext:
    """Marker: the statement after an inserted function needs blank lines before it."""

    def __init__(self, count: int):
        self.count = count


def _element_comma(elements: list[cst.Element], index: int):
    """The comma a new element inserted before ``elements[index]`` should carry."""
    own = elements[index].comma
    if isinstance(own, cst.Comma):
        return own
    if index > 0 and isinstance(elements[index - 1].comma, cst.Comma):
        return elements[index - 1].comma
    return cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


def apply_actions(module: cst.Module, actions: list, context=None) -> tuple[cst.Module, int]:
    """Apply ``actions`` to ``module`` (whose nodes they point at); returns (new module, count).

    ``context`` is a libcst ``CodemodContext`` when run as a codemod command.
    """
    flat = flatten(actions)
    transformer = _Apply(flat)
    new = module.visit(transformer)
    imports = []
    for action in flat:
        for ref in references(action):
            if ref.import_from is not None:
                imports.append(ref.import_from)
    if imports:
        # libcst.codemod is slow to import; only fixes that add an import need it.
        from libcst.codemod import CodemodContext
        from libcst.codemod.visitors import AddImportsVisitor

        ctx = context or CodemodContext()
        for mod, obj, alias in dict.fromkeys(imports):
            AddImportsVisitor.add_needed_import(ctx, mod, obj, alias)
        # visit() rather than transform_module(): the latter deep-copies the module and wraps it
        # for metadata this visitor does not use, which doubles the cost of every fix and report.
        new = new.visit(AddImportsVisitor(ctx))
    return new, transformer.applied
