"""Every payload, in every place an editor or a source can put text, is inert in every page
and every feed of the built site."""

from __future__ import annotations

import html
import json
from pathlib import Path

import yaml

from newsdigest.build import BuildOptions, build
from newsdigest.config import load_config
from newsdigest.importers.run import ImportOptions, import_sources

from conftest import MakeSite
from factories import MINIMAL_CONFIG
from payloads import ARTICLE_CONTEXTS, SITE_CONTEXTS, VECTORS, problems_in_site


def hostile_article(number: int, vector: str) -> str:
    meta = {
        "title": f"Headline {number} {vector}",
        "date": f"2025-06-{number % 28 + 1:02d}",
        "source": f"Outlet {vector}",
        "author": vector,
        "summary": f"Summary {vector}",
        "tags": [vector, "safe"],
        "related": [
            {"title": f"Related {number} {vector}", "source": vector, "summary": vector},
            {"title": f"Also {number}", "url": "https://news.example/story"},
        ],
    }
    body = f"Paragraph with {vector} inside.\n\n{vector}\n\n- item {vector}\n"
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n\n" + body


def test_payloads_in_content_and_settings_are_inert(make_site: MakeSite, tmp_path: Path) -> None:
    description = json.dumps(" ".join(VECTORS[:5]))
    files = {f"content/articles/a{n}.md": hostile_article(n, v) for n, v in enumerate(VECTORS)}
    files["content/pages/about.md"] = "---\ntitle: About\n---\n\n" + "\n\n".join(VECTORS)
    files["content/issues/1.md"] = "---\ntitle: 'Intro <script>x</script>'\n---\n\n" + "\n\n".join(
        VECTORS
    )
    config = MINIMAL_CONFIG.replace(
        'description = "A digest for tests."', f"description = {description}"
    )
    site = make_site(files, config=config)
    output = tmp_path / "out"
    result = build(site, BuildOptions(output=output))
    assert result.articles == len(VECTORS)
    assert problems_in_site(output) == []
    tried = len(VECTORS) * len(ARTICLE_CONTEXTS) + len(VECTORS) * len(SITE_CONTEXTS)
    assert tried >= 200


def test_payloads_in_imported_pages_and_feeds_are_inert(
    make_site: MakeSite, tmp_path: Path
) -> None:
    site = make_site()
    sources = tmp_path / "sources"
    sources.mkdir()
    for number, vector in enumerate(VECTORS):
        (sources / f"p{number}.html").write_text(hostile_page(number, vector), encoding="utf-8")
    (sources / "feed.xml").write_text(hostile_feed(), encoding="utf-8")
    options = ImportOptions(site / "content" / "articles")
    outcomes = import_sources(site, load_config(site), [str(sources)], options)
    assert sum(o.status == "imported" for o in outcomes) >= len(VECTORS)
    output = tmp_path / "out"
    build(site, BuildOptions(output=output))
    assert problems_in_site(output) == []


def hostile_page(number: int, vector: str) -> str:
    escaped = html.escape(vector)
    sentence = f"of the story about harbour number {number} carries words and {escaped} as text."
    body = "".join(f"<p>Paragraph {i} {sentence}</p>" for i in range(5))
    return f"""<!doctype html><html><head><title>Page {number} {escaped}</title>
<meta property="og:title" content="Harbour story {number} {escaped}">
<meta name="author" content="{escaped}">
<meta property="og:site_name" content="Outlet {escaped}">
<meta property="article:published_time" content="2025-06-10T09:00:00+00:00">
</head><body><article><h1>Harbour story {number}</h1>{body}{vector}</article>
<aside class="related"><h2>Related Articles</h2><ul>
<li><a href="javascript:alert({number})">Related one {number} {escaped}</a>
<span class="source">{escaped}</span></li>
<li><a href="https://news.example/{number}">Related two {number}</a></li>
</ul></aside></body></html>"""


def hostile_feed() -> str:
    items = "".join(
        f"""<item><title>Feed item {n} {html.escape(v)}</title>
<link>javascript:alert({n})</link><pubDate>Tue, 10 Jun 2025 09:00:00 +0000</pubDate>
<description><![CDATA[<p>Feed body {n} with enough words to be an article body.</p>
{v.replace("]]>", "")}]]></description></item>"""
        for n, v in enumerate(VECTORS)
    )
    return f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Hostile <b>feed</b></title>
<link>https://feed.example/</link><description>x</description>{items}</channel></rss>"""
