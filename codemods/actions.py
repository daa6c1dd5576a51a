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
class InsertStatementAfter:
    """Insert the statement ``code`` after the statement ``after`` (same block, same indentation)."""

    after: cst.BaseStatement
    code: str
    references: tuple[Reference, ...] = ()


def _without_removed(pairs: list, removed: set[int]) -> list:
    """The (original, updated) elements or arguments not in ``removed``.  A removed item's
    comma holds the comments on its line and on the lines up to the next item: they move to
    the comma of the item kept before it, so no comment goes with the code."""
    kept: list = []
    orphans: list = []  # from items removed before the first kept one: they go after the bracket
    for orig, item in pairs:
        if id(orig) not in removed:
            kept.append((orig, item))
            continue
        lines = _comma_comment_lines(item.comma)
        if not kept:
            orphans.extend(lines)
        elif _breaks_line(item.comma) and not _breaks_line(kept[-1][1].comma):
            # The removed item's comma held the line break (and the comments after it): the
            # item before it takes the comma, so the call keeps its lines and its comments.
            kept[-1] = (kept[-1][0], kept[-1][1].with_changes(comma=item.comma))
        elif lines:
            before = kept[-1][1]
            after = before.comma.whitespace_after if isinstance(before.comma, cst.Comma) else None
            if isinstance(after, cst.ParenthesizedWhitespace):
                merged = after.with_changes(empty_lines=[*after.empty_lines, *lines])
                kept[-1] = (kept[-1][0], before.with_changes(comma=before.comma.with_changes(whitespace_after=merged)))
    return kept, orphans


def _with_lines_after(whitespace, lines: list):
    """An opening bracket's whitespace with comment ``lines`` added before the first item."""
    if lines and isinstance(whitespace, cst.ParenthesizedWhitespace):
        return whitespace.with_changes(empty_lines=[*whitespace.empty_lines, *lines])
    return whitespace


def _comma_comment_lines(comma) -> list:
    after = comma.whitespace_after if isinstance(comma, cst.Comma) else None
    if not isinstance(after, cst.ParenthesizedWhitespace):
        return []
    lines = list(after.empty_lines)
    if after.first_line.comment is not None:
        lines.insert(0, cst.EmptyLine(indent=after.indent, whitespace=after.last_line, comment=after.first_line.comment))
    return lines if any(line.comment is not None for line in lines) else []


def _comment_lines_of(stmt) -> list:
    """What of a removed statement must stay: its leading lines (blank lines, the user's
    comments) and its end-of-line comment, as a comment line of its own."""
    lines = list(getattr(stmt, "leading_lines", ()))
    trailing = getattr(stmt, "trailing_whitespace", None)
    if trailing is not None and trailing.comment is not None:
        lines.append(cst.EmptyLine(comment=trailing.comment))
    return lines


@dataclass(eq=False)
class RemoveStatement:
    """Delete ``statement`` (a one-statement line); the caller makes sure its block keeps a statement."""

    statement: cst.BaseStatement


@dataclass(eq=False)
class RemoveElement:
    """Delete ``element`` from the list or tuple ``container``, keeping the list's layout."""

    container: cst.List | cst.Tuple
    element: cst.Element


@dataclass(eq=False)
class MoveElement:
    """Move ``element`` of ``container`` to just after the element ``after``."""

    container: cst.List | cst.Tuple
    element: cst.Element
    after: cst.Element


@dataclass(eq=False)
class RemoveArg:
    """Delete the argument ``arg`` (e.g. a keyword) from ``call``."""

    call: cst.Call
    arg: cst.Arg


@dataclass(eq=False)
class ReplaceExpression:
    """Replace the expression ``node`` with the source ``code`` (parentheses of ``node`` kept)."""

    node: cst.BaseExpression
    code: str
    references: tuple[Reference, ...] = ()


@dataclass(eq=False)
class RemoveImportIfUnused:
    """After the other actions, drop ``from module import name [as alias]`` if nothing uses it."""

    module: str
    name: str
    alias: str | None = None


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


def _targets(action) -> list[cst.CSTNode]:
    """The nodes an action changes; only their ancestors need rebuilding."""
    for name in ("node", "container", "before", "after", "call", "statement"):
        node = getattr(action, name, None)
        if isinstance(node, cst.CSTNode):
            return [node]
    return []


