"""The build cache: a second build reads no Markdown, an edit re-reads only its file, a
build with nothing changed does nothing, and a cache that is corrupt, foreign or from other
settings is never trusted."""

from __future__ import annotations

import gc
import marshal
import os
import shutil
import sqlite3
import time
from pathlib import Path

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdigest.build import BuildOptions, build
from newsdigest.cache import CACHE_FILE, ParseCache, open_cache
from newsdigest.config import Overrides
from newsdigest.content.markup import MarkdownRenderer
from newsdigest.locking import STATE_DIR
from newsdigest.model import Article
from newsdigest.render.pages import PageRenderer, Rendered
from newsdigest.render.plan import PageOutput
from newsdigest.render.theme import BUILTIN_THEMES
from newsdigest.render.views import ViewBuilder
from newsdigest.stamp import input_stamp
from newsdigest.structure import related
from newsdigest.structure.similar import features_of, index_state
from newsdigest.structure.stored import StoredRelations
from newsdigest.structure.stories import StoryMap, build_stories

from conftest import MakeSite
from factories import MINIMAL_CONFIG, article_text
from sitecheck import parse_html


def site_with_articles(make_site: MakeSite) -> Path:
    files = {
        f"content/articles/story-{n}.md": article_text(
            title=f"Telescope story {n}", body=f"Body *{n}*."
        )
        for n in range(5)
    }
    files["content/articles/odd.md"] = article_text(colour="'blue'")  # a warning, every build
    return make_site(files)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    original = MarkdownRenderer.to_html

    def counting(self: MarkdownRenderer, text: str) -> str:
        calls.append(text)
        return original(self, text)

    monkeypatch.setattr(MarkdownRenderer, "to_html", counting)
    return calls


def test_a_second_build_reads_no_article_again(make_site: MakeSite, renders: list[str]) -> None:
    site = site_with_articles(make_site)
    first = build(site, BuildOptions(output=site / "a"))
    read_first = len(renders)
    second = build(site, BuildOptions(output=site / "b"))
    assert read_first >= 6 and len(renders) == read_first  # nothing rendered again
    assert snapshot(site / "a") == snapshot(site / "b")
    assert [d.code for d in second.diagnostics] == [d.code for d in first.diagnostics]
    assert "content-unknown-key" in {d.code for d in second.diagnostics}


def test_an_edit_reads_only_the_edited_file(make_site: MakeSite, renders: list[str]) -> None:
    site = site_with_articles(make_site)
    build(site)
    before = len(renders)
    (site / "content" / "articles" / "story-2.md").write_text(
        article_text(title="Edited", body="New body.")
    )
    build(site)
    assert renders[before:] == ["\nNew body.\n"]
    assert "Edited" in (site / "_site" / "articles" / "story-2" / "index.html").read_text()


