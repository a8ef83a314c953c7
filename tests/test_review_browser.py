"""``vien review`` in a real browser (headless Debian chromium driven by selenium).

The page is built for copies of the shared sites, one VI page carrying a ``<script>`` and an
``<img onerror>``: neither may run, both must show as text, and the problems filter must
show exactly the sections the data model calls problems. Screenshots are saved to
``$VIEN_ARTIFACTS`` (default ``tests/artifacts/``) for a human to look at.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, require_shared
from vien import glossary
from vien.review.page import build_review, render_review

CHROMIUM = Path(os.environ.get("VIEN_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("VIEN_CHROMEDRIVER", "/usr/bin/chromedriver"))
INJECTED = (
    'Đoạn kiểm thử <script>window.__pwned = 1; document.title = "PWNED"</script> '
    'và ảnh <img src=x onerror="window.__pwned=2"> ở đây.'
)
VICTIM = Path("aws-budget/content/1-Cost-Budgets/_index.vi.md")


def _unavailable(why: str) -> None:
    """Outside CI a missing browser skips the test; in CI it fails it."""
    if os.environ.get("CI") == "true":
        pytest.fail(
            f"{why} (CI=true: the browser test must run; apt-get install chromium "
            "chromium-driver, pip install selenium)"
        )
    pytest.skip(why)


def artifacts() -> Path:
    out = Path(os.environ.get("VIEN_ARTIFACTS") or ROOT / "tests" / "artifacts")
    out.mkdir(parents=True, exist_ok=True)
    return out


@pytest.fixture()
def browser(tmp_path: Path) -> Iterator[Any]:  # a selenium WebDriver
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _unavailable("selenium is not installed")
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        _unavailable(f"{CHROMIUM} or {CHROMEDRIVER} is missing")
    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
        "--window-size=1400,1000",
    ):
        opts.add_argument(arg)
    # an explicit driver path: Selenium Manager downloads nothing
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=opts)
    try:
        yield driver
    finally:
        driver.quit()


def _visible_rows(driver: Any) -> list[str]:
    return driver.execute_script(
        "return [...document.querySelectorAll('main .row')]"
        ".filter(e => e.offsetParent !== null).map(e => e.className)"
    )


def test_review_page_in_chromium(tmp_path: Path, browser: Any) -> None:
    shared = require_shared()
    sites = []
    for name in sorted(p.name for p in (shared / "sites").iterdir() if p.is_dir()):
        shutil.copytree(shared / "sites" / name, tmp_path / name)
        sites.append(tmp_path / name)
    victim = tmp_path / VICTIM
    text = victim.read_text(encoding="utf-8")
    victim.write_text(text.rstrip("\n") + "\n\n" + INJECTED + "\n", encoding="utf-8")

    review = build_review(sites, glossary=glossary.load())
    summary = review.summary()
    page = tmp_path / "review.html"
    page.write_text(render_review(review), encoding="utf-8")
    assert summary["pairs"] >= 60 and 0 < summary["problem_sections"] < summary["sections"]

    d = browser
    d.get(page.as_uri())
    assert d.execute_script("return document.readyState") == "complete"
    assert d.execute_script("return typeof window.__pwned") == "undefined"
    assert d.title != "PWNED" and d.title.startswith("vien review")
    # the page's only script is its own; no injected element exists
    assert d.execute_script("return document.scripts.length") == 1
    assert d.execute_script("return document.querySelectorAll('main img, main script').length") == 0
    shown = d.execute_script(
        "const p=[...document.querySelectorAll('main pre')].find(e=>e.textContent.includes("
        "'window.__pwned = 1'));p.scrollIntoView({block:'center'});return p.innerText"
    )
    assert '<script>window.__pwned = 1; document.title = "PWNED"</script>' in shown
    assert '<img src=x onerror="window.__pwned=2">' in shown
    d.save_screenshot(str(artifacts() / "review-injected.png"))

    # filter off: every row shows; on: only the rows with problems; off again: all
    total = summary["sections"]
    assert len(_visible_rows(d)) == total == len(review.rows)
    d.execute_script("window.scrollTo(0, 0)")
    box = d.find_element("id", "only-problems")
    assert not box.is_selected()
    box.click()
    visible = _visible_rows(d)
    assert len(visible) == summary["problem_sections"]
    assert all("problem" in c.split() for c in visible)
    assert d.find_element("id", "shown").text.startswith(f"{len(visible)} of {total}")
    pages_shown = d.execute_script(
        "return [...document.querySelectorAll('main .page')].filter(e=>e.offsetParent!==null)"
        ".length"
    )
    assert pages_shown == sum(1 for p in review.pages if p.problem)
    d.save_screenshot(str(artifacts() / "review-problems.png"))
    box.click()
    assert len(_visible_rows(d)) == total
    d.save_screenshot(str(artifacts() / "review-top.png"))
    # a glossary term carries its entry on hover
    title = d.execute_script("return document.querySelector('main mark.term').title")
    assert title.startswith("glossary: ")
    assert d.execute_script("return typeof window.__pwned") == "undefined"
