"""Same story or not: word-shingle overlap for bodies, guarded fuzzy matching for headlines.

Shared by the importers (is this page a copy of one the site holds?) and the related
engine (which articles and mentions are one story?).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

from rapidfuzz import fuzz

from newsdigest.textnorm import fold_punctuation, normalise_title

SHINGLE_SIZE = 5
JACCARD = 0.5
CONTAINMENT = 0.8
TITLE_RATIO = 90
Key = TypeVar("Key", bound=Hashable)
_WORD = re.compile(r"\w+")
_NAME = re.compile(r"\b[A-Z][\w'-]+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def shingles(text: str) -> frozenset[int]:
    """Hashes of the text's word 5-grams (case, quotes and punctuation ignored)."""
    tokens = _WORD.findall(fold_punctuation(text).casefold())
    return frozenset(
        hash(tuple(tokens[i : i + SHINGLE_SIZE])) for i in range(len(tokens) - SHINGLE_SIZE + 1)
    )


def near_duplicate(shared: int, first: int, second: int) -> bool:
    """Given the shared and total shingle counts of two texts: the same text, give or take
    an edited sentence (Jaccard >= 0.5, or one text >= 80% contained in the other)."""
    if not first or not second:
        return False
    union = first + second - shared
    return shared / union >= JACCARD or shared / min(first, second) >= CONTAINMENT


def title_signature(title: str) -> tuple[frozenset[str], frozenset[str]]:
    """Numbers and capitalised names after the first word: copies of a headline keep both."""
    text = fold_punctuation(title)
    rest = text.split(" ", 1)[-1] if " " in text else ""
    numbers = frozenset(_NUMBER.findall(text))
    names = frozenset(word.casefold() for word in _NAME.findall(rest))
    return numbers, names


def titles_match(first: str, second: str) -> bool:
    """Headlines of one story: token-sort ratio >= 90 and the same numbers and names, so
    "Storm hits Florida" and "Storm hits Texas" stay apart."""
    a, b = normalise_title(first), normalise_title(second)
    if a == b:
        return bool(a)
    return fuzz.token_sort_ratio(a, b) >= TITLE_RATIO and title_signature(first) == title_signature(
        second
    )


class ShingleIndex(Generic[Key]):
    """Inverted index of shingles: finds near-duplicate candidates without comparing all pairs.

    Shingles that occur in more than ``max_postings`` texts are stock phrases, not evidence,
    and are not indexed (this also bounds the work per lookup)."""

    def __init__(self, max_postings: int = 50) -> None:
        self.max_postings = max_postings
        self.sizes: dict[Key, int] = {}
        self._postings: dict[int, list[Key]] = defaultdict(list)

    def add(self, key: Key, grams: Iterable[int]) -> None:
        count = 0
        for gram in grams:
            count += 1
            postings = self._postings[gram]
            if len(postings) <= self.max_postings:
                postings.append(key)
        self.sizes[key] = count

    def matches(self, grams: frozenset[int]) -> list[Key]:
        """Indexed texts that ``grams`` near-duplicates, most shared shingles first."""
        shared: Counter[Key] = Counter()
        for gram in grams:
            postings = self._postings.get(gram, ())
            if len(postings) <= self.max_postings:
                shared.update(postings)
        return [
            key
            for key, count in shared.most_common()
            if near_duplicate(count, len(grams), self.sizes[key])
        ]
