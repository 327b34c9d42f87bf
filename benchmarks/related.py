"""Benchmark of the related stage (syndication + stories + ranking) on generated corpora.

Usage: python benchmarks/related.py [--sizes 1000 10000 50000] [--json PATH]
Each size runs in its own process so that peak memory is that size's alone. Besides time
and memory it checks the answers: every planted copy found, no two stories merged, and
precision@5 of computed related articles (same planted topic).
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import generate

from newsdigest.config import RelatedConfig
from newsdigest.structure.related import build_related
from newsdigest.structure.similar import features_of
from newsdigest.structure.stories import build_stories
from newsdigest.structure.syndication import find_copies


def measure(size: int) -> dict[str, float]:
    corpus = generate(size)
    articles = sorted(corpus.articles, key=lambda a: (-a.date.timestamp(), a.slug))
    gc.collect()
    gc.disable()  # as a build does: the stage allocates many long-lived objects
    started = time.perf_counter()
    features = features_of({a.slug: a.body.text for a in articles})
    canonical_of = find_copies(articles, features)
    stories = build_stories(articles, canonical_of)
    related = build_related(articles, canonical_of, stories, RelatedConfig(), features).related
    seconds = time.perf_counter() - started
    gc.enable()
    found = sum(canonical_of.get(copy) == original for copy, original in corpus.copies.items())
    wrong_copies = sum(1 for copy in canonical_of if copy not in corpus.copies)
    merged = 0
    ids_by_story: dict[str, set[int]] = {}
    for key, story_id in corpus.story_of_mention.items():
        ids_by_story.setdefault(stories.of_mention[key], set()).add(story_id)
    merged = sum(len(ids) > 1 for ids in ids_by_story.values())
    hits = total = 0
    for article in articles:
        computed = [i for i in related[article.slug] if i.article_slug][:5]
        total += len(computed)
        topic = corpus.topic_of[article.slug]
        hits += sum(corpus.topic_of[i.article_slug or ""] == topic for i in computed)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "articles": size,
        "seconds": round(seconds, 3),
        "peak_mb": round(peak_mb, 1),
        "copies_planted": len(corpus.copies),
        "copies_found": found,
        "false_copies": wrong_copies,
        "merged_stories": merged,
        "stories": len(stories.stories),
        "precision_at_5": round(hits / total, 4) if total else 0.0,
        "related_per_article": round(sum(len(v) for v in related.values()) / len(related), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--json", type=Path)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.one:
        print(json.dumps(measure(options.one)))
        return
    rows = []
    for size in options.sizes:
        output = subprocess.run(
            [sys.executable, __file__, "--one", str(size)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        rows.append(json.loads(output))
    header = "articles  seconds  peak MB  copies found  false copies  merged  precision@5"
    print(header)
    for row in rows:
        print(
            f"{row['articles']:>8}  {row['seconds']:>7.2f}  {row['peak_mb']:>7.0f}  "
            f"{row['copies_found']:>5}/{row['copies_planted']:<6}  {row['false_copies']:>12}  "
            f"{row['merged_stories']:>6}  {row['precision_at_5']:>11.3f}"
        )
    if len(rows) > 1:
        print(
            f"time ratio {rows[-1]['articles']}/{rows[-2]['articles']}: "
            f"{rows[-1]['seconds'] / rows[-2]['seconds']:.2f}"
        )
    if options.json:
        options.json.write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
