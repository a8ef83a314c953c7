"""`vien check`: findings by kind, exit codes, formats, baselines, stale and changed-only."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from vien import glossary
from vien.check.run import check
from vien.cli.main import main

EN = """---
title: "Deploy the pipeline"
weight: 1
---

This page shows how to deploy the application with AWS CodePipeline and check the result.

## Create the bucket

Open the console and create a new bucket for the build artifacts of the application.

```bash
aws s3 mb s3://my-bucket
```

## Configure the pipeline

Choose the source stage and connect the repository that holds the application code.

- Select the branch that you want to deploy.
- Review the settings and create the pipeline.

## Clean up

Delete the bucket and the pipeline when you are done with the workshop.
"""

VI = """---
title: "Triển khai pipeline"
weight: 1
---

Trang này hướng dẫn cách triển khai ứng dụng với AWS CodePipeline và kiểm tra kết quả.

## Tạo bucket

Mở bảng điều khiển và tạo một bucket mới để lưu các build artifacts của ứng dụng.

```bash
aws s3 mb s3://my-bucket
```

## Cấu hình pipeline

Chọn giai đoạn nguồn và kết nối kho mã chứa mã nguồn của ứng dụng.

- Chọn nhánh mà bạn muốn triển khai.
- Xem lại các thiết lập và tạo pipeline.

## Dọn dẹp

