"""#14 item 2: a source section is inserted only when it is certainly absent from the
counterpart. Small original page pairs of the real failures: a parent heading whose human
section holds its sub-sections, an emphasis line used as a heading, a condensed page."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner
from conftest import ROOT, hugo_config
from vien.align.absence import absences
from vien.align.sections import Link, _detach, _first_scorer
from vien.cli.main import main
from vien.mt.simple import PseudoEngine
from vien.page.model import Document
from vien.page.parse import parse
from vien.translate.plan import build, plan

PAIRS = ROOT / "tests" / "data" / "merge" / "absence"


def pair(name: str, source: str, target: str) -> tuple[Document, Document]:
    read = (PAIRS / f"{name}.{source}.md").read_text(encoding="utf-8")
    return parse(read), parse((PAIRS / f"{name}.{target}.md").read_text(encoding="utf-8"))


def merged(name: str, source: str = "en", target: str = "vi") -> tuple[str, list[str]]:
    """The merged page (pseudo translation) and the plan's reports."""
    src, tgt = pair(name, source, target)
    p = plan(src, tgt, None, source, target)
    segs = [src.segments[i] for i in p.src_needed]
    tr = dict(zip(p.src_needed, PseudoEngine().translate(segs, source, target), strict=True))
    return build(p, tr, {})[0], p.reports


def test_a_human_parent_holding_its_sub_sections_gets_no_machine_copy() -> None:
    """`### 2. Tuyên bố vấn đề` holds what the English sub-sections 2.1–2.3 say: no MT
    `Problem Statement` (or sub-section) is inserted above or below it."""
    out, _ = merged("parent")
    assert out == (PAIRS / "parent.vi.md").read_text(encoding="utf-8")
    assert "⟦" not in out


def test_a_parent_whose_children_are_aligned_with_a_target_section_is_uncertain() -> None:
    """Given the alignment of the failure (the human section aligned with the three English
    sub-sections, the English parent left alone), the parent is not certainly absent."""
    src, tgt = pair("parent", "en", "vi")
    links = [
        Link((0,), (0,), 1.0),
        Link((1,), (1,), 1.0),
        Link((2,), (), 0.5),
        Link((3, 4, 5), (2,), 0.6),
        Link((6,), (3,), 1.0),
    ]
    (found,) = absences(src, tgt, links)
    assert found.source == 2 and not found.certain
    assert any("sub-section" in e and "Tuyên bố vấn đề" in e for e in found.evidence)


def test_an_emphasis_line_holding_the_same_bullets_is_not_a_missing_section() -> None:
    """`_Kế hoạch dự phòng_` and its three bullets are the English `## Contingency Plans`."""
    out, _ = merged("pseudo")
    assert out == (PAIRS / "pseudo.vi.md").read_text(encoding="utf-8")
    src, tgt = pair("pseudo", "en", "vi")
    links = [Link((0,), (0,), 1.0), Link((1,), (1,), 0.8), Link((2,), (), 0.5)]
    (found,) = absences(src, tgt, links)
    assert not found.certain
    assert any("emphasis line" in e and "3 list items" in e for e in found.evidence)


def test_a_condensed_page_gets_nothing_appended() -> None:
    """One English section says in prose what six Vietnamese ones say: no section is
    appended (nor a second "Next:" link); each is reported as an uncertain missing section."""
    out, reports = merged("condensed", "vi", "en")
    assert out == (PAIRS / "condensed.en.md").read_text(encoding="utf-8")
    assert out.count("Next:") == 1
    uncertain = [r for r in reports if r.startswith("uncertain missing section")]
    assert uncertain and all("Overview" in r for r in uncertain)


def test_a_section_certainly_absent_is_inserted_after_a_final_newline() -> None:
    """The Vietnamese page ends without a newline: the inserted section starts on its own
    line after a blank one, and the human text is unchanged."""
    human = (PAIRS / "newline.vi.md").read_text(encoding="utf-8")
    out, _ = merged("newline")
    assert out.startswith(human + "\n\n## ⟦")
    assert parse(out).sections[-1].level == 2


