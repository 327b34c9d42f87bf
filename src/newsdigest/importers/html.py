"""Saved HTML article pages become ``ImportedArticle`` values.

Owns what a page says about itself (charset, JSON-LD, OpenGraph and meta tags, ``<title>``),
its body text (trafilatura, readability as the fallback) and its related-stories block.
Pure: bytes in, article out; no network and no file access.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from email.utils import parsedate_to_datetime
from html import unescape
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html
import trafilatura
from lxml.html import HtmlElement
from readability import Document
from readability.readability import Unparseable

from newsdigest.content.markup import plain_text
from newsdigest.importers.base import ExtractionError, ImportedArticle, PageDate
from newsdigest.model import Mention
from newsdigest.textnorm import normalise_title


def extract_html(data: bytes, *, origin: str, base_url: str | None = None) -> ImportedArticle:
    """The article in a saved HTML page; ``base_url`` is where the page was fetched from."""
    html_text = _page_text(data)
    root = _parse(html_text)
    meta = _read_metadata(root, base_url)
    if meta.title is None:
        raise ExtractionError("The page has no headline: no <title>, <h1> or title metadata.")
    paragraphs = _without_header_lines(_body_paragraphs(html_text), meta)
    if not paragraphs:
        raise ExtractionError(
            "No article text found in the page: it holds only navigation or interface text,"
            " or it is cut off before the article starts."
        )
    return ImportedArticle(
        title=meta.title,
        source=meta.source,
        date=meta.date,
        author=meta.author,
        url=meta.url,
        summary=meta.summary,
        paragraphs=tuple(paragraphs),
        related=_related_mentions(root, meta.url or base_url),
        origin=origin,
    )


# --- Decoding ------------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_DECLARED_CHARSET = re.compile(
    rb"""(?:<meta[^>]*?charset|<\?xml[^>]*?encoding)\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE
)
# Browsers read these labels as windows-1252 (WHATWG Encoding), so pages written for
# browsers use its extra characters (curly quotes, dashes) under them.
_WINDOWS_1252_LABELS = frozenset(
    {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii", "cp819"}
)
_SNIFF_BYTES = 4096
_MAX_UNREADABLE_SHARE = 0.1
# lxml refuses text holding XML-invalid characters or an encoding declaration; such
# characters, like U+FFFD, also tell binary data from text.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_XML_DECLARATION = re.compile(r"^(\s*<\?xml[^>]*(>|$))+")


def _page_text(data: bytes) -> str:
    """Page bytes as text: BOM, else declared charset, else UTF-8; bad bytes become U+FFFD."""
    if not data.strip():
        raise ExtractionError("The page is empty.")
    text, invalid = _XML_INVALID.subn("", _decode(data))
    if invalid + text.count("\ufffd") > _MAX_UNREADABLE_SHARE * (len(text) + invalid):
        raise ExtractionError("The file is not readable text: it looks like binary data.")
    return _XML_DECLARATION.sub("", text)


def _decode(data: bytes) -> str:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise ExtractionError("The file is binary data, not an HTML page.")
    try:
        return data.decode(_declared_charset(data[:_SNIFF_BYTES]), errors="replace")
    except LookupError:  # a declared codec that is not a text encoding (base64, rot13)
        return data.decode("utf-8", errors="replace")


def _declared_charset(head: bytes) -> str:
    match = _DECLARED_CHARSET.search(head)
    if match is None:
        return "utf-8"
    label = match.group(1).decode("ascii").lower()
    if label in _WINDOWS_1252_LABELS:
        return "cp1252"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return "utf-8"
    # A UTF-16 label on bytes without a BOM is a mistake; browsers read such pages as UTF-8.
    return "utf-8" if name.startswith("utf-16") else name


def _parse(html_text: str) -> HtmlElement:
    try:
        return lxml.html.document_fromstring(html_text)
    except lxml.etree.ParserError as error:
        raise ExtractionError("The page holds no HTML content.") from error


# --- Metadata ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _PageMeta:
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


def _read_metadata(root: HtmlElement, base_url: str | None) -> _PageMeta:
    """Each field from the most trusted kind of metadata that gives it."""
    tags = _meta_tags(root)
    meta = _first_known(
        (
            _jsonld_meta(root),
            _opengraph_meta(tags),
            _meta_tag_meta(tags),
            _document_meta(root),
            _PageMeta(title=_clean(_first(root.xpath("//h1")))),
        )
    )
    title = meta.title
    if title is not None and meta.source is not None:
        headline, site = _split_title(title)
        if site is not None and normalise_title(site) == normalise_title(meta.source):
            title = headline
    return _PageMeta(
        title=title,
        source=meta.source,
        date=meta.date,
        author=meta.author,
        url=_absolute_url(meta.url, base_url) or _absolute_url(base_url, None),
        summary=meta.summary,
    )


def _first_known(readings: Iterable[_PageMeta]) -> _PageMeta:
    values: dict[str, Any] = {}
    for reading in readings:
        for field in fields(_PageMeta):
            if values.get(field.name) is None:
                values[field.name] = getattr(reading, field.name)
    return _PageMeta(**values)


def _jsonld_meta(root: HtmlElement) -> _PageMeta:
    nodes = list(_jsonld_nodes(root))
    by_id = {
        node["@id"]: node for node in nodes if isinstance(node.get("@id"), str) and "name" in node
    }
    article = next((node for node in nodes if _is_article(node)), None)
    if article is None:
        return _PageMeta()
    return _PageMeta(
        title=_clean(_first_string(article.get("headline") or article.get("name"))),
        source=join_names(_names(article.get("publisher"), by_id)),
        date=_parse_date(_first_string(article.get("datePublished"))),
        author=join_names(_names(article.get("author"), by_id)),
        url=_entity_url(article.get("url")) or _entity_url(article.get("mainEntityOfPage")),
        summary=_clean(_first_string(article.get("description"))),
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
    name = _clean(value) if isinstance(value, str) else None
    return [name] if name is not None and not _is_url(name) else []


def join_names(names: list[str]) -> str | None:
    """Several bylines as printed: "A and B", "A, B and C"."""
    unique = list(dict.fromkeys(names))
    if len(unique) <= 1:
        return unique[0] if unique else None
    return ", ".join(unique[:-1]) + " and " + unique[-1]


def _entity_url(value: object) -> str | None:
    if isinstance(value, dict):
        value = value.get("@id") or value.get("url")
    return _first_string(value)


def _first_string(value: object) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return value if isinstance(value, str) else None


def _meta_tags(root: HtmlElement) -> dict[str, str]:
    """``<meta>`` contents by lowercased property, name or itemprop; the first one wins."""
    tags: dict[str, str] = {}
    for element in root.iter("meta"):
        key = element.get("property") or element.get("name") or element.get("itemprop")
        content = element.get("content")
        if key and content:
            tags.setdefault(key.strip().lower(), content)
    return tags


def _opengraph_meta(tags: Mapping[str, str]) -> _PageMeta:
    return _PageMeta(
        title=_clean(tags.get("og:title")),
        source=_clean(tags.get("og:site_name")),
        date=_parse_date(tags.get("article:published_time")),
        author=_person_name(tags.get("article:author")),
        url=tags.get("og:url"),
        summary=_clean(tags.get("og:description")),
    )


def _meta_tag_meta(tags: Mapping[str, str]) -> _PageMeta:
    return _PageMeta(
        title=_clean(tags.get("twitter:title")),
        author=_person_name(tags.get("author")),
        date=_first_date(tags.get(name) for name in _DATE_META_NAMES),
        summary=_clean(tags.get("description") or tags.get("twitter:description")),
    )


def _document_meta(root: HtmlElement) -> _PageMeta:
    headline, site = _split_title(_clean(_first(root.xpath("//head/title"))))
    return _PageMeta(
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


def _split_title(title: str | None) -> tuple[str | None, str | None]:
    """A ``<title>`` as headline and site name: "Headline | Site" or "Headline - Site"."""
    separators = list(_TITLE_SEPARATOR.finditer(title or ""))
    if title is None or not separators:
        return title, None
    last = separators[-1]
    headline, site = title[: last.start()], title[last.end() :]
    if not headline or len(site.split()) > _MAX_SITE_NAME_WORDS:
        return title, None
    return headline, site


def _person_name(value: str | None) -> str | None:
    name = _clean(_BYLINE_PREFIX.sub("", value or ""))
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
    if not url:
        return None
    resolved = urljoin(base, url.strip()) if base else url.strip()
    return resolved if _is_url(resolved) else None


def _is_url(text: str) -> bool:
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _first(items: Iterable[Any]) -> Any:
    """The first item, the text of an element; ``None`` when there is none."""
    item = next(iter(items), None)
    return item.text_content() if isinstance(item, HtmlElement) else item


def _clean(text: str | None) -> str | None:
    """Entities decoded (pages often double-escape metadata), whitespace collapsed."""
    cleaned = " ".join(unescape(text or "").split())
    return cleaned or None


# --- Body ----------------------------------------------------------------------------------

_HEADER_LINES_CHECKED = 4
_MAX_HEADER_WORDS = 10
_DATELINE_WORD = re.compile(
    r"\d+(st|nd|rd|th|h)?|am|pm|on|at|by|and|of|updated|published|posted|last|modified"
    r"|(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
    r"|(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*"
    r"|gmt|utc|bst|cet|cest|est|edt|cst|cdt|pst|pdt|ist|jst|aest|aedt"
    r"|ago|mins?|minutes?|hours?|hrs?|days?|weeks?"
)


def _body_paragraphs(html_text: str) -> list[str]:
    text = trafilatura.extract(
        html_text, favor_precision=True, include_comments=False, include_tables=False
    )
    return _lines(text or _readability_text(html_text))


def _readability_text(html_text: str) -> str:
    try:
        return plain_text(Document(html_text).summary())
    except Unparseable:
        return ""


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def _without_header_lines(paragraphs: list[str], meta: _PageMeta) -> list[str]:
    """The body without a leading headline, byline or date line repeated from the page."""
    repeated = {normalise_title(text) for text in (meta.title, meta.author) if text}
    start = 0
    while start < min(len(paragraphs), _HEADER_LINES_CHECKED) and _is_header_line(
        paragraphs[start], repeated
    ):
        start += 1
    return paragraphs[start:]


def _is_header_line(line: str, repeated: set[str]) -> bool:
    key = normalise_title(line)
    words = key.split()
    headline, _ = _split_title(line)
    if not words or key in repeated or normalise_title(headline or "") in repeated:
        return True
    if len(words) > _MAX_HEADER_WORDS:
        return False
    # A byline has no full stop; "By 2030, ..." opening a real paragraph does.
    is_byline = words[0] == "by" and not line.rstrip().endswith((".", "!", "?"))
    is_dateline = any(char.isdigit() for char in key) and all(
        _DATELINE_WORD.fullmatch(word) for word in words
    )
    return is_byline or is_dateline


# --- Related stories -----------------------------------------------------------------------

_RELATED_HEADING = re.compile(
    r"^(related|you (may|might) also (like|enjoy|be interested)|more on this|read more"
    r"|recommended|see also|further reading|read next|more stories like this)\b"
)
_NOT_RELATED = re.compile(r"\b(most|trending|popular|comments?|topics?|tags?)\b")
_NOT_RELATED_CLASS = re.compile(r"most|trending|popular|comment|topic|tag")
_CALL_TO_ACTION = re.compile(r"^(read more|more|see all|see more|view all|continue reading)$")
_CONTAINERS = ("aside", "section", "div", "nav", "ul")
_HEADINGS = ("h2", "h3", "h4")
_ALL_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_TITLE_XPATH = (
    ".//*[self::h2 or self::h3 or self::h4 or self::h5 or self::h6"
    " or contains(@class, 'title') or contains(@class, 'headline')]"
)
_SOURCE_CLASSES = ("source", "outlet", "publisher")
_SUMMARY_CLASSES = ("dek", "summary", "excerpt", "description", "standfirst", "teaser")
# Shorter link texts in a related block are sections, tags, people or share buttons.
_MIN_TITLE_WORDS = 3
_MAX_SOURCE_WORDS = 6
_MAX_SOURCE_DIGIT_SHARE = 1 / 3
_MIN_SUMMARY_WORDS = 8


@dataclass(frozen=True, slots=True)
class _RelatedItem:
    """One story in a related block: its link, the element holding its title, and the
    element around both that holds nothing else (source line, dek)."""

    link: HtmlElement
    title: HtmlElement
    card: HtmlElement


def _related_mentions(root: HtmlElement, base_url: str | None) -> tuple[Mention, ...]:
    mentions: dict[str, Mention] = {}
    for item in _related_items(root):
        title = _clean(item.title.text_content())
        if title is None or len(title.split()) < _MIN_TITLE_WORDS:
            continue
        href = item.link.get("href", "").strip()
        mention = Mention(
            title=title,
            source=_item_source(item),
            summary=_item_summary(item),
            url=urljoin(base_url, href) if base_url else href,
        )
        mentions.setdefault(normalise_title(title), mention)
    return tuple(mentions.values())


def _related_items(root: HtmlElement) -> Iterator[_RelatedItem]:
    """The links of the page's related blocks, in page order."""
    boundary_of_link: dict[HtmlElement, HtmlElement] = {}
    for member, boundary in _related_blocks(root).items():
        for link in member.iter("a"):
            boundary_of_link.setdefault(link, boundary)
    for link in root.iter("a") if boundary_of_link else ():
        href = link.get("href", "").strip()
        if link in boundary_of_link and href and not href.startswith(("#", "javascript:")):
            yield _RelatedItem(link, _title_element(link), _card(link, boundary_of_link[link]))


def _related_blocks(root: HtmlElement) -> dict[HtmlElement, HtmlElement]:
    """Each element holding related links, mapped to the element bounding its block;
    blocks found by their heading come first, as they bound their links more tightly."""
    boundary_of: dict[HtmlElement, HtmlElement] = {}
    for heading in root.iter(*_HEADINGS):
        if _is_related_heading(heading.text_content()):
            start = heading
            while start.getnext() is None and start.getparent() is not None:
                start = start.getparent()
            for member in _links_after(start):
                boundary_of[member] = start.getparent()
    for element in root.iter(*_CONTAINERS):
        if _has_related_class(element) and not any(
            _has_related_class(ancestor) for ancestor in element.iterancestors(*_CONTAINERS)
        ):
            boundary_of[element] = element
    return boundary_of


def _is_related_heading(text: str) -> bool:
    key = normalise_title(text)
    return bool(_RELATED_HEADING.match(key)) and not _NOT_RELATED.search(key)


def _has_related_class(element: HtmlElement) -> bool:
    names = _class_and_id(element)
    return "related" in names and not _NOT_RELATED_CLASS.search(names)


def _links_after(start: HtmlElement) -> Iterator[HtmlElement]:
    """The siblings after a heading that hold its links: the first one with a link and the
    run of same-tag siblings after it (one list, or a row of cards), before any heading."""
    run_tag = None
    for sibling in start.itersiblings():
        if not isinstance(sibling, HtmlElement):
            continue
        if sibling.tag in _ALL_HEADINGS:
            return
        if run_tag is None and (sibling.tag == "a" or sibling.find(".//a") is not None):
            run_tag = sibling.tag
        elif run_tag is not None and sibling.tag != run_tag:
            return
        if run_tag is not None:
            yield sibling


def _title_element(link: HtmlElement) -> HtmlElement:
    """The headline inside a link that wraps a whole card (headline, date, dek), else
    the link itself."""
    titles = link.xpath(_TITLE_XPATH)
    return titles[0] if titles else link


def _card(link: HtmlElement, boundary: HtmlElement) -> HtmlElement:
    """The largest element around ``link`` inside the block that links nowhere else."""
    href = link.get("href")
    card = link
    for parent in link.iterancestors():
        if parent is boundary or {a.get("href") for a in parent.iter("a")} != {href}:
            break
        card = parent
    return card


def _item_source(item: _RelatedItem) -> str | None:
    texts = _card_texts(item)
    classed = next((text for element, text in texts if _has_class(element, _SOURCE_CLASSES)), None)
    return classed or next(
        (
            text
            for element, text in texts
            if len(element) == 0
            and element.tag != "time"
            and not _has_class(element, _SUMMARY_CLASSES)
            and _looks_like_outlet(text)
        ),
        None,
    )


def _looks_like_outlet(text: str) -> bool:
    """A short line naming an outlet, not a date, a time or a call to action."""
    return (
        len(text.split()) <= _MAX_SOURCE_WORDS
        and any(char.isalpha() for char in text)
        and sum(char.isdigit() for char in text) <= _MAX_SOURCE_DIGIT_SHARE * len(text)
        and not _CALL_TO_ACTION.match(text.lower())
    )


def _item_summary(item: _RelatedItem) -> str | None:
    texts = _card_texts(item)
    classed = next((text for element, text in texts if _has_class(element, _SUMMARY_CLASSES)), None)
    return classed or next(
        (
            text
            for element, text in texts
            if element.tag in ("p", "div") and len(text.split()) >= _MIN_SUMMARY_WORDS
        ),
        None,
    )


def _card_texts(item: _RelatedItem) -> list[tuple[HtmlElement, str]]:
    """The card's elements other than the title (and what contains it), with their text."""
    title_related = {item.title, *item.title.iterancestors(), *item.title.iter()}
    texts = []
    for element in item.card.iter():
        if not isinstance(element, HtmlElement) or element in title_related:
            continue
        text = _clean(element.text_content())
        if text is not None:
            texts.append((element, text))
    return texts


def _has_class(element: HtmlElement, words: Iterable[str]) -> bool:
    names = _class_and_id(element)
    return any(word in names for word in words)


def _class_and_id(element: HtmlElement) -> str:
    return f"{element.get('class', '')} {element.get('id', '')}".lower()
