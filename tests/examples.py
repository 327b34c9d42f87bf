"""The sample pages with their expected extraction (tests/fixtures/examples), plus the seed
page read from ../shared when that folder exists (it may not be copied into the repo)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLES = FIXTURES / "examples"
SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "seeds" / "seed-daily8-japan-us.txt"
SEED_EXPECTED = SHARED / "examples" / "expected" / "seed-daily8-japan-us.json"


def example_pages(suffix: str) -> list[tuple[Path, Path]]:
    """(source, expected JSON) pairs for the pages with ``suffix``, seed included if present."""
    pairs = [
        (source, EXAMPLES / "expected" / f"{source.stem}.json")
        for source in sorted((EXAMPLES / "sources").glob(f"*{suffix}"))
    ]
    if suffix == ".txt" and SEED.is_file() and SEED_EXPECTED.is_file():
        pairs.append((SEED, SEED_EXPECTED))
    return pairs


def expected(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def word_f1(got: list[str], want: list[str]) -> float:
    """Word-level F1 of two paragraph lists (bags of lowercase words)."""
    tokens = lambda text: Counter(re.findall(r"\w+", text.lower()))  # noqa: E731
    a, b = tokens(" ".join(got)), tokens(" ".join(want))
    overlap = sum((a & b).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(a.values()), overlap / sum(b.values())
    return 2 * precision * recall / (precision + recall)
