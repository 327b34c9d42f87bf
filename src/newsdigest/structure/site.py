"""Assembles the whole site model from loaded content: topics, issues, related lists."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Protocol

from newsdigest.config import SiteConfig
from newsdigest.diagnostics import Diagnostic
from newsdigest.model import (
    Article,
    IssueIntro,
    Page,
    RelatedItem,
    SinceLastBuild,
    SiteModel,
    Story,
)
from newsdigest.structure.issues import group_issues
from newsdigest.structure.related import Earlier, build_related
from newsdigest.structure.shingles import ShingleHolders
from newsdigest.structure.similar import FeaturesLost, IndexState, TextFeatures, features_of
from newsdigest.structure.stories import StoryMap, build_stories
from newsdigest.structure.syndication import CopyLinks, copies_of, find_links, update_links
from newsdigest.structure.topics import assign_topics, build_topics


@dataclass(frozen=True, slots=True)
class Relations:
    """What the related engine decides: syndicated copies, stories and related lists."""

    canonical_of: Mapping[str, str]
    stories: Mapping[str, Story]
    related: Mapping[str, tuple[RelatedItem, ...]]


class FeatureMemo(Protocol):
    """Somewhere to keep each body's text features between builds, by a digest of the body."""

    def get_many(self, keys: list[str]) -> dict[str, TextFeatures]: ...

    def put_many(self, computed: Mapping[str, TextFeatures]) -> None: ...

    def replace(self, computed: Mapping[str, TextFeatures]) -> None:
        """Keep only these features (those it held could not all be read)."""

    def keep(self, keys: list[str]) -> None:
        """Keep these features although this build does not need them."""


@dataclass(frozen=True, slots=True)
class Basis:
    """What a build's relations were made from: the next build updates them, rather than
    making them anew, when only a few bodies changed since."""

    described: str
    """Everything but the bodies (``_described``)."""
    digests: dict[str, str]
    """Each body's digest, by slug."""
    index: IndexState
    links: CopyLinks
    shingles: ShingleHolders
    """Which articles hold each shingle of the bodies of ``digests``."""


class RelationsMemo(Protocol):
    """Somewhere to keep the last build's Relations (by a digest of everything they depend
    on, with their Basis) and story maps (by a digest of theirs) between builds. Relations
    name the story map they were made with, which holds their stories: getting them gets
    (and so keeps) that story map too."""

    def get(self, key: str) -> Relations | None:
        """The last relations stored, if stored under ``key``; keeps their basis."""

    def earlier(self) -> tuple[Relations, Basis] | None:
        """The last relations stored, and their basis."""

    def put(self, key: str, relations: Relations, stories_key: str, basis: Basis) -> None: ...

    def get_stories(self, key: str) -> StoryMap | None: ...

    def put_stories(self, key: str, stories: StoryMap) -> None: ...

    def metadata_digests(self) -> dict[str, str]:
        """The last build's ``metadata_digests``, by ``_memo_key``."""

    def put_metadata_digests(self, digests: dict[str, str]) -> None: ...

    def new_build(self) -> tuple[str | None, str]:
        """Record that a build uses the memo: the token of the last build that did (None
        if none), and a new token for this one (see ``SinceLastBuild``)."""


def build_model(
    config: SiteConfig,
    articles: Sequence[Article],
    pages: Sequence[Page],
    intros: Mapping[int, IssueIntro],
    *,
    memo: RelationsMemo | None = None,
    features: FeatureMemo | None = None,
    jobs: int = 1,
) -> tuple[SiteModel, list[Diagnostic]]:
    # Newest first, slug as tie-break: the order is independent of file discovery.
    ordered = sorted(assign_topics(articles, config), key=lambda a: (-a.date.timestamp(), a.slug))
    described, new_files = _metadata_digests(ordered, memo)
    relations, new_lists = _relations(ordered, described, config, memo, features, jobs)
    canonical_of = relations.canonical_of
    issues, issue_of, diagnostics = group_issues(ordered, config, intros, canonical_of)
    copies: dict[str, list[str]] = defaultdict(list)
    for article in reversed(ordered):
        if article.slug in canonical_of:
            copies[canonical_of[article.slug]].append(article.slug)
    model = SiteModel(
        config=config,
        articles={a.slug: a for a in ordered},
        issues=issues,
        topics=build_topics([a for a in ordered if a.slug not in canonical_of], config),
        pages=tuple(sorted(pages, key=lambda p: p.slug)),
        related=relations.related,
        issue_of=issue_of,
        stories=relations.stories,
        canonical_of=canonical_of,
        copies={slug: tuple(members) for slug, members in copies.items()},
        metadata_digests=described,
        since_last_build=_since_last_build(memo, new_files, new_lists),
    )
    return model, diagnostics


def _since_last_build(
    memo: RelationsMemo | None, new_files: frozenset[str], new_lists: frozenset[str] | None
) -> SinceLastBuild | None:
    """What changed since the last build that used ``memo``: known when the related
    engine found only bodies changed (``new_lists`` then holds the articles whose related
    list changed)."""
    if memo is None:
        return None
    earlier, this = memo.new_build()
    changed = None if earlier is None or new_lists is None else new_files | new_lists
    return SinceLastBuild(earlier, this, changed)