Xóa bucket và pipeline khi bạn đã hoàn thành workshop.
"""


def line(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


CONFIG = 'defaultContentLanguage = "en"\n[languages.en]\nweight = 1\n[languages.vi]\nweight = 2\n'


def site(tmp_path: Path, en: str = EN, vi: str | None = VI, name: str = "page") -> Path:
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True, exist_ok=True)
    (root / "hugo.toml").write_text(CONFIG)
    (root / "content" / f"{name}.md").write_text(en)
    if vi is not None:
        (root / "content" / f"{name}.vi.md").write_text(vi)
    return root


def run(
    *args: str | Path, color: bool = False, env: dict[str, str] | None = None
) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", *map(str, args)], color=color, env=env)
    return result.exit_code, result.output


def stdout(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", *map(str, args)])
    return result.exit_code, result.stdout


def findings(root: Path, *extra: str) -> list[dict[str, object]]:
    code, out = stdout(root, "--format", "json", "-q", *extra)
    assert code in (0, 1), out
    return json.loads(out)["findings"]


def test_clean_pair_exits_0(tmp_path: Path) -> None:
    code, out = run(site(tmp_path))
    assert code == 0, out
    assert "0 error(s), 0 warning(s)" in out


def test_json_schema_is_the_documented_one(tmp_path: Path) -> None:
    vi = VI.replace(
        "Xóa bucket và pipeline khi bạn đã hoàn thành workshop.",
        "Delete the bucket and the pipeline when you are done with the workshop.",
    )
    code, out = stdout(site(tmp_path, vi=vi), "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert set(data) >= {"findings", "summary"}
    (f,) = data["findings"]
    assert set(f) == {"kind", "severity", "file", "line", "section", "message"}
    assert (f["kind"], f["severity"], f["line"], f["section"]) == (
        "untranslated",
        "error",
        line(vi, "Delete the bucket"),
        "Dọn dẹp",
    )
    assert f["file"].endswith("page.vi.md")
    assert data["summary"]["errors"] == 1 and data["summary"]["by_kind"] == {"untranslated": 1}


def test_untranslated_bullet_and_vietnamese_in_english_page(tmp_path: Path) -> None:
    vi = VI.replace(
        "- Chọn nhánh mà bạn muốn triển khai.", "- Select the branch that you want to deploy."
    )
    en = EN.replace(
        "- Review the settings and create the pipeline.", "- Xem lại các thiết lập và tạo pipeline."
    )
    got = {
        (f["file"].rsplit("/", 1)[-1], f["line"], f["kind"])
        for f in findings(site(tmp_path, en=en, vi=vi))
    }
    assert got == {
        ("page.vi.md", line(vi, "- Select"), "untranslated"),
        ("page.md", line(en, "- Xem"), "untranslated"),
    }


def test_vietnamese_sentence_full_of_aws_terms_is_vietnamese(tmp_path: Path) -> None:
    vi = VI.replace(
        "Chọn giai đoạn nguồn và kết nối kho mã chứa mã nguồn của ứng dụng.",
        "Triển khai Blue/Green đến Amazon ECS với AWS CodeDeploy và CodePipeline.",
    )
    assert not [f for f in findings(site(tmp_path, vi=vi)) if f["kind"] == "untranslated"]


TABLE_EN = """
| Parameter | Value |
|---|---|
| High Availability | Dev or Test workload (Single-AZ) |
| Publicly accessible | No/unchecked |
| Stop task after full load | Don't stop |
| Description | leave blank |
| Turn on validation | Keep it unchecked |
| Use SSL | Checked for all DB targets |
"""
TABLE_VI = TABLE_EN.replace("| Parameter | Value |", "| Tham số | Giá trị |")


def test_console_values_in_a_table_are_kept_instructions_are_not(tmp_path: Path) -> None:
    """A short capitalised value cell with no word addressed to the reader is an option
    value as the console shows it; instructions in the same column are untranslated."""
    en = EN.replace("## Clean up", TABLE_EN + "\n## Clean up")
    vi = VI.replace("## Dọn dẹp", TABLE_VI + "\n## Dọn dẹp")
    got = {f["line"] for f in findings(site(tmp_path, en=en, vi=vi)) if f["kind"] == "untranslated"}
    assert got == {line(vi, "leave blank"), line(vi, "Keep it"), line(vi, "Checked for")}


def test_vietnamese_grammar_and_service_names(tmp_path: Path) -> None:
    """A heading with a Vietnamese function word among English terms is Vietnamese; an
    "Amazon X" service name copied from the source is a name, in the glossary or not."""
    en = EN.replace(
        "## Clean up",
        "## Build Docker Image for UI Service\n\nText.\n\n"
        "## Amazon Rekognition\n\nMore text.\n\n## Clean up",
    )
    vi = VI.replace(
        "## Dọn dẹp",
        "## Build Docker Image cho UI Service\n\nVăn bản.\n\n"
        "## Amazon Rekognition\n\nThêm văn bản.\n\n## Dọn dẹp",
    )
    assert not [f for f in findings(site(tmp_path, en=en, vi=vi)) if f["kind"] == "untranslated"]


def test_console_paths_are_names(tmp_path: Path) -> None:
    """Short steps between arrows are a console path or a setting and its value; a sentence
    with an arrow in it is still a sentence."""
    add = (
        "**EC2 → Load Balancers → Create Load Balancer**\n\n"
        "- All traffic → 0.0.0.0/0\n\n"
        "Open the console and choose the bucket you created → then delete every object.\n\n"
    )
    en = EN.replace("## Clean up", add + "## Clean up")
    vi = VI.replace("## Dọn dẹp", add + "## Dọn dẹp")
    got = {f["line"] for f in findings(site(tmp_path, en=en, vi=vi)) if f["kind"] == "untranslated"}
    assert got == {line(vi, "Open the console")}


def test_a_page_left_in_english_reports_its_labels_too(tmp_path: Path) -> None:
    """Inside Vietnamese text a bold label or a short capitalised phrase is kept English on
    purpose; on a Vietnamese page left in English it is untranslated like the rest."""
    left = EN.replace(
        "## Clean up",
        "**Documentation:** [the guide](https://example.com/guide)\n\nServer Name\n\n## Clean up",
    )
    ours = VI.replace(
        "## Dọn dẹp",
        "**Documentation:** [hướng dẫn](https://example.com/guide)\n\nServer Name\n\n## Dọn dẹp",
    )
    lines = {line(left, "**Documentation"), line(left, "Server Name")}
    got = {f["line"] for f in findings(site(tmp_path, vi=left)) if f["kind"] == "untranslated"}
    assert lines <= got
    got = {
        f["line"] for f in findings(site(tmp_path / "2", vi=ours)) if f["kind"] == "untranslated"
    }
    assert not got & {line(ours, "**Documentation"), line(ours, "Server Name")}


def test_missing_section_located_where_it_belongs(tmp_path: Path) -> None:
    start, end = VI.index("## Cấu hình pipeline"), VI.index("## Dọn dẹp")
    vi = VI[:start] + VI[end:]
    (f,) = findings(site(tmp_path, vi=vi))
    assert (f["kind"], f["severity"], f["section"]) == (
        "missing-section",
        "error",
        "Configure the pipeline",
    )
    assert f["line"] == vi[: vi.index("## Dọn dẹp")].count("\n") + 1


def test_missing_and_orphan_pages(tmp_path: Path) -> None:
    root = site(tmp_path, vi=None)
    (root / "content" / "only.vi.md").write_text(VI)
    got = {(Path(str(f["file"])).name, f["kind"], f["severity"]) for f in findings(root)}
    assert got == {("page.md", "missing-page", "error"), ("only.vi.md", "missing-page", "warning")}


def test_structure_drift(tmp_path: Path) -> None:
    vi = VI.replace("```bash\naws s3 mb s3://my-bucket\n```\n\n", "")
    (f,) = findings(site(tmp_path, vi=vi))
    assert (f["kind"], f["severity"], f["section"], f["line"]) == (
        "structure",
        "warning",
        "Tạo bucket",
        line(vi, "## Tạo bucket"),
    )
    assert "code blocks 1→0" in str(f["message"])


def test_glossary_keep_term_altered_is_located(tmp_path: Path) -> None:
    vi = VI.replace("với AWS CodePipeline và", "với AWS Code Pipeline và")
    got = [f for f in findings(site(tmp_path, vi=vi)) if f["kind"] == "glossary"]
    assert len(got) == 1 and got[0]["line"] == line(vi, "Trang này"), got
    assert "'AWS CodePipeline' altered to 'AWS Code Pipeline'" in str(got[0]["message"])
    assert not [
        f for f in findings(site(tmp_path, vi=vi), "--no-glossary") if f["kind"] == "glossary"
    ]


def test_different_content_under_same_headings_is_reported(tmp_path: Path) -> None:
    vi = """# Trang khác

