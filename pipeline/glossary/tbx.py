"""TBX storage for the glossary (ISO 30042 TermBase eXchange, TBX-Basic dialect), for exchange
with CAT tools and terminology databases (memoQ, Trados MultiTerm, Okapi, Weblate…).

Written as TBX v2 (``<martif type="TBX-Basic">``), which those tools import: one
``<termEntry>`` per entry with a ``<langSet xml:lang="en">`` and a ``<langSet xml:lang="vi">``,
each holding one ``<tig>`` with the ``<term>``. The other fields travel as:

- mode: a keep (do-not-translate) entry has the *same term in both languages*, which is how
  CAT tools represent a term that stays as it is, and its English term carries
  ``<termNote type="translationNote">no</termNote>`` (the marker the Translate Toolkit and
  Weblate read as "untranslatable"). TBX-Basic has no standard do-not-translate category.
- status: ``<termNote type="administrativeStatus">`` on both terms: approved is
  ``preferredTerm-admn-sts``, proposed is ``admittedTerm-admn-sts``.
- case: ``<termNote type="x-caseSensitivity">sensitive|insensitive</termNote>`` on the English
  term (no TBX-Basic category exists; a private ``x-`` type).
- note: ``<note>`` on the entry.

Reading also accepts TBX v3 (``<conceptEntry>``, ``<langSec>``, ``<termSec>``) and files from
other tools: an entry without the marker is a keep entry when its two terms are equal;
deprecated, superseded or forbidden terms are skipped (a glossary entry is a term to *use*); an
English term without a Vietnamese one is skipped unless it is marked untranslatable; every
further English term of an entry (a synonym) becomes an entry with the same rendering. Parsing
is hardened against entity tricks (defusedxml).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

from defusedxml import ElementTree as SafeET

from .entries import Entry, GlossaryError, TermFileStore, clean, nfc, sort_key

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
STATUS = {"approved": "preferredTerm-admn-sts", "proposed": "admittedTerm-admn-sts"}
_STATUS_BACK = {v: k for k, v in STATUS.items()}
_UNUSABLE = (
    "deprecatedTerm-admn-sts",
    "supersededTerm-admn-sts",
    "deprecated",
    "superseded",
    "forbidden",
    "obsolete",
)


class TbxStore(TermFileStore):
    """Reads and writes TBX-Basic files."""

    @staticmethod
    def dumps(entries: Iterable[Entry]) -> bytes:
        root = ET.Element("martif", {"type": "TBX-Basic", XML_LANG: "en"})
        header = ET.SubElement(ET.SubElement(root, "martifHeader"), "fileDesc")
        ET.SubElement(ET.SubElement(header, "sourceDesc"), "p").text = "vien glossary export"
        enc = ET.SubElement(root.find("martifHeader"), "encodingDesc")  # type: ignore[arg-type]
        ET.SubElement(enc, "p", type="XCSURI").text = "TBXBasicXCSV02.xcs"
        body = ET.SubElement(ET.SubElement(root, "text"), "body")
        for n, e in enumerate(sorted(entries, key=sort_key), start=1):
            entry = ET.SubElement(body, "termEntry", id=f"c{n}")
            for lang in ("en", "vi"):
                tig = ET.SubElement(ET.SubElement(entry, "langSet", {XML_LANG: lang}), "tig")
                ET.SubElement(tig, "term").text = e.term(lang)
                if lang == "en":
                    if e.mode == "keep":
                        _note(tig, "translationNote", "no")
                    _note(tig, "x-caseSensitivity", e.case)
                _note(tig, "administrativeStatus", STATUS.get(e.status, e.status))
            if e.note:
                ET.SubElement(entry, "note").text = e.note
        ET.indent(root)
        return (
            b'<?xml version="1.0" encoding="UTF-8"?>\n'
            b'<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">\n'
            + ET.tostring(root, encoding="utf-8", xml_declaration=False)
            + b"\n"
        )

    @staticmethod
    def load(path: Path) -> tuple[list[Entry], list[str]]:
        """The entries of a TBX file, and warnings about what could not be used."""
        try:
            root = SafeET.parse(path).getroot()
        except (OSError, SafeET.ParseError, ValueError, LookupError) as exc:
            raise GlossaryError(f"{path}: cannot read TBX: {exc}") from exc
        if _local(root.tag) not in ("martif", "tbx"):
            raise GlossaryError(f"{path}: not a TBX file (root element <{root.tag}>)")
        entries: list[Entry] = []
        warnings: list[str] = []
        for n, concept in enumerate(_children(root, "termEntry", "conceptEntry"), start=1):
            where = f"{path}: entry {concept.get('id') or n}"
            got, problems = _entries(concept)
            entries.extend(got)
            warnings.extend(f"{where}: {p}" for p in problems)
        return entries, warnings


def _note(parent: ET.Element, kind: str, text: str) -> None:
    ET.SubElement(parent, "termNote", type=kind).text = text


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(root: ET.Element, *names: str) -> list[ET.Element]:
    return [el for el in root.iter() if _local(el.tag) in names]


def _terms(concept: ET.Element, lang: str) -> list[tuple[str, dict[str, str]]]:
    """(term, its termNotes by type) of ``lang``'s language sets, usable ones only."""
    out = []
    for lang_set in _children(concept, "langSet", "langSec"):
        code = (lang_set.get(XML_LANG) or lang_set.get("lang") or "").lower()
        if code.split("-")[0].split("_")[0] != lang:
            continue
        for group in _children(lang_set, "tig", "ntig", "termSec"):
            term = next(iter(_children(group, "term")), None)
            if term is None or not clean("".join(term.itertext())):
                continue
            notes = {
                el.get("type", ""): clean("".join(el.itertext()))
                for el in _children(group, "termNote", "descrip")
            }
            out.append((clean("".join(term.itertext())), notes))
    return out


def _entries(concept: ET.Element) -> tuple[list[Entry], list[str]]:
    problems: list[str] = []
    usable = []
    for lang in ("en", "vi"):
        terms = []
        for term, notes in _terms(concept, lang):
            status = notes.get("administrativeStatus", "")
            if status in _UNUSABLE:
                problems.append(f"{lang} term {term!r} is {status}; skipped")
            else:
                terms.append((term, notes))
        usable.append(terms)
    en_terms, vi_terms = usable
    if not en_terms:
        if vi_terms:
            problems.append(f"no English term for {vi_terms[0][0]!r}; skipped")
        return [], problems
    if len(vi_terms) > 1:
        problems.append(
            f"{len(vi_terms) - 1} further Vietnamese term(s) ignored (kept {vi_terms[0][0]!r})"
        )
    note = "\n".join(
        nfc("".join(el.itertext())).strip() for el in concept if _local(el.tag) == "note"
    )
    out = []
    for en, notes in en_terms:
        vi = vi_terms[0][0] if vi_terms else ""
        keep = notes.get("translationNote", "").lower() == "no" or vi == en
        if not keep and not vi:
            problems.append(f"no Vietnamese term for {en!r}; skipped")
            continue
        status_note = notes.get("administrativeStatus") or (
            vi_terms[0][1].get("administrativeStatus", "") if vi_terms else ""
        )
        case = notes.get("x-caseSensitivity") or (
            "insensitive" if en == en.lower() else "sensitive"
        )
        out.append(
            Entry(
                en,
                en if keep else vi,
                "keep" if keep else "translate",
                case != "insensitive",
                note,
                _STATUS_BACK.get(status_note, "proposed"),
            )
        )
    return out, problems
