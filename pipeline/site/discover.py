"""Find a site's pages and their counterparts.

Three conventions are understood, as Hugo does: ``X.md`` + ``X.vi.md`` (``X.md`` is in the
default content language), ``X.en.md`` + ``X.vi.md``, and one content directory per language
(``content/en/…`` + ``content/vi/…``). Pages are linked by ``translationKey`` when they set one,
else by their path without the language — Hugo's own rule.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import structured
from ..errors import ConfigError, PageError
from ..page import front_matter
from . import settings

CONFIG_NAMES = ("hugo", "config")
CONFIG_EXTS = (".toml", ".yaml", ".yml", ".json")
PAGE_SUFFIXES = (".md", ".markdown")
DEFAULT_LANGUAGES = ("en", "vi")
#: ``--exclude`` globs of the running command, added to the site's own (``[site] exclude``)
EXCLUDE: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar("exclude", default=())
#: folders of a Hugo site root that never hold its pages
NOT_CONTENT = ("themes", "public", "resources", "node_modules")


def base_language(key: str) -> str:
    """The language of a Hugo language key: its primary subtag, lowercased (``en-us`` and
    ``en_US`` are ``en``, ``vi-vn`` is ``vi``). File names and content folders go by the key;
    what reads or writes text (the language detector, the glossary, the MT engines) by this."""
    return key.replace("_", "-").split("-", 1)[0].lower() or key


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """Where the content is and which languages it holds."""

    root: Path  # the folder the user named
    default_language: str
    languages: tuple[str, ...]
    content_dirs: dict[str, Path]  # language -> content folder (all equal: filename mode)
    config_file: Path | None = None
    configured_languages: int = 0  # languages in the config's languages table
    scope: Path | None = None  # the folder the user named inside a content folder, if narrower

    def unusable(self, source: str | None = None, target: str | None = None) -> str:
        """Why vien may not write into this site, in the user's words with what to add;
        '' when the config names at least two languages. Nothing is guessed before writing:
        without a config Hugo builds no site, and on a one-language site a page named
        ``X.vi.md`` is published as an English page at ``/X.vi/``."""
        src = source or next(x for x in (self.default_language, "en", "vi") if x != target)
        langs = [src, target or next(x for x in ("vi", "en") if x != src)]
        if self.config_file is None:
            where = self.root.parent if self.root.name == "content" else self.root
            names = ", ".join(n + ".toml" for n in CONFIG_NAMES)
            return (
                f"no Hugo config for {self.root} ({names}… in it or a folder above): vien needs "
                "it to know the site's languages and where each language's pages go, and writes "
                "nothing without it. Run vien on the site root (the folder that holds the "
                f"config), or add {where / 'hugo.toml'} with:\n\n{languages_block(langs, 'toml')}"
            )
        if self.configured_languages < 2:
            fmt = "yaml" if self.config_file.suffix in (".yaml", ".yml") else "toml"
            have = self.default_language
            return (
                f"{self.config_file} sets up one language ({have}): Hugo would publish a "
                f"translated page as one more {have} page, so vien writes nothing. Add a "
                f"languages block for both languages to {self.config_file.name}:\n\n"
                f"{languages_block(langs, fmt)}"
            )
        return ""

    def assumed(self) -> str:
        """What a read-only command (check, pages, align) took for granted about the site,
        in one line with what to add; '' when the config names at least two languages.
        Reading goes on with vien's defaults; writing stops (:meth:`unusable`)."""
        langs = ", ".join(self.languages)
        if self.config_file is None:
            return (
                f"no Hugo config for {self.root}: read as {langs} (default "
                f"{self.default_language}). Add hugo.toml with a languages block, or run vien "
                "on the site root; vien translate prints the lines to add and writes nothing "
                "until then"
            )
        if self.configured_languages < 2:
            return (
                f"{self.config_file} sets up one language ({self.default_language}): Hugo "
                f"publishes every page in that language (X.vi.md at /X.vi/); read here as "
                f"{langs}. Add a languages block for both languages; vien "
                "translate prints the lines to add"
            )
        return ""

    @property
    def by_directory(self) -> bool:
        """True when each language has its own content folder."""
        return len(set(self.content_dirs.values())) > 1

    def direction(
        self, source: str | None = None, target: str | None = None
    ) -> tuple[str, tuple[str, ...]]:
        """The source language and the target languages of a run: ``source``, or else the
        default language (the other one when ``target`` is the default); ``target``, or else
        every other language. ``ValueError`` names a language the site does not have, or
        says why there is nothing to do."""
        for lang in (source, target):
            if lang is not None and lang not in self.languages:
                raise ValueError(
                    f"language {lang!r} is not one of the site's languages "
                    f"({', '.join(self.languages)})"
                )
        if source is None:
            others = [x for x in self.languages if x != target]
            source = (
                self.default_language
                if self.default_language != target or not others
                else others[0]
            )
        targets = (target,) if target else tuple(x for x in self.languages if x != source)
        if not targets:
            raise ValueError(
                f"the site has one language ({source}): nothing to translate into or check "
                "against. Add the other language to the Hugo config's languages block "
                "(vien translate prints the lines to add)"
            )
        if source in targets:
            raise ValueError(f"source and target language are the same ({source})")
        return source, targets


