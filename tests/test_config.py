"""Per-site settings: vien.toml loading, errors, precedence, `vien init` and .gitignore."""

from __future__ import annotations

import json
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import DATA_SITE, require_shared
from vien.cli.main import main
from vien.errors import ConfigError
from vien.mt import ENGINES
from vien.site import settings
from vien.site.discover import discover


def vien(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def copy_site(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns(".vien", "vien.toml"))
    for p in [dest, *dest.rglob("*")]:
        p.chmod(p.stat().st_mode | 0o200)  # shared/ is read-only
    return dest


def write_toml(site: Path, text: str) -> Path:
    path = site / "vien.toml"
    path.write_text(text, encoding="utf-8")
    return path


# --- the loader ---------------------------------------------------------------------------


def test_loads_every_section_with_types_and_relative_paths(tmp_path: Path) -> None:
    path = write_toml(
        tmp_path,
        """
[site]
source = "en"
target = "vi"
exclude = ["content/drafts/**"]
front_matter_keys = ["title", "summary"]
max_size = 1048576
[glossary]
path = "terms/site.csv"
enabled = true
[translate]
engine = "pseudo"
retranslate = false
memory = false
[engine]
beam_size = 4
threads = 2
compute_type = "float32"
max_length_ratio = 3
models_dir = "models"
[check]
format = "sarif"
fail_on = "warning"
baseline = ".vien-baseline.json"
[check.severity]
stale = "error"
structure = "off"
""",
    )
    s = settings.load(path)
    assert (s.source, s.target, s.exclude) == ("en", "vi", ("content/drafts/**",))
    assert s.front_matter_keys == ("title", "summary") and s.max_size == "1048576"
    assert s.glossary == tmp_path.resolve() / "terms/site.csv"
    assert s.models_dir == tmp_path.resolve() / "models"
    assert s.baseline == tmp_path.resolve() / ".vien-baseline.json"
    assert (s.engine, s.retranslate, s.memory) == ("pseudo", False, False)
    assert (s.beam_size, s.threads, s.compute_type, s.max_length_ratio) == (4, 2, "float32", 3.0)
    assert s.severity == {"stale": "error", "structure": "off"}
    translate = s.defaults("translate")
    assert translate["engine"] == "pseudo" and translate["retranslate"] is False
    assert translate["no_memory"] is True and translate["keys"] == ("title", "summary")
    assert "fmt" not in translate  # check's format is check's alone
    assert s.defaults("check")["fmt"] == "sarif" and s.defaults("check")["fail_on"] == "warning"


def test_engine_names_match_the_engines() -> None:
    assert tuple(sorted(ENGINES)) == settings.ENGINES


def test_empty_and_commented_file_changes_nothing(tmp_path: Path) -> None:
    s = settings.load(write_toml(tmp_path, "# nothing\n[site]\n[check]\n"))
    assert s.defaults("translate") == {} and s.defaults("check") == {}


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("[sites]\nsource = 'en'\n", "unknown section [sites]"),
        ("[site]\nsorce = 'en'\n", "unknown key site.sorce"),
        ("[engine]\nbeam_size = '4'\n", "engine.beam_size must be an integer"),
        ("[engine]\nbeam_size = true\n", "engine.beam_size must be an integer"),
        ("[translate]\nretranslate = 'no'\n", "translate.retranslate must be true or false"),
        ("[translate]\nengine = 'deepl'\n", "translate.engine = 'deepl' is not one of"),
        ("[check]\nfail_on = 'often'\n", "check.fail_on = 'often' is not one of"),
        ("[check.severity]\nstal = 'error'\n", "unknown key check.severity.stal"),
        ("[check.severity]\nstale = 'fatal'\n", "check.severity.stale = 'fatal'"),
        ("[site]\nexclude = 'drafts'\n", "site.exclude must be a list"),
        ("[site]\nexclude = [1]\n", "site.exclude must be a list of strings"),
        ("site = 3\n", "site must be a table"),
        ("[site\n", "not valid TOML"),
    ],
)
def test_errors_name_the_file_and_the_key(tmp_path: Path, text: str, needle: str) -> None:
    path = write_toml(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        settings.load(path)
    assert str(path.resolve()) in str(err.value) and needle in str(err.value)


def test_cli_reports_a_bad_file_with_exit_2(tmp_path: Path) -> None:
    site = copy_site(DATA_SITE, tmp_path / "site")
    write_toml(site, "[translate]\nengin = 'pseudo'\n")
    for args in (
        ["check", str(site)],
        ["translate", str(site), "--to", "vi"],
        ["pages", str(site)],
    ):
        code, out = vien(*args)
        assert code == 2, out
        assert "vien.toml: unknown key translate.engin" in out


def test_find_stops_at_the_site_root(tmp_path: Path) -> None:
    site = copy_site(DATA_SITE, tmp_path / "site")
    write_toml(tmp_path, "[translate]\nengine = 'pseudo'\n")  # around the site: not its own
    assert settings.find(site) is None
    assert settings.find(site / "content") is None
    own = write_toml(site, "")
    assert settings.find(site / "content" / "2-pipeline") == own.resolve()
    assert settings.find(site / "content" / "_index.md") == own.resolve()


def test_globs() -> None:
    assert settings.excluded(["content/drafts/a/b.md"], ("content/drafts",))
    assert settings.excluded(["content/drafts/a/b.md"], ("content/drafts/**",))
    assert settings.excluded(["content/a/print.md"], ("**/print.md",))
    assert settings.excluded(["print.md"], ("**/print.md",))
    assert not settings.excluded(["content/a/b.md"], ("content/*.md",))
    assert settings.excluded(["content/b.md"], ("content/*.md",))


# --- precedence: the file over the defaults, the command line over the file ----------------


def test_translate_takes_the_engine_from_the_file_and_the_command_line_wins(
    tmp_path: Path,
) -> None:
    site = copy_site(DATA_SITE, tmp_path / "site")
    write_toml(site, "[translate]\nengine = 'pseudo'\n")
    code, out = vien("translate", str(site), "--to", "vi", "--dry-run")
    assert code == 0, out
    assert "40 by pseudo" in out  # not argos (which has no package here)
    code, out = vien("translate", str(site), "--to", "vi", "--dry-run", "--engine", "identity")
    assert code == 0 and "by identity" in out, out


def test_check_takes_format_and_fail_on_from_the_file(tmp_path: Path) -> None:
    site = copy_site(DATA_SITE, tmp_path / "site")
    code, _ = vien("check", str(site), "-q")
    assert code == 1
    write_toml(site, "[check]\nformat = 'json'\nfail_on = 'never'\n")
    result = CliRunner().invoke(main, ["check", str(site), "-q"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["summary"]["errors"] > 0
    code, out = vien("check", str(site), "-q", "--format", "text", "--fail-on", "error")
    assert code == 1 and not out.lstrip().startswith("{")


def test_check_severity_regrades_and_turns_off(tmp_path: Path) -> None:
    site = copy_site(DATA_SITE, tmp_path / "site")
    write_toml(site, "[check.severity]\nuntranslated = 'warning'\nmissing-page = 'off'\n")
    result = CliRunner().invoke(main, ["check", str(site), "--format", "json"])
    data = json.loads(result.stdout)
    kinds = {f["kind"]: f["severity"] for f in data["findings"]}
    assert "missing-page" not in kinds and kinds["untranslated"] == "warning"


# --- `vien init` writes a file that every command honours -----------------------------------


def test_init_on_the_sample_site_then_exclude_is_honoured_everywhere(tmp_path: Path) -> None:
    site = copy_site(DATA_SITE, tmp_path / "site")
    code, out = vien("init", str(site))
    assert code == 0, out
    assert "languages: en, vi (default en)" in out
    assert "convention: language in file names (X.md + X.vi.md; X.md is en)" in out
    assert "content folders: content/" in out and "pages: 8 en, 6 vi" in out
    text = (site / "vien.toml").read_text(encoding="utf-8")
    assert tomllib.loads(text) == {"site": {}, "glossary": {}, "translate": {}, "engine": {},
                                   "check": {}}  # fmt: skip
    for key in ("source", "exclude", "engine", "beam_size", "fail_on", "baseline", "retranslate"):
        assert f"# {key} = " in text
    # uncomment and set: every command now leaves the reports out
    text = text.replace("# exclude = []", 'exclude = ["content/3-reports/**"]')
    (site / "vien.toml").write_text(text, encoding="utf-8")
    assert [p for p in discover(site).pages if "3-reports" in str(p.path)] == []
    code, out = vien("pages", str(site), "--format", "json")
    assert code == 0 and "3-reports" not in out
    code, out = vien("check", str(site))
    assert "3-reports" not in out and "page pair(s)" in out
    code, out = vien("translate", str(site), "--to", "vi", "--engine", "pseudo", "--dry-run")
    assert code == 0 and "3-reports" not in out and "would write 2 page(s)" in out, out
    code, out = vien("align", str(site), "--format", "json")
    assert code == 0 and not [p for p in json.loads(out)["pairs"] if "3-reports" in p["source"]]
    # refuses to overwrite without --force
    code, out = vien("init", str(site))
    assert code == 2 and "--force" in out
    assert "content/3-reports/**" in (site / "vien.toml").read_text(encoding="utf-8")
    code, out = vien("init", str(site), "--force")
    assert code == 0 and "3-reports" not in (site / "vien.toml").read_text(encoding="utf-8")


def test_init_glossary_and_engine_settings_are_honoured(tmp_path: Path) -> None:
    site = copy_site(DATA_SITE, tmp_path / "site")
    assert vien("init", str(site))[0] == 0
    (site / "terms.csv").write_text(
        "en,vi,mode,case,note,status\nAmazon S3,Amazon S3,keep,sensitive,,approved\n",
        encoding="utf-8",
    )
    text = (site / "vien.toml").read_text(encoding="utf-8")
    text = text.replace('# path = "glossary.csv"', 'path = "terms.csv"')
    text = text.replace('# engine = "argos"', 'engine = "pseudo"')
    (site / "vien.toml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["translate", str(site), "--to", "vi", "--dry-run", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["engine"] == "pseudo"
    assert Path(data["glossary"]["path"]).resolve() == (site / "terms.csv").resolve()
    # --no-glossary on the command line still wins over the file
    args = ["translate", str(site), "--to", "vi", "--dry-run", "--format", "json"]
    result = CliRunner().invoke(main, [*args, "--no-glossary"])
    assert json.loads(result.stdout)["glossary"] is None


@pytest.mark.parametrize(
    ("name", "convention", "pages"),
    [
        ("aws-budget", "language in file names (X.md + X.vi.md; X.md is en)", "7 en, 7 vi"),
        (
            "dms-migration",
            "one content folder per language (en: content/en/, vi: content/vi/)",
            "65 en, 65 vi",
        ),
    ],
)
def test_init_on_shared_sites(tmp_path: Path, name: str, convention: str, pages: str) -> None:
    site = copy_site(require_shared() / "sites" / name, tmp_path / name)
    result = CliRunner().invoke(main, ["init", str(site), "--dry-run"])
    assert result.exit_code == 0
    assert not (site / "vien.toml").exists() and not (site / ".gitignore").exists()
    assert tomllib.loads(result.stdout)  # stdout is the file alone
    assert f"convention: {convention}" in result.output and f"pages: {pages}" in result.output
    code, out = vien("init", str(site))
    assert code == 0, out
    text = (site / "vien.toml").read_text(encoding="utf-8")
    assert text == result.stdout
    # a setting written in the file is honoured: check's default format becomes json
    text = text.replace('# format = "text"', 'format = "json"')
    (site / "vien.toml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(site), "-q", "--fail-on", "never"])
    assert result.exit_code == 0 and json.loads(result.stdout)["summary"]["pages"] > 0


# --- what a team commits -----------------------------------------------------------------


def test_gitignore_keeps_lock_json_and_ignores_the_rest(tmp_path: Path) -> None:
    site = copy_site(DATA_SITE, tmp_path / "site")
    (site / ".gitignore").write_text("public/\n.vien/\n", encoding="utf-8")
    assert vien("init", str(site))[0] == 0
    lines = (site / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "public/" in lines and ".vien/" not in lines  # git could not re-include lock.json
    assert "**/.vien/*" in lines and "!**/.vien/lock.json" in lines
    assert vien("init", str(site), "--force")[0] == 0
    assert (site / ".gitignore").read_text(encoding="utf-8").splitlines() == lines  # idempotent
    assert vien("translate", str(site), "--to", "vi", "--engine", "pseudo", "-q")[0] == 0
    (site / "content" / ".vien").mkdir()
    (site / "content" / ".vien" / "lock.json").write_text("{}\n", encoding="utf-8")
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    subprocess.run(["git", "init", "-q", str(site)], check=True)
    names = [
        ".vien/lock.json",
        ".vien/memory.sqlite",
        ".vien/run.lock",
        ".vien/run.pid",
        "content/.vien/lock.json",
        "content/.vien/memory.sqlite",
    ]
    (site / ".vien" / "run.pid").write_text("1\n", encoding="utf-8")
    (site / "content" / ".vien" / "memory.sqlite").write_bytes(b"")
    ignored = subprocess.run(
        ["git", "-C", str(site), "check-ignore", *names], capture_output=True, text=True
    ).stdout.split()
    assert ignored == [
        ".vien/memory.sqlite",
        ".vien/run.lock",
        ".vien/run.pid",
        "content/.vien/memory.sqlite",
    ]