def relate(
    ordered: Sequence[Article],
    config: SiteConfig,
    memo: FeatureMemo | None = None,
    jobs: int = 1,
) -> Relations:
    """Relations made from scratch."""
    features, _ = _features(ordered, memo, body_digests(ordered), jobs)
    return _relate(ordered, config, features, build_stories, None, jobs).relations


@dataclass(frozen=True, slots=True)
class _Made:
    relations: Relations
    index: IndexState
    links: CopyLinks
    changed: frozenset[str] | None
    """The articles whose related list differs from the updated one's; None: not updated."""


@dataclass(frozen=True, slots=True)
class _Update:
    """What updating the last build's relations takes: they, their basis, and the
    features the changed bodies had then (by slug)."""

    relations: Relations
    basis: Basis
    features: Mapping[str, TextFeatures]
    shingles: ShingleHolders
    """Which articles hold each shingle now."""


def _relate(
    ordered: Sequence[Article],
    config: SiteConfig,
    features: Mapping[str, TextFeatures],
    stories: Callable[[Sequence[Article], Mapping[str, str]], StoryMap],
    update: _Update | None,
    jobs: int,
) -> _Made:
    """``stories`` makes the story map from the syndicated copies. With ``update``, copy
    links are looked for only around the changed bodies, and related lists are updated
    if the copies did not change."""
    links = None
    if update:
        links = update_links(
            update.basis.links, ordered, features, update.features, update.shingles
        )
    links = links or find_links(ordered, features)
    canonical_of = copies_of(ordered, links)
    story_map = stories(ordered, canonical_of)
    earlier = None
    if update and update.relations.canonical_of == canonical_of:
        earlier = Earlier(update.relations.related, update.basis.index, update.features)
    lists = build_related(
        ordered, canonical_of, story_map, config.related, features, jobs, earlier=earlier
    )
    relations = Relations(canonical_of, story_map.stories, lists.related)
    changed = None
    if earlier is not None:
        before = earlier.related
        changed = frozenset(
            slug
            for slug, items in lists.related.items()
            if items is not before.get(slug) and items != before.get(slug)
        )
    return _Made(relations, lists.index, links, changed)


def _features(
    ordered: Sequence[Article],
    memo: FeatureMemo | None,
    digests: Mapping[str, str],
    jobs: int,
    earlier: Mapping[str, str] | None = None,
) -> tuple[dict[str, TextFeatures], dict[str, TextFeatures]]:
    """Each article's text features, computed only for bodies the memo does not hold; and
    the features the memo holds of the ``earlier`` bodies (digests by slug)."""
    if memo is None:
        return features_of({a.slug: a.body.text for a in ordered}, jobs), {}
    earlier = earlier or {}
    stored = memo.get_many([*digests.values(), *earlier.values()])
    missing = {a.slug: a.body.text for a in ordered if digests[a.slug] not in stored}
    computed = features_of(missing, jobs)
    memo.put_many({digests[slug]: features for slug, features in computed.items()})
    current = {a.slug: computed.get(a.slug) or stored[digests[a.slug]] for a in ordered}
    return current, {slug: stored[d] for slug, d in earlier.items() if d in stored}


def body_digests(ordered: Sequence[Article]) -> dict[str, str]:
    """Each article's body, as a SHA-256 digest by slug."""
    return {a.slug: a.body.digest for a in ordered}


def _relations(
    ordered: Sequence[Article],
    described_articles: Mapping[str, str],
    config: SiteConfig,
    memo: RelationsMemo | None,
    features: FeatureMemo | None,
    jobs: int,
) -> tuple[Relations, frozenset[str] | None]:
    """The relations, and the articles whose related list changed since the last build
    that used ``memo`` (None: not known)."""
    if memo is None:
        return relate(ordered, config, features, jobs), None
    digests = body_digests(ordered)
    described = _described(described_articles, config)
    key = relations_key(described, [digests[a.slug] for a in ordered])
    relations = memo.get(key)
    if relations is not None:
        if features is not None:
            features.keep(list(digests.values()))  # the next edit needs them
        return relations, frozenset()
    stories = partial(_stories, memo, described)
    try:
        since = memo.earlier()
        made, shingles = _relate_since(
            since, ordered, config, features, described, digests, stories, jobs
        )
    except FeaturesLost:  # a stored part was unreadable: every body's features anew
        current = features_of({a.slug: a.body.text for a in ordered}, jobs)
        if features is not None:
            features.replace({digests[slug]: f for slug, f in current.items()})
        made = _relate(ordered, config, current, stories, None, jobs)
        shingles = ShingleHolders.of({slug: f.grams for slug, f in current.items()})
    stories_key = _stories_key(described, made.relations.canonical_of)
    basis = Basis(described, digests, made.index, made.links, shingles)
    memo.put(key, made.relations, stories_key, basis)
    return made.relations, made.changed


