"""Knowing the site before writing (#14 items 5 and 6): Hugo's front matter delimiter rules,
no writes without a two-language Hugo config, content folders only, ``--out`` where the
counterpart lives, ``--exclude``. Every page here is original test text."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import hugo_config
from hugo_support import HUGO, build_site, write_site
from vien.cli.main import main
from vien.errors import PageError
from vien.page import front_matter
from vien.page.model import Segment
from vien.page.read import read_document
from vien.site.discover import discover
from vien.translate.batch import run

DASH_CLOSER = (
    "---\ntitle: Getting started\nweight: 1\n----------------------\n\n"
    "# Getting started\n\nOpen the console and create a bucket.\n"
)
LEADING_BLANK = "\n\n---\ntitle: Cleaning up\n---\n\nDelete the bucket when you are done.\n"
PLAIN = "---\ntitle: Overview\n---\n\nThis lab builds a small static website.\n"
VI_PLAIN = "---\ntitle: Tổng quan\n---\n\nBài thực hành này xây dựng một website tĩnh nhỏ.\n"


def vien(*args: str | Path) -> Result:
    result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def make(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


# -- item 5: front matter as Hugo's page parser reads it -------------------------------------


def test_closing_line_of_many_dashes_closes_the_front_matter() -> None:
    """Hugo closes YAML front matter at the first line that starts with ``---``."""
    sp = front_matter.split(DASH_CLOSER)
    assert sp is not None and sp.format == "yaml"
    assert front_matter.load(DASH_CLOSER, sp) == {"title": "Getting started", "weight": 1}
    assert DASH_CLOSER[sp.end :].startswith("\n# Getting started")
    toml = "+++\ntitle = 'A'\n++++++\nBody.\n"
    sp = front_matter.split(toml)
    assert sp is not None and front_matter.load(toml, sp) == {"title": "A"}


def test_blank_lines_before_the_opener_are_skipped() -> None:
    sp = front_matter.split(LEADING_BLANK)
    assert sp is not None and sp.start == 2
    assert front_matter.load(LEADING_BLANK, sp) == {"title": "Cleaning up"}


def test_yaml_dots_do_not_close_and_text_after_the_closer_is_named() -> None:
    with pytest.raises(PageError, match=r"unclosed front matter.*add a line '---'"):
        front_matter.split("---\ntitle: A\n...\nBody.\n")
    with pytest.raises(PageError, match=r"on line 3.*line of its own") as err:
        front_matter.split("---\ntitle: A\n--- # Heading\nBody.\n")
    assert err.value.line == 3


def test_dash_closer_page_is_translated_and_checked(tmp_path: Path) -> None:
    site = hugo_config(tmp_path / "site")
    make(site / "content", {"start.md": DASH_CLOSER, "end.md": LEADING_BLANK})
    doc = read_document(site / "content" / "start.md")
    assert [s.field for s in doc.segments if s.field] == ["title"]
    result = vien("translate", site, "--to", "vi", "--engine", "pseudo")
    assert result.exit_code == 0, result.output
    out = (site / "content" / "start.vi.md").read_text(encoding="utf-8")
    assert "\n----------------------\n" in out and "⟦" in out
    assert "title: ⟦" in (site / "content" / "end.vi.md").read_text(encoding="utf-8")
    result = vien("check", site)
    assert "front matter" not in result.output, result.output


@pytest.mark.slow
def test_hugo_reads_the_same_front_matter(tmp_path: Path) -> None:
    """The pages vien accepts build with Hugo, with the titles vien reads."""
    if not HUGO:
        pytest.skip("hugo is not installed")
    make(tmp_path / "content", {"start.md": DASH_CLOSER, "end.md": LEADING_BLANK})
    write_site(tmp_path)
    done = build_site(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    html = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "public").rglob("*.html"))
    assert "Getting started" in html and "Cleaning up" in html


def test_empty_pages_are_skipped_and_empty_counterparts_filled(tmp_path: Path) -> None:
    """Hugo builds an empty page: vien neither fails on it nor keeps an empty translation."""
    site = hugo_config(tmp_path / "site")
    make(site / "content", {"a.md": PLAIN, "a.vi.md": "", "b.md": "\ufeff\n  \n"})
    result = vien("check", site)
    assert "the vi page is empty: run vien translate" in result.output, result.output
    assert "error:" not in result.output
    result = vien("translate", site, "--to", "vi", "--engine", "pseudo")
    assert result.exit_code == 0, result.output
    assert "⟦" in (site / "content" / "a.vi.md").read_text(encoding="utf-8")
    assert not (site / "content" / "b.vi.md").exists()
    assert "empty page: nothing to translate" in result.output


# -- item 6: know the site before writing ----------------------------------------------------


def test_no_config_writes_nothing_and_says_what_to_add(tmp_path: Path) -> None:
    content = make(tmp_path / "content", {"start.md": PLAIN})
    before = snapshot(tmp_path)
    result = vien("translate", content, "--to", "vi", "--engine", "pseudo")
    assert result.exit_code == 2, result.output
    assert "no Hugo config" in result.output and "[languages.vi]" in result.output
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    "config",
    [
        'title = "Lab"\n',  # no languages block: Hugo's one-language site
        'defaultContentLanguage = "en"\n[languages.en]\nweight = 1\n',
    ],
)
def test_one_language_site_writes_nothing(tmp_path: Path, config: str) -> None:
    """On a one-language site ``start.vi.md`` would be published as an English page."""
    make(tmp_path, {"hugo.toml": config, "content/docs/start.md": PLAIN})
    before = snapshot(tmp_path)
    result = vien("translate", tmp_path, "--to", "vi", "--engine", "pseudo", "--dry-run")
    assert result.exit_code == 2, result.output
    assert "one language (en)" in result.output and "[languages.vi]" in result.output
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("config", [None, 'title = "Lab"\n'])
@pytest.mark.parametrize("command", ["check", "pages", "align"])
def test_read_only_commands_say_what_they_assumed(
    tmp_path: Path, command: str, config: str | None
) -> None:
    """Without a two-language config, check, pages and align still read the site as en + vi
    (nothing is written), and say so on stderr with what to add: a clean check of a site Hugo
    publishes wrongly must not pass in silence."""
    files = {"content/start.md": PLAIN, "content/start.vi.md": VI_PLAIN}
    if config is not None:
        files["hugo.toml"] = config
    make(tmp_path, files)
    result = CliRunner().invoke(main, [command, str(tmp_path)])
    assert result.exit_code == 0, result.output
    expected = "warning: no Hugo config" if config is None else "sets up one language (en)"
    assert expected in result.stderr, result.stderr
    if command != "check":
        assert "start" in result.stdout


def test_check_json_carries_the_note_and_a_configured_site_has_none(tmp_path: Path) -> None:
    make(tmp_path, {"content/start.md": PLAIN, "content/start.vi.md": VI_PLAIN})
    result = CliRunner().invoke(main, ["check", str(tmp_path), "--format", "json"])
    notes = json.loads(result.stdout)
    assert notes["notes"] and "no Hugo config" in notes["notes"][0]
    hugo_config(tmp_path)
    result = CliRunner().invoke(main, ["check", str(tmp_path), "--format", "json"])
    assert json.loads(result.stdout)["notes"] == []
    assert "warning:" not in result.stderr


TK_CONFIG = (
    'defaultContentLanguage = "en"\n'
    '[languages.en]\ncontentDir = "content/en"\nweight = 1\n'
    '[languages.vi]\ncontentDir = "content/vi"\nweight = 2\n'
)


def tk_site(root: Path) -> Path:
    """A contentDir site whose sections are named per language, linked by translationKey."""
    return make(
        root,
        {
            "hugo.toml": TK_CONFIG,
            "content/en/1-introduction/_index.md": PLAIN.replace(
                "title: Overview\n", "title: Overview\ntranslationKey: intro\n"
            ),
            "content/vi/1-gioi-thieu/_index.md": VI_PLAIN.replace(
                "title: Tổng quan\n", "title: Tổng quan\ntranslationKey: intro\n"
            ),
            "content/en/2-setup/_index.md": DASH_CLOSER,
        },
    )


def test_out_writes_where_the_counterpart_lives(tmp_path: Path) -> None:
    site = tk_site(tmp_path / "site")
    out = tmp_path / "out"
    report = tmp_path / "report.json"
    args = ["--engine", "pseudo", "--out", out, "--report", report]
    result = vien("translate", site, "--to", "vi", *args)
    assert result.exit_code == 0, result.output
    targets = {
        Path(p["source"]).parent.name: Path(p["target"]).relative_to(out).as_posix()
        for p in json.loads(report.read_text(encoding="utf-8"))["pages"]
    }
    assert targets == {
        "1-introduction": "content/vi/1-gioi-thieu/_index.md",
        "2-setup": "content/vi/2-setup/_index.md",  # no counterpart: the source's name
    }
    assert not (out / "content/vi/1-introduction").exists()
    assert (out / "content/vi/2-setup/_index.md").is_file()
    # the complete counterpart is mirrored byte for byte: every page the report names exists
    human = "content/vi/1-gioi-thieu/_index.md"
    assert (out / human).read_bytes() == (site / human).read_bytes()
    assert "copied unchanged" in result.output
    again = vien("translate", site, "--to", "vi", *args)
    assert again.exit_code == 0 and "nothing changed since the last run" in again.output


def test_out_dry_run_writes_nothing(tmp_path: Path) -> None:
    site = tk_site(tmp_path / "site")
    out = tmp_path / "out"
    result = vien("translate", site, "--to", "vi", "--engine", "pseudo", "--out", out, "--dry-run")
    assert result.exit_code == 0, result.output
    assert not out.exists() or not list(out.rglob("*.md"))


def test_a_language_folder_named_takes_the_site_config(tmp_path: Path) -> None:
    """``vien translate SITE/content/en --to vi`` writes into content/vi, never .vi.md files
    into the English folder."""
    site = tk_site(tmp_path / "site")
    result = vien("translate", site / "content" / "en", "--to", "vi", "--engine", "pseudo")
    assert result.exit_code == 0, result.output
    assert not list((site / "content" / "en").rglob("*.vi.md"))
    assert (site / "content/vi/2-setup/_index.md").is_file()
    assert "Bài thực hành" in (site / "content/vi/1-gioi-thieu/_index.md").read_text("utf-8")


def test_themes_and_built_site_are_never_read(tmp_path: Path) -> None:
    pages = {
        "content/start.md": PLAIN,
        "content/start.vi.md": VI_PLAIN,
        "themes/learn/exampleSite/content/demo.md": PLAIN,
        "themes/learn/archetypes/default.md": "+++\ntitle = {{ .Name }}\n+++\n",
        "public/start/index.md": PLAIN,
        "node_modules/pkg/README.md": PLAIN,
    }
    with_config = hugo_config(make(tmp_path / "a", pages))
    without_config = make(tmp_path / "b", pages)
    for root in (with_config, without_config):
        found = discover(root)
        assert sorted(p.path.relative_to(root).as_posix() for p in found.pages) == [
            "content/start.md",
            "content/start.vi.md",
        ]
        assert not found.problems
        result = vien("check", root)  # stdout: the path in stderr's no-config note says themes
        assert "themes" not in result.stdout and "archetypes" not in result.stdout


def test_a_folder_of_sites_names_them(tmp_path: Path) -> None:
    for name in ("lab-one", "lab-two"):
        hugo_config(make(tmp_path / name, {"content/start.md": PLAIN}))
    result = vien("pages", tmp_path)
    assert result.exit_code == 2
    assert "2 Hugo site(s): lab-one/, lab-two/" in result.output


def test_exclude_skips_a_page_on_every_walking_command(tmp_path: Path) -> None:
    site = hugo_config(tmp_path / "site")
    make(
        site / "content",
        {"start.md": PLAIN, "drafts/broken.md": "---\ntitle: Broken\n\nNo closer.\n"},
    )
    result = vien("translate", site, "--to", "vi", "--engine", "pseudo")
    assert result.exit_code == 1 and "unclosed front matter" in result.output
    assert "--exclude content/drafts/broken.md " in result.output  # what to do, by name
    shutil.rmtree(site / ".vien", ignore_errors=True)
    for args in (
        ["translate", site, "--to", "vi", "--engine", "pseudo"],
        ["check", site],
        ["pages", site],
        ["align", site],
    ):
        result = vien(*args, "--exclude", "drafts/**")
        assert "broken" not in result.output, (args, result.output)
    assert (site / "content" / "start.vi.md").is_file()
    assert not (site / "content" / "drafts" / "broken.vi.md").exists()
    # the option holds for its own run only
    assert "broken" in vien("pages", site).output


# -- item 7: reports people can read ---------------------------------------------------------


class _DropsCode:
    """An engine whose output loses inline code: such pages fail their check."""

    name = "drops-code"
    ordered = False

    def translate(self, segments: list[Segment], source: str, target: str) -> list[str]:
        return ["".join(p.text for p in s.parts if p.kind != "code") for s in segments]


def test_totals_count_only_the_pages_written(tmp_path: Path) -> None:
    """ "54 segments (60 by pseudo)" must not happen: a failed page's segments are in neither."""
    site = hugo_config(tmp_path / "site")
    make(site / "content", {"good.md": PLAIN, "bad.md": "Run `make lab` first.\n"})
    summary = run(site, "vi", _DropsCode())  # type: ignore[arg-type]
    assert {r.source.name: r.status for r in summary.results} == {
        "good.md": "written",
        "bad.md": "failed",
    }
    assert summary.segments == summary.engine_segments + summary.memory_hits == 2


