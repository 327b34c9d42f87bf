"""``newsdigest import`` from the command line: lines per source, summary, exit status."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from newsdigest.cli import main

from conftest import MakeSite
from examples import EXAMPLES

SOURCES = EXAMPLES / "sources"


def invoke(site: Path, *arguments: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, ["import", "--site", str(site), *arguments])


def test_import_reports_each_source_and_a_summary(make_site: MakeSite) -> None:
    site = make_site()
    result = invoke(site, str(SOURCES / "newsharbor-ai-code.txt"), str(SOURCES / "empty.txt"))
    assert result.exit_code == 1
    assert "imported " in result.stdout and "2025-09-04-brussels-big-tech" in result.stdout
    assert f"failed    {SOURCES / 'empty.txt'}: the file is empty" in result.stderr
    assert result.stdout.strip().splitlines()[-1] == "imported 1, skipped 0 duplicates, failed 1"
    again = invoke(site, str(SOURCES / "newsharbor-ai-code.txt"))
    assert again.exit_code == 0
    assert again.stdout.strip().splitlines()[-1] == "imported 0, skipped 1 duplicates, failed 0"


def test_stdout_prints_without_writing(make_site: MakeSite) -> None:
    site = make_site()
    page = str(SOURCES / "wiredesk-grid-heat.txt")
    markdown = invoke(site, "--stdout", page)
    assert markdown.exit_code == 0 and markdown.stdout.startswith("---\ntitle: Heat wave pushes")
    text = invoke(site, "--stdout", "--stdout-format", "text", page)
    assert text.stdout.startswith("Japan's grid operators asked households")
    fields = json.loads(invoke(site, "--stdout", "--stdout-format", "json", page).stdout)
    assert fields["author"] == "Kenji Watanabe and Laura Brenner"
    assert not (site / "content" / "articles").exists()


def test_dry_run_lists_what_would_be_written(make_site: MakeSite) -> None:
    site = make_site()
    result = invoke(site, "--dry-run", str(SOURCES / "daily8-cafe-shade.txt"))
    assert result.exit_code == 0
    assert "would write" in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("would import 1")
    assert not (site / "content" / "articles").exists()


def test_import_then_build(make_site: MakeSite) -> None:
    site = make_site()
    assert invoke(site, str(SOURCES)).exit_code == 1  # two example pages must fail
    built = CliRunner().invoke(main, ["build", "--site", str(site)])
    assert built.exit_code == 0, built.output
    page = site / "_site" / "articles"
    assert len(list(page.iterdir())) == 10


def test_unknown_format_is_a_usage_error(make_site: MakeSite) -> None:
    assert invoke(make_site(), "--format", "pdf", "x").exit_code == 2


def test_standard_input_is_a_source(make_site: MakeSite) -> None:
    site = make_site()
    page = (SOURCES / "newsharbor-ai-code.txt").read_bytes()
    result = CliRunner().invoke(main, ["import", "--site", str(site), "-"], input=page)
    assert result.exit_code == 0, result.output
    (written,) = (site / "content" / "articles").iterdir()
    meta = yaml.safe_load(written.read_text().split("---\n")[1])
    assert (meta["source_file"], meta["source"]) == ("-", "Atlas Newswire")
