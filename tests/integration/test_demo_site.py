"""End-to-end: build the bundled demo digest and read it back as a browser and a feed reader."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import lxml.etree
import lxml.html
import pytest

from newsdigest.build import BuildOptions, BuildResult, build
from newsdigest.config import Overrides
from newsdigest.textnorm import normalise_title

from factories import REPO
from sitecheck import (
    ATOM,
    broken_links,
    html_pages,
    parse_html,
    relative_urls_in_html,
    rss_dates,
    rss_items,
)

SUBPATH_URL = "https://example.github.io/digest/"
ROOT_URL = "http://localhost:8000/"
DEMO_ARTICLES = sorted(
    p.stem
    for p in (REPO / "content" / "articles").glob("*.md")
    if "draft: true" not in p.read_text(encoding="utf-8")
)


def _build(output: Path, base_url: str, **options: bool) -> BuildResult:
    return build(REPO, BuildOptions(Overrides(base_url=base_url), output, **options))


@pytest.fixture(scope="module")
def subpath_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("subpath") / "_site"
    _build(output, SUBPATH_URL)
    return output


@pytest.fixture(scope="module")
def root_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("root") / "_site"
    _build(output, ROOT_URL)
    return output


def test_every_page_kind_is_built(subpath_site: Path) -> None:
    assert (subpath_site / "index.html").is_file()
    issues = sorted((subpath_site / "issues").iterdir())
    assert len(issues) >= 4
    built = sorted(p.name for p in (subpath_site / "articles").iterdir())
    assert built == DEMO_ARTICLES
    topics = [p for p in (subpath_site / "topics").iterdir() if p.is_dir()]
    assert len(topics) >= 5
    for topic in topics:
        assert (topic / "index.html").is_file() and (topic / "feed.xml").is_file()
    for name in ("archive/index.html", "about/index.html", "404.html", "topics/index.html"):
        assert (subpath_site / name).is_file(), name
    for name in ("sitemap.xml", "robots.txt", ".nojekyll", "feed.xml", "atom.xml", "articles.xml"):
        assert (subpath_site / name).is_file(), name


@pytest.mark.parametrize(
    "site_fixture, base_url", [("root_site", ROOT_URL), ("subpath_site", SUBPATH_URL)]
)
def test_no_broken_internal_links_or_assets(
    site_fixture: str, base_url: str, request: pytest.FixtureRequest
) -> None:
    output = request.getfixturevalue(site_fixture)
    assert broken_links(output, base_url) == []


def test_internal_links_carry_the_base_path(subpath_site: Path) -> None:
    for page in html_pages(subpath_site):
        document = parse_html(page)
        for value in document.xpath("//a/@href | //link/@href"):
            parts = urlsplit(value)
            if not parts.scheme and not value.startswith("#"):
                assert value.startswith("/digest/"), f"{page}: {value}"


def test_pages_are_html5_documents_with_landmarks(subpath_site: Path) -> None:
    for page in html_pages(subpath_site):
        assert page.read_bytes().startswith(b"<!doctype html>")
        document = parse_html(page)
        assert document.get("lang") == "en"
        assert len(document.xpath("//main[@id='main']")) == 1
        assert document.xpath("//a[@href='#main']"), "skip link"
        assert len(document.xpath("//h1")) == 1, page
        assert document.xpath("//link[@rel='alternate'][@type='application/rss+xml']")


def test_article_page_shows_its_metadata_and_original_link(subpath_site: Path) -> None:
    document = parse_html(subpath_site / "articles/pacific-cable-treaty-signed/index.html")
    assert (
        document.xpath("string(//h1)")
        == "Leaders Sign Pacific Cable Treaty: ‘A Lifeline, Not a Luxury’"
    )
    assert "Coral Coast Courier" in document.xpath("string(//*[@class='source'])")
    assert document.xpath("//time/@datetime")[0].startswith("2025-11-03T00:00:00+09:00")
    original = document.xpath("//p[@class='original']/a/@href")
    assert original and original[0].startswith("https://")
    canonical = document.xpath("//link[@rel='canonical']/@href")
    assert canonical == [SUBPATH_URL + "articles/pacific-cable-treaty-signed/"]


def test_related_lists_name_each_story_once_and_never_the_article_itself(
    subpath_site: Path,
) -> None:
    lists = 0
    for page in sorted((subpath_site / "articles").glob("*/index.html")):
        document = parse_html(page)
        own = normalise_title(document.xpath("string(//h1)"))
        titles = [
            normalise_title(t)
            for t in document.xpath("//*[@class='related-title']")
            for t in [t.text_content()]
        ]
        lists += bool(titles)
        assert len(titles) == len(set(titles)), page
        assert own not in titles
        own_link = f"/digest/articles/{page.parent.name}/"
        assert own_link not in document.xpath("//section[@class='related']//a/@href")
    assert lists >= 10


def test_mentions_of_site_articles_link_to_them(subpath_site: Path) -> None:
    document = parse_html(subpath_site / "articles/pacific-cable-treaty-signed/index.html")
    links = document.xpath("//section[@class='related']//a/@href")
    assert "/digest/articles/pacific-rim-cable-talks-noumea/" in links


def test_syndicated_copy_points_to_its_original(subpath_site: Path) -> None:
    copy = parse_html(subpath_site / "articles/record-bids-hokkaido-wind-auction/index.html")
    original = SUBPATH_URL + "articles/hokkaido-wind-auction-record-bids/"
    assert copy.xpath("//link[@rel='canonical']/@href") == [original]
    listed = set()
    for issue in (subpath_site / "issues").glob("*/index.html"):
        listed |= set(parse_html(issue).xpath("//main//article[@class='teaser']//a/@href"))
    assert "/digest/articles/record-bids-hokkaido-wind-auction/" not in listed
    assert "/digest/articles/hokkaido-wind-auction-record-bids/" in listed
    sitemap = (subpath_site / "sitemap.xml").read_text()
    assert "record-bids-hokkaido-wind-auction" not in sitemap


def test_the_sitemap_dates_articles_and_issues_as_their_pages_do(subpath_site: Path) -> None:
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = lxml.etree.parse(str(subpath_site / "sitemap.xml")).getroot()
    modified = {
        url.findtext("s:loc", namespaces=namespace): url.findtext("s:lastmod", namespaces=namespace)
        for url in urls.findall("s:url", namespace)
    }
    assert SUBPATH_URL in modified and modified[SUBPATH_URL] is None  # the home page
    dated = {loc: day for loc, day in modified.items() if day}
    pages = [*subpath_site.glob("articles/*/index.html"), *subpath_site.glob("issues/*/index.html")]
    for page in pages:
        loc = SUBPATH_URL + page.parent.relative_to(subpath_site).as_posix() + "/"
        if loc not in modified:  # a syndicated copy: its original stands for it
            continue
        shown = parse_html(page).xpath("//main//time/@datetime")
        # An article's date is the first shown; an issue's is its newest article's.
        day = shown[0] if "/articles/" in loc else max(shown, key=datetime.fromisoformat)
        assert dated.pop(loc) == day[:10], loc
    assert dated == {}  # only articles and issues carry a date


def test_issue_pages_have_topic_sections_in_config_order_and_a_pager(subpath_site: Path) -> None:
    config_order = ["economy", "technology", "climate", "science", "sport", "politics"]
    for page in sorted((subpath_site / "issues").glob("*/index.html")):
        document = parse_html(page)
        sections = [
            s.removeprefix("topic-")
            for s in document.xpath("//section[@class='issue-section']/@id")
        ]
        assert sections, page
        assert sections == sorted(sections, key=config_order.index)
        number = int(page.parent.name)
        rels = document.xpath("//nav[@class='pager']/a/@rel")
        assert ("prev" in rels) == (number > 1)
    intro = parse_html(subpath_site / "issues/2/index.html")
    assert intro.xpath("string(//h1)") == "Cables, Coral and the Cost of Rice"
    assert intro.xpath("//div[contains(@class, 'issue-intro')]/p")


FEEDS = ["feed.xml", "atom.xml", "articles.xml", "topics/economy/feed.xml"]


@pytest.mark.parametrize("name", FEEDS)
def test_feeds_parse_with_absolute_urls_and_a_self_link(subpath_site: Path, name: str) -> None:
    parsed = feedparser.parse((subpath_site / name).read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.entries
    self_links = [link.href for link in parsed.feed.links if link.rel == "self"]
    assert self_links == [SUBPATH_URL + name]
    assert parsed.feed.link == SUBPATH_URL
    ids = [entry.id for entry in parsed.entries]
    assert len(ids) == len(set(ids))
    for entry in parsed.entries:
        assert entry.link.startswith(SUBPATH_URL)
        for content in entry.get("content", []):
            assert relative_urls_in_html(content.value) == []


@pytest.mark.parametrize("name", ["feed.xml", "articles.xml", "topics/science/feed.xml"])
def test_rss_items_are_newest_first_with_rfc822_dates_and_permalink_guids(
    subpath_site: Path, name: str
) -> None:
    channel, items = rss_items(subpath_site / name)
    dates = rss_dates(items)
    assert dates == sorted(dates, reverse=True)
    assert channel.findtext("link") == SUBPATH_URL
    assert channel.findtext("lastBuildDate") == items[0].published
    for item in items:
        assert item.guid == item.link
    atom_self = channel.find(f"{ATOM}link")
    assert atom_self is not None and atom_self.get("rel") == "self"


@pytest.mark.parametrize("name", ["feed.xml", "atom.xml"])
def test_issue_feeds_carry_each_issue_in_full(subpath_site: Path, name: str) -> None:
    entries = feedparser.parse((subpath_site / name).read_bytes()).entries
    issues = len(list((subpath_site / "issues").iterdir()))
    assert [e.link for e in entries] == [f"{SUBPATH_URL}issues/{n}/" for n in range(issues, 0, -1)]
    latest = parse_html(subpath_site / f"issues/{issues}/index.html")
    teaser_titles = [t.text_content() for t in latest.xpath("//h3[@class='teaser-title']")]
    content = lxml.html.fragment_fromstring(entries[0].content[0].value, create_parent="div")
    assert [h.text_content() for h in content.xpath("//h3")] == teaser_titles


def test_two_builds_are_byte_identical(subpath_site: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    _build(again, SUBPATH_URL, clean=True)
    first = {
        p.relative_to(subpath_site): p.read_bytes() for p in subpath_site.rglob("*") if p.is_file()
    }
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def test_drafts_are_built_only_when_asked(tmp_path: Path) -> None:
    without = _build(tmp_path / "a", ROOT_URL)
    with_drafts = _build(tmp_path / "b", ROOT_URL, include_drafts=True)
    assert not (tmp_path / "a/articles/niigata-hydrogen-ferry-delay").exists()
    assert (tmp_path / "b/articles/niigata-hydrogen-ferry-delay/index.html").is_file()
    assert with_drafts.articles == without.articles + 1


def test_each_related_story_has_exactly_one_page_site_wide(subpath_site: Path) -> None:
    pages_of: dict[str, set[str]] = {}
    for page in sorted((subpath_site / "articles").glob("*/index.html")):
        for link in parse_html(page).xpath("//section[@class='related']//a"):
            pages_of.setdefault(normalise_title(link.text_content()), set()).add(link.get("href"))
    assert pages_of and all(len(hrefs) == 1 for hrefs in pages_of.values()), pages_of
    briefs = {h for hrefs in pages_of.values() for h in hrefs if "/briefs/" in h}
    assert len(briefs) >= 3


def test_brief_pages_say_where_the_story_was_mentioned(subpath_site: Path) -> None:
    briefs = sorted((subpath_site / "briefs").glob("*/index.html"))
    assert briefs
    for page in briefs:
        document = parse_html(page)
        mentioned = document.xpath("//section[@class='mentioned-in']//h3/a/@href")
        assert mentioned and all(h.startswith("/digest/articles/") for h in mentioned)
    skies = parse_html(
        subpath_site
        / "briefs/pacific-rim-leaders-back-open-skies-deal-for-cargo-flights/index.html"
    )
    assert len(skies.xpath("//section[@class='mentioned-in']//h3")) >= 5


def test_the_original_lists_its_syndicated_copy_as_also_reported(subpath_site: Path) -> None:
    original = parse_html(subpath_site / "articles/hokkaido-wind-auction-record-bids/index.html")
    also = original.xpath("//section[@class='also-reported']//a/@href")
    assert "/digest/articles/record-bids-hokkaido-wind-auction/" in also
    copy = parse_html(subpath_site / "articles/record-bids-hokkaido-wind-auction/index.html")
    related = copy.xpath("//section[@class='related']//a/@href")
    assert "/digest/articles/hokkaido-wind-auction-record-bids/" not in related


def test_json_feed_mirrors_the_issue_feed(subpath_site: Path) -> None:
    feed = json.loads((subpath_site / "feed.json").read_text())
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == SUBPATH_URL + "feed.json"
    _, rss = rss_items(subpath_site / "feed.xml")
    assert [item["url"] for item in feed["items"]] == [item.link for item in rss]
    for item in feed["items"]:
        assert relative_urls_in_html(item["content_html"]) == []


def test_article_pages_carry_news_article_metadata(subpath_site: Path) -> None:
    page = parse_html(subpath_site / "articles/pacific-cable-treaty-signed/index.html")
    (block,) = page.xpath("//script[@type='application/ld+json']/text()")
    data = json.loads(block)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == page.xpath("string(//h1)")
    assert data["publisher"]["name"] == "Coral Coast Courier"
    assert page.xpath("//meta[@property='og:type']/@content") == ["article"]
    assert page.xpath("//link[@rel='icon']/@href") == ["/digest/static/favicon.svg"]


def test_the_subscribe_page_lists_every_feed(subpath_site: Path) -> None:
    page = parse_html(subpath_site / "subscribe/index.html")
    links = set(page.xpath("//main//a/@href"))
    for feed in ("feed.xml", "atom.xml", "feed.json", "articles.xml", "topics/sport/feed.xml"):
        assert f"/digest/{feed}" in links
    home = parse_html(subpath_site / "index.html")
    assert "/digest/subscribe/" in home.xpath("//nav[@aria-label='Main']//a/@href")


def test_search_page_and_index_work_under_the_subpath(subpath_site: Path) -> None:
    index = json.loads((subpath_site / "search/index.json").read_text())
    built = {p.name for p in (subpath_site / "articles").iterdir()}
    assert len(index) == len(built) - 1  # the syndicated copy is not listed
    for record in index:
        assert record["u"].startswith("/digest/articles/") and record["t"] and record["d"]
    page = parse_html(subpath_site / "search/index.html")
    (script,) = page.xpath("//script[@src]")
    assert script.get("src") == "/digest/static/search.js"
    assert script.get("data-index") == "/digest/search/index.json"
    assert page.xpath("//label[@for='search-query']") and page.xpath("//input[@id='search-query']")
    home = parse_html(subpath_site / "index.html")
    assert "/digest/search/" in home.xpath("//nav[@aria-label='Main']//a/@href")
