"""Text similarity between articles: a "more like this" query through a BM25 index.

Each article's query is its top TF-IDF terms (title words count three times). Postings are
impact-ordered and cut to the best ``POSTINGS_KEPT`` articles per term, so a query touches a
bounded number of entries and the whole stage grows linearly with the number of articles.
Scores are divided by the article's score against itself: 1.0 means "as similar as itself".
"""

from __future__ import annotations

import math
import zlib
from array import array
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


class FeaturesLost(Exception):
    """Stored features that were to be loaded when first needed could not be read."""


class TextFeatures:
    """What the similarity stages need of a body, computed in one pass."""

    __slots__ = ("_counts", "_grams")

    def __init__(
        self,
        counts: dict[str, int] | Callable[[], dict[str, int]],
        grams: frozenset[int] | Callable[[], frozenset[int]],
    ) -> None:
        """``counts`` and ``grams`` may be functions that load them: most builds need only
        a few. They raise ``FeaturesLost`` if they cannot."""
        self._counts = counts
        self._grams = grams

    @property
    def counts(self) -> dict[str, int]:
        """Counts of index terms (``is_term``); the words are string objects shared across
        texts, to save memory."""
        if not isinstance(self._counts, dict):
            self._counts = self._counts()
        return self._counts

    @property
    def grams(self) -> frozenset[int]:
        """Sampled shingle hashes (see ``word_shingles``)."""
        if not isinstance(self._grams, frozenset):
            self._grams = self._grams()
        return self._grams

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TextFeatures):
            return NotImplemented
        return self.grams == other.grams and self.counts == other.counts

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> tuple[type[TextFeatures], tuple[dict[str, int], frozenset[int]]]:
        return TextFeatures, (self.counts, self.grams)


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


@dataclass(slots=True)
class IndexState:
    """A text index as plain data: kept between builds, and updated when a few bodies change
    (``update_index``) into exactly the state ``index_state`` builds from scratch."""

    slugs: list[str]
    frequency: dict[str, int]
    """Document frequency of every term."""
    lengths: list[int]
    tops: list[tuple[str, ...]]
    """Each article's indexed terms, best first (its query is the first ``QUERY_TERMS``)."""
    self_scores: list[float]
    postings: dict[str, Posting]
    """Every article that indexes a term, best impact first: the index keeps the first
    ``POSTINGS_KEPT``; the rest are kept for updates, in case one of those leaves."""


@dataclass(slots=True)
class Posting:
    """Impacts and their articles, best first (ties: higher article number first), in
    arrays: the rest of a build never reads most of them."""

    impacts: array[float]
    docs: array[int]

    @classmethod
    def of(cls, entries: list[tuple[float, int]]) -> Posting:
        entries.sort(reverse=True)
        return cls(array("d", [e[0] for e in entries]), array("i", [e[1] for e in entries]))

    def kept(self) -> dict[int, float]:
        return dict(zip(self.docs[:POSTINGS_KEPT], self.impacts[:POSTINGS_KEPT], strict=True))


def index_state(articles: Sequence[Article], features: Mapping[str, TextFeatures]) -> IndexState:
    counts = [terms(a.title, features[a.slug].counts) for a in articles]
    frequency = dict(Counter(chain.from_iterable(counts)))
    lengths = [sum(c.values()) for c in counts]
    idf, average = _idf(frequency, len(articles)), _average(lengths)
    entries: dict[str, list[tuple[float, int]]] = defaultdict(list)
    tops: list[tuple[str, ...]] = []
    self_scores: list[float] = []
    for doc, (count, length) in enumerate(zip(counts, lengths, strict=True)):
        top, impacts = _top_impacts(count, length, average, idf)
        for term, impact in zip(top, impacts, strict=True):
            entries[term].append((impact, doc))
        tops.append(top)
        self_scores.append(_self_score(impacts))
    postings = {term: Posting.of(found) for term, found in entries.items()}
    return IndexState([a.slug for a in articles], frequency, lengths, tops, self_scores, postings)


def update_index(
    state: IndexState,
    articles: Sequence[Article],
    features: Mapping[str, TextFeatures],
    earlier: Mapping[str, TextFeatures],
) -> tuple[IndexState, set[int]] | None:
    """``state`` after the bodies in ``earlier`` (their features before the change, by
    slug) changed, and the articles whose ``similar`` results may have changed with them.
    None when an update would not pay: other articles, or a new average length (it weighs
    every impact)."""
    if [a.slug for a in articles] != state.slugs:
        return None
    position = {slug: doc for doc, slug in enumerate(state.slugs)}
    edited = {
        position[slug]: terms(articles[position[slug]].title, f.counts)
        for slug, f in earlier.items()
    }
    counts = _Counts(articles, features)
    frequency, lengths = dict(state.frequency), list(state.lengths)
    for doc, before in edited.items():
        frequency.update((term, frequency.get(term, 0) - 1) for term in before)
        frequency.update((term, frequency.get(term, 0) + 1) for term in counts[doc])
        lengths[doc] = sum(counts[doc].values())
    if any(n < 0 for n in frequency.values()):
        return None  # the earlier features do not match the state: build it anew
    average = _average(lengths)
    if average != _average(state.lengths):
        return None
    shifted = {t for t, n in frequency.items() if n != state.frequency.get(t, 0)}
    frequency = {term: n for term, n in frequency.items() if n}
    idf = _idf(frequency, len(articles))
    # Other articles index other terms, or weigh them differently, only if they have a term
    # whose frequency moved. Most such terms are held by edited articles alone.
    elsewhere = {t for t in shifted if frequency.get(t, 0) > sum(t in counts[d] for d in edited)}
    touched = set(edited)
    if elsewhere:
        touched.update(doc for doc in range(len(articles)) if counts.has_any(doc, elsewhere))
    tops, self_scores = list(state.tops), list(state.self_scores)
    moved: dict[int, dict[str, float]] = {}
    for doc in sorted(touched):
        top, impacts = _top_impacts(counts[doc], lengths[doc], average, idf)
        if doc in edited or top != tops[doc] or not shifted.isdisjoint(top):
            moved[doc] = dict(zip(top, impacts, strict=True))
            tops[doc], self_scores[doc] = top, _self_score(impacts)
    postings, changed = _moved_postings(state, tops, moved)
    queried = {doc for doc, top in enumerate(tops) if not changed.isdisjoint(top[:QUERY_TERMS])}
    updated = IndexState(state.slugs, frequency, lengths, tops, self_scores, postings)
    return updated, set(moved) | queried


