"""One source unit in, one result out: parse, analyse, run the rules, optionally fix."""

from __future__ import annotations

import ast
import difflib
import re
from dataclasses import dataclass, field

import libcst as cst
from codemods.actions import (InsertFunctionAfter, InsertStatementAfter, InsertStatementBefore, apply_actions,
                              flatten)
from codemods.render import render
from fixorder import catalog as catalog_module
from fixorder.analysis.interpreter import analyze
from fixorder.analysis.source_map import SourceMap
from fixorder.findings import SAFE, UNSAFE, Edit, Finding
from fixorder.inputs.options import Options  # noqa: F401  (re-exported: engine.Options)
from fixorder.rules import RULE_MODULES, load_rule
from fixorder.rules.context import RuleContext

# A fix pass re-analyses the result; fixes that touch one statement wait for the next pass,
# and a chain of them converges in far fewer passes than this.
MAX_FIX_PASSES = 8

_CODES = r"[A-Z]+[0-9]+(?:\s*,\s*[A-Z]+[0-9]+)*"
_NOQA = re.compile(rf"#\s*noqa(?::\s*(?P<codes>{_CODES}))?", re.IGNORECASE)
_IGNORE = re.compile(rf"#\s*fixorder:\s*ignore\[(?P<codes>{_CODES})\]", re.IGNORECASE)


@dataclass
class FileResult:
    path: str
    findings: list[Finding] = field(default_factory=list)
    source: str | None = None
    fixed_source: str | None = None  # set when fixing changed the text
    fixed: list[Finding] = field(default_factory=list)
    error: str | None = None
    warning: str | None = None  # analysed, but less completely than usual (BUDGET_WARNING)
    backbones: tuple[int, int] = (0, 0)  # pretrained backbones found, and linked to data

    @property
    def changed(self) -> bool:
        return self.fixed_source is not None and self.fixed_source != self.source


class ParseError(Exception):
    pass


def parse(source: str) -> cst.Module:
    try:
        return cst.parse_module(source)
    except cst.ParserSyntaxError as exc:
        raise ParseError(syntax_error_reason(source, exc)) from exc
    except RecursionError as exc:
        raise ParseError("too deeply nested to parse") from exc


