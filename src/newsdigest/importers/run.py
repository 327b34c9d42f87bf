"""``newsdigest import``: sources in, ``content/articles/<date>-<slug>.md`` files out.

Every source gets one outcome (imported, skipped as a duplicate, or failed with a reason);
one bad source never stops the run. Files are written atomically and never overwrite an
existing file unless ``force`` is set.
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Literal

from slugify import slugify

from newsdigest.config import SiteConfig
from newsdigest.content.documents import discover, read_document
from newsdigest.content.markup import MarkdownRenderer, plain_text
from newsdigest.diagnostics import Diagnostic
from newsdigest.importers.base import ExtractionError, ImportedArticle
from newsdigest.importers.boilerplate import Boilerplate
from newsdigest.importers.duplicates import ContentIndex, Known
from newsdigest.importers.feed import extract_feed
from newsdigest.importers.html import extract_html
from newsdigest.importers.markdown_file import read_markdown
from newsdigest.importers.markdown_out import front_matter, render_article
from newsdigest.importers.sources import Format, RawSource, collect, detect_format
from newsdigest.importers.text import clean_lines, extract_text, words
from newsdigest.locking import site_lock
from newsdigest.textnorm import normalise_title, title_slug

Status = Literal["imported", "skipped", "failed"]
SLUG_MAX_LENGTH = 60
TEMPORARY_SUFFIX = ".import-tmp"
# Short lines that several pages of one run share are the aggregator's interface.
REPEATED_LINE_MAX_WORDS = 8


@dataclass(frozen=True, slots=True)
class ImportOptions:
    target: Path
    """The folder articles are written to (``content/articles``)."""
    format: Format | Literal["auto"] = "auto"
    dry_run: bool = False
    force: bool = False


@dataclass(frozen=True, slots=True)
class Outcome:
    origin: str
    status: Status
    message: str
    path: Path | None = None
    article: ImportedArticle | None = None
    text: str | None = None
    """The Markdown file as written (or as it would be, in a dry run)."""
    warnings: tuple[str, ...] = ()


@dataclass
class _Extracted:
    raw: RawSource
    format: Format
    articles: list[ImportedArticle] = field(default_factory=list)
    markdown: str | None = None
    problem: str | None = None
    text: str | None = None
    """The decoded text of text and Markdown sources, kept for the second pass."""


def import_sources(
    root: Path,
    config: SiteConfig,
    arguments: Sequence[str],
    options: ImportOptions,
    *,
    today: Callable[[], date] = date.today,
    on_wait: Callable[[str], None] | None = None,
) -> list[Outcome]:
    with site_lock(root, on_wait):
        remove_stale_temporaries(options.target)
        return _import(root, config, arguments, options, today)


def _import(
    root: Path,
    config: SiteConfig,
    arguments: Sequence[str],
    options: ImportOptions,
    today: Callable[[], date],
) -> list[Outcome]:
    writer = _Writer(root, index_existing(root, options.target), options, today)
    sources = collect(list(arguments), max_bytes=config.import_.max_bytes)
    outcomes = []
    for item in extract_all(sources, config, options):
        if item.problem is not None:
            outcomes.append(Outcome(item.raw.origin, "failed", item.problem))
            continue
        for article in item.articles:
            outcomes.append(writer.write(article, item.markdown))
    return outcomes


def extract_all(
    sources: Iterable[RawSource], config: SiteConfig, options: ImportOptions
) -> list[_Extracted]:
    """Extract every source; text pages twice, the second time without the lines that
    several pages of this run repeat (an aggregator's interface)."""
    boilerplate = Boilerplate(config.import_.boilerplate)
    items = []
    for raw in sources:
        kind = (
            options.format
            if options.format != "auto"
            else detect_format(raw.data or b"", raw.origin)
        )
        item = _Extracted(raw, kind, problem=raw.problem)
        if item.problem is None:
            _extract(item, config, boilerplate)
        items.append(item)
    texts = [i for i in items if i.format == "text" and i.problem is None]
    repeated = repeated_lines(texts)
    if repeated:
        for item in texts:
            _extract(item, config, boilerplate.with_lines(repeated))
    return items


def _extract(item: _Extracted, config: SiteConfig, boilerplate: Boilerplate) -> None:
    data, origin = item.raw.data or b"", item.raw.origin
    try:
        if item.format == "html":
            item.articles = [extract_html(data, origin=origin, base_url=item.raw.url)]
        elif item.format == "feed":
            item.articles = extract_feed(data, origin=origin)
        else:
            text = item.text = item.text if item.text is not None else decode_text(data)
            if item.format == "markdown":
                item.articles = [read_markdown(text, origin=origin, config=config)]
                item.markdown = text
            else:
                item.articles = [extract_text(text, origin=origin, boilerplate=boilerplate)]
    except ExtractionError as exc:
        item.problem = str(exc)


def decode_text(data: bytes) -> str:
    if not data.strip():
        raise ExtractionError("the file is empty")
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ExtractionError("this is a binary file, not text")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ExtractionError(f"undecodable bytes on line {line}: save the file as UTF-8") from None


def repeated_lines(items: Sequence[_Extracted]) -> set[str]:
    """Short lines found in two or more pages that are not a headline, outlet, byline or
    related story of any of them (short body lines shared by pages are interface text)."""
    if len(items) < 2:
        return set()
    protected: set[str] = set()
    counts: Counter[str] = Counter()
    for item in items:
        for article in item.articles:
            protected.update(
                normalise_title(t)
                for t in (
                    article.title,
                    article.source or "",
                    article.author or "",
                )
            )
            for mention in article.related:
                protected.update(normalise_title(t or "") for t in (mention.title, mention.source))
        lines = clean_lines(item.text or "")
        counts.update({line for line in lines if 0 < words(line) <= REPEATED_LINE_MAX_WORDS})
    return {line for line, n in counts.items() if n >= 2 and normalise_title(line) not in protected}


def index_existing(root: Path, target: Path) -> ContentIndex:
    """What the site already holds, for duplicate checks (front matter and body text)."""
    index = ContentIndex()
    renderer = MarkdownRenderer(smart_punctuation=False)
    folder = target.relative_to(root) if target.is_relative_to(root) else target
    for found in discover(root, str(folder)):
        path = Path(found)
        document = read_document(root, path)
        if isinstance(document, Diagnostic):
            continue
        meta = document.front.meta
        index.add(
            Known(
                slug=slugify(document.stem),
                path=path,
                url=str(meta["url"]) if meta.get("url") else None,
                title=str(meta.get("title", "")),
                source=str(meta.get("source", "")),
                body=plain_text(renderer.to_html(document.front.body)),
                duplicate_of=str(meta["duplicate_of"]) if meta.get("duplicate_of") else None,
            )
        )
    return index


class _Writer:
    """Turns extracted articles into files, keeping the duplicate index up to date."""

    def __init__(
        self, root: Path, index: ContentIndex, options: ImportOptions, today: Callable[[], date]
    ) -> None:
        self.root, self.index, self.options, self.today = root, index, options, today

    def write(self, article: ImportedArticle, markdown: str | None) -> Outcome:
        source = article.source or "Unknown source"
        same = self.index.same_article(article.url, article.title, source)
        if same is not None and not self.options.force:
            basis = "URL" if article.url and same.url else "title and source"
            message = f"already in the site as {same.slug} (same {basis})"
            return Outcome(article.origin, "skipped", message, article=article)
        body = "\n".join(article.paragraphs)
        original = self.index.original_of(article.title, body)
        duplicate_of = (
            original.slug if original and (same is None or original is not same) else None
        )
        when, warnings = self._date(article)
        if markdown is None:
            source_file = _source_file(self.root, article.origin)
            meta = front_matter(
                article, when=when, source_file=source_file, duplicate_of=duplicate_of
            )
            markdown = render_article(meta, article.paragraphs)
        stem = _file_stem(article.title, when)
        path = same.path if same is not None else self._store(stem, markdown)
        if same is not None and not self.options.dry_run:
            write_new(path, markdown, overwrite=True)
        self.index.add(
            Known(path.stem, path, article.url, article.title, source, body, duplicate_of)
        )
        message = f"syndicated copy of {duplicate_of}" if duplicate_of else ""
        return Outcome(article.origin, "imported", message, path, article, markdown, warnings)

    def _store(self, stem: str, markdown: str) -> Path:
        """Write a new file named after ``stem`` (numbered if taken); return its path."""
        while True:
            path = _free_path(self.options.target, stem)
            if self.options.dry_run:
                return path
            try:
                write_new(path, markdown, overwrite=False)
                return path
            except FileExistsError:  # another process took the name since we looked
                continue

    def _date(self, article: ImportedArticle) -> tuple[date | datetime, tuple[str, ...]]:
        if article.date is not None:
            return article.date, ()
        note = "the page gives no publication date: used today's date, check 'date:'"
        return self.today(), (note,)


def _file_stem(title: str, when: date | datetime) -> str:
    day = when.date() if isinstance(when, datetime) else when
    slug = title_slug(title, SLUG_MAX_LENGTH) or "article"
    return f"{day.isoformat()}-{slug}"


def _free_path(folder: Path, stem: str) -> Path:
    """``stem.md``, or ``stem-2.md``... when another article already has that name."""
    candidate, counter = folder / f"{stem}.md", 1
    while candidate.exists():
        counter += 1
        candidate = folder / f"{stem}-{counter}.md"
    return candidate


def remove_stale_temporaries(folder: Path) -> None:
    """Temporary files of an import that was killed before it could clean up."""
    if folder.is_dir():
        for leftover in folder.glob(f".*{TEMPORARY_SUFFIX}"):
            leftover.unlink(missing_ok=True)


def write_new(path: Path, text: str, *, overwrite: bool) -> None:
    """Write through a temporary file: readers never see half a file, and without
    ``overwrite`` an existing file is never replaced (the link fails instead)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=TEMPORARY_SUFFIX
    )
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        if overwrite:
            os.replace(temporary, path)
        else:
            os.link(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _source_file(root: Path, origin: str) -> str:
    path = Path(origin)
    if origin != "-" and path.exists():
        resolved = path.resolve()
        return resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else origin
    return origin