def test_page_lines_have_no_python_lists(tmp_path: Path) -> None:
    site = hugo_config(tmp_path / "site")
    en = "# Lab\n\n## Create\n\nCreate a bucket.\n\n## Delete\n\nDelete the bucket.\n"
    make(site / "content", {"p.md": en, "p.vi.md": "# Lab\n\n## Tạo\n\nTạo một bucket.\n"})
    result = vien("translate", site, "--to", "vi", "--engine", "pseudo")
    assert "translated 1 missing section: “Delete”" in result.output
    assert "['" not in result.output and " segment(s)" not in result.output


def test_two_default_language_pages_hugo_builds_the_named_one(tmp_path: Path) -> None:
    """On a vi-default site ``a.md`` and ``a.vi.md`` are both vi; Hugo 0.168 builds
    ``a.vi.md``, so vien pairs that one and names ``a.md`` with what to do."""
    vi_default = (
        'defaultContentLanguage = "vi"\n[languages.vi]\nweight = 1\n[languages.en]\nweight = 2\n'
    )
    make(
        tmp_path,
        {
            "hugo.toml": vi_default,
            "content/a.md": VI_PLAIN,
            "content/a.vi.md": VI_PLAIN.replace("Tổng quan", "Mở đầu"),
            "content/a.en.md": PLAIN,
        },
    )
    found = discover(tmp_path)
    ((vi, en),) = found.pairs("vi", "en")
    assert vi.path.name == "a.vi.md" and en is not None and en.path.name == "a.en.md"
    (problem,) = found.problems
    assert problem.path is not None and problem.path.name == "a.md"
    assert "Hugo builds the one that names it" in str(problem) and "--exclude" in str(problem)


