"""Scores newsdigest's HTML body extraction against plain trafilatura on the ScrapingHub
article-extraction benchmark, with the benchmark's published metric, in one run.

Usage: .venv/bin/python benchmarks/extraction.py [--dataset PATH] [--json PATH] [--worst N]
The dataset is read in place; no page is ever copied into the repository.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import trafilatura

from newsdigest.importers.base import ExtractionError
from newsdigest.importers.html import extract_html

DEFAULT_DATASET = (
    Path(__file__).resolve().parents[1].parent / "shared/datasets/article-extraction-benchmark"
)
SHINGLE_SIZE = 4
_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Page:
    page_id: str
    url: str
    html: bytes
    truth: str


@dataclass(frozen=True, slots=True)
class PageScore:
    precision: float | None
    """``None`` when the extractor returned nothing: such pages are left out of precision."""
    recall: float

    @property
    def f1(self) -> float:
        return harmonic_mean(self.precision or 0.0, self.recall)


@dataclass(frozen=True, slots=True)
class Result:
    extractor: str
    pages: int
    precision: float
    recall: float
    f1: float
    pages_per_second: float


Extractor = Callable[[Page], str]


def newsdigest_body(page: Page) -> str:
    try:
        article = extract_html(page.html, origin=page.page_id, base_url=page.url)
    except ExtractionError:
        return ""
    return "\n".join(article.paragraphs)


def trafilatura_body(page: Page) -> str:
    # As the benchmark's own runners do: the page read as UTF-8 text.
    html_text = page.html.decode("utf-8", errors="replace")
    return trafilatura.extract(html_text, favor_precision=True) or ""


EXTRACTORS: dict[str, Extractor] = {
    "newsdigest": newsdigest_body,
    "trafilatura": trafilatura_body,
}


def load_pages(dataset: Path) -> list[Page]:
    truth = json.loads((dataset / "ground-truth.json").read_text(encoding="utf-8"))
    return [
        Page(
            page_id=page_id,
            url=entry["url"],
            html=gzip.decompress((dataset / "html" / f"{page_id}.html.gz").read_bytes()),
            truth=entry["articleBody"],
        )
        for page_id, entry in sorted(truth.items())
    ]


def shingles(text: str) -> Counter[str]:
    """Lowercased ``\\w+`` tokens in overlapping runs of four; as in the benchmark's own
    code, a text shorter than four tokens is one shorter shingle."""
    tokens = _TOKEN.findall(text.lower())
    if not tokens:
        return Counter()
    last_start = max(1, len(tokens) - SHINGLE_SIZE + 1)
    return Counter(" ".join(tokens[i : i + SHINGLE_SIZE]) for i in range(last_start))


def score_page(output: str, truth: str) -> PageScore:
    predicted, expected = shingles(output), shingles(truth)
    if not predicted:
        return PageScore(precision=None, recall=0.0)
    overlap = (predicted & expected).total()
    return PageScore(precision=overlap / predicted.total(), recall=overlap / expected.total())


def harmonic_mean(a: float, b: float) -> float:
    return 2 * a * b / (a + b) if a + b else 0.0


def run_extractor(extract: Extractor, pages: Sequence[Page]) -> tuple[list[str], float]:
    """Outputs in page order and the pages per second (extraction time only)."""
    started = time.perf_counter()
    outputs = [extract(page) for page in pages]
    return outputs, len(pages) / (time.perf_counter() - started)


def summarise(name: str, scores: Sequence[PageScore], pages_per_second: float) -> Result:
    precisions = [score.precision for score in scores if score.precision is not None]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(score.recall for score in scores) / len(scores)
    return Result(
        extractor=name,
        pages=len(scores),
        precision=precision,
        recall=recall,
        f1=harmonic_mean(precision, recall),
        pages_per_second=pages_per_second,
    )


def format_table(results: Iterable[Result]) -> str:
    lines = [
        f"{'extractor':<12} {'pages':>5} {'precision':>9} {'recall':>7} {'F1':>6} {'pages/s':>8}"
    ]
    lines += [
        f"{r.extractor:<12} {r.pages:>5} {r.precision:>9.4f} {r.recall:>7.4f} {r.f1:>6.4f}"
        f" {r.pages_per_second:>8.1f}"
        for r in results
    ]
    return "\n".join(lines)


def format_worst(pages: Sequence[Page], scores: dict[str, list[PageScore]], count: int) -> str:
    """The pages where newsdigest trails trafilatura most, for finding regressions."""
    gaps = sorted(
        (
            (ours.f1 - theirs.f1, page.page_id, ours.f1, theirs.f1)
            for page, ours, theirs in zip(
                pages, scores["newsdigest"], scores["trafilatura"], strict=True
            )
        ),
    )[:count]
    return "\n".join(
        f"{gap:+.3f}  newsdigest {ours:.3f}  trafilatura {theirs:.3f}  {page_id}"
        for gap, page_id, ours, theirs in gaps
    )


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument(
        "--worst", type=int, default=0, help="list the N pages where newsdigest trails most"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    arguments = parse_arguments(argv)
    pages = load_pages(arguments.dataset)
    scores: dict[str, list[PageScore]] = {}
    results: dict[str, Result] = {}
    for name, extract in EXTRACTORS.items():
        outputs, pages_per_second = run_extractor(extract, pages)
        scores[name] = [
            score_page(out, page.truth) for out, page in zip(outputs, pages, strict=True)
        ]
        results[name] = summarise(name, scores[name], pages_per_second)
    ratio = results["newsdigest"].f1 / results["trafilatura"].f1
    report = [format_table(results.values()), f"F1 ratio newsdigest / trafilatura: {ratio:.4f}"]
    if arguments.worst:
        report.append(format_worst(pages, scores, arguments.worst))
    sys.stdout.write("\n\n".join(report) + "\n")
    if arguments.json:
        figures = {
            "dataset": str(arguments.dataset),
            "f1_ratio": ratio,
            "results": [asdict(result) for result in results.values()],
        }
        arguments.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
