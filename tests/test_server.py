"""``fixorder server`` driven over stdio by a real LSP client (pygls's LanguageClient)."""

from __future__ import annotations

import asyncio
import json
import shutil
import sys
import time
from pathlib import Path
from typing import Union

import pytest

pytest.importorskip("pygls")

from lsprotocol import types as lsp  # noqa: E402
from pygls.lsp.client import LanguageClient  # noqa: E402
from pygls.uris import from_fs_path  # noqa: E402

from tests.cli_helpers import BROKEN_SCRIPT, FIXED_SCRIPT  # noqa: E402
from tests.conftest import TESTDATA  # noqa: E402

UNSAFE_CASE = TESTDATA / "fixes" / "FO104_function_parameter_origin.unsafe.in.py"
NOTEBOOK = TESTDATA / "verify" / "notebook_eager_fail.ipynb"
# libcst's native parser takes minutes on a long chain of `+` (tests/test_guards.py): past the
# time limit the worker is killed; the server must go on answering meanwhile.
SLOW_SOURCE = "from tensorflow.keras import applications\nx = " + " + ".join(["1"] * 60000) + "\n"


class Session:
    """One server process and the client that talks to it; records what the server sends."""

    def __init__(self, root: Path, *server_args: str, encodings: list[str] | None = None):
        self.root = root
        self.args = server_args
        self.encodings = encodings  # the client's general.positionEncodings, in its order of preference
        self.initialize_result: lsp.InitializeResult | None = None
        self.client = LanguageClient("fixorder-test", "1")
        self.diagnostics: dict[str, list[lsp.PublishDiagnosticsParams]] = {}
        self.edits: list[lsp.ApplyWorkspaceEditParams] = []
        self.messages: list[lsp.ShowMessageParams] = []
        self.arrived: dict[tuple[str, int], float] = {}
        self.changed = asyncio.Event()
        converter = self.client.protocol._converter

        def command_or_action(data, _):
            # lsprotocol's own hook reads every code action that carries a command as a bare
            # Command, losing its kind; a bare Command's "command" is the command's name.
            return converter.structure(data, lsp.Command if isinstance(data.get("command"), str) else lsp.CodeAction)

        converter.register_structure_hook(Union[lsp.Command, lsp.CodeAction], command_or_action)

        @self.client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def on_diagnostics(params: lsp.PublishDiagnosticsParams) -> None:
            self.diagnostics.setdefault(params.uri, []).append(params)
            self.arrived[(params.uri, params.version)] = time.monotonic()
            self.changed.set()

        @self.client.feature(lsp.WORKSPACE_APPLY_EDIT)
        def on_apply_edit(params: lsp.ApplyWorkspaceEditParams) -> lsp.ApplyWorkspaceEditResult:
            self.edits.append(params)
            return lsp.ApplyWorkspaceEditResult(applied=True)

        @self.client.feature(lsp.WINDOW_SHOW_MESSAGE)
        def on_message(params: lsp.ShowMessageParams) -> None:
            self.messages.append(params)

    async def __aenter__(self) -> Session:
        await self.client.start_io(sys.executable, "-m", "fixorder", "server", *self.args, cwd=str(self.root))
        general = lsp.GeneralClientCapabilities(position_encodings=self.encodings) if self.encodings else None
        self.initialize_result = await self.client.initialize_async(lsp.InitializeParams(
            capabilities=lsp.ClientCapabilities(general=general), root_uri=from_fs_path(str(self.root))))
        self.client.initialized(lsp.InitializedParams())
        return self

    async def __aexit__(self, *exc) -> None:
        await asyncio.wait_for(self.client.shutdown_async(None), 30)
        self.client.exit(None)
        await asyncio.wait_for(self.client.stop(), 30)

    def open(self, path: Path, text: str, language: str = "python") -> str:
        uri = from_fs_path(str(path))
        self.client.text_document_did_open(lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)))
        return uri

    def change(self, uri: str, version: int, text: str) -> None:
        self.client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=text)]))

    async def published(self, uri: str, version: int, timeout: float = 60) -> list[lsp.Diagnostic]:
        """The diagnostics the server publishes for ``version`` of the document."""
        deadline = time.monotonic() + timeout
        while True:
            for params in self.diagnostics.get(uri, []):
                if params.version == version:
                    return list(params.diagnostics)
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"no diagnostics for {uri} version {version}: {self.diagnostics.get(uri)}"
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), remaining)
            except asyncio.TimeoutError:
                pass

    async def actions(self, uri: str, diagnostic: lsp.Diagnostic, only=None) -> list[lsp.CodeAction]:
        return list(await self.client.text_document_code_action_async(lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri), range=diagnostic.range,
            context=lsp.CodeActionContext(diagnostics=[diagnostic], only=only))) or [])

    async def execute(self, command: str, *arguments):
        return await self.client.workspace_execute_command_async(
            lsp.ExecuteCommandParams(command=command, arguments=list(arguments)))


