"""Finding a site's pages and their counterparts, as Hugo does: X.md + X.vi.md, X.en.md +
X.vi.md, content/en + content/vi, translationKey, and the site configuration that says which."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import DATA_SITE, require_shared
from vien.cli.main import main
from vien.errors import ConfigError
from vien.site.discover import Discovery, Page, discover, site_config

EN = "Hello world.\n"
VI = "Xin chào thế giới.\n"


def make(root: Path, files: dict[str, str]) -> Path:
    """Write ``files`` (relative path -> text) under ``root``; returns ``root`` resolved."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root.resolve()


def fm(**keys: str) -> str:
    """A page with YAML front matter."""
    return "---\n" + "".join(f"{k}: {v}\n" for k, v in keys.items()) + "---\n\nText.\n"


def rel_pairs(
    found: Discovery, base: Path, source: str = "en", target: str = "vi"
) -> set[tuple[str, str | None]]:
    def rel(page: Page | None) -> str | None:
        return page.path.relative_to(base).as_posix() if page else None

    return {(rel(a) or "", rel(b)) for a, b in found.pairs(source, target)}


def rel_orphans(found: Discovery, base: Path, lang: str, other: str) -> list[str]:
    return sorted(p.path.relative_to(base).as_posix() for p in found.orphans(lang, other))


def page(found: Discovery, base: Path, rel: str) -> Page:
    matches = [p for p in found.pages if p.path == base / rel]
    assert len(matches) == 1, (rel, [str(p.path) for p in found.pages])
    return matches[0]


def target(found: Discovery, base: Path, rel: str, lang: str) -> str:
    return found.target_path(page(found, base, rel), lang).relative_to(base).as_posix()


def invoke(*args: str | Path) -> Result:
    result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


# -- convention 1: X.md + X.vi.md (X.md is in the default language) ------------------------------


def test_default_language_file_and_vi_suffix(tmp_path: Path) -> None:
    c = make(
        tmp_path / "content",
        {
            "_index.md": EN,
            "_index.vi.md": VI,
            "a/page.md": EN,
            "a/page.vi.md": VI,
            "a/only-en.md": EN,
            "b/only-vi.vi.md": VI,
            "b/v1.2-notes.md": EN,  # a dot in the name is not a language
        },
    )
    found = discover(c)
    assert found.config.default_language == "en"
    assert found.config.languages == ("en", "vi")
    assert not found.config.by_directory
    assert found.problems == []
    assert {p.path.relative_to(c).as_posix(): p.lang for p in found.pages} == {
        "_index.md": "en",
        "_index.vi.md": "vi",
        "a/page.md": "en",
        "a/page.vi.md": "vi",
        "a/only-en.md": "en",
        "b/only-vi.vi.md": "vi",
        "b/v1.2-notes.md": "en",
    }
    assert rel_pairs(found, c) == {
        ("_index.md", "_index.vi.md"),
        ("a/page.md", "a/page.vi.md"),
        ("a/only-en.md", None),
        ("b/v1.2-notes.md", None),
    }
    assert rel_orphans(found, c, "en", "vi") == ["a/only-en.md", "b/v1.2-notes.md"]
    assert rel_orphans(found, c, "vi", "en") == ["b/only-vi.vi.md"]
    assert page(found, c, "a/page.vi.md").key == "a/page"
    assert page(found, c, "b/v1.2-notes.md").key == "b/v1.2-notes"
    assert target(found, c, "a/only-en.md", "vi") == "a/only-en.vi.md"
    assert target(found, c, "b/v1.2-notes.md", "vi") == "b/v1.2-notes.vi.md"
    assert target(found, c, "b/only-vi.vi.md", "en") == "b/only-vi.md"
    assert target(found, c, "_index.md", "vi") == "_index.vi.md"


# -- convention 2: X.en.md + X.vi.md --------------------------------------------------------------


