"""TMX 1.4b storage for the translation memory, for exchange with CAT tools.

Each unit is a ``<tu>`` with one ``<tuv>`` per language; vien's provenance, model id and
glossary version travel as ``<prop type="x-…">``. Reading is hardened against entity tricks
(defusedxml).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

from defusedxml import ElementTree as SafeET

from ..errors import VienError
from .memory import Unit

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class TmxError(VienError):
    """A TMX file that cannot be read."""


class TmxStore:
    """Reads and writes TMX 1.4b files."""

    @staticmethod
    def dump(units: Iterable[Unit], path: Path, *, srclang: str = "en") -> int:
        root = ET.Element("tmx", version="1.4")
        ET.SubElement(
            root,
            "header",
            {
                "creationtool": "vien",
                "creationtoolversion": "0.1",
                "segtype": "block",
                "o-tmf": "vien-sqlite",
                "adminlang": "en",
                "srclang": srclang,
                "datatype": "markdown",
            },
        )
        body = ET.SubElement(root, "body")
        n = 0
        for u in units:
            tu = ET.SubElement(body, "tu", srclang=u.src_lang)
            for key, value in (
                ("x-provenance", u.provenance),
                ("x-model", u.model_id),
                ("x-glossary-version", u.glossary_version),
                ("x-page", u.page),
            ):
                if value:
                    ET.SubElement(tu, "prop", type=key).text = value
            for lang, text in ((u.src_lang, u.src_text), (u.tgt_lang, u.tgt_text)):
                tuv = ET.SubElement(tu, "tuv", {XML_LANG: lang})
                ET.SubElement(tuv, "seg").text = text
            n += 1
        ET.indent(root)
        tree = ET.ElementTree(root)
        with path.open("wb") as fh:
            fh.write(b'<?xml version="1.0" encoding="UTF-8"?>\n')
            fh.write(b'<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n')
            tree.write(fh, encoding="utf-8", xml_declaration=False)
            fh.write(b"\n")
        return n

    @staticmethod
    def load(path: Path, *, provenance: str = "imported") -> list[Unit]:
        """Units of a TMX file; each ``<tu>`` gives one unit per pair of its languages
        (from its ``srclang``, else the header's, to each other language)."""
        try:
            root = SafeET.parse(path).getroot()
        except (OSError, SafeET.ParseError, ValueError, LookupError) as exc:
            raise TmxError(f"{path}: cannot read TMX: {exc}") from exc
        if root.tag != "tmx":
            raise TmxError(f"{path}: not a TMX file (root element <{root.tag}>)")
        header = root.find("header")
        default_src = header.get("srclang", "") if header is not None else ""
        units = []
        for tu in root.iter("tu"):
            props = {p.get("type", ""): (p.text or "") for p in tu.findall("prop")}
            segs = {}
            for tuv in tu.findall("tuv"):
                lang = (tuv.get(XML_LANG) or tuv.get("lang") or "").lower().split("-")[0]
                seg = tuv.find("seg")
                if lang and seg is not None:
                    segs[lang] = "".join(seg.itertext())
            src = (tu.get("srclang") or default_src).lower().split("-")[0]
            if src not in segs:
                continue
            for lang, text in segs.items():
                if lang != src:
                    units.append(
                        Unit(
                            src,
                            lang,
                            segs[src],
                            text,
                            props.get("x-provenance", provenance),
                            props.get("x-glossary-version", ""),
                            props.get("x-model", ""),
                            props.get("x-page", ""),
                        )
                    )
        return units
