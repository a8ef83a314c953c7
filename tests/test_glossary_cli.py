"""`vien glossary`: editing, lint, and the TBX / Amazon Translate round trips."""

from __future__ import annotations

import json
import shutil
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from defusedxml import ElementTree as SafeET
from vien.cli.main import main
from vien.glossary.aws_terminology import AwsTerminologyStore
from vien.glossary.entries import DEFAULT_PATH, FIELDS, CsvGlossaryStore, GlossaryError, load
from vien.glossary.lint import CHECKS, DEFAULT, lint
from vien.glossary.tbx import XML_LANG, TbxStore

HEADER = ",".join(FIELDS) + "\n"


def vien(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def gcsv(tmp_path: Path) -> Path:
    path = tmp_path / "g.csv"
    shutil.copy(DEFAULT_PATH, path)
    return path


# --- editing -------------------------------------------------------------------------------


def test_add_set_remove_change_one_line_each(gcsv: Path) -> None:
    original = gcsv.read_text(encoding="utf-8").splitlines()
    r = vien(
        "glossary",
        "add",
        "rollback plan",
        "--vi",
        "kế hoạch khôi phục",
        "--note",
        'tricky, "quoted"',
        "--glossary",
        gcsv,
    )
    assert r.exit_code == 0, r.output
    added = gcsv.read_text(encoding="utf-8").splitlines()
    assert sorted(set(added) - set(original)) == [
        'rollback plan,kế hoạch khôi phục,translate,insensitive,"tricky, ""quoted""",proposed'
    ]
    assert len(added) == len(original) + 1 and lint(gcsv) == []  # still sorted and clean

    r = vien(
        "glossary",
        "set",
        "Rollback Plan",
        "--vi",
        "phương án khôi phục",
        "--status",
        "approved",
        "--glossary",
        gcsv,
    )
    assert r.exit_code == 0, r.output
    changed = gcsv.read_text(encoding="utf-8").splitlines()
    assert [(a, b) for a, b in zip(added, changed, strict=True) if a != b] == [
        (
            'rollback plan,kế hoạch khôi phục,translate,insensitive,"tricky, ""quoted""",proposed',
            'rollback plan,phương án khôi phục,translate,insensitive,"tricky, ""quoted""",approved',
        )
    ]

    assert vien("glossary", "remove", "rollback plan", "--glossary", gcsv).exit_code == 0
    assert gcsv.read_text(encoding="utf-8").splitlines() == original


def test_set_mode_switches_keep_the_rendering_consistent(gcsv: Path) -> None:
    assert (
        vien("glossary", "set", "alerting", "--vi", "cảnh báo", "--glossary", gcsv).exit_code == 0
    )
    (e,) = load(gcsv).lookup("alerting")
    assert (e.mode, e.vi) == ("translate", "cảnh báo")
    assert vien("glossary", "set", "alerting", "--mode", "keep", "--glossary", gcsv).exit_code == 0
    (e,) = load(gcsv).lookup("alerting")
    assert (e.mode, e.vi) == ("keep", "alerting")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["add", "ECS"], "already in the glossary"),
        (["add", "ecs"], "already in the glossary as 'ECS'"),
        (["add", "new thing", "--mode", "translate"], "needs a Vietnamese rendering"),
        (["add", "new thing", "--mode", "keep", "--vi", "thứ mới"], "cannot have a rendering"),
        (["add", "   "], "the term is empty"),
        (["set", "no such term", "--vi", "x"], "is not in the glossary"),
        (["set", "ECS", "--rename", "Amazon ECS"], "already in the glossary"),
        (["set", "alerting", "--mode", "translate"], "needs a Vietnamese rendering"),
        (["remove", "no such term"], "is not in the glossary"),
        (["show", "no such term"], "is not in the glossary"),
    ],
)
def test_input_errors_exit_2_and_leave_the_file(gcsv: Path, args: list[str], message: str) -> None:
    before = gcsv.read_bytes()
    r = vien("glossary", *args, "--glossary", gcsv)
    assert r.exit_code == 2 and message in r.output, r.output
    assert gcsv.read_bytes() == before


