"""Importing into a site: files written, duplicates skipped, syndicated copies marked, bad
input refused without stopping the run, nothing overwritten."""

from __future__ import annotations

import http.server
import shutil
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import yaml

from newsdigest.config import load_config
from newsdigest.content.articles import load_articles
from newsdigest.importers.run import ImportOptions, Outcome, import_sources

from conftest import MakeSite
from examples import EXAMPLES, SEED
from factories import article_text

SOURCES = EXAMPLES / "sources"


def run(site: Path, *arguments: str, **options: object) -> list[Outcome]:
    settings = ImportOptions(site / "content" / "articles", **options)  # type: ignore[arg-type]
    return import_sources(
        site, load_config(site), list(arguments), settings, today=lambda: date(2025, 12, 1)
    )


def front(path: Path) -> dict[str, object]:
    meta: dict[str, object] = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
    return meta


def test_a_text_page_becomes_a_dated_article_file(make_site: MakeSite) -> None:
    site = make_site()
    (outcome,) = run(site, str(SOURCES / "wiredesk-grid-heat.txt"))
    assert outcome.status == "imported"
    assert outcome.path is not None
    assert (
        outcome.path.name
        == "2025-07-22-heat-wave-pushes-japans-power-grid-to-the-limit-as-reserve.md"
    )
    meta = front(outcome.path)
    assert (
        meta["title"] == "Heat wave pushes Japan's power grid to the limit as reserve margins thin"
    )
    assert meta["date"] == date(2025, 7, 22)
    assert meta["source"] == "Northern Dispatch"
    assert meta["author"] == "Kenji Watanabe and Laura Brenner"
    assert meta["source_file"] == str(SOURCES / "wiredesk-grid-heat.txt")
    assert len(meta["related"]) == 3  # type: ignore[arg-type]
    articles, problems = load_articles(site, load_config(site))
    assert [p for p in problems if p.is_error] == []
    assert articles[0].body.text.startswith("Japan's grid operators asked households")


def test_the_whole_example_folder_imports_with_one_syndicated_copy(make_site: MakeSite) -> None:
    site = make_site()
    outcomes = run(site, str(SOURCES))
    by_name = {Path(o.origin).stem: o for o in outcomes}
    assert {n for n, o in by_name.items() if o.status == "failed"} == {
        "empty",
        "daily8-boilerplate-only",
    }
    kansai, pacific = by_name["daily8-magnet-plant-kansai"], by_name["daily8-magnet-plant-pacific"]
    assert kansai.path is not None and pacific.path is not None
    assert front(pacific.path)["duplicate_of"] == kansai.path.stem
    assert "duplicate_of" not in front(kansai.path)
    copies = [o for o in outcomes if o.path and "duplicate_of" in front(o.path)]
    assert copies == [pacific]
    undated = by_name["newsharbor-osaka-marathon"]
    assert undated.warnings and front(undated.path)["date"] == date(2025, 12, 1)  # type: ignore[arg-type]
    articles, problems = load_articles(site, load_config(site))
    assert [p for p in problems if p.is_error] == []
    assert len(articles) == 10


def test_importing_again_skips_duplicates_and_never_overwrites(make_site: MakeSite) -> None:
    site = make_site()
    (first,) = run(site, str(SOURCES / "daily8-cafe-shade.txt"))
    assert first.path is not None
    first.path.write_text(first.path.read_text() + "\nAn editor's note.\n")
    edited = first.path.read_text()
    (again,) = run(site, str(SOURCES / "daily8-cafe-shade.txt"))
    assert again.status == "skipped" and "same title and source" in again.message
    assert first.path.read_text() == edited
    (forced,) = run(site, str(SOURCES / "daily8-cafe-shade.txt"), force=True)
    assert forced.status == "imported" and forced.path == first.path
    assert "An editor's note." not in first.path.read_text()


def test_same_url_counts_as_the_same_article(make_site: MakeSite) -> None:
    site = make_site(
        {
            "content/articles/mine.md": article_text(
                url="https://WWW.meridianledger.example/science/2025/11/18/fusion-startup-claims-record-plasma-run-at/?utm_source=x"
            )
        }
    )
    (outcome,) = run(site, str(SOURCES / "meridian-fusion-record.html"))
    assert outcome.status == "skipped" and "mine" in outcome.message and "URL" in outcome.message


def test_dry_run_writes_nothing(make_site: MakeSite) -> None:
    site = make_site()
    (outcome,) = run(site, str(SOURCES / "newsharbor-ai-code.txt"), dry_run=True)
    assert outcome.status == "imported" and outcome.text and outcome.text.startswith("---\ntitle:")
    assert not (site / "content" / "articles").exists() or not any(
        (site / "content" / "articles").iterdir()
    )


