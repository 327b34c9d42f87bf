from __future__ import annotations

from pathlib import Path

import pytest

from newsdigest.config import Overrides, SiteConfig, load_config, parse_config
from newsdigest.diagnostics import ConfigError

from factories import MINIMAL_CONFIG


def problems(
    text: str, overrides: Overrides | None = None
) -> list[tuple[int | None, str, str | None]]:
    _, diagnostics = parse_config(text, overrides or Overrides())
    return [(d.line, d.message, d.hint) for d in diagnostics]


def test_defaults_apply_to_an_empty_file() -> None:
    config, diagnostics = parse_config("", Overrides())
    assert diagnostics == []
    assert config == SiteConfig()
    assert config.issues.cadence == "weekly"
    assert config.related.count == 5
    assert config.articles.display == "full"


def test_full_config_is_read_into_typed_settings() -> None:
    config, diagnostics = parse_config(
        MINIMAL_CONFIG + '[issues]\ncadence = "daily"\n[import]\nboilerplate = ["Share this"]\n',
        Overrides(),
    )
    assert diagnostics == []
    assert config.title == "Test Digest"
    assert config.issues.cadence == "daily"
    assert [t.slug for t in config.topics] == ["science", "sport"]
    assert config.topics[0].keywords == ("telescope", "research")
    assert config.import_.boilerplate == ("Share this",)


def test_unknown_keys_are_reported_with_key_path_line_and_suggestion() -> None:
    text = 'title = "x"\n\n[issues]\ncadense = "daily"\n\n[artcles]\ndisplay = "full"\n'
    assert problems(text) == [
        (4, "issues.cadense: unknown setting", "did you mean 'cadence'?"),
        (6, "artcles: unknown setting", "did you mean 'articles'?"),
    ]


def test_wrong_types_and_choices_are_reported() -> None:
    text = 'title = 3\n[feeds]\nissues = "ten"\n[articles]\ndisplay = "summery"\n'
    found = problems(text)
    assert found[0] == (1, "title: must be a string, not a number", None)
    assert found[1] == (3, "feeds.issues: must be a whole number, not a string", None)
    assert found[2][0] == 5 and "articles.display: must be one of" in found[2][1]
    assert found[2][2] == "did you mean 'summary'?"


def test_topic_entries_are_validated_with_their_index() -> None:
    text = (
        '[[topics]]\nname = "A"\nslug = "a"\n\n[[topics]]\nname = "B"\nslug = "Bad Slug"\n'
        '\n[[topics]]\nslug = "c"\nkeywords = "x"\n'
    )
    found = problems(text)
    assert (
        7,
        "topics[1].slug: 'Bad Slug' is not a valid slug",
        "use lowercase letters, digits and hyphens, e.g. 'b'",
    ) in found
    assert (11, "topics[2].keywords: must be a list, not a string", None) in found
    assert (9, "topics[2].name: is required", "add name = ... to this table") in found


def test_duplicate_topic_slugs_and_two_fallbacks_are_errors() -> None:
    text = (
        '[[topics]]\nname = "A"\nslug = "a"\nfallback = true\n'
        '[[topics]]\nname = "B"\nslug = "a"\nfallback = true\n'
    )
    messages = [message for _, message, _ in problems(text)]
    assert "topics[1].slug: topic slug 'a' is used twice" in messages
    assert "topics[1].fallback: only one topic can be the fallback" in messages


def test_base_url_and_timezone_are_checked() -> None:
    found = problems('base_url = "example.org/digest"\ntimezone = "Mars/Olympus"\n')
    assert found[0][:2] == (
        1,
        "base_url: must be an absolute http(s) URL, not 'example.org/digest'",
    )
    assert found[1][:2] == (2, "timezone: unknown time zone 'Mars/Olympus'")


def test_base_url_gets_a_trailing_slash_and_can_be_overridden() -> None:
    config, _ = parse_config('base_url = "https://x.github.io/digest"', Overrides())
    assert config.base_url == "https://x.github.io/digest/"
    config, _ = parse_config(
        'base_url = "https://x.org/"', Overrides(base_url="http://localhost:9000")
    )
    assert config.base_url == "http://localhost:9000/"


def test_ranges_are_checked() -> None:
    found = problems("[feeds]\narticles = 0\n")
    assert found == [(2, "feeds.articles: must be at least 1, not 0", None)]


def test_toml_syntax_errors_name_the_line() -> None:
    found = problems('title = "x"\ndescription = unquoted words\n')
    assert found[0][0] == 2
    assert "TOML" in (found[0][2] or "")


def test_missing_file_raises_config_error_with_a_hint(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert caught.value.exit_code == 2
    assert "newsdigest init" in (caught.value.diagnostics[0].hint or "")


def test_numbers_accept_integers_and_reject_text() -> None:
    config, found = parse_config("[related]\nthreshold = 1\ntext_weight = 0.5\n", Overrides())
    assert found == []
    assert (config.related.threshold, config.related.text_weight) == (1.0, 0.5)
    assert problems("[related]\nthreshold = 'high'\n") == [
        (2, "related.threshold: must be a number, not a string", None)
    ]
    assert problems("[related]\ninclude_newer = 1\n")[0][1] == (
        "related.include_newer: must be true or false, not a number"
    )
