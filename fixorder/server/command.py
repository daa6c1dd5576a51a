"""``fixorder server``: the click command; pygls is imported only when the server starts."""

from __future__ import annotations

import sys

import click

from fixorder.run import guards


@click.command("server", short_help="Run the Language Server over stdio (for editors).")
@click.option("--debounce", type=click.FloatRange(min=0), default=0.0, show_default=True,
              help="Seconds to wait after the last change before analysing a buffer (0: at once; changes "
                   "typed during an analysis are analysed together when it ends).")
@click.option("--time-limit", type=click.FloatRange(min=0.1), default=guards.DEFAULT_TIME_LIMIT, show_default=True,
              help="CPU seconds one buffer's analysis may use (the CLI's per-file guard).")
def server_command(debounce: float, time_limit: float) -> None:
    """Run the Language Server over stdio (for editors: diagnostics, fixes, explanations)."""
    try:
        from fixorder.server.lsp import serve
    except ImportError as exc:
        click.echo(f"fixorder: error: the server needs pygls ({exc}); install it with: pip install 'fixorder[server]'",
                   err=True)
        sys.exit(2)
    serve(debounce, time_limit)
