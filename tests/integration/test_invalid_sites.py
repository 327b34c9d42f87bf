"""Broken sites in tests/fixtures/invalid/: each must fail with exactly the diagnostics in
its expected.txt (sorted), the right exit status, and without writing anything."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsdigest.cli import main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "invalid"
EXIT_STATUS = {"content-errors": 1, "bad-config": 2}


@pytest.mark.parametrize("name", sorted(EXIT_STATUS))
def test_invalid_site_reports_every_problem(name: str, tmp_path: Path) -> None:
    site = tmp_path / name
    shutil.copytree(FIXTURES / name, site)
    result = CliRunner().invoke(main, ["build", "--site", str(site)])
    assert result.exit_code == EXIT_STATUS[name], result.output
    reported = sorted(line for line in result.stderr.splitlines() if ": error: " in line)
    expected = (site / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert reported == expected
    assert "Traceback" not in result.output
    assert not (site / "_site").exists()


def test_every_fixture_is_exercised() -> None:
    assert sorted(p.name for p in FIXTURES.iterdir()) == sorted(EXIT_STATUS)
