"""The benchmark scripts still run: their corpus builds, and the related stage finds the
copies it plants (the figures themselves come from ``make bench``)."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest

from newsdigest.build import build

from factories import REPO
from sitecheck import parse_html

sys.path.insert(0, str(REPO / "benchmarks"))

corpus = pytest.importorskip("corpus")
peers = pytest.importorskip("peers")
related = pytest.importorskip("related")


def test_the_generated_corpus_builds_with_its_planted_copies(tmp_path: Path) -> None:
    generated = corpus.generate(40)
    peers.write_newsdigest(generated, tmp_path)
    result = build(tmp_path)
    assert result.articles == 40 and not result.diagnostics
    copy, original = next(iter(generated.copies.items()))
    page = parse_html(tmp_path / "_site" / "articles" / copy / "index.html")
    (canonical,) = page.xpath("//link[@rel='canonical']/@href")
    assert canonical.endswith(f"/articles/{original}/")


def test_the_related_benchmark_measures_a_small_corpus() -> None:
    figures = related.measure(120)
    assert figures["copies_found"] == figures["copies_planted"] > 0
    assert figures["false_copies"] == 0 and figures["related_per_article"] > 0
    assert gc.isenabled()  # the measurement pauses the collector, as a build does, only