@dataclass(frozen=True, slots=True)
class Page:
    """One page file in one language."""

    path: Path
    lang: str
    key: str  # path relative to its content folder, without language suffix and extension
    content_dir: Path
    translation_key: str | None = None

    @property
    def named_lang(self) -> bool:
        """True when the file name carries the language (``X.vi.md``)."""
        return self.path.name.lower().split(".")[-2:-1] == [self.lang.lower()]

    @property
    def group(self) -> str:
        return f"tk:{self.translation_key}" if self.translation_key else self.key


@dataclass(slots=True)
class Discovery:
    """Pages of a site, grouped into translation sets, and what could not be walked."""

    config: SiteConfig
    pages: list[Page] = field(default_factory=list)
    problems: list[PageError] = field(default_factory=list)

    def groups(self) -> dict[str, dict[str, Page]]:
        """Translation sets: group id -> language -> page. On a clash the page with its
        language in its file name wins (``X.vi.md`` over ``X.md`` on a vi-default site: the
        one Hugo builds), else the first."""
        out: dict[str, dict[str, Page]] = defaultdict(dict)
        for page in self.pages:
            current = out[page.group].get(page.lang)
            if current is None or (page.named_lang and not current.named_lang):
                out[page.group][page.lang] = page
        return dict(out)

    def pairs(self, source: str, target: str) -> list[tuple[Page, Page | None]]:
        """Every ``source`` page with its ``target`` counterpart (None when missing)."""
        return [(g[source], g.get(target)) for g in self.groups().values() if source in g]

    def orphans(self, lang: str, other: str) -> list[Page]:
        """Pages in ``lang`` with no counterpart in ``other``."""
        return [g[lang] for g in self.groups().values() if lang in g and other not in g]

    def target_path(self, page: Page, target: str) -> Path:
        """Where the ``target``-language counterpart of ``page`` belongs, by the site's naming."""
        cfg = self.config
        rel = Path(page.key)
        ext = page.path.suffix
        if cfg.by_directory:
            return cfg.content_dirs[target] / rel.parent / (rel.name + ext)
        name = rel.name + ext if target == cfg.default_language else f"{rel.name}.{target}{ext}"
        return cfg.content_dirs[target] / rel.parent / name


