"""The related engine's results kept in the build cache between builds, as marshal blobs:
text features, relations, their basis (the text index and copy pairs) and story maps
(see ``site.FeatureMemo`` and ``site.RelationsMemo``)."""

from __future__ import annotations

import marshal
import sys
import uuid
import zlib
from array import array
from collections import defaultdict
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any, Generic, Protocol, TypeVar

from newsdigest.model import Story
from newsdigest.structure.related import related_item
from newsdigest.structure.shingles import ShingleHolders
from newsdigest.structure.similar import FeaturesLost, IndexState, Posting, TextFeatures
from newsdigest.structure.site import Basis, Relations
from newsdigest.structure.stories import StoryMap
from newsdigest.structure.syndication import CopyLinks


class BlobStore(Protocol):
    def get_blobs(self, keys: list[str]) -> dict[str, bytes]: ...

    def put_blob(self, key: str, value: bytes) -> None: ...

    def keep(self, keys: list[str]) -> None: ...


class StoredFeatures:
    """Text features kept in a blob store (the build cache) between builds, in marshal's
    format: loading them takes a fraction of the time computing them does.

    Most features live in a base of sixteen parts (by the first character of the body's
    digest): it loads in half the time one blob per body takes, as a term's string is
    stored once per blob, and no blob is large enough to matter for peak memory. Each part
    is two blobs, shingles and term counts: every build needs all shingles, but after an
    edit, only a few articles' counts (they are loaded when first asked for). Features
    computed since the base was written are kept one blob per body, until they make up a
    tenth of the site's; then the next build writes a new base of the features it uses,
    and the rest is pruned."""

    def __init__(self, store: BlobStore) -> None:
        self.store = store
        self._loaded: dict[str, TextFeatures] = {}
        self._separate = 0
        """How many of the loaded features came from their own blob rather than the base."""
        self._counts = _BaseParts(store, _COUNTS, _decode_counts)
        self._grams = _BaseParts(store, _GRAMS, _decode_grams)

    def get_many(self, keys: list[str]) -> dict[str, TextFeatures]:
        wanted = set(keys)
        found: dict[str, TextFeatures] = {}
        parts = sorted({_base_part(key) for key in keys})
        # Loaded later, or not at all.
        self.store.keep([blob + part for part in parts for blob in (_COUNTS, _GRAMS)])
        blobs = self.store.get_blobs([_KEYS + part for part in parts])
        for part in parts:
            held = _unmarshal(blobs.get(_KEYS + part, b""))
            held = held if isinstance(held, list) else []
            found.update(
                (
                    key,
                    TextFeatures(
                        partial(self._counts.of, part, key), partial(self._grams.of, part, key)
                    ),
                )
                for key in wanted.intersection(held)
            )
        rest = [key for key in keys if key not in found]
        blobs = self.store.get_blobs([f"features:{key}" for key in rest])
        for key in rest:
            blob = blobs.get(f"features:{key}")
            features = _decode_features(blob) if blob else None
            if features and key in features:
                found[key] = features[key]
                self._separate += 1
        self._loaded = found
        return found

    def put_many(self, computed: Mapping[str, TextFeatures]) -> None:
        """Keep the features this build computed (see the class docstring)."""
        self._put({**self._loaded, **computed}, computed)

    def replace(self, computed: Mapping[str, TextFeatures]) -> None:
        """Keep only these features: those loaded could not all be read."""
        self._loaded, self._separate = {}, 0
        self._counts = _BaseParts(self.store, _COUNTS, _decode_counts)
        self._grams = _BaseParts(self.store, _GRAMS, _decode_grams)
        self._put(dict(computed), computed)

    def _put(
        self, everything: dict[str, TextFeatures], computed: Mapping[str, TextFeatures]
    ) -> None:
        if len(computed) + self._separate >= max(1, len(everything) // _REBASE_FRACTION):
            parts: dict[str, dict[str, TextFeatures]] = defaultdict(dict)
            for key, features in everything.items():
                parts[_base_part(key)][key] = features
            for part, members in parts.items():
                grams = {key: features.grams for key, features in members.items()}
                self.store.put_blob(_KEYS + part, marshal.dumps(sorted(members)))
                self.store.put_blob(_GRAMS + part, marshal.dumps(grams))
                self.store.put_blob(_COUNTS + part, _encode_counts(members))
            return
        for key, features in computed.items():
            self.store.put_blob(f"features:{key}", _encode_features({key: features}))

    def keep(self, keys: list[str]) -> None:
        parts = {_base_part(key) for key in keys}
        kept = [blob + part for part in parts for blob in (_KEYS, _GRAMS, _COUNTS)]
        self.store.keep([*kept, *(f"features:{key}" for key in keys)])


Part = TypeVar("Part")


class _BaseParts(Generic[Part]):
    """One kind of the base's parts (term counts, or shingles), each loaded when one of
    its bodies' values is first asked for. Apart from ``StoredFeatures``: features that
    load their values from here hold no reference back to the features they are kept with,
    so that no reference cycle keeps them alive after a build (the collector then had
    50,000 objects to free)."""

    def __init__(
        self, store: BlobStore, prefix: str, decode: Callable[[bytes], dict[str, Part]]
    ) -> None:
        self.store, self.prefix, self.decode = store, prefix, decode
        self.parts: dict[str, dict[str, Part]] = {}

    def of(self, part: str, key: str) -> Part:
        """One body's value from its part of the base, loading the part once."""
        if part not in self.parts:
            blob = self.store.get_blobs([self.prefix + part]).get(self.prefix + part)
            self.parts[part] = self.decode(blob) if blob else {}
        value = self.parts[part].get(key)
        if value is None:
            raise FeaturesLost(key)
        return value


_REBASE_FRACTION = 10
_KEYS, _GRAMS, _COUNTS = "keys:", "grams:", "counts:"
"""A base part's blobs: the digests of the bodies it holds, their shingles, their counts."""


def _base_part(key: str) -> str:
    return f"base:{key[:1]}"


def _encode_counts(features: Mapping[str, TextFeatures]) -> bytes:
    """Term strings are interned: see ``_encode_features``."""
    return marshal.dumps(
        {
            key: {sys.intern(term): count for term, count in f.counts.items()}
            for key, f in features.items()
        }
    )


def _decode_grams(blob: bytes) -> dict[str, frozenset[int]]:
    """The shingles in a blob; none if it is missing or unreadable (they are computed again)."""
    stored = _unmarshal(blob)
    if not isinstance(stored, dict) or not all(isinstance(v, frozenset) for v in stored.values()):
        return {}
    return stored


def _decode_counts(blob: bytes) -> dict[str, dict[str, int]]:
    stored = _unmarshal(blob)
    if not isinstance(stored, dict) or not all(isinstance(v, dict) for v in stored.values()):
        return {}
    return stored


def _unmarshal(blob: bytes) -> Any:
    try:
        return marshal.loads(blob)
    except (EOFError, ValueError, TypeError):
        return None


def _encode_features(features: Mapping[str, TextFeatures]) -> bytes:
    """Term strings are interned: marshal then stores each once per blob, and loading
    interns them again, so all loaded features share one string per term (features from
    worker processes hold a copy per process slice; ten thousand bodies' worth of copies
    would cost tens of megabytes)."""
    return marshal.dumps(
        {
            key: ({sys.intern(term): count for term, count in f.counts.items()}, f.grams)
            for key, f in features.items()
        }
    )


def _decode_features(blob: bytes) -> dict[str, TextFeatures] | None:
    """The features in a blob, or None if it is unreadable (they are computed again)."""
    try:
        stored = marshal.loads(blob)
    except (EOFError, ValueError, TypeError):
        return None
    if not isinstance(stored, dict):
        return None
    features = {}
    for key, value in stored.items():
        if not (isinstance(value, tuple) and len(value) == 2):
            return None
        counts, grams = value
        if not (isinstance(counts, dict) and isinstance(grams, frozenset)):
            return None
        features[key] = TextFeatures(counts, grams)
    return features


class StoredRelations:
    """The last build's relations, their basis and story maps, kept as marshal blobs in the
    build cache between builds."""

    def __init__(self, blobs: BlobStore) -> None:
        self.blobs = blobs
        self._last: Any | None = None
        self._story_maps: dict[str, StoryMap | None] = {}
        self._basis = _StoredBasis(blobs)

    def _stored(self) -> Any | None:
        """The last relations as stored: (key, copies, story map key, story keys by slug)."""
        if self._last is None:
            stored = _unmarshal(self.blobs.get_blobs([_RELATIONS]).get(_RELATIONS, b""))
            self._last = stored if isinstance(stored, tuple) and len(stored) == 4 else ()
        return self._last or None

    def get(self, key: str) -> Relations | None:
        stored = self._stored()
        if stored is None or stored[0] != key:
            return None
        self.blobs.keep(_BASIS_KEYS)
        return self._relations(stored)

    def earlier(self) -> tuple[Relations, Basis] | None:
        stored = self._stored()
        relations = self._relations(stored) if stored else None
        basis = self._basis.load() if relations else None
        return (relations, basis) if relations and basis else None

    def _relations(self, stored: Any) -> Relations | None:
        _, canonical_of, stories_key, related = stored
        story_map = self.get_stories(stories_key)
        if story_map is None:
            return None
        stories = story_map.stories
        items = {key: related_item(story) for key, story in stories.items()}
        try:
            lists = {slug: tuple(items[key] for key in keys) for slug, keys in related.items()}
        except (KeyError, TypeError, AttributeError):
            return None
        return Relations(canonical_of, stories, lists)

    def put(self, key: str, relations: Relations, stories_key: str, basis: Basis) -> None:
        """Stories are stored once, in their story map; related items as their story's key
        (each is made from its story)."""
        related = {k: [item.story_key for item in v] for k, v in relations.related.items()}
        stored = (key, dict(relations.canonical_of), stories_key, related)
        self.blobs.put_blob(_RELATIONS, marshal.dumps(stored))
        self._basis.store(basis)

    def get_stories(self, key: str) -> StoryMap | None:
        """Loaded once per build: the earlier relations and the story map of this build's
        relations are most often one."""
        if key not in self._story_maps:
            blob = self.blobs.get_blobs([f"stories:{key}"]).get(f"stories:{key}", b"")
            self._story_maps[key] = _decode_stories(blob)
        return self._story_maps[key]

    def metadata_digests(self) -> dict[str, str]:
        stored = _unmarshal(self.blobs.get_blobs([_METADATA]).get(_METADATA, b""))
        return stored if isinstance(stored, dict) else {}

    def put_metadata_digests(self, digests: dict[str, str]) -> None:
        self.blobs.put_blob(_METADATA, marshal.dumps(digests))

    def new_build(self) -> tuple[str | None, str]:
        blob = self.blobs.get_blobs([_BUILD]).get(_BUILD)
        this = uuid.uuid4().hex
        self.blobs.put_blob(_BUILD, this.encode())
        return (blob.decode("ascii", "replace") if blob else None), this

    def put_stories(self, key: str, stories: StoryMap) -> None:
        of_mention: dict[str, list[str]] = defaultdict(list)
        for (slug, _), story in sorted(stories.of_mention.items()):
            of_mention[slug].append(story)
        fields = {key: tuple(s) for key, s in stories.stories.items()}
        stored = (fields, dict(stories.of_article), dict(of_mention))
        self.blobs.put_blob(f"stories:{key}", marshal.dumps(stored))


def _decode_stories(blob: bytes) -> StoryMap | None:
    """The story map in a blob, or None if it is unreadable (it is made anew)."""
    try:
        fields, of_article, mentions = _unmarshal(blob)
        stories = {key: Story._make(values) for key, values in fields.items()}
        of_mention = {
            (slug, index): story
            for slug, keys in mentions.items()
            for index, story in enumerate(keys)
        }
    except (TypeError, ValueError, AttributeError):
        return None
    return StoryMap(stories, of_article, of_mention)


_RELATIONS = "related:lists"
_BUILD = "related:build"
_METADATA = "related:metadata"


class _StoredBasis:
    """The basis, in parts: a head (the index's frequencies, lengths and scores, the copy
    pairs) and sixteen parts each of body digests (by slug), postings (by term) and top
    terms (by article). An edit changes a few parts; the others are not encoded or written
    again (the whole basis was eight megabytes to write after each edit). The head holds
    each part's checksum: parts from different builds are never put together."""

    def __init__(self, blobs: BlobStore) -> None:
        self.blobs = blobs
        self._loaded: dict[str, tuple[int, Any]] = {}
        """Each part as loaded (checksum, value): a part that is still this is kept."""

    def load(self) -> Basis | None:
        blobs = self.blobs.get_blobs(_BASIS_KEYS)
        try:
            described, slugs, frequency, lengths, scores, bodies, titles, sums = marshal.loads(
                blobs[_BASIS]
            )
            parts = {}
            for key in _BASIS_KEYS[1:]:
                blob = blobs[key]
                if zlib.crc32(blob) != sums[key]:
                    return None
                parts[key] = (sums[key], _decode_part(key, blob))
            digests = {s: d for k in _DIGESTS for s, d in parts[k][1].items()}
            postings = {t: p for k in _POSTINGS for t, p in parts[k][1].items()}
            tops = [top for k in _TOPS for top in parts[k][1]]
            links = CopyLinks(frozenset(map(tuple, bodies)), frozenset(map(tuple, titles)))
            grams, holders, names = parts[_SHINGLE_PAIRS][1]
            added, removed = parts[_SHINGLE_CHANGES][1]
            shingles = ShingleHolders(grams, holders, names, added, removed)
        except (KeyError, EOFError, ValueError, TypeError, AttributeError):
            return None
        self._loaded = parts
        index = IndexState(slugs, frequency, lengths, tops, scores, postings)
        return Basis(described, digests, index, links, shingles)

    def store(self, basis: Basis) -> None:
        sums = {}
        for key, part in _split(basis).items():
            loaded = self._loaded.get(key)
            if loaded and _same(part, loaded[1]):
                sums[key] = loaded[0]
                self.blobs.keep([key])
                continue
            blob = _encode_part(key, part)
            sums[key] = zlib.crc32(blob)
            self.blobs.put_blob(key, blob)
        index, links = basis.index, basis.links
        head = (
            basis.described,
            index.slugs,
            index.frequency,
            index.lengths,
            index.self_scores,
            sorted(links.bodies),
            sorted(links.titles),
            sums,
        )
        self.blobs.put_blob(_BASIS, marshal.dumps(head))


_PARTS = 16
_BASIS = "related:basis"
_DIGESTS = [f"{_BASIS}:digests:{n}" for n in range(_PARTS)]
_POSTINGS = [f"{_BASIS}:postings:{n}" for n in range(_PARTS)]
_TOPS = [f"{_BASIS}:tops:{n}" for n in range(_PARTS)]
_SHINGLE_PAIRS, _SHINGLE_CHANGES = f"{_BASIS}:shingles", f"{_BASIS}:shingle-changes"
_BASIS_KEYS = [_BASIS, *_DIGESTS, *_POSTINGS, *_TOPS, _SHINGLE_PAIRS, _SHINGLE_CHANGES]


def _split(basis: Basis) -> dict[str, Any]:
    """The basis's parts but the head, by key."""
    parts: dict[str, Any] = {key: {} for key in [*_DIGESTS, *_POSTINGS]}
    for slug, digest in basis.digests.items():
        parts[_DIGESTS[_part_of(slug)]][slug] = digest
    for term, posting in basis.index.postings.items():
        parts[_POSTINGS[_part_of(term)]][term] = posting
    tops = basis.index.tops
    size = -(-len(tops) // _PARTS)
    parts.update((key, tops[n * size : (n + 1) * size]) for n, key in enumerate(_TOPS))
    shingles = basis.shingles
    parts[_SHINGLE_PAIRS] = (shingles.grams, shingles.holders, shingles.names)
    parts[_SHINGLE_CHANGES] = (dict(shingles.added), dict(shingles.removed))
    return parts


def _part_of(name: str) -> int:
    return zlib.crc32(name.encode()) % _PARTS


def _same(part: Any, loaded: Any) -> bool:
    """Whether a part is still the one loaded: unchanged postings and top terms are the
    very objects loaded, so most parts are told apart without comparing their contents."""
    if isinstance(part, dict):
        return part.keys() == loaded.keys() and all(
            value is loaded[key] or value == loaded[key] for key, value in part.items()
        )
    return len(part) == len(loaded) and all(
        a is b or a == b for a, b in zip(part, loaded, strict=True)
    )


def _encode_part(key: str, part: Any) -> bytes:
    if key in _POSTINGS:
        part = {t: (p.impacts.tobytes(), p.docs.tobytes()) for t, p in part.items()}
    if key == _SHINGLE_PAIRS:
        grams, holders, names = part
        part = (grams.tobytes(), holders.tobytes(), names)
    return marshal.dumps(part)


def _decode_part(key: str, blob: bytes) -> Any:
    part = marshal.loads(blob)
    if key in _POSTINGS:
        return {term: _posting(impacts, docs) for term, (impacts, docs) in part.items()}
    if key == _SHINGLE_PAIRS:
        grams, holders, names = array("q"), array("i"), part[2]
        grams.frombytes(part[0])
        holders.frombytes(part[1])
        if len(grams) != len(holders) or not isinstance(names, tuple):
            raise ValueError("the shingles' pairs do not match")
        return grams, holders, names
    if key == _SHINGLE_CHANGES:
        added, removed = part
        if not isinstance(added, dict) or not isinstance(removed, dict):
            raise TypeError("the shingles' changes are not mappings")
        return added, removed
    if key in _TOPS:
        return [tuple(top) for top in part]
    if not isinstance(part, dict):
        raise TypeError("a part of body digests is not a mapping")
    return part


def _posting(impacts: bytes, docs: bytes) -> Posting:
    posting = Posting(array("d"), array("i"))
    posting.impacts.frombytes(impacts)
    posting.docs.frombytes(docs)
    if len(posting.impacts) != len(posting.docs):
        raise ValueError("a posting's impacts and articles differ in number")
    return posting
