"""The data every importer returns, and the error it raises for pages with no article."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from newsdigest.model import Mention

PageDate = date | datetime
"""The publication date as printed on the page: a date, or a datetime (aware when the
page gave a zone or offset)."""


class ExtractionError(ValueError):
    """The source holds no article (empty, interface text only, unreadable): the message
    says why, in words an editor understands."""


@dataclass(frozen=True, slots=True)
class ImportedArticle:
    title: str
    source: str | None
    date: PageDate | None
    author: str | None
    url: str | None
    """Canonical URL of the original, when the source names one."""
    summary: str | None
    paragraphs: tuple[str, ...]
    """Body paragraphs as plain text, in order, whitespace trimmed."""
    related: tuple[Mention, ...]
    origin: str
    """Where it came from: a file path, a URL or ``-`` for standard input."""
