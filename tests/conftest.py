"""Shared fixtures: small sites written from strings."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

from factories import MINIMAL_CONFIG

# CI runs the same examples every time (a failure is reproducible, never flaky); local
# runs explore new ones. No deadline: timings vary with the machine, correctness does not.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

MakeSite = Callable[..., Path]


@pytest.fixture
def make_site(tmp_path: Path) -> MakeSite:
    """Write a site from a mapping of relative path to text; returns the site folder."""

    def make(files: dict[str, str] | None = None, config: str = MINIMAL_CONFIG) -> Path:
        root = tmp_path / "site"
        root.mkdir(exist_ok=True)
        (root / "site.toml").write_text(config, encoding="utf-8")
        for relative, text in (files or {}).items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return root

    return make