def test_set_without_a_change_is_a_usage_error(gcsv: Path) -> None:
    r = vien("glossary", "set", "ECS", "--glossary", gcsv)
    assert r.exit_code == 2 and "nothing to change" in r.output


def test_list_filters_and_formats(gcsv: Path) -> None:
    g = load(gcsv)
    r = vien(
        "glossary",
        "list",
        "--mode",
        "translate",
        "--grep",
        "^deploy",
        "--format",
        "json",
        "--glossary",
        gcsv,
    )
    assert r.exit_code == 0, r.output
    got = json.loads(r.stdout)
    want = [
        e.row() for e in g.entries if e.mode == "translate" and e.en.lower().startswith("deploy")
    ]
    assert got == want and len(want) >= 2
    r = vien("glossary", "list", "--status", "proposed", "--format", "csv", "--glossary", gcsv)
    lines = r.stdout.splitlines()
    assert lines[0] == HEADER.strip()
    assert len(lines) - 1 == sum(e.status == "proposed" for e in g.entries)
    r = vien("glossary", "list", "--grep", "(", "--glossary", gcsv)
    assert r.exit_code == 2


def test_show_names_longer_terms_containing_it(gcsv: Path) -> None:
    r = vien("glossary", "show", "ecs", "--glossary", gcsv)
    assert r.exit_code == 0
    assert r.stdout.startswith("ECS  [keep, sensitive")
    assert "Amazon ECS" in r.stdout.splitlines()[-1]