def test_both_languages_in_file_names(tmp_path: Path) -> None:
    c = make(
        tmp_path / "content",
        {
            "x.en.md": EN,
            "x.vi.md": VI,
            "s/_index.en.md": EN,
            "s/_index.vi.md": VI,
            "s/y.en.md": EN,
            "s/z.vi.md": VI,
            "mixed.md": EN,
            "mixed.vi.md": VI,  # both conventions in one site
        },
    )
    found = discover(c)
    assert rel_pairs(found, c) == {
        ("x.en.md", "x.vi.md"),
        ("s/_index.en.md", "s/_index.vi.md"),
        ("s/y.en.md", None),
        ("mixed.md", "mixed.vi.md"),
    }
    assert page(found, c, "x.en.md").key == page(found, c, "x.vi.md").key == "x"
    assert rel_orphans(found, c, "vi", "en") == ["s/z.vi.md"]
    assert target(found, c, "s/y.en.md", "vi") == "s/y.vi.md"
    # en is the default language: its file needs no suffix (Hugo reads X.md as English)
    assert target(found, c, "s/z.vi.md", "en") == "s/z.md"


def test_markdown_extension_is_kept(tmp_path: Path) -> None:
    c = make(
        tmp_path / "content",
        {
            "a.markdown": EN,
            "b.en.markdown": EN,
            "b.vi.markdown": VI,
            "notes.txt": EN,
            "img.png": "x",
            "data.json": "{}",
        },
    )
    found = discover(c)
    assert sorted(p.path.name for p in found.pages) == [
        "a.markdown",
        "b.en.markdown",
        "b.vi.markdown",
    ]
    assert rel_pairs(found, c) == {("a.markdown", None), ("b.en.markdown", "b.vi.markdown")}
    assert target(found, c, "a.markdown", "vi") == "a.vi.markdown"


def test_hidden_files_and_folders_are_not_pages(tmp_path: Path) -> None:
    c = make(
        tmp_path / "content",
        {"page.md": EN, ".draft.md": EN, ".git/x.md": EN, "s/.hidden/y.md": EN},
    )
    assert [p.path.relative_to(c).as_posix() for p in discover(c).pages] == ["page.md"]


# -- convention 3: content/en + content/vi ------------------------------------------------------


def test_one_folder_per_language_without_config(tmp_path: Path) -> None:
    c = make(
        tmp_path / "content",
        {
            "en/_index.md": EN,
            "vi/_index.md": VI,
            "en/1-start/page.md": EN,
            "vi/1-start/page.md": VI,
            "en/1-start/new.md": EN,
            "vi/2-only/trang.md": VI,
        },
    )
    found = discover(c)
    cfg = found.config
    assert cfg.by_directory
    assert cfg.content_dirs == {"en": c / "en", "vi": c / "vi"}
    assert {p.path.relative_to(c).as_posix(): p.lang for p in found.pages} == {
        "en/_index.md": "en",
        "vi/_index.md": "vi",
        "en/1-start/page.md": "en",
        "vi/1-start/page.md": "vi",
        "en/1-start/new.md": "en",
        "vi/2-only/trang.md": "vi",
    }
    assert rel_pairs(found, c) == {
        ("en/_index.md", "vi/_index.md"),
        ("en/1-start/page.md", "vi/1-start/page.md"),
        ("en/1-start/new.md", None),
    }
    assert rel_orphans(found, c, "vi", "en") == ["vi/2-only/trang.md"]
    assert target(found, c, "en/1-start/new.md", "vi") == "vi/1-start/new.md"
    assert target(found, c, "vi/2-only/trang.md", "en") == "en/2-only/trang.md"


def test_one_folder_per_language_from_config(tmp_path: Path) -> None:
    site = make(
        tmp_path / "site",
        {
            "hugo.toml": (
                'defaultContentLanguage = "en"\n'
                '[languages.en]\ncontentDir = "content/english"\nweight = 1\n'
                '[languages.vi]\ncontentDir = "content/tieng-viet"\nweight = 2\n'
            ),
            "content/_index.md": "",  # outside both language folders: not a page
            "content/english/a/p.md": EN,
            "content/tieng-viet/a/p.md": VI,
            "content/english/q.md": EN,
        },
    )
    for named in (site, site / "content"):
        found = discover(named)
        assert found.config.content_dirs == {
            "en": site / "content/english",
            "vi": site / "content/tieng-viet",
        }
        assert found.config.config_file == site / "hugo.toml"
        assert found.problems == []
        assert rel_pairs(found, site) == {
            ("content/english/a/p.md", "content/tieng-viet/a/p.md"),
            ("content/english/q.md", None),
        }
        assert all(p.path.name != "_index.md" for p in found.pages)
        assert target(found, site, "content/english/q.md", "vi") == "content/tieng-viet/q.md"