def apply(text: str, edits: list[lsp.TextEdit]) -> str:
    """Apply LSP text edits (here: whole-line ranges) to ``text``, last first."""
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))

    def offset(position: lsp.Position) -> int:
        return offsets[min(position.line, len(lines))] + position.character

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[:offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end):]
    return text


def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, 240))


def test_diagnostics_from_the_unsaved_buffer_code_actions_and_fix_all(tmp_path):
    path = tmp_path / "train.py"
    path.write_text(FIXED_SCRIPT)  # on disk: clean; the editor's buffer is what counts

    async def scenario():
        async with Session(tmp_path, "--debounce", "0.05") as session:
            uri = session.open(path, BROKEN_SCRIPT)
            (diagnostic,) = await session.published(uri, 1)
            assert diagnostic.code == "FO101" and diagnostic.source == "fixorder"
            assert diagnostic.range.start == lsp.Position(line=7, character=4)  # `base(x, ...)`, 0-based
            assert diagnostic.severity == lsp.DiagnosticSeverity.Warning

            actions = await session.actions(uri, diagnostic)
            by_title = {a.title: a for a in actions}
            quick = [a for a in actions if a.edit is not None]
            assert len(quick) == 1 and quick[0].kind == lsp.CodeActionKind.QuickFix and quick[0].is_preferred
            assert "(unsafe)" not in quick[0].title
            assert apply(BROKEN_SCRIPT, quick[0].edit.changes[uri]) == FIXED_SCRIPT
            assert "Explain FO101" in by_title
            (fix_all,) = [a for a in actions if a.kind == "source.fixAll.fixorder"]

            explained = await session.execute("fixorder.explain", "FO101", diagnostic.message)
            assert explained.startswith(diagnostic.message) and "## What it does" in explained
            assert session.messages and "FO101 missing-preprocess-input" in session.messages[-1].message

            result = await session.execute(fix_all.command.command, *fix_all.command.arguments)
            assert result == {"fixed": 1, "applied": True}
            (change,) = session.edits[-1].edit.document_changes
            assert change.text_document.version == 1
            assert apply(BROKEN_SCRIPT, change.edits) == FIXED_SCRIPT

            # Typing: the diagnostics follow the buffer, debounced to the last version.
            session.change(uri, 2, FIXED_SCRIPT)
            session.change(uri, 3, FIXED_SCRIPT + "\n")
            assert await session.published(uri, 3) == []
            assert all(p.version != 2 for p in session.diagnostics[uri]), "version 2 was superseded"
            session.change(uri, 4, BROKEN_SCRIPT)
            assert [d.code for d in await session.published(uri, 4)] == ["FO101"]
        assert path.read_text() == FIXED_SCRIPT, "the server never writes files"

    run(scenario())


