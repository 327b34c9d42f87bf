"""The preview server: pages under the base path, reload after edits, errors shown in the
page while the last good site stays up, nothing served from outside the site."""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Iterator
from urllib.error import HTTPError

import pytest

from newsdigest.server import RELOAD_PATH, DevServer

from conftest import MakeSite
from factories import MINIMAL_CONFIG, article_text, serving

CONFIG = MINIMAL_CONFIG.replace("https://example.org/", "https://example.org/digest/")


@pytest.fixture
def server(make_site: MakeSite) -> Iterator[DevServer]:
    site = make_site({"content/articles/a.md": article_text(title="First headline")}, config=CONFIG)
    with serving(site) as dev:
        yield dev


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except HTTPError as error:
        body = error.read().decode()
        error.close()
        return error.code, body


def wait_for_epoch(dev: DevServer, since: int) -> int:
    status, body = get(f"{dev.url.split('/digest/')[0]}{RELOAD_PATH}?epoch={since}")
    assert status == 200
    epoch: int = json.loads(body)["epoch"]
    return epoch


def test_pages_are_served_under_the_base_path_with_a_reload_script(server: DevServer) -> None:
    assert server.url.endswith("/digest/")
    status, page = get(server.url + "articles/a/")
    assert status == 200 and "First headline" in page
    assert RELOAD_PATH in page
    root = server.url.removesuffix("digest/")
    status, page = get(root)
    assert status == 200 and 'href="/digest/articles/a/"' in page  # redirected to the site
    assert "__newsdigest" not in (server.output / "articles" / "a" / "index.html").read_text()


@pytest.mark.parametrize(
    "path", ["../site.toml", "%2e%2e/site.toml", "..%2f..%2fsite.toml", "nothing/"]
)
def test_nothing_outside_the_site_is_served(server: DevServer, path: str) -> None:
    status, body = get(server.url + path)
    assert status == 404
    assert "Test Digest" in body or body == "Not found\n"
    assert "keywords" not in body


def page_once(dev: DevServer, path: str, wanted: str, seconds: float = 5.0) -> str:
    """The page as soon as it contains ``wanted`` (following rebuilds), or fail."""
    deadline = time.monotonic() + seconds
    epoch = dev.state.epoch
    while True:
        page = get(dev.url + path)[1]
        if wanted in page or time.monotonic() > deadline:
            return page
        epoch = wait_for_epoch(dev, epoch)


def test_an_edit_reloads_and_a_broken_edit_keeps_the_last_good_site(server: DevServer) -> None:
    article = server.root / "content" / "articles" / "a.md"
    started = time.monotonic()
    article.write_text(article_text(title="Second headline"))
    assert "Second headline" in page_once(server, "articles/a/", "Second headline")
    assert time.monotonic() - started < 2.0

    article.write_text("---\ntitle: [broken\n---\n")
    page = page_once(server, "articles/a/", "The last build failed")
    assert "Second headline" in page
    assert "The last build failed" in page and "content/articles/a.md:3: error" in page

    article.write_text(article_text(title="Third headline"))
    page = page_once(server, "articles/a/", "Third headline")
    assert "Third headline" in page and "The last build failed" not in page
