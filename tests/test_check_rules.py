"""#15: which untranslated segments of a Vietnamese page are errors (prose a maintainer would
change) and which are kept or warnings (console labels, names, keywords). Small original
pages, checked with :func:`vien.check.untranslated.untranslated` directly."""

from __future__ import annotations

from vien.check.untranslated import untranslated
from vien.glossary.entries import load as load_glossary
from vien.page.parse import parse

GLOSSARY = load_glossary(None)


def levels(body: str) -> dict[str, str]:
    """The level of each untranslated segment of a Vietnamese page, by its plain text."""
    doc = parse("---\ntitle: Trang thử\n---\n" + body)
    return {" ".join(u.seg.plain.split()): u.level for u in untranslated(doc, "vi", GLOSSARY)}


def errors(body: str) -> set[str]:
    return {text for text, lvl in levels(body).items() if lvl == "error"}


VI_INTRO = "## Giới thiệu\n\nTrang này hướng dẫn cách tạo một nhóm người dùng cho ứng dụng.\n\n"


def test_console_labels_under_vietnamese_steps_are_no_error() -> None:
    """English console labels between the writer's own Vietnamese steps leave no section
    untranslated: the section has Vietnamese in it and no English sentence."""
    body = VI_INTRO + (
        "## Nhóm người dùng\n\n"
        "Bước 1: AWS Console → Cognito → User pools\n\n"
        "- Create user pool\n- Pool display name: demo\n- Create app client\n"
        "- Sign-in identifiers: Email\n\n"
        "Bước 2: Create App Client\n"
    )
    assert not errors(body), levels(body)


def test_a_section_left_in_english_reports_its_labels_and_steps() -> None:
    """A section with no Vietnamese and English sentences was left untranslated: its lead-in
    labels and paragraphs all in emphasis are part of it, errors like its sentences."""
    body = VI_INTRO + (
        "## Reflection\n\n"
        "The internship taught me how to plan a release with a real team.\n\n"
        "Team Habits:\n\n"
        "- We reviewed every change before it was merged.\n"
        "- Career:\n\n"
        "**2. Weekly Rhythm**\n\n"
        "Every Monday we planned the week and wrote down what we would ship.\n"
    )
    got = errors(body)
    assert {"Team Habits:", "Career:", "2. Weekly Rhythm"} <= got, levels(body)


def test_an_instruction_whose_object_is_a_name_is_an_error() -> None:
    """An instruction verb and a name ("Delete SNS topic:") is an instruction, even on a page
    that uses the verb as a loanword in its own sentences."""
    body = VI_INTRO + (
        "## Dọn dẹp\n\n"
        "Bạn cần check lại quyền trước khi xóa tài nguyên.\n\n"
        "Delete SNS topic:\n\n"
        "```bash\naws sns delete-topic --topic-arn arn\n```\n\n"
        "| Lỗi | Cách xử lý |\n|---|---|\n| Quyền bị từ chối | Check IAM policies |\n"
    )
    assert {"Delete SNS topic:", "Check IAM policies"} <= errors(body), levels(body)


def test_verbs_by_their_ending_and_function_words_between_values() -> None:
    """ "Visualize …", "Simplify …" start instructions (English verbs end in -ize, -ify);
    nothing but function words between two values ("`a` or just `b`") is English text."""
    body = VI_INTRO + (
        "## Phân tích\n\n"
        "Các bước kiểm tra kết quả của mô hình như sau.\n\n"
        "- Visualize embeddings (t-SNE, UMAP)\n\n"
        "| Thông số | Giá trị |\n|---|---|\n| Tên máy chủ | `repl-a` or just `repl` |\n"
    )
    got = levels(body)
    assert got.get("Visualize embeddings (t-SNE, UMAP)") == "error", got
    assert got.get("or just") == "error", got


def test_unmarked_vietnamese_names_and_keywords_are_no_error() -> None:
    """Vietnamese grammar written without marks ("Trong …"), a list of speakers with their
    roles ending in a full stop, and capitalised keywords joined by slashes are no error."""
    body = VI_INTRO + (
        "## Diễn giả\n\n"
        "Các diễn giả của sự kiện gồm những người sau đây.\n\n"
        "- **Ms. Lan Pham** – Solutions Architect, Example Cloud.\n"
        "- Trong Inbound rules, click Add rule.\n"
        "- Format: Given/When/Then/And syntax\n"
    )
    assert not errors(body), levels(body)


def test_product_and_feature_names_are_kept() -> None:
    """A product's name with one or two words of its own ("OAuth Refresh Tokens", a link to
    the page on "AWS Transit Gateway") is kept as named; a sentence that names one is not."""
    body = VI_INTRO + (
        "## Tài liệu tham khảo\n\n"
        "Các tài liệu dưới đây giúp bạn hiểu thêm về chủ đề này.\n\n"
        "- [AWS Transit Gateway](/tgw/)\n- OAuth Refresh Tokens\n- AWS CloudTrail for Bedrock\n"
        "- Configure the AWS Transit Gateway route tables\n"
    )
    got = levels(body)
    assert got == {"Configure the AWS Transit Gateway route tables": "error"}, got


def test_a_phrase_of_lowercase_words_is_prose_a_label_is_not() -> None:
    """Four words with a function word and lowercase words ("AWS documentation and project
    materials") are a phrase to translate; a capitalised console label is not."""
    body = VI_INTRO + (
        "## Tuần 3\n\n"
        "Trong tuần này nhóm tập trung đọc tài liệu và chuẩn bị môi trường.\n\n"
        "| Ngày | Nội dung | Tài liệu |\n|---|---|---|\n"
        "| Thứ hai | Đọc tài liệu về mạng | AWS documentation and project materials |\n"
        "| Thứ ba | Tạo máy chủ | Instance Type and Size |\n"
    )
    got = levels(body)
    assert got.get("AWS documentation and project materials") == "error", got
    assert got.get("Instance Type and Size") != "error", got


def test_talk_titles_of_an_agenda_are_kept_as_named() -> None:
    """An agenda's entries give each talk's name after its time: names, kept in English
    in a Vietnamese event report, reported at no level; an agenda line in plain English
    words is still text to translate."""
    body = VI_INTRO + (
        "## Chương trình\n\n"
        "### 09:00 - 09:30: Context Is Everything: Making Search Work for You\n\n"
        "Diễn giả trình bày cách đưa ngữ cảnh vào hệ thống tìm kiếm.\n\n"
        "### 10:40 - 10:55: Friendly Assistant with Amazon Quick\n\n"
        "Phần trình diễn ngắn về trợ lý ảo.\n\n"
        "- 8:30 AM: Opening Keynote by Cloud Leaders\n"
        "- 12:00 - 13:00: lunch break and networking with the speakers outside\n"
    )
    got = levels(body)
    assert not any("Context Is Everything" in t or "Opening Keynote" in t for t in got), got
    assert not any("Friendly Assistant" in t for t in got), got
    assert any("lunch break" in t for t in got), got
