from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from newsdigest.importers.base import ExtractionError, ImportedArticle
from newsdigest.importers.feed import extract_feed

FEEDS = Path(__file__).parent.parent / "fixtures" / "feeds"
RSS = FEEDS / "harbour-gazette.rss.xml"
ATOM = FEEDS / "northern-notes.atom.xml"
EXAMPLE_HTML = Path(__file__).parent.parent / "fixtures" / "examples" / "sources"


def read(path: Path) -> list[ImportedArticle]:
    return extract_feed(path.read_bytes(), origin=str(path))


def offset(hours: float) -> timezone:
    return timezone(timedelta(hours=hours))


def test_rss_entries_keep_feed_order_and_skip_unusable_items() -> None:
    titles = [article.title for article in read(RSS)]
    assert titles == [
        "Ferry operator adds night crossings as summer bookings climb",
        "Lighthouse keepers' cottages to become a small museum",
    ]


def test_rss_item_with_content_encoded_and_its_own_source() -> None:
    article = read(RSS)[0]
    assert article == ImportedArticle(
        title="Ferry operator adds night crossings as summer bookings climb",
        source="Coastal Wire",
        date=datetime(2025, 4, 12, 21, 15, tzinfo=offset(9)),
        author="Mei Tanaka",
        url="https://www.harbourgazette.example/news/ferry-night-crossings",
        summary="Two extra overnight sailings start in June.",
        paragraphs=(
            "The island ferry operator will add two overnight crossings from June, after"
            " advance bookings for the summer rose by a fifth.",
            "“We kept turning people away at midnight,” said the harbour master, Ruth Okafor.",
            "Tickets for the new sailings cost £18 & go on sale on Monday.",
        ),
        related=(),
        origin=str(RSS),
    )


def test_rss_item_without_source_or_content_uses_channel_title_and_description() -> None:
    article = read(RSS)[1]
    assert article.source == "Harbour Town Gazette"
    assert article.author == "Tomás Ruiz"
    assert article.url == "https://www.harbourgazette.example/news/lighthouse-museum"
    assert article.summary == (
        "The council approved the plan on Thursday. Opening is planned for 2026."
    )
    assert article.paragraphs == (article.summary,)


def test_rss_dates_keep_their_printed_offsets() -> None:
    dates = [article.date for article in read(RSS)]
    assert dates == [
        datetime(2025, 4, 12, 21, 15, tzinfo=offset(9)),
        datetime(2025, 4, 11, 8, 0, tzinfo=offset(-5)),
    ]
    assert [d.utcoffset() for d in dates if d] == [timedelta(hours=9), timedelta(hours=-5)]


def test_atom_entry_with_two_authors_published_date_and_html_content() -> None:
    article = read(ATOM)[0]
    assert article == ImportedArticle(
        title="Reindeer herders test GPS collars on the spring migration",
        source="Northern Notes",
        date=datetime(2025, 3, 4, 9, 30, tzinfo=offset(1)),
        author="Aila Niemi and Jonas Berg",
        url="https://northernnotes.example/2025/03/reindeer-gps",
        summary="Herders say the <collar> data could cut losses.",
        paragraphs=(
            "Herders in the north have fitted GPS collars to 200 animals.",
            "The data shows where the herds cross the main road.",
        ),
        related=(),
        origin=str(ATOM),
    )


def test_atom_entry_with_only_updated_date_and_a_source_element() -> None:
    article = read(ATOM)[1]
    assert article.title == "Ice road season ends a week early"
    assert article.source == "Fjord Post"
    assert article.date == datetime(2025, 3, 2, 18, 45, tzinfo=offset(-3.5))
    assert article.author is None
    assert article.summary == "Warm weather closed the route on Sunday."
    assert article.paragraphs == ("Warm weather closed the route on Sunday.",)


def test_entry_without_link_but_with_text_is_kept() -> None:
    feed = (
        b'<rss version="2.0"><channel><title>Desk</title><item><title>Notice to readers</title>'
        b"<description>The print edition moves to Saturdays.</description>"
        b"<pubDate>Mon, 02 Jun 2025 07:00:00 GMT</pubDate></item></channel></rss>"
    )
    [article] = extract_feed(feed, origin="desk.xml")
    assert article.url is None
    assert article.paragraphs == ("The print edition moves to Saturdays.",)
    assert article.date == datetime(2025, 6, 2, 7, tzinfo=UTC)


def test_author_email_addresses_are_not_names() -> None:
    feed = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>Desk</title>'
        b'<entry><title>Notice to readers</title><link href="https://desk.example/notice"/>'
        b"<author><name>Ana Ruiz</name><email>ana@desk.example</email></author></entry>"
        b'<entry><title>Second notice today</title><link href="https://desk.example/second"/>'
        b"<author><email>desk@desk.example</email></author></entry></feed>"
    )
    assert [article.author for article in extract_feed(feed, origin="desk.xml")] == [
        "Ana Ruiz",
        None,
    ]


def test_html_page_is_not_a_feed() -> None:
    html = (EXAMPLE_HTML / "meridian-wheat-prices.html").read_bytes()
    with pytest.raises(ExtractionError, match="not an RSS or Atom feed"):
        extract_feed(html, origin="page.html")


@pytest.mark.parametrize("data", [b"", b"plain words, no markup", b"\x00\xff\x10binary"])
def test_non_feed_data_is_refused(data: bytes) -> None:
    with pytest.raises(ExtractionError):
        extract_feed(data, origin="data")


def test_bytes_naming_a_file_are_not_read_as_that_file() -> None:
    with pytest.raises(ExtractionError):
        extract_feed(str(RSS).encode(), origin="name")


def test_feed_without_usable_entries_is_refused() -> None:
    feed = (
        b'<rss version="2.0"><channel><title>Empty</title>'
        b"<item><description>No title here.</description></item></channel></rss>"
    )
    with pytest.raises(ExtractionError, match="no entry"):
        extract_feed(feed, origin="empty.xml")
