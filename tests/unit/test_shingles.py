"""The shingle holders: after any changes, each shingle's holders are the articles whose
shingles hold it, whether the changes sit in the delta or were sorted in."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsdigest.structure.shingles import ShingleHolders

slugs = st.sampled_from([f"a{n}" for n in range(8)])
shingle_sets = st.frozensets(st.integers(-4, 12), max_size=6)
sites = st.dictionaries(slugs, shingle_sets, max_size=8)


def holders_in(site: dict[str, frozenset[int]], gram: int) -> set[str]:
    return {slug for slug, grams in site.items() if gram in grams}


@settings(max_examples=300)
@given(sites, st.lists(sites, min_size=1, max_size=6))
def test_holders_follow_every_change(
    first: dict[str, frozenset[int]], later: list[dict[str, frozenset[int]]]
) -> None:
    holders = ShingleHolders.of(first)
    current = first
    for site in later:
        before = {s: g for s, g in current.items() if site.get(s) != g}
        after = {s: g for s, g in site.items() if current.get(s) != g}
        holders = holders.changed(before, after)
        current = site
        for gram in range(-5, 14):
            assert holders.of_shingle(gram) == holders_in(current, gram)
    # Sorting the delta in changes nothing.
    merged = holders.sorted_anew()
    assert not merged.added and not merged.removed
    for gram in range(-5, 14):
        assert merged.of_shingle(gram) == holders_in(current, gram)


def test_a_large_delta_is_sorted_in() -> None:
    holders = ShingleHolders.of({"a": frozenset(range(20))})
    small = holders.changed({"a": frozenset({0})}, {"a": frozenset({99})})
    assert small.added == {99: frozenset({"a"})} and small.removed == {0: frozenset({"a"})}
    large = holders.changed({}, {"b": frozenset(range(100, 110))})
    assert not large.added and list(large.grams) == sorted([*range(20), *range(100, 110)])