def _relate_since(
    earlier: tuple[Relations, Basis] | None,
    ordered: Sequence[Article],
    config: SiteConfig,
    features: FeatureMemo | None,
    described: str,
    digests: Mapping[str, str],
    stories: Callable[[Sequence[Article], Mapping[str, str]], StoryMap],
    jobs: int,
) -> tuple[_Made, ShingleHolders]:
    """Relations updated from the ``earlier`` ones when only bodies changed since, else
    made anew; and the shingles' holders. Raises ``FeaturesLost`` if stored features turn
    out unreadable."""
    basis = earlier[1] if earlier else None
    gone = {s: d for s, d in basis.digests.items() if digests.get(s) != d} if basis else {}
    current, before = _features(ordered, features, digests, jobs, gone)
    if basis and len(before) == len(gone):  # the holders of the earlier bodies, changed
        lost = {slug: f.grams for slug, f in before.items()}
        new = (s for s, d in digests.items() if basis.digests.get(s) != d)
        shingles = basis.shingles.changed(lost, {slug: current[slug].grams for slug in new})
    else:
        shingles = ShingleHolders.of({slug: f.grams for slug, f in current.items()})
    changed = _changed_bodies(basis, described, digests) if basis else None
    update = None
    if earlier and changed is not None and len(before) == len(changed):
        update = _Update(earlier[0], earlier[1], before, shingles)
    return _relate(ordered, config, current, stories, update, jobs), shingles


def _changed_bodies(
    basis: Basis, described: str, digests: Mapping[str, str]
) -> dict[str, str] | None:
    """The earlier digests of the bodies that changed since ``basis``, if nothing else did."""
    if basis.described != described or basis.digests.keys() != digests.keys():
        return None
    return {slug: basis.digests[slug] for slug, d in digests.items() if basis.digests[slug] != d}


def _stories(
    memo: RelationsMemo,
    described: str,
    ordered: Sequence[Article],
    canonical_of: Mapping[str, str],
) -> StoryMap:
    """The story map, kept between builds: an edit that changes only bodies (the common
    one) changes text features and related lists, but not stories."""
    key = _stories_key(described, canonical_of)
    story_map = memo.get_stories(key)
    if story_map is None:
        story_map = build_stories(ordered, canonical_of)
        memo.put_stories(key, story_map)
    return story_map


def _stories_key(described: str, canonical_of: Mapping[str, str]) -> str:
    copies = json.dumps(sorted(canonical_of.items()))
    return hashlib.sha256(f"{described}\0{copies}".encode()).hexdigest()


def metadata_digests(
    ordered: Sequence[Article], known: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Each article's digest of every field but the body that the related engine reads
    (these are also all that lists of articles show), by slug. ``known``: digests made
    before, by ``_memo_key``."""
    return _known_or_made(ordered, _memo_keys(ordered), known or {})


def _known_or_made(
    ordered: Sequence[Article], keys: Mapping[str, str], known: Mapping[str, str]
) -> dict[str, str]:
    """``metadata_digests``, given each article's ``_memo_key`` (by slug; none for an
    article not read from a file)."""
    return {a.slug: known.get(keys.get(a.slug, "")) or _metadata_digest(a) for a in ordered}


def _metadata_digests(
    ordered: Sequence[Article], memo: RelationsMemo | None
) -> tuple[dict[str, str], frozenset[str]]:
    """``metadata_digests``, made only for articles whose file, slug or topics changed
    since the last build that used ``memo``; and those articles (all without a memo)."""
    if memo is None:
        return metadata_digests(ordered), frozenset(a.slug for a in ordered)
    known = memo.metadata_digests()
    keys = _memo_keys(ordered)
    digests = _known_or_made(ordered, keys, known)
    kept = {key: digests[slug] for slug, key in keys.items()}
    if kept != known:
        memo.put_metadata_digests(kept)
    new = frozenset(a.slug for a in ordered if keys.get(a.slug) not in known)
    return digests, new


def _memo_keys(ordered: Sequence[Article]) -> dict[str, str]:
    return {a.slug: _memo_key(a) for a in ordered if a.source_digest}


def _memo_key(article: Article) -> str:
    """What an article read from a file is made of: its file (and the settings it was read
    with), its slug and its assigned topics."""
    return "\0".join([article.slug, article.source_digest, *article.topics])


def _metadata_digest(a: Article) -> str:
    fields = [
        a.slug,
        a.title,
        a.date.isoformat(),
        a.source,
        a.url,
        a.topics,
        a.tags,
        [list(m) for m in a.mentions],
        a.duplicate_of,
        a.summary,
    ]
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode()).hexdigest()


def _described(metadata: Mapping[str, str], config: SiteConfig) -> str:
    """The articles' ``metadata_digests``, in order, with the related settings."""
    settings = json.dumps(dataclasses.asdict(config.related))
    return hashlib.sha256("\0".join([settings, *metadata.values()]).encode()).hexdigest()


def relations_key(described: str, digests: Sequence[str]) -> str:
    """A digest of every input of the related engine (``described``: see ``_described``;
    ``digests``: the bodies', see ``body_digests``): if it matches, so does the result."""
    return hashlib.sha256("\0".join([described, *digests]).encode()).hexdigest()
