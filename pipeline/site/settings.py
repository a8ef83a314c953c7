"""Per-site settings: ``vien.toml`` at the site root, for what repeats on command lines.

The file is optional. Every key is optional, and a command-line option always wins over the
file (the CLI feeds the file to click as the command's ``default_map``). Unknown sections or
keys and values of the wrong type are a :class:`~vien.errors.ConfigError` naming the file
and the key, so a typo never passes silently.

Why a file of vien's own rather than ``[params.vien]`` in the Hugo config: Hugo configs come
in TOML, YAML and JSON, at the root or split over ``config/_default/``, and Hugo would carry
vien's settings into every build; a small TOML file is one place to look, easy to review in a
pull request, and readable with the standard library (``tomllib``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import ConfigError

FILE_NAME = "vien.toml"
HUGO_CONFIGS = tuple(
    f"{n}{e}" for n in ("hugo", "config") for e in (".toml", ".yaml", ".yml", ".json")
)
ENGINES = ("argos", "identity", "pseudo")
COMPUTE_TYPES = ("int8", "int8_float32", "float32", "default", "auto")
CHECK_FORMATS = ("text", "json", "github", "sarif")
FAIL_ON = ("error", "warning", "notice", "never")
SEVERITIES = ("error", "warning", "notice", "off")
KINDS = (
    "untranslated",
    "missing-page",
    "missing-section",
    "stale",
    "glossary",
    "structure",
    "anchor",
)

_STR = (str,)
_LIST = (list,)
#: section -> key -> (accepted types, allowed values or None)
SCHEMA: dict[str, dict[str, tuple[tuple[type, ...], tuple[str, ...] | None]]] = {
    "site": {
        "source": (_STR, None),
        "target": (_STR, None),
        "exclude": (_LIST, None),
        "front_matter_keys": (_LIST, None),
        "max_size": ((str, int), None),
    },
    "glossary": {"path": (_STR, None), "enabled": ((bool,), None)},
    "translate": {
        "engine": (_STR, ENGINES),
        "retranslate": ((bool,), None),
        "memory": ((bool,), None),
    },
    "engine": {
        "beam_size": ((int,), None),
        "threads": ((int,), None),
        "compute_type": (_STR, COMPUTE_TYPES),
        "max_length_ratio": ((int, float), None),
        "models_dir": (_STR, None),
    },
    "check": {
        "format": (_STR, CHECK_FORMATS),
        "fail_on": (_STR, FAIL_ON),
        "baseline": (_STR, None),
        "severity": ((dict,), None),
    },
}


@dataclass(frozen=True, slots=True)
class Settings:
    """The settings of one site; None means "not set" (the command's own default holds)."""

    path: Path | None = None  # the vien.toml they came from
    source: str | None = None
    target: str | None = None
    exclude: tuple[str, ...] = ()
    front_matter_keys: tuple[str, ...] | None = None
    max_size: str | None = None
    glossary: Path | None = None
    glossary_enabled: bool | None = None
    engine: str | None = None
    retranslate: bool | None = None
    memory: bool | None = None
    beam_size: int | None = None
    threads: int | None = None
    compute_type: str | None = None
    max_length_ratio: float | None = None
    models_dir: Path | None = None
    check_format: str | None = None
    fail_on: str | None = None
    baseline: Path | None = None
    severity: dict[str, str] = field(default_factory=dict)

    @property
    def root(self) -> Path | None:
        """The folder holding the file: relative paths and exclude globs start there."""
        return self.path.parent if self.path else None

    def defaults(self, command: str) -> dict[str, Any]:
        """click ``default_map`` entries (parameter name -> value) for ``command``."""
        common: dict[str, Any] = {
            "source": self.source,
            "target": self.target,
            "glossary_path": self.glossary,
            "no_glossary": None if self.glossary_enabled is None else not self.glossary_enabled,
            "keys": self.front_matter_keys,
            "max_size": self.max_size,
        }
        decoding = {
            "beam_size": self.beam_size,
            "threads": self.threads,
            "compute_type": self.compute_type,
            "max_length_ratio": self.max_length_ratio,
            "models_dir": self.models_dir,
        }
        per: dict[str, dict[str, Any]] = {
            "translate": {
                "engine": self.engine,
                "retranslate": self.retranslate,
                "no_memory": None if self.memory is None else not self.memory,
                **decoding,
            },
            "check": {"fmt": self.check_format, "fail_on": self.fail_on, "baseline": self.baseline},
            # score measures both directions unless --from/--to say otherwise
            "score": {**decoding, "source": None, "target": None},
        }
        out = {**common, **per.get(command, {})}
        return {k: v for k, v in out.items() if v is not None}


def _typename(types: tuple[type, ...]) -> str:
    names = {str: "a string", int: "an integer", float: "a number", bool: "true or false"}
    names |= {list: "a list", dict: "a table"}
    return " or ".join(names[t] for t in types)


def parse(data: dict[str, Any], path: Path) -> Settings:
    """Validate the loaded TOML ``data`` of ``path`` into :class:`Settings`."""
    values: dict[str, Any] = {}
    for section, table in data.items():
        if section not in SCHEMA:
            raise ConfigError(f"{path}: unknown section [{section}] (known: {', '.join(SCHEMA)})")
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: {section} must be a table ([{section}])")
        for key, value in table.items():
            spec = SCHEMA[section].get(key)
            if spec is None:
                raise ConfigError(
                    f"{path}: unknown key {section}.{key} "
                    f"(known in [{section}]: {', '.join(SCHEMA[section])})"
                )
            types, allowed = spec
            if (isinstance(value, bool) and bool not in types) or not isinstance(value, types):
                raise ConfigError(
                    f"{path}: {section}.{key} must be {_typename(types)}, not {value!r}"
                )
            if allowed is not None and value not in allowed:
                raise ConfigError(
                    f"{path}: {section}.{key} = {value!r} is not one of {', '.join(allowed)}"
                )
            if isinstance(value, list) and not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{path}: {section}.{key} must be a list of strings")
            values[f"{section}.{key}"] = value
    severity = values.get("check.severity", {})
    for kind, level in severity.items():
        if kind not in KINDS:
            raise ConfigError(
                f"{path}: unknown key check.severity.{kind} (kinds: {', '.join(KINDS)})"
            )
        if level not in SEVERITIES:
            raise ConfigError(
                f"{path}: check.severity.{kind} = {level!r} is not one of {', '.join(SEVERITIES)}"
            )
    for key, low in (("engine.beam_size", 1), ("engine.threads", 0)):
        if key in values and values[key] < low:
            raise ConfigError(f"{path}: {key} must be at least {low}")

    def rel(key: str) -> Path | None:
        value = values.get(key)
        return None if value in (None, "") else (path.parent / Path(value).expanduser())

    size = values.get("site.max_size")
    keys = values.get("site.front_matter_keys")
    ratio = values.get("engine.max_length_ratio")
    return Settings(
        path=path,
        source=values.get("site.source"),
        target=values.get("site.target"),
        exclude=tuple(values.get("site.exclude", ())),
        front_matter_keys=tuple(keys) if keys is not None else None,
        max_size=None if size is None else str(size),
        glossary=rel("glossary.path"),
        glossary_enabled=values.get("glossary.enabled"),
        engine=values.get("translate.engine"),
        retranslate=values.get("translate.retranslate"),
        memory=values.get("translate.memory"),
        beam_size=values.get("engine.beam_size"),
        threads=values.get("engine.threads"),
        compute_type=values.get("engine.compute_type"),
        max_length_ratio=None if ratio is None else float(ratio),
        models_dir=rel("engine.models_dir"),
        check_format=values.get("check.format"),
        fail_on=values.get("check.fail_on"),
        baseline=rel("check.baseline"),
        severity=dict(severity),
    )


def load(path: Path) -> Settings:
    """Read and validate one ``vien.toml``."""
    path = path.resolve()
    try:
        stat = path.stat()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from exc
    return _load(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=16)
def _load(path: Path, mtime: int, size: int) -> Settings:
    import tomllib  # here: a folder without vien.toml does not need it (start-up time)

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    return parse(data, path)


def is_site_root(folder: Path) -> bool:
    """A folder holding a Hugo config (``hugo.*``, ``config.*`` or ``config/_default``)."""
    return (
        any((folder / n).is_file() for n in HUGO_CONFIGS)
        or (folder / "config" / "_default").is_dir()
    )


def site_root(content: Path) -> Path:
    """The Hugo site root at or above ``content`` (``content`` itself when there is none):
    what paths in baselines and reports are relative to, whether a command was given the
    site or its content folder."""
    start = content.resolve()
    return next((d for d in (start, *start.parents) if is_site_root(d)), start)


def find(start: Path) -> Path | None:
    """The ``vien.toml`` that applies to ``start`` (a site, a content folder or a page): in
    the nearest folder at or above it holding ``vien.toml``. The search stops at the first
    folder that is a Hugo site root or a git work tree root, so one site never picks up the
    settings of a site around it."""
    folder = start.resolve()
    if not folder.is_dir():
        folder = folder.parent
    for d in (folder, *folder.parents):
        if (d / FILE_NAME).is_file():
            return d / FILE_NAME
        if is_site_root(d) or (d / ".git").exists():
            return None
    return None


def for_path(start: Path) -> Settings:
    """The settings that apply to ``start`` (empty settings when there is no file)."""
    found = find(start)
    return load(found) if found else Settings()


def glob_regex(pattern: str) -> re.Pattern[str]:
    """A gitignore-like glob: ``*`` and ``?`` stay within a folder, ``**`` crosses folders."""
    out, i = [], 0
    pattern = pattern.strip().strip("/")
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out))


def excluded(relpaths: list[str], patterns: tuple[str, ...]) -> bool:
    """True when a pattern matches one of ``relpaths`` (posix, relative) or a parent folder
    of one: ``content/drafts`` excludes every page under it."""
    regexes = [glob_regex(p) for p in patterns if p.strip()]
    for rel in relpaths:
        parts = rel.split("/")
        prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
        if any(r.fullmatch(p) for r in regexes for p in prefixes):
            return True
    return False