def test_files_whose_metadata_did_not_change_are_not_read_again(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = site_with_articles(make_site)
    articles = site / "content" / "articles"
    edited = articles / "story-2.md"
    time.sleep(FILE_TIME_TICK)  # files written this tick are read by their bytes (racy)
    build(site)
    read: list[str] = []
    original = Path.read_bytes

    def counting(path: Path) -> bytes:
        if path.suffix == ".md":
            read.append(path.name)
        return original(path)

    monkeypatch.setattr(Path, "read_bytes", counting)
    edited.write_text(article_text(title="Telescope story 2", body="Body *9*."))
    build(site)
    assert set(read) == {"story-2.md"}  # (the build's input stamp reads it too: it is racy)
    time.sleep(FILE_TIME_TICK)
    build(site, BuildOptions(output=site / "b"))  # records the edited file's metadata
    # The same size and modification time as before: its change time still gives it away.
    times = edited.stat()
    edited.write_text(article_text(title="Telescope story 2", body="Body *8*."))
    os.utime(edited, ns=(times.st_atime_ns, times.st_mtime_ns))
    time.sleep(FILE_TIME_TICK)  # no longer racy: only its metadata can tell
    build(site)
    page = site / "_site" / "articles" / "story-2" / "index.html"
    assert "<em>8</em>" in page.read_text()
    assert snapshot(site / "_site") == clean_build_of(site, site.parent)


def test_changed_settings_and_clean_builds_read_everything(
    make_site: MakeSite, renders: list[str]
) -> None:
    site = site_with_articles(make_site)
    build(site)
    before = len(renders)
    config = site / "site.toml"
    config.write_text(config.read_text().replace("Europe/London", "Asia/Tokyo"))
    build(site)
    assert len(renders) - before >= 6
    before = len(renders)
    build(site, BuildOptions(clean=True))
    assert len(renders) - before >= 6


@pytest.mark.parametrize(
    "damage", [b"not a database at all", b"SQLite format 3\x00" + b"\x00" * 200]
)
def test_a_corrupt_or_foreign_cache_is_replaced(make_site: MakeSite, damage: bytes) -> None:
    site = site_with_articles(make_site)
    build(site, BuildOptions(output=site / "a"))
    cache = site / STATE_DIR / CACHE_FILE
    cache.write_bytes(damage)
    build(site, BuildOptions(output=site / "b"))
    assert snapshot(site / "a") == snapshot(site / "b")
    with sqlite3.connect(cache) as db:
        count = "SELECT count(*) FROM blobs WHERE key LIKE 'article:%'"
        assert db.execute(count).fetchone()[0] == 6


def test_removed_files_leave_the_cache(make_site: MakeSite) -> None:
    site = site_with_articles(make_site)
    build(site)
    (site / "content" / "articles" / "story-0.md").unlink()
    build(site)
    with sqlite3.connect(site / STATE_DIR / CACHE_FILE) as db:
        keys = [row[0] for row in db.execute("SELECT key FROM blobs WHERE key LIKE 'article:%'")]
    assert len(keys) == 5 and not any("story-0.md" in key for key in keys)


FILE_TIME_TICK = 0.05
"""Longer than the file-time granularity: files older than this are judged by metadata."""


def test_a_build_with_nothing_changed_does_nothing(make_site: MakeSite, renders: list[str]) -> None:
    site = site_with_articles(make_site)
    first = build(site)
    before = snapshot(site / "_site")
    time.sleep(FILE_TIME_TICK)
    second = build(site)  # the first build's inputs were too new to trust their metadata
    time.sleep(FILE_TIME_TICK)
    renders.clear()
    third = build(site)
    assert third.up_to_date and third.written == 0 and renders == []
    assert not first.up_to_date and not second.up_to_date
    assert snapshot(site / "_site") == before
    assert (third.pages, third.feeds, third.articles) == (first.pages, first.feeds, first.articles)
    assert third.diagnostics == first.diagnostics  # warnings are reported every time


@pytest.mark.parametrize(
    "change",
    ["edit an article", "delete an output file", "edit an output file", "other base URL", "clean"],
)
def test_any_change_to_inputs_or_output_means_a_real_build(
    make_site: MakeSite, change: str
) -> None:
    site = site_with_articles(make_site)
    time.sleep(FILE_TIME_TICK)
    build(site)
    time.sleep(FILE_TIME_TICK)
    options = BuildOptions()
    home = site / "_site" / "index.html"
    if change == "edit an article":
        path = site / "content" / "articles" / "story-1.md"
        path.write_text(path.read_text().replace("Telescope story 1", "Telescope story X"))
    elif change == "delete an output file":
        home.unlink()
    elif change == "edit an output file":
        home.write_text("vandalised")
    elif change == "other base URL":
        options = BuildOptions(overrides=Overrides(base_url="https://elsewhere.example/"))
    else:
        options = BuildOptions(clean=True)
    result = build(site, options)
    assert not result.up_to_date
    assert "<html" in home.read_text()
    if change == "edit an article":
        assert "Telescope story X" in home.read_text()


def test_a_file_changed_twice_within_one_clock_tick_is_seen(tmp_path: Path) -> None:
    (tmp_path / "site.toml").write_text("title = 'A'\n")
    first = input_stamp(tmp_path, "")
    (tmp_path / "site.toml").write_text("title = 'B'\n")  # same size, same tick
    assert input_stamp(tmp_path, "") != first
    time.sleep(FILE_TIME_TICK)
    settled = input_stamp(tmp_path, "")  # old enough: from metadata now, and stable
    assert settled != first and input_stamp(tmp_path, "") == settled


EDITS = [
    "add",
    "change",
    "body",
    "retitle",
    "mention",
    "rename",
    "delete",
    "template",
    "settings",
    "intro",
    "nothing",
    "output",
]
VOCABULARY = "telescope comet orbit harbour cranes freight rice paddy growers".split()


def story_text(n: int, step: int = 0, title: str | None = None, **extra: str) -> str:
    """An article whose body shares words with the others: related lists are not empty.
    ``step`` changes only the paragraph below the summary (the first paragraph)."""
    words = [VOCABULARY[(n * 3 + k * (step + 1)) % len(VOCABULARY)] for k in range(12)]
    body = f"Story {n} begins.\n\n{' '.join(words).capitalize()}."
    title = title or f"Telescope story {n}"
    return article_text(title=title, date=f"2025-06-{n * 7 % 28 + 1:02d}", body=body, **extra)


def apply_edit(site: Path, edit: str, step: int) -> None:
    articles = sorted((site / "content" / "articles").glob("story-*.md"))
    if edit in ("body", "retitle", "mention") and articles:
        n = step % len(articles)
        path = articles[n]
        number = int(path.stem.split("-")[1])
        if edit == "body":
            path.write_text(story_text(number, step + 1))
        elif edit == "retitle":
            path.write_text(story_text(number, title=f"Comet watch {step}"))
        else:
            mention = f"[{{title: 'Harbour cranes idle {step % 2}', source: Wire}}]"
            path.write_text(story_text(number, related=mention))
        return
    articles = sorted((site / "content" / "articles").glob("*.md"))
    if edit == "add" or not articles:
        (site / "content" / "articles" / f"new-{step}.md").write_text(
            article_text(title=f"League match {step}", date=f"2025-07-{step % 27 + 1:02d}")
        )
    elif edit == "change":
        articles[step % len(articles)].write_text(article_text(title=f"Telescope update {step}"))
    elif edit == "rename":
        victim = articles[step % len(articles)]
        victim.rename(victim.with_name(f"renamed-{step}.md"))
    elif edit == "delete":
        articles[step % len(articles)].unlink()
    elif edit == "template":
        template = site / "themes" / "default" / "templates" / "page.html"
        template.write_text(
            template.read_text().replace("</article>", f"<!-- {step} --></article>")
        )
    elif edit == "nothing":
        time.sleep(FILE_TIME_TICK)  # so that the next build may skip its work
    elif edit == "output":
        (site / "_site" / "index.html").unlink()
    elif edit == "settings":
        config = site / "site.toml"
        config.write_text(config.read_text().replace("Test Digest", f"Test Digest {step}", 1))
    else:
        intro = site / "content" / "issues" / "1.md"
        intro.parent.mkdir(exist_ok=True)
        intro.write_text(f"---\ntitle: Intro {step}\n---\n\nHello {step}.\n")


def clean_build_of(site: Path, scratch: Path) -> dict[str, bytes]:
    copy = scratch / "copy"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns(".newsdigest", "_site"))
    build(copy, BuildOptions(output=copy / "_site", clean=True))
    return snapshot(copy / "_site")


