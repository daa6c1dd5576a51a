"""Verdicts: observed value ranges judged against the catalogue's input contracts, and reports.

Pure Python (no TensorFlow): the parent process judges what the child observed.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any, Iterable

from fixorder import catalog

PASS = "pass"
FAIL = "fail"
UNVERIFIED = "unverified"

# A channel's observed [min, max] may overshoot the contract by this share of its span
# (JPEG ringing, interpolation, float rounding) ...
TOLERANCE = 0.05
# ... and must reach into the outer quarter of the span at both ends: [0, 1] fed to a [-1, 1]
# model, or a range collapsed by double preprocessing, does not; a crop or a contrast
# augmentation of the generated gradients still does.
END_REACH = 0.25


@dataclass
class VerifyResult:
    path: str
    line: int | None
    backbone: str | None
    expects: str | None
    expected_range: list[float] | None
    observed_range: list[float] | None
    observed_per_channel: list[list[float]] | None
    verdict: str
    reason: str
    # Not part of the JSON contract: context for callers such as verify_rewrite.
    script_status: str = field(default="ok", compare=False)  # ok, exception, exit, timeout, crashed, setup-error
    script_error: str | None = field(default=None, compare=False)
    not_applicable: bool = field(default=False, compare=False)  # weights=None: no contract to check
    cell: int | None = None  # a notebook's cell (1-based among all cells); ``line`` is then inside it
    # Where the script ran: "sandboxed: ..." or "not isolated: <reason>" (set by the runner).
    isolated: bool = field(default=False, compare=False)
    isolation: str = field(default="not isolated: not run by fixorder verify's runner", compare=False)
    # What verify changed about the run (Keras 2 under tf_keras, stand-ins, ...), for the report.
    notes: list[str] = field(default_factory=list, compare=False)
    # The child's seconds by phase (setup: imports and instrumentation; script; probe), for
    # benchmarks; not part of the JSON contract.
    timings: dict[str, float] = field(default_factory=dict, compare=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path, "line": self.line, "backbone": self.backbone, "expects": self.expects,
            "expected_range": self.expected_range, "observed_range": self.observed_range,
            "observed_per_channel": self.observed_per_channel, "verdict": self.verdict,
            "reason": self.reason, "cell": self.cell, "isolated": self.isolated, "isolation": self.isolation,
            "notes": self.notes,
        }


def _fmt(v: float) -> str:
    if v == 0:
        return "0"
    if abs(v) >= 100:
        return f"{v:.1f}".rstrip("0").rstrip(".")
    return f"{v:.4g}"


def fmt_range(r: Iterable[float] | None) -> str:
    if r is None:
        return "-"
    lo, hi = list(r)
    return f"[{_fmt(lo)}, {_fmt(hi)}]"


def contract_label(name: str) -> str:
    """``tf: [-1, 1]``, ``raw: raw pixels [0, 255]``, ``caffe: BGR, ...`` (no doubled name)."""
    desc = catalog.load().contracts[name].description
    return desc if desc.startswith(f"{name}:") else f"{name}: {desc}"


def judge_channels(low: tuple[float, ...], high: tuple[float, ...],
                   observed: list[list[float]]) -> tuple[bool, list[str]]:
    """True when every observed channel fits its contract channel; otherwise the problems."""
    problems: list[str] = []
    if len(observed) != len(low):
        # Unusual channel count: judge the overall range against the overall contract.
        low, high = (min(low),), (max(high),)
        observed = [[min(o[0] for o in observed), max(o[1] for o in observed)]]
    for c, ((omin, omax), lo, hi) in enumerate(zip(observed, low, high)):
        span = hi - lo
        tol = TOLERANCE * span
        where = f"channel {c}: " if len(observed) > 1 else ""
        if omin < lo - tol or omax > hi + tol:
            problems.append(f"{where}{fmt_range((omin, omax))} lies outside {fmt_range((lo, hi))}")
            continue
        if omin > lo + END_REACH * span or omax < hi - END_REACH * span:
            cover = max(0.0, (omax - omin) / span) if span else 0.0
            problems.append(f"{where}{fmt_range((omin, omax))} covers {cover:.0%} of {fmt_range((lo, hi))}")
    return (not problems), problems


def looks_like(observed: list[list[float]], exclude: str | None = None) -> str | None:
    """The name and description of the catalogue contract the observed range matches, if any."""
    cat = catalog.load()
    for name in ("raw", "unit", "tf", "tf128", "torch", "caffe"):
        c = cat.contracts.get(name)
        if c is None or name == exclude:
            continue
        ok, _ = judge_channels(c.low, c.high, observed)
        if ok:
            return contract_label(name)
    return None


def judge(backbone: str, contract_name: str, observed: list[list[float]], nonfinite: int = 0) -> tuple[str, str]:
    cat = catalog.load()
    contract = cat.contracts[contract_name]
    if nonfinite:
        return FAIL, f"{nonfinite} non-finite values (NaN/inf) reached {backbone}"
    ok, problems = judge_channels(contract.low, contract.high, observed)
    expected = contract_label(contract_name)
    if ok:
        return PASS, f"received values within {expected}"
    guess = looks_like(observed, exclude=contract_name)
    what = f"; the input looks like {guess}" if guess else ""
    if not guess:
        lo = min(o[0] for o in observed)
        hi = max(o[1] for o in observed)
        span = max(contract.high) - min(contract.low)
        if span and (hi - lo) < 0.1 * span:
            what = "; the values are collapsed into a narrow band (preprocessing applied twice?)"
    return FAIL, f"{backbone} expects {expected} but received {fmt_range(_overall(observed))}{what} ({'; '.join(problems)})"


def _overall(per_channel: list[list[float]]) -> list[float]:
    return [min(o[0] for o in per_channel), max(o[1] for o in per_channel)]


def _round(v: float) -> float:
    if not math.isfinite(v):
        return v
    return float(f"{v:.6g}")


# -- building results from the child's payload -------------------------------------------

def results_from_payload(display_path: str, payload: dict | None, failure: str | None,
                         status: str | None = None) -> list[VerifyResult]:
    """Turn what the child wrote (or why it wrote nothing) into one result per backbone."""
    cat = catalog.load()
    if payload is None:
        return [VerifyResult(display_path, None, None, None, None, None, None, UNVERIFIED,
                             failure or "the verification process wrote no result",
                             script_status=status or "crashed", script_error=failure)]
    status = payload.get("status") or "crashed"
    error = payload.get("error")
    if status == "setup-error":
        reason = f"could not set up the instrumentation (TensorFlow/Keras installed? `pip install fixorder[verify]`): {error}"
        return [VerifyResult(display_path, None, None, None, None, None, None, UNVERIFIED, reason,
                             script_status=status, script_error=error)]
    stop = None
    refusals = payload.get("refusals") or []
    if status == "ok" and refusals:
        # The script caught the refusal and went on: what it did next is not what it would do
        # for real, so no verdict.
        first = refusals[0]
        where = f" (line {first['line']})" if first.get("line") and first.get("file") == display_path else ""
        stop = f"the script attempted something verify refuses and caught the error: {first['message']}{where}"
        status = "refused"
    elif status != "ok":
        where = f" (line {payload['error_line']})" if payload.get("error_line") else ""
        if payload.get("error_kind") in ("download", "write"):
            stop = f"{error}{where}"
        elif payload.get("error_kind") == "unreplaceable":
            stop = f"the script needs {error}{where}"
        elif status == "exit":
            stop = f"{error}{where}"
        else:
            stop = f"the script raised {error}{where}"
    out: list[VerifyResult] = []
    probes = {}
    for p in payload.get("probes", []):
        probes.setdefault(p.get("backbone"), []).append(p)
    for b in payload.get("backbones", []):
        name = b["name"]
        bb = cat.backbones.get(name)
        path = b.get("file") or display_path
        line = b.get("line")
        if bb is None:  # cannot happen: the child only wraps catalogue names
            out.append(VerifyResult(path, line, name, None, None, None, None, UNVERIFIED,
                                    "backbone not in the catalogue", status, error))
            continue
        contract_name = bb.contract(b.get("include_preprocessing"))
        contract = cat.contracts[contract_name]
        expected_range = [_round(min(contract.low)), _round(max(contract.high))]
        obs = b.get("observed")
        per_channel = [[_round(a), _round(z)] for a, z in obs["per_channel"]] if obs else None
        if per_channel and not all(math.isfinite(v) for pair in per_channel for v in pair):
            per_channel = None  # only NaN/inf arrived: nothing finite to report
            obs = dict(obs, nonfinite=max(1, obs.get("nonfinite", 0)))
        observed_range = _overall(per_channel) if per_channel else None
        common = dict(path=path, line=line, backbone=name, expects=contract_name,
                      expected_range=expected_range, observed_range=observed_range,
                      observed_per_channel=per_channel, script_status=status, script_error=error)
        if b.get("requested_weights") is None:
            out.append(VerifyResult(**common, verdict=UNVERIFIED, not_applicable=True,
                                    reason="built with weights=None: no pretrained input contract, "
                                           "nothing to check (not applicable)"))
            continue
        if obs is None:
            if b.get("probe_error"):
                reason = b["probe_error"]
            elif stop:
                reason = f"no data reached {name} before the script stopped: {stop}"
            else:
                errs = [p["error"] for p in probes.get(b["index"], []) if p.get("error")]
                if errs:
                    reason = f"no data reached {name}; calling its model on a generated raw batch failed: {errs[0]}"
                else:
                    reason = f"no data reached {name}"
            out.append(VerifyResult(**common, verdict=UNVERIFIED, reason=reason))
            continue
        if per_channel is None:
            verdict, reason = FAIL, f"only non-finite values (NaN/inf) reached {name}"
        else:
            verdict, reason = judge(name, contract_name, per_channel, obs.get("nonfinite", 0))
        if b["index"] in probes and not any(p.get("error") for p in probes[b["index"]]):
            reason += " (the script fed no data; its model was called on a generated raw 0..255 batch)"
        if status == "refused":
            verdict, reason = UNVERIFIED, f"{stop}; what reached {name} is not trusted ({reason})"
        elif stop:
            reason += f"; afterwards {stop}"
        out.append(VerifyResult(**common, verdict=verdict, reason=reason))
    for r in out:
        r.notes.extend(n for n in payload.get("notes", []) if n not in r.notes)
    if not out:
        if stop:
            reason = stop
        else:
            reason = "the script built no keras.applications backbone"
        out.append(VerifyResult(display_path, payload.get("error_line"), None, None, None, None, None,
                                UNVERIFIED, reason, script_status=status, script_error=error,
                                notes=list(payload.get("notes", []))))
    for r in out:
        r.timings = dict(payload.get("timings") or {})
    return out


# -- exit code and reports -----------------------------------------------------------------

def exit_code(results: list[VerifyResult]) -> int:
    """0 all pass; 1 any fail; 2 nothing could be verified or a script could not run.

    Backbones built with ``weights=None`` by the script have no contract and are neutral."""
    if any(r.verdict == FAIL for r in results):
        return 1
    relevant = [r for r in results if not r.not_applicable]
    if relevant and all(r.verdict == PASS for r in relevant):
        return 0
    return 2


def to_json(results: list[VerifyResult]) -> str:
    return json.dumps([r.to_json() for r in results], indent=2)


def to_text(results: list[VerifyResult]) -> str:
    cat = catalog.load()
    lines = []
    for r in results:
        loc = r.path + (f":cell {r.cell}" if r.cell is not None else "") + (f":{r.line}" if r.line else "")
        head = f"{loc}: {r.backbone or '(no backbone)'} {r.verdict.upper()}"
        lines.append(head)
        if r.expects:
            c = cat.contracts[r.expects]
            lines.append(f"    expects  {contract_label(r.expects)}  per channel "
                         + " ".join(fmt_range(x) for x in zip(c.low, c.high)))
        if r.observed_per_channel:
            lines.append(f"    received {fmt_range(r.observed_range)}  per channel "
                         + " ".join(fmt_range(x) for x in r.observed_per_channel))
        lines.append(f"    {r.reason}")
        for note in r.notes:
            lines.append(f"    note: {note}")
        if not r.isolated:
            lines.append(f"    {r.isolation}")
    n = {v: sum(1 for r in results if r.verdict == v) for v in (PASS, FAIL, UNVERIFIED)}
    lines.append(f"{len(results)} result(s): {n[PASS]} pass, {n[FAIL]} fail, {n[UNVERIFIED]} unverified")
    for where in sorted({r.isolation for r in results}):
        lines.append(where)
    return "\n".join(lines)
