"""Reading pages safely: bytes checked before parsing, every failure a PageError naming the
file."""

from __future__ import annotations

from pathlib import Path

from ..errors import PageError
from .model import Document
from .options import DEFAULT_OPTIONS, ParseOptions

# the parser (markdown-it) is imported where a page is parsed: a run that only reads and
# hashes pages (a re-run with nothing changed) does not import it (start-up time)

#: Pages larger than this are refused (real pages are a few KB; 10 MB is a mistake).
DEFAULT_MAX_BYTES = 2 * 1024 * 1024
BOM = b"\xef\xbb\xbf"


def _mib(n: int) -> str:
    return f"{n / 1024**2:.1f} MiB"


def empty_page(path: Path) -> bool:
    """A page with nothing in it (0 bytes, or only a BOM and white space): Hugo builds it as
    an empty page, so vien skips it rather than failing. False when it cannot be read."""
    try:
        if path.stat().st_size > 4096:
            return False
        data = path.read_bytes()
    except OSError:
        return False
    return not data.removeprefix(BOM).strip()


def decode(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[str, bool]:
    """Validate page bytes and decode them; returns (text without BOM, had BOM)."""
    if not data:
        raise PageError("empty file (0 bytes): nothing to translate")
    if len(data) > max_bytes:
        raise PageError(
            f"page too large: {_mib(len(data))}, the limit is {_mib(max_bytes)} (--max-size)"
        )
    nul = data.find(b"\0")
    if nul >= 0:
        raise PageError(
            f"binary file, not a markdown page (NUL byte at offset {nul})",
            line=data.count(b"\n", 0, nul) + 1,
        )
    bom = data.startswith(BOM)
    try:
        text = data[3:].decode("utf-8") if bom else data.decode("utf-8")
    except UnicodeDecodeError as exc:
        at = exc.start + (3 if bom else 0)
        line = data.count(b"\n", 0, at) + 1
        col = at - (data.rfind(b"\n", 0, at) + 1) + 1
        raise PageError(
            f"not UTF-8: invalid byte 0x{data[at]:02x} at column {col}; re-save the file as UTF-8",
            line=line,
        ) from exc
    if not text.strip():
        raise PageError("empty page (only whitespace): nothing to translate")
    return text, bom


def read_document(
    path: Path, options: ParseOptions = DEFAULT_OPTIONS, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Document:
    """Read and parse one page; every failure is a :class:`PageError` naming the file."""
    return document_of(path, read_page_bytes(path, max_bytes=max_bytes), options, max_bytes)


def read_page_bytes(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """A page's bytes, unparsed (regular file, size within ``max_bytes``); every failure is a
    :class:`PageError` naming the file."""
    try:
        if path.is_symlink() and not path.exists():
            raise PageError("broken symlink")
        if not path.is_file():
            raise PageError("not a regular file")
        size = path.stat().st_size
        if size > max_bytes:
            raise PageError(
                f"page too large: {_mib(size)}, the limit is {_mib(max_bytes)} (--max-size)"
            )
        return path.read_bytes()
    except OSError as exc:
        raise PageError(f"cannot read: {exc.strerror or exc}", path=path) from exc
    except PageError as exc:
        raise exc.located(path) from None


def document_of(
    path: Path,
    data: bytes,
    options: ParseOptions = DEFAULT_OPTIONS,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Document:
    """The page ``data`` read from ``path``, parsed; failures name the file."""
    from .parse import parse

    try:
        text, bom = decode(data, max_bytes=max_bytes)
        return parse(text, options, bom=bom)
    except PageError as exc:
        raise exc.located(path) from None