@settings(max_examples=20)
@given(edits=st.lists(st.sampled_from(EDITS), min_size=1, max_size=5))
def test_incremental_builds_equal_clean_builds_after_any_edits(
    tmp_path_factory: pytest.TempPathFactory, edits: list[str]
) -> None:
    scratch = tmp_path_factory.mktemp("edits")
    site = scratch / "site"
    (site / "content" / "articles").mkdir(parents=True)
    (site / "site.toml").write_text(MINIMAL_CONFIG)
    for n in range(5):
        (site / "content" / "articles" / f"story-{n}.md").write_text(story_text(n))
    shutil.copytree(BUILTIN_THEMES / "default", site / "themes" / "default", dirs_exist_ok=True)
    build(site)
    with pytest.MonkeyPatch.context() as patch:
        keys_of_kept_pages_checked(patch)
        for step, edit in enumerate(edits):
            apply_edit(site, edit, step)
            build(site)
            assert snapshot(site / "_site") == clean_build_of(site, scratch), edits[: step + 1]


def keys_of_kept_pages_checked(patch: pytest.MonkeyPatch) -> None:
    """Make every page kept as unchanged (``SinceLastBuild``) prove it: its key must be
    the one the last build recorded."""
    original = PageRenderer._check

    def checked(self: PageRenderer, page: PageOutput) -> object:
        result = original(self, page)
        if isinstance(result, Rendered) and self._unchanged(page):
            assert self._key(page) == result.record.key, page.route
        return result

    patch.setattr(PageRenderer, "_check", checked)


