"""Markdown files that already have front matter: validated like site content, copied as is."""

from __future__ import annotations

from newsdigest.config import SiteConfig
from newsdigest.content.articles import read_article
from newsdigest.content.documents import Document
from newsdigest.content.frontmatter import FrontMatterError, split_front_matter
from newsdigest.content.markup import MarkdownRenderer
from newsdigest.diagnostics import Diagnostic
from newsdigest.importers.base import ExtractionError, ImportedArticle


def read_markdown(text: str, *, origin: str, config: SiteConfig) -> ImportedArticle:
    """The article in ``text``; ExtractionError listing every problem if the build would fail."""
    try:
        front = split_front_matter(text)
    except FrontMatterError as exc:
        where = f" (line {exc.line})" if exc.line else ""
        raise ExtractionError(f"{exc}{where}; {exc.hint}") from None
    document = Document(origin, "imported", front, digest="")
    problems: list[Diagnostic] = []
    renderers = {flag: MarkdownRenderer(smart_punctuation=flag) for flag in (True, False)}
    article = read_article(document, "imported", config, renderers, problems)
    errors = [d for d in problems if d.is_error]
    if article is None or errors:
        raise ExtractionError("; ".join(f"line {d.line}: {d.message}" for d in errors))
    return ImportedArticle(
        title=article.title,
        source=article.source,
        date=article.date,
        author=article.author,
        url=article.url,
        summary=article.summary,
        paragraphs=tuple(article.body.text.splitlines()),
        related=article.mentions,
        origin=origin,
    )
