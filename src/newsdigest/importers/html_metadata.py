"""What a saved HTML page says about itself: headline, source, date, author, URL, summary.

Owns reading JSON-LD, OpenGraph and other ``<meta>`` tags, and the document itself
(``<title>``, ``<time>``, the canonical link), and choosing among them field by field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

from lxml.html import HtmlElement

from newsdigest.importers.base import PageDate
from newsdigest.textnorm import join_names, normalise_title, unescape_and_collapse, web_url


@dataclass(frozen=True, slots=True)
class PageMeta:
    """What one kind of metadata says about the page; ``None`` where it is silent."""

    title: str | None = None
    source: str | None = None
    date: PageDate | None = None
    author: str | None = None
    url: str | None = None
    summary: str | None = None


_ARTICLE_TYPE = re.compile(r"(Article|BlogPosting|Report)$")
_DATE_META_NAMES = (
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "article.published",
    "article_date_original",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
    "dcterms.issued",
    "dcterms.created",
    "parsely-pub-date",
    "sailthru.date",
)
_BARE_DATE = re.compile(r"\d{4}-?\d{2}-?\d{2}")
_BYLINE_PREFIX = re.compile(r"^by\s+", re.IGNORECASE)
_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—·•]\s+")
_MAX_SITE_NAME_WORDS = 6


def read_metadata(root: HtmlElement, base_url: str | None) -> PageMeta:
    """Each field from the most trusted kind of metadata that gives it."""
    tags = _meta_tags(root)
    meta = _first_known(
        (
            _jsonld_meta(root),
            _opengraph_meta(tags),
            _meta_tag_meta(tags),
            _document_meta(root),
            PageMeta(title=unescape_and_collapse(_first(root.xpath("//h1")))),
        )
    )
    title = meta.title
    if title is not None and meta.source is not None:
        headline, site = split_title(title)
        if site is not None and normalise_title(site) == normalise_title(meta.source):
            title = headline
    return PageMeta(
        title=title,
        source=meta.source,
        date=meta.date,
        author=meta.author,
        url=_absolute_url(meta.url, base_url) or _absolute_url(base_url, None),
        summary=meta.summary,
    )


def split_title(title: str | None) -> tuple[str | None, str | None]:
    """A ``<title>`` as headline and site name: "Headline | Site" or "Headline - Site"."""
    separators = list(_TITLE_SEPARATOR.finditer(title or ""))
    if title is None or not separators:
        return title, None
    last = separators[-1]
    headline, site = title[: last.start()], title[last.end() :]
    if not headline or len(site.split()) > _MAX_SITE_NAME_WORDS:
        return title, None
    return headline, site


def _first_known(readings: Iterable[PageMeta]) -> PageMeta:
    values: dict[str, Any] = {}
    for reading in readings:
        for field in fields(PageMeta):
            if values.get(field.name) is None:
                values[field.name] = getattr(reading, field.name)
    return PageMeta(**values)


# --- JSON-LD -------------------------------------------------------------------------------


def _jsonld_meta(root: HtmlElement) -> PageMeta:
    nodes = list(_jsonld_nodes(root))
    by_id = {
        node["@id"]: node for node in nodes if isinstance(node.get("@id"), str) and "name" in node
    }
    article = next((node for node in nodes if _is_article(node)), None)
    if article is None:
        return PageMeta()
    return PageMeta(
        title=unescape_and_collapse(_first_string(article.get("headline") or article.get("name"))),
        source=join_names(_names(article.get("publisher"), by_id)),
        date=_parse_date(_first_string(article.get("datePublished"))),
        author=join_names(_names(article.get("author"), by_id)),
        url=_entity_url(article.get("url")) or _entity_url(article.get("mainEntityOfPage")),
        summary=unescape_and_collapse(_first_string(article.get("description"))),
    )


def _jsonld_nodes(root: HtmlElement) -> Iterator[dict[str, Any]]:
    """Every JSON object in the page's JSON-LD scripts, nested ones (``@graph``) included."""
    for script in root.xpath("//script[contains(@type, 'ld+json')]"):
        try:
            pending: list[object] = [json.loads(script.text or "", strict=False)]
        except ValueError:
            continue
        while pending:
            value = pending.pop(0)
            if isinstance(value, dict):
                yield value
                pending.extend(value.values())
            elif isinstance(value, list):
                pending.extend(value)