class _Apply(cst.CSTTransformer):
    def __init__(self, actions: list, positions=None):
        super().__init__()
        # libcst rebuilds every node it visits; with positions, subtrees that contain no
        # target are skipped (returned as they are), which keeps a fix proportional to its size.
        self.positions = positions
        self.target_ranges = []
        if positions is not None:
            try:
                self.target_ranges = [positions[t] for a in actions for t in _targets(a)]
            except KeyError:
                self.positions = None
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
        self.replacements = {id(a.node): a for a in actions if isinstance(a, ReplaceExpression)}
        self.removed_statements = {id(a.statement) for a in actions if isinstance(a, RemoveStatement)}
        self.removed_args: dict[int, set[int]] = {}
        self.removed_elements: dict[int, set[int]] = {}
        self.moves: dict[int, list[MoveElement]] = {}
        for a in actions:
            if isinstance(a, RemoveArg):
                self.removed_args.setdefault(id(a.call), set()).add(id(a.arg))
            elif isinstance(a, RemoveElement):
                self.removed_elements.setdefault(id(a.container), set()).add(id(a.element))
            elif isinstance(a, MoveElement):
                self.moves.setdefault(id(a.container), []).append(a)
            elif isinstance(a, InsertStatementAfter):
                self.after.setdefault(id(a.after), []).append(a)
        self.applied = 0

    def on_visit(self, node: cst.CSTNode) -> bool:
        if self.positions is None or isinstance(node, cst.Module):
            return super().on_visit(node)
        try:
            r = self.positions[node]
        except KeyError:
            return super().on_visit(node)
        for t in self.target_ranges:
            if (r.start.line, r.start.column) <= (t.start.line, t.start.column) and \
                    (t.end.line, t.end.column) <= (r.end.line, r.end.column):
                return super().on_visit(node)
        return False

    def on_leave(self, original_node, updated_node):
        updated_node = super().on_leave(original_node, updated_node)
        replacement = self.replacements.get(id(original_node))
        if replacement is not None and isinstance(updated_node, cst.BaseExpression):
            self.applied += 1
            new = cst.parse_expression(replacement.code)
            if updated_node.lpar:
                new = new.with_changes(lpar=updated_node.lpar, rpar=updated_node.rpar)
            return new
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
        removed = self.removed_args.get(id(original_node))
        if removed:
            pairs, orphans = _without_removed(list(zip(original_node.args, updated_node.args)), removed)
            keep = [u for _, u in pairs]
            updated_node = updated_node.with_changes(
                whitespace_before_args=_with_lines_after(updated_node.whitespace_before_args, orphans))
            self.applied += len(updated_node.args) - len(keep)
            if keep and len(keep) < len(updated_node.args):
                # The new last argument takes the old last one's comma (usually none).
                keep[-1] = keep[-1].with_changes(comma=updated_node.args[-1].comma)
            updated_node = updated_node.with_changes(args=keep)
        action = self.renames.get(id(original_node))
        if action is not None:
            self.applied += 1
            return updated_node.with_changes(func=cst.Name(action.name))
        return updated_node

    def _insert_elements(self, original_node, updated_node):
        updated_node = self._rearrange_elements(original_node, updated_node)
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
                    # A long element is wrapped with the rest of the file's long lines (codemods.wrap).
                    new_elements.append(cst.Element(cst.parse_expression(action.code), comma=comma))
                    self.applied += 1
            new_elements.append(element)
        return updated_node.with_changes(elements=new_elements)

    def _rearrange_elements(self, original_node, updated_node):
        """Removals and moves; commas stay with positions so the list keeps its layout."""
        removed = self.removed_elements.get(id(original_node), set())
        moves = self.moves.get(id(original_node), [])
        if not removed and not moves:
            return updated_node
        pairs, orphans = _without_removed(list(zip(original_node.elements, updated_node.elements)), removed)
        if orphans and isinstance(updated_node, cst.List):
            bracket = updated_node.lbracket
            updated_node = updated_node.with_changes(
                lbracket=bracket.with_changes(whitespace_after=_with_lines_after(bracket.whitespace_after, orphans)))
        for move in moves:
            moving = next((pair for pair in pairs if pair[0] is move.element), None)
            if moving is None or not any(pair[0] is move.after for pair in pairs):
                continue
            pairs.remove(moving)
            index = next(i for i, pair in enumerate(pairs) if pair[0] is move.after)
            pairs.insert(index + 1, moving)
            self.applied += 1
        self.applied += len(original_node.elements) - len(pairs)
        originals = list(original_node.elements)
        separator = next((_without_comment(e.comma) for e in originals[:-1] if isinstance(e.comma, cst.Comma)),
                         cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
        last_comma = originals[-1].comma
        elements = []
        for index, (orig, element) in enumerate(pairs):
            if index == len(pairs) - 1:
                comma = last_comma
            elif orig is originals[-1] or not isinstance(element.comma, cst.Comma):
                comma = separator
            else:
                comma = element.comma
            elements.append(element.with_changes(comma=comma))
        if len(elements) == 1 and isinstance(original_node, cst.Tuple) and not isinstance(last_comma, cst.Comma):
            elements[0] = elements[0].with_changes(comma=cst.Comma())  # (x,) stays a tuple
        return updated_node.with_changes(elements=elements)

    def leave_List(self, original_node: cst.List, updated_node: cst.List) -> cst.BaseExpression:
        return self._insert_elements(original_node, updated_node)

    def leave_Tuple(self, original_node: cst.Tuple, updated_node: cst.Tuple) -> cst.BaseExpression:
        return self._insert_elements(original_node, updated_node)

    def _insert_statements(self, original_body, updated_body, at_module: bool):
        out = []
        changed = False
        carried: list = []  # blank lines that separated a removed statement from the one before
        for orig, stmt in zip(original_body, updated_body):
            if id(orig) in self.removed_statements:
                self.applied += 1
                changed = True
                lines = _comment_lines_of(stmt)
                if any(line.comment is not None for line in lines):
                    carried = carried + lines  # the user's comments stay where they stood
                else:
                    carried = carried or lines
                continue
            if carried:
                existing = list(getattr(stmt, "leading_lines", ()))
                if any(line.comment is not None for line in carried):
                    stmt = stmt.with_changes(leading_lines=carried + existing)
                elif not existing:
                    stmt = stmt.with_changes(leading_lines=carried)
                carried = []
            for action in self.before.get(id(orig), ()):
                new = cst.parse_statement(action.code)
                new = new.with_changes(leading_lines=stmt.leading_lines)
                stmt = stmt.with_changes(leading_lines=[])
                out.append(new)
                self.applied += 1
                changed = True
            out.append(stmt)
            for action in {a.code: a for a in self.after.get(id(orig), ())}.values():
                if isinstance(action, InsertStatementAfter):
                    out.append(cst.parse_statement(action.code))
                    self.applied += 1
                    changed = True
                    continue
                blank = [cst.EmptyLine()] * (2 if at_module else 1)
                out.append(cst.parse_statement(action.code).with_changes(leading_lines=blank))
                self.applied += 1
                changed = True
                out.append(_SpaceNext(len(blank)))
        if not changed:
            return None
        self.left_over = [line for line in carried if line.comment is not None] and carried
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
        self.left_over = []
        body = self._insert_statements(original_node.body, updated_node.body, at_module=True)
        if body is None:
            return updated_node
        # Comments above a removed last statement become the module's footer.
        return updated_node.with_changes(body=body, footer=[*self.left_over, *updated_node.footer])

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock,
                            updated_node: cst.IndentedBlock) -> cst.IndentedBlock:
        self.left_over = []
        body = self._insert_statements(original_node.body, updated_node.body, at_module=False)
        if body is None:
            return updated_node
        return updated_node.with_changes(body=body, footer=[*self.left_over, *updated_node.footer])


