"""The Language Server: diagnostics while typing, a code action per fix, "fix all" and "explain".

Buffers are analysed from the editor's unsaved text as soon as it changes (or ``debounce``
seconds after the last change, when set), in a thread: the analysis itself runs in a guarded
worker process that stays alive between changes (worker.WarmWorkers, buffers.py), so a
request never waits for a slow file and a change pays no process start-up.  One analysis per
buffer runs at a time: changes that arrive meanwhile are analysed together, at the latest
version, once it ends, and a result for a version the user has already edited away is dropped.

Findings count columns in code points; LSP counts them in the position encoding negotiated at
``initialize`` (UTF-16 code units unless the client offers ``utf-8`` or ``utf-32`` in
``general.positionEncodings``; pygls picks the client's first supported choice).  Every range
the server sends goes through ``to_client`` (an emoji before a finding is 2 UTF-16 units, 4
UTF-8 ones); pygls converts the ranges of incremental ``didChange`` edits the other way.
"""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path
from pygls.workspace.position_codec import PositionCodec

from fixorder import __version__

from fixorder.run import guards
from fixorder.findings import SAFE, UNSAFE, Finding
from fixorder.server.buffers import SUFFIXES, BufferResult, analyse_buffer
from fixorder.server.notebook_positions import source_positions

# No fixed wait: the first change is analysed at once and the ones typed during an analysis
# are coalesced into the next (see schedule), so latency is the analysis and nothing more.
DEBOUNCE = 0.0
FIX_ALL = "fixorder.fixAll"
EXPLAIN = "fixorder.explain"
FIX_ALL_KIND = "source.fixAll.fixorder"


@dataclass
class Published:
    version: int | None
    findings: list[Finding]
    diagnostics: list[lsp.Diagnostic]
    notebook: bool


class FixorderServer(LanguageServer):
    def __init__(self, debounce: float = DEBOUNCE, time_limit: float = guards.DEFAULT_TIME_LIMIT):
        super().__init__("fixorder", __version__)
        self.debounce = debounce
        self.time_limit = time_limit
        self.timers: dict[str, asyncio.TimerHandle] = {}
        self.published: dict[str, Published] = {}
        self.tasks: set[asyncio.Task] = set()
        self.running: set[str] = set()  # buffers being analysed
        self.pending: set[str] = set()  # ... and changed since that analysis started
        # Two buffers can be analysed at once: a slow one does not hold up the next.
        self.analysis_threads = ThreadPoolExecutor(max_workers=2, thread_name_prefix="fixorder-analysis")
        from fixorder.run.worker import WarmWorkers

        self.workers = WarmWorkers(keep=2)

    def schedule(self, uri: str, delay: float) -> None:
        if not to_fs_path(uri) or not to_fs_path(uri).endswith(SUFFIXES):
            return
        if uri in self.timers:
            self.timers.pop(uri).cancel()
        if delay > 0:
            self.timers[uri] = asyncio.get_running_loop().call_later(delay, lambda: self._request(uri))
        else:
            self._request(uri)

    def _request(self, uri: str) -> None:
        self.timers.pop(uri, None)
        if uri in self.running:
            self.pending.add(uri)  # analysed again, at its latest version, when this one ends
            return
        self.running.add(uri)
        self._start(self._lint_until_current(uri))

    async def _lint_until_current(self, uri: str) -> None:
        try:
            while True:
                self.pending.discard(uri)
                await self.lint(uri)
                if uri not in self.pending:
                    return
        finally:
            self.running.discard(uri)

    def _start(self, coroutine) -> None:
        task = asyncio.ensure_future(coroutine)
        self.tasks.add(task)  # keep a reference: the loop holds tasks only weakly
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task) -> None:
        self.tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            error = task.exception()
            self.window_log_message(lsp.LogMessageParams(
                type=lsp.MessageType.Error, message=f"fixorder: internal error: {type(error).__name__}: {error}"))

    async def analyse(self, uri: str, text: str, **kwargs) -> BufferResult:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.analysis_threads, lambda: analyse_buffer(
            to_fs_path(uri), text, time_limit=self.time_limit, workers=self.workers, **kwargs))

    async def lint(self, uri: str) -> None:
        document = self.workspace.get_text_document(uri)
        version, text = document.version, document.source
        result = await self.analyse(uri, text)
        if self.workspace.get_text_document(uri).version != version:
            return  # edited meanwhile: a newer lint follows
        notebook = uri.endswith(".ipynb")
        diagnostics = to_diagnostics(result, text, notebook, self.workspace.position_codec)
        self.published[uri] = Published(version, result.findings, diagnostics, notebook)
        if result.error and not result.findings:  # a configuration error: no file to point at
            self.window_show_message(lsp.ShowMessageParams(type=lsp.MessageType.Error, message=f"fixorder: {result.error}"))
        self.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version))


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def source_lines(text: str) -> list[str]:
    """The lines as the analysis counts them (only \\n, \\r\\n and \\r end one), ends kept."""
    return _LINE.findall(text)