def _is_article(node: Mapping[str, Any]) -> bool:
    types = node.get("@type")
    names = types if isinstance(types, list) else [types]
    return any(isinstance(name, str) and _ARTICLE_TYPE.search(name) for name in names)


def _names(value: object, by_id: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Names of the people or organisations in a JSON-LD value, references resolved."""
    if isinstance(value, list):
        return [name for item in value for name in _names(item, by_id)]
    if isinstance(value, dict):
        node = value if "name" in value else by_id.get(str(value.get("@id")), {})
        return _names(node.get("name"), {})
    name = unescape_and_collapse(value) if isinstance(value, str) else None
    return [name] if name is not None and not _is_url(name) else []


def _entity_url(value: object) -> str | None:
    if isinstance(value, dict):
        value = value.get("@id") or value.get("url")
    return _first_string(value)


def _first_string(value: object) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return value if isinstance(value, str) else None


# --- Meta tags and the document ------------------------------------------------------------


def _meta_tags(root: HtmlElement) -> dict[str, str]:
    """``<meta>`` contents by lowercased property, name or itemprop; the first one wins."""
    tags: dict[str, str] = {}
    for element in root.iter("meta"):
        key = element.get("property") or element.get("name") or element.get("itemprop")
        content = element.get("content")
        if key and content:
            tags.setdefault(key.strip().lower(), content)
    return tags


def _opengraph_meta(tags: Mapping[str, str]) -> PageMeta:
    return PageMeta(
        title=unescape_and_collapse(tags.get("og:title")),
        source=unescape_and_collapse(tags.get("og:site_name")),
        date=_parse_date(tags.get("article:published_time")),
        author=_person_name(tags.get("article:author")),
        url=tags.get("og:url"),
        summary=unescape_and_collapse(tags.get("og:description")),
    )


def _meta_tag_meta(tags: Mapping[str, str]) -> PageMeta:
    return PageMeta(
        title=unescape_and_collapse(tags.get("twitter:title")),
        author=_person_name(tags.get("author")),
        date=_first_date(tags.get(name) for name in _DATE_META_NAMES),
        summary=unescape_and_collapse(tags.get("description") or tags.get("twitter:description")),
    )


def _document_meta(root: HtmlElement) -> PageMeta:
    headline, site = split_title(unescape_and_collapse(_first(root.xpath("//head/title"))))
    return PageMeta(
        title=headline,
        source=site,
        date=_first_date(
            root.xpath("//article//time/@datetime | //*[@itemprop='datePublished']/@datetime")
        ),
        url=_first(
            link.get("href")
            for link in root.iter("link")
            if "canonical" in (link.get("rel") or "").lower().split()
        ),
    )


# --- Values --------------------------------------------------------------------------------


def _person_name(value: str | None) -> str | None:
    """A byline from a meta tag: a leading "By" dropped; a profile URL is not a name."""
    name = unescape_and_collapse(_BYLINE_PREFIX.sub("", value or ""))
    return None if name is None or _is_url(name) else name


def _first_date(values: Iterable[str | None]) -> PageDate | None:
    return next((parsed for value in values if (parsed := _parse_date(value))), None)


def _parse_date(value: str | None) -> PageDate | None:
    """A date as printed: its own offset kept, a bare date stays a date."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            return parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
    return parsed.date() if _BARE_DATE.fullmatch(text) else parsed


def _absolute_url(url: str | None, base: str | None) -> str | None:
    """``url`` as an absolute http(s) URL, resolved against ``base`` when relative."""
    return web_url(url, base)


def _is_url(text: str) -> bool:
    return web_url(text) is not None


def _first(items: Iterable[Any]) -> Any:
    """The first item, the text of an element; ``None`` when there is none."""
    item = next(iter(items), None)
    return item.text_content() if isinstance(item, HtmlElement) else item