Trang này nói về Amazon RDS và Amazon DynamoDB, với 42 bảng và 7 chỉ mục.

## Tạo bucket

Mở AWS Lambda, chọn runtime Python 3.12 và đặt timeout 900 giây cho hàm xử lý.

```python
print("xin chào")
```

## Cấu hình pipeline

Tạo một Amazon SQS queue với dead-letter queue và retention 14 ngày.

- Bật Amazon CloudWatch alarm cho độ sâu của queue.
- Gửi cảnh báo qua Amazon SNS đến địa chỉ email của nhóm.

## Dọn dẹp

Xóa Amazon Route 53 hosted zone và AWS Certificate Manager certificate.
"""
    en = EN.replace('---\ntitle: "Deploy the pipeline"\nweight: 1\n---\n\n', "# Deploy\n\n")
    got = findings(site(tmp_path, en=en, vi=vi))
    assert [(f["kind"], f["severity"], f["line"]) for f in got] == [("structure", "error", 1)]
    assert "same headings" in str(got[0]["message"])


def test_fail_on_threshold(tmp_path: Path) -> None:
    root = site(tmp_path, vi=VI.replace("```bash\naws s3 mb s3://my-bucket\n```\n\n", ""))
    assert run(root)[0] == 0  # only a warning
    assert run(root, "--fail-on", "warning")[0] == 1
    root2 = site(tmp_path / "b", vi=None)
    assert run(root2, "--fail-on", "never")[0] == 0
    assert run(root2)[0] == 1


def test_input_and_usage_errors_exit_2(tmp_path: Path) -> None:
    root = site(tmp_path)
    (root / "content" / "bad.md").write_bytes(b"# Title\n\n\xff\xfe broken\n")
    code, out = run(root)
    assert code == 2 and "not UTF-8" in out
    assert run(tmp_path / "nope")[0] == 2
    (tmp_path / "empty").mkdir()
    code, out = run(tmp_path / "empty")
    assert code == 2 and "no pages found" in out
    assert run(site(tmp_path / "c"), "--to", "fr")[0] == 2
    assert run(site(tmp_path / "d"), "--write-baseline")[0] == 2
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    assert run(site(tmp_path / "e"), "--baseline", bad)[0] == 2
    assert run(site(tmp_path / "f"), "--baseline", tmp_path / "missing.json")[0] == 2


def test_baseline_accepts_known_findings_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vi = VI.replace(
        "- Chọn nhánh mà bạn muốn triển khai.", "- Select the branch that you want to deploy."
    )
    root = site(tmp_path, vi=vi)
    base = tmp_path / "baseline.json"
    code, out = run(root, "--baseline", base, "--write-baseline")
    assert code == 0 and base.exists()
    assert json.loads(base.read_text())["findings"][0]["kind"] == "untranslated"
    code, out = run(root, "--baseline", base)
    assert code == 0 and "1 accepted by the baseline" in out
    # lines above shift: still the same finding; from another working directory too
    page = root / "content" / "page.vi.md"
    page.write_text(
        page.read_text().replace("## Tạo bucket", "Thêm một đoạn mới ở đây.\n\n## Tạo bucket")
    )
    monkeypatch.chdir(root / "content")
    assert run(root, "--baseline", base)[0] == 0
    # a new finding is reported, the accepted one is not
    page.write_text(
        page.read_text().replace(
            "Xóa bucket và pipeline khi bạn đã hoàn thành workshop.",
            "Delete the bucket and the pipeline when you are done with the workshop.",
        )
    )
    code, out = stdout(root, "--baseline", base, "--format", "json")
    assert code == 1
    got = json.loads(out)["findings"]
    assert [f["section"] for f in got] == ["Dọn dẹp"]


def test_github_annotations(tmp_path: Path) -> None:
    vi = VI.replace(
        "Xóa bucket và pipeline khi bạn đã hoàn thành workshop.",
        "Delete the bucket, and the pipeline: 100% when you are done with the workshop.",
    )
    root = site(tmp_path, vi=vi)
    code, out = stdout(root, "--format", "github", "-q")
    assert code == 1
    (annotation,) = out.splitlines()
    assert annotation.startswith("::error file=")
    assert f",line={line(vi, 'Delete the')},title=vien untranslated%3A Dọn dẹp::" in annotation
    assert "100%25" in annotation, annotation


def test_colour_on_terminal_and_no_color(tmp_path: Path) -> None:
    root = site(tmp_path, vi=None)
    assert "\x1b[" in run(root, color=True)[1]
    assert "\x1b[" not in run(root, color=True, env={"NO_COLOR": "1"})[1]


def test_stale_from_lock(tmp_path: Path) -> None:
    root = site(tmp_path, vi=None)
    result = CliRunner().invoke(
        main, ["translate", str(root), "--to", "vi", "--engine", "pseudo", "-q"]
    )
    assert result.exit_code == 0, result.output
    assert not [f for f in findings(root) if f["kind"] == "stale"]
    page = root / "content" / "page.md"
    page.write_text(
        page.read_text().replace(
            "when you are done with the workshop", "when you have finished the workshop"
        )
    )
    got = [f for f in findings(root) if f["kind"] == "stale"]
    vi = (root / "content" / "page.vi.md").read_text()
    clean_up = vi[vi.rindex("\n## ") + 1 :].splitlines()[0]
    assert [(f["line"], "## " + str(f["section"])) for f in got] == [
        (line(vi, clean_up), clean_up)
    ], got


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_repository_with_no_commit_yet_has_no_history(tmp_path: Path) -> None:
    """`git init` and `git add`, nothing committed (what pre-commit sees on a first commit):
    the check runs as without git, it does not fail on `git log`."""
    root = site(tmp_path)
    git(root, "init", "-q")
    git(root, "add", ".")
    assert not findings(root)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_stale_and_changed_only_from_git(tmp_path: Path) -> None:
    root = site(tmp_path)
    (root / "content" / "other.md").write_text(EN)
    (root / "content" / "other.vi.md").write_text(VI)
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "both")
    assert not findings(root)
    page = root / "content" / "page.md"
    page.write_text(
        page.read_text().replace("for the build artifacts", "for the build and test artifacts")
    )
    git(root, "commit", "-q", "-am", "edit en")
    got = findings(root)
    assert [(Path(str(f["file"])).name, f["kind"], f["section"], f["line"]) for f in got] == [
        ("page.vi.md", "stale", "Tạo bucket", line(VI, "## Tạo bucket"))
    ]
    # --changed-only: only pairs touched since the ref
    (root / "content" / "other.vi.md").write_text(
        VI.replace(
            "Xóa bucket và pipeline khi bạn đã hoàn thành workshop.",
            "Delete the bucket and the pipeline when you are done with the workshop.",
        )
    )
    assert {Path(str(f["file"])).name for f in findings(root, "--changed-only", "HEAD")} == {
        "other.vi.md"
    }
    assert {Path(str(f["file"])).name for f in findings(root, "--changed-only", "HEAD~1")} == {
        "other.vi.md",
        "page.vi.md",
    }
    assert run(root, "--changed-only", "no-such-ref")[0] == 2


def test_no_git_runs_for_a_site_outside_any_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No folder above the site has a ``.git``: no repository, and git is not run to say so."""
    from vien.site.history import History

    root = site(tmp_path)

    def no_run(*args: object, **kw: object) -> None:
        raise AssertionError(f"git was run: {args}")

    monkeypatch.setattr(subprocess, "run", no_run)
    monkeypatch.delenv("GIT_DIR", raising=False)
    monkeypatch.delenv("GIT_WORK_TREE", raising=False)
    assert History.of(root) is None
    assert History.of(root / "content") is None


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_history_of_a_site_in_a_repository_however_git_finds_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ``.git`` folder above the site, a ``.git`` file (a separate git folder, as worktrees
    and submodules have), or ``GIT_DIR`` without either: git finds the repository."""
    from vien.site.history import History

    monkeypatch.delenv("GIT_DIR", raising=False)
    monkeypatch.delenv("GIT_WORK_TREE", raising=False)
    above = tmp_path / "repo"
    root = site(above / "docs")
    git(above, "init", "-q")
    git(above, "add", ".")
    git(above, "commit", "-q", "-m", "site")
    got = History.of(root / "content")
    assert got is not None and got.top == above.resolve()

    apart = site(tmp_path / "apart")
    git(apart, "init", "-q", "--separate-git-dir", str(tmp_path / "apart.git"))
    assert (apart / ".git").is_file()
    git(apart, "add", ".")
    git(apart, "commit", "-q", "-m", "site")
    got = History.of(apart)
    assert got is not None and got.top == apart.resolve()

    (apart / ".git").unlink()  # no .git entry: only the environment names the repository
    assert History.of(apart) is None
    monkeypatch.setenv("GIT_DIR", str(tmp_path / "apart.git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(apart))
    got = History.of(apart)
    assert got is not None and got.top == apart.resolve()


def test_changed_only_needs_git(tmp_path: Path) -> None:
    code, out = run(site(tmp_path), "--changed-only", "HEAD")
    assert code == 2 and "git" in out


def test_library_call_and_parallel_workers_agree(tmp_path: Path) -> None:
    root = site(
        tmp_path,
        vi=VI.replace(
            "- Chọn nhánh mà bạn muốn triển khai.", "- Select the branch that you want to deploy."
        ),
    )
    for k in range(6):
        shutil.copy(root / "content" / "page.md", root / "content" / f"p{k}.md")
        shutil.copy(root / "content" / "page.vi.md", root / "content" / f"p{k}.vi.md")
    terms = glossary.load()
    one = check(root, glossary=terms, workers=1)
    two = check(root, glossary=terms, workers=2)
    assert one.findings == two.findings and len(one.findings) == 7
    assert one.pairs == 7 and one.pages == 14


def test_a_site_of_some_fifty_pairs_is_checked_on_every_core(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From about 50 pairs (under a second of checking) a check uses a worker process per
    core, with the findings of one process."""
    import concurrent.futures
    import os

    root = site(tmp_path)
    for k in range(55):
        shutil.copy(root / "content" / "page.md", root / "content" / f"p{k}.md")
        shutil.copy(root / "content" / "page.vi.md", root / "content" / f"p{k}.vi.md")
    terms = glossary.load()
    one = check(root, glossary=terms, workers=1, remember=False)
    started = []

    class Pool(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, workers: int, **kw: object) -> None:
            started.append(workers)
            super().__init__(workers, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Pool)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    two = check(root, glossary=terms, remember=False)
    assert started == [2]
    assert two.findings == one.findings and two.pairs == 56 and two.pages == one.pages


