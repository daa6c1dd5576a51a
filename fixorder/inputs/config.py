"""``[tool.fixorder]`` in the nearest pyproject.toml, validated and merged with command-line options.

Command-line values override the file: ``--select`` replaces ``select``, ``--exclude`` replaces
``exclude``; ``--extend-select``, ``--extend-exclude`` and ``--ignore`` add to what the file says.
"""

from __future__ import annotations

import os

import fnmatch
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from fixorder.inputs.options import Options
from fixorder.rules import ENGINE_CODES, RULE_MODULES

STRATEGIES = ("insert", "fold")
_LIST_KEYS = ("select", "ignore", "extend-select", "exclude", "extend-exclude")
KNOWN_KEYS = (*_LIST_KEYS, "per-file-ignores", "strategy", "unsafe-fixes", "respect-gitignore", "force-exclude")


class ConfigError(Exception):
    """A configuration file or option that cannot be used; the message names the file and key."""


@dataclass
class Settings:
    root: Path  # excludes and per-file-ignores are relative to this directory
    config_file: Path | None = None
    select: list[str] | None = None  # None: every rule
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    exclude: list[str] | None = None  # None: the default excludes
    extend_exclude: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    strategy: str = "insert"
    unsafe_fixes: bool = False
    respect_gitignore: bool = True
    force_exclude: bool = False
    _base_options: tuple | None = field(default=None, init=False, repr=False, compare=False)

    def selected_codes(self) -> frozenset[str]:
        chosen = expand_codes(self.select, "select") if self.select is not None else set(RULE_MODULES)
        chosen |= expand_codes(self.extend_select, "extend-select")
        chosen -= expand_codes(self.ignore, "ignore")
        return frozenset(chosen)

    def options_for(self, path: str | Path) -> Options:
        """Engine options for one file, with its per-file-ignores applied."""
        if not self.per_file_ignores:
            # The common case, asked once per discovered file: no path resolution, and one
            # Options object for the whole run (memoised on the fields it depends on).
            key = (tuple(self.select) if self.select is not None else None, tuple(self.ignore),
                   tuple(self.extend_select), self.strategy, self.unsafe_fixes)
            if self._base_options is None or self._base_options[0] != key:
                self._base_options = (key, Options(self.selected_codes(), self.strategy, self.unsafe_fixes))
            return self._base_options[1]
        path = Path(path)
        selected = self.selected_codes()
        ignored: set[str] = set()
        relative = relative_posix(path, self.root)
        for pattern, codes in self.per_file_ignores.items():
            if matches(pattern, relative, path.name):
                ignored |= expand_codes(codes, f"per-file-ignores.{pattern!r}")
        return Options(frozenset(selected - ignored), self.strategy, self.unsafe_fixes)


def relative_posix(path: Path, root: Path) -> str | None:
    try:
        return PurePosixPath(*path.resolve().relative_to(root.resolve()).parts).as_posix()
    except ValueError:
        return None
    except (OSError, RuntimeError):  # a symbolic link loop cannot be resolved; read_source reports it
        relative = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
        return None if relative.startswith("..") else PurePosixPath(relative).as_posix()


def matches(pattern: str, relative: str | None, name: str) -> bool:
    """A glob with a slash matches the path relative to the config; one without matches the file name."""
    if "/" in pattern:
        return relative is not None and fnmatch.fnmatchcase(relative, pattern.lstrip("/"))
    return fnmatch.fnmatchcase(name, pattern)


def expand_codes(codes: list[str], where: str) -> set[str]:
    """Prefixes select every rule they start (``FO1`` selects FO101..FO199, ``ALL`` everything)."""
    known = set(RULE_MODULES)
    out: set[str] = set()
    for raw in codes:
        code = raw.strip().upper()
        if not code:
            continue
        if code == "ALL":
            out |= known
            continue
        matched = {k for k in known if k.startswith(code)}
        if not matched and code not in ENGINE_CODES:
            raise ConfigError(f"{where}: unknown rule code or prefix: {raw}")
        out |= matched
    return out


