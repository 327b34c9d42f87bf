"""Building blocks for test sites: a minimal site.toml and article text."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newsdigest.model import Article, ArticleBody
from newsdigest.server import DevServer

REPO = Path(__file__).resolve().parent.parent


MINIMAL_CONFIG = """\
title = "Test Digest"
description = "A digest for tests."
base_url = "https://example.org/"
timezone = "Europe/London"

[[topics]]
name = "Science"
slug = "science"
keywords = ["telescope", "research"]

[[topics]]
name = "Sport"
slug = "sport"
keywords = ["match", "league"]
"""


def article_text(
    title: str = "A headline",
    date: str = "2025-06-16",
    source: str = "Example Times",
    body: str = "The first paragraph of the story.",
    **extra: str,
) -> str:
    """Markdown with YAML front matter; ``extra`` values are written as raw YAML."""
    lines = [f"title: {title!r}", f"date: {date}", f"source: {source!r}"]
    lines += [f"{key}: {value}" for key, value in extra.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body + "\n"


def make_article(
    slug: str, body_text: str = "Body.", body_html: str | None = None, **fields: Any
) -> Article:
    """An Article with plausible defaults, for stage tests that need no files."""
    values: dict[str, Any] = {
        "slug": slug,
        "title": slug.replace("-", " ").title(),
        "date": datetime(2025, 6, 16, 12, tzinfo=UTC),
        "source": "Example Times",
        "url": None,
        "author": None,
        "summary": "A summary.",
        "topics": (),
        "tags": (),
        "issue_pin": None,
        "draft": False,
        "body": ArticleBody(body_html or f"<p>{body_text}</p>", body_text),
        "mentions": (),
        "duplicate_of": None,
        "source_file": None,
        "source_path": f"content/articles/{slug}.md",
    }
    values.update(fields)
    return Article(**values)


@contextmanager
def serving(site: Path) -> Iterator[DevServer]:
    """``newsdigest serve`` for ``site`` on a free port, built and watching, in a thread."""
    dev = DevServer(site, port=0)
    assert dev.rebuild()
    thread = threading.Thread(target=dev.serve_forever, daemon=True)
    thread.start()
    assert dev.watching.wait(10)
    try:
        yield dev
    finally:
        dev.stop()
        thread.join(timeout=10)
