"""The command line as a user meets it: exit codes, messages, summaries, init."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsdigest.cli import main
from newsdigest.render.theme import BUILTIN_THEMES

from conftest import MakeSite
from factories import article_text


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_build_prints_a_one_line_summary(runner: CliRunner, make_site: MakeSite) -> None:
    root = make_site({"content/articles/a.md": article_text(title="Telescope")})
    result = runner.invoke(main, ["build", "--site", str(root)])
    assert result.exit_code == 0, result.output
    (line,) = result.stdout.splitlines()
    assert re.fullmatch(
        r"Built \d+ pages and \d+ feeds \(1 article in 1 issue\) into .+ in [\d.]+ s; "
        r"\d+ files written\.",
        line,
    )
    assert (root / "_site" / "articles" / "a" / "index.html").is_file()


def test_base_url_and_output_options(
    runner: CliRunner, make_site: MakeSite, tmp_path: Path
) -> None:
    root = make_site({"content/articles/a.md": article_text()})
    out = tmp_path / "public"
    result = runner.invoke(
        main,
        [
            "build",
            "--site",
            str(root),
            "--output",
            str(out),
            "--base-url",
            "https://u.github.io/proj",
        ],
    )
    assert result.exit_code == 0, result.output
    assert 'href="/proj/articles/a/"' in (out / "index.html").read_text()


def test_content_errors_exit_1_with_every_problem_and_no_traceback(
    runner: CliRunner, make_site: MakeSite
) -> None:
    root = make_site(
        {
            "content/articles/a.md": "---\ntitle: [broken\n---\n",
            "content/articles/b.md": article_text(date="someday"),
        }
    )
    result = runner.invoke(main, ["build", "--site", str(root)])
    assert result.exit_code == 1
    assert "content/articles/a.md:3: error: invalid YAML front matter" in result.stderr
    assert (
        "content/articles/b.md:3: error: 'date' is not a date: 'someday' (write an ISO date"
        in result.stderr
    )
    assert "Stopped: 2 errors; nothing was written." in result.stderr
    assert "Traceback" not in result.output
    assert not (root / "_site").exists()


def test_a_failed_build_leaves_the_previous_site(runner: CliRunner, make_site: MakeSite) -> None:
    root = make_site({"content/articles/a.md": article_text()})
    assert runner.invoke(main, ["build", "--site", str(root)]).exit_code == 0
    before = (root / "_site" / "index.html").read_bytes()
    (root / "content" / "articles" / "b.md").write_text("not an article")
    assert runner.invoke(main, ["build", "--site", str(root)]).exit_code == 1
    assert (root / "_site" / "index.html").read_bytes() == before


def test_config_errors_exit_2(runner: CliRunner, make_site: MakeSite) -> None:
    root = make_site(config='title = "x"\n[isues]\ncadence = "weekly"\n')
    result = runner.invoke(main, ["build", "--site", str(root)])
    assert result.exit_code == 2
    assert "site.toml:2: error: isues: unknown setting (did you mean 'issues'?)" in result.stderr


def test_missing_site_exits_2_with_a_hint(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["build", "--site", str(tmp_path)])
    assert result.exit_code == 2
    assert "newsdigest init" in result.stderr


def test_usage_errors_exit_2(runner: CliRunner) -> None:
    assert runner.invoke(main, ["build", "--no-such-flag"]).exit_code == 2


def test_warnings_are_printed_and_counted(runner: CliRunner, make_site: MakeSite) -> None:
    root = make_site({"content/articles/a.md": article_text(colour="blue")})
    result = runner.invoke(main, ["build", "--site", str(root)])
    assert result.exit_code == 0
    assert "content/articles/a.md:5: warning: unknown front matter key 'colour'" in result.stderr
    assert result.stdout.strip().endswith("1 warning.")


def test_init_creates_a_site_that_builds(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "mydigest"
    result = runner.invoke(main, ["init", str(target)])
    assert result.exit_code == 0, result.output
    for name in (
        "site.toml",
        "content/articles/welcome.md",
        "content/issues/1.md",
        "content/pages/about.md",
        "themes/default/templates/base.html",
        "themes/default/static/style.css",
    ):
        assert (target / name).is_file(), name
    built = runner.invoke(main, ["build", "--site", str(target)])
    assert built.exit_code == 0, built.output
    assert "warning" not in built.stderr
    assert (target / "_site" / "about" / "index.html").is_file()
    assert (target / "_site" / "articles" / "welcome" / "index.html").is_file()


def test_init_refuses_a_folder_with_files(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me")
    result = runner.invoke(main, ["init", str(tmp_path)])
    assert result.exit_code == 2
    assert (tmp_path / "notes.txt").read_text() == "keep me"


def test_site_theme_overrides_the_builtin_one(runner: CliRunner, make_site: MakeSite) -> None:
    root = make_site({"content/articles/a.md": article_text()})
    theme = root / "themes" / "default"
    shutil.copytree(BUILTIN_THEMES / "default", theme)
    (theme / "templates" / "404.html").write_text(
        '{% extends "base.html" %}{% block content %}<h1>Lost at sea</h1>{% endblock %}'
    )
    assert runner.invoke(main, ["build", "--site", str(root)]).exit_code == 0
    assert "Lost at sea" in (root / "_site" / "404.html").read_text()


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0 and "newsdigest" in result.output