# -- language keys with a region ("en-us"): the text is English -------------------------------

REGION_CONFIG = (
    'defaultContentLanguage = "vi"\n'
    '[languages.vi]\ncontentDir = "content/vi"\nweight = 1\n'
    '[languages.en-us]\ncontentDir = "content/en"\nweight = 2\n'
)
EN_PROSE = (
    "---\ntitle: Why we write small widgets\n---\n\n"
    "Over the years I have built many apps, and each of them needed the same few buttons.\n\n"
    "## What we will build\n\nToday I will show you how to write a button that you can reuse.\n"
)
VI_PROSE = (
    "---\ntitle: Vì sao chúng tôi viết các widget nhỏ\n---\n\n"
    "Qua nhiều năm tôi đã xây dựng nhiều ứng dụng, và ứng dụng nào cũng cần vài nút giống nhau.\n"
    "\n## Chúng ta sẽ xây dựng gì\n\nHôm nay tôi sẽ chỉ cho bạn cách viết một nút dùng lại được.\n"
)


def test_a_region_language_key_is_read_as_its_language(tmp_path: Path) -> None:
    """A site whose English is keyed ``en-us``: its English prose is English, not text of an
    unknown language in the wrong page (every paragraph was an error), and translate asks
    for the en→vi model."""
    site = make(
        tmp_path,
        {
            "hugo.toml": REGION_CONFIG,
            "content/en/posts/widgets.md": EN_PROSE,
            "content/vi/posts/widgets.md": VI_PROSE,
            "content/en/posts/more.md": EN_PROSE.replace("widgets", "buttons"),
        },
    )
    result = CliRunner().invoke(main, ["check", str(site), "--format", "json"])
    data = json.loads(result.stdout)
    assert [f for f in data["findings"] if f["kind"] == "untranslated"] == [], data["findings"]
    result = vien("translate", site, "--from", "en-us", "--to", "vi", "--engine", "pseudo")
    assert result.exit_code == 0, result.output
    assert "⟦" in (site / "content/vi/posts/more.md").read_text(encoding="utf-8")
    models = tmp_path / "no-models"
    models.mkdir()
    args = ["--from", "en-us", "--to", "vi", "--models-dir", models, "--dry-run"]
    result = vien("translate", site, *args)
    assert result.exit_code == 2 and "no en→vi model installed" in result.output, result.output
    assert "vien models install en-vi" in result.output
