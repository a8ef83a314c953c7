"""Start-up: the ``vien`` command imports only what the command asked for (issue #16)."""

from __future__ import annotations

import json
import subprocess
import sys

import click
import pytest
from vien.cli.main import COMMANDS, SHORT_HELP, load_command, main
from vien.cli.options import MODELS_ENV
from vien.mt import packages

HEAVY = ("sacrebleu", "ctranslate2", "argostranslate", "sentencepiece", "filelock", "vien.mt.argos")


def imported_after(code: str) -> set[str]:
    """The modules loaded in a fresh interpreter after running ``code``."""
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(json.loads(out.stdout.splitlines()[-1]))


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
