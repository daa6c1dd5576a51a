"""Command line: parse options, run the engine, print.  No analysis logic lives here."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from fixorder import __version__, cache
from fixorder.options import Options
from fixorder.findings import SAFE, UNSAFE, Finding
from fixorder.output import FORMATS
from fixorder.rules import ENGINE_CODES, RULE_MODULES, load_rule
from fixorder.runner import run

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class DefaultGroup(click.Group):
    """``fixorder PATHS`` means ``fixorder check PATHS``, as ``fixorder --diff src/`` must work."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = ["check", *args]
        return super().parse_args(ctx, args)


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="fixorder")
def main() -> None:
    """Find and fix Keras pipelines that feed a pretrained backbone the wrong input range."""


def _codes(values: tuple[str, ...]) -> set[str]:
    out: set[str] = set()
    for value in values:
        out.update(c.strip().upper() for c in value.split(",") if c.strip())
    return out


def _expand(codes: set[str]) -> set[str]:
    """Prefixes select every rule they start (``FO1`` selects FO101..FO199, ``ALL`` everything)."""
    known = set(RULE_MODULES)
    out = set()
    for code in codes:
        if code == "ALL":
            out |= known
            continue
        matched = {k for k in known if k.startswith(code)}
        if not matched and code not in ENGINE_CODES:
            raise click.UsageError(f"unknown rule code or prefix: {code}")
        out |= matched
    return out


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(readable=False))  # unreadable: a per-file error
@click.option("--diff", is_flag=True, help="Print a unified diff of the fixes; write nothing.")
@click.option("--fix", is_flag=True, help="Apply safe fixes in place.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply (with --fix/--diff) fixes marked unsafe.")
@click.option("--strategy", type=click.Choice(["insert", "fold"]), default="insert", show_default=True,
              help="insert: add preprocess_input before the backbone; fold: one augment-and-preprocess function.")
@click.option("--select", multiple=True, help="Rule codes or prefixes to enable (default: all).")
@click.option("--ignore", multiple=True, help="Rule codes or prefixes to disable.")
@click.option("--extend-select", multiple=True, help="Rule codes or prefixes to add to the selection.")
@click.option("--output-format", type=click.Choice(sorted(FORMATS)), default="full", show_default=True)
@click.option("-o", "--output-file", type=click.Path(dir_okay=False), help="Write the report to a file.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the cache.")
@click.option("--cache-dir", type=click.Path(file_okay=False), default=cache.DEFAULT_DIRECTORY, show_default=True,
              envvar="FIXORDER_CACHE_DIR", help="Where results of unchanged files are kept between runs.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: the CPU count; one when PRE_COMMIT is set or there is little work).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings remain.")
@click.option("-q", "--quiet", is_flag=True, help="Print findings only, no summary.")
@click.option("--verify", is_flag=True,
              help="With --fix: run each rewritten script under the runtime check; keep a rewrite only if it passes.")
def check(paths: tuple[str, ...], diff: bool, fix: bool, unsafe_fixes: bool, strategy: str,
          select: tuple[str, ...], ignore: tuple[str, ...], extend_select: tuple[str, ...],
          output_format: str, output_file: str | None, no_cache: bool, cache_dir: str, jobs: int | None,
          exit_zero: bool, quiet: bool, verify: bool) -> None:
    """Check PATHS (files or directories) and optionally fix them."""
    selected = _expand(_codes(select)) if select else set(RULE_MODULES)
    selected |= _expand(_codes(extend_select))
    selected -= _expand(_codes(ignore))
    options = Options(frozenset(selected), strategy, unsafe_fixes)
    if not paths:
        sys.exit(EXIT_CLEAN)

    if verify and not fix:
        raise click.UsageError("--verify checks rewritten scripts: use it with --fix")
    result = run(list(paths), options, fix=fix, diff=diff, verify=verify, jobs=jobs,
                 cache_dir=None if no_cache else cache_dir)
    for line in result.errors:
        click.echo(f"fixorder: error: {line}", err=True)
    for line in result.verified:
        click.echo(f"fixorder: verify: {line}", err=True)
    for text in result.diffs:
        sys.stdout.write(text)
    files, findings, sources = result.files, result.findings, result.sources
    errors, fixed_count, diff_changes = len(result.errors), result.fixed, bool(result.diffs)
    if not diff:
        report = FORMATS[output_format](findings, sources)
        if output_file:
            Path(output_file).write_text(report, encoding="utf-8")
        else:
            sys.stdout.write(report)
    if not quiet:
        _summary(files, findings, fixed_count, errors, fix, diff)
    if errors:
        sys.exit(EXIT_ERROR)
    if exit_zero:
        sys.exit(EXIT_CLEAN)
    if diff:
        sys.exit(EXIT_FINDINGS if diff_changes or findings else EXIT_CLEAN)
    sys.exit(EXIT_FINDINGS if findings else EXIT_CLEAN)


def _summary(files: list[Path], findings: list[Finding], fixed: int, errors: int, fix: bool, diff: bool) -> None:
    safe = sum(1 for f in findings if f.fix and f.fix.action is not None and f.fix.applicability == SAFE)
    unsafe = sum(1 for f in findings if f.fix and f.fix.action is not None and f.fix.applicability == UNSAFE)
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
    click.echo("fixorder: " + ", ".join(parts) + ".", err=True)


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


def _register_verify() -> None:
    from fixorder.verify.command import verify_command

    main.add_command(verify_command, "verify")


_register_verify()

if __name__ == "__main__":  # pragma: no cover
    main()
