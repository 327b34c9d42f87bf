"""Nothing is read from outside the site or written outside the output folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from newsdigest.build import BuildOptions, build
from newsdigest.cli import main
from newsdigest.config import load_config
from newsdigest.content.articles import load_articles
from newsdigest.render.plan import find_collisions

from conftest import MakeSite
from factories import article_text


def test_links_to_files_outside_the_site_are_not_followed(
    make_site: MakeSite, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text(article_text(title="Private notes"))
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "b.md").write_text(article_text(title="Linked folder"))
    site = make_site({"content/articles/a.md": article_text(title="Real article")})
    (site / "content" / "articles" / "link.md").symlink_to(secret)
    (site / "content" / "articles" / "folder").symlink_to(outside, target_is_directory=True)
    articles, diagnostics = load_articles(site, load_config(site))
    assert [a.title for a in articles] == ["Real article"]
    assert {d.code for d in diagnostics} == {"content-outside-link"}
    assert all(not d.is_error for d in diagnostics)


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Ｆｕｌｌｗｉｄｔｈ Ｈｅａｄｌｉｎｅ.md", "fullwidth-headline"),
        ("раѕѕwоrd.md", "radzdzword"),  # Cyrillic look-alikes, transliterated
        ("a" * 200 + ".md", "a" * 80),
        ("CON.md", "con"),
        ("!!!.md", "article"),
    ],
)
def test_file_names_become_safe_slugs(make_site: MakeSite, name: str, slug: str) -> None:
    site = make_site()
    folder = site / "content" / "articles"
    folder.mkdir(parents=True)
    target = folder / name
    target.write_text(article_text())
    (article,), _ = load_articles(site, load_config(site))
    assert article.slug == slug
    result = build(site, BuildOptions(output=site / "out"))
    written = {p.resolve() for p in (site / "out").rglob("*")}
    assert all(p.is_relative_to((site / "out").resolve()) for p in written)
    assert (site / "out" / "articles" / slug / "index.html").is_file()
    assert result.articles == 1


def test_output_collisions_are_reported_before_anything_is_written() -> None:
    problems = find_collisions(
        [("about/index.html", "content/pages/about.md"), ("about/index.html", "topic about")]
    )
    assert [(p.path, p.code) for p in problems] == [("topic about", "output-collision")]


def test_content_files_over_the_size_limit_are_refused(make_site: MakeSite) -> None:
    config = 'title = "x"\n[articles]\nmax_bytes = 2000\n'
    site = make_site({"content/articles/big.md": article_text(body="word " * 1000)}, config=config)
    result = CliRunner().invoke(main, ["build", "--site", str(site)])
    assert result.exit_code == 1
    assert "content/articles/big.md: error: the file is larger than the limit" in result.stderr
    assert "[articles] max_bytes" in result.stderr


def test_unexpected_errors_show_a_traceback_only_with_debug(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site({"content/articles/a.md": article_text()})

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr("newsdigest.pipeline.plan_pages", broken)
    plain = CliRunner().invoke(main, ["build", "--site", str(site)])
    assert plain.exit_code == 1
    assert "internal error: RuntimeError: simulated bug" in plain.stderr
    assert "Traceback" not in plain.output
    debug = CliRunner().invoke(main, ["--debug", "build", "--site", str(site)])
    assert isinstance(debug.exception, RuntimeError)
