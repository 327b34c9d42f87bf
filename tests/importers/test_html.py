from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdigest.importers.base import ExtractionError, ImportedArticle
from newsdigest.importers.html import extract_html
from newsdigest.model import Mention

from examples import EXAMPLES, example_pages, expected, word_f1

HTML_PAGES = example_pages(".html")
FUSION = EXAMPLES / "sources" / "meridian-fusion-record.html"
WHEAT = EXAMPLES / "sources" / "meridian-wheat-prices.html"

BODY = (
    "<p>The regional water board said on Monday that reservoir levels had recovered to"
    " their long-term average after a wet spring, easing fears of a summer hosepipe ban"
    " across the valley.</p>"
    "<p>Engineers credited repairs to leaking mains, which cut losses by almost a fifth over"
    " two years, and asked households to keep saving water during the warmest weeks.</p>"
    "<p>Farmers welcomed the news but said irrigation licences should be reviewed before the"
    " next dry season, when demand from orchards and market gardens peaks.</p>"
)


def page(head: str = "", body: str = BODY, *, charset: str | None = "utf-8") -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return (
        f"<!DOCTYPE html><html><head>{meta}{head}</head>"
        f"<body><main><article>{body}</article></main></body></html>"
    )


def extract(html: str | bytes, *, base_url: str | None = None) -> ImportedArticle:
    data = html.encode("utf-8") if isinstance(html, str) else html
    return extract_html(data, origin="test.html", base_url=base_url)


@pytest.mark.parametrize(("source", "answer"), HTML_PAGES, ids=lambda p: p.stem)
def test_html_pages_match_their_expected_extraction(source: Path, answer: Path) -> None:
    want = expected(answer)
    article = extract_html(source.read_bytes(), origin=str(source))
    assert article.date is not None
    assert (article.title, article.source, article.date.isoformat()[:10], article.author) == (
        want["title"],
        want["source"],
        want["date"],
        want["author"],
    )
    assert article.related == tuple(Mention(**item) for item in want["related"])
    assert word_f1(list(article.paragraphs), want["body_paragraphs"]) >= 0.98
    leaked = [line for line in want["boilerplate"] if line in article.paragraphs]
    assert leaked == []


def test_example_pages_are_both_covered() -> None:
    assert {source.stem for source, _ in HTML_PAGES} >= {FUSION.stem, WHEAT.stem}


def test_json_ld_page_gives_canonical_url_summary_and_offset_date() -> None:
    article = extract_html(FUSION.read_bytes(), origin="fusion.html")
    assert article.url == (
        "https://www.meridianledger.example/science/2025/11/18/"
        "fusion-startup-claims-record-plasma-run-at"
    )
    assert article.summary is not None and article.summary.startswith("Kestrel Fusion says")
    assert article.date == datetime(2025, 11, 18, 7, 30, tzinfo=UTC)
    assert article.origin == "fusion.html"


def test_page_without_json_ld_reads_opengraph_and_meta_tags() -> None:
    html = WHEAT.read_text(encoding="utf-8")
    assert "ld+json" not in html
    article = extract(html)
    assert article.title == "Wheat prices slide as Black Sea harvest beats forecasts"
    assert article.source == "The Meridian Ledger"
    assert article.author == "Omar Haddad"
    assert article.date == datetime(2025, 8, 5, 16, 10, tzinfo=UTC)
    assert article.url is not None and article.url.endswith(
        "wheat-prices-slide-as-black-sea-harvest"
    )
    assert article.summary is not None and article.summary.startswith("Benchmark wheat futures")


def test_relative_related_link_is_resolved_against_the_canonical_url() -> None:
    article = extract_html(
        FUSION.read_bytes(), origin="fusion.html", base_url="https://elsewhere.example/"
    )
    assert article.related[2].url == (
        "https://www.meridianledger.example/technology/2025/11/12/data-center-power-deals"
    )


RELATED_BLOCK = """
<section class="more">
  <h3>Related coverage</h3>
  <ul>
    <li><a href="/news/dam-repairs-begin">Dam repairs begin on the upper valley reservoir</a>
        <span>Valley Courier</span></li>
    <li><a href="https://wire.example/drought-map">Drought map shows the dry east recovering</a>
    </li>
    <li><a href="/news/dam-repairs-again">DAM REPAIRS BEGIN ON THE UPPER VALLEY RESERVOIR!</a></li>
  </ul>
</section>
<section class="popular"><h3>Most read</h3>
  <ul><li><a href="/news/celebrity-garden">A celebrity garden opens to the public</a></li></ul>
</section>
"""