class _SpaceNext:
    """Marker: the statement after an inserted function needs blank lines before it."""

    def __init__(self, count: int):
        self.count = count


def _element_comma(elements: list[cst.Element], index: int):
    """The comma a new element inserted before ``elements[index]`` should carry.

    A comma holds the layout after its element (", " or ",\n    ") and possibly a comment;
    the new element copies the layout, never the comment.
    """
    own = elements[index].comma
    if isinstance(own, cst.Comma) and isinstance(own.whitespace_after, cst.ParenthesizedWhitespace):
        return _without_comment(own)
    # A last element's trailing comma leaves the newline to the bracket: use the separator
    # between the previous elements instead.
    if index > 0 and isinstance(elements[index - 1].comma, cst.Comma):
        return _without_comment(elements[index - 1].comma)
    if isinstance(own, cst.Comma):
        return own
    return cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


def _breaks_line(comma) -> bool:
    return isinstance(comma, cst.Comma) and isinstance(comma.whitespace_after, cst.ParenthesizedWhitespace)


def _without_comment(comma: cst.Comma) -> cst.Comma:
    after = comma.whitespace_after
    if isinstance(after, cst.ParenthesizedWhitespace) and after.first_line.comment is not None:
        return comma.with_changes(whitespace_after=after.with_changes(first_line=cst.TrailingWhitespace()))
    return comma


