"""Random and mutated inputs for every parser: each one returns a result or a clear
diagnostic / refusal, never an uncaught exception. Example counts are in SECURITY.md."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdigest.config import Overrides, parse_config
from newsdigest.importers.base import ExtractionError
from newsdigest.importers.feed import extract_feed
from newsdigest.importers.html import extract_html

from examples import EXAMPLES

FEEDS = Path(__file__).resolve().parent.parent / "fixtures" / "feeds"
HTML_PAGES = sorted((EXAMPLES / "sources").glob("*.html"))
FEED_FILES = sorted(FEEDS.glob("*.xml"))
TOML_LINES = st.sampled_from(
    [
        'title = "x"',
        "[issues]",
        'cadence = "daily"',
        "[[topics]]",
        'name = "A"',
        'slug = "a"',
        "keywords = [1, 2]",
        "fallback = true",
        "[related]",
        "count = -1",
        "threshold = 'x'",
        "[feeds]",
        "articles = 0",
        "[articles]",
        'display = "nope"',
        "[import]",
        "max_bytes = 1",
        'base_url = "ftp://x"',
        'timezone = "Nowhere/Else"',
        "title = [",
        "= 3",
        "[[related]]",
        'unknown = "key"',
        "[topics]",
        "",
    ]
)


@settings(max_examples=500)
@given(st.lists(TOML_LINES, max_size=20))
def test_site_toml_from_valid_and_broken_lines(lines: list[str]) -> None:
    _, diagnostics = parse_config("\n".join(lines), Overrides())
    assert all(d.path == "site.toml" and d.message for d in diagnostics)


@settings(max_examples=300)
@given(st.text())
def test_site_toml_from_any_text(text: str) -> None:
    _, diagnostics = parse_config(text, Overrides())
    assert all(d.message for d in diagnostics)


def _mutate(data: bytes, cuts: list[tuple[int, int]], insert: bytes) -> bytes:
    for start, length in cuts:
        position = start % (len(data) + 1)
        data = data[:position] + insert + data[position + length :]
    return data


mutations = st.tuples(
    st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 400)), max_size=6),
    st.binary(max_size=40),
)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(HTML_PAGES), mutations)
def test_mutated_html_pages(page: Path, mutation: tuple[list[tuple[int, int]], bytes]) -> None:
    data = _mutate(page.read_bytes(), *mutation)
    try:
        article = extract_html(data, origin=page.name)
    except ExtractionError as exc:
        assert str(exc)
    else:
        assert article.title and article.paragraphs


@settings(max_examples=300)
@given(st.sampled_from(FEED_FILES), mutations)
def test_mutated_feeds(feed: Path, mutation: tuple[list[tuple[int, int]], bytes]) -> None:
    data = _mutate(feed.read_bytes(), *mutation)
    try:
        articles = extract_feed(data, origin=feed.name)
    except ExtractionError as exc:
        assert str(exc)
    else:
        assert all(a.title for a in articles)


@settings(max_examples=300)
@given(st.binary(max_size=2000))
def test_any_bytes_as_a_feed(data: bytes) -> None:
    try:
        extract_feed(data, origin="random.xml")
    except ExtractionError as exc:
        assert str(exc)
