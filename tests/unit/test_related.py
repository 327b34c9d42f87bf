"""The related engine: stories, syndication and ranked related lists."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st
from pytest import MonkeyPatch

from newsdigest.config import Overrides, parse_config
from newsdigest.model import Article, Mention, SiteModel
from newsdigest.structure.shingles import ShingleHolders
from newsdigest.structure.similar import features_of
from newsdigest.structure.site import _memo_key, build_model, metadata_digests
from newsdigest.structure.syndication import find_copies, find_links, update_links

from factories import MINIMAL_CONFIG, make_article

START = datetime(2025, 6, 1, 9, tzinfo=UTC)
WORDS = {
    "harbour": "harbour cranes container terminal dockworkers shipping berth quay freight",
    "rice": "rice harvest paddy farmers granary prices growers acreage milling",
    "comet": "comet telescope astronomers orbit nucleus observatory tail sky",
}


def model(*articles: Article, extra: str = "") -> SiteModel:
    config, problems = parse_config(MINIMAL_CONFIG + extra, Overrides())
    assert problems == []
    return build_model(config, articles, (), {})[0]


def story_article(slug: str, theme: str, day: int, **fields: object) -> Article:
    text = " ".join(f"{WORDS[theme]} {slug} sentence {n}." for n in range(8))
    return make_article(slug, date=START + timedelta(days=day), body_text=text, **fields)


def titles(site: SiteModel, slug: str) -> list[str]:
    return [item.title for item in site.related[slug]]


def test_mention_variants_are_one_story_with_one_brief_page() -> None:
    site = model(
        make_article("a", mentions=(Mention("Leaders back 'Open Skies' deal", "Wire"),)),
        make_article("b", mentions=(Mention("Leaders Back ‘Open Skies’ Deal.", "Post"),)),
        make_article("c", mentions=(Mention("leaders back open skies deal", summary="Summary."),)),
    )
    (brief,) = site.briefs
    assert brief.slug == "leaders-back-open-skies-deal"
    assert brief.sources == ("Wire", "Post")
    assert brief.summary == "Summary."
    assert brief.mentioned_by == ("a", "b", "c")
    for slug in "abc":
        assert [i.brief_slug for i in site.related[slug]] == ["leaders-back-open-skies-deal"]


def test_a_mention_of_a_site_article_links_to_it_by_url_or_title() -> None:
    site = model(
        make_article(
            "target", title="Port strike ends after nine days", url="https://news.example/strike"
        ),
        make_article(
            "a",
            mentions=(
                Mention("Different words", url="https://WWW.news.example/strike/?utm_source=x"),
            ),
        ),
        make_article("b", mentions=(Mention("Port Strike Ends After Nine Days"),)),
    )
    assert site.briefs == ()
    assert [i.article_slug for i in site.related["a"]] == ["target"]
    assert [i.article_slug for i in site.related["b"]] == ["target"]
    assert site.stories["article:target"].mentioned_by == ("a", "b")


def test_fuzzy_titles_need_the_same_names_and_numbers() -> None:
    site = model(
        make_article("a", mentions=(Mention("Storm hits Florida coast overnight"),)),
        make_article("b", mentions=(Mention("Storm hits Texas coast overnight"),)),
        make_article("c", mentions=(Mention("Storm hits the Florida coast overnight"),)),
        make_article(
            "d",
            mentions=(
                Mention("Rates held at 2% by central bank"),
                Mention("Rates held at 3% by central bank"),
            ),
        ),
    )
    assert sorted(b.slug for b in site.briefs) == [
        "rates-held-at-2-by-central-bank",
        "rates-held-at-3-by-central-bank",
        "storm-hits-florida-coast-overnight",
        "storm-hits-texas-coast-overnight",
    ]


def test_brief_slugs_stay_when_newer_articles_mention_the_story_differently() -> None:
    old = make_article("a", mentions=(Mention("Night trains return to the Alps"),))
    newer = make_article(
        "b",
        date=START + timedelta(days=30),
        mentions=(Mention("NIGHT TRAINS RETURN TO THE ALPS!"),),
    )
    assert model(old).briefs[0].slug == model(old, newer).briefs[0].slug


def test_syndicated_copies_by_link_body_or_title_within_48_hours() -> None:
    body = " ".join(
        f"The harbour authority said berth {n} reopens after repairs." for n in range(12)
    )
    articles = [
        make_article("orig", date=START, body_text=body, title="Harbour reopens berths"),
        make_article(
            "copy-body",
            date=START + timedelta(days=9),
            body_text=body + " One more line.",
            title="Other words",
        ),
        make_article(
            "copy-title",
            date=START + timedelta(hours=30),
            title="Harbour Reopens Berths",
            body_text="Short.",
        ),
        make_article(
            "late-title",
            date=START + timedelta(days=5),
            title="Harbour reopens berths",
            body_text="Other.",
        ),
        make_article(
            "linked", date=START + timedelta(days=1), duplicate_of="orig", body_text="Unrelated."
        ),
    ]
    assert find_copies(articles) == {"copy-body": "orig", "copy-title": "orig", "linked": "orig"}


def test_copies_are_also_reported_and_never_related_to_their_original() -> None:
    site = model(
        story_article("orig", "harbour", 0, mentions=(Mention("Copy title"),)),
        story_article("copy", "harbour", 1, title="Copy title", duplicate_of="orig"),
        story_article("other", "harbour", -3),
    )
    assert site.copies == {"orig": ("copy",)}
    assert site.canonical_of == {"copy": "orig"}
    for slug in ("orig", "copy"):
        linked = {i.article_slug for i in site.related[slug]}
        assert linked == {"other"}


def test_similar_articles_are_found_by_text_and_newer_ones_left_out() -> None:
    site = model(
        story_article("h1", "harbour", 0),
        story_article("h2", "harbour", 1),
        story_article("h3", "harbour", 2),
        story_article("r1", "rice", 1),
        story_article("c1", "comet", 1),
    )
    assert {i.article_slug for i in site.related["h3"]} == {"h1", "h2"}
    assert {i.article_slug for i in site.related["h1"]} == set()
    newer = model(
        story_article("h1", "harbour", 0),
        story_article("h2", "harbour", 1),
        extra="\n[related]\ninclude_newer = true\n",
    )
    assert [i.article_slug for i in newer.related["h1"]] == ["h2"]


def test_named_stories_rank_first_and_count_caps_the_list() -> None:
    mentions = tuple(Mention(f"Outside story number {n}") for n in range(4))
    site = model(
        story_article("h1", "harbour", 0),
        story_article("h2", "harbour", 1, mentions=mentions),
        extra="\n[related]\ncount = 3\n",
    )
    assert titles(site, "h2") == [m.title for m in mentions[:3]]


def test_a_story_named_and_found_by_text_appears_once() -> None:
    site = model(
        story_article("h1", "harbour", 0, title="Cranes go electric at the terminal"),
        story_article(
            "h2", "harbour", 1, mentions=(Mention("cranes go electric at the terminal"),)
        ),
    )
    assert [i.article_slug for i in site.related["h2"]] == ["h1"]


mention_titles = st.lists(
    st.sampled_from(
        ["Storm hits Texas", "storm hits texas.", "Storm hits ‘Texas’", "Rates hold", "X"]
    ),
    max_size=8,
)


@settings(max_examples=50)
@given(st.lists(mention_titles, min_size=1, max_size=5), st.integers(0, 6))
def test_lists_never_repeat_a_story_or_name_the_article_itself(
    lists: list[list[str]], count: int
) -> None:
    articles = [
        make_article(
            f"a{n}",
            title=["Rates hold", "X", "Other"][n % 3],
            date=START + timedelta(days=n),
            mentions=tuple(Mention(t) for t in titles_),
        )
        for n, titles_ in enumerate(lists)
    ]
    site = model(*articles, extra=f"\n[related]\ncount = {count}\n")
    for article in articles:
        items = site.related[article.slug]
        keys = [i.story_key for i in items]
        assert len(keys) == len(set(keys)) <= count
        assert article.slug not in {i.article_slug for i in items}


@settings(max_examples=25)
@given(st.permutations(["h1", "h2", "h3", "r1", "c1"]))
def test_results_do_not_depend_on_discovery_order(order: list[str]) -> None:
    articles = {
        "h1": story_article("h1", "harbour", 0, mentions=(Mention("Rates hold"),)),
        "h2": story_article("h2", "harbour", 1, mentions=(Mention("rates hold."),)),
        "h3": story_article("h3", "harbour", 2),
        "r1": story_article("r1", "rice", 3, mentions=(Mention("Comet seen"),)),
        "c1": story_article("c1", "comet", 4, title="Comet seen"),
    }
    expected = model(*articles.values())
    shuffled = model(*(articles[s] for s in order))
    assert shuffled.related == expected.related
    assert shuffled.stories == expected.stories


def test_features_and_ranking_in_several_processes_give_the_same_lists(
    monkeypatch: MonkeyPatch,
) -> None:
    articles = [
        story_article(f"{theme}{n}", theme, n, mentions=(Mention(f"{theme} news {n % 3}"),))
        for theme in WORDS
        for n in range(6)
    ]
    config, _ = parse_config(MINIMAL_CONFIG, Overrides())
    serial = build_model(config, articles, (), {}, jobs=1)[0]
    monkeypatch.setattr("newsdigest.structure.related.PARALLEL_MIN_ARTICLES", 2)
    monkeypatch.setattr("newsdigest.structure.similar.PARALLEL_MIN_TEXTS", 2)
    texts = {a.slug: a.body.text for a in articles}
    assert features_of(texts, jobs=2) == features_of(texts, jobs=1)
    parallel = build_model(config, articles, (), {}, jobs=2)[0]
    assert parallel.related == serial.related
    assert any(serial.related.values())


STORIES = [
    "the harbour cranes stood idle while dockworkers waited for the freight ships to berth",
    "rice growers counted their paddy acreage as granary prices rose across the valley",
    "astronomers followed the comet through the observatory telescope until its tail faded",
]
# A body: some of the stories' words, in order, with words of its own between them.
bodies = st.lists(
    st.tuples(st.integers(0, 2), st.integers(0, 8), st.sampled_from(["", "quietly", "again"])),
    min_size=1,
    max_size=4,
).map(lambda parts: " ".join(f"{STORIES[s][n * 5 :]} {extra}" for s, n, extra in parts))


@settings(max_examples=200)
@given(
    st.lists(bodies, min_size=2, max_size=12),
    st.lists(st.tuples(st.integers(0, 11), bodies), min_size=1, max_size=3),
)
def test_updated_copy_links_are_the_links_found_from_scratch(
    texts: list[str], edits: list[tuple[int, str]]
) -> None:
    before = [make_article(f"a{n:02}", body_text=text) for n, text in enumerate(texts)]
    after = list(before)
    for position, text in edits:
        index = position % len(before)
        after[index] = make_article(before[index].slug, body_text=text)
    old = features_of({a.slug: a.body.text for a in before})
    new = features_of({a.slug: a.body.text for a in after})
    changed = {a.slug: old[a.slug] for a, b in zip(before, after, strict=True) if a != b}
    # The holders as the build keeps them: those of the old bodies, changed.
    holders = ShingleHolders.of({slug: f.grams for slug, f in old.items()}).changed(
        {slug: f.grams for slug, f in changed.items()}, {slug: new[slug].grams for slug in changed}
    )
    # Shingles of more than two bodies are stock phrases: edits cross that line often.
    with mock.patch("newsdigest.structure.syndication.MAX_POSTINGS", 2):
        updated = update_links(find_links(before, old), after, new, changed, holders)
        fresh = find_links(after, new)
    if updated is not None:
        assert updated == fresh


def test_an_edited_body_is_linked_to_its_new_copy_without_linking_all_again() -> None:
    texts = [f"{STORIES[n % 3]} {STORIES[(n + 1) % 3]} number {n}" for n in range(6)]
    before = [make_article(f"a{n}", body_text=text) for n, text in enumerate(texts)]
    after = [*before[:5], make_article("a5", body_text=texts[0] + " again")]
    old = features_of({a.slug: a.body.text for a in before})
    new = features_of({a.slug: a.body.text for a in after})
    holders = ShingleHolders.of({slug: f.grams for slug, f in new.items()})
    updated = update_links(find_links(before, old), after, new, {"a5": old["a5"]}, holders)
    assert updated == find_links(after, new)
    assert ("a5", "a0") in updated.bodies


def test_metadata_digests_made_before_are_used_only_for_the_same_file_slug_and_topics() -> None:
    before = [make_article(f"a{n}", source_digest=f"file-{n}", topics=("t",)) for n in range(3)]
    known = {_memo_key(a): f"digest-{a.slug}" for a in before}
    after = [
        before[0],  # the same: its digest is not made again
        make_article("a1", source_digest="file-1-edited", topics=("t",)),
        make_article("a2", source_digest="file-2", topics=("other",)),
    ]
    fresh = metadata_digests(after)
    assert metadata_digests(after, known) == {**fresh, "a0": "digest-a0"}
