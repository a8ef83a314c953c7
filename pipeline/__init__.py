"""vien: offline Vietnamese⇄English translation and alignment for Hugo content sites.

The library, stage by stage::

    from vien import discover, read_document, get_engine, render_text, problems

    found = discover(Path("data/site"))          # pages and counterparts
    doc = read_document(found.pages[0].path)      # sections, blocks, segments
    texts = get_engine("pseudo").translate(doc.segments, "en", "vi")
    out = render_text(doc, dict(enumerate(texts)))
    assert not problems(doc, out)                 # equivalent: safe to write

The names are imported on first use, so that ``import vien.cli.main`` stays fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .lazy import lazy_names

__version__ = "0.1.0"

#: Public name -> the module (relative to this package) that defines it.
_WHERE = {
    "write_atomic": ".atomic",
    "ConfigError": ".errors",
    "InvariantError": ".errors",
    "PageError": ".errors",
    "VienError": ".errors",
    "ENGINES": ".mt.engine",
    "Engine": ".mt.engine",
    "get_engine": ".mt.engine",
    "ensure_equivalent": ".page.invariants",
    "problems": ".page.invariants",
    "Block": ".page.model",
    "Document": ".page.model",
    "Part": ".page.model",
    "Section": ".page.model",
    "Segment": ".page.model",
    "ParseOptions": ".page.parse",
    "parse": ".page.parse",
    "read_document": ".page.read",
    "render_bytes": ".page.render",
    "render_text": ".page.render",
    "Discovery": ".site.discover",
    "Page": ".site.discover",
    "SiteConfig": ".site.discover",
    "discover": ".site.discover",
}

if TYPE_CHECKING:
    from .atomic import write_atomic
    from .errors import ConfigError, InvariantError, PageError, VienError
    from .mt.engine import ENGINES, Engine, get_engine
    from .page.invariants import ensure_equivalent, problems
    from .page.model import Block, Document, Part, Section, Segment
    from .page.parse import ParseOptions, parse
    from .page.read import read_document
    from .page.render import render_bytes, render_text
    from .site.discover import Discovery, Page, SiteConfig, discover


__getattr__ = lazy_names(__name__, _WHERE)


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
