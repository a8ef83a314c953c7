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


def test_a_console_path_that_says_something_is_prose() -> None:
    """Arrows between console pages name them ("Lambda → Test → Create new event" is kept);
    a step that is an instruction ("Go to …") or a clause ("If … of …") makes the item a
    sentence to translate."""
    body = VI_INTRO + (
        "## Kiểm thử\n\n"
        "Các bước dưới đây kiểm tra hàm vừa tạo trên giao diện quản trị.\n\n"
        "- Mở giao diện quản trị và đăng nhập.\n"
        "- Chọn hàm vừa tạo trong danh sách.\n"
        "- Functions → Test → Create new event\n"
        "- Console → Functions → Upload from → .zip file\n"
        "- Go to Settings → Edit variables\n"
        "- If half of the visitors sign up → 40 accounts/day\n"
    )
    got = levels(body)
    assert "Functions → Test → Create new event" not in got, got
    assert "Console → Functions → Upload from → .zip file" not in got, got
    assert got.get("Go to Settings → Edit variables") == "error", got
    assert got.get("If half of the visitors sign up → 40 accounts/day") == "error", got


def test_field_labels_under_an_english_heading_are_a_section_left_in_english() -> None:
    """A section whose heading and text are all English field labels ("Full Name: …",
    "Role: …") was left untranslated: each label is an error. The same labels under a
    Vietnamese heading are the console's fields, kept."""
    fields = "- Full Name: Tran Quoc Bao\n- Home Town: Hue\n- Role: Volunteer\n- Class: 12A1\n"
    left = VI_INTRO + "## Personal Details\n\n" + fields
    want = {"Full Name: Tran Quoc Bao", "Home Town: Hue", "Role: Volunteer", "Class: 12A1"}
    assert want <= errors(left), levels(left)
    kept = VI_INTRO + "## Thông tin cá nhân\n\n" + fields
    assert not errors(kept), levels(kept)
    # a table headed in Vietnamese was translated; its short English notes were kept
    notes = "| Service | Ghi chú |\n|---|---|\n| Queue Service | Message queuing |\n"
    notes += "| Workflow Engine | Workflow orchestration |\n"
    table = VI_INTRO + "## Messaging\n\n" + notes
    assert not errors(table), levels(table)


def test_short_items_of_a_section_left_in_english_are_part_of_it() -> None:
    """In a section left in English, a table's one-word cells ("Rare", "Severe"), its short
    title-case items and steps, and terms that the glossary translates are errors like
    its sentences; a one-word cell that the page
    uses as a loanword in its Vietnamese text, or a verb to click ("Enable"), is not."""
    body = VI_INTRO + (
        "Nhóm dùng Kafka để nhận sự kiện từ các dịch vụ.\n\n"
        "## Risk Review\n\n"
        "We listed the risks of the rollout and how likely each one is.\n\n"
        "Each risk has an owner who tracks it every week.\n\n"
        "**Mitigation Plan Overview**\n\n"
        "| Risk | Likelihood | Impact | Alert |\n|---|---|---|---|\n"
        "| Broker outage | Rare | Severe | Enable |\n| Schema drift | Kafka | Minor | Enable |\n"
        "- Shared ownership\n- **Create Weekly Summary**\n- Accept the Changes\n"
        "- Goals for the Next Quarter\n- Workshop implementation\n- Cost optimization\n"
    )
    got = errors(body)
    want = {"Rare", "Severe", "Minor", "Mitigation Plan Overview", "Shared ownership"}
    want |= {"Create Weekly Summary", "Accept the Changes", "Goals for the Next Quarter"}
    # one English word beside a term; a term the glossary translates
    want |= {"Workshop implementation", "Cost optimization"}
    assert want <= got, levels(body)
    assert "Kafka" not in got and "Enable" not in got, levels(body)


def test_adverb_verb_predicates_make_prose() -> None:
    """An adverb in -ly before a verb ("Successfully deployed …") makes an item prose, though
    it has no article or auxiliary; an adjective in -ly before a noun does not."""
    body = VI_INTRO + (
        "## Kết quả\n\n"
        "Sau đợt thực tập, nhóm đạt được những kết quả sau.\n\n"
        "- Nhóm viết tài liệu hướng dẫn cho người mới.\n"
        "- Mọi thay đổi đều được xem xét trước khi gộp.\n"
        "- Nhóm họp mỗi sáng để chia việc.\n"
        "- Successfully deployed staging cluster\n"
        "- Quietly improve release confidence\n"
        "- Weekly report\n"
    )
    got = levels(body)
    assert got.get("Successfully deployed staging cluster") == "error", got
    assert got.get("Quietly improve release confidence") == "error", got
    assert got.get("Weekly report") != "error", got


