"""Imported articles as Markdown files: YAML front matter plus a body that renders back to
exactly the article text."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import yaml

from newsdigest.content.fields import is_web_url
from newsdigest.importers.base import ImportedArticle

# Characters Markdown would read as syntax anywhere in a line. "<" and "&" become entities
# because python-markdown has no backslash escape for them.
_INLINE = re.compile(r"([\\`*_{}\[\]])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
# Constructs that only count at the start of a line: headings, quotes, lists, rules.
_LINE_START = re.compile(r"^([#>+|]|-(?=\s|-|$))")
_ORDERED_LIST = re.compile(r"^(\d+)([.)])(?=\s|$)")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


def escape_markdown(paragraph: str) -> str:
    """One-line ``paragraph`` as Markdown that renders to exactly its text (when smart
    punctuation is off, as it is for imported articles)."""
    text = _INLINE.sub(r"\\\1", paragraph)
    text = _ENTITY.sub("&amp;", text).replace("<", "&lt;")
    text = _LINE_START.sub(r"\\\1", text)
    return _ORDERED_LIST.sub(r"\1\\\2", text)


def clean_text(text: str) -> str:
    """One line, no control characters: what a YAML scalar and a headline can carry."""
    return " ".join(_CONTROL.sub(" ", text).split())


def front_matter(
    article: ImportedArticle,
    *,
    when: date | datetime,
    source_file: str,
    duplicate_of: str | None,
) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "title": clean_text(article.title),
        "date": when,
        "source": clean_text(article.source or "Unknown source"),
    }
    optional = {
        "author": article.author,
        "url": _web_url(article.url),
        "summary": article.summary,
    }
    meta.update({key: clean_text(value) for key, value in optional.items() if value})
    if article.related:
        meta["related"] = [
            {
                key: clean_text(value)
                for key, value in (
                    ("title", m.title),
                    ("source", m.source),
                    ("summary", m.summary),
                    ("url", _web_url(m.url)),
                )
                if value
            }
            for m in article.related
        ]
    meta["source_file"] = source_file
    if duplicate_of:
        meta["duplicate_of"] = duplicate_of
    # The outlet's punctuation is kept as printed rather than "smartened".
    meta["smart_punctuation"] = False
    return meta


def _web_url(url: str | None) -> str | None:
    """Only http(s) links are kept: ``javascript:`` or ``data:`` from a page never reach a site."""
    return url if url and is_web_url(url) else None


def render_article(meta: dict[str, Any], paragraphs: tuple[str, ...]) -> str:
    head = yaml.safe_dump(
        meta, allow_unicode=True, sort_keys=False, width=1_000_000, default_flow_style=False
    )
    body = "\n\n".join(escape_markdown(clean_text(p)) for p in paragraphs)
    return f"---\n{head}---\n\n{body}\n"