def test_a_language_folder_inside_another_owns_its_pages(tmp_path: Path) -> None:
    """English in "content", Vietnamese in "content/vi": the nested folder's pages are
    Vietnamese, not English pages of the outer folder (#15: they were checked as English)."""
    site = make(
        tmp_path / "site",
        {
            "hugo.yaml": (
                "defaultContentLanguage: en\nlanguages:\n  en:\n    contentDir: content\n"
                "    weight: 1\n  vi:\n    contentDir: content/vi\n    weight: 2\n"
            ),
            "content/notes/p.md": EN,
            "content/vi/notes/p.md": VI,
        },
    )
    found = discover(site)
    assert {(p.path.relative_to(site).as_posix(), p.lang) for p in found.pages} == {
        ("content/notes/p.md", "en"),
        ("content/vi/notes/p.md", "vi"),
    }
    assert rel_pairs(found, site) == {("content/notes/p.md", "content/vi/notes/p.md")}


# -- translationKey ------------------------------------------------------------------------------


def test_translation_key_pairs_pages_at_different_paths(tmp_path: Path) -> None:
    c = make(
        tmp_path / "content",
        {
            "intro.md": fm(title="Intro", translationKey="intro"),
            "gioi-thieu.vi.md": fm(title="Giới thiệu", translationKey="intro"),
            "toml.en.md": '+++\ntitle = "T"\ntranslationKey = "t"\n+++\n\nText.\n',
            "khac/toml.vi.md": '+++\ntitle = "T"\ntranslationKey = "t"\n+++\n\nVăn bản.\n',
            "json.md": '{\n  "title": "J",\n  "translationKey": 7\n}\n\nText.\n',
            "json-vi.vi.md": '{\n  "title": "J",\n  "translationKey": "7"\n}\n\nVăn bản.\n',
            "keyed.md": fm(title="K", translationKey="lonely"),
            "keyed.vi.md": fm(title="K"),  # same path, but Hugo links by the key: not a pair
        },
    )
    found = discover(c)
    assert rel_pairs(found, c) == {
        ("intro.md", "gioi-thieu.vi.md"),
        ("toml.en.md", "khac/toml.vi.md"),
        ("json.md", "json-vi.vi.md"),
        ("keyed.md", None),
    }
    assert page(found, c, "intro.md").translation_key == "intro"
    assert page(found, c, "intro.md").group == "tk:intro"
    assert rel_orphans(found, c, "vi", "en") == ["keyed.vi.md"]
    assert rel_orphans(found, c, "en", "vi") == ["keyed.md"]


def test_translation_key_across_language_folders(tmp_path: Path) -> None:
    c = make(
        tmp_path / "content",
        {
            "en/guide/start.md": fm(title="Start", translationKey="start"),
            "vi/huong-dan/bat-dau.md": fm(title="Bắt đầu", translationKey="start"),
        },
    )
    found = discover(c)
    assert rel_pairs(found, c) == {("en/guide/start.md", "vi/huong-dan/bat-dau.md")}
    assert found.orphans("en", "vi") == found.orphans("vi", "en") == []


def test_translation_key_front_matter_field_is_case_insensitive(tmp_path: Path) -> None:
    """Hugo lower-cases front matter field names: ``translationkey`` and ``TranslationKey``
    link pages exactly like ``translationKey``."""
    c = make(
        tmp_path / "content",
        {
            "a.md": fm(title="A", translationkey="k1"),
            "b.vi.md": fm(title="B", translationKey="k1"),
            "c.md": fm(title="C", TranslationKey="k2"),
            "d.vi.md": fm(title="D", TRANSLATIONKEY="k2"),
        },
    )
    found = discover(c)
    assert rel_pairs(found, c) == {("a.md", "b.vi.md"), ("c.md", "d.vi.md")}


