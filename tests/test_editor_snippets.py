"""The editor snippets of README's Editor section are the files in editors/, and they work:
each parses, names the real command, and that command starts the server and answers
``initialize`` over stdio (driven by pygls's LSP client, as tests/test_server.py does)."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytest.importorskip("pygls")

from lsprotocol import types as lsp  # noqa: E402
from pygls.lsp.client import LanguageClient  # noqa: E402
from pygls.uris import from_fs_path  # noqa: E402

README = (ROOT / "README.md").read_text(encoding="utf-8")
EDITORS = ROOT / "editors"
SNIPPETS = {  # file -> the language of its README code block
    "vscode/package.json": "json",
    "vscode/extension.js": "js",
    "neovim/fixorder.lua": "lua",
    "helix/languages.toml": "toml",
}
# A stand-in for vscode-languageclient that records what the extension asks it to start.
RECORDING_CLIENT = """
class LanguageClient {
  constructor(id, name, serverOptions, clientOptions) {
    process.stdout.write(JSON.stringify({ id, name, serverOptions, clientOptions }));
  }
  start() { return Promise.resolve(); }
  stop() { return Promise.resolve(); }
}
module.exports = { LanguageClient };
"""


def _editor_section() -> str:
    return README.split("\n## Editor\n", 1)[1].split("\n## ", 1)[0]


@pytest.mark.parametrize("name, language", SNIPPETS.items())
def test_readme_shows_the_file_verbatim(name: str, language: str) -> None:
    text = (EDITORS / name).read_text(encoding="utf-8")
    assert f"`editors/{name}`" in _editor_section()
    assert f"```{language}\n{text}```\n" in _editor_section()


def test_vscode_manifest_points_at_the_extension() -> None:
    manifest = json.loads((EDITORS / "vscode" / "package.json").read_text())
    assert (EDITORS / "vscode" / manifest["main"]).resolve() == (EDITORS / "vscode" / "extension.js").resolve()
    assert "onLanguage:python" in manifest["activationEvents"]
    assert "vscode-languageclient" in manifest["dependencies"] and "vscode" in manifest["engines"]


def _vscode_server_options_by_reading() -> dict:
    source = (EDITORS / "vscode" / "extension.js").read_text()
    match = re.search(r'\{ command: "([^"]+)", args: \[([^\]]*)\] \}', source)
    assert match, "extension.js names no { command, args } for the server"
    return {"command": match.group(1), "args": re.findall(r'"([^"]*)"', match.group(2))}


def _vscode_server_options_by_running(tmp_path: Path) -> dict:
    """Run the extension's activate() under node, vscode-languageclient replaced by a recorder."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the extension is only read, not run")
    extension = tmp_path / "extension"
    shutil.copytree(EDITORS / "vscode", extension)
    stand_in = extension / "node_modules" / "vscode-languageclient"
    stand_in.mkdir(parents=True)
    (stand_in / "node.js").write_text(RECORDING_CLIENT)
    proc = subprocess.run([node, "-e", "require('./extension.js').activate()"], cwd=extension,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    recorded = json.loads(proc.stdout)
    assert recorded["id"] == "fixorder"
    selectors = recorded["clientOptions"]["documentSelector"]
    assert {"scheme": "file", "language": "python"} in selectors
    assert any(s.get("pattern", "").endswith(".ipynb") for s in selectors)
    return recorded["serverOptions"]


def _neovim_command() -> list[str]:
    source = (EDITORS / "neovim" / "fixorder.lua").read_text()
    match = re.search(r"cmd = \{([^}]*)\}", source)
    assert match and 'vim.lsp.enable("fixorder")' in source
    assert re.search(r'filetypes = \{ "python" \}', source)
    return re.findall(r'"([^"]*)"', match.group(1))


def _helix_command() -> list[str]:
    config = tomllib.loads((EDITORS / "helix" / "languages.toml").read_text())
    server = config["language-server"]["fixorder"]
    [python] = [lang for lang in config["language"] if lang["name"] == "python"]
    assert "fixorder" in python["language-servers"]
    return [server["command"], *server["args"]]


def _answers_initialize(command: list[str], root: Path) -> lsp.InitializeResult:
    """Start ``command`` as the editor would (found on PATH) and send it ``initialize``."""
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    executable = shutil.which(command[0], path=path)
    assert executable, f"{command[0]} is not on PATH"

    async def session() -> lsp.InitializeResult:
        client = LanguageClient("editor-snippet-test", "1")
        await client.start_io(executable, *command[1:], cwd=str(root))
        try:
            return await asyncio.wait_for(client.initialize_async(lsp.InitializeParams(
                capabilities=lsp.ClientCapabilities(), root_uri=from_fs_path(str(root)))), 120)
        finally:
            await asyncio.wait_for(client.shutdown_async(None), 30)
            client.exit(None)
            await asyncio.wait_for(client.stop(), 30)

    return asyncio.run(session())


def test_every_snippet_names_the_same_command(tmp_path) -> None:
    vscode = _vscode_server_options_by_reading()
    commands = {tuple([vscode["command"], *vscode["args"]]), tuple(_neovim_command()), tuple(_helix_command())}
    assert commands == {("fixorder", "server")}


def test_the_vscode_extension_starts_the_server(tmp_path) -> None:
    options = _vscode_server_options_by_running(tmp_path)
    result = _answers_initialize([options["command"], *options["args"]], tmp_path)
    assert result.server_info.name == "fixorder"
    assert result.capabilities.code_action_provider is not None


def test_the_neovim_and_helix_command_starts_the_server(tmp_path) -> None:
    [command] = {tuple(_neovim_command()), tuple(_helix_command())}
    result = _answers_initialize(list(command), tmp_path)
    assert result.server_info.name == "fixorder"
    assert "fixorder.fixAll" in result.capabilities.execute_command_provider.commands
