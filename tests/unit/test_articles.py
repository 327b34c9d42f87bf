from __future__ import annotations

import multiprocessing
import re
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from slugify import slugify

from newsdigest.cache import CACHE_FILE, ParseCache, open_cache
from newsdigest.config import load_config
from newsdigest.content.articles import SLUG_MAX_LENGTH, assign_slugs, load_articles, slug_of
from newsdigest.content.documents import Document
from newsdigest.content.frontmatter import FrontMatter
from newsdigest.diagnostics import Severity
from newsdigest.model import Article, load_bodies

from conftest import MakeSite
from factories import MINIMAL_CONFIG, article_text


def load(root: Path, **options: bool):  # type: ignore[no-untyped-def]
    return load_articles(root, load_config(root), **options)


def test_article_fields_are_read(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/articles/first.md": article_text(
                title="Telescope finds water",
                date="2025-06-16T09:30:00+09:00",
                url="https://news.example/a",
                author="Ana Ruiz",
                tags="[space, water]",
                topics="[science]",
                related="[{title: 'Other story', source: NHK}]",
                body="Body *text*.",
            )
        }
    )
    articles, diagnostics = load(root)
    assert diagnostics == []
    (article,) = articles
    assert article.slug == "first"
    assert article.title == "Telescope finds water"
    assert article.date == datetime.fromisoformat("2025-06-16T09:30:00+09:00")
    assert article.source == "Example Times"
    assert article.author == "Ana Ruiz"
    assert article.tags == ("space", "water")
    assert article.topics == ("science",)
    assert article.mentions[0].title == "Other story" and article.mentions[0].source == "NHK"
    assert article.body.html == "<p>Body <em>text</em>.</p>"
    assert article.summary == "Body text."
    assert article.source_path == "content/articles/first.md"


def test_naive_dates_take_the_site_timezone(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/articles/a.md": article_text(date="2025-01-10"),
            "content/articles/b.md": article_text(date="'2025-07-10 14:00'"),
        }
    )
    articles, _ = load(root)
    a, b = articles
    assert a.date.utcoffset() == timedelta(0)  # Europe/London in winter
    assert (b.date.hour, b.date.utcoffset()) == (14, timedelta(hours=1))


def test_toml_front_matter_is_accepted(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/articles/t.md": (
                '+++\ntitle = "TOML story"\ndate = 2025-03-01T10:00:00Z\nsource = "Wire"\n'
                'related = [{ title = "Elsewhere" }]\n+++\n\nText.\n'
            )
        }
    )
    (article,), diagnostics = load(root)
    assert diagnostics == []
    assert article.title == "TOML story" and article.mentions[0].title == "Elsewhere"


def test_every_error_of_every_file_is_collected_with_lines(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/articles/a.md": "---\ntitle: Missing date\nsource: X\n---\nText\n",
            "content/articles/b.md": article_text(date="next tuesday", url="notaurl"),
            "content/articles/c.md": "No front matter here\n",
            "content/articles/d.md": article_text(topics="[sciense]", draft="maybe"),
        }
    )
    articles, diagnostics = load(root)
    assert articles == ()
    found = {(d.path, d.line, d.message) for d in diagnostics}
    assert ("content/articles/a.md", 1, "front matter has no 'date'") in found
    assert ("content/articles/b.md", 3, "'date' is not a date: 'next tuesday'") in found
    assert ("content/articles/b.md", 5, "'url' is not an absolute http(s) URL: 'notaurl'") in found
    assert ("content/articles/c.md", 1, "the file does not start with front matter") in found
    assert ("content/articles/d.md", 5, "unknown topic 'sciense'") in found
    assert ("content/articles/d.md", 6, "'draft' must be true or false") in found
    hints = {d.message: d.hint for d in diagnostics}
    assert hints["unknown topic 'sciense'"] == "did you mean 'science'?"


def test_binary_and_non_utf8_files_are_reported(make_site: MakeSite) -> None:
    root = make_site()
    folder = root / "content" / "articles"
    folder.mkdir(parents=True)
    (folder / "image.md").write_bytes(b"\x89PNG\x00\x00")
    (folder / "latin.md").write_bytes(b"---\ntitle: caf\xe9\n---\n")
    _, diagnostics = load(root)
    assert {(d.path, d.code) for d in diagnostics} == {
        ("content/articles/image.md", "content-binary"),
        ("content/articles/latin.md", "content-encoding"),
    }