def test_pre_commit_hooks_name_real_commands() -> None:
    import yaml

    hooks = yaml.safe_load((Path(__file__).parent.parent / ".pre-commit-hooks.yaml").read_text())
    assert {h["id"] for h in hooks} >= {"vien-check"}
    for hook in hooks:
        assert hook["language"] == "python" and hook["pass_filenames"] is False
        words = hook["entry"].split()
        assert words[0] == "vien"
        result = CliRunner().invoke(main, [*words[1:], "--help"])
        assert result.exit_code == 0, (hook["id"], result.output)


def test_a_baseline_applies_whether_the_site_or_its_content_folder_is_checked(
    tmp_path: Path,
) -> None:
    """The shipped pre-commit hook checks `content`; CI often checks the site root. One
    baseline must serve both: fingerprints are relative to the Hugo site root."""
    root = site(tmp_path, vi=VI.replace("## Dọn dẹp", "## Cleanup"))
    baseline = tmp_path / "baseline.json"
    code, _ = run(root, "--write-baseline", "--baseline", baseline)
    assert code == 0 and json.loads(baseline.read_text())["findings"]
    for target in (root, root / "content"):
        code, out = run(target, "--baseline", baseline, "-q")
        assert code == 0, (target, out)


# -- #15: levels, fixes seen on the way -------------------------------------------------------


