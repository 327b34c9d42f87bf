"""Is an imported article already in the site, or a syndicated copy of one?

Same article: same canonical URL, or same normalised title and source. Syndicated copy
(same story, other outlet): a near-duplicate body or a matching headline
(``newsdigest.matching``). Candidates come from an inverted index, so checks stay
near-linear in the size of the site.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from newsdigest.matching import ShingleIndex, shingles, titles_match
from newsdigest.textnorm import canonical_url, normalise_title


@dataclass(frozen=True, slots=True)
class Known:
    """An article of the site, as far as duplicate checks need it."""

    slug: str
    path: Path
    """The article's file: re-imports with ``--force`` replace this one."""
    url: str | None
    title: str
    source: str
    body: str
    duplicate_of: str | None = None


class ContentIndex:
    def __init__(self) -> None:
        self._by_url: dict[str, Known] = {}
        self._by_title_source: dict[tuple[str, str], Known] = {}
        self._bodies: ShingleIndex[str] = ShingleIndex()
        self._articles: dict[str, Known] = {}

    def add(self, article: Known) -> None:
        self._articles[article.slug] = article
        if article.url:
            self._by_url.setdefault(canonical_url(article.url), article)
        key = (normalise_title(article.title), article.source.casefold())
        self._by_title_source.setdefault(key, article)
        self._bodies.add(article.slug, shingles(article.body))

    def same_article(self, url: str | None, title: str, source: str) -> Known | None:
        if url and (found := self._by_url.get(canonical_url(url))):
            return found
        return self._by_title_source.get((normalise_title(title), source.casefold()))

    def original_of(self, title: str, body: str) -> Known | None:
        """The article this one is a syndicated copy of (followed to its original), if any."""
        matches = self._bodies.matches(shingles(body))
        match = self._articles[matches[0]] if matches else self._title_match(title)
        while match is not None and match.duplicate_of in self._articles:
            match = self._articles[match.duplicate_of]
        return match

    def _title_match(self, title: str) -> Known | None:
        return next((a for a in self._articles.values() if titles_match(title, a.title)), None)