def test_unknown_keys_warn_with_a_suggestion(make_site: MakeSite) -> None:
    root = make_site({"content/articles/a.md": article_text(summery="'typo'")})
    articles, diagnostics = load(root)
    assert len(articles) == 1
    (warning,) = diagnostics
    assert warning.severity is Severity.WARNING
    assert (warning.line, warning.hint) == (5, "did you mean 'summary'?")


def test_slug_collisions_are_resolved_in_path_order_and_reported(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/articles/Big News.md": article_text(title="One"),
            "content/articles/big-news.md": article_text(title="Two"),
            "content/articles/2025/big_news.md": article_text(title="Three"),
        }
    )
    articles, diagnostics = load(root)
    slugs = {a.title: a.slug for a in articles}
    # Sorted paths: "2025/big_news.md" < "Big News.md" < "big-news.md".
    assert slugs == {"Three": "big-news", "One": "big-news-2", "Two": "big-news-3"}
    assert [d.code for d in diagnostics] == ["content-slug-collision"] * 2


def test_drafts_are_skipped_unless_asked(make_site: MakeSite) -> None:
    root = make_site({"content/articles/d.md": article_text(draft="true")})
    assert load(root)[0] == ()
    assert len(load(root, include_drafts=True)[0]) == 1


def test_duplicate_of_must_name_an_article(make_site: MakeSite) -> None:
    root = make_site(
        {
            "content/articles/a.md": article_text(),
            "content/articles/b.md": article_text(duplicate_of="c"),
            "content/articles/c2.md": article_text(duplicate_of="a"),
        }
    )
    _, diagnostics = load(root)
    assert [(d.path, d.code) for d in diagnostics] == [
        ("content/articles/b.md", "content-duplicate-of")
    ]


def test_related_entries_are_validated(make_site: MakeSite) -> None:
    root = make_site(
        {"content/articles/a.md": article_text(related="[{source: NHK}, {title: T, sourse: X}]")}
    )
    _, diagnostics = load(root)
    messages = [d.message for d in diagnostics]
    assert "related entry 1 has no title" in messages
    assert "related entry 2 has an unknown key 'sourse'" in messages


def test_excerpts_are_made_only_when_displayed(make_site: MakeSite) -> None:
    body = "\n\n".join(f"Paragraph {i} " + "word " * 30 for i in range(5))
    root = make_site({"content/articles/a.md": article_text(body=body)})
    (article,), _ = load(root)
    assert article.body.excerpt_html == ""
    toml = (
        root / "site.toml"
    ).read_text() + '\n[articles]\ndisplay = "excerpt"\nexcerpt_words = 40\n'
    (root / "site.toml").write_text(toml)
    (article,), _ = load(root)
    assert article.body.excerpt_html.count("<p>") == 2


stems = st.lists(
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40),
    max_size=12,
)


@given(stems)
def test_assigned_slugs_are_unique_url_safe_and_stable(names: list[str]) -> None:
    documents = [
        Document(f"content/articles/{n}.md", n, FrontMatter({}, "", 1, {}), "") for n in names
    ]
    first = assign_slugs(documents, [])
    slugs = [slug for _, slug in first]
    assert len(slugs) == len(set(slugs))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug) for slug in slugs)
    assert assign_slugs(documents, []) == first


