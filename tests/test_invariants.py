"""The equivalence check refuses every kind of damage, and translate never writes it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from conftest import hugo_config
from vien.errors import InvariantError
from vien.page.invariants import ensure_equivalent, problems
from vien.page.model import Segment
from vien.page.parse import parse
from vien.page.render import render_text
from vien.translate.batch import run

PAGE = """---
title: "Create a bucket"
weight: 2
pre: " <b> 2. </b> "
---

## Create the bucket {#create}

Run `aws s3 mb s3://<your-bucket-name>` and open https://console.aws.amazon.com/s3/.

- Choose **Create bucket**.
- See [the guide](https://docs.aws.amazon.com/s3/ "S3").

{{% notice info %}}
Buckets are private by default.
{{% /notice %}}

```bash
aws s3 ls
```
"""


def damaged(edit: dict[str, str]) -> list[str]:
    """Apply text replacements inside segments only, as a faulty engine would."""
    doc = parse(PAGE)
    new = {}
    for seg in doc.segments:
        text = seg.text
        for old, rep in edit.items():
            text = text.replace(old, rep)
        new[seg.index] = text
    return problems(doc, render_text(doc, new))


def test_a_clean_translation_passes() -> None:
    assert damaged({"private": "riêng tư", "Choose": "Chọn", "Run": "Chạy"}) == []


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        ({"`aws s3 mb s3://<your-bucket-name>`": "`aws s3 mb`"}, "protected spans changed"),
        (
            {"https://console.aws.amazon.com/s3/": "https://console.aws.amazon.com/"},
            "protected spans changed",
        ),
        (
            {'(https://docs.aws.amazon.com/s3/ "S3")': "(https://example.org)"},
            "protected spans changed",
        ),
        ({"**": ""}, "protected spans changed"),
        ({"Choose": "\n\n# Choose"}, "headings changed"),
        ({"Buckets are private": "1. Buckets are private"}, "block structure changed"),
        ({"{#create}": "{#tao}"}, "protected spans changed"),
    ],
)
def test_damage_is_refused(edit: dict[str, str], expected: str) -> None:
    found = damaged(edit)
    assert any(expected in p for p in found), found


def test_front_matter_values_outside_translatable_keys_are_guarded() -> None:
    doc = parse(PAGE)
    out = render_text(doc, {}).replace('pre: " <b> 2. </b> "', 'pre: " <b> 3. </b> "')
    assert any("text outside translatable segments changed" in p for p in problems(doc, out))


def test_ordered_mode_requires_the_same_order_of_protected_spans() -> None:
    doc = parse("Use `a` then `b`.\n")
    swapped = render_text(doc, {0: "Dùng `b` rồi `a`."})
    assert problems(doc, swapped) == []  # machine translation may reorder
    assert any("order changed" in p for p in problems(doc, swapped, ordered=True))
    with pytest.raises(InvariantError, match="not written, the page is left as it is"):
        ensure_equivalent(doc, swapped, ordered=True, path="p.md")


class DroppingEngine:
    """Drops inline code from every segment: the kind of damage MT does."""

    name = "dropping"
    ordered = False

    def translate(self, segments: Sequence[Segment], source: str, target: str) -> list[str]:
        return ["".join(p.text for p in s.parts if p.kind != "code") for s in segments]


def test_translate_refuses_to_write_a_page_that_breaks_invariants(tmp_path: Path) -> None:
    content = tmp_path / "content"
    content.mkdir()
    hugo_config(tmp_path)
    (content / "good.md").write_text("Plain words only.\n")
    (content / "bad.md").write_text("Run `aws s3 ls` now.\n")
    summary = run(content, "vi", DroppingEngine())
    by_name = {r.source.name: r for r in summary.results}
    assert by_name["good.md"].status == "written"
    assert by_name["bad.md"].status == "failed"
    assert "protected spans changed" in by_name["bad.md"].message
    assert (content / "good.vi.md").exists()
    assert not (content / "bad.vi.md").exists()
    assert summary.failed
