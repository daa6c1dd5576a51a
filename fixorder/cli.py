"""Command line: parse options, run the engine, print.  No analysis logic lives here."""

from __future__ import annotations

import codecs
import signal
import sys
from pathlib import Path

import click

from fixorder import __version__, cache, config
from fixorder.discovery import DiscoveryOptions, Excluder
from fixorder.findings import SAFE, UNSAFE, Finding
from fixorder.output import FORMATS, formatter
from fixorder.rules import RULE_MODULES, load_rule
from fixorder.runner import analyse_text, display_path, run
from fixorder.unit import is_generated

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
# As a shell reports a command ended by SIGINT or SIGTERM: 128 + the signal number.
EXIT_INTERRUPTED, EXIT_TERMINATED = 128 + signal.SIGINT, 128 + signal.SIGTERM


class Terminated(BaseException):
    """SIGTERM, raised where the run is, so that every ``finally`` and ``except BaseException``
    on the way out runs: workers are killed, a temporary file being written is removed."""


def _on_sigterm(signum, frame):
    raise Terminated()


def _file_name_bytes(exc: UnicodeEncodeError):
    """Encoding error handler: a file name that is not UTF-8 (held by Python as surrogate
    escapes) is written as its own bytes; any other character the stream cannot take as \\x.."""
    chunk = exc.object[exc.start:exc.end]
    if all("\udc80" <= c <= "\udcff" for c in chunk):
        return bytes(ord(c) - 0xDC00 for c in chunk), exc.end
    return chunk.encode("ascii", "backslashreplace").decode("ascii"), exc.end


codecs.register_error("fixorder-names", _file_name_bytes)


def _keep_file_name_bytes() -> None:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="fixorder-names")


# Subcommands imported only when used: ``verify`` pulls in subprocess, concurrent.futures and
# the catalogue, which every ``fixorder check`` run would otherwise pay for at start-up.
LAZY_COMMANDS = {"verify": ("fixorder.verify.command", "verify_command")}


class DefaultGroup(click.Group):
    """``fixorder PATHS`` means ``fixorder check PATHS``, as ``fixorder --diff src/`` must work."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or args[0] not in self.commands and args[0] not in LAZY_COMMANDS \
                and args[0] not in ("--help", "-h", "--version"):
            args = ["check", *args]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context):
        """Exit 2 on an internal error, never 1 (which means findings); 130/143 when interrupted."""
        if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
            signal.signal(signal.SIGTERM, _on_sigterm)
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt:
            click.echo("fixorder: interrupted; files already written are complete, no file is half-written", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except Terminated:
            click.echo("fixorder: terminated; files already written are complete, no file is half-written", err=True)
            sys.exit(EXIT_TERMINATED)
        except Exception as exc:  # noqa: BLE001 - any bug: one line and exit 2, not a traceback and 1
            click.echo(f"fixorder: error: internal error: {_describe(exc)}", err=True)
            sys.exit(EXIT_ERROR)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in LAZY_COMMANDS and name not in self.commands:
            import importlib

            module, attribute = LAZY_COMMANDS[name]
            self.add_command(getattr(importlib.import_module(module), attribute), name)
        return super().get_command(ctx, name)


def _describe(exc: BaseException) -> str:
    """``Type: message (at file:line)``, the line being the innermost frame of fixorder's own."""
    import traceback

    detail = str(exc).splitlines()[0] if str(exc) else ""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "fixorder" in f.filename or "codemods" in f.filename]
    where = f" (at {Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
    return f"{type(exc).__name__}{': ' + detail if detail else ''}{where}"


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="fixorder")
def main() -> None:
    """Find and fix Keras pipelines that feed a pretrained backbone the wrong input range."""


def _codes(values: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for value in values:
        out.extend(c.strip().upper() for c in value.split(",") if c.strip())
    return out


def _patterns(values: tuple[str, ...]) -> list[str]:
    return [p.strip() for value in values for p in value.split(",") if p.strip()]


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(readable=False))  # unreadable: a per-file error
@click.option("--diff", is_flag=True, help="Print a unified diff of the fixes; write nothing.")
@click.option("--fix", is_flag=True, help="Apply safe fixes in place.")
@click.option("--unsafe-fixes/--no-unsafe-fixes", default=None,
              help="Also apply (with --fix/--diff) fixes marked unsafe.  [config: unsafe-fixes]")
