"""``vien review``: escaping, provenance from the lock file, glossary marks, findings, CLI.

Fast tests without a browser (tests/test_review_browser.py opens the page in chromium)."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

from click.testing import CliRunner
from conftest import DATA_SITE
from vien import glossary
from vien.cli.main import main
from vien.glossary.entries import Glossary, make_entry
from vien.review.page import Review, build_review, provenance, render_review

#: Every element and attribute the page itself writes; page text must add none.
TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "header",
    "h1",
    "h2",
    "div",
    "span",
    "label",
    "input",
    "mark",
    "ul",
    "li",
    "nav",
    "ol",
    "details",
    "summary",
    "a",
    "i",
    "main",
    "section",
    "p",
    "pre",
    "script",
}
ATTRS = {
    "charset",
    "http-equiv",
    "content",
    "name",
    "lang",
    "class",
    "id",
    "title",
    "href",
    "type",
    "checked",
    "data-status",
}

EN = """---
title: "Hello <b>bold</b> & more"
---

Intro with <script>alert("x")</script> and `<code>` and <img src=x onerror="alert(1)">.

## Heading <em>tags</em> & "quotes"

Text <a href="javascript:alert(1)" onclick="alert(2)">link</a> ' single " double </pre>.
"""
VI = """---
title: "Xin chào <b>đậm</b> & hơn nữa"
---

Mở đầu với <script>alert("y")</script> và `<code>` và <img src=x onerror="alert(1)">.

## Tiêu đề <em>thẻ</em> & "ngoặc kép"

