"""Alignment on structures found on real sites (#14 item 3), on small original page pairs.

tests/data/html_images: an event report whose last sections (``#### Event Photos`` /
``#### Một số hình ảnh khi tham gia sự kiện``) hold the same three HTML ``<img src>`` files
with translated alt texts. The images were no evidence, so the sections came out as 1-0 plus
0-1, and the merge appended the English section right after the Vietnamese ``<p>`` block,
which swallowed its heading: "14 sections were assembled but the output has 13", every run.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from vien.align.sections import _section_profile, align
from vien.cli.main import main
from vien.page.model import Document
from vien.page.parse import parse

DATA = Path(__file__).resolve().parent / "data" / "html_images"
IDENTITY = ("--to", "vi", "--engine", "identity")


def pages(root: Path = DATA) -> tuple[str, str]:
    content = root / "content"
    return (
        (content / "event.en.md").read_text(encoding="utf-8"),
        (content / "event.vi.md").read_text(encoding="utf-8"),
    )


def test_html_images_are_evidence() -> None:
    en, vi = pages()
    a, b = parse(en), parse(vi)
    last = (len(a.sections) - 1,), (len(b.sections) - 1,)
    links = {(lk.source, lk.target): lk for lk in align(a, b)}
    assert last in links, sorted(links)
    assert {"file:opening.jpg", "file:booth.jpg", "file:group.jpg"} <= set(links[last].evidence)


def test_html_image_pair_is_complete(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(DATA, site)
    before = (site / "content" / "event.vi.md").read_bytes()
    result = CliRunner().invoke(main, ["translate", str(site), *IDENTITY])
    assert result.exit_code == 0, result.output
    assert (site / "content" / "event.vi.md").read_bytes() == before


def test_section_appended_after_html_block(tmp_path: Path) -> None:
    """A section inserted after a section that ends with an HTML block keeps its heading."""
    site = tmp_path / "site"
    shutil.copytree(DATA, site)
    en_path = site / "content" / "event.en.md"
    en_path.write_text(
        en_path.read_text(encoding="utf-8")
        + "\n#### Thanks\n\nThanks to the volunteers who ran the registration desk.\n",
        encoding="utf-8",
    )
    vi_path = site / "content" / "event.vi.md"
    human = vi_path.read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["translate", str(site), *IDENTITY])
    assert result.exit_code == 0, result.output
    out = vi_path.read_text(encoding="utf-8")
    assert out.startswith(human)  # the human page is kept byte for byte
    doc = parse(out)
    assert [s.heading for s in doc.sections[-2:]] == [
        "Một số hình ảnh khi tham gia sự kiện",
        "Thanks",
    ]
    assert len(doc.sections) == len(parse(human).sections) + 1


PAIRS = Path(__file__).resolve().parent / "data" / "align_real"


def pair(name: str) -> tuple[Document, Document]:
    return (
        parse((PAIRS / f"{name}.en.md").read_text(encoding="utf-8")),
        parse((PAIRS / f"{name}.vi.md").read_text(encoding="utf-8")),
    )


def links(a: Document, b: Document) -> set[tuple[tuple[int, ...], tuple[int, ...]]]:
    return {(lk.source, lk.target) for lk in align(a, b)}


def test_parent_with_sub_sections_to_one_section() -> None:
    """``### 2. Problem Statement`` and its three ``#### 2.x`` sub-sections ↔ the one
    ``### 2. Vấn đề`` that holds all three in prose (a 4-1 link): no sub-section is left
    over, to be inserted again as missing."""
    a, b = pair("condensed")
    parent = next(s.index for s in a.sections if s.heading == "2. Problem Statement")
    assert (tuple(range(parent, parent + 4)), (parent,)) in links(a, b)
    assert all(lk.target for lk in align(a, b))


def test_emphasis_lines_are_sub_headings() -> None:
    """Three sections ↔ one section holding the last two under ``_Rủi ro_`` and
    ``_Kế hoạch dự phòng_``."""
    a, b = pair("pseudo")
    nxt = next(s.index for s in a.sections if s.heading == "Next steps")
    assert ((nxt, nxt + 1, nxt + 2), (nxt,)) in links(a, b)
    profile = _section_profile(b, b.sections[nxt], None, "vi")
    assert profile.pseudo == 2


def test_figure_shortcode_and_code_lines_are_evidence() -> None:
    en = (
        "## Setup\n\n"
        '{{< figure src="/img/setup/console.png" caption="The console" >}}\n\n'
        "```bash\n# create the bucket\naws s3 mb s3://garden-readings\n```\n"
    )
    vi = (
        "## Cài đặt\n\n"
        '{{< figure src="/img/setup/console.png" caption="Bảng điều khiển" >}}\n\n'
        "```bash\n# tạo bucket\naws s3 mb s3://garden-readings\n```\n"
    )
    a, b = parse(en), parse(vi)
    pa = _section_profile(a, a.sections[1], None, "en").anchors
    pb = _section_profile(b, b.sections[1], None, "vi").anchors
    shared = set(pa) & set(pb)
    assert "file:console.png" in shared
    assert "cl:aws s3 mb s3://garden-readings" in shared


def test_intro_under_a_first_heading() -> None:
    """The English intro before any heading ↔ the Vietnamese section 0 (front matter only)
    and its first heading, which holds the same intro: not a section with no counterpart."""
    a, b = pair("intro")
    assert links(a, b) == {((0,), (0, 1)), ((1,), (2,))}
