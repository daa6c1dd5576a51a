"""Which files a run checks: Python files and notebooks under the given paths, minus excludes.

Excludes are gitignore-style patterns relative to the settings root (the directory of the
pyproject.toml, or the working directory).  ``.gitignore`` files are honoured at every level,
from the repository root down, together with ``.git/info/exclude``.  Paths given explicitly are
always checked unless ``force_exclude`` is set (pre-commit passes files explicitly).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pathspec import GitIgnoreSpec

SOURCE_SUFFIXES = (".py", ".ipynb")
DEFAULT_EXCLUDES = (".bzr", ".direnv", ".eggs", ".fixorder_cache", ".git", ".hg", ".ipynb_checkpoints",
                    ".mypy_cache", ".nox", ".pytest_cache", ".ruff_cache", ".svn", ".tox", ".venv",
                    "__pycache__", "__pypackages__", "_build", "build", "dist", "node_modules",
                    "site-packages", "venv", "*.egg-info")


@dataclass
class DiscoveryOptions:
    root: Path
    exclude: list[str] | None = None  # None: DEFAULT_EXCLUDES
    extend_exclude: tuple[str, ...] | list[str] = ()
    respect_gitignore: bool = True
    force_exclude: bool = False


class GitIgnore:
    """Answers "is this path ignored by git?" from the .gitignore files on its way down."""

    def __init__(self) -> None:
        self._specs: dict[Path, GitIgnoreSpec | None] = {}
        self._repo_roots: dict[Path, Path | None] = {}

    def _spec(self, directory: Path) -> GitIgnoreSpec | None:
        if directory not in self._specs:
            lines: list[str] = []
            for name in (".gitignore", ".git/info/exclude"):
                try:
                    lines += (directory / name).read_text(encoding="utf-8", errors="replace").splitlines()
                except OSError:
                    pass
            self._specs[directory] = GitIgnoreSpec.from_lines(lines) if lines else None
        return self._specs[directory]

    def repo_root(self, directory: Path) -> Path | None:
        if directory not in self._repo_roots:
            root = None
            for candidate in (directory, *directory.parents):
                if (candidate / ".git").exists():
                    root = candidate
                    break
            self._repo_roots[directory] = root
        return self._repo_roots[directory]

    def ignored(self, path: Path, is_dir: bool) -> bool:
        """Decided by the deepest .gitignore with a matching pattern (a later pattern wins within one)."""
        path = path.absolute()
        root = self.repo_root(path.parent)
        if root is None:
            return False
        chain = [d for d in (path.parent, *path.parent.parents) if d == root or root in d.parents]
        for directory in chain:
            spec = self._spec(directory)
            if spec is None:
                continue
            relative = path.relative_to(directory).as_posix() + ("/" if is_dir else "")
            decision = spec.check_file(relative).include
            if decision is not None:
                return decision
        return False

    def ignored_with_parents(self, path: Path) -> bool:
        """For a path named explicitly: ignored itself, or inside an ignored directory of its repository."""
        path = path.absolute()
        root = self.repo_root(path.parent if not path.is_dir() else path)
        if root is None:
            return False
        for ancestor in reversed([p for p in path.parents if root in p.parents]):
            if self.ignored(ancestor, is_dir=True):
                return True
        return self.ignored(path, path.is_dir())


class Excluder:
    def __init__(self, options: DiscoveryOptions) -> None:
        patterns = list(DEFAULT_EXCLUDES if options.exclude is None else options.exclude)
        patterns += list(options.extend_exclude)
        self.root = options.root.absolute()
        self.spec = GitIgnoreSpec.from_lines(patterns)
        self.gitignore = GitIgnore() if options.respect_gitignore else None

    def excluded(self, path: Path, is_dir: bool) -> bool:
        path = path.absolute()
        try:
            relative = path.relative_to(self.root).as_posix()
        except ValueError:
            relative = path.name  # outside the root only name patterns can match
        if self.spec.match_file(relative + ("/" if is_dir else "")):
            return True
        return self.gitignore is not None and self.gitignore.ignored(path, is_dir)

    def excluded_explicit(self, path: Path) -> bool:
        """--force-exclude: a path named on the command line, checked with its parents."""
        path = path.absolute()
        for ancestor in [*reversed([p for p in path.parents if self.root in p.parents]), path]:
            try:
                relative = ancestor.relative_to(self.root).as_posix()
            except ValueError:
                relative = ancestor.name
            is_dir = ancestor != path or path.is_dir()
            if self.spec.match_file(relative + ("/" if is_dir else "")):
                return True
        return self.gitignore is not None and self.gitignore.ignored_with_parents(path)


def discover(paths: list[str], options: DiscoveryOptions | None = None) -> tuple[list[Path], list[tuple[str, str]]]:
    """Source files under ``paths`` and the path errors (name, reason), in a stable order."""
    options = options or DiscoveryOptions(root=Path.cwd())
    excluder = Excluder(options)
    found: list[Path] = []
    errors: list[tuple[str, str]] = []
    seen: set[Path] = set()

    def add(p: Path) -> None:
        key = p.absolute()
        if key not in seen:
            seen.add(key)
            found.append(p)

    for name in paths:
        p = Path(name)
        if not p.exists():
            broken = os.path.lexists(p)  # a dangling link or a link loop, not a missing name
            errors.append((name, "broken symbolic link or link loop" if broken else "no such file or directory"))
            continue
        if options.force_exclude and excluder.excluded_explicit(p):
            continue
        if not p.is_dir():
            # Files, but also FIFOs and devices: read_source reports those instead of blocking.
            add(p)
            continue
        visited: set[tuple[int, int]] = set()
        unreadable: list[OSError] = []
        for root, dirs, files in os.walk(p, followlinks=False, onerror=unreadable.append):
            st = os.stat(root)
            if (st.st_dev, st.st_ino) in visited:  # a directory reached twice (bind mounts)
                dirs[:] = []
                continue
            visited.add((st.st_dev, st.st_ino))
            base = Path(root)
            dirs[:] = sorted(d for d in dirs if not excluder.excluded(base / d, is_dir=True))
            for f in sorted(files):
                fp = base / f
                if f.endswith(SOURCE_SUFFIXES) and not excluder.excluded(fp, is_dir=False):
                    add(fp)
        errors.extend((exc.filename or name, f"cannot read directory: {exc.strerror or exc}") for exc in unreadable)
    return found, errors