def test_unreadable_page_annotation_names_file_and_line(tmp_path: Path) -> None:
    root = site(tmp_path)
    (root / "content" / "bad.md").write_bytes(b"# Title\n\n\xff\xfe broken\n")
    code, out = stdout(root, "--format", "github", "-q")
    assert code == 2
    (annotation,) = [a for a in out.splitlines() if "title=vien check%3A unreadable" in a]
    assert annotation.startswith("::error file=") and "bad.md" in annotation.split(",")[0]
    assert ",line=" in annotation


def test_write_baseline_exits_0_with_an_unreadable_page(tmp_path: Path) -> None:
    root = site(tmp_path)
    (root / "content" / "bad.md").write_bytes(b"# Title\n\n\xff\xfe broken\n")
    base = tmp_path / "baseline.json"
    code, out = run(root, "--baseline", base, "--write-baseline")
    assert code == 0 and base.exists()
    assert "bad.md" in out  # named all the same


def test_progress_counts_page_pairs_once(tmp_path: Path) -> None:
    root = site(tmp_path)
    for n in range(4):
        (root / "content" / f"p{n}.md").write_text(EN)
        (root / "content" / f"p{n}.vi.md").write_text(VI)
    seen: list[int] = []
    totals: list[int] = []

    def start(total: int):  # type: ignore[no-untyped-def]
        totals.append(total)
        return seen.append

    check(root, progress=start, workers=1)
    assert totals == [5] and sum(seen) == 5  # never past the total (was 15/5)


