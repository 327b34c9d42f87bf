"""The demo site in a real browser (headless Chromium driven by Playwright): navigation
between page kinds, search, live reload after an edit, all under a /digest/ subpath."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator

import pytest

from newsdigest.server import DevServer

from factories import REPO, article_text, serving

sync_api = pytest.importorskip("playwright.sync_api")
BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    BROWSER is None and not os.environ.get("CI"),
    reason="no Chromium on this machine (.ci/run installs it)",
)
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevServer]:
    site = tmp_path_factory.mktemp("demo") / "site"
    site.mkdir()
    shutil.copy(REPO / "site.toml", site)
    shutil.copytree(REPO / "content", site / "content")
    with serving(site) as dev:
        yield dev


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    assert BROWSER is not None, "Chromium is missing: .ci/run installs the chromium package"
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=BROWSER, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    yield opened
    context.close()


def test_a_reader_moves_between_issue_article_topic_and_brief(server: DevServer, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.url)
    assert page.url.endswith("/digest/")
    page.get_by_role("link", name="Issue 4").first.click()
    assert page.url.endswith("/digest/issues/4/")
    page.locator("article.teaser a").first.click()
    assert "/digest/articles/" in page.url
    title = page.locator("h1").inner_text()
    page.locator("p.taxonomy a.chip").first.click()
    assert "/digest/topics/" in page.url and page.locator("h1").inner_text()
    page.goto(server.url + "articles/pacific-cable-treaty-signed/")
    page.locator("li.related-brief a").first.click()
    assert "/digest/briefs/" in page.url
    assert page.get_by_role("heading", name="Mentioned in").is_visible()
    assert title


def test_search_finds_articles_in_the_browser(server: DevServer, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(server.url + "search/?q=copper")
    results = page.locator("#search-results li")
    results.first.wait_for()
    assert "Copper" in results.first.inner_text()
    page.fill("#search-query", "typhoon kyushu")
    page.wait_for_function("document.querySelectorAll('#search-results li').length === 1")
    results.first.locator("a").click()
    assert page.url.endswith("/digest/articles/typhoon-senna-kyushu-ports/")


def test_an_open_page_reloads_after_an_edit(server: DevServer, page) -> None:  # type: ignore[no-untyped-def]
    added = server.root / "content" / "articles" / "edited-in-the-browser-test.md"
    try:
        page.goto(server.url + "articles/edited-in-the-browser-test/")
        assert page.locator("h1").inner_text() == "Page not found"
        added.write_text(article_text(title="Written while the page was open", date="2025-11-09"))
        page.wait_for_function(
            "document.querySelector('h1').textContent === 'Written while the page was open'",
            timeout=2000,
        )
    finally:
        added.unlink(missing_ok=True)
        settle(server)


def settle(server: DevServer) -> None:
    """Wait until no rebuild has happened for a while (pages stop reloading)."""
    epoch = -1
    while epoch != server.state.epoch:
        epoch = server.state.epoch
        time.sleep(0.8)


def test_the_mobile_layout_has_no_horizontal_scroll(server: DevServer, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    mobile = context.new_page()
    for route in ("", "issues/2/", "articles/pacific-cable-treaty-signed/", "search/"):
        mobile.goto(server.url + route)
        overflow = mobile.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, route
    context.close()