def apply_actions(module: cst.Module, actions: list, context=None, positions=None) -> tuple[cst.Module, int]:
    """Apply ``actions`` to ``module`` (whose nodes they point at); returns (new module, count).

    ``positions`` (node -> CodeRange of ``module``) lets the transform skip untouched subtrees.
    ``context`` (a libcst ``CodemodContext`` when run as a codemod command) is not needed:
    imports are added and removed at the module's top level directly.
    """
    flat = flatten(actions)
    transformer = _Apply(flat, positions)
    new = module.visit(transformer)
    imports = []
    for action in flat:
        for ref in references(action):
            if ref.import_from is not None:
                imports.append(ref.import_from)
    if imports:
        new = add_imports(new, list(dict.fromkeys(imports)))
    unused = [a for a in flat if isinstance(a, RemoveImportIfUnused)]
    if unused:
        new = remove_unused_imports(new, unused)
    return new, transformer.applied


def _import_end(body) -> int:
    """Index after the module docstring and the leading run of top-level imports."""
    index = 0
    if body and isinstance(body[0], cst.SimpleStatementLine) and len(body[0].body) == 1 and \
            isinstance(body[0].body[0], cst.Expr) and isinstance(body[0].body[0].value, cst.SimpleString):
        index = 1
    last_import = None
    for i, stmt in enumerate(body):
        if isinstance(stmt, cst.SimpleStatementLine) and all(
                isinstance(small, (cst.Import, cst.ImportFrom)) for small in stmt.body):
            last_import = i
        elif last_import is not None or i >= index:
            if not (isinstance(stmt, cst.SimpleStatementLine) and i < index):
                break
    return index if last_import is None else last_import + 1


def _module_name(node) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_module_name(node.value)}.{node.attr.value}"
    return ""


def add_imports(module: cst.Module, imports: list[tuple[str, str, str | None]]) -> cst.Module:
    """Add ``from module import name [as alias]`` lines after the file's leading imports.

    A name whose module already has a one-line ``from`` import is appended to it, in the
    file's own style; otherwise the import gets its own line.
    """
    body = list(module.body)
    pending = []
    for mod, name, alias in imports:
        merged = False
        for i, stmt in enumerate(body):
            if not (isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1):
                continue
            small = stmt.body[0]
            if not isinstance(small, cst.ImportFrom) or small.relative or small.lpar is not None \
                    or isinstance(small.names, cst.ImportStar) or _module_name(small.module) != mod:
                continue
            if any(_module_name(a.name) == name and (a.asname.name.value if a.asname else None) == alias
                   for a in small.names):
                merged = True
                break
            names = list(small.names)
            names[-1] = names[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
            new_alias = cst.ImportAlias(cst.Name(name), asname=cst.AsName(cst.Name(alias)) if alias else None)
            body[i] = stmt.with_changes(body=[small.with_changes(names=names + [new_alias])])
            merged = True
            break
        if not merged:
            pending.append(cst.parse_statement(f"from {mod} import {name}" + (f" as {alias}" if alias else "") + "\n"))
    if pending:
        at = _import_end(body)
        body[at:at] = pending
    return module.with_changes(body=body)


def remove_unused_imports(module: cst.Module, specs: list) -> cst.Module:
    """Drop top-level ``from m import name [as alias]`` aliases whose local name is no longer used.

    Usage is counted on the source's NAME tokens (fast, and conservative: an attribute of the
    same spelling counts as a use, so the import stays).
    """
    import io
    import tokenize

    counts: dict[str, int] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(module.code).readline):
            if tok.type == tokenize.NAME:
                counts[tok.string] = counts.get(tok.string, 0) + 1
    except (tokenize.TokenError, SyntaxError):
        return module
    body = list(module.body)
    for spec in specs:
        local = spec.alias or spec.name
        # The import spells the local name once (``name``, ``x as local``), twice in ``name as name``.
        expected = 2 if spec.alias == spec.name else 1
        for i, stmt in enumerate(body):
            if not (isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1):
                continue
            small = stmt.body[0]
            if not isinstance(small, cst.ImportFrom) or isinstance(small.names, cst.ImportStar) or \
                    _module_name(small.module) != spec.module:
                continue
            aliases = list(small.names)
            keep = [a for a in aliases if not (_module_name(a.name) == spec.name and
                                               (a.asname.name.value if a.asname else None) == spec.alias)]
            if len(keep) == len(aliases) or counts.get(local, 0) > expected:
                continue
            if not keep:
                following = body[i + 1] if i + 1 < len(body) else None
                del body[i]
                if following is not None and stmt.leading_lines:
                    body[i] = following.with_changes(leading_lines=list(stmt.leading_lines) +
                                                     list(following.leading_lines))
            else:
                keep[-1] = keep[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
                body[i] = stmt.with_changes(body=[small.with_changes(names=keep)])
            break
    return module.with_changes(body=body)