def test_relative_related_links_use_base_url_when_there_is_no_canonical() -> None:
    article = extract(
        page("<title>Reservoirs refill</title>", BODY + RELATED_BLOCK),
        base_url="https://valley.example/news/reservoirs",
    )
    assert article.related == (
        Mention(
            title="Dam repairs begin on the upper valley reservoir",
            source="Valley Courier",
            url="https://valley.example/news/dam-repairs-begin",
        ),
        Mention(
            title="Drought map shows the dry east recovering",
            url="https://wire.example/drought-map",
        ),
    )


def test_relative_related_links_are_dropped_without_any_base() -> None:
    # With no canonical or fetch URL a relative link cannot be resolved; only absolute
    # http(s) links are kept.
    article = extract(page("<title>Reservoirs refill</title>", BODY + RELATED_BLOCK))
    assert [mention.url for mention in article.related] == [
        None,
        "https://wire.example/drought-map",
    ]
    assert article.url is None


def test_page_without_related_block_has_no_mentions() -> None:
    assert extract(page("<title>Reservoirs refill</title>")).related == ()


def test_undeclared_charset_is_read_as_utf8() -> None:
    html = page("<title>Café owners welcome shade rules</title>", charset=None)
    article = extract(html.encode("utf-8"))
    assert article.title == "Café owners welcome shade rules"


def test_declared_latin1_charset_is_honoured() -> None:
    html = page(
        "<title>Café owners welcome shade rules</title>",
        BODY.replace("regional", "régional"),
        charset="iso-8859-1",
    )
    article = extract(html.encode("latin-1"))
    assert article.title == "Café owners welcome shade rules"
    assert "régional" in article.paragraphs[0]


def test_http_equiv_charset_and_utf16_bom_are_honoured() -> None:
    head = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
    cyrillic = extract(page(head + "<title>Новости дня</title>", charset=None).encode("cp1251"))
    assert cyrillic.title == "Новости дня"
    utf16 = extract(page("<title>Café terraces</title>", charset=None).encode("utf-16"))
    assert utf16.title == "Café terraces"


def test_invalid_bytes_are_replaced_not_fatal() -> None:
    data = page("<title>Reservoirs refill</title>").encode("utf-8").replace(b"wet", b"w\xffet")
    assert "w\ufffdet spring" in extract(data).paragraphs[0]


def test_markup_written_as_text_stays_text() -> None:
    body = BODY.replace(
        "<p>Engineers",
        "<p>The notice told readers to type &lt;b&gt;urgent&lt;/b&gt; and never"
        " &lt;script&gt;alert(1)&lt;/script&gt; in forms.</p><p>Engineers",
    )
    article = extract(page("<title>Reservoirs refill</title>", body))
    assert (
        "The notice told readers to type <b>urgent</b> and never"
        " <script>alert(1)</script> in forms." in article.paragraphs
    )


def test_entities_in_metadata_are_decoded_and_whitespace_collapsed() -> None:
    head = (
        '<meta property="og:title" content="Rates &amp;amp; bonds:\n   a quiet week">'
        '<meta property="og:site_name" content="The  Ledger">'
    )
    article = extract(page(head))
    assert (article.title, article.source) == ("Rates & bonds: a quiet week", "The Ledger")


def test_title_suffix_is_removed_and_gives_the_source() -> None:
    article = extract(page("<title>Reservoirs refill after a wet spring - Valley Courier</title>"))
    assert (article.title, article.source) == (
        "Reservoirs refill after a wet spring",
        "Valley Courier",
    )


def json_ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def test_json_ld_graph_with_several_authors_and_a_publisher_reference() -> None:
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "Organization", "@id": "#org", "name": "Valley Courier"},
            {
                "@type": ["NewsArticle"],
                "headline": "Reservoirs refill after a wet spring",
                "datePublished": "2025-06-16T09:00:00+09:00",
                "dateModified": "2025-06-18T10:00:00+09:00",
                "author": [
                    {"@type": "Person", "name": n} for n in ("Ana Ruiz", "Bo Li", "Cy Oduya")
                ],
                "publisher": {"@id": "#org"},
                "mainEntityOfPage": {"@id": "https://valley.example/news/reservoirs"},
                "description": "Levels are back to average.",
            },
        ],
    }
    article = extract(page("<title>Ignored | Other</title>" + json_ld(graph)))
    assert article.title == "Reservoirs refill after a wet spring"
    assert article.source == "Valley Courier"
    assert article.author == "Ana Ruiz, Bo Li and Cy Oduya"
    assert article.url == "https://valley.example/news/reservoirs"
    assert article.summary == "Levels are back to average."
    assert isinstance(article.date, datetime)
    assert article.date.isoformat() == "2025-06-16T09:00:00+09:00"