def test_fmt_sorts_and_normalises(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    path.write_text(
        HEADER + "zeta,zeta,keep,sensitive, note ,approved\nAlpha,Alpha,keep,sensitive,,approved\n",
        encoding="utf-8",
    )
    assert vien("glossary", "fmt", "--check", "--glossary", path).exit_code == 1
    assert vien("glossary", "fmt", "--glossary", path).exit_code == 0
    assert path.read_text(encoding="utf-8") == (
        HEADER + "Alpha,Alpha,keep,sensitive,,approved\nzeta,zeta,keep,sensitive,note,approved\n"
    )
    assert vien("glossary", "fmt", "--check", "--glossary", path).exit_code == 0


# --- lint ----------------------------------------------------------------------------------

NFD = unicodedata.normalize("NFD", "kiểm thử")
SEEDED = (
    HEADER
    + "\n".join(
        [
            'alpha service,alpha service,keep,insensitive,"two\nlines",approved',  # whitespace
            "beta check,kiểm tra beta,translate,insensitive,ok,maybe",  # value (status)
            "blue lagoon,đầm xanh,translate,insensitive,,approved",  # overlap (advisory)
            "delta one,đồng bằng,translate,insensitive,,approved",
            "delta two,đồng bằng,translate,insensitive,,approved",  # ambiguous
            "epsilon,epsilon,keep,sensitive,,approved",
            "epsilon,epsilon,keep,sensitive,again,approved",  # duplicate
            "Gamma Service,Gamma Service,keep,sensitive,,approved",
            "gamma service,gamma service,keep,insensitive,,approved",  # case
            f"kappa test,{NFD},translate,insensitive,,approved",  # unicode
            "lagoon tour,lagoon tour,keep,insensitive,,approved",
            "omega,,translate,sensitive,,approved",  # rendering
            "theta\u00a0ray,theta ray,keep,sensitive,,approved",  # whitespace (NBSP)
            "zeta term,zeta một,translate,insensitive,,approved",
            "zeta term,zeta hai,translate,insensitive,,approved",  # conflict
            "aaa late row,aaa late row,keep,insensitive,,approved",  # order
        ]
    )
    + "\n"
)


def _line(text: str, start: str) -> int:
    return text[: text.index("\n" + start) + 1].count("\n") + 1


def test_lint_finds_each_seeded_defect_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "seeded.csv"
    path.write_text(SEEDED, encoding="utf-8")
    want = {
        (_line(SEEDED, "alpha service"), "whitespace"),
        (_line(SEEDED, "beta check"), "value"),
        (_line(SEEDED, "delta two"), "ambiguous"),
        (_line(SEEDED, "epsilon,epsilon,keep,sensitive,again"), "duplicate"),
        (_line(SEEDED, "gamma service"), "case"),
        (_line(SEEDED, "kappa test"), "unicode"),
        (_line(SEEDED, "omega"), "rendering"),
        (_line(SEEDED, "zeta term,zeta hai"), "conflict"),
        (_line(SEEDED, "aaa late row"), "order"),
        (_line(SEEDED, "theta"), "whitespace"),
    }
    assert _line(SEEDED, "beta check") == 4  # the two-line note counts
    assert {(f.line, f.check) for f in lint(path)} == want
    assert {f.check for f in lint(path)} == set(DEFAULT) - {"header", "control"}
    every = {(f.line, f.check) for f in lint(path, CHECKS)}
    assert every - want == {(_line(SEEDED, "lagoon tour"), "overlap")}

    r = vien("glossary", "lint", "--glossary", path)
    assert r.exit_code == 1
    assert len(r.stdout.splitlines()) == len(want)
    assert f"{path}:{_line(SEEDED, 'omega')}: rendering: translate-mode term 'omega'" in r.stdout
    r = vien("glossary", "lint", "--all", "--format", "json", "--glossary", path)
    assert r.exit_code == 1
    assert {(f["line"], f["check"]) for f in json.loads(r.stdout)["findings"]} == every
    r = vien("glossary", "lint", "--select", "conflict,case", "--glossary", path)
    assert {line.split(": ")[1] for line in r.stdout.splitlines()} == {"conflict", "case"}


def test_lint_control_search_is_the_unicode_category() -> None:
    """The control check's one search per field finds exactly the characters of category Cc
    but tab and line breaks, as the per-character test it replaces."""
    from vien.glossary.lint import _CONTROL

    for i in range(0x110000):
        c = chr(i)
        want = unicodedata.category(c) == "Cc" and c not in "\t\n\r"
        assert bool(_CONTROL.search(c)) == want, f"U+{i:04X}"


def test_lint_reports_control_characters_but_not_tabs_or_line_breaks(tmp_path: Path) -> None:
    path = tmp_path / "control.csv"
    path.write_text(
        HEADER + 'bell,bell,keep,sensitive,"a\x07b\x1bc\x85\x07",approved\n'
        'note,note,keep,sensitive,"two\r\nlines",approved\n',
        encoding="utf-8",
    )
    found = [f for f in lint(path) if f.check == "control"]
    assert [(f.line, f.message) for f in found] == [
        (2, "note 'a\\x07b\\x1bc\\x85\\x07' contains control character(s) U+0007, U+001B, U+0085")
    ]


def test_lint_exit_codes(tmp_path: Path) -> None:
    clean = tmp_path / "clean.csv"
    clean.write_text(
        HEADER + "Amazon S3,Amazon S3,keep,sensitive,,approved\n"
        "S3,S3,keep,sensitive,short form,approved\n",
        encoding="utf-8",
    )
    assert vien("glossary", "lint", "--all", "--glossary", clean).exit_code == 0
    assert vien("glossary", "lint").exit_code == 0  # the shipped glossary is clean
    header = tmp_path / "header.csv"
    header.write_text("en,mode,vi\nS3,keep,S3\n", encoding="utf-8")
    r = vien("glossary", "lint", "--glossary", header)
    assert r.exit_code == 1 and ":1: header:" in r.stdout
    broken = tmp_path / "broken.csv"
    broken.write_text("term,rendering\nS3,S3\n", encoding="utf-8")
    assert vien("glossary", "lint", "--glossary", broken).exit_code == 2
    assert vien("glossary", "lint", "--glossary", tmp_path / "missing.csv").exit_code == 2
    assert vien("glossary", "lint", "--select", "nope", "--glossary", clean).exit_code == 2


# --- exchange formats ----------------------------------------------------------------------

TRICKY = (
    HEADER
    + "\n".join(
        [
            'AT&T <Cloud>,AT&T <Cloud>,keep,sensitive,"brand with <&> and ""quotes""",approved',
            '"comma, term",dấu phẩy,translate,insensitive,"note, with comma",proposed',
            f"{unicodedata.normalize('NFD', 'giám sát')} x,"
            f"{unicodedata.normalize('NFD', 'giám sát')} chặt,"
            "translate,insensitive,NFD input,approved",
            '"say ""hi""",nói ""xin chào"",translate,insensitive,"two\nline note",approved',
        ]
    )
    + "\n"
)


@pytest.fixture
def tricky(tmp_path: Path) -> Path:
    path = tmp_path / "tricky.csv"
    path.write_text(TRICKY, encoding="utf-8")
    return path


def test_tbx_round_trip_keeps_every_field(tmp_path: Path, tricky: Path) -> None:
    for source in (DEFAULT_PATH, tricky):
        g = CsvGlossaryStore.load(source)
        tbx = tmp_path / "out.tbx"
        assert (
            vien("glossary", "export", "--format", "tbx", tbx, "--glossary", source).exit_code == 0
        )
        entries, warnings = TbxStore.load(tbx)
        assert warnings == []
        assert sorted(entries, key=str) == sorted(g.entries, key=str)
        back = tmp_path / "back.csv"
        r = vien("glossary", "import", tbx, "--glossary", back)
        assert r.exit_code == 0, r.output
        assert back.read_bytes() == CsvGlossaryStore.dumps(g.entries)
        back.unlink()
    assert len(CsvGlossaryStore.load(DEFAULT_PATH)) == 468
    assert CsvGlossaryStore.dumps(load().entries) == DEFAULT_PATH.read_bytes()
    nfc = [e for e in CsvGlossaryStore.load(tricky).entries if e.note == "NFD input"]
    assert nfc[0].vi == "giám sát chặt" and unicodedata.is_normalized("NFC", nfc[0].en)


def test_tbx_is_tbx_basic_with_do_not_translate(tmp_path: Path) -> None:
    path = tmp_path / "aws.tbx"
    g = load()
    TbxStore.dump(g.entries, path)
    root = SafeET.parse(path).getroot()
    assert (root.tag, root.get("type")) == ("martif", "TBX-Basic")
    concepts = root.findall("text/body/termEntry")
    assert len(concepts) == len(g)
    for concept, e in zip(
        concepts, sorted(g.entries, key=lambda e: (e.en.casefold(), e.en, e.mode)), strict=True
    ):
        langs = {ls.get(XML_LANG): ls for ls in concept.findall("langSet")}
        assert set(langs) == {"en", "vi"}
        en, vi = (langs[k].findtext("tig/term") for k in ("en", "vi"))
        dnt = [
            n.text
            for n in langs["en"].findall("tig/termNote")
            if n.get("type") == "translationNote"
        ]
        assert (en, vi) == (e.en, e.term("vi"))
        assert dnt == (["no"] if e.mode == "keep" else [])


def test_tbx_from_other_tools(tmp_path: Path) -> None:
    path = tmp_path / "other.tbx"
    path.write_text(
        """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
 <text><body>
  <conceptEntry id="a">
   <langSec xml:lang="en-US"><termSec><term>deployment strategy</term></termSec>
     <termSec><term>rollout strategy</term></termSec></langSec>
   <langSec xml:lang="vi-VN"><termSec><term>chiến lược triển khai</term>
     <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>
     <termSec><term>chiến lược phát hành</term></termSec></langSec>
  </conceptEntry>
  <conceptEntry id="b">
   <langSec xml:lang="en"><termSec><term>Kubernetes</term></termSec></langSec>
   <langSec xml:lang="vi"><termSec><term>Kubernetes</term></termSec></langSec>
  </conceptEntry>
  <conceptEntry id="c">
   <langSec xml:lang="en"><termSec><term>old name</term>
     <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termSec>
   </langSec>
   <langSec xml:lang="vi"><termSec><term>tên cũ</term></termSec></langSec>
  </conceptEntry>
  <conceptEntry id="d"><langSec xml:lang="en"><termSec><term>lonely</term></termSec>
   </langSec></conceptEntry>
 </body></text>
</tbx>
""",
        encoding="utf-8",
    )
    entries, warnings = TbxStore.load(path)
    assert [(e.en, e.vi, e.mode, e.case_sensitive, e.status) for e in entries] == [
        ("deployment strategy", "chiến lược triển khai", "translate", False, "approved"),
        ("rollout strategy", "chiến lược triển khai", "translate", False, "approved"),
        ("Kubernetes", "Kubernetes", "keep", True, "proposed"),
    ]
    assert [w.split(": ", 2)[1:] for w in warnings] == [
        ["entry a", "1 further Vietnamese term(s) ignored (kept 'chiến lược triển khai')"],
        ["entry c", "en term 'old name' is deprecatedTerm-admn-sts; skipped"],
        ["entry c", "no English term for 'tên cũ'; skipped"],
        ["entry d", "no Vietnamese term for 'lonely'; skipped"],
    ]


def test_tbx_entities_and_junk_are_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.tbx"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaa">]>'
        "<martif><text><body>&a;</body></text></martif>",
        encoding="utf-8",
    )
    junk = tmp_path / "junk.tbx"
    junk.write_text("<html></html>", encoding="utf-8")
    for path in (bomb, junk, tmp_path / "missing.tbx"):
        with pytest.raises(GlossaryError):
            TbxStore.load(path)
    r = vien("glossary", "import", bomb, "--glossary", tmp_path / "g.csv")
    assert r.exit_code == 2 and not (tmp_path / "g.csv").exists()