def test_short_copied_heading_is_a_warning_and_a_sentence_an_error(tmp_path: Path) -> None:
    vi = VI.replace("## Dọn dẹp", "## Clean up").replace(
        "Xóa bucket và pipeline khi bạn đã hoàn thành workshop.",
        "Delete the bucket and the pipeline when you are done with the workshop.",
    )
    code, out = stdout(site(tmp_path, vi=vi), "--format", "json", "-q")
    assert code == 1
    got = {f["message"].split(": ", 1)[1][:20]: f["severity"] for f in json.loads(out)["findings"]}
    levels = sorted(got.values())
    assert levels == ["error", "warning"], got
    (msg,) = [f["message"] for f in json.loads(out)["findings"] if f["severity"] == "error"]
    assert "'Delete the bucket and the pipeline" in msg  # the deciding words are quoted
    assert run(site(tmp_path / "w", vi=VI.replace("## Dọn dẹp", "## Clean up")))[0] == 0
    code, _ = run(
        site(tmp_path / "x", vi=VI.replace("## Dọn dẹp", "## Clean up")), "--fail-on", "warning"
    )
    assert code == 1


GLOSSARY_15 = (
    "en,vi,mode,case,note,status\n"
    "metrics,metrics,keep,insensitive,test,approved\n"
    "Security Groups,Security Groups,keep,sensitive,test,approved\n"
    "infrastructure,hạ tầng,translate,insensitive,test,approved\n"
    "firewall,tường lửa,translate,insensitive,test,approved\n"
)
EN_TERMS = """---
title: "Watch the service"
---
## Metrics

The dashboard shows the metrics of the service and the Security Groups that guard it.

## Network

Our infrastructure sits behind a firewall that drops unknown traffic.
"""
VI_TERMS = """---
title: "Theo dõi dịch vụ"
---
## Chỉ số

Bảng điều khiển hiển thị từng metric của dịch vụ và các security group bảo vệ nó.

## Mạng

Infrastructure của chúng tôi nằm sau một lớp bảo vệ chặn lưu lượng lạ.
"""


def test_glossary_knows_inflections_and_kept_terms(tmp_path: Path) -> None:
    """#15: keep-term "metrics" is present as "metric" (Vietnamese has no plural) and
    "Security Groups" as "security group"; a forced rendering ("hạ tầng") is satisfied by
    the English term kept as is; a term with neither ("firewall") is reported."""
    csv = tmp_path / "terms.csv"
    csv.write_text(GLOSSARY_15, encoding="utf-8")
    root = site(tmp_path, en=EN_TERMS, vi=VI_TERMS)
    got = [f for f in findings(root, "--glossary", csv) if f["kind"] == "glossary"]
    assert [str(f["message"]).split(" is not used")[0] for f in got] == [
        "forced rendering 'tường lửa' (for 'firewall')"
    ], got


EN_PSEUDO = """---
title: "Build the image"
---
Intro text that says what this page is about and why the image matters.

## Prepare the files

Put the application and its configuration next to the Dockerfile in one folder.

![Folder layout](/images/layout.png)

## Build

Run the build command and wait until the image is tagged with the version.

## Push

Push the image to the registry so that the cluster can pull it later on.
"""
VI_PSEUDO = """---
title: "Dựng image"
---
Phần mở đầu cho biết trang này nói về điều gì và vì sao image quan trọng.

*Chuẩn bị tệp*

Đặt ứng dụng và cấu hình của nó cạnh Dockerfile trong cùng một thư mục.

![Cấu trúc thư mục](/images/layout.png)

## Dựng

Chạy lệnh dựng và chờ đến khi image được gắn thẻ với phiên bản.

## Đẩy lên

Đẩy image lên registry để cụm máy có thể kéo nó về sau này.
"""


def test_missing_section_is_an_error_only_when_surely_absent(tmp_path: Path) -> None:
    """#15: a section under an italic pseudo-heading with the same image is a warning (its
    content may be there); a section truly absent from a shorter page is an error."""
    root = site(tmp_path, en=EN_PSEUDO, vi=VI_PSEUDO)
    got = [f for f in findings(root) if f["kind"] == "missing-section"]
    assert [(f["section"], f["severity"]) for f in got] == [("Prepare the files", "warning")]
    gone = VI_PSEUDO.split("## Đẩy lên")[0]
    gone = gone.replace("![Cấu trúc thư mục](/images/layout.png)\n", "")
    gone = gone.replace(
        "*Chuẩn bị tệp*\n\nĐặt ứng dụng và cấu hình của nó cạnh Dockerfile "
        "trong cùng một thư mục.\n",
        "",
    )
    root = site(tmp_path / "b", en=EN_PSEUDO, vi=gone)
    got = [f for f in findings(root) if f["kind"] == "missing-section"]
    assert {(f["section"], f["severity"]) for f in got} == {
        ("Prepare the files", "error"),
        ("Push", "error"),
    }, got


