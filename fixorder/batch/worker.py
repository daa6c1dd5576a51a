"""One repository's scan for ``fixorder batch``, run in its own process.

A separate process per repository means a crash, a hang or a huge repository cannot take the
batch down; the batch reads this process's JSON from stdout.  Paths are relative to the
repository.  It is started as ``python -c BOOT`` (see ``WORKER_COMMAND``) with the first
``sys.path`` entry (the current folder) removed, so a folder named ``fixorder`` in the caller's
or the repository's folder cannot shadow the installed package.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

# ``python -m`` and ``-c`` both put the current folder first on sys.path: drop it before the
# package is imported.
WORKER_COMMAND = ["-c", "import sys; del sys.path[0]; from fixorder.batch.worker import main; main(sys.argv[1:])"]


def scan(repo: Path, strategy: str | None, unsafe_fixes: bool | None, select: list[str] | None) -> dict:
    from fixorder.inputs import config
    from fixorder.inputs.discovery import DiscoveryOptions
    from fixorder.run.runner import run

    os.chdir(repo)
    settings = config.merge(config.load_settings(Path.cwd()),
                            config.Overrides(select=select, strategy=strategy, unsafe_fixes=unsafe_fixes))
    discovery = DiscoveryOptions(root=settings.root, exclude=settings.exclude, extend_exclude=settings.extend_exclude,
                                 respect_gitignore=settings.respect_gitignore)
    kwargs = dict(discovery=discovery, options_for=settings.options_for)
    found = run(["."], settings.options_for(Path(".")), **kwargs)
    fixed = run(["."], settings.options_for(Path(".")), diff=True, patch=True, **kwargs)
    by_file: dict[str, list[dict]] = {}
    for finding in fixed.fixed_findings:
        by_file.setdefault(finding.path, []).append(finding.to_json())
    return {
        "files": len(found.files),
        "checked": list(found.files),  # for batch --verify
        "findings": [f.to_json() for f in found.findings],
        # One entry per changed file (the runner appends a diff and its file together).
        "changes": [{"path": path, "diff": diff, "fixed": by_file.get(path, [])}
                    for path, diff in zip(fixed.changed_files, fixed.diffs)],
        "errors": found.errors,
        "warnings": found.warnings,
    }


def main(argv: list[str] | None = None) -> None:
    from fixorder.inputs import config

    parser = argparse.ArgumentParser(prog="fixorder.batch.worker")
    parser.add_argument("repo", type=Path)
    parser.add_argument("--strategy", choices=config.STRATEGIES)
    parser.add_argument("--unsafe-fixes", action="store_true", default=None)
    parser.add_argument("--select", default=None)
    args = parser.parse_args(argv)
    select = [c for c in args.select.split(",") if c] if args.select else None
    try:
        outcome = scan(args.repo, args.strategy, args.unsafe_fixes, select)
    except config.ConfigError as exc:
        outcome = {"config_error": str(exc)}
    # ASCII JSON: file names that are not UTF-8 travel as surrogate escapes and come back intact.
    json.dump(outcome, sys.stdout, ensure_ascii=True)


if __name__ == "__main__":
    main()
