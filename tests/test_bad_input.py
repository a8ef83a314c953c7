"""Bad input: every broken page gets a clear message naming the file (and the line where it is
known), the batch goes on, the exit status says something failed, no output file is ever
half-written and no source file is ever modified."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import hugo_config
from vien import atomic
from vien.atomic import write_atomic
from vien.cli.main import main
from vien.errors import PageError
from vien.page.read import decode, read_document
from vien.site.discover import discover, walk

MB = 1024 * 1024

GOOD: dict[str, str] = {
    "good1.md": "---\ntitle: Good one\n---\n\n# Hello\n\nSome text here.\n",
    "sub/good2.md": '+++\ntitle = "Good two"\n+++\n\nA paragraph of text.\n',
    "sub/deep/good3.md": "Plain page without front matter.\n\n- a list item\n",
}


@dataclass(frozen=True, slots=True)
class Bad:
    """A broken page: its bytes, the line the error should name (None: no line) and a fragment
    of the message."""

    data: bytes
    line: int | None
    words: str


def _bad_pages(pwned: Path) -> dict[str, Bad]:
    return {
        "unclosed_fm.md": Bad(b"---\ntitle: Unclosed\n\nBody text.\n", 1, "unclosed front matter"),
        "bad_yaml.md": Bad(b"---\ntitle: ok\nbad: [1, 2\nx: y\n---\n\nBody.\n", 4, "invalid YAML"),
        "bad_toml.md": Bad(b'+++\ntitle = "x"\nbad = = 3\n+++\n\nBody.\n', 3, "invalid TOML"),
        "yaml_tag.md": Bad(
            b'---\ntitle: x\nrun: !!python/object/apply:os.system ["touch '
            + str(pwned).encode()
            + b'"]\n---\n\nBody.\n',
            3,
            "construct",
        ),
        "latin1.md": Bad(b"---\ntitle: x\n---\n\nGood line\n\xff\xfe caf\xe9\n", 6, "not UTF-8"),
        "binary.md": Bad(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01", 3, "binary"),
        "unclosed_sc.md": Bad(
            b"---\ntitle: x\n---\n\nIntro.\n\n{{% notice info %}}\nNever closed.\n",
            7,
            "unclosed shortcode",
        ),
        "stray_close.md": Bad(
            b"---\ntitle: x\n---\n\nIntro.\n\nText.\n\n{{% /expand %}}\n", 9, "no opening"
        ),
    }


@dataclass(frozen=True, slots=True)
class BadSite:
    root: Path  # tmp_path
    content: Path  # the content folder (resolved)
    outside: Path  # a folder beside it that must never be touched
    pwned: Path  # created only if a YAML tag ran a command
    bad: dict[str, Bad]
    cwd: Path  # working directory of the run (must stay empty)


BIG = "big.md"
LINK_OUT = "link_out.md"
LOOP = "sub/loop"


@pytest.fixture
def bad_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> BadSite:
    content = (tmp_path / "site" / "content").resolve()
    hugo_config(tmp_path / "site")
    outside = tmp_path / "outside"
    pwned = tmp_path / "PWNED"
    bad = _bad_pages(pwned)
    for name, text in GOOD.items():
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_text(text, encoding="utf-8")
    for name, b in bad.items():
        (content / name).write_bytes(b.data)
    line = "word " * 19 + "end\n"
    body = line * (10 * MB // len(line) + 1)
    (content / BIG).write_text("---\ntitle: big\n---\n\n" + body, encoding="utf-8")
    outside.mkdir()
    (outside / "secret.md").write_text("---\ntitle: Secret\n---\n\nOutside text.\n")
    (content / LINK_OUT).symlink_to(outside / "secret.md")
    (content / LOOP).symlink_to("..", target_is_directory=True)  # sub/loop -> content
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    return BadSite(tmp_path, content, outside, pwned, bad, cwd)


def invoke(*args: str | Path) -> Result:
    """Run ``vien``; an unexpected exception (a crash, not an exit) fails the test loudly."""
    result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def snapshot(root: Path) -> dict[str, str]:
    """Every entry under ``root`` (symlinks not followed): relative path -> content hash."""
    out: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            rel = p.relative_to(root).as_posix()
            if p.is_symlink():
                out[rel] = "link:" + os.readlink(p)
            elif p.is_file():
                out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
            else:
                out[rel] = "dir"
    return out


def tmp_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.endswith(".tmp") or ".tmp" in p.suffixes]


def vi_name(name: str) -> str:
    return name[: -len(".md")] + ".vi.md"


def assert_reports_every_problem(output: str, site: BadSite, *, lines: bool = True) -> None:
    """Each bad file named with a clear message, and with its line where it is known."""
    for name, b in site.bad.items():
        path = site.content / name
        named = [ln for ln in output.splitlines() if f"{path}:" in ln]
        assert named, f"{name} is not named in the output:\n{output}"
        assert any(b.words.lower() in ln.lower() for ln in named), (name, named)
        if lines and b.line is not None:
            assert any(f"{path}:{b.line}: " in ln for ln in named), (
                f"{name}: line {b.line} not named: {named}"
            )
    big = [ln for ln in output.splitlines() if f"{site.content / BIG}:" in ln]
    assert big and "too large" in big[0], big
    link = [ln for ln in output.splitlines() if f"{site.content / LINK_OUT}:" in ln]
    assert link and "outside the content folder" in link[0] and "not followed" in link[0], link
    loop = [ln for ln in output.splitlines() if f"{site.content / LOOP}:" in ln]
    assert loop and "loop" in loop[0] and "not followed" in loop[0], loop


def translate(site: BadSite, *extra: str | Path) -> Result:
    return invoke("translate", site.content, "--to", "vi", "--engine", "pseudo", *extra)


# -- through the command line --------------------------------------------------------------------


def test_translate_names_each_bad_page_with_its_line(bad_site: BadSite) -> None:
    result = translate(bad_site)
    assert result.exit_code == 1, result.output
    assert_reports_every_problem(result.output, bad_site)


def test_translate_goes_on_and_writes_only_the_good_pages(bad_site: BadSite) -> None:
    site = bad_site
    before = snapshot(site.root)
    result = translate(site)
    assert result.exit_code == 1, result.output
    assert_reports_every_problem(result.output, site, lines=False)
    expected_failures = len(site.bad) + 3  # + the big page, the outside link and the loop
    assert f"failed {expected_failures};" in result.output
    assert f"wrote {len(GOOD)} page(s)" in result.output
    # the good pages were translated, next to their sources
    for name in GOOD:
        out = site.content / vi_name(name)
        assert out.is_file(), out
        assert "⟦" in out.read_text(encoding="utf-8")
    # nothing for the bad ones, nothing through the loop or the link
    for name in [*site.bad, BIG, LINK_OUT]:
        assert not (site.content / vi_name(name)).exists(), name
    assert not site.pwned.exists()
    assert not tmp_files(site.root)
    # every source byte unchanged; the only new files are the good pages' translations
    after = snapshot(site.root)
    assert {k: v for k, v in after.items() if k in before} == before
    new = sorted(k for k in set(after) - set(before) if "/.vien" not in k)  # vien's state
    assert new == sorted(f"site/content/{vi_name(n)}" for n in GOOD)
    assert not any(site.cwd.iterdir())


def test_translate_with_out_writes_only_into_out(bad_site: BadSite) -> None:
    site = bad_site
    out = site.root / "out"
    before = snapshot(site.root)
    result = translate(site, "--out", out, "--quiet")
    assert result.exit_code == 1, result.output
    assert_reports_every_problem(result.output, site, lines=False)
    after = snapshot(site.root)
    assert {k: v for k, v in after.items() if k in before} == before
    written = sorted(
        k for k in set(after) - set(before) if after[k] != "dir" and "/.vien" not in k
    )  # not vien's own state
    assert written == sorted(f"out/{vi_name(n)}" for n in GOOD)
    assert not site.pwned.exists()
    assert not tmp_files(site.root)
    assert not any(site.cwd.iterdir())


def test_dry_run_writes_nothing_but_still_fails(bad_site: BadSite) -> None:
    site = bad_site
    before = snapshot(site.root)
    result = translate(site, "--dry-run")
    assert result.exit_code == 1, result.output
    assert_reports_every_problem(result.output, site, lines=False)
    assert f"would write {len(GOOD)} page(s)" in result.output
    assert snapshot(site.root) == before
    assert not site.pwned.exists()


def test_real_process_exit_status(bad_site: BadSite) -> None:
    """The entry point in its own process: status 1, problems on stderr, no traceback."""
    site = bad_site
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "vien",
            "translate",
            str(site.content),
            "--to",
            "vi",
            "--engine",
            "identity",
            "--out",
            str(site.root / "out"),
            "--quiet",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    for name in [*site.bad, BIG, LINK_OUT, LOOP]:
        assert f"{site.content / name}:" in proc.stderr, name
    assert f"failed {len(site.bad) + 3};" in proc.stdout
    assert not site.pwned.exists()


def test_pages_lists_walk_problems(bad_site: BadSite) -> None:
    site = bad_site
    result = invoke("pages", site.content)
    assert result.exit_code == 1, result.output
    assert f"{site.content / LINK_OUT}: symlink points outside" in result.output
    assert f"{site.content / LOOP}: directory loop" in result.output
    assert not site.pwned.exists()


@pytest.mark.parametrize("name", sorted(_bad_pages(Path("PWNED"))))
def test_segments_names_file_and_line(bad_site: BadSite, name: str) -> None:
    site = bad_site
    b = site.bad[name]
    result = invoke("segments", site.content / name)
    assert result.exit_code == 1, result.output
    where = f"{site.content / name}:" + (f"{b.line}:" if b.line else "")
    assert where in result.output, result.output
    assert b.words.lower() in result.output.lower(), result.output
    assert not site.pwned.exists()


def test_segments_refuses_the_big_page(bad_site: BadSite) -> None:
    result = invoke("segments", bad_site.content / BIG)
    assert result.exit_code == 1
    assert f"{bad_site.content / BIG}: page too large" in result.output


def test_max_size_option_is_applied(bad_site: BadSite) -> None:
    """A tiny --max-size refuses even the good pages, with the size message."""
    site = bad_site
    result = invoke(
        "translate",
        site.content,
        "--to",
        "vi",
        "--engine",
        "pseudo",
        "--dry-run",
        "--max-size",
        "20",
    )
    assert result.exit_code == 1
    for name in GOOD:
        assert f"{site.content / name}: page too large" in result.output
    assert (
        invoke(
            "translate", site.content, "--to", "vi", "--engine", "pseudo", "--max-size", "lots"
        ).exit_code
        == 2
    )


def test_symlink_file_loop_is_reported_not_crashing(tmp_path: Path) -> None:
    """a.md -> b.md -> a.md: reported like a broken link; the good page is still translated."""
    content = tmp_path / "content"
    content.mkdir()
    hugo_config(tmp_path)
    (content / "ok.md").write_text("Hello world.\n")
    (content / "a.md").symlink_to("b.md")
    (content / "b.md").symlink_to("a.md")
    (content / "self").symlink_to("self")
    result = invoke("translate", content, "--to", "vi", "--engine", "pseudo")
    assert result.exit_code == 1, result.output
    assert f"{content / 'a.md'}:" in result.output
    assert f"{content / 'b.md'}:" in result.output
    assert (content / "ok.vi.md").is_file()


def test_symlink_to_a_sibling_folder_is_not_a_loop(tmp_path: Path) -> None:
    """content/zlink -> content/b is an alias, not a loop: the real folder ``b`` must be walked
    under its own name and never reported as a directory loop itself."""
    content = (tmp_path / "content").resolve()
    (content / "b").mkdir(parents=True)
    (content / "b" / "p.md").write_text("Hello world.\n")
    (content / "zlink").symlink_to("b", target_is_directory=True)
    files, problems = walk(content)
    assert content / "b" / "p.md" in files
    assert not [p for p in problems if p.path == content / "b"], [str(p) for p in problems]
    assert "b/p" in {p.key for p in discover(content).pages}


# -- pageio.decode -------------------------------------------------------------------------------


def test_decode_good_and_bom() -> None:
    assert decode(b"# Hi\n") == ("# Hi\n", False)
    assert decode(b"\xef\xbb\xbf# Hi\n") == ("# Hi\n", True)


@pytest.mark.parametrize(
    ("data", "line", "words"),
    [
        (b"", None, "empty file"),
        (b"  \n\t\n", None, "empty page"),
        (b"\xef\xbb\xbf\n\n", None, "empty page"),
        (b"abc\n\x00\x01binary", 2, "NUL byte at offset 4"),
        (b"\x00", 1, "binary"),
        (b"line one\nline two\ncaf\xe9\n", 3, "invalid byte 0xe9 at column 4"),
        (b"\xff\xfeh\x00i\x00", 1, "binary"),  # UTF-16: has NUL bytes
        (b"\xff\xfe plain", 1, "invalid byte 0xff at column 1"),
        (b"\xef\xbb\xbf---\ntitle: x\n---\n\nok \xff\n", 5, "column 4"),
        (b"ok\r\nok\r\n\xc3(\r\n", 3, "not UTF-8"),
    ],
)
def test_decode_errors(data: bytes, line: int | None, words: str) -> None:
    with pytest.raises(PageError) as info:
        decode(data)
    assert info.value.line == line
    assert info.value.path is None
    assert words in str(info.value)
    if line is not None:
        assert str(info.value).startswith(f"line {line}: ")


def test_decode_size_limit() -> None:
    with pytest.raises(PageError, match="too large"):
        decode(b"x" * 101, max_bytes=100)
    assert decode(b"x" * 100, max_bytes=100)[0] == "x" * 100


# -- pageio.read_document ------------------------------------------------------------------------

#: id -> (page text, line the error names, words of the message)
READ_ERRORS: dict[str, tuple[str, int, str]] = {
    "unclosed-yaml": ("---\ntitle: x\n\nBody.\n", 1, "unclosed front matter"),
    "unclosed-toml": ("+++\ntitle = 'x'\n\nBody.\n", 1, "unclosed front matter"),
    "yaml-flow": ("---\ntitle: ok\nbad: [1, 2\nx: y\n---\n\nBody.\n", 4, "invalid YAML"),
    "yaml-mapping": ("---\ntitle: ok\nsummary: a: b\n---\n\nBody.\n", 3, "invalid YAML"),
    "yaml-tab": ("---\ntitle: ok\n\tdesc: tab\n---\n\nBody.\n", 3, "invalid YAML"),
    "yaml-crlf": ("---\r\ntitle: x\r\nbad: [\r\n---\r\n\r\nText\r\n", 4, "invalid YAML"),
    "yaml-list": ("---\n- a\n- b\n---\n\nBody.\n", 1, "not a mapping"),
    "yaml-python-object": (
        "---\ntitle: x\nobj: !!python/object:os.system {}\n---\n\nBody.\n",
        3,
        "construct",
    ),
    "yaml-python-name": (
        "---\ntitle: x\nm: !!python/name:os.system\n---\n\nBody.\n",
        3,
        "construct",
    ),
    "toml-value": ('+++\ntitle = "x"\nbad = = 3\n+++\n\nBody.\n', 3, "invalid TOML"),
    "toml-duplicate": ('+++\ntitle = "x"\ntitle = "y"\n+++\n\nBody.\n', 3, "invalid TOML"),
    "json": ('{\n  "title": "x",\n  "bad": \n}\n\nBody.\n', 4, "invalid JSON"),
    "shortcode-unclosed": (
        "Intro.\n\n{{% notice info %}}\nNever closed.\n",
        3,
        "unclosed shortcode",
    ),
    "shortcode-unclosed-after-fm": (
        "---\ntitle: x\n---\n\nIntro.\n\n{{% notice info %}}\nNever closed.\n",
        7,
        "unclosed shortcode",
    ),
    "shortcode-stray-close": (
        "---\ntitle: x\n---\n\nIntro.\n\nText.\n\n{{% /expand %}}\n",
        9,
        "no opening",
    ),
    "shortcode-crlf": (
        "---\r\ntitle: x\r\n---\r\n\r\nText\r\n\r\n{{< notice >}}\r\n",
        7,
        "unclosed shortcode",
    ),
    "shortcode-crossed": (
        'Text.\n\n{{% expand "a" %}}\n{{% notice %}}\nx\n{{% /expand %}}\n',
        4,
        "unclosed shortcode",
    ),
    "shortcode-unterminated-tag": (
        "Text.\n\nMore {{< notice info \n\nnever ends\n",
        3,
        "unterminated shortcode",
    ),
}


@pytest.mark.parametrize(
    ("text", "line", "words"), list(READ_ERRORS.values()), ids=list(READ_ERRORS)
)
def test_read_document_errors_name_file_and_line(
    tmp_path: Path, text: str, line: int, words: str
) -> None:
    page = tmp_path / "page.md"
    page.write_bytes(text.encode("utf-8"))
    with pytest.raises(PageError) as info:
        read_document(page)
    err = info.value
    assert err.path == page
    assert err.line == line, str(err)
    assert str(err).startswith(f"{page}:{line}: "), str(err)
    assert words.lower() in str(err).lower()


@pytest.mark.parametrize(
    ("data", "line", "words"),
    [
        (b"", None, "empty file"),
        (b"\n\n   \n", None, "empty page"),
        (b"---\ntitle: x\n---\n\n\x00\x00", 5, "binary"),
        (b"---\ntitle: caf\xe9\n---\n", 2, "not UTF-8"),
    ],
)
def test_read_document_byte_errors(
    tmp_path: Path, data: bytes, line: int | None, words: str
) -> None:
    page = tmp_path / "page.md"
    page.write_bytes(data)
    with pytest.raises(PageError) as info:
        read_document(page)
    assert info.value.path == page
    assert info.value.line == line
    prefix = f"{page}:{line}: " if line else f"{page}: "
    assert str(info.value).startswith(prefix)
    assert words in str(info.value)


def test_yaml_tags_never_construct_objects(tmp_path: Path) -> None:
    pwned = tmp_path / "PWNED"
    page = tmp_path / "page.md"
    page.write_text(
        f'---\ntitle: x\nrun: !!python/object/apply:os.system ["touch {pwned}"]\n---\n\nBody.\n'
    )
    with pytest.raises(PageError, match="construct") as info:
        read_document(page)
    assert info.value.line == 3
    assert not pwned.exists()
    # discovery reads translationKey from the same front matter: no side effect either
    discover(tmp_path)
    assert not pwned.exists()


def test_big_page_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = tmp_path / "big.md"
    with page.open("wb") as fh:
        fh.truncate(10 * MB)
    read: list[Path] = []
    real_read_bytes = Path.read_bytes

    def spy(self: Path) -> bytes:
        read.append(self)
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", spy)
    with pytest.raises(PageError, match="too large") as info:
        read_document(page)
    assert info.value.path == page
    assert "10.0 MiB" in str(info.value) and "2.0 MiB" in str(info.value)
    assert read == []


def test_read_document_refuses_non_files(tmp_path: Path) -> None:
    folder = tmp_path / "folder.md"
    folder.mkdir()
    with pytest.raises(PageError, match="not a regular file") as info:
        read_document(folder)
    assert info.value.path == folder
    dangling = tmp_path / "dangling.md"
    dangling.symlink_to(tmp_path / "nowhere.md")
    with pytest.raises(PageError, match="broken symlink") as info:
        read_document(dangling)
    assert info.value.path == dangling


# -- atomic.write_atomic -------------------------------------------------------------------------


def test_write_atomic_creates_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "new" / "dir" / "page.vi.md"
    write_atomic(target, b"first")
    assert target.read_bytes() == b"first"
    write_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert sorted(p.name for p in target.parent.iterdir()) == ["page.vi.md"]


@pytest.mark.parametrize("fail_in", ["replace", "fsync", "write"])
def test_write_atomic_failure_keeps_old_file_and_leaves_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fail_in: str
) -> None:
    target = tmp_path / "page.vi.md"
    target.write_bytes(b"old content")

    def boom(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    if fail_in == "replace":
        monkeypatch.setattr(atomic.os, "replace", boom)
    elif fail_in == "fsync":
        monkeypatch.setattr(atomic.os, "fsync", boom)
    else:
        real_fdopen = os.fdopen

        class HalfWriter:
            def __init__(self, fd: int, mode: str) -> None:
                self.fh = real_fdopen(fd, mode)

            def __enter__(self) -> HalfWriter:
                return self

            def __exit__(self, *exc: object) -> None:
                self.fh.close()

            def write(self, data: bytes) -> int:
                self.fh.write(data[: len(data) // 2])
                self.fh.flush()
                raise OSError(28, "No space left on device")

        monkeypatch.setattr(atomic.os, "fdopen", HalfWriter)
    with pytest.raises(OSError, match="No space"):
        write_atomic(target, b"new content that is longer")
    assert target.read_bytes() == b"old content"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.vi.md"]


def test_write_atomic_interrupted_leaves_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "page.vi.md"

    def interrupt(*_args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "replace", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"data")
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def umask_022() -> Iterator[int]:
    old = os.umask(0o022)
    try:
        yield 0o022
    finally:
        os.umask(old)


def test_write_atomic_file_mode_follows_umask(tmp_path: Path, umask_022: int) -> None:
    """A translated page is readable like any file the user creates (0644 under umask 022),
    not private to its owner as the temporary file is (0600): Hugo, a web server or a CI
    user must be able to read it."""
    target = tmp_path / "page.vi.md"
    write_atomic(target, b"data")
    reference = tmp_path / "reference.md"
    reference.write_bytes(b"data")
    assert (
        stat.S_IMODE(target.stat().st_mode)
        == stat.S_IMODE(reference.stat().st_mode)
        == 0o666 & ~umask_022
    )