@click.option("--strategy", type=click.Choice(["insert", "fold"]), default=None,
              help="insert (default): add preprocess_input before the backbone; fold: one augment-and-preprocess "
                   "function.  [config: strategy]")
@click.option("--select", multiple=True, help="Rule codes or prefixes to enable (default: all); replaces the config.")
@click.option("--ignore", multiple=True, help="Rule codes or prefixes to disable.")
@click.option("--extend-select", multiple=True, help="Rule codes or prefixes to add to the selection.")
@click.option("--exclude", multiple=True, help="Gitignore-style patterns to skip; replaces the defaults and config.")
@click.option("--extend-exclude", multiple=True, help="Patterns to skip in addition to the defaults and config.")
@click.option("--force-exclude/--no-force-exclude", default=None,
              help="Apply excludes and .gitignore to paths passed explicitly too (as pre-commit passes them).")
@click.option("--respect-gitignore/--no-respect-gitignore", default=None,
              help="Skip files ignored by .gitignore (default: on).")
@click.option("--stdin-filename", type=click.Path(), help="Read the source from stdin and report it under this "
              "path; with --fix the fixed source is printed to stdout.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, exists=True),
              help="Use this pyproject.toml instead of the nearest one.")
@click.option("--output-format", type=click.Choice(sorted(FORMATS)), default="full", show_default=True)
@click.option("-o", "--output-file", type=click.Path(dir_okay=False), help="Write the report to a file.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the cache.")
@click.option("--cache-dir", type=click.Path(readable=False), default=cache.DEFAULT_DIRECTORY, show_default=True,
              envvar="FIXORDER_CACHE_DIR", help="Where results of unchanged files are kept between runs.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: the CPU count; one when PRE_COMMIT is set or there is little work).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings remain.")
@click.option("--statistics", is_flag=True, help="Print the number of findings per rule instead of each finding.")
@click.option("--show-fixes", is_flag=True, help="After --fix, list what was fixed per file.")
@click.option("--patch", is_flag=True,
              help="With --diff: diff notebooks as whole JSON files so the output is `git apply`-able.")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only, no summary.")
@click.option("--verify", is_flag=True,
              help="With --fix: run each rewritten script under the runtime check; keep a rewrite only if it passes.")
