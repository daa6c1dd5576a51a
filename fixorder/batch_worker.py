"""One repository of ``fixorder batch``, run in its own process (``python -m fixorder.batch_worker``).

A separate process per repository means a crash, a hang or a huge repository cannot take the
batch down; the batch reads this process's JSON from stdout.  Paths are relative to the
repository, so the patch applies there with ``git apply``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from fixorder import config
from fixorder.discovery import DiscoveryOptions
from fixorder.runner import run


def scan(repo: Path, strategy: str | None, unsafe_fixes: bool | None, select: list[str] | None) -> dict:
    os.chdir(repo)
    settings = config.merge(config.load_settings(Path.cwd()),
                            config.Overrides(select=select, strategy=strategy, unsafe_fixes=unsafe_fixes))
    discovery = DiscoveryOptions(root=settings.root, exclude=settings.exclude, extend_exclude=settings.extend_exclude,
                                 respect_gitignore=settings.respect_gitignore)
    kwargs = dict(discovery=discovery, options_for=settings.options_for)
    found = run(["."], settings.options_for(Path(".")), **kwargs)
    fixed = run(["."], settings.options_for(Path(".")), diff=True, patch=True, **kwargs)
    return {
        "files": len(found.files),
        "findings": [f.to_json() for f in found.findings],
        "fixed": [f.to_json() for f in fixed.fixed_findings],
        "remaining": [f.to_json() for f in fixed.findings],
        "changed_files": fixed.changed_files,
        "patch": "".join(fixed.diffs),
        "errors": found.errors,
        "warnings": found.warnings,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m fixorder.batch_worker")
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
    json.dump(outcome, sys.stdout)


if __name__ == "__main__":
    main()
