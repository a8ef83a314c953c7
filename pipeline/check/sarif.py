"""``vien check --format sarif``: the findings as one SARIF 2.1.0 run (OASIS Static Analysis
Results Interchange Format), for code-scanning dashboards such as GitHub's.

One rule per finding kind; each result has a level (``error``, ``warning`` or ``note``), a
message and a physical location whose URI is relative to the site root (``uriBaseId``
``SITEROOT``, declared in ``originalUriBaseIds``), with the 1-based line as
``region.startLine``. Pages that could not be read are tool execution notifications.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from urllib.parse import quote

from .. import __version__
from .run import Report

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
BASE_ID = "SITEROOT"

#: kind -> (rule name, short description, default level)
RULES: dict[str, tuple[str, str, str]] = {
    "untranslated": (
        "UntranslatedSegment",
        "A segment written in the other language: left untranslated.",
        "error",
    ),
    "missing-page": ("MissingPage", "A page with no counterpart in the other language.", "error"),
    "missing-section": (
        "MissingSection",
        "A source section with no aligned counterpart section.",
        "error",
    ),
    "stale": (
        "StaleTranslation",
        "The source section changed after its translation was recorded.",
        "warning",
    ),
    "glossary": (
        "GlossaryViolation",
        "A keep-term altered or missing, or a forced rendering not used.",
        "warning",
    ),
    "structure": (
        "StructureDrift",
        "Aligned sections with different numbers of code blocks, tables, shortcodes or images.",
        "warning",
    ),
    "anchor": (
        "BrokenAnchor",
        "A link to a #fragment of this page or another page of the site that no heading ID "
        "or HTML id resolves.",
        "error",
    ),
}
LEVELS = {"error": "error", "warning": "warning", "notice": "note"}


def _uri(file: str, root: Path) -> tuple[str, bool]:
    """The finding's file as a URI reference relative to ``root`` (True), or absolute."""
    path = Path(file)
    with contextlib.suppress(ValueError, OSError):
        return quote(path.resolve().relative_to(root.resolve()).as_posix()), True
    return path.resolve().as_uri(), False


def sarif_log(report: Report, root: Path) -> dict[str, object]:
    """The SARIF log of ``report``; file URIs are relative to the site ``root``."""
    kinds = list(RULES)
    rules = [
        {
            "id": kind,
            "name": name,
            "shortDescription": {"text": text},
            "defaultConfiguration": {"level": level},
        }
        for kind, (name, text, level) in RULES.items()
    ]
    results = []
    for f in report.findings:
        uri, relative = _uri(f.file, root)
        location: dict[str, object] = {"uri": uri}
        if relative:
            location["uriBaseId"] = BASE_ID
        result: dict[str, object] = {
            "ruleId": f.kind,
            "level": LEVELS.get(f.severity, "warning"),
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": location,
                        "region": {"startLine": max(1, f.line)},
                    },
                    **(
                        {"logicalLocations": [{"name": f.section, "kind": "member"}]}
                        if f.section
                        else {}
                    ),
                }
            ],
            "partialFingerprints": {"vienFindingHash/v1": f.fingerprint(root)},
        }
        if f.kind in kinds:
            result["ruleIndex"] = kinds.index(f.kind)
        results.append(result)
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "vien",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {BASE_ID: {"uri": root.resolve().as_uri() + "/"}},
                "invocations": [
                    {
                        "executionSuccessful": not report.errors,
                        "toolExecutionNotifications": [
                            {"level": "error", "message": {"text": err}} for err in report.errors
                        ],
                    }
                ],
                "results": results,
            }
        ],
    }