def test_translation_key_written_with_escapes_links_pages(tmp_path: Path) -> None:
    """A key spelled with escapes (YAML and JSON ``\\x``/``\\u``, TOML ``\\u``) is still the
    key: discovery skips loading only front matter that cannot name it."""
    c = make(
        tmp_path / "content",
        {
            "a.md": '---\n"translation\\x4Bey": k1\n---\n\nText.\n',
            "b.vi.md": fm(title="B", translationKey="k1"),
            "c.md": '+++\n"translation\\u004Bey" = "k2"\n+++\n\nText.\n',
            "d.vi.md": '{"translation\\u004bey": "k2"}\n\nVăn bản.\n',
            "e.md": fm(title="translationKey is not a key here"),
            "e.vi.md": fm(title="E"),
        },
    )
    found = discover(c)
    assert rel_pairs(found, c) == {("a.md", "b.vi.md"), ("c.md", "d.vi.md"), ("e.md", "e.vi.md")}
    assert page(found, c, "e.md").translation_key is None


def test_unreadable_front_matter_does_not_stop_discovery(tmp_path: Path) -> None:
    c = make(
        tmp_path / "content",
        {"ok.md": EN, "bad.md": "---\ntitle: [\n---\n\nText.\n", "bad.vi.md": VI},
    )
    (c / "latin.md").write_bytes(b"---\ntranslationKey: caf\xe9\n---\n\nText.\n")
    found = discover(c)
    assert rel_pairs(found, c) == {("ok.md", None), ("bad.md", "bad.vi.md"), ("latin.md", None)}
    assert page(found, c, "bad.md").translation_key is None


# -- site configuration --------------------------------------------------------------------------

LANGS_TOML = (
    '[languages.en]\ncontentDir = "content/en"\nweight = 1\n'
    '[languages.vi]\ncontentDir = "content/vi"\nweight = 2\n'
)
CONFIGS: dict[str, dict[str, str]] = {
    "hugo.toml": {"hugo.toml": 'baseURL = "https://example.org/"\n' + LANGS_TOML},
    "config.toml": {"config.toml": LANGS_TOML},
    "hugo.yaml": {
        "hugo.yaml": "languages:\n  en:\n    contentDir: content/en\n    weight: 1\n"
        "  vi:\n    contentDir: content/vi\n    weight: 2\n"
    },
    "config.yml": {
        "config.yml": "languages:\n  en: {contentDir: content/en, weight: 1}\n"
        "  vi: {contentDir: content/vi, weight: 2}\n"
    },
    "hugo.json": {
        "hugo.json": json.dumps(
            {
                "languages": {
                    "en": {"contentDir": "content/en", "weight": 1},
                    "vi": {"contentDir": "content/vi", "weight": 2},
                }
            }
        )
    },
    "config-dir": {
        "config/_default/hugo.toml": 'baseURL = "https://example.org/"\n',
        "config/_default/languages.toml": (
            '[en]\ncontentDir = "content/en"\nweight = 1\n'
            '[vi]\ncontentDir = "content/vi"\nweight = 2\n'
        ),
        "config/_default/params.toml": 'description = "x"\n',
    },
    "config-dir-config": {"config/_default/config.toml": LANGS_TOML},
}


@pytest.mark.parametrize("layout", list(CONFIGS))
def test_config_file_gives_languages_and_content_dirs(tmp_path: Path, layout: str) -> None:
    site = make(
        tmp_path / "site",
        {**CONFIGS[layout], "content/en/p.md": EN, "content/vi/p.md": VI, "content/en/new.md": EN},
    )
    for named in (site, site / "content"):
        cfg = site_config(named)
        assert cfg.config_file is not None
        assert cfg.languages == ("en", "vi")
        assert cfg.default_language == "en"
        assert cfg.content_dirs == {"en": site / "content/en", "vi": site / "content/vi"}
        found = discover(named)
        assert rel_pairs(found, site) == {
            ("content/en/p.md", "content/vi/p.md"),
            ("content/en/new.md", None),
        }
        assert target(found, site, "content/en/new.md", "vi") == "content/vi/new.md"


def test_hugo_toml_wins_over_config_toml(tmp_path: Path) -> None:
    site = make(
        tmp_path / "site",
        {
            "hugo.toml": 'defaultContentLanguage = "vi"\n',
            "config.toml": 'defaultContentLanguage = "en"\n',
            "content/x.md": VI,
        },
    )
    cfg = site_config(site)
    assert cfg.config_file == site / "hugo.toml"
    assert cfg.default_language == "vi"


