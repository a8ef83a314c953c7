"""Site-wide evidence: how a site's other page pairs pair their sections decides what one
page pair alone cannot (pages of one template, sections copied from another page)."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import hugo_config
from vien.align.absence import absences
from vien.align.sections import Link, _detach, _first_scorer, _Scorer
from vien.align.site import SiteEvidence, copied, heading_anchors
from vien.mt.simple import PseudoEngine
from vien.page.model import Document
from vien.page.parse import parse
from vien.translate.batch import run
from vien.translate.plan import plan

#: a weekly report template: (tools) of each week
WEEKS = [
    ("CloudWatch", "Lambda", "SNS"),
    ("DynamoDB", "Athena", "Glue"),
    ("Kinesis", "Firehose", "Redshift"),
    ("CloudFront", "Route53", "WAF"),
]


def week_en(n: int, tools: tuple[str, str, str]) -> str:
    a, b, c = tools
    return f"""---
title: "Week {n}"
---

## Week {n} goals

Learn the basics of {a} and {b} this week.

## Tasks done

Set up {a} alarms for the {b} functions and sent {c} notifications.

## Results

Every {b} function is now watched: when one fails, a {a} alarm goes off within a minute,
{c} sends the alert to the team, and the on-call engineer looks at the logs first.
"""


def week_vi(n: int, tools: tuple[str, str, str], tasks: bool = True) -> str:
    """The translation; a short one of the results (``tasks``: with the tasks section)."""
    a, b, c = tools
    done = f"## Công việc đã làm\n\nCài đặt cảnh báo {a} cho các hàm {b} và gửi thông báo {c}.\n\n"
    return f"""---
title: "Tuần {n}"
---

## Mục tiêu tuần {n}

Học những điều cơ bản về {a} và {b} trong tuần này.

{done if tasks else ""}## Kết quả

Hàm {b} lỗi thì {a} báo, {c} gửi tin.
"""


def others(skip: int = 0) -> list[tuple[Document, Document]]:
    return [
        (parse(week_en(n, t)), parse(week_vi(n, t)))
        for n, t in enumerate(WEEKS, 1)
        if n != skip + 1
    ]


def test_headings_the_site_pairs_align_a_template_page() -> None:
    """Week 1's Vietnamese page lacks its tasks section, and its results are condensed to
    about the tasks' length: on the page alone the tasks take the results' place (and the
    results are reported uncertain); the other weeks pair "Results" with "Kết quả" and
    "Week N goals" with "Mục tiêu tuần N", which decides it: the tasks are inserted."""
    src, tgt = parse(week_en(1, WEEKS[0])), parse(week_vi(1, WEEKS[0], tasks=False))
    assert plan(src, tgt, None, "en", "vi").missing != [2]
    site = SiteEvidence.of(others())
    p = plan(src, tgt, None, "en", "vi", site=site)
    assert p.missing == [2] and not p.uncertain
    assert {(lk.source, lk.target) for lk in p.links} >= {((1,), (1,)), ((3,), (2,))}


def test_a_heading_pair_counts_on_most_pages_of_two_or_more_and_never_for_its_own_page() -> None:
    src, tgt = parse(week_en(1, WEEKS[0])), parse(week_vi(1, WEEKS[0]))
    site = SiteEvidence.of([(src, tgt), *others()[:1]], ["week-1", "week-2"])
    assert heading_anchors(site, src, tgt)  # this page and one other pair them
    assert not heading_anchors(site.without("week-1"), src, tgt)  # one other page: too few
    # a target heading that translates two source headings as often is no evidence
    split = [
        (parse(week_en(n, t).replace("Results", "Outcome")), parse(week_vi(n, t)))
        for n, t in enumerate(WEEKS[1:3], 2)
    ]
    mixed = SiteEvidence.of(others()[:2] + split)
    assert not any(key.startswith("hd:results|") for *_, key in heading_anchors(mixed, src, tgt))


def test_a_section_copied_from_another_page_is_not_the_counterpart() -> None:
    """Week 1's results section was dropped and week 2's pasted in its place: week 2's
    source results say something else, so week 1's results are missing (inserted), and the
    pasted section is kept as a section with no counterpart."""
    src = parse(week_en(1, WEEKS[0]))
    near = ("CloudWatch", "Athena", "Glue")  # a week of the same tools, in part
    other = week_vi(2, near)
    pasted = other[other.index("## Kết quả") :]
    tgt = parse(week_vi(1, WEEKS[0]).split("## Kết quả")[0] + pasted)
    site = SiteEvidence.of([*others(1), (parse(week_en(2, near)), parse(other))])
    assert copied(site, src, tgt, 3, 3)
    assert not plan(src, tgt, None, "en", "vi").missing  # alone: linked to the pasted one
    p = plan(src, tgt, None, "en", "vi", site=site)
    assert p.missing == [3]
    assert any("target section 'Kết quả' has no source counterpart" in r for r in p.reports)
    # the same section on a page whose source says the same (numbers aside) is its own
    same = parse(week_en(5, WEEKS[1]))
    assert not copied(site, same, parse(week_vi(5, WEEKS[1])), 3, 3)


def test_translate_reads_the_site_pairs(tmp_path: Path) -> None:
    """`vien translate` gives each merge the evidence of the site's other pairs."""
    site = hugo_config(tmp_path / "site")
    folder = site / "content" / "worklog"
    folder.mkdir(parents=True)
    for n, tools in enumerate(WEEKS, 1):
        (folder / f"week-{n}.md").write_text(week_en(n, tools), encoding="utf-8")
        vi = week_vi(n, tools, tasks=n != 1)
        (folder / f"week-{n}.vi.md").write_text(vi, encoding="utf-8")
    summary = run(site, "vi", PseudoEngine())
    (result,) = [r for r in summary.results if r.target and r.target.name == "week-1.vi.md"]
    assert result.inserted == [2]
    out = (folder / "week-1.vi.md").read_text(encoding="utf-8")
    assert out.count("## Kết quả") == 1 and "Hàm Lambda lỗi thì CloudWatch báo" in out