def find_config(start: Path) -> Path | None:
    """The nearest pyproject.toml, from ``start`` upwards, that has a ``[tool.fixorder]`` table."""
    start = start.resolve()
    for directory in (start, *start.parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file() and _may_name_fixorder(candidate) and "fixorder" in _read_toml(candidate).get("tool", {}):
            return candidate
    return None


def _may_name_fixorder(path: Path) -> bool:
    """False when the file cannot have a ``fixorder`` key, so it need not be parsed.

    A TOML key is spelt out in the file unless a quoted key uses escapes (``"fix\\u006frder"``),
    which needs a backslash.  An unreadable file says True: parsing it reports the error.
    """
    try:
        raw = path.read_bytes()
    except OSError:
        return True
    return b"fixorder" in raw or b"\\" in raw


def _read_toml(path: Path) -> dict:
    # Imported here: most runs find no pyproject.toml to parse, and tomllib costs milliseconds.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib

    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from exc


def _string_list(value: object, where: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: expected a list of strings, got {value!r}")
    return list(value)


def _bool(value: object, where: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: expected true or false, got {value!r}")
    return value


def parse_table(table: dict, root: Path, config_file: Path | None) -> Settings:
    """Validate a ``[tool.fixorder]`` table; every problem is a ConfigError naming file and key."""
    prefix = f"{config_file}: [tool.fixorder]" if config_file else "[tool.fixorder]"
    unknown = sorted(set(table) - set(KNOWN_KEYS))
    if unknown:
        raise ConfigError(f"{prefix}: unknown key{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} "
                          f"(known: {', '.join(KNOWN_KEYS)})")
    settings = Settings(root=root, config_file=config_file)
    for key in _LIST_KEYS:
        if key in table:
            value = table[key]
            if isinstance(value, str) and key in ("select", "ignore", "extend-select"):
                value = [code.strip() for code in value.split(",")]  # as on the command line: "FO101,FO104"
            setattr(settings, key.replace("-", "_"), _string_list(value, f"{prefix}.{key}"))
    if "per-file-ignores" in table:
        value = table["per-file-ignores"]
        if not isinstance(value, dict):
            raise ConfigError(f"{prefix}.per-file-ignores: expected a table of glob = [codes], got {value!r}")
        settings.per_file_ignores = {pattern: _string_list(codes, f"{prefix}.per-file-ignores.{pattern!r}")
                                     for pattern, codes in value.items()}
    if "strategy" in table:
        if table["strategy"] not in STRATEGIES:
            raise ConfigError(f"{prefix}.strategy: expected one of {', '.join(STRATEGIES)}, got {table['strategy']!r}")
        settings.strategy = table["strategy"]
    for key in ("unsafe-fixes", "respect-gitignore", "force-exclude"):
        if key in table:
            setattr(settings, key.replace("-", "_"), _bool(table[key], f"{prefix}.{key}"))
    # Resolve codes now, so a typo is reported even when no file is checked.
    for key in ("select", "ignore", "extend-select"):
        expand_codes(getattr(settings, key.replace("-", "_")) or [], f"{prefix}.{key}")
    for pattern, codes in settings.per_file_ignores.items():
        expand_codes(codes, f"{prefix}.per-file-ignores.{pattern!r}")
    return settings


def load_settings(start: Path, config_file: Path | None = None) -> Settings:
    """Settings from ``config_file``, or from the nearest pyproject.toml above ``start``, or defaults."""
    path = config_file or find_config(start)
    if path is None:
        return Settings(root=start.resolve())
    tool = _read_toml(path).get("tool", {})
    if config_file is not None and (not isinstance(tool, dict) or "fixorder" not in tool):
        raise ConfigError(f"{path}: no [tool.fixorder] table (--config names the file that configures fixorder)")
    table = tool.get("fixorder", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.fixorder] must be a table")
    return parse_table(table, path.parent.resolve(), path)


@dataclass
class Overrides:
    """What the command line said; None and empty mean "not given"."""

    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    exclude: list[str] | None = None
    extend_exclude: list[str] = field(default_factory=list)
    strategy: str | None = None
    unsafe_fixes: bool | None = None
    respect_gitignore: bool | None = None
    force_exclude: bool | None = None


def merge(settings: Settings, cli: Overrides) -> Settings:
    merged = replace(settings,
                     select=cli.select if cli.select is not None else settings.select,
                     ignore=[*settings.ignore, *cli.ignore],
                     extend_select=[*settings.extend_select, *cli.extend_select],
                     exclude=cli.exclude if cli.exclude is not None else settings.exclude,
                     extend_exclude=[*settings.extend_exclude, *cli.extend_exclude])
    for name in ("strategy", "unsafe_fixes", "respect_gitignore", "force_exclude"):
        value = getattr(cli, name)
        if value is not None:
            setattr(merged, name, value)
    for option, codes in (("--select", cli.select or []), ("--ignore", cli.ignore),
                          ("--extend-select", cli.extend_select)):
        expand_codes(codes, option)
    return merged