def _event(n: int, vi: bool) -> str:
    """An event report page of a site whose template titles stay in English ("Event 3")
    and whose "Frontend" heading is kept on every page."""
    if not vi:
        return (
            f'---\ntitle: "Event {n}"\n---\n## Summary\n\nWe joined the meetup number {n} and '
            "took notes on the talks about serverless design.\n\n## Frontend\n\nThe speakers "
            "showed how they split the user interface into small parts.\n"
        )
    return (
        f'---\ntitle: "Event {n}"\n---\n## Tóm tắt\n\nChúng tôi tham gia buổi gặp mặt số {n} '
        "và ghi chép các bài nói về thiết kế serverless.\n\n## Frontend\n\nCác diễn giả cho "
        "thấy cách họ chia giao diện người dùng thành những phần nhỏ.\n"
    )


def test_site_conventions_are_learned_stored_and_shown(tmp_path: Path) -> None:
    """#15: template titles ("Event 1", "Event 2") and a heading kept on several pages are
    the site's conventions: notices, stored in .vien/, listed with the glossary command,
    and a changed-only run answers as a full one."""
    root = site(tmp_path)
    for n in (1, 2, 3):
        (root / "content" / f"event-{n}.md").write_text(_event(n, vi=False))
        (root / "content" / f"event-{n}.vi.md").write_text(_event(n, vi=True))
    code, out = stdout(root, "--format", "json", "-q")
    assert code == 0, out  # nothing fails
    data = json.loads(out)
    got = {(Path(str(f["file"])).name, f["severity"]) for f in data["findings"]}
    assert got == {(f"event-{n}.vi.md", "notice") for n in (1, 2, 3)}, data["findings"]
    assert all("site convention" in str(f["message"]) for f in data["findings"])
    texts = {(c["text"], c["template"]) for c in data["conventions"]}
    assert texts == {("Event 1", True), ("Frontend", False)}, texts
    stored = json.loads((root / ".vien" / "conventions.json").read_text())
    assert {c["key"] for c in stored["conventions"]} == {"event #", "frontend"}
    code, out = stdout(root, "--conventions")
    assert code == 0
    assert 'vien glossary add "Frontend"' in out and "numbered template" in out
    # changed-only reads the stored conventions: the same answer for the page it checks
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "site")
    page = root / "content" / "event-2.vi.md"
    page.write_text(page.read_text().replace("ghi chép", "ghi lại"))
    only = findings(root, "--changed-only", "HEAD")
    assert [(Path(str(f["file"])).name, f["severity"]) for f in only] == [
        ("event-2.vi.md", "notice")
    ] * 2
    (root / ".vien" / "conventions.json").unlink()  # learned again from every page
    assert findings(root, "--changed-only", "HEAD") == only


VI_LOANWORDS = """---
title: "Đánh giá mô hình"
---
## Kết quả

Chúng tôi chạy 4 metric chuẩn trên tập kiểm thử và gắn tag ngữ cảnh cho từng mẫu.

| Metric | Tag | Điểm |
|---|---|---|
| Độ chính xác | ngữ cảnh | 0,91 |

## Tài liệu tham khảo

- Scaling Laws for Careful Readers
- A Field Guide to Quiet Systems

### Lessons from the Night Shift

Bài nói này kể lại cách nhóm trực đêm xử lý sự cố mà không đánh thức ai.
"""
EN_LOANWORDS = """---
title: "Model evaluation"
---
## Results

We ran 4 standard metrics on the test set and tagged each sample with its context.

| Metric | Tag | Score |
|---|---|---|
| Accuracy | context | 0.91 |

## References

- Scaling Laws for Careful Readers
- A Field Guide to Quiet Systems

### Lessons from the Night Shift

This talk tells how the night team handled incidents without waking anyone up.
"""


def test_loanwords_talk_names_and_document_titles_fail_nothing(tmp_path: Path) -> None:
    """#15: "Metric" and "Tag" head a table of a page that uses them in its own Vietnamese
    sentences (not untranslated); the name of a talk kept as a heading and the titles of
    referenced documents are no error (a warning at most)."""
    root = site(tmp_path, en=EN_LOANWORDS, vi=VI_LOANWORDS)
    code, out = stdout(root, "--format", "json", "-q")
    got = [f for f in json.loads(out)["findings"] if f["kind"] == "untranslated"]
    assert code == 0 and all(f["severity"] != "error" for f in got), got
    assert not [f for f in got if "'Metric'" in str(f["message"]) or "'Tag'" in str(f["message"])]


