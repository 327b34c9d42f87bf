from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsdigest.model import Mention
from newsdigest.structure.related import build_related
from newsdigest.textnorm import normalise_title

from factories import make_article


def test_mentions_are_deduplicated_by_normalised_title_first_kept() -> None:
    article = make_article(
        "a",
        mentions=(
            Mention("Leaders back 'Open Skies' deal", "Wire"),
            Mention("Leaders Back ‘Open Skies’ Deal.", "Other"),
            Mention("Something else"),
        ),
    )
    items = build_related([article], count=5)["a"]
    assert [(i.title, i.source) for i in items] == [
        ("Leaders back 'Open Skies' deal", "Wire"),
        ("Something else", None),
    ]


def test_mentions_of_site_articles_link_there_and_never_to_self_or_copies() -> None:
    articles = [
        make_article(
            "self",
            title="My story",
            mentions=(
                Mention("my story"),
                Mention("Other story"),
                Mention("Copy of mine"),
                Mention("Outside"),
            ),
        ),
        make_article("other", title="Other Story"),
        make_article("copy", title="Copy of mine", duplicate_of="self"),
    ]
    items = build_related(articles, count=5)["self"]
    assert [(i.title, i.article_slug) for i in items] == [
        ("Other story", "other"),
        ("Outside", None),
    ]


def test_count_caps_the_list() -> None:
    article = make_article("a", mentions=tuple(Mention(f"Story {n}") for n in range(9)))
    assert len(build_related([article], count=3)["a"]) == 3


mention_titles = st.lists(
    st.sampled_from(
        ["Storm hits Texas", "storm hits texas.", "Storm hits ‘Texas’", "Rates hold", "X"]
    ),
    max_size=12,
)


@given(mention_titles, st.integers(min_value=0, max_value=6))
def test_related_lists_never_repeat_a_story_or_exceed_count(titles: list[str], count: int) -> None:
    article = make_article("a", title="X", mentions=tuple(Mention(t) for t in titles))
    items = build_related([article], count=count)["a"]
    keys = [normalise_title(i.title) for i in items]
    assert len(keys) == len(set(keys)) <= count
    assert normalise_title("X") not in keys


@given(st.permutations(["a", "b", "c", "d"]))
def test_result_does_not_depend_on_article_order(order: list[str]) -> None:
    articles = {
        "a": make_article("a", title="Alpha", mentions=(Mention("beta"), Mention("Gamma!"))),
        "b": make_article("b", title="Beta", mentions=(Mention("alpha"),)),
        "c": make_article("c", title="Gamma"),
        "d": make_article("d", title="Gamma", mentions=(Mention("ALPHA"),)),
    }
    expected = build_related(articles.values(), count=5)
    assert build_related([articles[s] for s in order], count=5) == expected