def languages_block(langs: list[str], fmt: str = "toml") -> str:
    """The Hugo config lines that declare ``langs`` (the first is the default)."""
    names = {"en": "English", "vi": "Tiếng Việt"}
    if fmt == "yaml":
        lines = [f"defaultContentLanguage: {langs[0]}", "languages:"]
        for w, lang in enumerate(langs, 1):
            lines += [
                f"  {lang}:",
                f"    languageName: {names.get(lang, lang)}",
                f"    weight: {w}",
            ]
    else:
        lines = [f'defaultContentLanguage = "{langs[0]}"']
        for w, lang in enumerate(langs, 1):
            lines += [
                f"[languages.{lang}]",
                f'  languageName = "{names.get(lang, lang)}"',
                f"  weight = {w}",
            ]
    return "\n".join(lines) + "\n"


def _lower_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k).lower(): _lower_keys(v) for k, v in value.items()}
    return value


def _load_config_file(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_text(encoding="utf-8")
        if path.suffix == ".toml":
            data = structured.load_toml(raw)
        elif path.suffix == ".json":
            data = structured.load_json(raw)
        else:
            data = structured.load_yaml(raw) or {}
    except Exception as exc:
        known = isinstance(exc, (OSError, UnicodeDecodeError, ValueError))
        if not known and not structured.is_yaml_error(exc):
            raise
        raise ConfigError(f"{path}: cannot read Hugo config: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: Hugo config is not a mapping")
    lowered: dict[str, Any] = _lower_keys(data)
    return lowered


def find_config(root: Path) -> tuple[dict[str, Any], Path | None]:
    """The merged Hugo config of a site root: the root config file (hugo.* or config.*),
    then config/_default/ on top of it, as Hugo merges them."""
    merged: dict[str, Any] = {}
    found: Path | None = None
    root_file = next(
        (root / (n + e) for n in CONFIG_NAMES for e in CONFIG_EXTS if (root / (n + e)).is_file()),
        None,
    )
    if root_file is not None:
        merged, found = _load_config_file(root_file), root_file
    default = root / "config" / "_default"
    if default.is_dir():
        for path in sorted(default.iterdir()):
            if path.suffix not in CONFIG_EXTS:
                continue
            data = _load_config_file(path)
            if path.stem in CONFIG_NAMES:
                _merge(merged, data)
            else:  # languages.toml, params.toml…: the file name is the top-level key
                _merge(merged.setdefault(path.stem.lower(), {}), data)
            found = found or path
    return merged, found


def _merge(into: dict[str, Any], data: dict[str, Any]) -> None:
    for key, value in data.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value


def _languages_config(data: dict[str, Any], cfg_file: Path | None) -> tuple[str, dict[str, Any]]:
    """The default language and the ``languages`` table of a Hugo config, checked:
    :class:`ConfigError` naming the file for values Hugo would refuse too."""

    def bad(what: str) -> ConfigError:
        return ConfigError(f"{cfg_file or 'Hugo config'}: {what}")

    default = data.get("defaultcontentlanguage", "en")
    if not isinstance(default, str) or not default.strip():
        raise bad(f"defaultContentLanguage must be a language code, not {default!r}")
    langs_cfg = data.get("languages") or {}
    if not isinstance(langs_cfg, dict):
        raise bad(
            f"languages must be a table of language codes (languages.en, languages.vi…), "
            f"not a {type(langs_cfg).__name__}"
        )
    for lang, lang_cfg in langs_cfg.items():
        if lang_cfg is None:
            continue
        if not isinstance(lang_cfg, dict):
            raise bad(f"languages.{lang} must be a table, not a {type(lang_cfg).__name__}")
        weight = lang_cfg.get("weight", 0)
        if isinstance(weight, bool) or not isinstance(weight, (int, float)):
            raise bad(f"languages.{lang}.weight must be a number, not {weight!r}")
        cdir = lang_cfg.get("contentdir")
        if cdir is not None and not isinstance(cdir, str):
            raise bad(f"languages.{lang}.contentDir must be a folder name, not {cdir!r}")
    cdir = data.get("contentdir")
    if cdir is not None and not isinstance(cdir, str):
        raise bad(f"contentDir must be a folder name, not {cdir!r}")
    return default.lower(), langs_cfg


def _config_above(path: Path) -> Path | None:
    """The nearest folder above ``path`` holding a Hugo config, not past a git work tree
    root, nor out of a ``themes/`` folder."""
    for d in path.parents:
        if d.name in NOT_CONTENT:
            return None
        if settings.is_site_root(d):
            return d
        if (d / ".git").exists():
            return None
    return None


def _sites_below(path: Path, depth: int = 2) -> list[Path]:
    """Hugo site roots inside ``path`` (not in themes/, public/…), ``depth`` levels down."""
    found: list[Path] = []
    try:
        children = sorted(c for c in path.iterdir() if c.is_dir())
    except OSError:
        return found
    for child in children:
        if child.name.startswith(".") or child.name in NOT_CONTENT:
            continue
        if settings.is_site_root(child):
            found.append(child)
        elif depth > 1:
            found.extend(_sites_below(child, depth - 1))
    return found


def site_config(path: Path) -> SiteConfig:
    """Work out languages and content folders for a site root or a content folder.

    A folder inside a site's content folder (``SITE/content/en``) takes the site's config,
    and the run is narrowed to the pages under it (:attr:`SiteConfig.scope`). A folder with
    no config anywhere above it gets the defaults (en, vi) for reading; writing needs a
    config (:meth:`SiteConfig.unusable`). A folder that holds Hugo sites is not one: the
    :class:`ConfigError` names them."""
    path = path.resolve()
    if not path.is_dir():
        raise ConfigError(f"{path}: not a folder")
    site_root = path
    root = path
    scope: Path | None = None
    data, cfg_file = find_config(path)
    if cfg_file is None and path.name == "content":
        data, cfg_file = find_config(path.parent)
        site_root = path.parent if cfg_file else path
    if cfg_file is None:
        above = _config_above(path)
        if above is not None:
            data, cfg_file = find_config(above)
            site_root = root = above
            scope = path
    if cfg_file is None and not (path / "content").is_dir():
        sites = _sites_below(path)
        if sites:
            names = ", ".join(f"{s.relative_to(path).as_posix()}/" for s in sites[:5])
            more = f" and {len(sites) - 5} more" if len(sites) > 5 else ""
            raise ConfigError(
                f"{path} is not a Hugo site (no hugo.toml or config.toml in it) but holds "
                f"{len(sites)} Hugo site(s): {names}{more}. Run vien on one of them, e.g. "
                f"vien check {sites[0]}"
            )
    default, langs_cfg = _languages_config(data, cfg_file)
    languages = (
        tuple(
            sorted(
                langs_cfg,
                key=lambda k: (
                    (langs_cfg[k] or {}).get("weight", 0) if isinstance(langs_cfg[k], dict) else 0
                ),
            )
        )
        or DEFAULT_LANGUAGES
    )
    if default not in languages:
        languages = (default, *languages)
    if cfg_file is not None:
        base_dir = site_root / str(data.get("contentdir", "content"))
        if site_root != path and scope is None:  # the user named the content folder itself
            base_dir = path
        dirs = {}
        for lang in languages:
            got = langs_cfg.get(lang)
            lang_cfg: dict[str, Any] = got if isinstance(got, dict) else {}
            cdir = lang_cfg.get("contentdir")
            dirs[lang] = (site_root / cdir).resolve() if cdir else base_dir
        if scope is not None and not any(
            scope.is_relative_to(d.resolve()) for d in dirs.values()
        ):  # a folder of the site that is not content (static/, themes/…): no site config
            return _guessed(path)
    else:
        return _guessed(path)
    return SiteConfig(root, default, languages, dirs, cfg_file, len(langs_cfg), scope)


def _guessed(path: Path) -> SiteConfig:
    """Defaults for a folder with no Hugo config: en (default) and vi, in ``path/content``
    when it exists, by folder when each language has one, else by file name."""
    base = path / "content" if (path / "content").is_dir() else path
    languages = DEFAULT_LANGUAGES
    if all((base / lang).is_dir() for lang in languages):
        dirs = {lang: base / lang for lang in languages}
    else:
        dirs = dict.fromkeys(languages, base)
    return SiteConfig(path, languages[0], languages, dirs, None)


def _resolve(p: Path) -> Path | None:
    try:
        return p.resolve(strict=True)
    except (OSError, RuntimeError):  # broken link, or a link loop
        return None


def _utf8_name(name: str) -> bool:
    """True when a file name decoded from the OS is valid UTF-8 (no surrogate escapes)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def printable_name(name: str) -> str:
    """A file name that can be printed: bytes that are not UTF-8 shown as ``\\xff``."""
    return os.fsencode(name).decode("utf-8", errors="backslashreplace")


def walk(root: Path, skip: tuple[str, ...] = ()) -> tuple[list[Path], list[PageError]]:
    """Page files under ``root``, leaving out its subfolders named in ``skip``.

    Real folders are walked first; a symlink is then followed only when it stays inside
    ``root`` and leads somewhere not walked yet. A link back to one of its own ancestors is
    a directory loop and is reported; a link to a folder already walked is an alias and is
    skipped quietly.
    """
    files: list[Path] = []
    problems: list[PageError] = []
    if not root.is_dir():
        return files, [PageError("content folder does not exist", path=root)]
    real_root = root.resolve()
    visited = {real_root}
    real_of = {root: real_root}  # each folder to walk, resolved (its entries' real parent)
    folders: list[Path] = [root]
    links: list[tuple[Path, Path]] = []  # (link, its target) to follow after real folders
    while folders or links:
        if not folders:
            link, linked = links.pop()
            if linked in visited:
                if link.parent.resolve().is_relative_to(linked):
                    problems.append(
                        PageError(
                            f"directory loop: {link} leads back to {linked} (not followed)",
                            path=link,
                        )
                    )
                continue
            visited.add(linked)
            folders.append(link)
            real_of[link] = linked
            continue
        folder = folders.pop()
        real_folder = real_of.pop(folder)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name, reverse=True)
        except OSError as exc:
            problems.append(PageError(f"cannot list folder: {exc.strerror}", path=folder))
            continue
        for entry in entries:
            if entry.name.startswith(".") or (folder == root and entry.name in skip):
                continue
            if not _utf8_name(entry.name):
                raw = os.fsencode(entry.name)
                if raw.endswith((b".md", b".markdown")) or entry.is_dir(follow_symlinks=False):
                    problems.append(
                        PageError(
                            f"file name is not valid UTF-8: {printable_name(entry.name)} "
                            "(skipped; rename it)",
                            path=folder,
                        )
                    )
                continue
            p = Path(entry.path)
            is_link = entry.is_symlink()
            real = _resolve(p) if is_link else p
            if real is None:
                if p.suffix in PAGE_SUFFIXES:
                    problems.append(
                        PageError("broken symlink or symlink loop (not followed)", path=p)
                    )
                continue
            if is_link and not real.is_relative_to(real_root):
                problems.append(
                    PageError(
                        f"symlink points outside the content folder, to {real} (not followed)",
                        path=p,
                    )
                )
                continue
            # a real entry's kind is known from the listing (no stat of its own)
            if real.is_dir() if is_link else entry.is_dir():
                if is_link:
                    links.insert(0, (p, real))
                else:  # not a link: its real path is its real parent's, with its name
                    visited.add(real_of.setdefault(p, real_folder / entry.name))
                    folders.append(p)
            elif p.suffix in PAGE_SUFFIXES and (real.is_file() if is_link else entry.is_file()):
                files.append(p)
    files.sort()
    return files, problems


def _may_set_key(raw: str) -> bool:
    """Whether front matter text ``raw`` can set ``translationKey``: only if it spells the key
    (in any case, as :func:`front_matter.get` matches it) or holds an escape that could
    (YAML, TOML and JSON write escapes with a backslash). Most pages do neither: their front
    matter need not be loaded."""
    return "\\" in raw or "translationkey" in raw.lower()


def _translation_key(path: Path) -> str | None:
    """The page's ``translationKey``, if its front matter can be read and sets one."""
    try:
        with path.open("rb") as fh:
            head = fh.read(64 * 1024)
        text = head.decode("utf-8", errors="strict").lstrip("\ufeff")
        sp = front_matter.split(text)
        if sp is None or not _may_set_key(text[sp.inner_start : sp.inner_end]):
            return None
        value = front_matter.get(front_matter.load(text, sp), "translationKey")
    except (OSError, UnicodeDecodeError, PageError):
        return None  # the page itself will report the problem when it is processed
    return str(value) if value not in (None, "") else None


def _excluded(f: Path, rel: Path, roots: list[Path], patterns: tuple[str, ...]) -> bool:
    names = [rel.as_posix()]
    for root in roots:
        with contextlib.suppress(ValueError):
            names.append(f.resolve().relative_to(root.resolve()).as_posix())
        with contextlib.suppress(ValueError):
            names.append(f.relative_to(root).as_posix())
    return settings.excluded(names, patterns)


def discover(path: Path, exclude: tuple[str, ...] | None = None) -> Discovery:
    """Every page under ``path`` (a Hugo site root or a content folder), with languages.

    Pages matching an ``exclude`` glob are left out. The globs are matched against the page's
    path relative to its content folder, to the site root and to the working folder. ``None``
    takes them from the site's ``vien.toml`` (``[site] exclude``) and the command line's
    ``--exclude`` (:data:`EXCLUDE`).
    """
    cfg = site_config(path)
    roots = [cfg.root]
    if exclude is None:
        conf = settings.for_path(path)
        exclude = conf.exclude + EXCLUDE.get()
        roots = [conf.root or cfg.root, cfg.root, settings.site_root(cfg.root), Path.cwd()]
    found = Discovery(cfg)
    langs = set(cfg.languages)
    seen: set[Path] = set()
    scope = cfg.scope
    # deepest first: a language's folder inside another's ("content/vi" in "content") owns
    # its pages
    for lang_dir in sorted(dict.fromkeys(cfg.content_dirs.values()), key=lambda d: -len(d.parts)):
        # a content folder that is the site root itself holds the theme, the built site…
        skip = NOT_CONTENT if cfg.config_file is None or lang_dir == cfg.root else ()
        narrowed = scope is not None and scope.is_relative_to(lang_dir.resolve())
        files, problems = walk(scope if narrowed and scope else lang_dir, skip)
        found.problems.extend(problems)
        dir_langs = [lang for lang, d in cfg.content_dirs.items() if d == lang_dir]
        for f in files:
            if f in seen:
                continue
            seen.add(f)
            rel = f.relative_to(lang_dir.resolve() if narrowed else lang_dir)
            if exclude and _excluded(f, rel, roots, exclude):
                continue
            stem = rel.name[: -len(rel.suffix)]
            base, dot, suffix = stem.rpartition(".")
            if dot and suffix.lower() in langs:
                lang, stem = suffix.lower(), base
            else:
                lang = cfg.default_language if cfg.default_language in dir_langs else dir_langs[0]
            key = (rel.parent / stem).as_posix()
            found.pages.append(Page(f, lang, key, lang_dir, _translation_key(f)))
    used = found.groups()
    for page in found.pages:
        other = used[page.group][page.lang]
        if other is not page:
            why = ""
            if not cfg.by_directory and page.lang == cfg.default_language:
                why = (
                    f" (a page without a language in its name is in the default language, "
                    f"{cfg.default_language}; Hugo builds the one that names it)"
                )
            found.problems.append(
                PageError(
                    f"a second {page.lang} page for {page.group}, besides {other.path}{why}; "
                    f"only that one is used: delete or rename one of the two, or leave this "
                    f"one out with --exclude",
                    path=page.path,
                )
            )
    return found