This paragraph was left in English, with <i onmouseover="alert(3)">markup</i> inside it.
"""


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.pre: list[str] = []
        self._in_pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        if tag == "pre":
            self._in_pre += 1
            self.pre.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre":
            self._in_pre -= 1

    def handle_data(self, data: str) -> None:
        if self._in_pre:
            self.pre[-1] += data


def _site(tmp_path: Path, en: str = EN, vi: str = VI) -> Path:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "hugo.toml").write_text(
        'defaultContentLanguage = "en"\n[languages.en]\nweight = 1\n[languages.vi]\nweight = 2\n'
    )
    (site / "content" / "page.md").write_text(en, encoding="utf-8")
    (site / "content" / "page.vi.md").write_text(vi, encoding="utf-8")
    return site


def _glossary() -> Glossary:
    return Glossary(
        [
            make_entry("Amazon S3", note='storage "<b>service</b>" & more'),
            make_entry("bucket", "bộ chứa", mode="translate"),
        ]
    )


def test_page_text_is_escaped_everywhere(tmp_path: Path) -> None:
    review = build_review(_site(tmp_path), glossary=_glossary())
    page = render_review(review)
    parsed = _Collect()
    parsed.feed(page)
    tags = [t for t, _ in parsed.tags]
    assert set(tags) <= TAGS, set(tags) - TAGS
    assert tags.count("script") == 1 and tags.count("pre") == 4  # 2 sections x 2 sides
    for tag, attrs in parsed.tags:
        for name, value in attrs:
            assert name in ATTRS, (tag, name)
            if name == "href":
                assert value is not None and value.startswith("#"), value
    # the page text reads back verbatim from the <pre> blocks: every "<" was escaped
    shown = "\n".join(parsed.pre)
    for text in (EN, VI):
        for line in text.strip().splitlines():
            assert line in shown, line
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert '<script>alert("' not in page and "<img" not in page and "<em>" not in page
    # the finding on the English paragraph is inline and escaped in its title too
    assert 'class="flag" title="untranslated: ' in page
    assert "onmouseover=&quot;alert(3)&quot;" in page


def test_provenance_from_the_lock_file(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(DATA_SITE, site)
    terms = glossary.load()
    # no lock: aligned sections are human, sections with no counterpart untranslated
    before = build_review(site, glossary=terms)
    rows = {p.source.name: p.rows for p in before.pages if p.source}
    assert {r.status for r in rows["3.1-community-day-report.md"]} == {"untranslated"}
    assert {r.status for r in rows["1.1-architecture.en.md"]} == {"human"}
    assert not any(r.status in ("mt", "tm", "stale") for r in before.rows)

    result = CliRunner().invoke(main, ["translate", str(site), "--to", "vi", "--engine", "pseudo"])
    assert result.exit_code == 0, result.output
    after = build_review(site, glossary=terms)
    rows = {p.source.name: p.rows for p in after.pages if p.source}
    report = rows["3.1-community-day-report.md"]
    assert [r.status for r in report] == ["mt"] * len(report)
    assert {r.origin for r in report} == {"pseudo"}
    assert {r.status for r in rows["1.1-architecture.en.md"]} == {"human"}
    bucket = rows["2.1-prepare-bucket.md"]  # a missing section translated into a human page
    assert [r.status for r in bucket] == ["human", "human", "human", "mt", "human"]
    html = render_review(after)
    assert html.count('class="row s-mt') == sum(r.status == "mt" for r in after.rows) > 0
    assert 'class="row s-human' in html

    # a source section edited after its translation was recorded: stale
    src = site / "content" / "3-reports" / "_index.md"
    src.write_text(
        src.read_text(encoding="utf-8") + "\nOne more sentence, added later.\n", encoding="utf-8"
    )
    stale = build_review(site, glossary=terms)
    rows = {p.source.relative_to(site).as_posix(): p.rows for p in stale.pages if p.source}
    reports = rows["content/3-reports/_index.md"]
    assert [r.status for r in reports] == ["mt", "mt", "stale"]
    row = reports[2]
    assert row.stale and row.problem and any(f.kind == "stale" for f in row.findings)
    assert 'class="row s-stale problem"' in render_review(stale)


def test_provenance_classes() -> None:
    assert provenance("tm") == "tm"
    assert provenance("machine:argos-en-vi-1.9") == "mt"
    assert provenance("pseudo") == provenance("identity") == "mt"
    assert provenance("human") == provenance("carried") == provenance("copied") == "human"


def test_glossary_terms_are_marked_with_their_entry(tmp_path: Path) -> None:
    en = "# Storage\n\nCreate a bucket in Amazon S3, not in `Amazon S3` code.\n"
    vi = "# Lưu trữ\n\nTạo một bộ chứa trong Amazon S3, không phải `Amazon S3` trong mã.\n"
    page = render_review(build_review(_site(tmp_path, en, vi), glossary=_glossary()))
    s3 = (
        '<mark class="term" title="glossary: Amazon S3 (keep as is; keep, case-sensitive) '
        '— storage &quot;&lt;b&gt;service&lt;/b&gt;&quot; &amp; more">Amazon S3</mark>'
    )
    assert page.count(s3) == 2  # one per side; never inside inline code
    assert "`Amazon S3`" in page
    assert (
        '<mark class="term" title="glossary: bucket (→ bộ chứa; translate, '
        'case-insensitive)">bucket</mark>'
    ) in page
    assert ">bộ chứa</mark>" in page
    plain = render_review(build_review(_site(tmp_path / "b", en, vi), glossary=None))
    assert '<mark class="term" title' not in plain


def test_missing_sections_pages_and_the_problem_count(tmp_path: Path) -> None:
    en = (
        "Intro.\n\n## One\n\nFirst run `step-one` on port 8080.\n\n## Two\n\n"
        "Then run `step-two` against https://example.org/two.\n"
    )
    vi = "Giới thiệu.\n\n## Một\n\nTrước tiên chạy `step-one` trên cổng 8080.\n"
    site = _site(tmp_path, en, vi)
    (site / "content" / "alone.md").write_text("# Alone\n\nOnly in English.\n")
    review = build_review(site)
    by_name = {p.source.name: p for p in review.pages if p.source}
    rows = by_name["page.md"].rows
    assert [(r.source, r.target, r.status) for r in rows] == [
        ((0,), (0,), "human"),
        ((1,), (1,), "human"),
        ((2,), (), "untranslated"),
    ]
    assert [f.kind for f in rows[2].findings] == ["missing-section"]
    alone = by_name["alone.md"]
    assert alone.target is None and [f.kind for f in alone.findings] == ["missing-page"]
    assert all(r.status == "untranslated" for r in alone.rows)
    s = review.summary()
    assert s["problem_sections"] == sum(r.problem for r in review.rows) == 1 + len(alone.rows)
    assert s["status"]["untranslated"] == 1 + len(alone.rows)
    html = render_review(review)
    assert html.count('problem"') >= s["problem_sections"]


def test_cli_writes_the_page(tmp_path: Path) -> None:
    site = _site(tmp_path)
    out = tmp_path / "out" / "review.html"
    result = CliRunner().invoke(
        main, ["review", str(site), "-o", str(out), "--only-problems", "--no-glossary"]
    )
    assert result.exit_code == 0, result.output
    assert f"wrote {out}: 1 page pair(s)" in result.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<body class="only-problems">' in page
    assert 'id="only-problems" checked' in page
    assert "http://" not in page.split("<body")[0] and "https://" not in page.split("<body")[0]
    bad = CliRunner().invoke(main, ["review", str(site), "--to", "fr", "-o", str(out)])
    assert bad.exit_code == 2 and "language 'fr'" in bad.output
    helped = CliRunner().invoke(main, ["review", "--help"])
    assert helped.exit_code == 0 and "Examples:" in helped.output


def test_empty_review_renders() -> None:
    page = render_review(Review([]))
    assert "No pages found." in page and page.rstrip().endswith("</html>")


def test_check_in_a_fork_or_here_gives_the_same_review(tmp_path: Path) -> None:
    site = _site(tmp_path)
    forked = build_review(site, glossary=_glossary(), parallel=True)
    here = build_review(site, glossary=_glossary(), parallel=False)
    assert forked.summary() == here.summary() and forked.summary()["findings"] > 0
    assert render_review(forked) == render_review(here)


def test_section_scores_from_vien_score_worst_first(tmp_path: Path) -> None:
    from vien.review.page import attach_scores, section_scores, worst_rows

    runner = CliRunner()
    r = runner.invoke(main, ["score", str(DATA_SITE), "--engine", "pseudo", "--format", "json"])
    assert r.exit_code == 0, r.output
    scores_file = tmp_path / "scores.json"
    scores_file.write_text(r.output, encoding="utf-8")
    import json

    data = json.loads(r.output)
    scored = sum(d["sections_scored"] for d in data["engines"][0]["directions"])
    review = build_review(DATA_SITE, glossary=glossary.load(), parallel=False)
    n = attach_scores(review, section_scores(data))
    assert 0 < n <= scored
    worst = worst_rows(review, 3)
    assert [r.score for _, _, r in worst] == sorted(r.score for _, _, r in worst)
    assert worst[0][2].score == min(r.score for r in review.rows if r.score is not None)
    page = render_review(review)
    assert page.count("MT chrF") == n and 'id="worst"' in page
    assert f'href="#p{worst[0][0]}-{worst[0][1]}"' in page
    out = tmp_path / "review.html"
    r = runner.invoke(
        main, ["review", str(DATA_SITE), "-o", str(out), "--scores", str(scores_file)]
    )
    assert r.exit_code == 0, r.output
    assert "MT chrF" in out.read_text("utf-8")
    # no scores: no score column, no worst list
    assert "MT chrF" not in render_review(build_review(DATA_SITE, parallel=False))
