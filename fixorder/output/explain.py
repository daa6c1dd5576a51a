"""``fixorder explain``: what the analysis saw of each pretrained backbone in a file.

For every backbone: the data paths that reach it (source -> stages -> backbone, with lines),
each path's verdict, the eager shape probes that were not judged, and, where no data reaches
it or the verdict is unknown, where the analysis lost the flow.  A silent check is then
distinguishable from a clean one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import libcst as cst

from fixorder.analysis.values import (
    MODEL_INPUT, NORMALIZE, OPAQUE, PARAM, UNKNOWN, BackboneUse, Pipeline, Stage,
)
from fixorder.findings import Finding

CORRECT, UNKNOWN_VERDICT = "correct", "unknown"


@dataclass
class _Located:
    """Turns nodes into 1-based (line, column), and program lines into notebook cells."""

    source_map: object
    cells: object = None  # notebooks.Notebook for a notebook

    def program_place(self, node: cst.CSTNode | None) -> tuple[int, int] | None:
        """(line, column) in the analysed program: a notebook's cells joined, as findings are
        numbered until they are moved to their cells."""
        if node is None or node not in self.source_map:
            return None
        start = self.source_map[node].start
        return start.line, start.column + 1

    def where(self, node: cst.CSTNode | None) -> dict | None:
        place = self.program_place(node)
        return None if place is None else self.at(*place)

    def at(self, line: int, column: int) -> dict:
        """A program position as the user sees it (a notebook's cell and line in it)."""
        if self.cells is not None and self.cells.cells:
            from fixorder.inputs.notebooks import locate

            cell, in_cell = locate(self.cells, line)
            return {"cell": cell.number, "line": in_cell, "column": column}
        return {"line": line, "column": column}

    def code(self, node: cst.CSTNode) -> str:
        text = self.source_map.code_for(node).strip()
        first = text.splitlines()[0] if text else ""
        return first if len(first) <= 60 else first[:57] + "..."


def explain_text(display: str, text: str, options) -> dict:
    """The explanation of one file (a ``.py`` source or a notebook's JSON), as JSON-ready data."""
    from fixorder.inputs import notebooks
    from fixorder.run.engine import ParseError, analyze_with_findings, parse

    notebook = None
    program = text
    if display.endswith(".ipynb"):
        try:
            notebook = notebooks.load(text)
        except notebooks.NotebookError as exc:
            return {"path": display, "error": str(exc), "backbones": [], "findings": []}
        program = notebook.program
    try:
        module = parse(program)
    except ParseError as exc:
        return {"path": display, "error": str(exc), "backbones": [], "findings": []}
    findings, source_map, analysis = analyze_with_findings(display, module, options, program)
    located = _Located(source_map, notebook)
    backbones = [_backbone(use, analysis, findings, located) for use in analysis.backbones]
    if notebook is not None:
        notebooks.to_cells(notebook, findings)
    pretrained = [b for b in backbones if b["pretrained"]]
    return {
        "path": display,
        "error": None,
        "backbones_found": len(pretrained),
        "backbones_linked": sum(1 for b in pretrained if b["linked"]),
        "truncated": analysis.truncated,
        "backbones": backbones,
        "findings": [f.to_json() for f in findings],
    }


def _backbone(use: BackboneUse, analysis, findings: list[Finding], located: _Located) -> dict:
    pipelines = [p for p in analysis.pipelines if p.backbone is use]
    probes = [p for p in analysis.probes if p.backbone is use]
    paths = [_path(p, findings, located) for p in pipelines]
    linked = analysis.is_linked(use)
    out = {
        "name": use.catalog.name,
        "at": located.where(use.node),
        "pretrained": use.has_contract,
        "expects": use.contract,
        "expects_text": _contract_text(use.contract),
        "linked": linked,
        "paths": paths,
        "probes": [{"at": located.where(p.node), "code": located.code(p.node)} for p in probes],
        "lost": None,
    }
    if not use.has_contract:
        out["lost"] = "weights=None and no weights loaded later: no input contract to check"
    elif not pipelines and probes:
        out["lost"] = "only shape probes reach it: no data path to judge"
    elif not pipelines:
        out["lost"] = "no image reaches it in this file (no call, fit or predict is followed to it)" + \
            _unfollowed(analysis, located)
    elif not linked:
        out["lost"] = "not linked to data: " + "; ".join(dict.fromkeys(p["lost"] for p in paths if p["lost"])) + \
            _unfollowed(analysis, located)
    return out


def _contract_text(contract: str | None) -> str | None:
    from fixorder import catalog

    return catalog.load().contracts[contract].description if contract else None


def _unfollowed(analysis, located: _Located) -> str:
    calls = analysis.unfollowed_calls
    if not calls:
        return ""
    shown = ", ".join(f"{name} at {_place_text(located.where(node))}" for node, name in calls[:3])
    more = f" and {len(calls) - 3} more" if len(calls) > 3 else ""
    return f"; calls fixorder could not follow that take a model or a function: {shown}{more}"


def _path(p: Pipeline, findings: list[Finding], located: _Located) -> dict:
    nodes = [p.node, p.entry.node, p.origin.node, *(s.node for s in p.stages)]
    places = {located.program_place(n) for n in nodes if n is not None}
    mine = [f for f in findings if (f.line, f.column) in places]
    lost = _lost(p, located)
    if mine:
        verdict = ",".join(dict.fromkeys(f.code for f in mine))
    elif lost is None:
        verdict = CORRECT
    else:
        verdict = UNKNOWN_VERDICT
    return {
        "source": {"label": p.origin.label, "kind": p.origin.kind, "at": located.where(p.origin.node)},
        "stages": [_stage(s, located) for s in p.stages],
        "enters": located.where(p.node),
        "verdict": verdict,
        "findings": [f"{f.code} at {_place_text(located.at(f.line, f.column))}" for f in mine],
        "lost": lost,
    }


def _stage(s: Stage, located: _Located) -> dict:
    # A label spelt over several lines (``ds\n    .map``) is shown on one.
    return {"kind": s.kind, "label": " ".join(s.label.split()), "at": located.where(s.node)}


def _lost(p: Pipeline, located: _Located) -> str | None:
    """Where the analysis stopped knowing the value range on this path (None: it did not)."""
    origin = p.origin
    if origin.kind == UNKNOWN:
        where = located.where(origin.node)
        code = f"`{located.code(origin.node)}` " if origin.node is not None and where else ""
        return f"the data comes from {code}{'at ' + _place_text(where) if where else 'an expression'} " \
               "that fixorder cannot follow"
    if origin.kind == PARAM:
        return f"{origin.label} is never bound to known data in this file"
    if origin.kind == MODEL_INPUT:
        return f"{origin.label} is never fed data in this file"
    for s in p.stages:
        if s.kind in (OPAQUE, NORMALIZE):
            what = "an effect fixorder cannot compute" if s.kind == OPAQUE else "a statistics-based normalization"
            return f"`{s.label}` at {_place_text(located.where(s.node))} has {what}"
    return None


def _place_text(where: dict | None) -> str:
    if not where:
        return "an unknown place"
    if "cell" in where:
        return f"cell {where['cell']}, line {where['line']}"
    return f"line {where['line']}"


def render_text(report: dict) -> str:
    lines = []
    path = report["path"]
    found, linked = report["backbones_found"], report["backbones_linked"]
    lines.append(f"{path}: {found} pretrained backbone{'s' if found != 1 else ''}, {linked} linked to data"
                 + (" (analysis stopped at its work budget)" if report["truncated"] else ""))
    for b in report["backbones"]:
        expects = f"expects {b['expects_text']}, {b['expects']} mode" if b["expects"] else "no contract"
        lines.append(f"  {b['name']} at {_place_text(b['at'])} ({expects})")
        for i, path_ in enumerate(b["paths"], 1):
            chain = [f"{path_['source']['label']}" + _at(path_["source"]["at"])]
            chain += [f"{s['label']}{_at(s['at'])}" for s in path_["stages"]]
            chain.append(b["name"] + _at(path_["enters"]))
            lines.append(f"    path {i}: " + " -> ".join(chain))
            verdict = path_["verdict"]
            detail = f" ({'; '.join(path_['findings'])})" if path_["findings"] else ""
            lines.append(f"      verdict: {verdict}{detail}")
            if path_["lost"] and verdict == UNKNOWN_VERDICT:
                lines.append(f"      lost: {path_['lost']}")
        for probe in b["probes"]:
            lines.append(f"    probe at {_place_text(probe['at'])}: `{probe['code']}` only looks at the result: not judged")
        if b["lost"]:
            lines.append(f"    {b['lost']}")
    return "\n".join(lines) + "\n"


def _at(where: dict | None) -> str:
    return f" ({_place_text(where)})" if where else ""


def render_json(reports: list[dict]) -> str:
    return json.dumps(reports, indent=2) + "\n"