def check(paths: tuple[str, ...], diff: bool, fix: bool, unsafe_fixes: bool | None, strategy: str | None,
          select: tuple[str, ...], ignore: tuple[str, ...], extend_select: tuple[str, ...],
          exclude: tuple[str, ...], extend_exclude: tuple[str, ...], force_exclude: bool | None,
          respect_gitignore: bool | None, stdin_filename: str | None, config_file: str | None,
          output_format: str, output_file: str | None, no_cache: bool, cache_dir: str, jobs: int | None,
          exit_zero: bool, statistics: bool, show_fixes: bool, patch: bool, quiet: bool, verify: bool) -> None:
    """Check PATHS (files or directories) and optionally fix them."""
    _keep_file_name_bytes()
    overrides = config.Overrides(
        select=_codes(select) if select else None, ignore=_codes(ignore), extend_select=_codes(extend_select),
        exclude=_patterns(exclude) if exclude else None, extend_exclude=_patterns(extend_exclude),
        strategy=strategy, unsafe_fixes=unsafe_fixes, respect_gitignore=respect_gitignore,
        force_exclude=force_exclude)
    start = Path(stdin_filename).parent if stdin_filename else Path.cwd()
    try:
        settings = config.merge(config.load_settings(start, Path(config_file) if config_file else None), overrides)
    except config.ConfigError as exc:
        click.echo(f"fixorder: error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    if stdin_filename is not None:
        _check_stdin(stdin_filename, settings, fix, diff, output_format, quiet, exit_zero)
    if not paths:
        sys.exit(EXIT_CLEAN)

    if verify and not fix:
        raise click.UsageError("--verify checks rewritten scripts: use it with --fix")
    discovery = DiscoveryOptions(root=settings.root, exclude=settings.exclude,
                                 extend_exclude=settings.extend_exclude,
                                 respect_gitignore=settings.respect_gitignore, force_exclude=settings.force_exclude)
    result = run(list(paths), settings.options_for(Path(".")), fix=fix, diff=diff, verify=verify, jobs=jobs,
                 cache_dir=None if no_cache else cache_dir, discovery=discovery,
                 options_for=settings.options_for, patch=patch)
    for line in result.errors:
        click.echo(f"fixorder: error: {line}", err=True)
    for line in result.warnings:
        click.echo(f"fixorder: warning: {line}", err=True)
    for line in result.verified:
        click.echo(f"fixorder: verify: {line}", err=True)
    for text in result.diffs:
        sys.stdout.write(text)
    files, findings, sources = result.files, result.findings, result.sources
    errors, fixed_count, diff_changes = len(result.errors), result.fixed, bool(result.diffs)
    if not diff:
        if statistics:
            from fixorder.output import statistics as stats

            report = stats.statistics(findings, as_json=output_format in ("json", "json-lines"))
        else:
            report = formatter(output_format)(findings, sources)
        if show_fixes and fix:
            from fixorder.output import statistics as stats

            report = stats.show_fixes(result.fixed_findings) + report
        if output_file:
            Path(output_file).write_text(report, encoding="utf-8", errors="fixorder-names")
        else:
            sys.stdout.write(report)
    if not quiet:
        _summary(files, findings, fixed_count, errors, fix, diff, len(result.skipped_generated))
    if errors:
        sys.exit(EXIT_ERROR)
    if exit_zero:
        sys.exit(EXIT_CLEAN)
    if diff:
        sys.exit(EXIT_FINDINGS if diff_changes or findings else EXIT_CLEAN)
    sys.exit(EXIT_FINDINGS if findings else EXIT_CLEAN)


def _check_stdin(name: str, settings: config.Settings, fix: bool, diff: bool, output_format: str,
                 quiet: bool, exit_zero: bool) -> None:
    """Source from stdin: the report on stdout, or with --fix the (fixed) source on stdout, report on stderr.

    Stdin is one more unit of source: the same size limit as a file (read no further than it),
    and analysed through the same worker and guards (runner.analyse_text).
    """
    from fixorder import guards
    from fixorder.files import SourceError, decode_text, source_encoding

    path = Path(name)
    display = display_path(path)
    raw = sys.stdin.buffer.read(guards.DEFAULT_MAX_BYTES + 1)
    reason = guards.size_error(len(raw), guards.DEFAULT_MAX_BYTES)
    try:
        if reason:
            raise SourceError(f"skipped: stdin is over the size limit of {guards.DEFAULT_MAX_BYTES:,} bytes")
        encoding = source_encoding(raw)
        text = decode_text(raw, encoding)
    except SourceError as exc:
        if fix and not diff:
            sys.stdout.buffer.write(raw)
            sys.stdout.buffer.write(sys.stdin.buffer.read())  # the source comes back unchanged, whole
        click.echo(f"fixorder: error: {display}: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    excluder = Excluder(DiscoveryOptions(root=settings.root, exclude=settings.exclude,
                                         extend_exclude=settings.extend_exclude,
                                         respect_gitignore=settings.respect_gitignore))
    if (settings.force_exclude and excluder.excluded_explicit(path)) or is_generated(text):
        if fix:
            sys.stdout.buffer.write(raw)
        sys.exit(EXIT_CLEAN)
    unit = analyse_text(display, text, settings.options_for(path), fix=fix, diff=diff)
    if unit.error:
        click.echo(f"fixorder: error: {display}: {unit.error}", err=True)
    if unit.warning:
        click.echo(f"fixorder: warning: {display}: {unit.warning}", err=True)
    report = formatter(output_format)(unit.findings, {display: unit.shown_source})
    if diff:
        sys.stdout.write(unit.diff)
    elif fix:
        sys.stdout.flush()
        sys.stdout.buffer.write(unit.new_text.encode(encoding) if unit.new_text is not None else raw)
        sys.stdout.flush()
        sys.stderr.write(report)
    else:
        sys.stdout.write(report)
    if not quiet:
        _summary([path], unit.findings, len(unit.fixed) if fix and not diff else 0, 1 if unit.error else 0, fix, diff, 0)
    if unit.error:
        sys.exit(EXIT_ERROR)
    if exit_zero:
        sys.exit(EXIT_CLEAN)
    sys.exit(EXIT_FINDINGS if unit.findings or (diff and unit.diff) else EXIT_CLEAN)


