"""Command line: parse options, run the engine, print.  No analysis logic lives here."""

from __future__ import annotations

import codecs
import signal
import sys
from pathlib import Path

import click

from fixorder import __version__

from fixorder.run import cache

from fixorder.inputs import config
from fixorder.inputs.discovery import DiscoveryOptions, Excluder
from fixorder.output import FORMATS, formatter
from fixorder.run.runner import analyse_text, display_path, run
from fixorder.output.summary import Tally, summary_line
from fixorder.run.unit import is_generated

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
LAZY_COMMANDS = {"verify": ("fixorder.verify.command", "verify_command"),
                 "server": ("fixorder.server.command", "server_command")}


class DefaultGroup(click.Group):
    """``fixorder PATHS`` means ``fixorder check PATHS``, as ``fixorder --diff src/`` must work."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or args[0] not in self.commands and args[0] not in LAZY_COMMANDS \
                and args[0] not in ("--help", "-h", "--version"):
            if args:
                _refuse_mistyped_command(args[0], self.list_commands(ctx))
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



def _refuse_mistyped_command(first: str, commands: list[str]) -> None:
    """``fixorder verfy x.py`` would check a path named "verfy": say which command was meant."""
    import difflib
    import os

    if first.startswith("-") or first == "-" or os.path.lexists(first):
        return
    close = difflib.get_close_matches(first, commands, n=1, cutoff=0.6)
    if close:
        raise click.UsageError(f"no such command or path: {first!r}; did you mean {close[0]!r}?")


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


@main.command(short_help="Check PATHS (default: the current directory) and optionally fix them.")
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
@click.option("--cache-dir", type=click.Path(readable=False), default=None, envvar="FIXORDER_CACHE_DIR",
              help="Where results of unchanged files are kept between runs (default: .fixorder_cache next to "
                   "the settings file, else in the current directory).")
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
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Colour the report (auto: on a terminal, unless NO_COLOR is set; FORCE_COLOR forces it).")
@click.option("--show-files", is_flag=True, help="List the files that would be checked, then exit.")
@click.option("--show-settings", is_flag=True, help="Print the settings in effect (config file and merged options).")
@click.option("--add-noqa", is_flag=True, help="Add `# noqa: CODE` to every line with a finding.")
@click.option("--exit-non-zero-on-fix", is_flag=True, help="With --fix: exit 1 when something was fixed, "
              "even if nothing remains.")
@click.option("--watch", is_flag=True, help="Check again whenever a file changes (polling; Ctrl-C stops).")
@click.option("--watch-runs", type=click.IntRange(min=1), default=None, hidden=True,
              help="Stop --watch after this many runs (for tests).")
def check(paths: tuple[str, ...], diff: bool, fix: bool, unsafe_fixes: bool | None, strategy: str | None,
          select: tuple[str, ...], ignore: tuple[str, ...], extend_select: tuple[str, ...],
          exclude: tuple[str, ...], extend_exclude: tuple[str, ...], force_exclude: bool | None,
          respect_gitignore: bool | None, stdin_filename: str | None, config_file: str | None,
          output_format: str, output_file: str | None, no_cache: bool, cache_dir: str, jobs: int | None,
          exit_zero: bool, statistics: bool, show_fixes: bool, patch: bool, quiet: bool, verify: bool,
          color: str, show_files: bool, show_settings: bool, add_noqa: bool, exit_non_zero_on_fix: bool,
          watch: bool, watch_runs: int | None) -> None:
    """Check PATHS (files or directories; default: the current directory; - reads stdin)."""
    _keep_file_name_bytes()
    _refuse_ignored_options(diff=diff, fix=fix, output_format=output_format, show_fixes=show_fixes,
                            patch=patch, statistics=statistics, verify=verify)
    if add_noqa and (fix or diff):
        raise click.UsageError("--add-noqa silences findings; --fix/--diff repair them: choose one")
    if exit_non_zero_on_fix and not fix:
        raise click.UsageError("--exit-non-zero-on-fix is about what --fix changed: use it with --fix")
    if "-" in paths or stdin_filename is not None:
        others = [p for p in paths if p != "-"]
        if others or paths.count("-") > 1:
            raise click.UsageError("stdin is checked alone: give either - / --stdin-filename or PATHS, not both")
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
    if stdin_filename is not None or paths == ("-",):
        _check_stdin(stdin_filename or "-", settings, fix, diff, output_format, output_file, quiet, exit_zero)
    if not paths:
        paths = (".",)  # as ruff: no path means the current directory

    discovery = DiscoveryOptions(root=settings.root, exclude=settings.exclude,
                                 extend_exclude=settings.extend_exclude,
                                 respect_gitignore=settings.respect_gitignore, force_exclude=settings.force_exclude)
    cache_location = None if no_cache else (cache_dir or project_cache_dir(settings))
    if show_settings:
        click.echo(_settings_text(settings, cache_location), nl=False)
        sys.exit(EXIT_CLEAN)
    if show_files:
        from fixorder.inputs.discovery import discover_names

        files, problems = discover_names(list(paths), discovery)
        for name in files:
            click.echo(display_path(name))
        for name, reason in problems:
            click.echo(f"fixorder: error: {name}: {reason}", err=True)
        sys.exit(EXIT_ERROR if problems else EXIT_CLEAN)
    colored = _use_color(color, output_file) and output_format in ("full", "concise") and not diff

    def run_once() -> int:
        result = run(list(paths), settings.options_for(Path(".")), fix=fix, diff=diff, verify=verify, jobs=jobs,
                     cache_dir=cache_location, discovery=discovery, options_for=settings.options_for, patch=patch)
        for line in result.errors:
            click.echo(f"fixorder: error: {line}", err=True)
        for line in result.warnings:
            click.echo(f"fixorder: warning: {line}", err=True)
        for line in result.verified:
            click.echo(f"fixorder: verify: {line}", err=True)
        if add_noqa:
            return _add_noqa(result, quiet)
        findings, sources = result.findings, result.sources
        errors, diff_changes = len(result.errors), bool(result.diffs)
        if diff:
            if output_format in ("json", "json-lines"):
                report = _would_change_report(result, output_format)
            else:
                report = "".join(result.diffs)
        elif statistics:
            from fixorder.output import statistics as stats

            report = stats.statistics(findings, as_json=output_format in ("json", "json-lines"))
        else:
            if output_format == "junit":  # every checked file is a test case, pre-filtered ones too
                sources = {**{display_path(name): "" for name in result.files}, **sources}
            report = formatter(output_format)(findings, sources, **({"color": True} if colored else {}))
        if show_fixes and fix:
            from fixorder.output import statistics as stats

            report = stats.show_fixes(result.fixed_findings) + report
        _emit(report, output_file)
        if not quiet:
            tally = Tally(len(result.files), findings, len(result.fixed_findings) if diff else result.fixed,
                          len(result.changed_files), errors, len(result.skipped_generated),
                          (result.backbones_found, result.backbones_linked))
            click.echo(summary_line(tally, fix=fix, diff=diff, unsafe_fixes=settings.unsafe_fixes), err=True)
        if errors:
            return EXIT_ERROR
        if exit_zero:
            return EXIT_CLEAN
        if exit_non_zero_on_fix and result.fixed:
            return EXIT_FINDINGS
        if diff:
            return EXIT_FINDINGS if diff_changes or findings else EXIT_CLEAN
        return EXIT_FINDINGS if findings else EXIT_CLEAN

    if watch:
        from fixorder.watch import watch as watch_loop

        sys.exit(watch_loop(run_once, list(paths), discovery, settings.config_file, max_runs=watch_runs))
    sys.exit(run_once())


def _use_color(choice: str, output_file: str | None) -> bool:
    """--color, then NO_COLOR / FORCE_COLOR (https://no-color.org, https://force-color.org), then a terminal."""
    import os

    if choice != "auto":
        return choice == "always"
    if output_file:
        return False
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return sys.stdout.isatty()


def _settings_text(settings: config.Settings, cache_location: str | None) -> str:
    """--show-settings: what the run would use, one ``key = value`` per line."""
    import json

    def value(v) -> str:
        return json.dumps(v if not isinstance(v, (set, frozenset)) else sorted(v))

    rows = [("config-file", str(settings.config_file) if settings.config_file else None),
            ("root", str(settings.root)),
            ("selected-rules", sorted(settings.selected_codes())),
            ("select", settings.select), ("ignore", settings.ignore), ("extend-select", settings.extend_select),
            ("exclude", settings.exclude), ("extend-exclude", settings.extend_exclude),
            ("per-file-ignores", settings.per_file_ignores), ("strategy", settings.strategy),
            ("unsafe-fixes", settings.unsafe_fixes), ("respect-gitignore", settings.respect_gitignore),
            ("force-exclude", settings.force_exclude), ("cache-dir", cache_location)]
    return "".join(f"{key} = {value(v)}\n" for key, v in rows)


def _add_noqa(result, quiet: bool) -> int:
    from fixorder.noqa import add_noqa

    by_path: dict[str, list] = {}
    for finding in result.findings:
        by_path.setdefault(finding.path, []).append(finding)
    total, files, skipped = 0, 0, 0
    for path, findings in sorted(by_path.items()):
        added, reason = add_noqa(Path(path), findings)
        if reason:
            skipped += 1
            click.echo(f"fixorder: error: {path}: not changed: {reason}", err=True)
        total += added
        files += 1 if added else 0
    if not quiet:
        click.echo(f"fixorder: added {total} noqa directive{'s' if total != 1 else ''} in "
                   f"{files} file{'s' if files != 1 else ''}.", err=True)
    return EXIT_ERROR if skipped or result.errors else EXIT_CLEAN


# Formats --diff can print: the diff itself (full), or a machine-readable "would change" report.
DIFF_FORMATS = ("full", "json", "json-lines")


def _refuse_ignored_options(*, diff: bool, fix: bool, output_format: str, show_fixes: bool, patch: bool,
                            statistics: bool, verify: bool) -> None:
    """An option that would have no effect with the others given is an error, never silently dropped."""
    if diff and fix:
        raise click.UsageError("--diff shows the fixes without writing them; --fix writes them: choose one")
    if diff and output_format not in DIFF_FORMATS:
        raise click.UsageError(f"--diff prints a diff (or, with --output-format json or json-lines, the files it "
                               f"would change); it cannot be combined with --output-format {output_format}")
    if diff and statistics:
        raise click.UsageError("--statistics counts findings; --diff prints fixes: choose one")
    if show_fixes and not fix:
        raise click.UsageError("--show-fixes lists what --fix changed: use it with --fix")
    if patch and not diff:
        raise click.UsageError("--patch changes how --diff prints notebooks: use it with --diff")
    if verify and not fix:
        raise click.UsageError("--verify checks rewritten scripts: use it with --fix")


def project_cache_dir(settings: config.Settings) -> str:
    """``.fixorder_cache`` next to the settings file (the project root), as ruff keeps its cache."""
    return str(settings.root / cache.DEFAULT_DIRECTORY)


def _would_change_report(result, output_format: str) -> str:
    """--diff as data: one object per file that would change, with its diff and the findings fixed."""
    import json

    fixed: dict[str, list[dict]] = {}
    for finding in result.fixed_findings:
        data = finding.to_json()
        if data["fix"] is not None:
            del data["fix"]["edits"]  # the diff is the change; per-fix edits are not computed when fixing
        fixed.setdefault(finding.path, []).append(data)
    entries = [{"path": path, "fixes": fixed.get(path, []), "diff": text}
               for path, text in zip(result.changed_files, result.diffs)]
    if output_format == "json-lines":
        return "".join(json.dumps(entry) + "\n" for entry in entries)
    return json.dumps(entries, indent=2) + "\n"


def _emit(report: str, output_file: str | None) -> None:
    """The report on stdout, or in ``output_file`` (its folders are created)."""
    if not output_file:
        sys.stdout.write(report)
        return
    target = Path(output_file)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(report, encoding="utf-8", errors="fixorder-names")
    except OSError as exc:
        click.echo(f"fixorder: error: {output_file}: cannot write the report: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_ERROR)


def _read_stdin() -> tuple[bytes, str | None, str | None, str]:
    """(bytes, text, None, encoding), or (bytes, None, reason, "") for input that is not Python
    source or is over the size limit (read no further than the limit)."""
    from fixorder.run import guards
    from fixorder.inputs.files import SourceError, decode_text, source_encoding

    raw = sys.stdin.buffer.read(guards.DEFAULT_MAX_BYTES + 1)
    if guards.size_error(len(raw), guards.DEFAULT_MAX_BYTES):
        return raw, None, f"skipped: stdin is over the size limit of {guards.DEFAULT_MAX_BYTES:,} bytes", ""
    try:
        encoding = source_encoding(raw)
        return raw, decode_text(raw, encoding), None, encoding
    except SourceError as exc:
        return raw, None, str(exc), ""


def _check_stdin(name: str, settings: config.Settings, fix: bool, diff: bool, output_format: str,
                 output_file: str | None, quiet: bool, exit_zero: bool) -> None:
    """Source from stdin: the report on stdout, or with --fix the (fixed) source on stdout, report on stderr.

    Stdin is one more unit of source: the same size limit as a file (read no further than it),
    and analysed through the same worker and guards (runner.analyse_text).
    """
    raw, text, reason, encoding = _read_stdin()
    path = Path(name)
    display = display_path(path) if name != "-" else "-"
    if text is None:  # too large, binary or undecodable: one line, the bytes untouched, exit 2
        from fixorder.run.engine import parse_error

        click.echo(f"fixorder: error: {display}: {reason}", err=True)
        if fix and not diff:
            sys.stdout.buffer.write(raw)
            sys.stdout.buffer.write(sys.stdin.buffer.read())  # the source comes back unchanged, whole
        elif not diff:
            _emit(formatter(output_format)([parse_error(display, reason)], {}), output_file)
        if not quiet:
            click.echo(summary_line(Tally(1, [], errors=1), fix=fix, diff=diff, unsafe_fixes=settings.unsafe_fixes),
                       err=True)
        sys.exit(EXIT_ERROR)
    excluder = Excluder(DiscoveryOptions(root=settings.root, exclude=settings.exclude,
                                         extend_exclude=settings.extend_exclude,
                                         respect_gitignore=settings.respect_gitignore))
    if (name != "-" and settings.force_exclude and excluder.excluded_explicit(path)) or is_generated(text):
        if fix:
            sys.stdout.buffer.write(raw)
        sys.exit(EXIT_CLEAN)
    unit = analyse_text(display, text, settings.options_for(path), fix=fix, diff=diff)
    if unit.error:
        click.echo(f"fixorder: error: {display}: {unit.error}", err=True)
    if unit.warning:
        click.echo(f"fixorder: warning: {display}: {unit.warning}", err=True)
    if diff:
        report = unit.diff
        if output_format in ("json", "json-lines"):
            from types import SimpleNamespace

            report = _would_change_report(SimpleNamespace(
                fixed_findings=unit.fixed, changed_files=[display] if unit.diff else [],
                diffs=[unit.diff] if unit.diff else []), output_format)
        _emit(report, output_file)
    elif fix:
        sys.stdout.flush()
        sys.stdout.buffer.write(unit.new_text.encode(encoding) if unit.new_text is not None else raw)
        sys.stdout.flush()
        report = formatter(output_format)(unit.findings, {display: unit.shown_source})
        if output_file:
            _emit(report, output_file)
        else:
            sys.stderr.write(report)
    else:
        _emit(formatter(output_format)(unit.findings, {display: unit.shown_source}), output_file)
    if not quiet:
        changed = unit.new_text is not None
        tally = Tally(1, unit.findings, len(unit.fixed) if changed else 0, 1 if changed else 0,
                      1 if unit.error else 0, backbones=unit.backbones)
        click.echo(summary_line(tally, fix=fix, diff=diff, unsafe_fixes=settings.unsafe_fixes), err=True)
    if unit.error:
        sys.exit(EXIT_ERROR)
    if exit_zero:
        sys.exit(EXIT_CLEAN)
    sys.exit(EXIT_FINDINGS if unit.findings or (diff and unit.diff) else EXIT_CLEAN)


def _batch_jobs() -> int:
    from fixorder.batch.run import default_jobs

    return default_jobs()


@main.command()
@click.argument("repos", nargs=-1)
@click.option("--repos-from", type=click.Path(dir_okay=False, exists=True),
              help="A file listing repositories (paths or git URLs), one per line; # starts a comment.")
@click.option("--fix", is_flag=True, help="Apply the fixes to each working tree.")
@click.option("--unsafe-fixes", is_flag=True, default=None, help="Include fixes marked unsafe.")
@click.option("--strategy", type=click.Choice(["insert", "fold"]), default=None,
              help="Overrides each repository's configured strategy.")
@click.option("--select", multiple=True, help="Rule codes or prefixes (default: each repository's config).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=_batch_jobs, show_default="the CPU count",
              help="Repositories processed at the same time (local pool).")
@click.option("--patch-dir", type=click.Path(file_okay=False), help="Write REPO_NAME.patch here for each repository.")
@click.option("--branch", help="Commit the fixes on a new branch of this name (clean working trees only).")
@click.option("--push", is_flag=True, help="Push the --branch to the repository's remote (origin).")
@click.option("--push-remote", metavar="REMOTE", help="Push to this remote name or URL instead (a fork); implies --push.")
@click.option("--workdir", type=click.Path(file_okay=False), default=".fixorder_batch", show_default=True,
              help="Where repositories given by URL are cloned; kept between runs and fetched again.")
@click.option("--report", type=click.Path(dir_okay=False),
              help="JSON report, written as each repository finishes; a re-run skips the repositories it lists.")
@click.option("--retry-failed", is_flag=True, help="With --report: process the repositories it lists as failed again.")
@click.option("--scheduler", envvar="FIXORDER_SCHEDULER", metavar="ADDRESS",
              help="Run on this dask.distributed scheduler (e.g. tcp://host:8786) instead of a local pool.")
@click.option("--output-format", "output_format", type=click.Choice(["table", "sarif", "json"]), default="table",
              show_default=True, help="What is printed: the table, a SARIF log with one run per repository, or JSON.")
@click.option("--output", "-o", "output", type=click.Path(dir_okay=False), help="Write that output to a file.")
@click.option("--summary", type=click.Path(dir_okay=False), help="Write a Markdown summary (for a tracking issue).")
@click.option("--verify", "verify_pipelines", is_flag=True,
              help="Also run fixorder verify on each repository's linked pipelines (results in the report).")
@click.option("--require-sandbox/--no-require-sandbox", default=True, show_default=True,
              help="With --verify: refuse to run the repositories' code without the sandbox.")
@click.option("--verify-timeout", type=click.FloatRange(min=1), default=120.0, show_default=True,
              help="With --verify: time limit per pipeline, in seconds.")
def batch(repos: tuple[str, ...], repos_from: str | None, fix: bool, unsafe_fixes: bool | None, strategy: str | None,
          select: tuple[str, ...], jobs: int, patch_dir: str | None, branch: str | None, push: bool,
          push_remote: str | None, workdir: str, report: str | None, retry_failed: bool, scheduler: str | None,
          output_format: str, output: str | None, summary: str | None, verify_pipelines: bool = False,
          require_sandbox: bool = True, verify_timeout: float = 120.0) -> None:
    """Check and fix many repositories (REPO_DIR or git URL[@REF]...), each with its own configuration."""
    from fixorder.batch import git as batch_git
    from fixorder.batch import sources, summaries
    from fixorder.batch.model import FAILED, BatchOptions
    from fixorder.batch.run import run_batch

    names = list(repos) + (read_repo_list(Path(repos_from)) if repos_from else [])
    if not names:
        raise click.UsageError("no repositories given (REPO_DIR or URL... or --repos-from FILE)")
    try:
        config.expand_codes(_codes(select), "--select")
    except config.ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    if branch is not None:
        reason = batch_git.check_branch_name(branch)
        if reason:
            raise click.UsageError(f"--branch: {reason}")
    push = push or push_remote is not None
    if push and not branch:
        raise click.UsageError("--push needs --branch NAME")
    if retry_failed and not report:
        raise click.UsageError("--retry-failed needs --report FILE")
    if verify_pipelines:
        from fixorder.verify.runner import isolation_for
        from fixorder.verify.sandbox import SandboxRequired

        try:
            isolation_for(True, require_sandbox)
        except SandboxRequired as exc:
            click.echo(f"fixorder batch: error: --verify: {exc} (--no-require-sandbox runs it not isolated)", err=True)
            sys.exit(EXIT_ERROR)
    parsed = list({s.spec: s for s in (sources.parse(name) for name in names)}.values())
    options = BatchOptions(fix=fix, strategy=strategy, unsafe_fixes=unsafe_fixes, select=_codes(select) or None,
                           branch=branch, push=push, push_remote=push_remote, workdir=Path(workdir).resolve(),
                           verify=verify_pipelines, require_sandbox=require_sandbox, verify_timeout=verify_timeout)
    try:
        rows, records = run_batch(parsed, options, jobs=jobs, report_path=Path(report) if report else None,
                                  patch_dir=Path(patch_dir).resolve() if patch_dir else None, scheduler=scheduler,
                                  retry_failed=retry_failed)
    except KeyboardInterrupt:
        kept = f"; the repositories finished are in {report}: run the same command to resume" if report else ""
        click.echo(f"fixorder batch: interrupted{kept}", err=True)
        sys.exit(130)
    if summary:
        _write(Path(summary), summaries.markdown(records))
    if output_format == "table":
        text = summaries.table(rows)
    elif output_format == "sarif":
        text = summaries.sarif(records)
    else:
        import json

        text = json.dumps(records, indent=2) + "\n"
    if output:
        _write(Path(output), text)
    if output or output_format != "table":
        click.echo(summaries.table(rows), nl=False, err=True)
    if not output:
        click.echo(text, nl=False)
    sys.exit(EXIT_ERROR if any(r["status"] == FAILED for r in records) else EXIT_CLEAN)


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        click.echo(f"fixorder: error: {path}: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_ERROR)


def read_repo_list(path: Path) -> list[str]:
    """One repository per line; blank lines, ``#`` lines and `` # comment`` tails are ignored."""
    import re

    from fixorder.batch.model import InputError

    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from exc
    out = []
    for line in lines:
        entry = re.sub(r"(^|\s)#.*$", "", line).strip()
        if entry:
            out.append(entry)
    return out


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def explain(paths: tuple[str, ...], output_format: str) -> None:
    """Show each pretrained backbone's data paths, verdicts, and where the analysis lost the flow."""
    from fixorder.run.engine import Options
    from fixorder.inputs.files import SourceError, read_source
    from fixorder.output import explain as explanation

    reports, failed = [], False
    for name in paths:
        try:
            from fixorder.run import guards

            limit = guards.MAX_NOTEBOOK_FILE_BYTES if name.endswith(".ipynb") else guards.DEFAULT_MAX_BYTES
            text = read_source(Path(name), limit).text
        except SourceError as exc:
            click.echo(f"fixorder: error: {name}: {exc}", err=True)
            failed = True
            continue
        report = explanation.explain_text(display_path(Path(name)), text, Options())
        if report["error"] is not None:
            click.echo(f"fixorder: error: {report['path']}: {report['error']}", err=True)
            failed = True
            continue
        reports.append(report)
    if output_format == "json":
        click.echo(explanation.render_json(reports), nl=False)
    else:
        click.echo("\n".join(explanation.render_text(r) for r in reports), nl=False)
    sys.exit(EXIT_ERROR if failed else EXIT_CLEAN)


@main.command(short_help="Print a rule's documentation (by code or name; --all).")
@click.argument("code", required=False)
@click.option("--all", "show_all", is_flag=True, help="Print every rule's documentation.")
def rule(code: str | None, show_all: bool) -> None:
    """Print the documentation of a rule, named by code (FO101) or name (missing-preprocess-input)."""
    from fixorder.output.rule_docs import rule_docs

    docs = rule_docs()
    if show_all:
        click.echo("\n\n".join(_rule_text(doc) for doc in docs))
        return
    if not code:
        raise click.UsageError("name a rule (FO101 or missing-preprocess-input), or use --all")
    wanted = code.strip()
    for doc in docs:
        if wanted.upper() == doc.code or wanted.lower() == doc.name:
            click.echo(_rule_text(doc))
            return
    raise click.UsageError(f"unknown rule: {code} (known: {', '.join(f'{d.code} {d.name}' for d in docs)})")


def _rule_text(doc) -> str:
    return f"{doc.code} {doc.name}\n\n{doc.markdown}"


@main.command()
@click.option("--cache-dir", type=click.Path(file_okay=False), default=None, envvar="FIXORDER_CACHE_DIR",
              help="The cache to remove (default: .fixorder_cache next to the settings file).")
def clean(cache_dir: str | None) -> None:
    """Remove the cache directory."""
    if cache_dir is None:
        try:
            cache_dir = project_cache_dir(config.load_settings(Path.cwd()))
        except config.ConfigError:
            cache_dir = cache.DEFAULT_DIRECTORY
    try:
        removed = cache.clean(cache_dir)
    except (ValueError, OSError) as exc:
        click.echo(f"fixorder: error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    click.echo(f"fixorder: {'removed' if removed else 'no cache at'} {cache_dir}", err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
