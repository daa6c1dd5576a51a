"""Which files a run checks: Python files and notebooks under the given paths, minus excludes.

Excludes are gitignore-style patterns relative to the settings root (the directory of the
pyproject.toml, or the working directory).  ``.gitignore`` files are honoured at every level,
from the repository root down, together with ``.git/info/exclude``.  Paths given explicitly are
always checked unless ``force_exclude`` is set (pre-commit passes files explicitly).

Discovery runs on every invocation over every directory entry, so the walk works on plain
strings (a ``pathlib`` operation costs microseconds, and a tree has thousands of entries), and
work that depends only on a directory (its repository root, its chain of ``.gitignore`` files)
is done once per directory.  Exclude patterns that are plain names (all the defaults) are
matched per path component without pathspec; pathspec is imported only for other patterns
and for ``.gitignore`` files that exist.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from fnmatch import translate
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

SOURCE_SUFFIXES = (".py", ".ipynb")
# How write_source's temporary files end (files.py names them): the walk notes them as it
# lists each directory, so finding the ones a killed run left costs no second listing.
TEMP_SUFFIX = ".fixorder.tmp"
DEFAULT_EXCLUDES = (".bzr", ".direnv", ".eggs", ".fixorder_cache", ".git", ".hg", ".ipynb_checkpoints",
                    ".mypy_cache", ".nox", ".pytest_cache", ".ruff_cache", ".svn", ".tox", ".venv",
                    "__pycache__", "__pypackages__", "_build", "build", "dist", "node_modules",
                    "site-packages", "venv", "*.egg-info")

# A gitignore pattern with no slash, negation, escape, character class, comment or space
# matches exactly the paths that have a component it matches (``*`` and ``?`` never cross a
# slash, and a component is a whole name): ``tests/test_discovery.py`` checks this against
# pathspec.
_NAME_PATTERN = re.compile(r"[^/\\\[\]!#\s]+")


def is_name_pattern(pattern: str) -> bool:
    return bool(_NAME_PATTERN.fullmatch(pattern)) and "**" not in pattern and pattern not in (".", "..")


def _gitignore_spec(lines: list[str]) -> GitIgnoreSpec:
    from pathspec import GitIgnoreSpec  # only for patterns that need it: importing costs ~10 ms

    return GitIgnoreSpec.from_lines(lines)


class NameMatcher:
    """Matches plain-name patterns against each component of a relative path."""

    def __init__(self, patterns: list[str]) -> None:
        self.names = frozenset(p for p in patterns if not any(c in p for c in "*?"))
        globs = [p for p in patterns if any(c in p for c in "*?")]
        # One regular expression for all the globs (fnmatchcase's own translation of each).
        self._globs = re.compile("|".join(f"(?:{translate(g)})" for g in globs)) if globs else None
        self._seen: dict[str, bool] = {}

    def matches_name(self, name: str) -> bool:
        hit = self._seen.get(name)
        if hit is None:
            hit = name in self.names or (self._globs is not None and self._globs.match(name) is not None)
            self._seen[name] = hit
        return hit

    def matches(self, relative: str) -> bool:
        # "." is the root itself, which pathspec never matches (it reads "./" as "")
        return any(self.matches_name(part) for part in relative.split("/") if part and part != ".")


@dataclass
class DiscoveryOptions:
    root: Path
    exclude: list[str] | None = None  # None: DEFAULT_EXCLUDES
    extend_exclude: tuple[str, ...] | list[str] = ()
    respect_gitignore: bool = True
    force_exclude: bool = False


def _relative(absolute: str, directory: str) -> str | None:
    """``absolute`` relative to ``directory`` (both absolute, normalised as pathlib does), or None."""
    if absolute == directory:
        return "."
    prefix = directory if directory.endswith(os.sep) else directory + os.sep
    if absolute.startswith(prefix):
        return absolute[len(prefix):].replace(os.sep, "/")
    return None


class GitIgnore:
    """Answers "is this path ignored by git?" from the .gitignore files on its way down."""

    def __init__(self) -> None:
        self._specs: dict[str, GitIgnoreSpec | None] = {}
        self._repo_roots: dict[str, str | None] = {}
        self._chains: dict[str, list[tuple[str, GitIgnoreSpec]]] = {}

    def _spec(self, directory: str, names: frozenset[str] | None = None) -> GitIgnoreSpec | None:
        """``names``: the directory's entries when the caller has listed it (the walk), so that
        only the ignore files that exist are opened."""
        if directory not in self._specs:
            lines: list[str] = []
            for name in (".gitignore", os.path.join(".git", "info", "exclude")):
                if names is not None and name.partition(os.sep)[0] not in names:
                    continue
                try:
                    with open(os.path.join(directory, name), encoding="utf-8", errors="replace") as handle:
                        lines += handle.read().splitlines()
                except OSError:
                    pass
            self._specs[directory] = _gitignore_spec(lines) if lines else None
        return self._specs[directory]

    def repo_root(self, directory: str) -> str | None:
        """The nearest directory at or above ``directory`` that holds ``.git``."""
        if directory not in self._repo_roots:
            if os.path.exists(os.path.join(directory, ".git")):
                root: str | None = directory
            else:
                parent = os.path.dirname(directory)
                root = None if parent == directory else self.repo_root(parent)
            self._repo_roots[directory] = root
        return self._repo_roots[directory]

    def _chain(self, directory: str) -> list[tuple[str, GitIgnoreSpec]]:
        """The .gitignore specs that apply inside ``directory``, deepest first, up to its repository root."""
        if directory not in self._chains:
            root = self.repo_root(directory)
            chain: list[tuple[str, GitIgnoreSpec]] = []
            current = directory
            while root is not None:
                spec = self._spec(current)
                if spec is not None:
                    chain.append((current, spec))
                parent = os.path.dirname(current)
                if current == root or parent == current:
                    break
                current = parent
            self._chains[directory] = chain
        return self._chains[directory]

    def ignored_absolute(self, absolute: str, is_dir: bool) -> bool:
        """Decided by the deepest .gitignore with a matching pattern (a later pattern wins within one)."""
        for directory, spec in self._chain(os.path.dirname(absolute)):
            relative = _relative(absolute, directory)
            decision = spec.check_file(relative + ("/" if is_dir else "")).include
            if decision is not None:
                return decision
        return False

    def ignored(self, path: Path, is_dir: bool) -> bool:
        return self.ignored_absolute(str(path.absolute()), is_dir)

    def ignored_with_parents(self, path: Path) -> bool:
        """For a path named explicitly: ignored itself, or inside an ignored directory of its repository."""
        path = path.absolute()
        root = self.repo_root(str(path.parent if not path.is_dir() else path))
        if root is None:
            return False
        root_path = Path(root)
        for ancestor in reversed([p for p in path.parents if root_path in p.parents]):
            if self.ignored(ancestor, is_dir=True):
                return True
        return self.ignored(path, path.is_dir())


class Excluder:
    def __init__(self, options: DiscoveryOptions) -> None:
        patterns = list(DEFAULT_EXCLUDES if options.exclude is None else options.exclude)
        patterns += list(options.extend_exclude)
        self.root = options.root.absolute()
        self._root = str(self.root)
        # Without negations a path is excluded when any pattern matches it, so the plain-name
        # patterns can be matched apart from the others.
        if any(p.startswith("!") for p in patterns):
            names, others = [], patterns
        else:
            names = [p for p in patterns if is_name_pattern(p)]
            others = [p for p in patterns if not is_name_pattern(p)]
        self.names = NameMatcher(names)
        self.spec = _gitignore_spec(others) if others else None
        self.gitignore = GitIgnore() if options.respect_gitignore else None

    def _relative(self, absolute: str) -> str:
        relative = _relative(absolute, self._root)
        return os.path.basename(absolute) if relative is None else relative  # outside the root only names match

    def _pattern_match(self, relative: str, is_dir: bool) -> bool:
        if self.names.matches(relative):
            return True
        return self.spec is not None and self.spec.match_file(relative + ("/" if is_dir else ""))

    def excluded_absolute(self, absolute: str, is_dir: bool) -> bool:
        """``absolute`` as ``str(Path.absolute())`` spells it."""
        if self._pattern_match(self._relative(absolute), is_dir):
            return True
        return self.gitignore is not None and self.gitignore.ignored_absolute(absolute, is_dir)

    def excluded(self, path: Path, is_dir: bool) -> bool:
        return self.excluded_absolute(str(path.absolute()), is_dir)

    def rules_for(self, directory: str) -> _DirectoryRules:
        """What decides, for the entries of one (absolute) directory, whether they are excluded."""
        if self.gitignore is None:
            return _DirectoryRules(self, directory, None, [])
        return _DirectoryRules(self, directory, self.gitignore.repo_root(directory),
                               self.gitignore._chain(directory))

    def excluded_explicit(self, path: Path) -> bool:
        """--force-exclude: a path named on the command line, checked with its parents."""
        path = path.absolute()
        for ancestor in [*reversed([p for p in path.parents if self.root in p.parents]), path]:
            is_dir = ancestor != path or path.is_dir()
            if self._pattern_match(self._relative(str(ancestor)), is_dir):
                return True
        return self.gitignore is not None and self.gitignore.ignored_with_parents(path)


class _DirectoryRules:
    """Excluder.excluded_absolute for the entries of one directory, with the per-directory work
    done once, and derived for a subdirectory from its parent's (a walk visits both)."""

    def __init__(self, excluder: Excluder, directory: str, repo: str | None,
                 chain: list[tuple[str, GitIgnoreSpec]], parent: _DirectoryRules | None = None) -> None:
        self.excluder = excluder
        self.directory = directory
        self.repo = repo  # the repository root, when .gitignore files count and there is one
        self.chain = chain  # (directory, spec) of the .gitignore files that apply here, deepest first
        self.root_name: str | None = None
        if parent is not None and parent.prefix is not None:
            # Inside the root, below a directory whose entries were not all excluded (else
            # this one would not be visited): no component of the prefix matches a name.
            self.prefix: str | None = parent.prefix + os.path.basename(directory) + "/"
            self.prefix_matches = False
            return
        relative = _relative(directory, excluder._root)
        # The directory relative to the root, with a final "/"; None outside the root, where
        # only an entry's own name can match.
        self.prefix = None if relative is None else "" if relative == "." else relative + "/"
        # A name pattern matches one of the directory's own components: every entry is excluded.
        self.prefix_matches = relative is not None and excluder.names.matches(relative)
        # The one entry of a directory outside the root that is not outside it: the root.
        root_parent, root_name = os.path.split(excluder._root)
        if relative is None and root_parent == directory:
            self.root_name = root_name

    def child(self, name: str, names: frozenset[str] | None = None) -> _DirectoryRules:
        """The rules of subdirectory ``name``; ``names``: its entries, when the walk has listed
        it (then no file is looked for that is not among them)."""
        directory = self.directory + name if self.directory.endswith(os.sep) else self.directory + os.sep + name
        gitignore = self.excluder.gitignore
        if gitignore is None:
            return _DirectoryRules(self.excluder, directory, None, [], self)
        has_git = ".git" in names if names is not None else os.path.exists(directory + os.sep + ".git")
        if has_git:  # a repository of its own (a submodule)
            repo, chain = directory, []
        else:
            repo, chain = self.repo, self.chain
        gitignore._repo_roots[directory] = repo
        if repo is not None:
            spec = gitignore._spec(directory, names)
            if spec is not None:
                chain = [(directory, spec), *chain]
        return _DirectoryRules(self.excluder, directory, repo, chain, self)

    def excluded(self, name: str, is_dir: bool) -> bool:
        excluder = self.excluder
        if name == self.root_name:
            if excluder._pattern_match(".", is_dir):
                return True
        elif self.prefix_matches or excluder.names.matches_name(name):
            return True
        elif excluder.spec is not None:
            relative = name if self.prefix is None else self.prefix + name
            if excluder.spec.match_file(relative + ("/" if is_dir else "")):
                return True
        if self.chain:
            absolute = os.path.join(self.directory, name)
            for directory, spec in self.chain:
                decision = spec.check_file(_relative(absolute, directory) + ("/" if is_dir else "")).include
                if decision is not None:
                    return decision
        return False


