"""``vien init``: look at a site, say what vien sees, and write ``vien.toml`` and the
``.gitignore`` lines for ``.vien/``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..atomic import write_atomic
from ..errors import ConfigError
from ..mt import DecodeOptions
from ..page.options import DEFAULT_FRONT_MATTER_KEYS
from ..page.read import DEFAULT_MAX_BYTES
from ..site.discover import Discovery, discover
from ..site.lock import LOCK_FILE, STATE_DIR
from ..site.settings import FILE_NAME
from .options import CONTEXT, error

#: What ``vien init`` puts in ``.gitignore``: the run lock, its pid, the memory and caches
#: stay local; ``lock.json`` (hashes and provenance, read by CI's stale check) is committed.
GITIGNORE_LINES = (
    "# vien: commit .vien/lock.json (provenance, hashes for the stale check); the rest is local",
    f"**/{STATE_DIR}/*",
    f"!**/{STATE_DIR}/{LOCK_FILE}",
)


def convention(found: Discovery) -> str:
    """The site's naming convention, in words."""
    cfg = found.config
    if cfg.by_directory:
        dirs = ", ".join(f"{lang}: {_rel(d, cfg.root)}/" for lang, d in cfg.content_dirs.items())
        return f"one content folder per language ({dirs})"
    default = cfg.default_language
    explicit = sum(p.lang == default and p.path.stem.endswith(f".{default}") for p in found.pages)
    other = next((x for x in cfg.languages if x != default), "vi")
    if explicit and explicit * 2 >= sum(p.lang == default for p in found.pages):
        return f"language in every file name (X.{default}.md + X.{other}.md)"
    return f"language in file names (X.md + X.{other}.md; X.md is {default})"


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix() or "."
    except ValueError:
        return str(path)


def describe(found: Discovery) -> list[str]:
    """What vien sees in the site: config, languages, convention, folders, pages, pairs."""
    cfg = found.config
    groups = found.groups()
    langs = cfg.languages
    out = [
        f"site: {cfg.root}",
        f"Hugo config: {cfg.config_file or 'none found (defaults: en, vi)'}",
        f"languages: {', '.join(langs)} (default {cfg.default_language})",
        f"convention: {convention(found)}",
        "content folders: "
        + ", ".join(sorted({_rel(d, cfg.root) + "/" for d in cfg.content_dirs.values()})),
        "pages: "
        + ", ".join(f"{sum(p.lang == lang for p in found.pages)} {lang}" for lang in langs),
        f"translation sets: {len(groups)}, of which complete (every language): "
        f"{sum(len(g) == len(langs) for g in groups.values())}",
    ]
    for lang in langs:
        for other in langs:
            if other != lang:
                n = len(found.orphans(lang, other))
                if n:
                    out.append(f"  {n} {lang} page(s) without a {other} counterpart")
    out += [f"problem: {p}" for p in found.problems]
    return out