def test_a_plural_acronym_in_a_heading_is_the_acronym() -> None:
    """ "Why AMIs?" is translated with "AMI", which the next section's heading also names:
    the next section is not in that heading's section (the plural is the same name)."""
    src = parse(
        "## Why do we need AMIs?\n\nAn image keeps a server ready to launch again.\n\n"
        "## Create an AMI from the EC2 instance\n\nOpen the console and choose the instance.\n"
    )
    tgt = parse("## Vì sao cần tạo AMI?\n\nMột image giữ máy chủ sẵn sàng khởi chạy lại.\n")
    links = [Link((0,), (0,), 1.0), Link((1,), (1,), 0.8), Link((2,), (), 0.5)]
    (found,) = absences(src, tgt, links)
    assert found.source == 2 and found.certain, found.evidence


def mirror(text: str) -> str:
    """A stand-in translation of the same length: lower-case words spelt backwards, names
    kept."""
    return re.sub(r"\b[a-z]+\b", lambda m: m.group()[::-1], text)


FEEDBACK = (
    ("The FCAJ program gave me a Mentor who reviewed my GitHub pull requests every week. " * 20),
    (
        "Some more questions came up about the budget and the credits for the labs, and "
        "whether the reviews could be longer. " * 6
    )
    + "AWS FCAJ.",
    "I hope the next AWS Cloud cohort gets more hands-on labs and longer reviews. " * 7,
)


def feedback(parts: tuple[str, ...], heads: tuple[str, ...]) -> Document:
    return parse("".join(f"## {h}\n\n{p.strip()}\n\n" for h, p in zip(heads, parts, strict=True)))


def test_a_merged_link_is_judged_at_the_site_ratio_not_at_its_own() -> None:
    """Three sections linked with one target section holding the first and the last: the
    page's length ratio, estimated from that one link, fits the three (0.75); at the
    ratio the site's whole translations show (with the page's other links: none), the
    middle one is not there and leaves the link. When the target holds all three, it
    stays."""
    heads = ("General feedback", "Other questions", "Wishes")
    src = feedback(FEEDBACK, heads)
    tgt = feedback((mirror(FEEDBACK[0]) + mirror(FEEDBACK[2]),), ("Nhận xét chung",))
    site = SiteEvidence.of(
        [(feedback(FEEDBACK, heads), feedback(tuple(map(mirror, FEEDBACK)), ("A", "B", "C")))]
    )
    prior = site.ratio()
    assert prior is not None and 0.95 < prior < 1.05
    first = _first_scorer(src, tgt, None, "en", "vi")
    skewed = _Scorer(first.src, first.tgt, 0.75, first.ev)
    steps = [((0,), (0,)), ((1, 2, 3), (1,))]
    assert _detach(skewed, steps) == steps
    assert _detach(skewed, steps, prior) == [((0,), (0,)), ((1, 3), (1,)), ((2,), ())]
    whole = feedback(("".join(map(mirror, FEEDBACK)),), ("Nhận xét chung",))
    first = _first_scorer(src, whole, None, "en", "vi")
    skewed = _Scorer(first.src, first.tgt, 0.75, first.ev)
    assert _detach(skewed, steps, prior) == steps