def discover(paths: list[str], options: DiscoveryOptions | None = None) -> tuple[list[Path], list[tuple[str, str]]]:
    """Source files under ``paths`` and the path errors (name, reason), in a stable order."""
    found, errors = discover_names(paths, options)
    return [Path(name) for name in found], errors


def discover_names(paths: list[str], options: DiscoveryOptions | None = None,
                   temporaries: list[str] | None = None) -> tuple[list[str], list[tuple[str, str]]]:
    """``discover`` with each file as a string spelt as pathlib would (``str(Path(...))``):
    a run creates a Path only for the files it reads, not for every file it finds.

    ``temporaries``, when given, receives the names ending in TEMP_SUFFIX in every directory
    that holds a file found (files.stale_temporaries decides which of them are stale)."""
    options = options or DiscoveryOptions(root=Path.cwd())
    excluder = Excluder(options)
    found: list[str] = []
    errors: list[tuple[str, str]] = []
    seen: set[str] = set()
    explicit_directories: set[str] = set()

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
            key = str(p.absolute())
            if key not in seen:
                seen.add(key)
                found.append(str(p))
                if temporaries is not None:
                    explicit_directories.add(os.path.dirname(str(p)) or ".")
            continue
        _walk(p, excluder, found, seen, errors, name, temporaries)
    for directory in sorted(explicit_directories):
        try:
            with os.scandir(directory) as scan:
                spelt = "" if directory == "." else os.path.join(directory, "")
                temporaries.extend(spelt + e.name for e in scan if e.name.endswith(TEMP_SUFFIX))
        except OSError:
            continue  # an unreadable directory: reading the file reports it
    return found, errors