def test_check_reports_an_uncertain_missing_section_as_a_warning(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    hugo_config(site, default="vi")
    shutil.copy(PAIRS / "condensed.vi.md", site / "content" / "week-3.md")
    shutil.copy(PAIRS / "condensed.en.md", site / "content" / "week-3.en.md")
    result = CliRunner().invoke(main, ["check", str(site), "--format", "json"])
    found = [
        f
        for f in json.loads(result.stdout)["findings"]
        if f["kind"] == "missing-section" and "no counterpart in" not in f["message"]
    ]
    assert found and all(f["severity"] == "warning" for f in found), found
    assert all("uncertain missing section" in f["message"] for f in found)
    # and translate inserts nothing, saying why
    en = (site / "content" / "week-3.en.md").read_bytes()
    result = CliRunner().invoke(main, ["translate", str(site), "--to", "en", "--engine", "pseudo"])
    assert result.exit_code == 0, result.output
    assert (site / "content" / "week-3.en.md").read_bytes() == en
    assert "uncertain missing section 'Thứ Hai'" in result.output


def test_target_sections_keep_their_order_and_the_insert_follows_its_neighbour() -> None:
    """Sections the translator swapped stay swapped (no human section moves); the missing
    one goes after the counterparts of the source sections before it."""
    from vien.translate.plan import MergePlan

    src = parse(
        "Top.\n\n## A\n\nAlpha text.\n\n## B\n\nBeta text.\n\n## C\n\nGamma.\n\n## D\n\nDelta.\n"
    )
    tgt = parse("Top'.\n\n## B'\n\nBeta vi.\n\n## A'\n\nAlpha vi.\n\n## D'\n\nDelta vi.")
    links = [
        Link((0,), (0,), 1.0),
        Link((1,), (2,), 0.9),
        Link((2,), (1,), 0.9),
        Link((3,), (), 0.5),
        Link((4,), (3,), 0.9),
    ]
    p = MergePlan(src, tgt, links, missing=[3])
    out, origins = build(p, {}, {})
    assert origins == [("tgt", 0), ("tgt", 1), ("tgt", 2), ("src", 3), ("tgt", 3)]
    human = "Top'.\n\n## B'\n\nBeta vi.\n\n## A'\n\nAlpha vi.\n\n"
    assert out == human + "## C\n\nGamma.\n\n## D'\n\nDelta vi."


def test_a_section_dropped_beside_a_merge_leaves_the_merged_link() -> None:
    """A 3-1 link that swallowed a dropped section (its own link and wording are nowhere in
    the merged target section) gives that section back as unaligned, to be inserted."""
    src, tgt = pair("swallowed", "en", "vi")
    scorer = _first_scorer(src, tgt, None, "en", "vi")
    steps = [((0,), (0,)), ((1,), (1,)), ((2, 3, 4), (2,)), ((5,), (3,))]
    got = _detach(scorer, steps)
    assert ((2, 3), (2,)) in got and ((4,), ()) in got
    assert _detach(scorer, [((2, 3), (2,))]) == [((2, 3), (2,))]  # both members held
    p = plan(src, tgt, None, "en", "vi")
    assert p.missing == [4]


def test_a_short_section_dropped_beside_a_merge_leaves_the_merged_link() -> None:
    """A 3-1 link took a short section of prose along (no name or link of its own to tell):
    the merged target section holds the other two, and is far more alike to them alone, so
    the short section leaves the link and is inserted."""
    src, tgt = pair("unfit", "en", "vi")
    scorer = _first_scorer(src, tgt, None, "en", "vi")
    assert _detach(scorer, [((1, 2, 3), (1,))]) == [((1, 2), (1,)), ((3,), ())]
    assert _detach(scorer, [((1, 2), (1,))]) == [((1, 2), (1,))]  # both members held
    # a target section without counterpart beside the link may be the short section's own
    beside = [((1, 2, 3), (1,)), ((), (2,))]
    assert _detach(scorer, beside) == beside
    assert plan(src, tgt, None, "en", "vi").missing == [3]


def test_the_level_shift_is_the_one_the_linked_sections_show() -> None:
    """The parent heading was dropped and a deeper heading added: the target's levels ({3, 4})
    look like the source's ({2, 3}) one deeper, but its sub-sections keep their level in the
    links, so they are not at the parent's level, and the parent is certainly absent."""
    src, tgt = pair("shifted", "en", "vi")
    assert [s.level for s in src.sections] == [0, 2, 3, 3]
    assert [s.level for s in tgt.sections] == [0, 3, 4, 3]
    links = [
        Link((0,), (0,), 1.0),
        Link((1,), (), 0.5),
        Link((2,), (1,), 0.9),
        Link((), (2,), 0.5),
        Link((3,), (3,), 0.9),
    ]
    (found,) = absences(src, tgt, links)
    assert found.source == 1 and found.certain, found.evidence


def test_a_sub_section_split_before_a_section_of_the_parents_level_is_no_evidence() -> None:
    """A sub-section aligned with its own counterpart and a section of the parent's level
    after it: that section cannot hold the parent (a parent's heading comes before its
    children's text); aligned with a section of the parent's level first, it may."""
    src, tgt = pair("aftersplit", "en", "vi")
    links = [
        Link((0,), (0,), 1.0),
        Link((1,), (), 0.5),
        Link((2,), (1, 2), 0.7),
        Link((3,), (3,), 0.9),
    ]
    (found,) = absences(src, tgt, links)
    assert found.source == 1 and found.certain, found.evidence
    links[2] = Link((2,), (2, 1), 0.7)
    (found,) = absences(src, tgt, links)
    assert any("sub-section" in e for e in found.evidence)


def test_a_neighbour_a_little_wordier_than_its_source_is_no_evidence() -> None:
    """The translator wrote "Cá" about 13% longer than its source warrants (the other links
    stray by up to 10%); the short "Leaves" section, dropped after it, would fit that surplus,
    but so would any short section: the section is certainly absent."""
    src, tgt = pair("wordy", "en", "vi")
    links = [Link((k,), (k,), 0.9) for k in range(4)] + [
        Link((4,), (), 0.5),
        Link((5,), (4,), 0.9),
    ]
    (found,) = absences(src, tgt, links)
    assert found.source == 4 and found.certain, found.evidence


def test_a_reworded_counterpart_left_alone_where_the_section_belongs_is_evidence() -> None:
    """`Why it rises` and `Bột nở nhờ đâu` share no name, link or number, so both were left
    alone; the Vietnamese section stands where the English one belongs, at its level, with
    its paragraph and two list items and about as much text: it may be its counterpart.
    With other blocks, or one level deeper, it is another section."""
    src, tgt = pair("reworded", "en", "vi")
    links = [
        Link((0,), (0,), 1.0),
        Link((1,), (1,), 0.9),
        Link((2,), (), 0.5),
        Link((), (2,), 0.5),
        Link((3,), (3,), 0.9),
    ]
    (found,) = absences(src, tgt, links)
    assert found.source == 2 and not found.certain
    assert "with its blocks and about as much text" in found.evidence[0]
    for other in (
        tgt.text.replace("## Bột nở", "### Bột nở"),
        tgt.text.replace("- Bếp càng ấm", "Bếp càng ấm"),
    ):
        (found,) = absences(src, parse(other), links)
        assert found.certain, found.evidence


def test_a_link_a_translator_added_far_away_is_no_evidence() -> None:
    """The dropped section's only link is also in a neighbour's counterpart (where its source
    has it too) and in a reading list far below: the section is certainly absent. The same
    link in the neighbour's counterpart beyond what its source has keeps it out."""
    src, tgt = pair("farlink", "en", "vi")
    p = plan(src, tgt, None, "en", "vi")
    assert p.missing == [3] and not p.uncertain
    text = tgt.text.replace(
        "đàn hồi.\n",
        "đàn hồi. Ủ lạnh qua đêm, xem [bảng](https://example.org/hydration).\n",
    )
    merged_in = parse(text)
    p = plan(src, merged_in, None, "en", "vi")
    assert 3 not in p.missing  # aligned with the neighbour, or reported as uncertain


def test_a_section_partly_merged_into_its_neighbour_is_not_certainly_absent() -> None:
    """Two of the eight names only the last source section has (25%) are at the end of its
    neighbour's counterpart, which holds a shortened copy of it: not certainly absent."""
    src = parse(
        "## Ferry times\n\nThe Seabird ferry leaves Harbourton at nine and returns at five.\n\n"
        "## Ferry rules\n\nBikes go on the Lowdeck, dogs stay on a lead, and the Captain "
        "may refuse Surfboards. Tickets from Bluegate kiosk; Sunday boats follow Winter "
        "hours.\n"
    )
    tgt = parse(
        "## Giờ tàu\n\nTàu Seabird rời Harbourton lúc chín giờ và quay về lúc năm giờ. "
        "Xe đạp để ở Lowdeck, vé bán ở Bluegate.\n"
    )
    links = [Link((0,), (0,), 1.0), Link((1,), (1,), 0.9), Link((2,), (), 0.5)]
    (found,) = absences(src, tgt, links)
    assert not found.certain
    assert any("names" in e for e in found.evidence)


def test_a_section_merged_with_its_list_into_its_neighbour_is_not_certainly_absent() -> None:
    """The human `## Chuẩn bị` holds its own two steps and the three tips of `## Tips` below
    them (the tips' heading and opening line dropped): three list items beyond its source's,
    as `## Tips` has. A section dropped whole, beside a neighbour with no surplus, still is."""
    src = parse(
        "## Prepare\n\nGet the dough ready the evening before.\n\n- mix the flour and water\n"
        "- leave it to rest overnight\n\n## Tips\n\nA few things help.\n\n- use cold water\n"
        "- fold it twice\n- keep the bowl covered\n\n## Bake\n\nBake it hot and long.\n"
    )
    tgt = parse(
        "## Chuẩn bị\n\nChuẩn bị bột từ tối hôm trước.\n\n- trộn bột với nước\n"
        "- để bột nghỉ qua đêm\n- dùng nước lạnh\n- gấp bột hai lần\n- đậy kín bát\n\n"
        "## Nướng\n\nNướng lửa lớn và lâu.\n"
    )
    links = [Link((0,), (0,), 1.0), Link((1,), (1,), 0.8), Link((2,), (), 0.5)]
    links.append(Link((3,), (2,), 0.9))
    (found,) = absences(src, tgt, links)
    assert not found.certain
    assert any("3 list item" in e for e in found.evidence)
    dropped = parse(tgt.text.replace("- dùng nước lạnh\n- gấp bột hai lần\n- đậy kín bát\n", ""))
    (found,) = absences(src, dropped, links)
    assert found.certain, found.evidence


def test_an_image_section_merged_into_its_neighbour_is_not_certainly_absent() -> None:
    """`## Photos` is one screenshot; the neighbour's counterpart ends with a screenshot (of
    another file name) that its source lacks."""
    src = parse(
        "## Results\n\n- the build took four minutes\n- all tests passed\n\n"
        "## Photos\n\n![1784690540075](image/vi/1784690540075.jpg)\n"
    )
    tgt = parse(
        "## Kết quả\n\n- bản build mất bốn phút\n- mọi kiểm thử đều qua\n\n"
        "![1784690550613](image/en/1784690550613.jpg)\n"
    )
    links = [Link((0,), (0,), 1.0), Link((1,), (1,), 0.8), Link((2,), (), 0.5)]
    (found,) = absences(src, tgt, links)
    assert not found.certain
    assert any("1 image" in e for e in found.evidence)


def test_a_heading_kept_over_a_merged_neighbour_is_not_certainly_absent() -> None:
    """An empty `#### Giới thiệu về Kiến trúc Game Backend Server` merged with the section
    below: the human heading names Game, Backend and Server, its aligned source heading none."""
    src = parse(
        "#### Giới thiệu về Kiến trúc Game Backend Server\n\n"
        "#### 5.1.1 Tổng quan\n\nHệ thống dùng Route 53, CloudFront và API Gateway.\n"
    )
    tgt = parse(
        "#### Introduction to Game Backend Server Architecture\n\n"
        "The system uses Route 53, CloudFront and API Gateway.\n"
    )
    links = [Link((0,), (0,), 1.0), Link((1,), (), 0.5), Link((2,), (1,), 0.8)]
    (found,) = absences(src, tgt, links)
    assert not found.certain
    assert any("Backend, Game, Server" in e for e in found.evidence)
    p = plan(src, tgt, None, "vi", "en")
    assert not p.missing


def test_a_parent_dropped_beside_merged_children_is_inserted() -> None:
    """`## Core ideas` and its last sub-section were dropped and two sub-sections merged into
    one `### Pipelines`: that section is at the children's level, so it is not the parent
    translated with its children folded in; the parent and `### Hosting` are inserted."""
    src, tgt = pair("childlevel", "en", "vi")
    p = plan(src, tgt, None, "en", "vi")
    assert p.missing == [2, 5] and not p.uncertain


def test_names_without_their_text_are_no_evidence() -> None:
    """The human `## Việc trong tuần` names the Dead Letter queue that only the dropped
    `## Results` names in the source, in one place: the translator's words, not the dropped
    section brought along (which is certainly absent)."""
    src = parse(
        "## Goals\n\nFinish the order service and its tests this week.\n\n"
        "## Tasks\n\nWrote the order handler, added retries to the queue consumer and moved "
        "the settings into one file that every function reads at start.\n\n"
        "## Results\n\nThe Dead Letter queue now catches failed orders, Grafana shows the "
        "backlog, and PagerDuty wakes someone when it grows past fifty messages.\n"
    )
    tgt = parse(
        "## Mục tiêu\n\nHoàn thành dịch vụ đơn hàng và kiểm thử trong tuần.\n\n"
        "## Việc trong tuần\n\nViết bộ xử lý đơn hàng, thêm thử lại cho Dead Letter "
        "queue và gom cấu hình vào một tệp mà mọi hàm đọc khi khởi động.\n"
    )
    links = [Link((0,), (0,), 1.0), Link((1,), (1,), 0.8), Link((2,), (2,), 0.8)]
    links.append(Link((3,), (), 0.5))
    (found,) = absences(src, tgt, links)
    assert found.certain, found.evidence


def test_template_sections_are_not_paired_across_on_length_alone() -> None:
    """Three short sections with nothing but prose; the counterpart lost `## Tasks Completed`
    and gained a foreign `## Mục tiêu` at the end: it is not the dropped section's
    counterpart (they share no anchor), so the dropped section is inserted."""
    src = parse(
        "## Objective\n\nDescribe the goal for week 2.\n\n## Tasks Completed\n\n"
        "- Task 1\n- Task 2\n\n## Outcome\n\nWrite the result and what you "
        "learned this week.\n"
    )
    tgt = parse(
        "## Mục tiêu\n\nMô tả mục tiêu của tuần 2.\n\n## Kết quả\n\nViết kết quả và bài học "
        "rút ra trong tuần này.\n\n## Mục tiêu\n\nMô tả mục tiêu của tuần 5.\n"
    )
    p = plan(src, tgt, None, "en", "vi")
    assert p.missing == [2]


def test_a_section_as_alike_to_its_neighbours_counterpart_is_not_inserted() -> None:
    """`## Work done` and `## Results` say nearly the same and the counterpart has one
    `## Kết quả` for them, sharing only the name Payments: which one it translates is
    decided on little evidence, so the other is an uncertain missing section, not an insert
    (a wrong insert duplicates human text; a miss is reported)."""
    src = parse(
        "## Week 3 goals\n\n- Test the Payments flow end to end.\n- Review the results.\n\n"
        "## Work done\n\n- Tested the Payments flow end to end in three scenarios.\n"
        "- Reviewed the results and wrote the report.\n- Fixed two bugs in the refund step.\n\n"
        "## Results\n\n- The Payments flow passed the end to end tests in all scenarios.\n"
        "- The report is written and reviewed.\n- Both refund bugs are fixed.\n"
    )
    tgt = parse(
        "## Mục tiêu tuần 3\n\n- Kiểm thử luồng Payments từ đầu đến cuối.\n- Xem lại kết quả.\n\n"
        "## Kết quả\n\n- Luồng Payments qua kiểm thử đầu cuối ở mọi kịch bản.\n"
        "- Báo cáo đã viết và được duyệt.\n- Đã sửa cả hai lỗi hoàn tiền.\n"
    )
    p = plan(src, tgt, None, "en", "vi")
    assert not p.missing
    (found,) = p.uncertain
    assert any("about as alike to target section 'Kết quả'" in e for e in found.evidence)


def test_a_short_parent_heading_goes_with_its_sub_sections() -> None:
    """`#### Setup guide` is a heading alone; its sub-sections correspond to those of
    `#### Hướng dẫn thiết lập`, so it does too, although `#### Device types` (dropped, its
    one line merged above) is closer in length: nothing is inserted in the wrong place."""
    src, tgt = pair("parents", "en", "vi")
    p = plan(src, tgt, None, "en", "vi")
    target_of = {i: lk.target for lk in p.links for i in lk.source}
    assert target_of[7] == (6,)
    assert 7 not in p.missing


def test_a_section_merged_under_its_own_heading_is_not_certainly_absent() -> None:
    """`## The Problem` holds the Vietnamese `## Bài toán` and, below it without its heading,
    `## Kiến trúc`, which is aligned with it: measured against the rest of the page (not
    against its own inflated link) it holds far more than `## Kiến trúc` warrants."""
    src = parse(
        "## Bài toán\n\nGiám sát nhiệt độ thủ công là không thể với hàng ngàn xe tải đang chạy "
        "trên đường, và chỉ một lần hỏng hệ thống làm lạnh cũng gây thiệt hại rất lớn.\n\n"
        "## Kiến trúc\n\nHệ thống theo mô hình hướng sự kiện với ba tầng: tầng thu thập nhận "
        "dữ liệu GPS và nhiệt độ, tầng xử lý đệm luồng dữ liệu và phát hiện bất thường, tầng "
        "lưu trữ ghi chuỗi thời gian và gửi cảnh báo.\n\n"
        "### Công nghệ\n\n- IoT Core nhận dữ liệu MQTT từ các thiết bị.\n"
        "- SQS đệm dữ liệu để hệ thống không quá tải.\n- Lambda chạy mã Python.\n"
    )
    tgt = parse(
        "## The Problem\n\nManual temperature monitoring is impossible with thousands of "
        "trucks on the road, and one cooling failure causes heavy losses.\n\n"
        "The system follows an event-driven model with three layers: ingestion takes GPS "
        "and temperature data, processing buffers the stream and detects anomalies, storage "
        "writes the time series and sends alerts.\n\n"
        "### Technology\n\n- IoT Core receives MQTT data from the devices.\n"
        "- SQS buffers the data so the system is not overloaded.\n- Lambda runs Python code.\n"
    )
    links = [Link((0,), (0,), 1.0), Link((1,), (), 0.5), Link((2,), (1,), 0.8)]
    links.append(Link((3,), (2,), 0.9))
    (found,) = absences(src, tgt, links)
    assert not found.certain
    assert any("it may hold this section too" in e for e in found.evidence)


def test_a_neighbours_surplus_is_evidence_for_the_section_that_fits_it() -> None:
    """Talks 3 and 4 were dropped and talk 5 merged into talk 2's counterpart: talk 2's
    surplus fits talk 5's text, not talk 3's or 4's (longer), so only talk 5 is uncertain."""

    def talk(n: int, words: int) -> str:
        return f"## Talk {n}\n\n" + " ".join(["word"] * words) + f" talk{n}.\n\n"

    src = parse(talk(1, 30) + talk(2, 30) + talk(3, 60) + talk(4, 70) + talk(5, 45) + talk(6, 30))
    text = talk(1, 30) + talk(2, 30).rstrip("\n") + "\n\n" + " ".join(["chữ"] * 45) + ".\n\n"
    tgt = parse(text + talk(6, 30))
    links = [Link((0,), (0,), 1.0), Link((1,), (1,), 0.9), Link((2,), (2,), 0.9)]
    links += [Link((3,), (), 0.5), Link((4,), (), 0.5), Link((5,), (), 0.5)]
    links.append(Link((6,), (3,), 0.9))
    found = {a.source: a for a in absences(src, tgt, links)}
    assert found[3].certain and found[4].certain, (found[3], found[4])
    assert not found[5].certain


def test_check_looks_at_the_whole_page_translate_where_the_section_belongs() -> None:
    """The dropped `## Map`'s image is on the page, under a section far from where `## Map`
    belongs: translate inserts it (no evidence where it belongs), check's error needs the
    whole page and calls it uncertain; one decision, in vien.align.absence."""
    src = parse(
        "## Intro\n\nA short walk.\n\n## Map\n\n![map](map.png)\n\n## Route\n\nGo north along the "
        "river to the old bridge.\n\n"
        "## Food\n\nBring bread.\n\n## Notes\n\nNothing else.\n"
    )
    tgt = parse(
        "## Giới thiệu\n\nMột chuyến đi ngắn.\n\n## Đường đi\n\nĐi về phía bắc dọc sông tới cầu "
        "cũ.\n\n"
        "## Đồ ăn\n\nMang bánh mì.\n\n## Ghi chú\n\n![map](map.png)\n"
    )
    links = [Link((0,), (0,), 1.0), Link((1,), (1,), 0.9), Link((2,), (), 0.5)]
    links += [Link((3,), (2,), 0.9), Link((4,), (3,), 0.9), Link((5,), (4,), 0.9)]
    (local,) = absences(src, tgt, links)
    assert local.certain
    (whole,) = absences(src, tgt, links, whole_page=True)
    assert whole.evidence == ["its images, links or code are here"]


def test_a_short_section_is_not_paired_across_with_a_long_one_sharing_a_word() -> None:
    """The dropped `## DevOps basics` (a heading and a line) shares the word DevOps with a
    long foreign `## Kết luận` further down: their lengths are far apart (about 5x), so they
    are not paired across the other links, and the dropped section is inserted."""
    src = parse(
        "## Goals\n\nShip the Larkspur shop with GitLab pipelines and Postgres.\n\n"
        "## DevOps basics\n\nThree DevOps ideas carry the setup.\n\n"
        "## Pipelines\n\nEvery push to `main` runs the GitLab pipeline and a Docker build, "
        "then pushes the image to the registry.\n"
    )
    tgt = parse(
        "## Mục tiêu\n\nĐưa cửa hàng Larkspur lên với pipeline GitLab và Postgres.\n\n"
        "## Pipeline\n\nMỗi lần push lên `main` đều chạy pipeline GitLab và build Docker, rồi "
        "đẩy image lên registry.\n\n"
        "## Kết luận\n\nWorkshop này cho thấy cách áp dụng DevOps vào một dự án thật: từ kiểm "
        "thử tự động, build image, đến triển khai liên tục và giám sát sau khi phát hành, mọi "
        "bước đều chạy lại được và để lại dấu vết rõ ràng cho cả nhóm.\n"
    )
    p = plan(src, tgt, None, "en", "vi")
    assert p.missing == [2]


FLAT_EN = """---
title: Account alias
---

## Why an alias

The sign-in URL of your account holds its twelve-digit ID, which nobody remembers.

## Create the alias

Open the IAM dashboard, choose Create next to the account alias, type a name and save it.

## Delete the alias

Choose Delete next to the alias; the URL with the ID keeps working.
"""
FLAT_VI = """---
title: Bí danh tài khoản
---

Vì sao cần bí danh
URL đăng nhập của tài khoản chứa ID mười hai chữ số, điều mà không ai nhớ nổi.

Tạo bí danh
Mở bảng điều khiển IAM, chọn Create bên cạnh bí danh tài khoản, nhập một tên rồi lưu lại.

Xóa bí danh
Chọn Delete bên cạnh bí danh; URL có ID vẫn hoạt động như trước.
"""


def test_a_counterpart_without_headings_gets_one_finding(tmp_path: Path) -> None:
    """A translation whose headings were typed as plain lines holds every section: check
    says so once (a structure warning), not once per section as an uncertain missing
    section; a stub without the text still gets its missing sections."""
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    hugo_config(site)
    (site / "content" / "alias.md").write_text(FLAT_EN, encoding="utf-8")
    (site / "content" / "alias.vi.md").write_text(FLAT_VI, encoding="utf-8")
    stub = FLAT_VI.split("Vì sao")[0] + "Trang này đang được dịch.\n"
    (site / "content" / "stub.md").write_text(FLAT_EN, encoding="utf-8")
    (site / "content" / "stub.vi.md").write_text(stub, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(site), "--format", "json"])
    findings = json.loads(result.stdout)["findings"]
    alias = [f for f in findings if f["file"].endswith("alias.vi.md")]
    assert [(f["kind"], f["severity"]) for f in alias] == [("structure", "warning")], alias
    assert "none of the 3 headings" in alias[0]["message"]
    missing = [f for f in findings if f["file"].endswith("stub.vi.md")]
    assert len(missing) == 3 and all(f["kind"] == "missing-section" for f in missing), missing