def test_reading_in_several_processes_gives_the_same_articles(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {
        f"content/articles/s{n}.md": article_text(title=f"Story {n}", body=f"Body *{n}*.")
        for n in range(12)
    }
    files["content/articles/bad.md"] = article_text(date="never")
    root = make_site(files)
    serial = load_articles(root, load_config(root), jobs=1)
    monkeypatch.setattr("newsdigest.content.articles.PARALLEL_MIN_FILES", 2)
    parallel = load_articles(root, load_config(root), jobs=2)
    assert parallel == serial
    assert [d.code for d in parallel[1]] == ["content-date"]


@pytest.mark.parametrize("site_default", [True, False])
def test_smart_punctuation_follows_the_site_unless_the_article_says(
    make_site: MakeSite, site_default: bool
) -> None:
    body = '"Quoted" -- it\'s here...'
    root = make_site(
        {
            "content/articles/plain.md": article_text(title="A", body=body),
            "content/articles/smart.md": article_text(
                title="B", body=body, smart_punctuation="true"
            ),
            "content/articles/kept.md": article_text(
                title="C", body=body, smart_punctuation="false"
            ),
        },
        config=MINIMAL_CONFIG + f"\n[articles]\nsmart_punctuation = {str(site_default).lower()}\n",
    )
    articles, _ = load(root)
    html = {a.slug: a.body.html for a in articles}
    assert ("“Quoted”" in html["plain"]) is site_default
    assert "“Quoted” – it’s here…" in html["smart"]
    assert '"Quoted" -- it\'s here...' in html["kept"].replace("&quot;", '"')


stems = st.one_of(
    st.from_regex(r"[a-z0-9]{1,12}(-[a-z0-9]{1,12}){0,8}", fullmatch=True),
    st.text(alphabet="aZ09-_ é.", max_size=100),
)


@given(stems)
def test_names_that_are_slugs_already_skip_slugify_with_the_same_result(stem: str) -> None:
    assert slug_of(stem) == (slugify(stem, max_length=SLUG_MAX_LENGTH) or "article")


def test_articles_read_from_the_cache_equal_those_read_from_their_files(
    make_site: MakeSite,
) -> None:
    mention = "[{title: 'Port reopens', source: Wire, url: 'https://wire.example/port'}]"
    root = make_site(
        {
            "content/articles/a.md": article_text(
                title="Port news", author="'A. Writer'", tags="[ports, trade]", related=mention
            ),
            "content/articles/b.md": article_text(title="Other", body="Two *words*."),
        }
    )
    config = load_config(root)
    with open_cache(root / ".newsdigest") as cache:
        read, _ = load_articles(root, config, cache=cache)
    with open_cache(root / ".newsdigest") as cache:
        cached, _ = load_articles(root, config, cache=cache)
        assert cached == read
    assert read[0].mentions and read[0].tags == ("ports", "trade") and read[0].source_digest


def cached_site(make_site: MakeSite) -> tuple[Path, tuple[Article, ...]]:
    files = {f"content/articles/a{n}.md": article_text(body=f"Body *{n}*.") for n in range(3)}
    root = make_site(files)
    with open_cache(root / ".newsdigest") as cache:
        read, _ = load_articles(root, load_config(root), cache=cache)
    return root, read


def test_cached_bodies_are_loaded_when_first_used_and_all_at_once_when_asked(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, read = cached_site(make_site)
    queries: list[list[str]] = []
    original = ParseCache.get_details

    def counting(self: ParseCache, keys: list[str]) -> dict[str, bytes]:
        queries.append(keys)
        return original(self, keys)

    monkeypatch.setattr(ParseCache, "get_details", counting)
    with open_cache(root / ".newsdigest") as cache:
        cached, _ = load_articles(root, load_config(root), cache=cache)
        assert queries == []
        assert [a.body.digest for a in cached] == [a.body.digest for a in read]
        assert [a.body.words for a in cached] == [2, 2, 2]
        assert cached[0].body.html == "<p>Body <em>0</em>.</p>" and len(queries) == 1
        load_bodies(a.body for a in cached)
        assert len(queries) == 2 and len(queries[1]) == 2  # the two not loaded yet
        assert [a.body.text for a in cached] == ["Body 0.", "Body 1.", "Body 2."]
        assert len(queries) == 2


def test_a_damaged_cached_body_is_read_again_from_its_file(make_site: MakeSite) -> None:
    root, read = cached_site(make_site)
    with sqlite3.connect(root / ".newsdigest" / CACHE_FILE) as db:
        db.execute("UPDATE blobs SET detail = x'00ff' WHERE key LIKE 'article:%a1.md%'")
        db.execute("UPDATE blobs SET detail = NULL WHERE key LIKE 'article:%a2.md%'")
    with open_cache(root / ".newsdigest") as cache:
        cached, _ = load_articles(root, load_config(root), cache=cache)
        assert [a.body for a in cached] == [a.body for a in read]


def test_a_forked_process_never_reads_the_cache(make_site: MakeSite) -> None:
    root, _ = cached_site(make_site)
    with open_cache(root / ".newsdigest") as cache:
        cached, _ = load_articles(root, load_config(root), cache=cache)
        _INHERITED[:] = cached  # the workers get the articles by forking, as renderers do
        context = multiprocessing.get_context("fork")
        with context.Pool(1) as pool:
            assert "forked" in pool.apply(_body_text_or_error, (0,))
        load_bodies([cached[0].body])
        with context.Pool(1) as pool:
            assert pool.apply(_body_text_or_error, (0,)) == "Body 0."


_INHERITED: list[Article] = []


def _body_text_or_error(index: int) -> str:
    try:
        return _INHERITED[index].body.text
    except RuntimeError as error:
        return str(error)
