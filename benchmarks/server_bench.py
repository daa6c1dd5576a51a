"""Latency of ``fixorder server``: from a change to a 1,000-line script to its diagnostics.

    python benchmarks/server_bench.py                  # 20 edits, the server's default settings
    python benchmarks/server_bench.py --edits 40 --lines 1000

Runs the real server process over stdio with pygls's LSP client (as tests/test_server.py
does), opens a generated ~1,000-line Keras training script (benchmarks/trees.py, every
pipeline of the testdata cases it is made of), then sends ``--edits`` whole-document
changes, each after the previous one's diagnostics arrived, and times didChange ->
publishDiagnostics for that version.  Each edit changes one number, so the findings (and the
work) are the same every time.  Prints the median, the 90th percentile and the target
(issue 18: within 50 ms).  Numbers go here, never in timed tests.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import trees  # noqa: E402

TARGET_MS = 50


def script(lines: int) -> str:
    return trees.dense_script(0, trees._cases(), random.Random(18), target_lines=lines)


async def session(root: Path, text: str, edits: int, server_args: list[str]) -> tuple[float, list[float], int]:
    from lsprotocol import types as lsp
    from pygls.lsp.client import LanguageClient
    from pygls.uris import from_fs_path

    client = LanguageClient("fixorder-bench", "1")
    arrived: dict[int, float] = {}
    counts: dict[int, int] = {}
    event = asyncio.Event()

    @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params: lsp.PublishDiagnosticsParams) -> None:
        if params.version is not None:
            arrived[params.version] = time.perf_counter()
            counts[params.version] = len(params.diagnostics)
            event.set()

    async def wait_for(version: int) -> float:
        while version not in arrived:
            event.clear()
            await asyncio.wait_for(event.wait(), 120)
        return arrived[version]

    await client.start_io(sys.executable, "-m", "fixorder", "server", *server_args, cwd=str(root))
    await client.initialize_async(lsp.InitializeParams(capabilities=lsp.ClientCapabilities(),
                                                       root_uri=from_fs_path(str(root))))
    client.initialized(lsp.InitializedParams())
    path = root / "train.py"
    path.write_text(text, encoding="utf-8")
    uri = from_fs_path(str(path))
    sent = time.perf_counter()
    client.text_document_did_open(lsp.DidOpenTextDocumentParams(
        text_document=lsp.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)))
    first = (await wait_for(1)) - sent
    latencies = []
    for version in range(2, edits + 2):
        # One number changed, as a keystroke would: same pipelines, same findings.
        edited = text.replace("epochs=", f"epochs={version} or ", 1) if version % 2 else text
        sent = time.perf_counter()
        client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=edited)]))
        latencies.append((await wait_for(version)) - sent)
    await asyncio.wait_for(client.shutdown_async(None), 30)
    client.exit(None)
    await asyncio.wait_for(client.stop(), 30)
    return first, latencies, counts.get(edits + 1, 0)


# The analysis alone, in one warm process (no server, no worker, no protocol): what is left
# of the latency when the server adds nothing.
_ANALYSIS_ALONE = r"""
import statistics, sys, time
from fixorder.inputs.options import Options
from fixorder.run.unit import process_text
text = open(sys.argv[1], encoding="utf-8").read()
process_text("train.py", text, Options())
times = []
for _ in range(int(sys.argv[2])):
    started = time.perf_counter()
    process_text("train.py", text, Options())
    times.append(time.perf_counter() - started)
print(statistics.median(times) * 1000)
"""


def analysis_alone_ms(text: str, repeat: int) -> float:
    import subprocess

    with tempfile.NamedTemporaryFile("w", suffix=".py", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        out = subprocess.run([sys.executable, "-c", _ANALYSIS_ALONE, handle.name, str(repeat)],
                             capture_output=True, text=True, check=True).stdout
    return float(out.split()[-1])


def measure(lines: int = 1000, edits: int = 20, server_args: list[str] | None = None) -> dict:
    text = script(lines)
    with tempfile.TemporaryDirectory(prefix="fixorder-server-bench-") as root:
        first, latencies, diagnostics = asyncio.run(session(Path(root), text, edits, server_args or []))
    ordered = sorted(latencies)
    return {"lines": text.count("\n"), "edits": edits, "diagnostics": diagnostics, "open_ms": first * 1000,
            "median_ms": statistics.median(latencies) * 1000,
            "p90_ms": ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))] * 1000,
            "best_ms": ordered[0] * 1000, "analysis_ms": analysis_alone_ms(text, max(3, edits // 2))}


def report(result: dict, label: str = "default settings") -> str:
    verdict = "MET" if result["median_ms"] <= TARGET_MS else "MISSED"
    return (f"server ({label}): {result['lines']}-line script, {result['diagnostics']} diagnostics, "
            f"{result['edits']} edits: didChange -> publishDiagnostics median {result['median_ms']:.0f} ms, "
            f"90th percentile {result['p90_ms']:.0f} ms, best {result['best_ms']:.0f} ms (didOpen: "
            f"{result['open_ms']:.0f} ms); target <= {TARGET_MS} ms -> {verdict}\n"
            f"  the analysis alone (check_source in one warm process, no server): median "
            f"{result['analysis_ms']:.0f} ms; the server adds {result['median_ms'] / result['analysis_ms']:.2f}x")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("server_args", nargs="*", help="passed to `fixorder server` (after --)")
    args = parser.parse_args(argv)
    try:
        import pygls  # noqa: F401
    except ImportError:
        print("server_bench: pygls is not installed (pip install '.[server]')", file=sys.stderr)
        return 2
    print(report(measure(args.lines, args.edits, args.server_args),
                 " ".join(args.server_args) or "default settings"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
