from __future__ import annotations

from newsdigest.config import Overrides, parse_config
from newsdigest.structure.topics import assign_topics, build_topics, topic_rules

from factories import MINIMAL_CONFIG, make_article

CONFIG, _ = parse_config(
    MINIMAL_CONFIG
    + '\n[[topics]]\nname = "World"\nslug = "world"\nkeywords = ["summit"]\nfallback = true\n',
    Overrides(),
)


def topics_of(**fields: str) -> tuple[str, ...]:
    (article,) = assign_topics([make_article("a", **fields)], CONFIG)
    return article.topics


def test_explicit_topics_are_kept() -> None:
    assert topics_of(topics=("sport",), title="Telescope news") == ("sport",)  # type: ignore[arg-type]


def test_title_weighs_more_than_body() -> None:
    assert topics_of(title="League match ends", body_text="research telescope")[0] == "sport"


def test_keywords_match_whole_words_case_insensitively() -> None:
    assert topics_of(title="TELESCOPE array") == ("science",)
    assert topics_of(title="Telescopes everywhere", body_text="matchmaking") == ("world",)


def test_weak_secondary_topics_are_dropped() -> None:
    strong_science = "telescope research telescope"
    assert topics_of(title="Telescope", body_text=strong_science + " match") == ("science",)
    assert topics_of(title="Telescope at the match") == ("science", "sport")


def test_unmatched_articles_get_the_fallback_topic() -> None:
    assert topics_of(title="Nothing relevant") == ("world",)


def test_an_implicit_general_topic_exists_when_none_is_the_fallback() -> None:
    config, _ = parse_config(MINIMAL_CONFIG, Overrides())
    assert topic_rules(config)[-1].slug == "general"
    (article,) = assign_topics([make_article("a", title="Nothing")], config)
    assert article.topics == ("general",)


def test_topic_pages_list_articles_and_skip_empty_topics() -> None:
    articles = assign_topics(
        [make_article("a", title="Telescope"), make_article("b", title="Summit")], CONFIG
    )
    topics = build_topics(articles, CONFIG)
    assert [(t.slug, t.article_slugs) for t in topics] == [("science", ("a",)), ("world", ("b",))]