def test_root_config_file_and_config_dir_are_merged(tmp_path: Path) -> None:
    """Hugo reads the root hugo.toml *and* config/_default/ ("in addition to a single site
    config file"): languages declared only in the config folder still count."""
    site = make(
        tmp_path / "site",
        {
            "hugo.toml": 'baseURL = "https://example.org/"\ntitle = "x"\n',
            "config/_default/languages.toml": (
                '[en]\ncontentDir = "content/en"\nweight = 1\n'
                '[vi]\ncontentDir = "content/vi"\nweight = 2\n'
            ),
            "content/en/p.md": EN,
            "content/vi/p.md": VI,
        },
    )
    found = discover(site)
    assert found.config.content_dirs == {"en": site / "content/en", "vi": site / "content/vi"}
    assert rel_pairs(found, site) == {("content/en/p.md", "content/vi/p.md")}


def test_site_root_without_content_dirs_in_config(tmp_path: Path) -> None:
    """Filename convention under a site root: only ``content/`` is walked, not README.md."""
    site = make(
        tmp_path / "site",
        {
            "hugo.toml": 'defaultContentLanguage = "en"\n[languages.en]\n[languages.vi]\n',
            "README.md": EN,
            "archetypes/default.md": EN,
            "content/x.md": EN,
            "content/x.vi.md": VI,
        },
    )
    found = discover(site)
    assert found.config.content_dirs == {"en": site / "content", "vi": site / "content"}
    assert rel_pairs(found, site) == {("content/x.md", "content/x.vi.md")}
    assert target(found, site, "content/x.md", "vi") == "content/x.vi.md"


def test_custom_content_dir(tmp_path: Path) -> None:
    site = make(
        tmp_path / "site",
        {"config.toml": 'contentDir = "pages"\n', "pages/x.md": EN, "content/stray.md": EN},
    )
    found = discover(site)
    assert [p.path.relative_to(site).as_posix() for p in found.pages] == ["pages/x.md"]
    assert target(found, site, "pages/x.md", "vi") == "pages/x.vi.md"


def test_default_content_language_vi(tmp_path: Path) -> None:
    """defaultContentLanguage = "vi": X.md is Vietnamese and its English page is X.en.md."""
    site = make(
        tmp_path / "site",
        {
            "hugo.toml": (
                'defaultContentLanguage = "vi"\n'
                "[languages.vi]\nweight = 1\n[languages.en]\nweight = 2\n"
            ),
            "content/x.md": VI,
            "content/x.en.md": EN,
            "content/s/solo.md": VI,
            "content/s/only.en.md": EN,
            "content/s/also.vi.md": VI,
        },
    )
    found = discover(site)
    assert found.config.default_language == "vi"
    assert found.config.languages == ("vi", "en")
    langs = {p.path.relative_to(site).as_posix(): p.lang for p in found.pages}
    assert langs == {
        "content/x.md": "vi",
        "content/x.en.md": "en",
        "content/s/solo.md": "vi",
        "content/s/only.en.md": "en",
        "content/s/also.vi.md": "vi",
    }
    assert rel_pairs(found, site, "vi", "en") == {
        ("content/x.md", "content/x.en.md"),
        ("content/s/solo.md", None),
        ("content/s/also.vi.md", None),
    }
    assert rel_orphans(found, site, "en", "vi") == ["content/s/only.en.md"]
    assert target(found, site, "content/s/solo.md", "en") == "content/s/solo.en.md"
    assert target(found, site, "content/s/also.vi.md", "en") == "content/s/also.en.md"
    assert target(found, site, "content/s/only.en.md", "vi") == "content/s/only.md"


def test_default_content_language_vi_translate_writes_x_en_md(tmp_path: Path) -> None:
    site = make(
        tmp_path / "site",
        {
            "hugo.toml": 'defaultContentLanguage = "vi"\n[languages.vi]\n[languages.en]\n',
            "content/solo.md": "# Xin chào\n\nMột đoạn văn.\n",
        },
    )
    result = invoke("translate", site, "--to", "en", "--engine", "identity")
    assert result.exit_code == 0, result.output
    assert (site / "content/solo.en.md").read_text(
        encoding="utf-8"
    ) == "# Xin chào\n\nMột đoạn văn.\n"
    assert sorted(p.name for p in (site / "content").iterdir()) == ["solo.en.md", "solo.md"]