def test_links_to_outside_documents_keep_their_titles() -> None:
    """A list of references links to outside documents by their own titles, which are not
    the site's text; a link to one of the site's pages in English is a title to translate."""
    body = VI_INTRO + (
        "## Tài liệu tham khảo\n\n"
        "Các tài liệu dưới đây giúp bạn đọc thêm về chủ đề này.\n\n"
        "- [Writing Good Release Notes for Busy Teams](https://example.org/notes)\n"
        "- [Setting up the build agent](../build-agent/)\n"
    )
    got = levels(body)
    assert not any("Release Notes" in t for t in got), got
    assert got.get("Setting up the build agent") == "warning", got


def test_a_verb_in_ing_with_its_object_is_prose() -> None:
    """A cell that describes an activity by a verb in -ing and its object ("Mentoring new
    members, sharing lessons") is a verb phrase to translate; a gerund used as a noun in a
    short label ("Logging configuration") is not."""
    body = VI_INTRO + (
        "## Tự đánh giá\n\n"
        "Bảng dưới đây tóm tắt những gì em đã làm được trong kỳ thực tập.\n\n"
        "| Tiêu chí | Mô tả |\n|---|---|\n"
        "| Tinh thần đồng đội | Mentoring interns, sharing weekly lessons |\n"
        "| Cấu hình | Logging configuration |\n"
        "| Bộ đệm | Caching layers: memory, disk, remote stores |\n"
        "| Giao tiếp | Trình bày rõ ràng trong các buổi họp nhóm |\n"
        "| Chủ động | Tự tìm hiểu tài liệu khi gặp vấn đề mới |\n"
    )
    got = levels(body)
    assert got.get("Caching layers: memory, disk, remote stores") != "error", got
    assert got.get("Mentoring interns, sharing weekly lessons") == "error", got
    assert got.get("Logging configuration") != "error", got


def test_captions_and_lead_in_lines_in_english_are_prose() -> None:
    """A caption numbered in English ("Figure 3: …") and a lead-in line whose words a
    preposition binds ("Kinds of Queue Consumers:") are English grammar, errors; a field
    with its value after the colon and a label of two words are not."""
    body = VI_INTRO + (
        "## Kiến trúc\n\n"
        "Sơ đồ dưới đây mô tả luồng dữ liệu giữa các thành phần của hệ thống.\n\n"
        "*Figure 3: Example Queue consumer pool overview*\n\n"
        "Kinds of Queue Consumers:\n\n"
        "- Worker dùng để xử lý tin nhắn theo lô.\n\n"
        "Expected number of workers: `4`\n\n"
        "Sample Output:\n"
    )
    got = levels(body)
    assert got.get("Figure 3: Example Queue consumer pool overview") == "error", got
    assert got.get("Kinds of Queue Consumers:") == "error", got
    assert got.get("Expected number of workers:") != "error", got
    assert got.get("Sample Output:") != "error", got


def _alone(item: str, cell: bool = False) -> str | None:
    """The level of one English item among the writer's own Vietnamese items."""
    if cell:
        rows = ["Giám sát | Theo dõi nhật ký của từng dịch vụ", "Sao lưu | Chạy mỗi đêm"]
        body = "| Biện pháp | Mô tả |\n|---|---|\n" + "".join(
            f"| {r} |\n" for r in [*rows, f"Khác | {item}"]
        )
    else:
        items = ["Nhóm họp mỗi sáng để chia việc.", "Mọi thay đổi đều được xem xét."]
        body = "".join(f"- {i}\n" for i in [*items, item])
    page = VI_INTRO + "## Bảo mật\n\nDưới đây là các biện pháp mà nhóm đã áp dụng.\n\n" + body
    return levels(page).get(item)


