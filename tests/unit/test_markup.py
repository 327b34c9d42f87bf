from __future__ import annotations

import lxml.html
import markdown
from hypothesis import given
from hypothesis import strategies as st

from newsdigest.content.markup import (
    MarkdownRenderer,
    absolutise,
    derive_summary,
    excerpt,
    plain_text,
    rebase_links,
    sanitise,
)


def test_markdown_gets_smart_punctuation() -> None:
    html = MarkdownRenderer().to_html('He said "it works" -- and it\'s done...')
    assert "“it works”" in html and "–" in html and "’" in html and "…" in html


def test_raw_html_and_script_urls_are_sanitised() -> None:
    html = MarkdownRenderer().to_html(
        '<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">\n\n'
        "[click](javascript:alert(1)) <iframe src='https://evil.example'></iframe>"
    )
    document = lxml.html.fragment_fromstring(html, create_parent="div")
    assert not document.xpath("//script | //iframe | //@onerror")
    assert "javascript:" not in html


def test_renderer_is_reset_between_documents() -> None:
    renderer = MarkdownRenderer()
    renderer.to_html("Text[^1]\n\n[^1]: note\n\n*[HTML]: x")
    assert renderer.to_html("Plain") == "<p>Plain</p>"


def test_plain_text_keeps_one_paragraph_per_line() -> None:
    assert plain_text("<p>One &amp; <b>two</b></p>\n<p>Three\n four</p>") == "One & two\nThree four"


def test_summary_is_the_first_paragraph_cut_at_a_sentence() -> None:
    text = "First sentence here. Second sentence is longer than that. Third.\nNext paragraph."
    assert (
        derive_summary(text, 50)
        == "First sentence here. Second sentence is longer than that. Third."
    )
    assert derive_summary(text, 8) == "First sentence here."
    assert derive_summary("one two three four five six", 3) == "one two three…"


def test_excerpt_keeps_whole_leading_blocks() -> None:
    html = "<p>one two three</p>\n<ul>\n<li>four five</li>\n</ul>\n<p>six seven</p>"
    assert excerpt(html, 2) == "<p>one two three</p>"
    assert excerpt(html, 4) == "<p>one two three</p>\n<ul>\n<li>four five</li>\n</ul>"
    assert excerpt(html, 100) == html


def test_root_links_are_rebased_and_feed_links_made_absolute() -> None:
    html = '<p><a href="/feed.xml">f</a> <a href="https://x.org/">x</a> <a href="#a">a</a></p>'
    rebased = rebase_links(html, "/digest/")
    assert 'href="/digest/feed.xml"' in rebased and 'href="https://x.org/"' in rebased
    assert 'href="#a"' in rebased
    absolute = absolutise(rebased, "https://u.github.io/digest/articles/a/")
    assert 'href="https://u.github.io/digest/feed.xml"' in absolute


@given(st.text())
def test_any_text_renders_to_html_without_scripts(text: str) -> None:
    html = MarkdownRenderer().to_html(text)
    assert "<script" not in html.lower()
    plain_text(html)
    excerpt(html, 10)


# Markdown syntax and every string an inline pattern is pruned on, so that generated texts
# exercise each pattern both present and absent.
_MARKDOWN_PIECES = st.sampled_from(
    [
        "word",
        " ",
        "\n",
        "\n\n",
        "  \n",
        "\t",
        "\r\n",
        "'",
        '"',
        "--",
        "---",
        "...",
        "`",
        "\\",
        "[",
        "]",
        "(",
        ")",
        "![",
        "<",
        ">",
        "&",
        "&amp;",
        "*",
        "_",
        "**",
        "#",
        "> ",
        "- ",
        "1. ",
        "|",
        "<b>",
        "</b>",
        "http://a.org/x",
        "a@b.org",
        "[ref]: http://r.org/",
        "'90s",
        "don't",
    ]
)


@given(st.lists(_MARKDOWN_PIECES, max_size=40).map("".join), st.booleans())
def test_leaving_out_patterns_a_text_cannot_match_changes_nothing(text: str, smart: bool) -> None:
    full = markdown.Markdown(
        extensions=["sane_lists", "tables", *(["smarty"] if smart else [])], output_format="html"
    )
    assert MarkdownRenderer(smart_punctuation=smart).to_html(text) == sanitise(full.convert(text))


def test_plain_prose_is_converted_without_inline_patterns() -> None:
    renderer = MarkdownRenderer()
    assert (
        renderer.to_html("Plain words only.\n\nAnd more.")
        == "<p>Plain words only.</p>\n<p>And more.</p>"
    )
    (instance,) = renderer._variants.values()
    assert "smarty" not in instance.treeprocessors and not len(instance.inlinePatterns)
