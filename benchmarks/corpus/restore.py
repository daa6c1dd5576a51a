"""Restore the development corpus (benchmarks/corpus/files/) from fetched repositories and check it.

The corpus is real public code: only pointers and labels are committed (labels.jsonl), never
the files.  Every label names a repository, a commit, a path and the file's sha256.

    python benchmarks/corpus/restore.py MIRROR_DIR     # MIRROR_DIR/<owner>+<name>/repo is a git dir
    python benchmarks/corpus/restore.py --from DIR     # DIR holds files already named <id>
    python benchmarks/corpus/restore.py --check        # only verify files/ against the sha256s

Exit code 0 when every labelled file is present with the right sha256, 1 otherwise (each
missing or mismatched file gets one line naming it and the reason).  A mismatched file is
never written: what is in files/ always matches its label.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
LABELS = HERE / "labels.jsonl"
FILES = HERE / "files"


@dataclass(frozen=True)
class Entry:
    id: str
    repo: str
    path: str
    commit: str
    sha256: str


def load_entries(labels: Path = LABELS) -> list[Entry]:
    entries = []
    for line in labels.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            entries.append(Entry(row["id"], row["repo"], row["path"], row["commit"], row["sha256"]))
    return entries


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def git_dir_for(mirror_root: Path, repo: str) -> Path | None:
    """The git directory of a fetched repository: <root>/<owner>+<name>/repo, bare or with .git."""
    base = mirror_root / repo.replace("/", "+", 1) / "repo"
    for candidate in (base, base / ".git"):
        if (candidate / "HEAD").is_file():
            return candidate
    return None


def read_from_git(mirror_root: Path, entry: Entry) -> tuple[bytes | None, str]:
    git_dir = git_dir_for(mirror_root, entry.repo)
    if git_dir is None:
        return None, f"repository {entry.repo} not fetched under {mirror_root}"
    result = subprocess.run(["git", "--git-dir", str(git_dir), "show", f"{entry.commit}:{entry.path}"],
                            capture_output=True)
    if result.returncode != 0:
        return None, f"{entry.repo}@{entry.commit[:10]}:{entry.path} not in the fetched snapshot"
    return result.stdout, ""


def read_from_dir(source: Path, entry: Entry) -> tuple[bytes | None, str]:
    path = source / entry.id
    if not path.is_file():
        return None, f"{path} missing"
    return path.read_bytes(), ""


def restore(entries: list[Entry], reader, out_dir: Path = FILES) -> list[str]:
    """Write each entry's bytes to out_dir/<id> when they match its sha256; the problems found."""
    out_dir.mkdir(parents=True, exist_ok=True)
    problems = []
    for entry in entries:
        data, why = reader(entry)
        if data is None:
            problems.append(f"{entry.id}: missing: {why}")
            continue
        if sha256(data) != entry.sha256:
            problems.append(f"{entry.id}: sha256 mismatch ({entry.repo}:{entry.path} has changed)")
            continue
        target = out_dir / entry.id
        if not target.is_file() or target.read_bytes() != data:
            tmp = target.with_suffix(target.suffix + ".part")
            tmp.write_bytes(data)
            tmp.replace(target)
    return problems


def check(entries: list[Entry], out_dir: Path = FILES) -> list[str]:
    problems = []
    for entry in entries:
        path = out_dir / entry.id
        if not path.is_file():
            problems.append(f"{entry.id}: missing from {out_dir}")
        elif sha256(path.read_bytes()) != entry.sha256:
            problems.append(f"{entry.id}: sha256 mismatch in {out_dir}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mirror", nargs="?", type=Path, help="directory of fetched repositories (<owner>+<name>/repo)")
    parser.add_argument("--from", dest="source", type=Path, help="directory holding files named by their id")
    parser.add_argument("--check", action="store_true", help="only verify files/ against labels.jsonl")
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--out", type=Path, default=FILES)
    args = parser.parse_args(argv)
    entries = load_entries(args.labels)
    if args.check:
        problems = check(entries, args.out)
    elif args.source is not None:
        problems = restore(entries, lambda e: read_from_dir(args.source, e), args.out)
    elif args.mirror is not None:
        problems = restore(entries, lambda e: read_from_git(args.mirror, e), args.out)
    else:
        parser.error("give MIRROR_DIR, --from DIR or --check")
    for line in problems:
        print(line, file=sys.stderr)
    print(f"{len(entries) - len(problems)}/{len(entries)} corpus files present and verified in {args.out}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