def test_config_keys_are_case_insensitive(tmp_path: Path) -> None:
    """As in the shared sites: ``[Languages]``, ``contentDir``/``ContentDir`` in any case."""
    site = make(
        tmp_path / "site",
        {
            "config.toml": (
                'DefaultContentLanguage = "vi"\n'
                "[Languages]\n"
                '[Languages.VI]\nContentDir = "content/vi"\nWeight = 1\n'
                '[Languages.En]\nCONTENTDIR = "content/en"\nweight = 2\n'
            ),
            "content/en/p.md": EN,
            "content/vi/p.md": VI,
            "content/vi/q.md": VI,
        },
    )
    cfg = site_config(site)
    assert cfg.default_language == "vi"
    assert cfg.languages == ("vi", "en")
    assert cfg.content_dirs == {"vi": site / "content/vi", "en": site / "content/en"}
    found = discover(site)
    assert rel_pairs(found, site, "vi", "en") == {
        ("content/vi/p.md", "content/en/p.md"),
        ("content/vi/q.md", None),
    }
    assert target(found, site, "content/vi/q.md", "en") == "content/en/q.md"


def test_languages_are_ordered_by_weight(tmp_path: Path) -> None:
    site = make(
        tmp_path / "site",
        {
            "hugo.toml": "[languages.vi]\nweight = 2\n[languages.en]\nweight = 1\n",
            "content/x.md": EN,
        },
    )
    assert site_config(site).languages == ("en", "vi")


def test_broken_config_is_a_config_error(tmp_path: Path) -> None:
    site = make(tmp_path / "site", {"hugo.toml": "languages = [\n", "content/x.md": EN})
    with pytest.raises(ConfigError, match=r"hugo\.toml"):
        site_config(site)
    result = invoke("pages", site)
    assert result.exit_code == 2
    assert "hugo.toml" in result.output
    result = invoke("translate", site, "--to", "vi", "--engine", "pseudo")
    assert result.exit_code == 2
    assert not (site / "content/x.vi.md").exists()


def test_unknown_target_language_is_a_usage_error(tmp_path: Path) -> None:
    c = make(tmp_path / "content", {"x.md": EN})
    result = invoke("translate", c, "--to", "fr", "--engine", "pseudo")
    assert result.exit_code == 2
    assert "fr" in result.output
    assert sorted(p.name for p in c.iterdir()) == ["x.md"]


# -- the sample site and the real shared sites ---------------------------------------------------


def test_sample_site() -> None:
    site = DATA_SITE.resolve()
    found = discover(site)
    c = site / "content"
    assert found.problems == []
    assert found.config.config_file == site / "hugo.toml"
    assert not found.config.by_directory
    assert all(p.path.is_relative_to(c) for p in found.pages)  # README.md is not a page
    pairs = rel_pairs(found, c)
    assert (
        "1-introduction/1.1-architecture.en.md",
        "1-introduction/1.1-architecture.vi.md",
    ) in pairs
    assert ("_index.md", "_index.vi.md") in pairs
    en_orphans = rel_orphans(found, c, "en", "vi")
    assert "3-reports/3.1-community-day-report.md" in en_orphans
    assert rel_orphans(found, c, "vi", "en") == ["3-reports/3.2-ghi-chu-iam.vi.md"]
    assert (
        target(found, c, "3-reports/3.1-community-day-report.md", "vi")
        == "3-reports/3.1-community-day-report.vi.md"
    )
    assert (
        target(found, c, "3-reports/3.2-ghi-chu-iam.vi.md", "en") == "3-reports/3.2-ghi-chu-iam.md"
    )


