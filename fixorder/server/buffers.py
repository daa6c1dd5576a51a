"""One editor buffer (unsaved text of a .py or .ipynb) checked or fixed, as the CLI would.

The project's ``[tool.fixorder]`` (found from the file's folder) and its per-file-ignores
apply.  The analysis runs in a worker process under the CLI's guards (worker.analyse_all:
the CPU time limit, a parser stuck in native code or crashing), so a pathological buffer
costs a diagnostic, never the editor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from fixorder.inputs import config

from fixorder.run import guards

from fixorder.inputs import prefilter
from fixorder.findings import Finding
from fixorder.run.unit import is_generated, is_notebook

SUFFIXES = (".py", ".pyi", ".ipynb")


@dataclass
class BufferResult:
    findings: list[Finding] = field(default_factory=list)  # notebook findings carry cell and cell line
    error: str | None = None
    warning: str | None = None
    new_text: str | None = None  # with fix=True: the whole buffer after the fixes, when they changed it
    fixed: int = 0


def analyse_buffer(path: str, text: str, *, fix: bool = False, unsafe: bool | None = None,
                   time_limit: float = guards.DEFAULT_TIME_LIMIT, workers=None) -> BufferResult:
    """Findings for the buffer ``text`` of the file at ``path`` (which need not exist on disk).

    ``workers``: a worker.WarmWorkers to analyse in (the server's, kept between changes);
    None: a worker started for this buffer.  The configuration is read again every time (a
    stat per folder up to the pyproject.toml and, when there is one, its parse: well under a
    millisecond), so an edit to it applies to the next change without a save or a restart.
    """
    from fixorder.run.runner import display_path

    file = Path(path)
    try:
        settings = config.load_settings(file.parent)
    except config.ConfigError as exc:
        return BufferResult(error=str(exc))
    if unsafe is not None:
        settings.unsafe_fixes = unsafe
    options = settings.options_for(file)
    display = display_path(file)
    if is_generated(text):
        return BufferResult()
    if is_notebook(path):
        return _notebook(display, text, options, fix, time_limit, workers)
    raw = text.encode("utf-8")
    if not prefilter.may_have_findings(raw, "utf-8") or not prefilter.names_may_have_findings(text):
        return BufferResult()
    result = _guarded(display, text, options, fix, time_limit, workers)
    out = BufferResult(result.findings, result.error, result.warning)
    if fix and result.new_text is not None:
        out.new_text, out.fixed = result.new_text, len(result.fixed)
    return out


def _guarded(display: str, text: str, options, fix: bool, time_limit: float, workers=None):
    from fixorder.inputs.options import Options
    from fixorder.run.worker import Settings, Task, analyse_all

    if workers is not None:  # the unit carries its options: one set of warm workers serves every file
        result, _complete = workers.analyse(Task(display, text, options), Settings(Options(), fix, time_limit))
        return result
    ((result, _complete),) = list(analyse_all([Task(display, text)], Settings(options, fix, time_limit), jobs=1))
    return result


def _notebook(display: str, text: str, options, fix: bool, time_limit: float, workers=None) -> BufferResult:
    from fixorder.inputs import notebooks
    from fixorder.run.unit import write_back
    from fixorder.run.worker import not_analysed

    try:
        notebook = notebooks.load(text)
    except notebooks.NotebookError as exc:
        return BufferResult([not_analysed(display, str(exc))], str(exc))
    skipped = notebooks.non_python_kernel(notebook.data)
    if skipped or not notebook.cells:
        return BufferResult(warning=skipped)
    # The joined program is Python: analysed under a .py name (the worker reads a .ipynb name as
    # notebook JSON), its findings then named after the notebook again.
    result = _guarded(display + ".py", notebook.program, options, fix, time_limit, workers)
    for finding in [*result.findings, *result.fixed]:
        finding.path = display
    out = BufferResult(result.findings, result.error, result.warning)
    if fix and result.new_text is not None:
        try:
            out.new_text, _ = write_back(notebook, result.new_text)
            out.fixed = len(result.fixed)
        except notebooks.NotebookError as exc:
            out.error = str(exc)
    notebooks.to_cells(notebook, out.findings)
    return out
