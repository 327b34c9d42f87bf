"""Is an imported article already in the site, or a syndicated copy of one?

Same article: same canonical URL, or same normalised title and source. Syndicated copy
(same story, other outlet): word 5-gram shingles with Jaccard >= 0.5 or containment >= 0.8,
or headlines that match closely (token-sort ratio >= 90 with the same numbers and names).
Candidates come from an inverted index of shingles, so checking stays near-linear.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

from newsdigest.textnorm import canonical_url, fold_punctuation, normalise_title

SHINGLE_SIZE = 5
JACCARD = 0.5
CONTAINMENT = 0.8
TITLE_RATIO = 90
_WORD = re.compile(r"\w+")
_NAME = re.compile(r"\b[A-Z][\w'’-]+")


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


def shingles(text: str) -> frozenset[int]:
    tokens = _WORD.findall(fold_punctuation(text).casefold())
    return frozenset(
        hash(tuple(tokens[i : i + SHINGLE_SIZE])) for i in range(len(tokens) - SHINGLE_SIZE + 1)
    )


def _title_signature(title: str) -> tuple[frozenset[str], frozenset[str]]:
    """Numbers and capitalised names (after the first word): both must agree in copies."""
    text = fold_punctuation(title)
    numbers = frozenset(re.findall(r"\d+(?:[.,]\d+)?", text))
    names = frozenset(word.casefold() for word in _NAME.findall(text.split(" ", 1)[-1]))
    return numbers, names


class ContentIndex:
    def __init__(self) -> None:
        self._by_url: dict[str, Known] = {}
        self._by_title_source: dict[tuple[str, str], Known] = {}
        self._shingles: dict[str, frozenset[int]] = {}
        self._postings: dict[int, list[str]] = defaultdict(list)
        self._articles: dict[str, Known] = {}

    def add(self, article: Known) -> None:
        self._articles[article.slug] = article
        if article.url:
            self._by_url.setdefault(canonical_url(article.url), article)
        key = (normalise_title(article.title), article.source.casefold())
        self._by_title_source.setdefault(key, article)
        grams = shingles(article.body)
        self._shingles[article.slug] = grams
        for gram in grams:
            self._postings[gram].append(article.slug)

    def same_article(self, url: str | None, title: str, source: str) -> Known | None:
        if url and (found := self._by_url.get(canonical_url(url))):
            return found
        return self._by_title_source.get((normalise_title(title), source.casefold()))

    def original_of(self, title: str, body: str) -> Known | None:
        """The earliest-added article this one is a syndicated copy of, if any."""
        match = self._body_match(body) or self._title_match(title)
        while match is not None and match.duplicate_of in self._articles:
            match = self._articles[match.duplicate_of]
        return match

    def _body_match(self, body: str) -> Known | None:
        grams = shingles(body)
        if not grams:
            return None
        hits = Counter(slug for gram in grams for slug in self._postings.get(gram, ()))
        for slug, shared in sorted(hits.items(), key=lambda item: -item[1]):
            other = self._shingles[slug]
            union = len(grams | other)
            smaller = min(len(grams), len(other))
            if shared / union >= JACCARD or shared / smaller >= CONTAINMENT:
                return self._articles[slug]
        return None

    def _title_match(self, title: str) -> Known | None:
        key, signature = normalise_title(title), _title_signature(title)
        for article in self._articles.values():
            if (
                fuzz.token_sort_ratio(key, normalise_title(article.title)) >= TITLE_RATIO
                and _title_signature(article.title) == signature
            ):
                return article
        return None
