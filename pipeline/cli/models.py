"""``vien models``: install, list and verify translation model packages."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..mt import packages as models
from .options import CONTEXT, error, format_option, models_dir_option


@click.group(context_settings=CONTEXT)
def models_cmd() -> None:
    """Install, list and verify translation model packages (Argos Translate).

    Packages live in argostranslate's package folder unless --models-dir (or
    VIEN_MODELS_DIR) names another one.

    \b
    Examples:
      vien models install en-vi                                  # online
      vien models install --from translate-en_vi-1_9.argosmodel  # offline
      vien models list
      vien models verify
    """


_models_dir = models_dir_option("Package folder (default: argostranslate's).")


@models_cmd.command("list", context_settings=CONTEXT)
@_models_dir
@format_option()
def models_list(models_dir: Path | None, fmt: str) -> None:
    """List installed translate packages."""
    found = models.installed(models_dir)
    if fmt == "json":
        data = {
            "models_dir": str(models.models_dir(models_dir)),
            "packages": [
                {
                    "pair": m.pair,
                    "version": m.version,
                    "path": str(m.path),
                    "sha256": m.sha256,
                    "official": m.official,
                }
                for m in found
            ],
        }
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    click.echo(f"{models.models_dir(models_dir)}: {len(found)} package(s)")
    for m in found:
        origin = (
            "official"
            if m.official
            else ("unknown origin" if m.sha256 is None else "not an official package")
        )
        click.echo(f"  {m.pair:6s} {m.version:16s} {m.path.name}  ({origin})")


@models_cmd.command("install", context_settings=CONTEXT)
@click.argument("pair", required=False, type=click.Choice(sorted(models.PAIRS)))
@click.option(
    "--from",
    "archive",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Install this .argosmodel file (offline).",
)
@click.option("--sha256", default=None, help="Refuse the file unless its SHA-256 is this.")
@click.option("--replace", is_flag=True, help="Replace an installed package for the pair.")
@_models_dir
def models_install(
    pair: str | None,
    archive: Path | None,
    sha256: str | None,
    replace: bool,
    models_dir: Path | None,
) -> None:
    """Install a package: PAIR (en-vi, vi-en) from the Argos index, or --from FILE.

    \b
    Examples:
      vien models install en-vi
      vien models install --from ~/Downloads/translate-en_vi-1_9.argosmodel
    """
    if (pair is None) == (archive is None):
        raise click.UsageError("give either a PAIR (online) or --from FILE (offline)")
    try:
        if archive is not None:
            model = models.install_file(
                archive, models_dir, replace=replace, expected_sha256=sha256
            )
        else:
            with click.progressbar(
                length=1, label=f"downloading {pair}", file=sys.stderr, show_percent=True
            ) as bar:

                def tick(done: int, total: int) -> None:
                    bar.length = max(total, 1)
                    bar.update(done - bar.pos)

                model = models.install_online(str(pair), models_dir, replace=replace, progress=tick)
    except models.ModelError as exc:
        error(exc)
        sys.exit(1)
    origin = (
        "official package " + str(models.official_name(model.sha256 or ""))
        if model.official
        else "NOT an official Argos package (unknown checksum)"
    )
    click.echo(f"installed {model.pair} into {model.path}\n  sha256 {model.sha256}: {origin}")


@models_cmd.command("verify", context_settings=CONTEXT)
@click.argument("archives", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_models_dir
@format_option()
def models_verify(archives: tuple[Path, ...], models_dir: Path | None, fmt: str) -> None:
    """Check installed packages (or ARCHIVES) against the official checksums.

    Exit 0 when every package is intact and official, 1 otherwise.

    \b
    Examples:
      vien models verify
      vien models verify translate-en_vi-1_9.argosmodel --format json
    """
    rows: list[dict[str, object]] = []
    for path in archives:
        digest = models.sha256_file(path)
        name = models.official_name(digest)
        rows.append(
            {
                "archive": str(path),
                "sha256": digest,
                "official": name,
                "problems": [] if name else ["not an official package"],
            }
        )
    if not archives:
        for m in models.installed(models_dir):
            problems = models.verify(m)
            if not m.official:
                problems.append("archive checksum is not an official package's")
            rows.append({"pair": m.pair, "path": str(m.path), "problems": problems})
    bad = sum(bool(r["problems"]) for r in rows)
    if fmt == "json":
        data = {"models_dir": str(models.models_dir(models_dir)), "checked": rows, "bad": bad}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        sys.exit(1 if bad else 0)
    if not rows and not archives:
        click.echo(f"no packages in {models.models_dir(models_dir)}")
    for r in rows:
        if "archive" in r:
            click.echo(
                f"{r['archive']}: sha256 {r['sha256']} "
                + (f"= official {r['official']}" if r["official"] else "is not an official package")
            )
        else:
            listed = r["problems"]
            assert isinstance(listed, list)
            state = "; ".join(map(str, listed)) or "ok (official)"
            click.echo(f"{r['pair']} {Path(str(r['path'])).name}: {state}")
    sys.exit(1 if bad else 0)
