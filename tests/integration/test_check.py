"""``newsdigest check`` on real builds, and on builds broken on purpose."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from newsdigest.cli import main

from conftest import MakeSite
from factories import article_text


def built(make_site: MakeSite) -> Path:
    site = make_site(
        {
            "content/articles/a.md": article_text(
                title="Telescope news", body="See [about](/about/)."
            ),
            "content/articles/b.md": article_text(title="League match", date="2025-06-20"),
            "content/pages/about.md": "---\ntitle: About\n---\n\nAbout us.\n",
        }
    )
    assert CliRunner().invoke(main, ["build", "--site", str(site)]).exit_code == 0
    return site


def check(site: Path, *extra: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["check", "--site", str(site), *extra])


def test_a_fresh_build_passes(make_site: MakeSite) -> None:
    result = check(built(make_site))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith(": 0 errors, 0 warnings.")


def test_a_commit_left_by_a_killed_build_is_finished_first(make_site: MakeSite) -> None:
    site = built(make_site)
    about = site / "_site" / "about" / "index.html"
    staged = site / "._site.staging" / "about" / "index.html"
    staged.parent.mkdir(parents=True)
    staged.write_bytes(about.read_bytes())
    about.unlink()  # the kill came between the commit record and this rename
    (site / "._site.commit").write_text("[]")
    result = check(site)
    assert result.exit_code == 0, result.output
    assert about.is_file() and not (site / "._site.commit").exists()


def test_broken_links_and_anchors_are_reported_with_lines(make_site: MakeSite) -> None:
    site = built(make_site)
    page = site / "_site" / "about" / "index.html"
    text = page.read_text().replace(
        "<p>About us.</p>", '<p>About <a href="/missing/">x</a>\n<a href="#nowhere">y</a></p>'
    )
    page.write_text(text)
    result = check(site)
    assert result.exit_code == 1
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if "/missing/" in row)
    assert f"about/index.html:{line}: error: broken link: /missing/" in result.stderr
    assert (
        "about/index.html:" in result.stderr
        and "link to a missing anchor: #nowhere" in result.stderr
    )


def test_feed_rules_are_checked(make_site: MakeSite) -> None:
    site = built(make_site)
    feed = site / "_site" / "articles.xml"
    text = feed.read_text()
    text = text.replace('rel="self"', 'rel="alternate"')
    text = text.replace("<link>https://example.org/articles/a/</link>", "<link>/articles/a/</link>")
    text = text.replace(
        "https://example.org/articles/b/</guid>", "https://example.org/articles/a/</guid>"
    )
    feed.write_text(text)
    result = check(site)
    assert result.exit_code == 1
    assert 'articles.xml: error: no rel="self" link' in result.stderr
    assert "articles.xml: error: item link is not absolute: '/articles/a/'" in result.stderr
    assert "articles.xml: error: missing or repeated GUID" in result.stderr


def test_a_build_for_another_address_is_one_clear_error(make_site: MakeSite) -> None:
    site = built(make_site)
    CliRunner().invoke(main, ["build", "--site", str(site), "--base-url", "http://127.0.0.1:9/x/"])
    result = check(site)
    assert result.exit_code == 1
    assert "the site was built for http://127.0.0.1:9/x/" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert check(site, "--base-url", "http://127.0.0.1:9/x/").exit_code == 0


def test_content_errors_come_first(make_site: MakeSite) -> None:
    site = built(make_site)
    (site / "content" / "articles" / "c.md").write_text(article_text(date="soon"))
    result = check(site)
    assert result.exit_code == 1
    assert "content/articles/c.md:3: error: 'date' is not a date" in result.stderr


def test_without_a_build_there_is_a_hint(make_site: MakeSite) -> None:
    result = check(make_site({"content/articles/a.md": article_text()}))
    assert result.exit_code == 1
    assert "run 'newsdigest build' first" in result.stderr