def test_a_short_parent_folded_into_the_section_above_is_not_certainly_absent() -> None:
    """`## 3. Kiến trúc` (one sentence, its sub-sections 3.1 and 3.2 kept) lost its heading
    and its sentence ended up at the end of `## 2. Results after completion`: that section
    has its source's blocks and then the parent's paragraph, block for block. With the
    sentence dropped too, the parent is certainly absent."""
    src, tgt = pair("numbered", "vi", "en")
    links = [Link((0,), (0,), 1.0), Link((1,), (1,), 0.9), Link((2,), (2,), 0.8)]
    links += [Link((3,), (), 0.5), Link((4,), (3,), 0.9), Link((5,), (4,), 0.9)]
    links.append(Link((6,), (5,), 0.9))
    (found,) = absences(src, tgt, links)
    assert not found.certain
    assert any("at its end, those of this section" in e for e in found.evidence)
    sentence = "The system has two zones, a training zone and a forecasting zone.\n\n"
    dropped = parse(tgt.text.replace(sentence, ""))
    assert len(dropped.sections[2].blocks) == len(tgt.sections[2].blocks) - 1
    (found,) = absences(src, dropped, links)
    assert found.certain, found.evidence


def test_a_section_aligned_across_its_neighbours_leaves_its_twin_uncertain() -> None:
    """`## Refunds` was dropped and `## Gift cards` (much alike) aligned with the human
    `## Thẻ quà tặng` below, crossing the other links: `## Gift cards` is then left alone,
    but the target section where it belongs is aligned elsewhere, so it is not inserted."""
    src = parse(
        "## Orders\n\nOrders ship in two days.\n\n## Refunds\n\nRefunds take five days and go "
        "back to the card you paid with.\n\n## Delivery\n\nWe deliver in the city only.\n\n"
        "## Gift cards\n\nGift cards take five days and go to the email you gave.\n\n"
        "## Contact\n\nWrite to the shop.\n"
    )
    tgt = parse(
        "## Đơn hàng\n\nĐơn hàng giao trong hai ngày.\n\n## Giao hàng\n\nChỉ giao trong thành "
        "phố.\n\n## Thẻ quà tặng\n\nThẻ quà tặng mất năm ngày và gửi tới email bạn đã cho.\n\n"
        "## Liên hệ\n\nViết thư cho cửa hàng.\n"
    )
    links = [Link((0,), (0,), 1.0), Link((1,), (1,), 0.9), Link((2,), (3,), 0.6)]
    links += [Link((3,), (2,), 0.9), Link((4,), (), 0.5), Link((5,), (4,), 0.9)]
    found = {a.source: a for a in absences(src, tgt, links)}
    assert not found[4].certain
    assert any("aligned with a source section elsewhere" in e for e in found[4].evidence)
    in_order = [lk if lk.source != (2,) else Link((2,), (), 0.5) for lk in links]
    in_order = [lk if lk.source != (4,) else Link((4,), (3,), 0.9) for lk in in_order]
    (found2,) = absences(src, tgt, in_order)
    assert found2.source == 2 and found2.certain, found2.evidence


