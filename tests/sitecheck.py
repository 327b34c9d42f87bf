"""Test helpers that read a built site the way a browser and a feed reader would."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html

LINK_ATTRIBUTES = (("a", "href"), ("link", "href"), ("img", "src"), ("script", "src"))


def html_pages(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


def parse_html(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


def route_of(output: Path, page: Path) -> str:
    relative = page.relative_to(output).as_posix()
    return relative.removesuffix("index.html")


def target_file(output: Path, base_path: str, url_path: str) -> Path | None:
    """The file a root-relative URL path resolves to, or None when it leaves the site."""
    if not url_path.startswith(base_path):
        return None
    relative = unquote(url_path[len(base_path) :])
    candidate = output / relative
    if relative == "" or relative.endswith("/"):
        candidate = candidate / "index.html"
    return candidate


@dataclass(frozen=True)
class Broken:
    page: str
    url: str
    why: str


def broken_links(output: Path, base_url: str) -> list[Broken]:
    """Every internal link, asset and #anchor that does not resolve to a built file/id."""
    base = urlsplit(base_url)
    ids: dict[Path, set[str]] = {}
    problems = []
    for page in html_pages(output):
        document = parse_html(page)
        ids.setdefault(page, set(document.xpath("//@id")))
        page_url = urljoin(base_url, base.path + route_of(output, page))
        for tag, attribute in LINK_ATTRIBUTES:
            for value in document.xpath(f"//{tag}/@{attribute}"):
                absolute = urlsplit(urljoin(page_url, value))
                if (absolute.scheme, absolute.netloc) != (base.scheme, base.netloc):
                    if absolute.scheme in ("http", "https") and absolute.netloc == "":
                        problems.append(Broken(page.name, value, "no host"))
                    continue
                target = target_file(output, base.path, absolute.path)
                name = str(page.relative_to(output))
                if target is None:
                    problems.append(Broken(name, value, "outside the base path"))
                elif not target.is_file():
                    problems.append(Broken(name, value, "no such file"))
                elif absolute.fragment:
                    if target not in ids:
                        ids[target] = set(parse_html(target).xpath("//@id"))
                    if absolute.fragment not in ids[target]:
                        problems.append(Broken(name, value, "no such anchor"))
    return problems


ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"


@dataclass(frozen=True)
class FeedItem:
    title: str
    link: str
    guid: str
    published: str
    content: str


def rss_items(path: Path) -> tuple[ET.Element, list[FeedItem]]:
    channel = ET.parse(path).getroot().find("channel")
    assert channel is not None
    items = []
    for item in channel.findall("item"):
        items.append(
            FeedItem(
                title=item.findtext("title", ""),
                link=item.findtext("link", ""),
                guid=item.findtext("guid", ""),
                published=item.findtext("pubDate", ""),
                content=item.findtext(CONTENT) or item.findtext("description", ""),
            )
        )
    return channel, items


def rss_dates(items: list[FeedItem]) -> list[float]:
    return [parsedate_to_datetime(item.published).timestamp() for item in items]


def relative_urls_in_html(fragment: str) -> list[str]:
    """href/src values inside feed content that are not absolute http(s) URLs."""
    if not fragment.strip():
        return []
    document = lxml.html.fragment_fromstring(fragment, create_parent="div")
    values = document.xpath("//@href | //@src")
    return [v for v in values if urlsplit(v).scheme not in ("http", "https", "mailto")]