def _walk(top: Path, excluder: Excluder, found: list[str], seen: set[str], errors: list[tuple[str, str]],
          name: str, temporaries: list[str] | None = None) -> None:
    """Add the source files under directory ``top`` as ``os.walk`` orders them (each directory's
    files sorted, then its sorted subdirectories), pruning excluded directories and never
    following a symbolic link to a directory."""
    visited: set[tuple[int, int]] = set()
    unreadable: list[OSError] = []

    def visit(directory: str, parent: _DirectoryRules | None, name: str | None) -> None:
        try:
            st = os.stat(directory)
        except OSError as exc:  # removed or made unreachable while walking
            unreadable.append(exc)
            return
        if (st.st_dev, st.st_ino) in visited:  # a directory reached twice (bind mounts)
            return
        visited.add((st.st_dev, st.st_ino))
        try:
            with os.scandir(directory) as scan:
                entries = list(scan)
        except OSError as exc:
            unreadable.append(exc)
            return
        # A subdirectory's rules (its repository, its .gitignore) from its own listing.
        rules = top_rules if parent is None else parent.child(name, frozenset(e.name for e in entries))
        subdirectories: list[str] = []
        files: list[str] = []
        leftovers: list[str] = []
        for entry in entries:
            entry_name = entry.name
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                # os.walk lists a link to a directory but never enters it: nor do we.
                if not entry.is_symlink() and not rules.excluded(entry_name, is_dir=True):
                    subdirectories.append(entry_name)
            elif entry_name.endswith(SOURCE_SUFFIXES):
                files.append(entry_name)
            elif entry_name.endswith(TEMP_SUFFIX):
                leftovers.append(entry_name)
        absolute = rules.directory
        if not absolute.endswith(os.sep):
            absolute += os.sep
        spelt = "" if directory == "." else directory if directory.endswith(os.sep) else directory + os.sep
        excluded = rules.excluded
        count = len(found)
        for file_name in sorted(files):
            key = absolute + file_name
            if key in seen or excluded(file_name, is_dir=False):
                continue
            seen.add(key)
            found.append(spelt + file_name)
        if leftovers and temporaries is not None and len(found) > count:
            temporaries.extend(spelt + leftover for leftover in leftovers)
        for sub in sorted(subdirectories):
            visit(spelt + sub, rules, sub)

    # pathlib's spelling: no "." parts, no doubled or final slashes
    top_rules = excluder.rules_for(str(top.absolute()))
    visit(str(top), None, None)
    errors.extend((exc.filename or name, f"cannot read directory: {exc.strerror or exc}") for exc in unreadable)
