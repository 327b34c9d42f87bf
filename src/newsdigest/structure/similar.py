"""Text similarity between articles: a "more like this" query through a BM25 index.

Each article's query is its top TF-IDF terms (title words count three times). Postings are
impact-ordered and cut to the best ``POSTINGS_KEPT`` articles per term, so a query touches a
bounded number of entries and the whole stage grows linearly with the number of articles.
Scores are divided by the article's score against itself: 1.0 means "as similar as itself".
"""

from __future__ import annotations

import math
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from operator import mul

from newsdigest.matching import word_shingles, word_tokens
from newsdigest.model import Article
from newsdigest.parallel import map_slices

QUERY_TERMS = 12
INDEXED_TERMS = 40
POSTINGS_KEPT = 32
TITLE_BOOST = 3
MIN_SHARED_TERMS = 3
K1, B = 1.2, 0.75
_STOPWORDS = frozenset(
    """about above after again against also among and any are around because been before being
    below between both but can could did does doing down during each even few for from
    further had has have having her here hers herself him himself his how however into its
    itself just last like made make many may more most much must near new next not now off
    once one only other our ours out over own per said same says she should since some still
    such than that the their theirs them then there these they this those through too two
    under until upon very was way week were what when where which while who whom why will
    with within without would year years yet you your""".split()
)


def is_term(word: str) -> bool:
    """Index terms: words of three letters or more that are not stopwords."""
    return len(word) > 2 and word.isalpha() and word not in _STOPWORDS


def terms(title: str, body_terms: Mapping[str, int]) -> Counter[str]:
    """The article's term counts, title words boosted."""
    counts = Counter(body_terms)
    for word in word_tokens(title):
        if is_term(word):
            counts[word] += TITLE_BOOST
    return counts


@dataclass(frozen=True, slots=True)
class TextFeatures:
    """What the similarity stages need of a body, computed in one pass."""

    counts: dict[str, int]
    """Counts of index terms (``is_term``); the words are string objects shared across
    texts, to save memory."""
    grams: frozenset[int]
    """Sampled shingle hashes (see ``word_shingles``)."""


class FeatureExtractor:
    """Turns texts into ``TextFeatures``, sharing one string and one code per distinct word
    across texts: per-text token lists would hold millions of duplicate strings."""

    def __init__(self) -> None:
        self._terms: dict[str, str | None] = {}
        """Each distinct word: its shared string if it is an index term, else None."""
        self._codes: dict[str, int] = {}

    def __call__(self, text: str) -> TextFeatures:
        words = word_tokens(text)
        counts = Counter(words)
        codes, terms = self._codes, self._terms
        for word in counts:
            if word not in codes:
                codes[word] = zlib.crc32(word.encode())
                terms[word] = word if is_term(word) else None
        grams = word_shingles(words, codes)
        kept = {terms[w]: n for w, n in counts.items() if terms[w] is not None}
        return TextFeatures(kept, grams)  # type: ignore[arg-type]


def features_of(texts: Mapping[str, str], jobs: int = 1) -> dict[str, TextFeatures]:
    """Each text's features; ``jobs`` processes share the work when there are enough texts.
    Words stay shared within each worker's slice (pickle keeps shared objects shared), so
    workers add at most one copy of the vocabulary per slice."""
    keys, values = list(texts), list(texts.values())
    extract = FeatureExtractor()

    def work(indices: range) -> list[TextFeatures]:
        return [extract(values[index]) for index in indices]

    computed = map_slices(work, len(values), jobs, PARALLEL_MIN_TEXTS)
    return dict(zip(keys, computed, strict=True))


# Fewer texts than this are handled in this process: forking would cost more.
PARALLEL_MIN_TEXTS = 1000


class TextIndex:
    def __init__(self, articles: Sequence[Article], features: Mapping[str, TextFeatures]) -> None:
        self.slugs = [a.slug for a in articles]
        counts = [terms(a.title, features[a.slug].counts) for a in articles]
        frequency = Counter(chain.from_iterable(counts))
        total = max(len(articles), 1)
        self.idf = {t: math.log(1 + (total - n + 0.5) / (n + 0.5)) for t, n in frequency.items()}
        lengths = [sum(c.values()) for c in counts]
        average = sum(lengths) / total if lengths else 1.0
        postings: dict[str, list[tuple[float, int]]] = defaultdict(list)
        self.queries: list[list[str]] = []
        self.self_scores: list[float] = []
        for doc, (count, length) in enumerate(zip(counts, lengths, strict=True)):
            top, impacts = _top_impacts(count, length, average, self.idf)
            for term, impact in zip(top, impacts, strict=True):
                postings[term].append((impact, doc))
            self.queries.append(top[:QUERY_TERMS])
            self.self_scores.append(sum(impacts[:QUERY_TERMS]) or 1.0)
        self.postings: dict[str, dict[int, float]] = {
            term: {doc: impact for impact, doc in sorted(entries, reverse=True)[:POSTINGS_KEPT]}
            for term, entries in postings.items()
        }
        self.posting_docs = {term: tuple(docs) for term, docs in self.postings.items()}

    def similar(self, doc: int, eligible: Callable[[int], bool] | None = None) -> dict[int, float]:
        """Other articles sharing at least ``MIN_SHARED_TERMS`` query terms (and accepted by
        ``eligible``), with their BM25 score relative to the article's own (capped at 1)."""
        query = [term for term in self.queries[doc] if term in self.postings]
        # Counting shared terms runs in C; only the few articles that share enough are scored.
        shared = Counter(chain.from_iterable(self.posting_docs[term] for term in query))
        own = self.self_scores[doc]
        postings = [self.postings[term] for term in query]
        found = [
            other
            for other, count in shared.items()
            if count >= MIN_SHARED_TERMS and other != doc and (eligible is None or eligible(other))
        ]
        # dict.get mapped over the postings sums in C, in query order as a loop would.
        return {
            other: min(sum(map(dict.get, postings, repeat(other), repeat(0.0))) / own, 1.0)
            for other in found
        }


def _top_impacts(
    count: Mapping[str, int],
    length: int,
    average: float,
    idf: Mapping[str, float],
) -> tuple[list[str], list[float]]:
    """An article's most telling terms (by TF-IDF, best first; only these are indexed and
    queried: document pruning), with their BM25 impacts."""
    keys = list(count)
    weights = list(map(mul, count.values(), map(idf.__getitem__, keys)))
    # Sorting positions by weight is stable, so equal weights keep the terms' order.
    ranked = sorted(range(len(keys)), key=weights.__getitem__, reverse=True)
    top = [keys[position] for position in ranked[:INDEXED_TERMS]]
    norm = K1 * (1 - B + B * length / average)
    impacts = [idf[t] * count[t] * (K1 + 1) / (count[t] + norm) for t in top]
    return top, impacts
