"""Which articles hold each shingle: all that looking for a changed body's copies needs of
the other bodies. Kept between builds, it spares an edit loading every body's shingles
(six hundred thousand numbers at ten thousand articles).

Every (shingle, article) pair sits in one array sorted by shingle, found by bisection. The
changes made since it was sorted are a small delta beside it, read with it; once the delta
holds a tenth as many pairs as the array, the two are sorted together anew.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

Grams = Mapping[str, frozenset[int]]
"""Shingles by article slug."""


@dataclass(frozen=True, slots=True)
class ShingleHolders:
    grams: array[int]
    """Every shingle of the sorted pairs, in order (as often as it has holders)."""
    holders: array[int]
    """Each pair's article, as an index into ``names``."""
    names: tuple[str, ...]
    """The articles of the sorted pairs, by slug."""
    added: Mapping[int, frozenset[str]]
    """Since the pairs were sorted: the articles that gained each shingle."""
    removed: Mapping[int, frozenset[str]]
    """Since the pairs were sorted: the articles that lost each shingle."""

    @classmethod
    def of(cls, grams: Grams) -> ShingleHolders:
        names = tuple(sorted(grams))
        # Each pair as one integer, the article's index in the low bits: a list of
        # integers sorts in a third of the time a list of pairs takes.
        pairs = sorted(gram << _BITS | n for n, name in enumerate(names) for gram in grams[name])
        shingles = array("q", [pair >> _BITS for pair in pairs])
        return cls(shingles, array("i", [pair & _MASK for pair in pairs]), names, {}, {})

    def of_shingle(self, gram: int) -> set[str]:
        """The articles holding ``gram``."""
        start = bisect_left(self.grams, gram)
        end = bisect_right(self.grams, gram, start)
        found = {self.names[n] for n in self.holders[start:end]}
        return (found - self.removed.get(gram, frozenset())) | self.added.get(gram, frozenset())

    def changed(self, before: Grams, after: Grams) -> ShingleHolders:
        """After the articles of ``before`` lost those shingles and the articles of
        ``after`` gained theirs: a changed body is in both, a new one only in ``after``,
        a removed one only in ``before``."""
        added = {gram: set(slugs) for gram, slugs in self.added.items()}
        removed = {gram: set(slugs) for gram, slugs in self.removed.items()}
        for slug, grams in before.items():
            _move(slug, grams - after.get(slug, frozenset()), added, removed)
        for slug, grams in after.items():
            _move(slug, grams - before.get(slug, frozenset()), removed, added)
        holders = ShingleHolders(
            self.grams,
            self.holders,
            self.names,
            {gram: frozenset(slugs) for gram, slugs in added.items() if slugs},
            {gram: frozenset(slugs) for gram, slugs in removed.items() if slugs},
        )
        delta = sum(map(len, holders.added.values())) + sum(map(len, holders.removed.values()))
        return holders.sorted_anew() if delta * 10 > len(self.grams) else holders

    def sorted_anew(self) -> ShingleHolders:
        """The same holders, all in the sorted pairs."""
        grams: dict[str, set[int]] = {}
        for gram, n in zip(self.grams, self.holders, strict=True):
            if self.names[n] not in self.removed.get(gram, ()):
                grams.setdefault(self.names[n], set()).add(gram)
        for gram, slugs in self.added.items():
            for slug in slugs:
                grams.setdefault(slug, set()).add(gram)
        return ShingleHolders.of({slug: frozenset(found) for slug, found in grams.items()})


_BITS = 31
_MASK = (1 << _BITS) - 1


def _move(
    slug: str, grams: Iterable[int], taken: dict[int, set[str]], given: dict[int, set[str]]
) -> None:
    """Record that ``slug`` left (or joined) the holders of ``grams``: undo its pending
    join (or leave) if there is one, else note the leave (join) in ``given``."""
    for gram in grams:
        if slug in taken.get(gram, ()):
            taken[gram].discard(slug)
        else:
            given.setdefault(gram, set()).add(slug)
