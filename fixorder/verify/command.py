"""``fixorder verify``: the click command (registered in the main CLI group by fixorder.cli)."""

from __future__ import annotations

import click

from fixorder.verify.results import exit_code, to_json, to_text
from fixorder.verify.runner import DEFAULT_TIMEOUT, verify_scripts
from fixorder.verify.sandbox import SandboxRequired


@click.command("verify")
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Report format.")
@click.option("--timeout", type=float, default=DEFAULT_TIMEOUT, show_default=True, metavar="SECONDS",
              help="Time limit per script.")
@click.option("--jobs", "-j", type=int, default=None, metavar="N",
              help="Scripts verified in parallel (default: CPU count, at most 4).")
@click.option("--sandbox/--no-sandbox", default=True, show_default=True,
              help="Run each script inside a bubblewrap sandbox when one is available (--no-sandbox: "
                   "never; the report then says 'not isolated').")
@click.option("--require-sandbox", is_flag=True,
              help="Refuse to run (exit 2) when no sandbox is available.")
@click.option("--keras", type=click.Choice(["auto", "2", "3"]), default="auto", show_default=True,
              help="Keras the scripts are run with: 2 resolves keras to tf_keras (TF_USE_LEGACY_KERAS=1); "
                   "auto picks 2 for scripts using APIs only Keras 2 has (ImageDataGenerator, "
                   "layers.experimental, fit_generator, ...).")
@click.option("--whole-script", is_flag=True,
              help="Run each whole file instead of, per pipeline fixorder links, the slice of the file "
                   "that pipeline needs.")
@click.argument("scripts", nargs=-1, type=click.Path(dir_okay=False))
def verify_command(output_format: str, timeout: float, jobs: int | None, sandbox: bool, require_sandbox: bool,
                   keras: str, whole_script: bool, scripts: tuple[str, ...]) -> None:
    """Run each SCRIPT's pipelines under instrumentation and check what reaches each keras.applications backbone.

    By default only what each pipeline fixorder links needs runs (a slice of the file: its
    imports, definitions, data source, stages, backbone and training call); --whole-script runs
    the whole file.

    This EXECUTES the scripts (in a separate process, inside a bubblewrap sandbox when available,
    in a temporary directory, with a time limit and hard resource limits): pretrained weights are replaced by weights=None, image directories by small
    generated images, downloads are refused, and fit/evaluate/predict run one step.

    Exit status: 0 all pass; 1 any fail; 2 nothing could be verified or a script could not run.
    """
    if not scripts:
        raise click.UsageError("no SCRIPT given")
    if require_sandbox and not sandbox:
        raise click.UsageError("--require-sandbox and --no-sandbox contradict each other")
    try:
        results = verify_scripts(list(scripts), timeout=timeout, jobs=jobs, sandboxed=sandbox,
                                 require_sandbox=require_sandbox, keras=keras, whole_script=whole_script)
    except SandboxRequired as exc:
        click.echo(f"fixorder verify: error: {exc} (--require-sandbox)", err=True)
        raise SystemExit(2)
    click.echo(to_json(results) if output_format == "json" else to_text(results))
    raise SystemExit(exit_code(results))
