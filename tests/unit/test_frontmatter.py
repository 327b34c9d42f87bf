from __future__ import annotations

import datetime as dt

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from newsdigest.content.frontmatter import FrontMatterError, split_front_matter


def test_yaml_front_matter_and_body_with_line_numbers() -> None:
    front = split_front_matter("---\ntitle: Hello\ndate: 2025-06-16\n---\n\nBody text.\n")
    assert front.meta == {"title": "Hello", "date": dt.date(2025, 6, 16)}
    assert front.body == "\nBody text.\n"
    assert front.body_line == 5
    assert front.key_lines == {"title": 2, "date": 3}


def test_toml_front_matter() -> None:
    front = split_front_matter('+++\ntitle = "Hello"\ntags = ["a", "b"]\n+++\nBody\n')
    assert front.meta == {"title": "Hello", "tags": ["a", "b"]}
    assert front.body == "Body\n"
    assert front.key_lines == {"title": 2, "tags": 3}


def test_byte_order_mark_is_ignored() -> None:
    assert split_front_matter("\ufeff---\ntitle: x\n---\n").meta == {"title": "x"}


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("Just text\n", 1, "does not start with front matter"),
        ("---\ntitle: x\n", 2, "never closed"),
        ("---\ntitle: x\ndate: [unclosed\n---\n", 4, "invalid YAML"),
        ("---\ntitle: a: b: c\n---\n", 2, "invalid YAML"),
        ("---\n- a list\n---\n", 2, "key: value"),
        ('+++\ntitle = "x"\nbad line\n+++\n', 3, "invalid TOML"),
    ],
)
def test_malformed_front_matter_names_the_line(text: str, line: int, fragment: str) -> None:
    with pytest.raises(FrontMatterError) as caught:
        split_front_matter(text)
    assert caught.value.line == line
    assert fragment in str(caught.value)
    assert caught.value.hint


titles = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1
)


@given(title=titles, body=st.text())
def test_splitting_never_changes_what_yaml_reads(title: str, body: str) -> None:
    dumped = yaml.safe_dump({"title": title}, allow_unicode=True)
    front = split_front_matter("---\n" + dumped + "---\n" + body)
    assert front.meta == yaml.safe_load(dumped)
    assert front.body == body


@given(title=titles)
def test_any_title_written_with_escapes_round_trips(title: str) -> None:
    dumped = yaml.safe_dump({"title": title}, allow_unicode=False)
    assert split_front_matter("---\n" + dumped + "---\n").meta["title"] == title


@given(st.text())
def test_arbitrary_text_either_parses_or_raises_front_matter_error(text: str) -> None:
    try:
        front = split_front_matter(text)
    except FrontMatterError as exc:
        assert exc.hint
    else:
        assert isinstance(front.meta, dict)