def test_unsafe_fixes_are_marked_and_honour_the_project_config(tmp_path):
    shutil.copy(UNSAFE_CASE, tmp_path / "embed.py")
    text = UNSAFE_CASE.read_text()
    expected = UNSAFE_CASE.with_name(UNSAFE_CASE.name.replace(".in.py", ".out.py")).read_text()

    async def scenario():
        async with Session(tmp_path, "--debounce", "0.05") as session:
            uri = session.open(tmp_path / "embed.py", text)
            (diagnostic,) = await session.published(uri, 1)
            actions = await session.actions(uri, diagnostic)
            (quick,) = [a for a in actions if a.edit is not None]
            assert quick.title.endswith("(unsafe)") and not quick.is_preferred
            assert apply(text, quick.edit.changes[uri]) == expected
            (fix_all,) = [a for a in actions if a.kind == "source.fixAll.fixorder"]
            assert "unsafe" in fix_all.title
            assert (await session.execute(FIX_ALL := fix_all.command.command, *fix_all.command.arguments))["fixed"] == 1
            assert FIX_ALL == "fixorder.fixAll"
            assert await session.actions(uri, diagnostic, only=[lsp.CodeActionKind.SourceFixAll]) == [fix_all]

            # [tool.fixorder] of the project applies: ignoring the rule silences the buffer.
            (tmp_path / "pyproject.toml").write_text('[tool.fixorder]\nignore = ["FO104"]\n')
            session.change(uri, 2, text + "\n")
            assert await session.published(uri, 2) == []

    run(scenario())


def test_notebook_buffer_points_into_the_cell_json(tmp_path):
    text = NOTEBOOK.read_text()
    path = tmp_path / "nb.ipynb"
    path.write_text(text)
    data = json.loads(text)

    async def scenario():
        async with Session(tmp_path, "--debounce", "0.05") as session:
            uri = session.open(path, text, language="json")
            (diagnostic,) = await session.published(uri, 1)
            assert diagnostic.code == "FO101"
            line = text.splitlines()[diagnostic.range.start.line]
            # The cell line the finding names is the JSON string the range starts in.
            cell_line = "".join(data["cells"][2]["source"]).splitlines()[3]
            assert json.dumps(cell_line)[1:-1] in line
            start = diagnostic.range.start.character
            assert line[start:start + len("base(")] == "base("
            actions = await session.actions(uri, diagnostic)
            (fix_all,) = [a for a in actions if a.kind == "source.fixAll.fixorder"]
            assert (await session.execute(fix_all.command.command, *fix_all.command.arguments))["fixed"] == 1
            fixed = json.loads(apply(text, session.edits[-1].edit.document_changes[0].edits))
            assert "mobilenet_v2.preprocess_input(augment(" in "".join(fixed["cells"][2]["source"])

    run(scenario())


def test_a_slow_buffer_never_blocks_the_others(tmp_path):
    async def scenario():
        async with Session(tmp_path, "--debounce", "0", "--time-limit", "3") as session:
            slow = session.open(tmp_path / "slow.py", SLOW_SOURCE)
            await asyncio.sleep(0.2)
            fast = session.open(tmp_path / "fast.py", BROKEN_SCRIPT)
            assert [d.code for d in await session.published(fast, 1)] == ["FO101"]
            (diagnostic,) = await session.published(slow, 1, timeout=180)
            assert diagnostic.code == "FO001" and "time limit" in diagnostic.message
            # The fast buffer, opened after the slow one, got its diagnostics first.
            assert session.arrived[(fast, 1)] < session.arrived[(slow, 1)]
            # and requests are answered while a buffer is being analysed
            assert (await session.execute("fixorder.explain", "FO001")).startswith("FO001 parse-error")

    run(scenario())


# A line with characters outside the Basic Multilingual Plane before the finding: each is one
# code point, two UTF-16 code units and four UTF-8 ones.
EMOJI_CLEAN = """import keras

base = keras.applications.MobileNetV2(include_top=False)
flip = keras.layers.RandomFlip()
inputs = keras.Input((96, 96, 3))
tag = "\U0001F431 cat \U0001F436"; outputs = base(PRE(flip(inputs)))  # \U0001F40D
""".replace("PRE", "keras.applications.mobilenet_v2.preprocess_input")
EMOJI_LINE = 5
UNITS = {"utf-8": lambda s: len(s.encode("utf-8")), "utf-16": lambda s: len(s.encode("utf-16-le")) // 2,
         "utf-32": len}