def test_english_title_in_an_english_page_is_not_copied_on_a_vi_default_site(
    tmp_path: Path,
) -> None:
    """#15: on a site whose source is Vietnamese, an English title that the Vietnamese page
    kept too is in its own language in the English page: language decides, not identity."""
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / "hugo.toml").write_text(
        'defaultContentLanguage = "vi"\n[languages.vi]\nweight = 1\n[languages.en]\nweight = 2\n'
    )
    (root / "content" / "page.md").write_text(
        '---\ntitle: "Worklog"\n---\nGhi chép công việc hằng tuần của nhóm trong kỳ thực tập.\n'
    )
    (root / "content" / "page.en.md").write_text(
        '---\ntitle: "Worklog"\n---\nThe weekly notes of the team during the internship.\n'
    )
    got = [f for f in findings(root) if f["kind"] == "untranslated"]
    assert not [f for f in got if str(f["file"]).endswith("page.en.md")], got


def test_console_buttons_field_labels_and_reference_names_are_kept(tmp_path: Path) -> None:
    """#15: steps naming the console's button ("Click Create queue"), field labels with their
    value ("Queue type: Standard") and a list of product names are kept in English on a
    Vietnamese page; an English instruction beside them is an error."""
    vi = VI.replace(
        "- Chọn nhánh mà bạn muốn triển khai.\n",
        "- Click Create queue\n- Queue type: Standard\n- Ant Widgets Grid, Ant Widgets Card\n"
        "- Chọn nhánh mà bạn muốn triển khai.\n- Select the branch that you want to deploy.\n",
    )
    got = [f for f in findings(site(tmp_path, vi=vi)) if f["kind"] == "untranslated"]
    assert [(f["severity"], f["line"]) for f in got] == [("error", line(vi, "- Select the"))], got


def test_english_link_text_in_a_vietnamese_table_of_contents(tmp_path: Path) -> None:
    """#15: an English sub-page title in a Vietnamese table of contents is reported (a
    warning: a title); a link to an outside document keeps its title."""
    vi = VI.replace(
        "- Chọn nhánh mà bạn muốn triển khai.\n",
        "- [Chuẩn bị môi trường](/setup/)\n- [Creating the Build Stage](/build/)\n"
        "- [Writing Calm Runbooks](https://example.org/runbooks)\n"
        "- Chọn nhánh mà bạn muốn triển khai.\n",
    )
    got = [f for f in findings(site(tmp_path, vi=vi)) if f["kind"] == "untranslated"]
    assert [(f["severity"], f["line"]) for f in got] == [("warning", line(vi, "- [Creating"))]


def test_a_pair_is_checked_with_the_cyclic_collector_paused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The checks of a pair run with Python's cyclic garbage collector paused, which is on
    again after them, also when one fails; one paused already stays paused."""
    import gc

    from vien.check import run

    seen: list[bool] = []

    def checked(job: object, glossary: object) -> run._Result:
        seen.append(gc.isenabled())
        if job == "fails":
            raise ValueError(job)
        return [], [], 0, ()

    monkeypatch.setattr(run, "_checked", checked)
    assert gc.isenabled()
    run._check_job("pair")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        run._check_job("fails")  # type: ignore[arg-type]
    assert seen == [False, False] and gc.isenabled()
    gc.disable()
    try:
        run._check_job("pair")  # type: ignore[arg-type]
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_checks_of_a_pair_make_no_reference_cycles() -> None:
    """What pausing the collector relies on: checking the pairs of the example site (each
    twice: the second time nothing is imported or cached for the first time) leaves no
    cyclic garbage behind."""
    import gc

    from vien.check import run
    from vien.site.discover import discover
    from vien.site.lock import LockFile
    from vien.site.markup import config_root, heading_ids

    found = discover(Path(__file__).resolve().parents[1] / "data" / "site")
    cfg = found.config
    ids = heading_ids(config_root(cfg.config_file, cfg.root))
    jobs = list(run._jobs(found, "en", ["vi"], LockFile(cfg.root), None, None, ids))
    assert any(j.tgt is not None for j in jobs)
    run._init_worker(glossary.load(None))
    try:
        for job in jobs:
            run._check_job(job)
        gc.collect()
        gc.disable()
        for job in jobs:
            run._checked(job, run._GLOSSARY)
        assert gc.collect() == 0
    finally:
        gc.enable()
        run._init_worker(None)


def test_findings_files_are_made_site_relative_for_conventions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Conventions are keyed by page paths relative to the site, whatever the working folder
    and however the finding names the file; a file outside the site stays as it is."""
    from vien.check.run import _relative_to

    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "content" / "a.md").write_text("x\n", encoding="utf-8")
    monkeypatch.chdir(site)
    relative = _relative_to(Path("."))
    assert relative("content/a.md") == "content/a.md"
    assert relative(str(site / "content" / "a.md")) == "content/a.md"
    monkeypatch.chdir(tmp_path)  # each file and the root were resolved where they were asked
    assert relative("content/a.md") == "content/a.md"
    assert relative("/elsewhere/b.md") == "/elsewhere/b.md"