def to_client(codec: PositionCodec, lines: list[str], range_: lsp.Range) -> lsp.Range:
    """A range in code points as the client counts it (the negotiated position encoding)."""
    return codec.range_to_client_units(lines, range_)


def to_diagnostics(result: BufferResult, text: str, notebook: bool,
                   codec: PositionCodec | None = None) -> list[lsp.Diagnostic]:
    positions = source_positions(text) if notebook else {}
    codec = codec or PositionCodec()
    lines = source_lines(text)
    out = []
    for index, finding in enumerate(result.findings):
        severity = lsp.DiagnosticSeverity.Error if finding.code == "FO001" else lsp.DiagnosticSeverity.Warning
        out.append(lsp.Diagnostic(range=to_client(codec, lines, _range(finding, positions, notebook)),
                                  message=finding.message,
                                  severity=severity, code=finding.code, source="fixorder",
                                  data={"index": index, "fix": finding.fix.applicability if finding.fix else None}))
    return out


def _range(finding: Finding, positions: dict, notebook: bool) -> lsp.Range:
    if not notebook:
        end_line = finding.end_line if finding.end_line >= finding.line else finding.line
        end_column = finding.end_column if (end_line, finding.end_column) > (finding.line, finding.column) \
            else finding.column + 1
        return lsp.Range(start=_position(finding.line - 1, finding.column - 1), end=_position(end_line - 1, end_column - 1))
    # A notebook opened as text shows its JSON: point at the string holding the cell's line.
    cell_index = (finding.cell or 1) - 1
    line, character = positions.get((cell_index, finding.line - 1)) or positions.get((cell_index, 0)) or (0, 0)
    start = character + max(finding.column - 1, 0)
    width = max(1, finding.end_column - finding.column) if finding.end_line == finding.line else 1
    return lsp.Range(start=_position(line, start), end=_position(line, start + width))


def _position(line: int, character: int) -> lsp.Position:
    return lsp.Position(line=max(line, 0), character=max(character, 0))


def _overlaps(a: lsp.Range, b: lsp.Range) -> bool:
    return (a.start.line, a.start.character) <= (b.end.line, b.end.character) and \
        (b.start.line, b.start.character) <= (a.end.line, a.end.character)


def _text_edits(finding: Finding) -> list[lsp.TextEdit]:
    """A fix's line edits (1-based lines, whole lines replaced) as LSP edits."""
    return [lsp.TextEdit(range=lsp.Range(start=_position(e.start_line - 1, 0), end=_position(e.end_line - 1, 0)),
                         new_text=e.content)
            for e in finding.fix.edits]