def _client_position(text: str, line: int, column: int, encoding: str) -> lsp.Position:
    """``column`` (code points) of ``line`` as a client using ``encoding`` counts it."""
    return lsp.Position(line=line, character=UNITS[encoding](text.splitlines()[line][:column]))


@pytest.mark.parametrize("offered, negotiated", [
    (None, "utf-16"),  # a client that says nothing gets LSP's default
    (["utf-16"], "utf-16"),
    (["utf-8", "utf-16"], "utf-8"),
    (["utf-32"], "utf-32"),
], ids=["default", "utf-16", "utf-8-preferred", "utf-32"])
def test_positions_count_in_the_negotiated_encoding(tmp_path, offered, negotiated):
    """Incremental edits after an emoji land where the client meant them, the diagnostic points
    at the finding in the client's units, and its code action fixes the line, emoji intact."""
    path = tmp_path / "emoji.py"
    line = EMOJI_CLEAN.splitlines()[EMOJI_LINE]
    wrapper = "keras.applications.mobilenet_v2.preprocess_input("
    start = line.index(wrapper)
    closing = line.index("))  #") + 1  # the wrapper's closing parenthesis

    async def scenario():
        async with Session(tmp_path, "--debounce", "0.05", encodings=offered) as session:
            assert session.initialize_result.capabilities.position_encoding == negotiated
            uri = session.open(path, EMOJI_CLEAN)
            assert await session.published(uri, 1) == []
            # Unwrap preprocess_input with two incremental edits (the later one first, as
            # editors send them), addressed in the client's units.
            edits = []
            for begin, end in ((closing, closing + 1), (start, start + len(wrapper))):
                edits.append(lsp.TextDocumentContentChangePartial(range=lsp.Range(
                    start=_client_position(EMOJI_CLEAN, EMOJI_LINE, begin, negotiated),
                    end=_client_position(EMOJI_CLEAN, EMOJI_LINE, end, negotiated)), text=""))
            session.client.text_document_did_change(lsp.DidChangeTextDocumentParams(
                text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2), content_changes=edits))
            broken = EMOJI_CLEAN.replace("base(" + wrapper + "flip(inputs)))", "base(flip(inputs))")
            [diagnostic] = await session.published(uri, 2)
            assert diagnostic.code == "FO101"
            finding_at = broken.splitlines()[EMOJI_LINE].index("base(flip(inputs))")
            assert diagnostic.range == lsp.Range(
                start=_client_position(broken, EMOJI_LINE, finding_at, negotiated),
                end=_client_position(broken, EMOJI_LINE, finding_at + len("base(flip(inputs))"), negotiated))
            [fix] = [a for a in await session.actions(uri, diagnostic) if a.edit is not None]
            fixed = apply(broken, fix.edit.changes[uri])
            assert "\U0001F431 cat \U0001F436" in fixed and "# \U0001F40D" in fixed
            assert "keras.applications.mobilenet_v2.preprocess_input(flip(inputs))" in fixed
            session.change(uri, 3, fixed)
            assert await session.published(uri, 3) == []
            # "Fix all" replaces the whole buffer: its range ends after the last line's emoji.
            unterminated = broken.rstrip("\n")
            session.change(uri, 4, unterminated)
            assert len(await session.published(uri, 4)) == 1
            assert (await session.execute("fixorder.fixAll", uri))["applied"] is True
            [change] = session.edits[-1].edit.document_changes
            [whole] = change.edits
            assert whole.range.end == _client_position(unterminated, EMOJI_LINE, len(unterminated.splitlines()[-1]),
                                                       negotiated)

    run(scenario())
