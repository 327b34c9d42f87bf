from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdigest.importers.base import ExtractionError
from newsdigest.importers.boilerplate import Boilerplate
from newsdigest.importers.text import extract_text

from examples import FIXTURES, example_pages, expected, word_f1

TEXT_PAGES = example_pages(".txt") + [
    (source, FIXTURES / "aggregators" / "expected" / f"{source.stem}.json")
    for source in sorted((FIXTURES / "aggregators" / "sources").glob("*.txt"))
]


def extract(path: Path):  # type: ignore[no-untyped-def]
    text = path.read_bytes().decode("utf-8")
    return extract_text(text, origin=str(path), boilerplate=Boilerplate())


@pytest.mark.parametrize(("source", "answer"), TEXT_PAGES, ids=lambda p: p.stem)
def test_text_pages_match_their_expected_extraction(source: Path, answer: Path) -> None:
    want = expected(answer)
    if want["should_fail"]:
        with pytest.raises(ExtractionError):
            extract(source)
        return
    article = extract(source)
    got_date = article.date.isoformat()[:10] if article.date else None
    assert (article.title, article.source, got_date, article.author) == (
        want["title"],
        want["source"],
        want["date"],
        want["author"],
    )
    assert word_f1(list(article.paragraphs), want["body_paragraphs"]) >= 0.98
    leaked = [line for line in want["boilerplate"] if line.strip() in article.paragraphs]
    assert leaked == []
    related = [
        {"title": m.title, "source": m.source, "summary": m.summary, "url": m.url}
        for m in article.related
    ]
    assert related == want["related"]


def test_the_seed_page_is_covered_when_shared_exists() -> None:
    from examples import SEED

    if SEED.is_file():
        assert any(source == SEED for source, _ in TEXT_PAGES)


def test_repeated_headline_lines_collapse_and_relative_times_are_not_dates() -> None:
    page = "\n".join(
        [
            "Menu",
            "Harbour cranes go electric",
            "Harbour cranes go electric",
            "Updated 3 hours ago",
            "The port authority said on Monday that all twelve cranes at the container "
            "terminal will run on electricity by 2027, cutting diesel use sharply.",
            "Officials expect noise complaints from nearby homes to fall as well, "
            "according to the plan published with the announcement.",
        ]
    )
    article = extract_text(page, origin="-", boilerplate=Boilerplate())
    assert article.title == "Harbour cranes go electric"
    assert article.date is None
    assert len(article.paragraphs) == 2


def test_site_boilerplate_lines_are_dropped() -> None:
    promo = "This story is brought to you by Acme Kettles, makers of fine kettles."
    page = "\n".join(
        [
            "Big headline for a test page",
            "Alpha paragraph with enough words to count as running prose text here, surely.",
            "Second paragraph with enough words to count as running prose text here too.",
            promo,
            "Closing paragraph of the article with more words than a button would have.",
        ]
    )
    assert promo in extract_text(page, origin="-", boilerplate=Boilerplate()).paragraphs
    custom = extract_text(page, origin="-", boilerplate=Boilerplate([promo.upper()]))
    assert promo not in custom.paragraphs
    assert len(custom.paragraphs) == 3


@settings(max_examples=300)
@given(st.lists(st.text(max_size=120), max_size=30))
def test_any_text_yields_an_article_or_a_clear_refusal(lines: list[str]) -> None:
    try:
        article = extract_text("\n".join(lines), origin="-", boilerplate=Boilerplate())
    except ExtractionError as exc:
        assert str(exc)
    else:
        assert article.title and article.paragraphs


@settings(max_examples=100)
@given(st.data())
def test_mutated_example_pages_never_crash(data: st.DataObject) -> None:
    source, _ = data.draw(st.sampled_from(TEXT_PAGES))
    lines = source.read_text(encoding="utf-8").splitlines()
    cut = data.draw(st.integers(0, len(lines)))
    dropped = data.draw(st.sets(st.integers(0, max(len(lines) - 1, 0)), max_size=10))
    mutated = [line for i, line in enumerate(lines[:cut]) if i not in dropped]
    try:
        article = extract_text("\n".join(mutated), origin="-", boilerplate=Boilerplate())
    except ExtractionError as exc:
        assert str(exc)
    else:
        assert article.title and article.paragraphs