def test_a_heading_kept_over_the_next_sections_body_is_not_certainly_absent() -> None:
    """`#### Update the account name, email or root password` is a heading alone; the human
    page kept its (long) heading over the body of `#### Edit account info` and dropped that
    short heading: the neighbour's heading fits the empty section's length, not its own
    source's. Under a heading as short as its own source's, the empty section is absent."""
    src = parse(
        "#### Update the account name, email or root password\n\n#### Edit account info\n\n"
        "Open the account page from the menu at the top right and choose Edit.\n\n"
        "#### Change the root password\n\nChoose a new password of twelve characters or more "
        "and confirm it twice before saving.\n"
    )
    text = (
        "#### Cập nhật tên tài khoản, email hoặc mật khẩu root\n\nMở trang tài khoản từ menu "
        "ở góc trên bên phải và chọn Edit.\n\n#### Đổi mật khẩu root\n\nChọn mật khẩu mới từ "
        "mười hai ký tự trở lên và xác nhận hai lần trước khi lưu.\n"
    )
    links = [Link((0,), (0,), 1.0), Link((1,), (), 0.5), Link((2,), (1,), 0.8)]
    links.append(Link((3,), (2,), 0.9))
    (found,) = absences(src, parse(text), links)
    assert not found.certain
    assert any("headed about as long as this section's heading" in e for e in found.evidence)
    short = text.replace("Cập nhật tên tài khoản, email hoặc mật khẩu root", "Sửa thông tin")
    (found,) = absences(src, parse(short), links)
    assert found.certain, found.evidence