def test_aws_csv_round_trip_keeps_term_rendering_and_mode(
    tmp_path: Path, tricky: Path, gcsv: Path
) -> None:
    for source in (DEFAULT_PATH, tricky):
        g = CsvGlossaryStore.load(source)
        out = tmp_path / "terminology.csv"
        assert vien("glossary", "export", out, "--glossary", source).exit_code == 0
        assert out.read_text(encoding="utf-8").splitlines()[0] == "en,vi"
        entries, warnings = AwsTerminologyStore.load(out)
        assert warnings == []
        assert sorted((e.en, e.vi, e.mode) for e in entries) == sorted(
            (e.en, e.vi, e.mode) for e in g.entries
        )
        assert not any(e.note for e in entries)  # the format cannot hold notes
    before = gcsv.read_bytes()
    AwsTerminologyStore.dump(load(gcsv).entries, tmp_path / "t.csv")
    r = vien("glossary", "import", tmp_path / "t.csv", "--glossary", gcsv)
    assert r.exit_code == 0 and "added 0, changed 0, 468 unchanged" in r.output
    assert gcsv.read_bytes() == before  # notes, case and status of existing entries stay


def test_import_reports_added_and_changed(tmp_path: Path, gcsv: Path) -> None:
    term = tmp_path / "t.csv"
    term.write_text(
        "\ufeffen,vi,fr\naccess control,kiểm soát quyền truy cập,contrôle\n"
        "brand new term,thuật ngữ mới,x\nECS,ECS,ECS\norphan,,y\n",
        encoding="utf-8",
    )
    r = vien("glossary", "import", "--format", "aws-csv", term, "--dry-run", "--glossary", gcsv)
    assert r.exit_code == 0 and "would add 1, would change 1, 1 unchanged" in r.output
    assert "t.csv:5: no vi text; skipped" in r.output
    assert load(gcsv).lookup("brand new term") == []
    r = vien("glossary", "import", "--format", "aws-csv", term, "--glossary", gcsv)
    assert r.exit_code == 0
    (changed,) = load(gcsv).lookup("access control")
    assert (changed.vi, changed.note, changed.status) == (
        "kiểm soát quyền truy cập",
        "standard rendering",
        "approved",
    )
    (new,) = load(gcsv).lookup("brand new term")
    assert (new.mode, new.case_sensitive, new.status) == ("translate", False, "proposed")
    bad = tmp_path / "bad.csv"
    bad.write_text("source,target\na,b\n", encoding="utf-8")
    r = vien("glossary", "import", "--format", "aws-csv", bad, "--glossary", gcsv)
    assert r.exit_code == 2 and "must name the languages en and vi" in r.output
    assert vien("glossary", "export", tmp_path / "x.txt", "--glossary", gcsv).exit_code == 2