def test_phrases_bound_by_english_grammar_are_prose() -> None:
    """Among Vietnamese items, a phrase of five words bound by a preposition ("through") or
    of three with a lowercase word ("Terminal (PyCharm) with plugins"), an
    enumeration with a serial "and" in a cell, an explanation with "e.g." or "etc.", and a
    verb before an adjective ("Reject dangerous …") are English to translate; a console
    option value and a list of domain names in title case are not errors."""
    assert _alone("Faster releases through careful change review") == "error"
    assert _alone("Terminal (PyCharm) with plugins") == "error"
    assert _alone("Migration with Terraform, CDK, Pulumi") != "error"  # a preposition and names
    assert _alone("Enter nickname (e.g., Admin)") == "error"
    assert _alone("Code review (linters, etc.)") == "error"
    assert _alone("Traces, counters, gauges, and dashboards", cell=True) == "error"
    assert _alone("Reject dangerous uploads automatically", cell=True) == "error"
    assert _alone("Dev or Test workload", cell=True) != "error"
    assert _alone("Privacy, Safety, and Compliance", cell=True) != "error"
    assert _alone("Shipping logs") != "error"


def test_a_vietnamese_step_in_an_english_page_is_untranslated() -> None:
    """A Vietnamese verb that starts a step ("Nhấn", "Chọn") makes an item of an English page
    Vietnamese, though the rest are console names; a capitalised Vietnamese name is kept."""
    doc = parse(
        "---\ntitle: Test page\n---\n## Steps\n\nThis page shows how to create a queue.\n\n"
        "- Nhấn Create queue button\n- Chọn dead-letter queue → Click Save\n"
        "- Ask Lê Minh for the account id\n"
    )
    got = {" ".join(u.seg.plain.split()): u.level for u in untranslated(doc, "en", GLOSSARY)}
    assert got.get("Nhấn Create queue button") == "error", got
    assert got.get("Chọn dead-letter queue → Click Save") == "error", got
    assert not any("Lê Minh" in t for t in got), got


def test_a_value_that_is_a_sentence_or_a_step_is_prose() -> None:
    """A short cell that ends with a full stop ("Tested retries on Orders.") is a sentence,
    not an option value as the console shows it; a field whose value is a step ("Step 2:
    Visit the console", "Logs: Delete old streams") is an instruction, not a field and
    its value ("Bước 3: Create App Client")."""
    assert _alone("Tested retries on Orders.", cell=True) == "error"
    assert _alone("Retried on Orders", cell=True) != "error"
    assert _alone("Logs: Delete old streams") == "error"
    assert _alone("Cache: Adjust expiry time") == "error"  # "adjust": a verb, never a noun
    body = VI_INTRO + (
        "## Bắt đầu\n\nPhần này hướng dẫn bạn đăng nhập vào tài khoản.\n\n"
        "Step 2: Visit the console\n\nBước 3: Create App Client\n\n"
        "Sau đó bạn chọn vùng gần nhất với mình.\n"
    )
    assert levels(body) == {"Step 2: Visit the console": "error"}, levels(body)


def test_one_word_beside_a_translated_term_in_a_section_left_in_english() -> None:
    """In a section left in English, an item of one own word beside a term that the
    glossary translates ("Proactive monitoring"), or names bound by a preposition ("Login
    via Okta or SSO"), is part of the section; a lead-in line of
    lowercase words ("The dashboard shows three panels:") is English prose anywhere."""
    body = VI_INTRO + (
        "## Operations Review\n\n"
        "We reviewed how the team runs the service every week.\n\n"
        "Each alert has an owner who answers it within an hour.\n\n"
        "- Proactive monitoring (CloudWatch)\n- Weekly reports\n- Login via Okta or SSO\n\n"
        "## Bảng điều khiển\n\n"
        "Bảng điều khiển giúp nhóm theo dõi hệ thống mỗi ngày.\n\n"
        "Grafana dashboard shows three useful panels:\n\n"
        "- Số lượng yêu cầu mỗi phút.\n"
    )
    got = errors(body)
    assert "Proactive monitoring (CloudWatch)" in got, levels(body)
    assert "Login via Okta or SSO" in got, levels(body)  # a preposition: no name
    assert "Grafana dashboard shows three useful panels:" in got, levels(body)


def test_a_paragraph_of_capitalised_fields_is_too_long_for_a_title() -> None:
    """Twenty capitalised words in one paragraph ("Full Name: … University: … Major: …") are
    no title or name, however capitalised: English text to translate."""
    text = (
        "Full Name: Tran Van Minh Email: University: Da Nang University of Science Major: "
        "Data Science Class: Internship Company: Example Cloud Solutions Limited Internship "
        "Role: Backend Developer Intern"
    )
    body = VI_INTRO + (
        "## Hồ sơ\n\nPhần này giới thiệu người viết và nơi thực tập.\n\n"
        + text
        + "\n\nEm học ngành khoa học dữ liệu tại trường.\n"
    )
    assert levels(body) == {text: "error"}, levels(body)
