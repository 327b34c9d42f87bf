"""Saved HTML article pages become ``ImportedArticle`` values.

Owns decoding the page (BOM, declared charset) and its body text (trafilatura, readability
as the fallback); metadata is read by ``html_metadata``, related stories by ``html_related``.
Pure: bytes in, article out; no network and no file access.
"""

from __future__ import annotations

import codecs
import re

import lxml.etree
import lxml.html
import trafilatura
from lxml.html import HtmlElement
from readability import Document
from readability.readability import Unparseable

from newsdigest.content.markup import plain_text
from newsdigest.importers.base import ExtractionError, ImportedArticle
from newsdigest.importers.html_metadata import PageMeta, read_metadata, split_title
from newsdigest.importers.html_related import related_mentions
from newsdigest.textnorm import nonblank_lines, normalise_title


def extract_html(data: bytes, *, origin: str, base_url: str | None = None) -> ImportedArticle:
    """The article in a saved HTML page; ``base_url`` is where the page was fetched from."""
    html_text = _page_text(data)
    root = _parse(html_text)
    meta = read_metadata(root, base_url)
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
        related=related_mentions(root, meta.url or base_url),
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
    return nonblank_lines(text or _readability_text(html_text))


def _readability_text(html_text: str) -> str:
    try:
        return plain_text(Document(html_text).summary())
    except Unparseable:
        return ""


def _without_header_lines(paragraphs: list[str], meta: PageMeta) -> list[str]:
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
    headline, _ = split_title(line)
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
