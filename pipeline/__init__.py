"""vien: offline Vietnamese⇄English translation and alignment for Hugo content sites.

The library, stage by stage::

    from vien import discover, read_document, get_engine, render_text, problems

    found = discover(Path("data/site"))          # pages and counterparts
    doc = read_document(found.pages[0].path)      # sections, blocks, segments
    texts = get_engine("pseudo").translate(doc.segments, "en", "vi")
    out = render_text(doc, dict(enumerate(texts)))
    assert not problems(doc, out)                 # equivalent: safe to write
"""

from __future__ import annotations

__version__ = "0.1.0"

from .atomic import write_atomic
from .errors import ConfigError, InvariantError, PageError, VienError
from .mt import ENGINES, Engine, get_engine
from .page.invariants import ensure_equivalent, problems
from .page.model import Block, Document, Part, Section, Segment
from .page.parse import ParseOptions, parse
from .page.read import read_document
from .page.render import render_bytes, render_text
from .site.discover import Discovery, Page, SiteConfig, discover

__all__ = [
    "ENGINES",
    "Block",
    "ConfigError",
    "Discovery",
    "Document",
    "Engine",
    "InvariantError",
    "Page",
    "PageError",
    "ParseOptions",
    "Part",
    "Section",
    "Segment",
    "SiteConfig",
    "VienError",
    "__version__",
    "discover",
    "ensure_equivalent",
    "get_engine",
    "parse",
    "problems",
    "read_document",
    "render_bytes",
    "render_text",
    "write_atomic",
]
