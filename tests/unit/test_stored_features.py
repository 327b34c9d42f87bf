"""Text features kept between builds: a base of shingle and count blobs, plus one blob per
body computed since."""

from __future__ import annotations

import hashlib

import pytest

from newsdigest.structure.similar import FeaturesLost, features_of
from newsdigest.structure.stored import StoredFeatures


class MemoryBlobs:
    """A blob store in a dict that, like the build cache, drops what a build did not use."""

    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}
        self.used: set[str] = set()
        self.got: set[str] = set()
        """Every key read since the store was made."""

    def get_blobs(self, keys: list[str]) -> dict[str, bytes]:
        self.used.update(keys)
        self.got.update(keys)
        return {key: self.blobs[key] for key in keys if key in self.blobs}

    def put_blob(self, key: str, value: bytes) -> None:
        self.used.add(key)
        self.blobs[key] = value

    def keep(self, keys: list[str]) -> None:
        self.used.update(keys)

    def end_build(self) -> None:
        self.blobs = {k: v for k, v in self.blobs.items() if k in self.used}
        self.used, self.got = set(), set()


def by_digest(bodies: list[str]) -> dict[str, str]:
    """Bodies by a digest of their text, as the build keys them."""
    return {hashlib.sha256(body.encode()).hexdigest(): body for body in bodies}


BODIES = [f"Harbour cranes number {n} moved the cargo at dawn." for n in range(20)]
TEXTS = by_digest(BODIES)


def build(store: MemoryBlobs, texts: dict[str, str]) -> dict[str, object]:
    """What a build does with the store: load what it holds, compute and keep the rest.
    Term counts are loaded only when asked for: here, by comparing the features."""
    memo = StoredFeatures(store)
    stored = memo.get_many(list(texts))
    computed = features_of({k: v for k, v in texts.items() if k not in stored})
    memo.put_many(computed)
    store.end_build()
    return {**stored, **computed}


def test_features_come_back_as_computed_and_few_changes_are_kept_one_per_body() -> None:
    store = MemoryBlobs()
    assert build(store, TEXTS) == features_of(TEXTS)
    kinds = ("keys", "counts", "grams")
    base = sorted({f"{kind}:base:{key[0]}" for key in TEXTS for kind in kinds})
    assert sorted(store.blobs) == base  # a first build writes the base
    edited = by_digest([*BODIES[1:], "A new body about the ferry timetable."])
    assert build(store, edited) == features_of(edited)
    new_key = next(key for key in edited if key not in TEXTS)
    # The new body's features have a blob of their own; the base stays.
    assert f"features:{new_key}" in store.blobs
    assert {f"grams:base:{key[0]}" for key in edited if key != new_key} <= set(store.blobs)
    assert len(store.blobs) <= len(base) + 1


def test_a_new_base_of_the_features_in_use_is_written_once_a_tenth_changed() -> None:
    store = MemoryBlobs()
    build(store, TEXTS)
    bodies = list(BODIES)
    for n in range(2):  # two of twenty bodies: a tenth
        bodies[n] = f"Edit {n} of the story about ferries."
        assert build(store, by_digest(bodies)) == features_of(by_digest(bodies))
    # The second edit wrote a new base; the first edit's own blob, read by that build,
    # goes with the next one.
    build(store, by_digest(bodies))
    assert all(key.startswith(("keys:", "grams:", "counts:")) for key in store.blobs)
    assert StoredFeatures(store).get_many(list(TEXTS)[:2]) == {}  # the old bodies are gone
    texts = by_digest(bodies)
    assert StoredFeatures(store).get_many(list(texts)) == features_of(texts)


def test_unreadable_blobs_are_computed_again() -> None:
    store = MemoryBlobs()
    build(store, TEXTS)
    build(store, by_digest([*BODIES, "Another body."]))
    store.blobs = {key: b"\x00\xff" for key in store.blobs}
    assert StoredFeatures(store).get_many(list(TEXTS)) == {}
    assert build(store, TEXTS) == features_of(TEXTS)


@pytest.mark.parametrize("kind", ["counts", "grams"])
def test_counts_and_shingles_are_loaded_only_when_asked_for_and_kept_either_way(
    kind: str,
) -> None:
    store = MemoryBlobs()
    build(store, TEXTS)
    loaded = StoredFeatures(store).get_many(list(TEXTS))
    assert not any(key.startswith(("counts:", "grams:")) for key in store.got)
    first = next(iter(TEXTS))
    expected = features_of({first: TEXTS[first]})[first]
    assert getattr(loaded[first], kind) == getattr(expected, kind)
    assert [key for key in store.got if key.startswith(("counts:", "grams:"))] == [
        f"{kind}:base:{first[0]}"
    ]
    store.end_build()  # parts not loaded this build are kept for the next
    assert StoredFeatures(store).get_many(list(TEXTS)) == features_of(TEXTS)


@pytest.mark.parametrize("kind", ["counts", "grams"])
def test_unreadable_counts_or_shingles_are_reported_when_asked_for(kind: str) -> None:
    store = MemoryBlobs()
    build(store, TEXTS)
    store.blobs = {k: b"\x00\xff" if k.startswith(kind) else v for k, v in store.blobs.items()}
    loaded = StoredFeatures(store).get_many(list(TEXTS))
    assert len(loaded) == len(TEXTS)  # which bodies the base holds is readable
    with pytest.raises(FeaturesLost):
        _ = getattr(next(iter(loaded.values())), kind)