def test_bad_sources_fail_with_a_reason_and_the_run_goes_on(
    make_site: MakeSite, tmp_path: Path
) -> None:
    site = make_site()
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "binary.txt").write_bytes(b"\x00\x01\x02garbage\x00")
    (bad / "latin1.txt").write_bytes("Caf\xe9 story\n".encode("latin-1"))
    (bad / "huge.txt").write_bytes(b"x" * 6_000_001)
    (bad / "truncated.html").write_bytes(b"<html><head><title>Cut")
    shutil.copy(SOURCES / "newsharbor-ai-code.txt", bad / "good.txt")
    outcomes = {Path(o.origin).name: o for o in run(site, str(bad), str(tmp_path / "missing.txt"))}
    assert outcomes["good.txt"].status == "imported"
    reasons = {name: o.message for name, o in outcomes.items() if o.status == "failed"}
    assert "binary" in reasons["binary.txt"]
    assert "UTF-8" in reasons["latin1.txt"]
    assert "larger than the import limit" in reasons["huge.txt"]
    assert reasons["truncated.html"]
    assert "no such file" in reasons["missing.txt"]
    written = list((site / "content" / "articles").iterdir())
    assert [p.name for p in written] == [outcomes["good.txt"].path.name]  # type: ignore[union-attr]


def test_markdown_with_front_matter_is_validated_and_copied(
    make_site: MakeSite, tmp_path: Path
) -> None:
    site = make_site()
    good = tmp_path / "note.md"
    good.write_text(article_text(title="Hand written", body="Body *with* Markdown."))
    broken = tmp_path / "broken.md"
    broken.write_text(article_text(date="someday"))
    outcomes = {Path(o.origin).name: o for o in run(site, str(good), str(broken))}
    assert outcomes["note.md"].path is not None
    assert outcomes["note.md"].path.read_text() == good.read_text()
    assert (
        outcomes["broken.md"].status == "failed"
        and "'date' is not a date" in outcomes["broken.md"].message
    )


def test_lines_repeated_across_pages_of_a_run_are_dropped(
    make_site: MakeSite, tmp_path: Path
) -> None:
    promo = "Become a Pocketwire member today"
    pages = tmp_path / "pages"
    pages.mkdir()
    for n, topic in enumerate(["harbour cranes", "night trains", "rice prices"]):
        paragraphs = [
            f"Paragraph {i} about {topic} carries enough words to count as real running prose."
            for i in range(3)
        ]
        (pages / f"{n}.txt").write_text(
            "\n".join([f"Story about {topic} today", paragraphs[0], promo + ".", *paragraphs[1:]])
        )
    outcomes = run(site := make_site(), str(pages))
    for outcome in outcomes:
        assert outcome.article is not None
        assert promo + "." not in outcome.article.paragraphs
        assert len(outcome.article.paragraphs) == 3
    assert site


@pytest.fixture
def local_server(tmp_path: Path) -> Iterator[str]:
    root = tmp_path / "www"
    root.mkdir()
    shutil.copy(SOURCES / "meridian-wheat-prices.html", root / "wheat.html")

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            super().__init__(*args, directory=str(root), **kwargs)

        def do_GET(self) -> None:
            if self.path == "/moved":
                self.send_response(302)
                self.send_header("Location", "/wheat.html")
                self.end_headers()
                return
            self.server.user_agents.append(self.headers["User-Agent"])  # type: ignore[attr-defined]
            super().do_GET()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.user_agents = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    assert all(agent.startswith("newsdigest/") for agent in server.user_agents)  # type: ignore[attr-defined]
    server.shutdown()
    server.server_close()


def test_urls_are_fetched_following_redirects(make_site: MakeSite, local_server: str) -> None:
    site = make_site()
    (outcome,) = run(site, f"{local_server}/moved")
    assert outcome.status == "imported", outcome.message
    assert outcome.article is not None
    assert outcome.article.title == "Wheat prices slide as Black Sea harvest beats forecasts"
    (missing,) = run(site, f"{local_server}/nothing-here")
    assert missing.status == "failed" and "could not fetch" in missing.message


def test_seed_page_imports_when_shared_exists(make_site: MakeSite) -> None:
    if not SEED.is_file():
        pytest.skip("../shared is not present")
    (outcome,) = run(make_site(), str(SEED))
    assert outcome.status == "imported" and outcome.path is not None
    assert front(outcome.path)["source"] == "Japan Times"


def test_write_new_never_replaces_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    from newsdigest.importers.run import write_new

    target = tmp_path / "a.md"
    write_new(target, "first", overwrite=False)
    with pytest.raises(FileExistsError):
        write_new(target, "second", overwrite=False)
    assert target.read_text() == "first"
    write_new(target, "third", overwrite=True)
    assert target.read_text() == "third"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]
