"""Text similarity between articles: a "more like this" query through a BM25 index.

Each article's query is its top TF-IDF terms (title words count three times). Postings are
impact-ordered and cut to the best ``POSTINGS_KEPT`` articles per term, so a query touches a
bounded number of entries and the whole stage grows linearly with the number of articles.
Scores are divided by the article's score against itself: 1.0 means "as similar as itself".
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from newsdigest.model import Article
from newsdigest.textnorm import fold_punctuation

QUERY_TERMS = 25
POSTINGS_KEPT = 64
TITLE_BOOST = 3
MIN_SHARED_TERMS = 3
K1, B = 1.2, 0.75
_TOKEN = re.compile(r"[^\W\d_]{3,}")
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


def terms(article: Article) -> Counter[str]:
    counts = Counter(_tokens(article.body_text))
    for word in _tokens(article.title):
        counts[word] += TITLE_BOOST
    return counts


def _tokens(text: str) -> list[str]:
    words = _TOKEN.findall(fold_punctuation(text).casefold())
    return [w for w in words if w not in _STOPWORDS]


class TextIndex:
    def __init__(self, articles: Sequence[Article]) -> None:
        self.slugs = [a.slug for a in articles]
        counts = [terms(a) for a in articles]
        frequency = Counter(term for c in counts for term in c)
        total = max(len(articles), 1)
        self.idf = {t: math.log(1 + (total - n + 0.5) / (n + 0.5)) for t, n in frequency.items()}
        lengths = [sum(c.values()) for c in counts]
        average = sum(lengths) / total if lengths else 1.0
        postings: dict[str, list[tuple[float, int]]] = defaultdict(list)
        self.queries: list[list[str]] = []
        self.self_scores: list[float] = []
        for doc, (count, length) in enumerate(zip(counts, lengths, strict=True)):
            norm = K1 * (1 - B + B * length / average)
            impacts = {t: self.idf[t] * tf * (K1 + 1) / (tf + norm) for t, tf in count.items()}
            for term, impact in impacts.items():
                postings[term].append((impact, doc))
            query = heapq.nlargest(QUERY_TERMS, count, key=lambda t: (count[t] * self.idf[t], t))
            self.queries.append(query)
            self.self_scores.append(sum(impacts[t] for t in query) or 1.0)
        self.postings = {
            term: heapq.nlargest(POSTINGS_KEPT, entries) for term, entries in postings.items()
        }

    def similar(self, doc: int) -> dict[int, float]:
        """Other articles sharing at least ``MIN_SHARED_TERMS`` query terms, with their BM25
        score relative to the article's own (capped at 1)."""
        scores: dict[int, float] = defaultdict(float)
        shared: Counter[int] = Counter()
        for term in self.queries[doc]:
            for impact, other in self.postings.get(term, ()):
                scores[other] += impact
                shared[other] += 1
        own = self.self_scores[doc]
        return {
            other: min(score / own, 1.0)
            for other, score in scores.items()
            if other != doc and shared[other] >= MIN_SHARED_TERMS
        }