def test_json_ld_list_with_two_authors_and_trailing_z_date() -> None:
    data = [
        {"@type": "WebSite", "name": "Valley Courier"},
        {
            "@type": "BlogPosting",
            "headline": "Reservoirs refill",
            "datePublished": "2025-06-16T22:30:00Z",
            "author": [{"name": "Ana Ruiz"}, {"name": "Bo Li"}],
        },
    ]
    article = extract(page(json_ld(data)))
    assert article.author == "Ana Ruiz and Bo Li"
    assert article.date == datetime(2025, 6, 16, 22, 30, tzinfo=UTC)


def test_bare_date_stays_a_date_and_modified_time_is_never_used() -> None:
    bare = extract(page('<title>Reservoirs</title><meta name="date" content="2025-06-16">'))
    assert bare.date == date(2025, 6, 16) and not isinstance(bare.date, datetime)
    modified_only = extract(
        page(
            "<title>Reservoirs</title>"
            '<meta property="article:modified_time" content="2025-06-18T10:00:00+02:00">'
        )
    )
    assert modified_only.date is None


def test_time_element_inside_the_article_gives_the_date() -> None:
    body = '<time datetime="2025-06-16T08:00:00-04:00">June 16</time>' + BODY
    article = extract(page("<title>Reservoirs</title>", body))
    assert article.date == datetime(2025, 6, 16, 8, tzinfo=timezone(timedelta(hours=-4)))


def test_opengraph_author_url_is_not_a_name() -> None:
    head = (
        '<meta property="article:author" content="https://facebook.example/valleycourier">'
        '<meta name="author" content="By Ana Ruiz">'
    )
    assert extract(page("<title>Reservoirs</title>" + head)).author == "Ana Ruiz"


def test_headline_byline_and_date_are_not_repeated_in_the_body() -> None:
    body = (
        "<h1>Reservoirs refill after a wet spring</h1><p>By Ana Ruiz</p>"
        "<p>June 16, 2025 09:00 BST</p>" + BODY
    )
    head = (
        '<title>Reservoirs refill after a wet spring</title><meta name="author" content="Ana Ruiz">'
    )
    article = extract(page(head, body))
    assert article.paragraphs[0].startswith("The regional water board said")
    assert len(article.paragraphs) == 3


def test_truncated_page_keeps_the_text_before_the_cut() -> None:
    html = FUSION.read_text(encoding="utf-8")
    cut = html[: html.index("<p>Fusion, the process")]
    article = extract(cut)
    assert article.title == "Fusion startup claims record plasma run at Oxfordshire test reactor"
    assert article.paragraphs[0].startswith("A British fusion energy startup")
    assert not any("Fusion, the process" in paragraph for paragraph in article.paragraphs)


def test_page_cut_before_its_body_is_refused() -> None:
    html = FUSION.read_text(encoding="utf-8")
    with pytest.raises(ExtractionError, match="No article text"):
        extract(html[: html.index("</head>")])


@pytest.mark.parametrize("data", [b"", b"  \n\t ", b"<html><body></body></html>"])
def test_empty_pages_are_refused(data: bytes) -> None:
    with pytest.raises(ExtractionError):
        extract(data)


def test_binary_garbage_is_refused() -> None:
    png_like = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
    with pytest.raises(ExtractionError, match="binary"):
        extract(png_like)
    no_nul = bytes(range(128, 256)) * 16
    with pytest.raises(ExtractionError, match="binary"):
        extract(no_nul)


@settings(deadline=None, max_examples=75)
@given(st.binary(max_size=2000) | st.text(max_size=500).map(lambda text: page("", text).encode()))
def test_any_bytes_give_an_article_or_an_extraction_error(data: bytes) -> None:
    try:
        article = extract(data)
    except ExtractionError as error:
        assert str(error)
    else:
        assert article.title and article.paragraphs
