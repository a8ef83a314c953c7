"""Start-up: the ``vien`` command imports only what the command asked for (issue #16)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from vien.cli.main import COMMANDS, SHORT_HELP, load_command, main
from vien.cli.options import MODELS_ENV
from vien.mt import packages
from vien.site.history import may_be_in_repository

HEAVY = ("sacrebleu", "ctranslate2", "argostranslate", "sentencepiece", "filelock", "vien.mt.argos")


def imported_after(code: str, cwd: Path | None = None) -> set[str]:
    """The modules loaded in a fresh interpreter after running ``code``."""
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
        cwd=cwd,
    )
    return set(json.loads(out.stdout.splitlines()[-1]))


def run_command(*args: str) -> str:
    """Code that runs ``vien ARGS`` (its exit status ignored)."""
    call = f"main({list(args)!r})"
    return f"from vien.cli.main import main\ntry:\n    {call}\nexcept SystemExit:\n    pass"


#: What reading, aligning and checking a page pair needs, and SQLite (the translation memory).
PARSING = ("markdown_it", "yaml", "vien.page.parse", "vien.align.sections", "vien.align.absence")
NOT_FOR_CHECK = (
    *PARSING,
    "sqlite3",
    "statistics",
    "vien.check.untranslated",
    "vien.check.sarif",
    "importlib.resources",  # the shipped glossary is a file in the package's folder
    "zipfile",
)


@pytest.mark.parametrize("code", ["import vien.cli.main", "import vien", "import vien.mt"])
def test_import_does_not_load_heavy_modules(code: str) -> None:
    loaded = imported_after(code)
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))
    if code == "import vien.cli.main":  # no command module until a command runs
        assert not {m for m in loaded if m.startswith("vien.cli.") and m != "vien.cli.main"} - {
            "vien.cli.options",
            "vien.cli.text",
        }
        assert "markdown_it" not in loaded


def test_help_lists_every_command_without_importing_them() -> None:
    loaded = imported_after(
        "from vien.cli.main import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass"
    )
    assert "vien.cli.translate" not in loaded and "vien.cli.check" not in loaded
    assert "markdown_it" not in loaded


def _pair_site(tmp_path: Path, page: str) -> Path:
    """A two-language site whose home page (``page``, its ``{}`` an English word) has a
    Vietnamese counterpart."""
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "hugo.toml").write_text(
        'defaultContentLanguage = "en"\n[languages.en]\nweight = 1\n[languages.vi]\nweight = 2\n'
    )
    (site / "content" / "_index.md").write_text(page.format("cats"))
    (site / "content" / "_index.vi.md").write_text(page.format("mèo"))
    return site


def test_check_of_unchanged_pairs_parses_nothing(tmp_path: Path) -> None:
    """A second ``vien check`` of an unchanged site takes every pair's findings from the check
    cache: it imports no parser, aligner or check of a pair, nor what only other commands use
    (page front matter without a translationKey is not loaded to look for one)."""
    site = _pair_site(tmp_path, "---\ntitle: Hello\n---\n\n# Hello\n\nA short page about {}.\n")
    first = imported_after(run_command("check", "."), cwd=site)
    assert set(PARSING) <= first  # the pairs were checked
    assert (site / ".vien" / "check-cache.json").exists()
    again = imported_after(run_command("check", "."), cwd=site)
    unwanted = {*NOT_FOR_CHECK, "tempfile"}  # it writes nothing
    if not may_be_in_repository(site):
        unwanted |= {"subprocess", "shutil"}  # no git to look for or run
    assert not again & unwanted, sorted(again & unwanted)


def test_glossary_lint_imports_no_exchange_format(tmp_path: Path) -> None:
    """``vien glossary lint`` reads the CSV: no XML parser (TBX), no TOML reader where there is
    no vien.toml, no page parser."""
    loaded = imported_after(run_command("glossary", "lint"), cwd=tmp_path)
    assert "vien.glossary.lint" in loaded
    unwanted = {"vien.glossary.tbx", "defusedxml", "xml.etree.ElementTree", "tomllib", *PARSING}
    assert not loaded & unwanted, sorted(loaded & unwanted)


def test_shipped_glossary_path_is_the_package_resource() -> None:
    from importlib import resources

    from vien.glossary.entries import DEFAULT_PATH

    assert Path(str(resources.files("vien.glossaries").joinpath("aws.csv"))) == DEFAULT_PATH
    assert DEFAULT_PATH.is_file()


def test_short_help_matches_the_commands() -> None:
    for name in COMMANDS:
        assert SHORT_HELP[name] == load_command(name).get_short_help_str(limit=10_000), name
    assert set(SHORT_HELP) == set(COMMANDS)


def test_lazy_commands_resolve_and_glossary_has_suggest() -> None:
    ctx = click.Context(main)
    assert main.list_commands(ctx) == sorted(COMMANDS)
    glossary = main.get_command(ctx, "glossary")
    assert isinstance(glossary, click.Group) and "suggest" in glossary.commands
    assert main.get_command(ctx, "nope") is None


def test_models_env_matches_packages() -> None:
    assert MODELS_ENV == packages.ENV_DIR


def test_names_of_the_library_resolve() -> None:
    import vien

    for name in vien.__all__:
        assert getattr(vien, name) is not None
    with pytest.raises(AttributeError):
        _ = vien.no_such_name  # type: ignore[attr-defined]


def test_translate_of_unchanged_pages_parses_nothing(tmp_path: Path) -> None:
    """A second ``vien translate`` of an unchanged site finds every page up to date from the
    lock's hashes: it imports no parser, aligner, merge, verification or language detection,
    nor the argos engine's modules (the identity engine needs none of them), nor filelock."""
    page = "---\ntitle: Hello\n---\n\n# Hello\n\nA short page about {}.\n\n## More\n\nText.\n"
    site = _pair_site(tmp_path, page)
    (site / "content" / "other.md").write_text(page.format("dogs"))
    argv = ("translate", ".", "--to", "vi", "--engine", "identity")
    first = imported_after(run_command(*argv), cwd=site)
    assert {*PARSING, "vien.translate.plan"} - {"yaml"} <= first  # the pages were translated
    assert (site / "content" / "other.vi.md").exists()
    again = imported_after(run_command(*argv), cwd=site)
    unwanted = {
        *PARSING,
        "vien.translate.plan",
        "vien.page.invariants",
        "vien.check.langid",
        "vien.mt.packages",
        "vien.mt.argos",
        "filelock",  # the run lock is a flock of vien's own where the system has fcntl
    }
    assert not again & unwanted, sorted(again & unwanted)
