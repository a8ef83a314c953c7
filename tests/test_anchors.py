"""#14 item 4: anchors survive translation, and `vien check` reports those that do not."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, hugo_config
from hugo_support import HUGO, build_site, write_site
from vien.cli.main import main
from vien.page.anchors import HeadingIds, sanitize, section_ids
from vien.page.parse import parse

SITE = ROOT / "tests" / "data" / "merge" / "anchors"


def site_copy(tmp_path: Path, extra: str = "") -> Path:
    site = tmp_path / "site"
    shutil.copytree(SITE, site)
    hugo_config(site, tables=extra)
    return site


def translate(site: Path, *args: str) -> str:
    result = CliRunner().invoke(
        main, ["translate", str(site), "--to", "vi", "--engine", "pseudo", *args]
    )
    assert result.exit_code == 0, result.output
    return result.output


def headings(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line[:2] == "##"]


def test_ids_as_hugo_gives_them() -> None:
    assert sanitize("2. Attach the AdministratorAccess policy") == (
        "2-attach-the-administratoraccess-policy"
    )
    assert sanitize("Sign in & check") == "sign-in--check"
    assert sanitize("Bước 1: Tạo nhóm") == "bước-1-tạo-nhóm"
    assert sanitize("Bước 1: Tạo nhóm", "github-ascii") == "buoc-1-tao-nhom"
    assert sanitize("Sign in & check", "blackfriday") == "sign-in-check"
    doc = parse("## Setup\n\n## Setup\n\n## `aws s3` *copy*\n\n## Mine {#own}\n")
    assert section_ids(doc) == [None, "setup", "setup-1", "aws-s3-copy", "own"]
    assert section_ids(doc, HeadingIds(auto=False)) == [None, None, None, None, "own"]


def test_translated_headings_keep_linked_ids(tmp_path: Path) -> None:
    """Inserted sections and new pages keep the source heading's ID where a page links to
    it; a heading nobody links to ("Start here") gets none; human headings are unchanged."""
    site = site_copy(tmp_path)
    translate(site)
    vi = headings(site / "content/setup/_index.vi.md")
    assert vi[1] == "## 1. Tạo nhóm IAM {#1-create-an-iam-group}"  # human, as it was
    assert vi[2].endswith("⟧ {#2-attach-the-administratoraccess-policy}")
    assert vi[3].endswith("⟧ {#sign-in--check}")
    assert "{#" not in headings(site / "content/_index.vi.md")[0]


@pytest.mark.parametrize(("mode", "expected"), [("never", 0), ("always", 3)])
def test_heading_ids_option(tmp_path: Path, mode: str, expected: int) -> None:
    site = site_copy(tmp_path)
    translate(site, "--heading-ids", mode)
    added = [
        h
        for p in ("content/setup/_index.vi.md", "content/_index.vi.md")
        for h in headings(site / p)
        if "⟧ {#" in h
    ]
    assert len(added) == expected, added


def test_site_settings_decide_the_id(tmp_path: Path) -> None:
    """autoHeadingIDType github-ascii: the kept ID is the ASCII one; autoHeadingID off: none
    is added (Hugo gives no ID to keep)."""
    site = site_copy(tmp_path, "[markup.goldmark.parser]\nautoHeadingIDType = 'blackfriday'\n")
    text = (site / "content/setup/_index.md").read_text(encoding="utf-8")
    text = text.replace("#sign-in--check", "#sign-in-check")
    (site / "content/setup/_index.md").write_text(text, encoding="utf-8")
    translate(site)
    assert headings(site / "content/setup/_index.vi.md")[3].endswith("⟧ {#sign-in-check}")
    site = site_copy(tmp_path / "off", "[markup.goldmark.parser]\nautoHeadingID = false\n")
    translate(site)
    assert not [h for h in headings(site / "content/setup/_index.vi.md") if "⟧ {#" in h]


def test_check_reports_anchor_links_that_do_not_resolve(tmp_path: Path) -> None:
    """In-page (the counterpart's table of contents points at headings it lacks) and
    cross-page (a link into the Vietnamese page to an ID none of its headings has)."""
    site = site_copy(tmp_path)
    (site / "content/_index.vi.md").write_text(
        '---\ntitle: "Lab"\n---\n\nĐọc [các bước](setup/#buoc-mot) trước.\n', encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["check", str(site), "--format", "json"])
    found = [f for f in json.loads(result.stdout)["findings"] if f["kind"] == "anchor"]
    messages = sorted((Path(f["file"]).name, f["line"], f["message"]) for f in found)
    assert [m[:2] for m in messages] == [
        ("_index.vi.md", 5),
        ("_index.vi.md", 8),
        ("_index.vi.md", 9),
    ]
    assert "setup/#buoc-mot" in messages[0][2] and "_index.vi.md" in messages[0][2]
    translate(site)
    result = CliRunner().invoke(main, ["check", str(site), "--format", "json"])
    left = [f["message"] for f in json.loads(result.stdout)["findings"] if f["kind"] == "anchor"]
    assert len(left) == 1 and "buoc-mot" in left[0]  # the human link stays as it was


def test_cross_page_anchors_resolve_against_pages_read_from_the_check_cache(
    tmp_path: Path,
) -> None:
    """Only the linking page changes: the linked page's IDs come from the check cache, and
    the broken link is still reported; then only the linked page gains the ID: the link,
    whose page pair is cached, resolves."""
    site = site_copy(tmp_path)
    index = site / "content/_index.vi.md"
    index.write_text(
        '---\ntitle: "Lab"\n---\n\nĐọc [các bước](setup/#buoc-mot) trước.\n', encoding="utf-8"
    )

    def broken() -> list[str]:
        result = CliRunner().invoke(main, ["check", str(site), "--format", "json"])
        found = json.loads(result.stdout)["findings"]
        return [f["message"] for f in found if f["kind"] == "anchor" and "buoc-mot" in f["message"]]

    assert len(broken()) == 1
    index.write_text(index.read_text(encoding="utf-8") + "\nThêm một dòng.\n", encoding="utf-8")
    assert len(broken()) == 1
    setup = site / "content/setup/_index.vi.md"
    text = setup.read_text(encoding="utf-8")
    setup.write_text(text.replace("## Dọn dẹp", "## Bước một {#buoc-mot}\n\n## Dọn dẹp"), "utf-8")
    assert broken() == []


@pytest.mark.slow
def test_translated_site_built_with_hugo_resolves_every_anchor(tmp_path: Path) -> None:
    """Hugo builds the translated site; every `#anchor` link of every page points at an
    element ID of the page it names; and Hugo's heading IDs are the ones vien computes."""
    if not HUGO:
        pytest.skip("hugo is not installed")
    site = site_copy(tmp_path)
    translate(site)
    write_site(site)
    done = build_site(site)
    assert done.returncode == 0, done.stdout + done.stderr
    public = site / "public"
    pages = {p: p.read_text(encoding="utf-8") for p in public.rglob("index.html")}
    ids = {p: set(re.findall(r'\bid="([^"]+)"', html)) for p, html in pages.items()}
    checked = 0
    for page, html in pages.items():
        for href in re.findall(r'href="([^"]*#[^"]+)"', html):
            where, _, frag = href.partition("#")
            target = page
            if where:  # relative to the page's folder, or from the site root
                target = (page.parent / where / "index.html").resolve()
                if target not in ids:
                    target = public / where.lstrip("/") / "index.html"
            assert frag in ids[target], f"{page.relative_to(public)}: {href}"
            checked += 1
    assert checked >= 8
    en = parse((site / "content/setup/_index.md").read_text(encoding="utf-8"))
    html = pages[public / "setup/index.html"]
    assert [i for i in section_ids(en) if i] == re.findall(r'<h2 id="([^"]+)"', html)