def test_an_unaligned_twin_with_its_code_and_a_heading_word_is_not_certainly_absent() -> None:
    """`## Purge the cache after a release` is one code block; where it belongs the human page
    has an unaligned `## Purge cache sau khi phát hành` with one code block (its comment
    translated): the alignment missed them, it is not inserted. A code section sharing no
    word of its heading (another page's) leaves it certainly absent."""
    src = parse(
        "## Upload the site\n\n- build it\n- copy `dist/` to the bucket\n\n"
        "## Purge the cache after a release\n\n```bash\n# purge everything\n"
        "aws cloudfront create-invalidation --paths '/*'\n```\n"
    )
    text = (
        "## Tải trang lên\n\n- build trang\n- chép `dist/` vào bucket\n\n"
        "## Purge cache sau khi phát hành\n\n```bash\n# xoá toàn bộ\n"
        "aws cloudfront create-invalidation --paths '/*'\n```\n"
    )
    links = [Link((0,), (0,), 1.0), Link((1,), (1,), 0.9), Link((2,), (), 0.5)]
    links.append(Link((), (2,), 0.5))
    (found,) = absences(src, parse(text), links)
    assert not found.certain
    assert any("a word of its heading" in e for e in found.evidence)
    foreign = text.replace("Purge cache sau khi phát hành", "Kiểm tra phiên bản")
    (found,) = absences(src, parse(foreign), links)
    assert found.certain, found.evidence