def code_actions(server: FixorderServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    uri = params.text_document.uri
    published = server.published.get(uri)
    if published is None:
        return []
    current = published.version == server.workspace.get_text_document(uri).version
    wanted = params.context.only
    actions: list[lsp.CodeAction] = []
    for finding, diagnostic in zip(published.findings, published.diagnostics):
        if not _overlaps(diagnostic.range, params.range):
            continue
        kind = finding.applicable_fix
        if kind in (SAFE, UNSAFE) and finding.fix.edits and current and not published.notebook \
                and _wants(wanted, lsp.CodeActionKind.QuickFix):
            title = f"Fix {finding.code}: {finding.fix.description}" + (" (unsafe)" if kind == UNSAFE else "")
            actions.append(lsp.CodeAction(title=title, kind=lsp.CodeActionKind.QuickFix, diagnostics=[diagnostic],
                                          is_preferred=kind == SAFE,
                                          edit=lsp.WorkspaceEdit(changes={uri: _text_edits(finding)})))
        if _wants(wanted, lsp.CodeActionKind.QuickFix):
            actions.append(lsp.CodeAction(title=f"Explain {finding.code}", kind=lsp.CodeActionKind.QuickFix,
                                          diagnostics=[diagnostic],
                                          command=lsp.Command(title=f"Explain {finding.code}", command=EXPLAIN,
                                                              arguments=[finding.code, finding.message])))
    kinds = {f.applicable_fix for f in published.findings}
    if SAFE in kinds and _wants(wanted, FIX_ALL_KIND):
        actions.append(lsp.CodeAction(title="Fix all fixorder findings (safe fixes)", kind=FIX_ALL_KIND,
                                      command=lsp.Command(title="Fix all", command=FIX_ALL, arguments=[uri])))
    if UNSAFE in kinds and _wants(wanted, FIX_ALL_KIND):
        actions.append(lsp.CodeAction(title="Fix all fixorder findings (with unsafe fixes)", kind=FIX_ALL_KIND,
                                      command=lsp.Command(title="Fix all (unsafe)", command=FIX_ALL,
                                                          arguments=[uri, {"unsafe": True}])))
    return actions


def _wants(only: list[str] | None, kind: str) -> bool:
    return not only or any(kind == k or kind.startswith(k + ".") for k in only)


def explanation(code: str, message: str | None) -> str:
    from fixorder.output.rule_docs import rule_docs

    for doc in rule_docs():
        if doc.code == code:
            text = f"{doc.code} {doc.name}: {doc.summary}\n\n{doc.markdown}"
            return f"{message}\n\n{text}" if message else text
    return f"unknown rule {code}"


def build(debounce: float = DEBOUNCE, time_limit: float = guards.DEFAULT_TIME_LIMIT) -> FixorderServer:
    server = FixorderServer(debounce, time_limit)

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: FixorderServer, params: lsp.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, 0)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: FixorderServer, params: lsp.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, ls.debounce)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: FixorderServer, params: lsp.DidSaveTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, 0)  # the project's configuration may have changed

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: FixorderServer, params: lsp.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        if uri in ls.timers:
            ls.timers.pop(uri).cancel()
        ls.published.pop(uri, None)
        ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(lsp.TEXT_DOCUMENT_CODE_ACTION,
                    lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix, FIX_ALL_KIND]))
    def code_action(ls: FixorderServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        return code_actions(ls, params)

    @server.command(FIX_ALL)
    async def fix_all(ls: FixorderServer, *args) -> dict:
        uri = args[0]
        unsafe = bool(args[1].get("unsafe")) if len(args) > 1 and isinstance(args[1], dict) else None
        document = ls.workspace.get_text_document(uri)
        version, text = document.version, document.source
        result = await ls.analyse(uri, text, fix=True, unsafe=unsafe)
        if result.new_text is None or ls.workspace.get_text_document(uri).version != version:
            return {"fixed": 0, "applied": False}
        lines = text.split("\n")
        # The end of the last line, in the client's units (fix-all edits are whole-line otherwise).
        whole = lsp.Range(start=_position(0, 0),
                          end=_position(len(lines) - 1, ls.workspace.position_codec.client_num_units(lines[-1])))
        edit = lsp.WorkspaceEdit(document_changes=[lsp.TextDocumentEdit(
            text_document=lsp.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version),
            edits=[lsp.TextEdit(range=whole, new_text=result.new_text)])])
        answer = await ls.workspace_apply_edit_async(lsp.ApplyWorkspaceEditParams(edit=edit, label="fixorder: fix all"))
        return {"fixed": result.fixed, "applied": bool(answer.applied)}

    @server.command(EXPLAIN)
    def explain(ls: FixorderServer, *args) -> str:
        text = explanation(str(args[0]).upper(), args[1] if len(args) > 1 else None)
        ls.window_show_message(lsp.ShowMessageParams(type=lsp.MessageType.Info, message=text))
        return text

    return server


def serve(debounce: float = DEBOUNCE, time_limit: float = guards.DEFAULT_TIME_LIMIT) -> None:
    """Speak LSP on the process's stdin/stdout, through private copies of the two descriptors.

    The analysis forks worker processes from a thread while pygls's reader thread sits in a
    read of stdin holding its buffer's lock; multiprocessing closes ``sys.stdin`` in every
    child, which would wait for that lock forever.  So the protocol gets its own file objects,
    ``sys.stdin`` becomes /dev/null, and anything printed (or written to fd 1) lands on stderr
    instead of corrupting the protocol stream.
    """
    import os
    import sys

    protocol_in = os.fdopen(os.dup(0), "rb")
    protocol_out = os.fdopen(os.dup(1), "wb")
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(2, 1)
    sys.stdin = open(os.devnull, encoding="utf-8")
    sys.stdout = sys.stderr
    build(debounce, time_limit).start_io(protocol_in, protocol_out)