def test_a_body_edit_checks_only_the_pages_it_can_change(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    topics = ["harbour cranes freight", "comet orbit telescope", "rice paddy growers"]

    places = ["Kobe", "Lima", "Oslo", "Perth", "Quito", "Riga"]
    words = ["amber", "basalt", "cobalt", "dune", "ember", "fjord", "garnet", "heron"]

    def text(n: int, extra: str = "") -> str:
        # Each body its own words (no syndicated copies), sharing its topic's words.
        # ``extra`` goes below the first paragraph: the summary, made from it, stays.
        own = " ".join(words[(n + k) % len(words)] for k in range(n % 3, 8, 2))
        lead = f"{places[n]} reports on {topics[n % 3]} and {own}."
        return article_text(title=f"{places[n]} and {topics[n % 3]}", body=f"{lead}\n\n{extra}")

    site = make_site({f"content/articles/story-{n}.md": text(n) for n in range(6)})
    build(site)
    keyed: list[str | None] = []
    original = PageRenderer._key

    def spying(self: PageRenderer, page: PageOutput) -> str | None:
        keyed.append(page.article)
        return original(self, page)

    monkeypatch.setattr(PageRenderer, "_key", spying)
    # Story 2 turns to comets: the comet stories' related lists change, the others' do not.
    extra = "Comet orbit, comet orbit, comet orbit."
    (site / "content" / "articles" / "story-2.md").write_text(text(2, extra))
    build(site)
    checked = {slug for slug in keyed if slug}
    assert "story-2" in checked and len(checked) < 6
    links = parse_html(site / "_site" / "articles" / "story-1" / "index.html").xpath(
        "//ul[@class='related-list']//a/@href"
    )
    assert any("/articles/story-2/" in link for link in links)
    assert snapshot(site / "_site") == clean_build_of(site, site.parent / "clean")
    # Another folder built in between: the pages of this one are not the last build's.
    build(site, BuildOptions(output=site / "other"))
    (site / "content" / "articles" / "story-2.md").write_text(text(2, extra + " Again."))
    keyed.clear()
    build(site)
    assert len({slug for slug in keyed if slug}) == 6


def test_rendering_in_several_processes_gives_the_same_site(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = site_with_articles(make_site)
    serial = build(site, BuildOptions(output=site / "serial", jobs=1))
    monkeypatch.setattr("newsdigest.render.pages.PARALLEL_MIN_PAGES", 2)
    parallel = build(site, BuildOptions(output=site / "parallel", jobs=2))
    assert snapshot(site / "parallel") == snapshot(site / "serial")
    assert parallel.written == serial.written == serial.files
    (site / "content" / "articles" / "story-3.md").write_text(article_text(title="Changed"))
    again = build(site, BuildOptions(output=site / "parallel", jobs=2))
    assert 0 < again.written < serial.files  # unchanged pages skipped in workers too


def test_text_features_are_computed_once_per_body(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = site_with_articles(make_site)
    shutil.copytree(BUILTIN_THEMES / "default", site / "themes" / "default")
    computed: list[int] = []

    def counting(texts: dict[str, str], jobs: int = 1) -> object:
        computed.append(len(texts))
        return features_of(texts, jobs)

    monkeypatch.setattr("newsdigest.structure.site.features_of", counting)
    build(site)
    apply_edit(site, "template", 1)  # related lists reused: features not even loaded
    build(site)
    (site / "content" / "articles" / "story-2.md").write_text(article_text(body="All new."))
    build(site)
    assert computed == [6, 1]


def test_stories_are_built_again_only_when_more_than_bodies_change(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = site_with_articles(make_site)
    built: list[int] = []

    def counting(articles: list[Article], canonical_of: dict[str, str]) -> StoryMap:
        built.append(len(articles))
        return build_stories(articles, canonical_of)

    monkeypatch.setattr("newsdigest.structure.site.build_stories", counting)
    build(site)
    build(site, BuildOptions(output=site / "b"))  # related lists reused: stories kept too
    story = site / "content" / "articles" / "story-2.md"
    # A paragraph added below the first: the summary (the first paragraph) stays.
    story.write_text(article_text(title="Telescope story 2", body="Body *2*.\n\nAnd more."))
    build(site)  # related lists ranked again, stories kept
    assert built == [6]
    story.write_text(article_text(title="A new title", body="A new body."))
    build(site)
    assert built == [6, 6]
    assert snapshot(site / "_site") == clean_build_of(site, site.parent)


def edit_story_2(site: Path, paragraph: str) -> None:
    """Story 2 with ``paragraph`` below its first paragraph (which makes the summary): an
    edit to its body alone."""
    story = site / "content" / "articles" / "story-2.md"
    story.write_text(article_text(title="Telescope story 2", body=f"Body.\n\n{paragraph}"))


def test_a_body_edit_updates_the_text_index_and_ranks_only_lists_it_can_change(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = site_with_articles(make_site)
    edit_story_2(site, "Harbour cranes idle.")
    indexed: list[int] = []
    ranked: list[str] = []

    def counting_index(articles: list[Article], features: object) -> object:
        indexed.append(len(articles))
        return index_state(articles, features)  # type: ignore[arg-type]

    def counting_rank(ranker: object, article: Article) -> list[str]:
        ranked.append(article.slug)
        return rank(ranker, article)

    rank = related._Ranker.rank
    monkeypatch.setattr(related, "index_state", counting_index)
    monkeypatch.setattr(related._Ranker, "rank", counting_rank)
    build(site)
    assert (indexed, len(ranked)) == ([6], 6)
    # Below the summary (the first paragraph), with the same words: only the body changed.
    edit_story_2(site, "Cranes idle, harbour.")
    ranked.clear()
    build(site)
    assert (indexed, ranked) == ([6], ["story-2"])
    assert snapshot(site / "_site") == clean_build_of(site, site.parent)


def test_pages_whose_inputs_did_not_change_are_not_even_fingerprinted(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = site_with_articles(make_site)
    built: list[str] = []

    def counting(views: ViewBuilder, article: Article) -> dict[str, object]:
        built.append(article.slug)
        return view(views, article)

    view = ViewBuilder.article
    monkeypatch.setattr(ViewBuilder, "article", counting)
    edit_story_2(site, "Harbour cranes idle.")
    build(site)
    assert len(built) == 6
    built.clear()
    # The same words below the summary: no other page shows anything that changed.
    edit_story_2(site, "Cranes idle, harbour.")
    build(site)
    assert built == ["story-2"]
    built.clear()
    build(site, BuildOptions(output=site / "elsewhere"))  # no record of that folder's pages
    assert len(built) == 6


def test_unreadable_stored_articles_are_read_again(make_site: MakeSite, renders: list[str]) -> None:
    site = site_with_articles(make_site)
    build(site, BuildOptions(output=site / "a"))
    with sqlite3.connect(site / STATE_DIR / CACHE_FILE) as db:
        db.execute("UPDATE blobs SET value = x'00ff' WHERE key LIKE 'article:%story-1%'")
    renders.clear()
    build(site, BuildOptions(output=site / "b"))
    assert [text.strip() for text in renders] == ["Body *1*."]
    assert snapshot(site / "a") == snapshot(site / "b")


@pytest.mark.parametrize("blobs", ["grams:%", "counts:%"])
@pytest.mark.parametrize("edit", ["title", "body"])
def test_unreadable_stored_features_are_computed_again(
    make_site: MakeSite, blobs: str, edit: str
) -> None:
    site = site_with_articles(make_site)
    story = site / "content" / "articles" / "story-1.md"
    story.write_text(article_text(title="Telescope story 1", body="Body.\n\nCranes idle."))
    build(site, BuildOptions(output=site / "a"))
    with sqlite3.connect(site / STATE_DIR / CACHE_FILE) as db:
        db.execute("UPDATE blobs SET value = x'00ff' WHERE key LIKE ?", (blobs,))
    if edit == "title":  # a new story map and related lists: every body's counts are read
        story.write_text(article_text(title="Changed", body="Body.\n\nCranes idle."))
    else:  # related lists updated: the changed body's earlier counts are read
        story.write_text(article_text(title="Telescope story 1", body="Body.\n\nIdle cranes."))
    build(site, BuildOptions(output=site / "a"))
    assert snapshot(site / "a") == clean_build_of(site, site.parent)


def test_a_body_edit_rewrites_only_the_parts_of_the_basis_it_changes(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = site_with_articles(make_site)
    edit_story_2(site, "Harbour cranes idle.")
    build(site)
    written: list[str] = []
    original = ParseCache.put_blob

    def spying(self: ParseCache, key: str, value: bytes, detail: bytes | None = None) -> None:
        written.append(key)
        original(self, key, value, detail)

    monkeypatch.setattr(ParseCache, "put_blob", spying)
    edit_story_2(site, "Cranes idle, harbour.")
    build(site)
    parts = [key for key in written if key.startswith("related:basis:")]
    assert "related:basis" in written and 0 < len(parts) < 48 / 2
    assert snapshot(site / "_site") == clean_build_of(site, site.parent)


@pytest.mark.parametrize("damage", [b"\x00\xff", marshal.dumps({})])
def test_a_damaged_part_of_the_basis_is_never_used(make_site: MakeSite, damage: bytes) -> None:
    site = site_with_articles(make_site)
    edit_story_2(site, "Harbour cranes idle.")
    build(site)
    cache_file = site / STATE_DIR / CACHE_FILE
    with sqlite3.connect(cache_file) as db:  # unreadable, or readable but not what was stored
        db.execute(
            "UPDATE blobs SET value = ? WHERE key LIKE 'related:basis:postings:%'", (damage,)
        )
    with open_cache(site / STATE_DIR) as cache:
        assert StoredRelations(cache).earlier() is None
        cache.keep_entries()
    edit_story_2(site, "Cranes idle, harbour.")
    build(site)
    assert snapshot(site / "_site") == clean_build_of(site, site.parent)


def test_the_garbage_collector_is_paused_only_during_a_build(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = site_with_articles(make_site)
    seen: list[bool] = []
    original = MarkdownRenderer.to_html

    def observing(self: MarkdownRenderer, text: str) -> str:
        seen.append(gc.isenabled())
        return original(self, text)

    monkeypatch.setattr(MarkdownRenderer, "to_html", observing)
    assert gc.isenabled()
    build(site)
    assert seen and not any(seen)
    assert gc.isenabled()


def test_compiled_templates_are_kept_and_an_edited_template_is_compiled_anew(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = site_with_articles(make_site)
    shutil.copytree(BUILTIN_THEMES / "default", site / "themes" / "default")
    build(site)
    compiled = site / STATE_DIR / "templates"
    assert any(compiled.iterdir())
    compiles: list[str] = []
    original = jinja2.Environment.compile

    def counting(self: jinja2.Environment, source: str, *args: object, **kwargs: object) -> object:
        compiles.append(source)
        return original(self, source, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    build(site, BuildOptions(output=site / "other"))
    assert compiles == []
    footer = site / "themes" / "default" / "templates" / "_footer.html"
    footer.write_text(footer.read_text() + "<p>Edited footer</p>\n")
    build(site, BuildOptions(output=site / "other"))
    assert len(compiles) == 1
    footers = parse_html(site / "other" / "index.html").xpath("//p[text()='Edited footer']")
    assert len(footers) == 1
    build(site, BuildOptions(clean=True))  # starts without compiled templates
    assert len(compiles) > 2


def test_a_cache_damaged_inside_is_dropped_and_the_build_runs_clean(make_site: MakeSite) -> None:
    site = site_with_articles(make_site)
    build(site, BuildOptions(output=site / "a"))
    cache = site / STATE_DIR / CACHE_FILE
    data = bytearray(cache.read_bytes())
    # The schema and the meta table (the first pages) stay readable: the cache opens as
    # ours, and the damage shows only when the build reads its entries.
    data[16384:] = b"\xff" * (len(data) - 16384)
    cache.write_bytes(bytes(data))
    story = site / "content" / "articles" / "story-1.md"
    story.write_text(article_text(title="Telescope story 1", body="Body.\n\nEdited."))
    result = build(site, BuildOptions(output=site / "a"))
    assert result.articles == 6 and result.written > 0
    assert snapshot(site / "a") == clean_build_of(site, site.parent)
    with sqlite3.connect(cache) as db:  # a fresh cache in its place
        assert db.execute("SELECT count(*) FROM blobs WHERE key LIKE 'article:%'").fetchone()[0]