def _moved_postings(
    state: IndexState, tops: Sequence[tuple[str, ...]], moved: Mapping[int, Mapping[str, float]]
) -> tuple[dict[str, Posting], set[str]]:
    """The postings after the ``moved`` articles' new impacts (by term), and the terms whose
    kept part changed."""
    added: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for doc, impacts in moved.items():
        for term, impact in impacts.items():
            added[term].append((impact, doc))
    postings = dict(state.postings)
    changed: set[str] = set()
    for term in {t for doc in moved for t in state.tops[doc]} | added.keys():
        old = state.postings.get(term)
        entries = added.get(term, [])
        if old:
            entries += [
                (i, d) for i, d in zip(old.impacts, old.docs, strict=True) if d not in moved
            ]
        if entries:
            postings[term] = Posting.of(entries)
        else:
            del postings[term]
        if old is None or term not in postings or _kept_list(postings[term]) != _kept_list(old):
            changed.add(term)
    return postings, changed


class _Counts:
    """Articles' term counts, computed when first asked for."""

    def __init__(self, articles: Sequence[Article], features: Mapping[str, TextFeatures]) -> None:
        self.articles, self.features = articles, features
        self._counts: dict[int, Counter[str]] = {}

    def __getitem__(self, doc: int) -> Counter[str]:
        if doc not in self._counts:
            article = self.articles[doc]
            self._counts[doc] = terms(article.title, self.features[article.slug].counts)
        return self._counts[doc]

    def has_any(self, doc: int, wanted: set[str]) -> bool:
        """Whether the article's body or title has one of the ``wanted`` terms."""
        article = self.articles[doc]
        body = self.features[article.slug].counts
        # Looking up a few wanted terms is cheaper than going through the body's terms.
        in_body = (
            any(t in body for t in wanted) if len(wanted) < 10 else not wanted.isdisjoint(body)
        )
        return in_body or any(word in wanted for word in word_tokens(article.title))


def _kept_list(posting: Posting) -> list[tuple[int, float]]:
    return list(posting.kept().items())


def _idf(frequency: Mapping[str, int], total: int) -> dict[str, float]:
    total = max(total, 1)
    return {t: math.log(1 + (total - n + 0.5) / (n + 0.5)) for t, n in frequency.items()}


def _average(lengths: Sequence[int]) -> int:
    """The average length, rounded: an edit that adds or removes a few words then rarely
    moves it, and so leaves every other article's impacts as they were."""
    return max(1, round(sum(lengths) / len(lengths))) if lengths else 1


def _self_score(impacts: Sequence[float]) -> float:
    return sum(impacts[:QUERY_TERMS]) or 1.0


class TextIndex:
    def __init__(self, state: IndexState) -> None:
        self.slugs = state.slugs
        self.queries = [top[:QUERY_TERMS] for top in state.tops]
        self.self_scores = state.self_scores
        self._postings = state.postings
        self._kept: dict[str, dict[int, float]] = {}
        self._kept_docs: dict[str, tuple[int, ...]] = {}

    def _posting(self, term: str) -> dict[int, float]:
        kept = self._kept.get(term)
        if kept is None:
            kept = self._kept[term] = self._postings[term].kept()
            self._kept_docs[term] = tuple(kept)
        return kept

    def similar(self, doc: int, eligible: Callable[[int], bool] | None = None) -> dict[int, float]:
        """Other articles sharing at least ``MIN_SHARED_TERMS`` query terms (and accepted by
        ``eligible``), with their BM25 score relative to the article's own (capped at 1)."""
        query = self.queries[doc]
        postings = [self._posting(term) for term in query]
        # Counting shared terms runs in C; only the few articles that share enough are scored.
        shared = Counter(chain.from_iterable(self._kept_docs[term] for term in query))
        own = self.self_scores[doc]
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
) -> tuple[tuple[str, ...], list[float]]:
    """An article's most telling terms (by TF-IDF, best first; only these are indexed and
    queried: document pruning), with their BM25 impacts."""
    keys = list(count)
    weights = list(map(mul, count.values(), map(idf.__getitem__, keys)))
    # Sorting positions by weight is stable, so equal weights keep the terms' order.
    ranked = sorted(range(len(keys)), key=weights.__getitem__, reverse=True)
    top = tuple(keys[position] for position in ranked[:INDEXED_TERMS])
    norm = K1 * (1 - B + B * length / average)
    impacts = [idf[t] * count[t] * (K1 + 1) / (count[t] + norm) for t in top]
    return top, impacts
