"""``langid.words``: the words a segment's language is judged on, identifiers left out."""

from __future__ import annotations

import pytest
from vien.check.langid import words
from vien.page.parse import parse


def _words(text: str) -> list[str]:
    doc = parse(text + "\n")
    return words(doc.segments[-1])


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Deploy to us-east-1 now", ["Deploy", "to", "now"]),  # a digit
        ("Set max_size here", ["Set", "here"]),  # an underscore
        ("Copy jdbc.jar there", ["Copy", "there"]),  # a dot between letters
        ("Open aurora-mysql-target first", ["Open", "first"]),  # two hyphens
        ("Read this. Then stop", ["Read", "this", "Then", "stop"]),  # a full stop ends a sentence
        ("A well-known name", ["A", "well", "known", "name"]),  # one hyphen is a word's
        ("Xem tài-liệu. Đọc thêm", ["Xem", "tài", "liệu", "Đọc", "thêm"]),
        ("Mở tệp cấu.hình rồi", ["Mở", "tệp", "rồi"]),  # Vietnamese letters around a dot
    ],
)
def test_identifiers_are_no_words(text: str, kept: list[str]) -> None:
    assert _words(text) == kept


def test_names_are_no_words() -> None:
    """CamelCase words and acronyms are names; a capitalised word is not."""
    assert _words("The CloudFront and IAM pages list Users here") == [
        "The",
        "and",
        "pages",
        "list",
        "Users",
        "here",
    ]


def test_terms_and_code_are_blanked() -> None:
    """Inline code glued to letters is one identifier; code apart is left out alone."""
    assert _words("Run `ls` then x`y`z and stop") == ["Run", "then", "and", "stop"]