def _summary(files: list[Path], findings: list[Finding], fixed: int, errors: int, fix: bool, diff: bool,
             generated: int) -> None:
    safe = sum(1 for f in findings if f.applicable_fix == SAFE)
    unsafe = sum(1 for f in findings if f.applicable_fix == UNSAFE)
    parts = [f"{len(files)} file{'s' if len(files) != 1 else ''} checked",
             f"{len(findings)} finding{'s' if len(findings) != 1 else ''}"]
    if fix:
        parts.append(f"{fixed} fixed")
    if safe and not diff:
        parts.append(f"{safe} fixable with --fix")
    if unsafe:
        parts.append(f"{unsafe} more fixable with --unsafe-fixes (left unfixed)")
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if generated:
        parts.append(f"{generated} generated file{'s' if generated != 1 else ''} skipped")
    click.echo("fixorder: " + ", ".join(parts) + ".", err=True)


@main.command()
@click.argument("repos", nargs=-1, type=click.Path(file_okay=False))
@click.option("--repos-from", type=click.Path(dir_okay=False, exists=True),
              help="A file listing repository directories, one per line.")
@click.option("--fix", is_flag=True, help="Apply the fixes to each working tree.")
@click.option("--unsafe-fixes", is_flag=True, default=None, help="Include fixes marked unsafe.")
@click.option("--strategy", type=click.Choice(["insert", "fold"]), default=None,
              help="Overrides each repository's configured strategy.")
@click.option("--select", multiple=True, help="Rule codes or prefixes (default: each repository's config).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
              help="Repositories processed at the same time.")
@click.option("--patch-dir", type=click.Path(file_okay=False), help="Write REPO_NAME.patch here for each repository.")
@click.option("--branch", help="Commit the fixes on a new branch of this name (clean working trees only).")
@click.option("--report", type=click.Path(dir_okay=False),
              help="JSON report; repositories it lists as done are skipped on a re-run.")
def batch(repos: tuple[str, ...], repos_from: str | None, fix: bool, unsafe_fixes: bool | None, strategy: str | None,
          select: tuple[str, ...], jobs: int, patch_dir: str | None, branch: str | None, report: str | None) -> None:
    """Check and fix many repositories (REPO_DIR...), each with its own configuration."""
    from fixorder import batch as batch_module

    names = list(repos) + (batch_module.read_repo_list(Path(repos_from)) if repos_from else [])
    if not names:
        raise click.UsageError("no repositories given (REPO_DIR... or --repos-from FILE)")
    try:
        config.expand_codes(_codes(select), "--select")
    except config.ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    paths = list(dict.fromkeys(Path(name).resolve() for name in names))
    options = batch_module.BatchOptions(fix=fix, strategy=strategy, unsafe_fixes=unsafe_fixes,
                                        select=_codes(select) or None,
                                        patch_dir=Path(patch_dir).resolve() if patch_dir else None, branch=branch)
    outcomes = batch_module.run_batch(paths, options, jobs, Path(report) if report else None)
    click.echo(batch_module.table(outcomes), nl=False)
    sys.exit(EXIT_ERROR if any(o.status == batch_module.FAILED for o in outcomes) else EXIT_CLEAN)


@main.command()
@click.argument("code")
def rule(code: str) -> None:
    """Print the documentation of rule CODE (e.g. FO101)."""
    code = code.upper()
    if code not in RULE_MODULES:
        raise click.UsageError(f"unknown rule: {code} (known: {', '.join(sorted(RULE_MODULES))})")
    click.echo(load_rule(code).__doc__.strip())


@main.command()
@click.option("--cache-dir", type=click.Path(file_okay=False), default=cache.DEFAULT_DIRECTORY, show_default=True,
              envvar="FIXORDER_CACHE_DIR")
def clean(cache_dir: str) -> None:
    """Remove the cache directory."""
    try:
        removed = cache.clean(cache_dir)
    except (ValueError, OSError) as exc:
        click.echo(f"fixorder: error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    click.echo(f"fixorder: {'removed' if removed else 'no cache at'} {cache_dir}", err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
