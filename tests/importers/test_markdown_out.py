"""Imported text must survive the trip: article → Markdown file → site loader, unchanged."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdigest.config import load_config
from newsdigest.content.articles import load_articles
from newsdigest.content.markup import MarkdownRenderer, plain_text
from newsdigest.importers.base import ImportedArticle
from newsdigest.importers.markdown_out import (
    clean_text,
    escape_markdown,
    front_matter,
    render_article,
)
from newsdigest.model import Mention

from factories import MINIMAL_CONFIG

characters = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"))
lines = st.text(characters, min_size=1, max_size=80).map(clean_text).filter(bool)


def imported(title: str, summary: str | None, paragraphs: list[str]) -> ImportedArticle:
    return ImportedArticle(
        title=title,
        source="Wire",
        date=date(2025, 6, 16),
        author=None,
        url=None,
        summary=summary,
        paragraphs=tuple(paragraphs),
        related=(Mention(title, "Other"),),
        origin="page.txt",
    )


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=lines, summary=lines, paragraphs=st.lists(lines, min_size=1, max_size=4))
def test_title_summary_and_body_round_trip_through_the_loader(
    tmp_path: Path, title: str, summary: str, paragraphs: list[str]
) -> None:
    site = tmp_path / "site"
    (site / "content" / "articles").mkdir(parents=True, exist_ok=True)
    (site / "site.toml").write_text(MINIMAL_CONFIG)
    article = imported(title, summary, paragraphs)
    meta = front_matter(
        article, when=article.date or date.today(), source_file="page.txt", duplicate_of=None
    )
    (site / "content" / "articles" / "a.md").write_text(render_article(meta, article.paragraphs))
    (loaded,), problems = load_articles(site, load_config(site))
    assert [p for p in problems if p.is_error] == []
    assert loaded.title == title
    assert loaded.summary == summary
    assert loaded.mentions[0].title == title
    assert loaded.body.text.splitlines() == paragraphs


@given(lines)
def test_escaped_paragraphs_render_to_their_text(paragraph: str) -> None:
    html = MarkdownRenderer(smart_punctuation=False).to_html(escape_markdown(paragraph))
    assert plain_text(html) == paragraph


def test_front_matter_is_plain_yaml_in_a_fixed_order() -> None:
    article = imported('"Quoted": a # title', None, ["Body."])
    meta = front_matter(article, when=date(2025, 6, 16), source_file="x.txt", duplicate_of="orig")
    text = render_article(meta, article.paragraphs)
    head = text.split("---\n")[1]
    assert list(yaml.safe_load(head)) == [
        "title",
        "date",
        "source",
        "related",
        "source_file",
        "duplicate_of",
        "smart_punctuation",
    ]
    assert yaml.safe_load(head)["title"] == '"Quoted": a # title'
