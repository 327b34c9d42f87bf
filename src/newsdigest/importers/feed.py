"""RSS 2.0 and Atom feeds become ``ImportedArticle`` values, one per usable entry.

Owns reading entries with feedparser and keeping each entry's date as the feed printed it
(its own offset, not feedparser's UTC). Pure: bytes in, articles out; no network access.
"""

from __future__ import annotations

import calendar
import io
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import feedparser
from feedparser import FeedParserDict

from newsdigest.content.markup import plain_text
from newsdigest.importers.base import ExtractionError, ImportedArticle
from newsdigest.textnorm import collapse_whitespace, join_names, nonblank_lines

# RSS <author> is an address with the name in brackets, "desk@example.com (Ana Ruiz)";
# feedparser gives an Atom author with an email as "Ana Ruiz (desk@example.com)".
_ADDRESS_WITH_NAME = re.compile(r"^\S+@\S+\s*\((?P<name>[^)]+)\)$|^(?P<before>.+?)\s*\(\S+@\S+\)$")
_ADDRESS = re.compile(r"^\S+@\S+$")


def extract_feed(data: bytes, *, origin: str) -> list[ImportedArticle]:
    """The feed's entries in feed order; entries without a title, or with neither a link
    nor any text, are left out."""
    # A stream, because feedparser opens bytes that name an existing file as that file.
    try:
        parsed = feedparser.parse(io.BytesIO(data))
    except (ValueError, UnicodeError) as exc:  # feedparser gives up on some broken bytes
        raise ExtractionError(f"The feed could not be read: {exc}") from None
    if not parsed.get("version"):
        raise ExtractionError("This is not an RSS or Atom feed.")
    feed_title = collapse_whitespace(parsed.feed.get("title"))
    articles = [
        article
        for entry in parsed.entries
        if (article := _article(entry, feed_title, origin)) is not None
    ]
    if not articles:
        raise ExtractionError("The feed has no entry with a title and a link or text.")
    return articles


def _article(entry: FeedParserDict, feed_title: str | None, origin: str) -> ImportedArticle | None:
    title = collapse_whitespace(" ".join(_text_lines(entry, "title")))
    summary_lines = _text_lines(entry, "summary")
    content = entry.get("content") or []
    paragraphs = _lines(content[0]) if content else summary_lines
    link = entry.get("link")
    if title is None or not (link or paragraphs):
        return None
    source = entry.get("source") or {}
    return ImportedArticle(
        title=title,
        source=collapse_whitespace(source.get("title")) or feed_title,
        date=_entry_date(entry),
        author=_entry_author(entry),
        url=link or None,
        summary=collapse_whitespace(" ".join(summary_lines)),
        paragraphs=tuple(paragraphs),
        related=(),
        origin=origin,
    )


def _text_lines(entry: FeedParserDict, key: str) -> list[str]:
    detail = entry.get(f"{key}_detail")
    return _lines(detail) if detail else []


def _lines(detail: FeedParserDict) -> list[str]:
    """A feed text construct as lines: HTML one block per line, plain text as written."""
    value = detail.get("value") or ""
    text = plain_text(value) if "html" in (detail.get("type") or "") else value
    return nonblank_lines(text)


def _entry_date(entry: FeedParserDict) -> datetime | None:
    for key in ("published", "updated"):
        # dict.get: FeedParserDict would quietly map "updated" to "published" (deprecated).
        printed = _parse_printed_date(dict.get(entry, key) or "")
        if printed is not None:
            return printed
        as_utc = dict.get(entry, f"{key}_parsed")
        if as_utc:
            return datetime.fromtimestamp(calendar.timegm(as_utc), tz=UTC)
    return None


def _parse_printed_date(text: str) -> datetime | None:
    """An RFC 822 (RSS) or ISO 8601 (Atom) date with its own offset; UTC when it has none."""
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        try:
            parsed = datetime.fromisoformat(text.strip())
        except ValueError:
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _entry_author(entry: FeedParserDict) -> str | None:
    authors = entry.get("authors") or []
    printed = [author.get("name") for author in authors] if len(authors) > 1 else []
    names = [_person_name(name) for name in printed or [entry.get("author")]]
    return join_names([name for name in names if name])


def _person_name(text: str | None) -> str | None:
    """An author as a feed prints it: the name out of an address; a bare address is none."""
    name = collapse_whitespace(text)
    if name is None or _ADDRESS.match(name):
        return None
    match = _ADDRESS_WITH_NAME.match(name)
    return (match.group("name") or match.group("before")).strip() if match else name