@pytest.mark.parametrize("named", ["", "content"])
def test_shared_aws_budget(named: str) -> None:
    site = require_shared() / "sites" / "aws-budget"
    found = discover(site / named)
    c = site / "content"
    assert found.config.languages == ("en", "vi")
    assert found.config.default_language == "en"
    assert not found.config.by_directory
    assert found.problems == []
    pairs = found.pairs("en", "vi")
    assert len(pairs) == 7
    assert all(vi is not None for _, vi in pairs)
    for en, vi in pairs:
        assert vi is not None
        assert en.path.name == "_index.md" and vi.path.name == "_index.vi.md"
        assert en.path.parent == vi.path.parent
    assert found.orphans("en", "vi") == found.orphans("vi", "en") == []
    assert len(found.pages) == 14
    assert all(p.path.is_relative_to(c) for p in found.pages)


@pytest.mark.parametrize("named", ["", "content"])
def test_shared_dms_migration(named: str) -> None:
    site = require_shared() / "sites" / "dms-migration"
    found = discover(site / named)
    c = site / "content"
    assert found.config.by_directory
    assert found.config.content_dirs == {"en": c / "en", "vi": c / "vi"}
    assert found.problems == []
    pairs = found.pairs("en", "vi")
    assert len(pairs) == 65
    assert len({en.path for en, _ in pairs}) == 65
    assert len({vi.path for _, vi in pairs if vi is not None}) == 65
    for en, vi in pairs:
        assert vi is not None
        assert en.path.relative_to(c / "en") == vi.path.relative_to(c / "vi")
    assert found.orphans("en", "vi") == found.orphans("vi", "en") == []
    assert len(found.pages) == 130
    assert c / "_index.md" not in {p.path for p in found.pages}  # the empty top-level index


# -- vien pages ----------------------------------------------------------------------------------


def test_pages_command_on_shared_sites() -> None:
    shared = require_shared()
    result = invoke("pages", shared / "sites" / "aws-budget")
    assert result.exit_code == 0, result.output
    assert "languages en, vi (default en; language in file names)" in result.output
    assert result.output.count("[en vi]") == 7
    assert "0 en page(s) without a vi counterpart" in result.output
    assert "0 vi page(s) without a en counterpart" in result.output
    result = invoke("pages", shared / "sites" / "dms-migration")
    assert result.exit_code == 0, result.output
    assert "one folder per language" in result.output
    assert result.output.count("[en vi]") == 65


def test_pages_command_lists_orphans(tmp_path: Path) -> None:
    c = make(
        tmp_path / "content", {"a.md": EN, "a.vi.md": VI, "b.md": EN, "c.md": EN, "d.vi.md": VI}
    )
    result = invoke("pages", c)
    assert result.exit_code == 0, result.output
    assert "  [en vi] a\n" in result.output
    assert "  [en --] b\n" in result.output
    assert "  [-- vi] d\n" in result.output
    assert "2 en page(s) without a vi counterpart" in result.output
    assert "1 vi page(s) without a en counterpart" in result.output


def test_pages_command_json(tmp_path: Path) -> None:
    c = make(tmp_path / "content", {"en/a.md": EN, "vi/a.md": VI, "en/b.md": EN})
    result = invoke("pages", c, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["languages"] == ["en", "vi"]
    assert data["default_language"] == "en"
    assert data["content_dirs"] == {"en": str(c / "en"), "vi": str(c / "vi")}
    assert data["sets"] == [
        {"en": str(c / "en/a.md"), "vi": str(c / "vi/a.md")},
        {"en": str(c / "en/b.md")},
    ]
    assert data["problems"] == []


def test_pages_command_exit_status_on_problems(tmp_path: Path) -> None:
    c = make(tmp_path / "content", {"a.md": EN})
    outside = make(tmp_path / "elsewhere", {"x.md": EN})
    (c / "x.md").symlink_to(outside / "x.md")
    result = invoke("pages", c)
    assert result.exit_code == 1
    assert f"{c / 'x.md'}: symlink points outside the content folder" in result.output
    assert "  [en --] a\n" in result.output
    result = invoke("pages", tmp_path / "missing")
    assert result.exit_code == 2


def test_two_pages_of_one_language_in_one_set_are_reported(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\ntranslationKey: k\n---\nA\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("---\ntranslationKey: k\n---\nB\n", encoding="utf-8")
    found = discover(tmp_path)
    assert len(found.groups()) == 1
    assert [p.path.name for p in found.problems if p.path] == ["b.md"]
    assert "a second en page for tk:k, besides" in str(found.problems[0])
    assert "--exclude" in str(found.problems[0])