def syntax_error_reason(source: str, exc: cst.ParserSyntaxError) -> str:
    """One line with a 1-based position; CPython's wording when it agrees the code is invalid.

    CPython names the actual mistake ("Missing parentheses in call to 'print'" for Python 2
    source) where libcst lists every token it expected.
    """
    try:
        compile(source, "<source>", "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as err:
        if err.lineno:
            return f"syntax error at line {err.lineno}, column {err.offset or 1}: {err.msg}"
    except (ValueError, RecursionError, MemoryError):
        pass
    return (f"syntax error at line {exc.raw_line}, column {exc.raw_column + 1}: "
            f"{str(exc.message).splitlines()[0]}")


# The interpreter's work budget ran out (analysis/interpreter.py): the file was analysed, but
# calls past the budget were not followed, so a finding that depends on them can be missing.
BUDGET_WARNING = ("analysis reached its work budget; calls past it were not followed, "
                  "so findings that depend on them may be missing")


def analyze_module(path: str, module: cst.Module, options: Options) -> tuple[list[Finding], cst.Module]:
    """Findings for a parsed module; the returned module is the one the fixes point into."""
    findings, tree, _, _ = _analyze(path, module, options)
    return findings, tree


def _analyze(path: str, module: cst.Module, options: Options, source: str | None = None):
    """(findings, tree, source map, analysis): the map lets fixes rebuild and re-render only what
    they touch; ``analysis.truncated`` says the work budget ran out (``BUDGET_WARNING``).

    ``source`` is the text ``module`` was parsed from, when the caller has it (saves a render).
    """
    findings, source_map, analysis = analyze_with_findings(path, module, options, source)
    return findings, module, source_map, analysis


def analyze_with_findings(path: str, module: cst.Module, options: Options, source: str | None = None):
    """(findings, source map, analysis): the analysis as well, for ``fixorder explain``."""
    source_map = SourceMap(module, source)
    cat = catalog_module.load()
    analysis = analyze(module, cat)
    ctx = RuleContext(path, module, analysis, cat, source_map, options.strategy)
    findings: list[Finding] = []
    for code in sorted(options.select):
        if code not in RULE_MODULES:
            continue
        findings.extend(load_rule(code).check(ctx))
    if findings:
        findings = suppress(findings, source_map.source)
    findings.sort(key=Finding.sort_key)
    return findings, source_map, analysis


# A comment line of its own: ``# fixorder: noqa`` (whole file) or ``# fixorder: noqa: FO101, FO102``.
_FILE_NOQA = re.compile(r"^[ \t]*#\s*fixorder:\s*noqa(?::\s*(?P<codes>[A-Z0-9,\s]+?))?\s*$",
                        re.IGNORECASE | re.MULTILINE)


def file_exemptions(source: str) -> set[str] | None:
    """Codes exempted for the whole file by ``# fixorder: noqa`` comments; None means every code."""
    codes: set[str] = set()
    for match in _FILE_NOQA.finditer(source):
        if match.group("codes") is None:
            return None
        codes |= {c.strip().upper() for c in match.group("codes").split(",") if c.strip()}
    return codes


def suppress(findings: list[Finding], source: str) -> list[Finding]:
    exempt = file_exemptions(source)
    if exempt is None:
        return []
    findings = [f for f in findings if f.code not in exempt]
    lines = source.splitlines()
    kept = []
    for f in findings:
        line = lines[f.line - 1] if 0 < f.line <= len(lines) else ""
        if _suppressed(line, f.code):
            continue
        kept.append(f)
    return kept


def _suppressed(line: str, code: str) -> bool:
    for pattern in (_NOQA, _IGNORE):
        match = pattern.search(line)
        if match:
            codes = match.groupdict().get("codes")
            if codes is None or code in {c.strip().upper() for c in codes.split(",")}:
                return True
    return False


def applicable(finding: Finding, options: Options) -> bool:
    kind = finding.applicable_fix
    return kind == SAFE or (kind == UNSAFE and options.unsafe_fixes)


def attach_edits(findings: list[Finding], module: cst.Module, source_map: SourceMap) -> None:
    """Describe each fix as text edits (for JSON and the full report)."""
    original = source_map.source
    for f in findings:
        if f.fix is None or f.fix.action is None:
            continue
        new, _ = apply_actions(module, [f.fix.action], positions=source_map)
        f.fix.edits = text_edits(original, render(module, new, source_map))


def independent(findings: list[Finding], source_map: SourceMap) -> list[Finding]:
    """The fixes one pass may apply together: none changes a statement another one touches.

    Two fixes of one chain (move a call, and drop the statement before it) each assume the
    other's statements are as they were; applied together they can leave a name undefined.
    The later one waits for the next pass, which sees the first one's result.  Insertions
    anchored at the same statement do not conflict (fold functions after one definition).
    """
    chosen, changed, anchored, actions = [], set(), set(), set()
    for f in findings:
        action = f.fix.action
        if id(action) in actions:  # one action shared by several findings (a fold) runs once
            chosen.append(f)
            continue
        mine_changed, mine_anchored = _statements_touched(action, source_map)
        if mine_changed & (changed | anchored) or mine_anchored & changed:
            continue
        changed |= mine_changed
        anchored |= mine_anchored
        actions.add(id(action))
        chosen.append(f)
    return chosen


_INSERTIONS = (InsertStatementBefore, InsertStatementAfter, InsertFunctionAfter)


def _statements_touched(action, source_map: SourceMap) -> tuple[set[int], set[int]]:
    """(statements the action changes, statements it only inserts next to), as ids."""
    changed, anchored = set(), set()
    for part in flatten([action]):
        into = anchored if isinstance(part, _INSERTIONS) else changed
        for value in vars(part).values():
            if isinstance(value, cst.CSTNode) and value in source_map:
                into.add(id(_statement_of(value, source_map)))
    return changed, anchored


def _statement_of(node: cst.CSTNode, source_map: SourceMap) -> cst.CSTNode:
    current = node
    while current is not None and not isinstance(current, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
        current = source_map.parent(current)
    return current if current is not None else node


def text_edits(before: str, after: str) -> list[Edit]:
    """Line-based edits that turn ``before`` into ``after``."""
    a = before.splitlines(keepends=True)
    b = after.splitlines(keepends=True)
    # A fix changes a few lines: match the common head and tail first.  SequenceMatcher alone
    # (autojunk off) is quadratic in the number of equal lines, minutes for a 100k-line file.
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[len(a) - 1 - tail] == b[len(b) - 1 - tail]:
        tail += 1
    edits = []
    matcher = difflib.SequenceMatcher(a=a[head:len(a) - tail], b=b[head:len(b) - tail], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        edits.append(Edit(head + i1 + 1, 1, head + i2 + 1, 1, "".join(b[head + j1:head + j2])))
    return edits


def check_source(path: str, source: str, options: Options) -> FileResult:
    result = FileResult(path, source=source)
    try:
        module = parse(source)
        result.findings, tree, source_map, analysis = _analyze(path, module, options, source)
        attach_edits(result.findings, tree, source_map)
        result.warning = BUDGET_WARNING if analysis.truncated else None
        result.backbones = analysis.backbone_counts()
    except ParseError as exc:
        result.error = str(exc)
        result.findings = [parse_error(path, str(exc))]
    except RecursionError:
        result.error = "too deeply nested to analyse"
        result.findings = [parse_error(path, result.error)]
    return result


def fix_source(path: str, source: str, options: Options) -> FileResult:
    """Apply every applicable fix; loops until no applicable fix remains (a fixed point).

    Each pass analyses the current text once; the pass that finds nothing left to apply gives
    the findings that remain, so no text is analysed twice.
    """
    result = FileResult(path, source=source)
    try:
        module = parse(source)
    except ParseError as exc:
        result.error = str(exc)
        result.findings = [parse_error(path, str(exc))]
        return result
    current = source
    fixed: list[Finding] = []
    try:
        for passes in range(MAX_FIX_PASSES + 1):
            findings, tree, source_map, analysis = _analyze(path, module, options, current)
            if analysis.truncated:
                result.warning = BUDGET_WARNING
            result.backbones = analysis.backbone_counts()  # of the file as it is after this pass
            todo = independent([f for f in findings if applicable(f, options)], source_map)
            rewritten = None
            if todo and passes < MAX_FIX_PASSES:
                new, count = apply_actions(tree, [f.fix.action for f in todo], positions=source_map)
                rewritten = render(tree, new, source_map) if count else None
            if rewritten is None or rewritten == current:
                attach_edits(findings, tree, source_map)
                result.findings = findings
                break
            module = parse(rewritten)  # a fix must produce code that parses; ParseError is a bug
            fixed.extend(todo)
            current = rewritten
    except RecursionError:
        if current is not source:
            raise
        result.error = "too deeply nested to analyse"
        result.findings = [parse_error(path, result.error)]
        return result
    result.fixed = fixed
    if current != source:
        result.fixed_source = _restore_final_cr(source, current)
    return result


def _restore_final_cr(source: str, fixed: str) -> str:
    """libcst drops a final lone ``\r`` (a CR-only or mixed-endings file): put it back."""
    if source.endswith("\r"):
        tail = source[len(source.rstrip("\r\n")):]
        if not fixed.endswith(tail) and (fixed + "\r").endswith(tail):
            return fixed + "\r"
    return fixed


def parse_error(path: str, reason: str) -> Finding:
    match = re.search(r"line (\d+), column (\d+)", reason)
    line, column = (int(match.group(1)), int(match.group(2))) if match else (1, 1)
    return Finding(path, line, column, line, column, "FO001", "parse-error", f"cannot parse: {reason}")


# git's C-style quoting of a path (quote_c_style): these get a letter, other control bytes octal.
_GIT_ESCAPES = {7: "\\a", 8: "\\b", 9: "\\t", 10: "\\n", 11: "\\v", 12: "\\f", 13: "\\r", 34: '\\"', 92: "\\\\"}


def git_quoted(name: str) -> str:
    """``name`` as git writes it in a diff header: unchanged when plain, else in double quotes
    with C escapes (``"a/a\\nb.py"``), bytes that are not UTF-8 (surrogate escapes) in octal,
    so that ``git apply`` reads back exactly the file's name."""
    data = name.encode("utf-8", "surrogateescape")
    try:
        data.decode("utf-8")
        plain = not any(b < 32 or b in (34, 92, 127) for b in data)
    except UnicodeDecodeError:
        plain = False
    if plain:
        return name
    out = []
    for byte in data:
        if byte in _GIT_ESCAPES:
            out.append(_GIT_ESCAPES[byte])
        elif byte < 32 or byte >= 127:
            out.append(f"\\{byte:03o}")
        else:
            out.append(chr(byte))
    return '"' + "".join(out) + '"'


def unified_diff(path: str, before: str, after: str) -> str:
    lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                 fromfile=git_quoted(f"a/{path}"), tofile=git_quoted(f"b/{path}"))
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)