def template(found: Discovery) -> str:
    """``vien.toml`` with every setting commented out at its default value."""
    cfg = found.config
    src = cfg.default_language
    tgt = next((x for x in cfg.languages if x != src), "vi")
    order = ["title", "linkTitle", "description"]
    order += sorted(k for k in DEFAULT_FRONT_MATTER_KEYS if k not in order)
    keys = ", ".join(f'"{k}"' for k in order if k in DEFAULT_FRONT_MATTER_KEYS)
    decode = DecodeOptions()
    found_line = (
        f"languages {', '.join(cfg.languages)} (default {src}); {convention(found)}; "
        f"{len(found.pages)} pages"
    )
    return f"""\
# vien.toml: vien's settings for this site, written by `vien init`.
# Every setting is optional: the commented values are the defaults. An option given on the
# command line wins over this file. Paths are relative to this file.
# Found: {found_line}.

[site]
# source = "{src}"   # --from: the language translated from (default: the site's default)
# target = "{tgt}"   # --to: the language translated into (default: every other language)
# exclude = []   # pages to leave out: globs like "content/drafts/**" or "**/print.md"
# front_matter_keys = [{keys}]   # --front-matter-key
# max_size = "{DEFAULT_MAX_BYTES // 1024**2}M"   # --max-size: refuse pages larger than this

[glossary]
# path = "glossary.csv"   # --glossary (default: glossaries/aws.csv shipped with vien)
# enabled = true   # false is --no-glossary

[translate]
# engine = "argos"   # --engine: argos, pseudo or identity
# retranslate = false   # true is --retranslate: redo what check reports in human sections
# memory = true   # false is --no-memory: no .vien/memory.sqlite

[engine]   # the argos engine
# beam_size = {decode.beam_size}
# threads = {decode.threads}   # 0: all cores
# compute_type = "{decode.compute_type}"   # int8, int8_float32, float32, default, auto
# max_length_ratio = {decode.length_ratio}   # output tokens at most this times the input (+5)
# models_dir = "models"   # --models-dir (default: argostranslate's package folder)

[check]
# format = "text"   # text, json, github, sarif
# fail_on = "error"   # error, warning, notice, never
# baseline = ".vien-baseline.json"   # --baseline: accept the findings recorded there

# [check.severity]   # re-grade a kind of finding: "error", "warning", "notice" or "off"
# stale = "error"
# structure = "off"
"""


def update_gitignore(path: Path) -> list[str]:
    """Add the ``.vien/`` lines to ``path`` (created if need be); a line ignoring all of
    ``.vien/`` is replaced, since git cannot re-include a file inside an ignored folder.
    Returns the lines added."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        lines = []
    whole = {f"{STATE_DIR}", f"{STATE_DIR}/", f"/{STATE_DIR}", f"/{STATE_DIR}/", f"**/{STATE_DIR}"}
    kept = [line for line in lines if line.strip() not in whole | {f"**/{STATE_DIR}/"}]
    added = [line for line in GITIGNORE_LINES if line not in kept]
    if not added and kept == lines:
        return []
    if kept and kept[-1].strip() and added:
        kept.append("")
    write_atomic(path, ("\n".join(kept + added) + "\n").encode("utf-8"))
    return added


@click.command("init", context_settings=CONTEXT)
@click.argument("site", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help=f"Overwrite an existing {FILE_NAME}.")
@click.option(
    "--dry-run", is_flag=True, help=f"Print what was found and the {FILE_NAME}; write nothing."
)
@click.option("--no-gitignore", is_flag=True, help="Leave .gitignore alone.")
def init_cmd(site: Path, force: bool, dry_run: bool, no_gitignore: bool) -> None:
    """Look at SITE (a Hugo site root), print what vien finds there (languages, naming
    convention, content folders, pages and pairs) and write SITE/vien.toml with every setting
    commented at its default, and the .gitignore lines that keep .vien/ local except
    .vien/lock.json.

    \b
    Examples:
      vien init .                 # then edit vien.toml and commit it
      vien init site --dry-run    # only show
    """
    try:
        found = discover(site, exclude=())
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    target = site / FILE_NAME
    if target.exists() and not force and not dry_run:
        error(f"{target} exists; --force overwrites it (or edit it)")
        sys.exit(2)
    for line in describe(found):
        click.echo(line, err=dry_run)  # with --dry-run, stdout is the file alone
    text = template(found)
    if dry_run:
        click.echo(f"{target} (not written):", err=True)
        click.echo(text, nl=False)
        return
    write_atomic(target, text.encode("utf-8"))
    click.echo(f"wrote {target}")
    if not no_gitignore:
        added = update_gitignore(site / ".gitignore")
        click.echo(
            f"{'updated' if added else 'kept'} {site / '.gitignore'}"
            + (f": {', '.join(a for a in added if not a.startswith('#'))}" if added else "")
        )
