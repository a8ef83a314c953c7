"""Glossary matching, term pieces, MT-text escaping and the sentence splitter."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from vien import glossary as gl
from vien.glossary.entries import CsvGlossaryStore, Entry, Glossary, GlossaryError
from vien.glossary.masking import escape_markdown, missing_terms, pieces
from vien.mt import get_engine
from vien.mt.sentences import split
from vien.page.invariants import problems
from vien.page.parse import parse
from vien.page.render import render_text

G = Glossary(
    [
        Entry("CodePipeline", "CodePipeline"),
        Entry("AWS CodePipeline", "AWS CodePipeline"),
        Entry("ECS", "ECS"),
        Entry("Amazon ECS", "Amazon ECS"),
        Entry("blue/green deployment", "blue/green deployment", "keep", False),
        Entry("deployment strategy", "chiến lược triển khai", "translate", False),
        Entry("DORA", "DORA"),
    ]
)


def found(text: str, lang: str = "en") -> list[str]:
    return [m.text for m in G.find(text, lang)]


def test_memo_answers_as_matching_does_and_ends_with_its_block() -> None:
    texts = [
        "Use AWS CodePipeline, then CodePipeline again.",
        "chiến lược triển khai của ECS",
        "A deployment strategy for Amazon ECS",
        "Cafe\u0301 DORA",
    ]
    plain = [(G.find(x, "en"), G.find(x, "vi"), G.find_each(x, gl.LANGS)) for x in texts]
    with G.memo():
        for _ in range(2):  # the second round answers from the memo
            assert [
                (G.find(x, "en"), G.find(x, "vi"), G.find_each(x, gl.LANGS)) for x in texts
            ] == plain
        with G.memo():  # nested: the same memo
            assert G.find(texts[0], "en") is G.find(texts[0], "en")
        assert G._memo
    assert G._memo is None


def test_longest_match_wins_and_word_boundaries_hold() -> None:
    assert found("Use AWS CodePipeline, then CodePipeline again.") == [
        "AWS CodePipeline",
        "CodePipeline",
    ]
    assert found("Amazon ECS and ECS") == ["Amazon ECS", "ECS"]
    assert found("ECSX, xECS, DORAmetrics") == []


def test_terms_sharing_a_first_token_match_longest_first() -> None:
    """Candidates are narrowed by the token after the first: a longer term whose second
    token follows, or the one-token term, or none; the last token of a text has no next."""
    g = Glossary(
        [
            Entry("AWS", "AWS"),
            Entry("AWS Lambda", "AWS Lambda"),
            Entry("AWS Lambda Layers", "AWS Lambda Layers"),
            Entry("AWS Glue", "AWS Glue"),
            Entry("Amazon S3 bucket", "bucket Amazon S3", "translate", False),
        ]
    )
    text = "AWS Lambda Layers, AWS Lambda functions, AWS Glue jobs, AWS Batch and AWS"
    assert [m.text for m in g.find(text, "en")] == [
        "AWS Lambda Layers",
        "AWS Lambda",
        "AWS Glue",
        "AWS",
        "AWS",
    ]
    assert [m.text for m in g.find("an Amazon S3 bucket, Amazon S3, Amazon", "en")] == [
        "Amazon S3 bucket"
    ]


def test_case_sensitivity_is_per_entry() -> None:
    assert found("codepipeline ecs Dora") == []  # sensitive entries
    assert found("A Blue/Green Deployment and a Deployment Strategy") == [
        "Blue/Green Deployment",
        "Deployment Strategy",
    ]


def test_vietnamese_side_matches_renderings_in_nfc_and_nfd() -> None:
    text = "Chọn chiến lược triển khai cho ECS"
    assert [m.entry.en for m in G.find(text, "vi")] == ["deployment strategy", "ECS"]
    nfd = unicodedata.normalize("NFD", text)
    spans = [(m.start, m.end) for m in G.find(nfd, "vi")]
    assert [unicodedata.normalize("NFC", nfd[a:b]) for a, b in spans] == [
        "chiến lược triển khai",
        "ECS",
    ]


def test_csv_round_trip_and_errors(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    CsvGlossaryStore.dump(G, path)
    again = CsvGlossaryStore.load(path)
    assert sorted(again.entries, key=lambda e: e.en) == sorted(G.entries, key=lambda e: e.en)
    assert again.version == G.version
    bad = tmp_path / "bad.csv"
    bad.write_text("en,vi,mode,case,note,status\nfoo,foo,translate,sensitive,,\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match=r"bad.csv:2: translate-mode term 'foo'"):
        CsvGlossaryStore.load(bad)
    bad.write_text("en,vi,mode\nfoo,,skip\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match="mode must be keep or translate"):
        CsvGlossaryStore.load(bad)


def test_version_changes_with_any_term() -> None:
    changed = Glossary([*G.entries[:-1], Entry("DORA", "DORA", "keep", False)])
    assert changed.version != G.version


def test_shipped_glossary_loads_and_is_large() -> None:
    g = gl.load()
    assert len(g) >= 250
    modes = {e.mode for e in g.entries}
    assert modes == {"keep", "translate"}


def test_pieces_mark_terms_and_protected_spans_with_glue() -> None:
    seg = parse("Use **AWS CodePipeline**, a deployment strategy and `ecs`.\n").segments[0]
    ps = pieces(seg, G, "en", "vi")
    fixed = [(p.kind, p.out, p.glue_left, p.glue_right) for p in ps if p.fixed]
    assert fixed == [
        ("protected", "**", False, True),
        ("keep", "AWS CodePipeline", True, True),
        ("protected", "**", True, True),
        ("translate", "chiến lược triển khai", False, False),
        ("protected", "`ecs`", False, True),
    ]


def test_pseudo_applies_the_glossary() -> None:
    doc = parse("## Deployment strategy for Amazon ECS\n\nPick a blue/green deployment.\n")
    engine = get_engine("pseudo", glossary=G)
    out = engine.translate(doc.segments, "en", "vi")
    assert out == ["Chiến lược triển khai ⟦ƒöŕ⟧ Amazon ECS", "⟦Þîçķ à⟧ blue/green deployment."]
    assert [[a.target for a in used] for used in engine.last_applied] == [
        ["Chiến lược triển khai", "Amazon ECS"],
        ["blue/green deployment"],
    ]
    assert problems(doc, render_text(doc, dict(enumerate(out))), ordered=True) == []


def test_missing_terms_counts_occurrences() -> None:
    seg = parse("ECS and ECS\n").segments[0]
    used = [p for p in pieces(seg, G, "en", "vi") if p.fixed]
    from vien.glossary.masking import applied_terms

    applied = applied_terms(used)
    assert missing_terms("ECS và ECS", applied) == []
    assert [a.target for a in missing_terms("ECS và", applied)] == ["ECS", "ECS"]


@pytest.mark.parametrize(
    "text",
    [
        "a *b* _c_ `d` <e> [f](g) &amp; ~~h~~ {{< i >}} | j",
        "# not a heading",
        "- not a list",
        "1. not a list",
        "> not a quote",
        "see https://example.com and www.aws.com or me@example.org",
    ],
)
def test_escaped_mt_text_is_plain_text(text: str) -> None:
    doc = parse(escape_markdown(text) + "\n")
    assert [b.kind for b in doc.blocks()] == ["paragraph"]
    kinds = {p.kind for s in doc.segments for p in s.parts}
    assert kinds <= {"text", "escape"}, kinds


def test_sentence_splitter() -> None:
    assert split("Open the console. Then click Next! Is it 3.1.2? Yes, e.g. ECS.") == [
        "Open the console.",
        "Then click Next!",
        "Is it 3.1.2?",
        "Yes, e.g. ECS.",
    ]
    assert split("Dùng ECS. Sau đó chọn v.v. Bước 2: xong") == [
        "Dùng ECS.",
        "Sau đó chọn v.v. Bước 2: xong",
    ]
    assert split("no split here. lowercase next") == ["no split here. lowercase next"]
