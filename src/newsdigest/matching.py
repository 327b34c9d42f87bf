"""Same story or not: word-shingle overlap for bodies, guarded fuzzy matching for headlines.

Shared by the importers (is this page a copy of one the site holds?) and the related
engine (which articles and mentions are one story?).
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from itertools import chain
from typing import Generic, TypeVar

from newsdigest.textnorm import fold_punctuation, normalise_title

SHINGLE_SIZE = 5
SAMPLE_ABOVE = 64
SAMPLE_EVERY = 4
JACCARD = 0.5
CONTAINMENT = 0.8
TITLE_RATIO = 90
Key = TypeVar("Key", bound=Hashable)
_WORD = re.compile(r"\w+")
_NAME = re.compile(r"\b[A-Z][\w'-]+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def word_tokens(text: str) -> list[str]:
    """The text's words: case, quotes and punctuation ignored."""
    return _WORD.findall(fold_punctuation(text).casefold())


def shingles(text: str) -> frozenset[int]:
    return word_shingles(word_tokens(text))


def word_codes(words: Iterable[str]) -> dict[str, int]:
    """A stable integer per distinct word (CRC-32): integers hash the same in every process,
    strings do not."""
    return {word: zlib.crc32(word.encode()) for word in set(words)}


def word_shingles(words: Sequence[str], codes: Mapping[str, int] | None = None) -> frozenset[int]:
    """Stable hashes of the word 5-grams.

    Long texts keep only the grams whose first word's code is divisible by ``SAMPLE_EVERY``:
    the same grams are kept in every text, so overlap ratios are preserved while the work
    shrinks."""
    codes = codes if codes is not None else word_codes(words)
    tokens = [codes[word] for word in words]
    starts = range(len(tokens) - SHINGLE_SIZE + 1)
    if len(starts) > SAMPLE_ABOVE:
        starts = [i for i in starts if tokens[i] % SAMPLE_EVERY == 0]  # type: ignore[assignment]
    return frozenset(hash(tuple(tokens[i : i + SHINGLE_SIZE])) for i in starts)


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
    from rapidfuzz import fuzz  # imported when first needed: most rebuilds compare no titles

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
        # Most shingles occur once: they get a plain entry, and a list only when repeated.
        self._first: dict[int, Key] = {}
        self._more: dict[int, list[Key]] = {}

    def add(self, key: Key, grams: frozenset[int]) -> None:
        first, more = self._first, self._more
        for gram in grams:
            if gram not in first:
                first[gram] = key
            elif gram in more:
                if len(more[gram]) <= self.max_postings:
                    more[gram].append(key)
            else:
                more[gram] = [first[gram], key]
        self.sizes[key] = len(grams)

    def matches(self, grams: frozenset[int]) -> list[Key]:
        """Indexed texts that ``grams`` near-duplicates, most shared shingles first."""
        first, more = self._first, self._more
        shared = Counter(first[gram] for gram in grams if gram in first and gram not in more)
        lists = (more[gram] for gram in grams if gram in more)
        shared.update(chain.from_iterable(p for p in lists if len(p) <= self.max_postings))
        return [
            key
            for key, count in shared.most_common()
            if near_duplicate(count, len(grams), self.sizes[key])
        ]
