"""Articles: ``content/articles/**/*.md`` become validated, immutable ``Article`` values."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import marshal
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from slugify import slugify

from newsdigest.cache import ParseCache
from newsdigest.config import SiteConfig
from newsdigest.content.documents import Document, Source, discover, parse_source, read_source
from newsdigest.content.fields import FieldReader, is_web_url
from newsdigest.content.markup import MarkdownRenderer, derive_summary, excerpt, plain_text
from newsdigest.diagnostics import (
    ContentError,
    Diagnostic,
    Severity,
    did_you_mean,
    error,
    warning,
)
from newsdigest.model import Article, ArticleBody, BodyParts, BodySource, Mention
from newsdigest.parallel import worker_pool
from newsdigest.report import NullReporter, Reporter

ARTICLES_DIR = "content/articles"
SLUG_MAX_LENGTH = 80
ARTICLE_KEYS = (
    "title",
    "date",
    "source",
    "url",
    "author",
    "summary",
    "topics",
    "tags",
    "issue",
    "related",
    "draft",
    "duplicate_of",
    "source_file",
    "smart_punctuation",
)
MENTION_KEYS = ("title", "source", "summary", "url")
# Stands in for a missing date only while a file's errors are collected; never published.
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def load_articles(
    root: Path,
    config: SiteConfig,
    *,
    include_drafts: bool = False,
    reporter: Reporter | None = None,
    cache: ParseCache | None = None,
    jobs: int = 1,
) -> tuple[tuple[Article, ...], list[Diagnostic]]:
    """Every article of the site (drafts only when asked), and every problem found.

    With a ``cache``, files read by an earlier build are not read again; the others are
    read by ``jobs`` processes when there are enough of them to pay for the processes."""
    diagnostics: list[Diagnostic] = []
    sources: list[Source] = []
    known = _known_files(cache) if cache else None
    for path in discover(root, ARTICLES_DIR):
        source = read_source(root, path, config.articles.max_bytes, known)
        if isinstance(source, Diagnostic):
            diagnostics.append(source)
        else:
            sources.append(source)
    if cache:
        files = {s.path: (s.signature, s.digest) for s in sources if s.signature}
        cache.put_blob(_FILES_KEY, marshal.dumps(files))
    # Front matter is parsed only for files the cache does not hold.
    slugged = assign_slugs(sources, diagnostics)
    settings = _settings_key(config)
    keys = [_article_key(source, settings) for source, _ in slugged]
    stored = cache.get_blobs(keys) if cache else {}
    bodies = CachedBodies(cache, root, config) if cache else None
    results: dict[int, Read] = {}
    for index, (key, (source, slug)) in enumerate(zip(keys, slugged, strict=True)):
        if key not in stored or bodies is None:
            continue
        read = _read_from_blob(stored[key], slug, key, bodies)
        if read is not None:
            results[index] = read
            bodies.files[key] = (source.path, slug)
    work: list[tuple[int, Source]] = []
    for index in range(len(slugged)):
        if index in results:
            continue
        source = _with_text(root, slugged[index][0], config)
        if isinstance(source, Diagnostic):  # it changed into something unreadable just now
            results[index] = None, [source]
        else:
            keys[index] = _article_key(source, settings)  # its bytes may have changed too
            work.append((index, source))
    reads = _read_many([(source, slugged[index][1]) for index, source in work], config, jobs)
    tracked = (reporter or NullReporter()).track(reads, len(work), "Reading articles")
    for (index, _), (article, found) in zip(work, tracked, strict=True):
        if cache:
            cache.put_blob(keys[index], *_read_to_blobs((article, found)))
        if article is not None:
            article = dataclasses.replace(article, source_digest=keys[index])
        results[index] = article, found
    articles = []
    for index in range(len(slugged)):
        article, found = results[index]
        diagnostics.extend(found)
        if article is not None and (include_drafts or not article.draft):
            articles.append(article)
    check_references(articles, diagnostics)
    return tuple(articles), diagnostics


Read = tuple[Article | None, list[Diagnostic]]
_FILES_KEY = "files:articles"
"""Where the signature and digest of each article file are kept for the next build."""


def _known_files(cache: ParseCache) -> dict[str, tuple[str, str]] | None:
    """The signature and digest of each article file the last build read, by path."""
    try:
        known = marshal.loads(cache.get_blobs([_FILES_KEY]).get(_FILES_KEY, b"0"))
    except (EOFError, ValueError, TypeError):
        return None
    if not isinstance(known, dict):
        return None
    if not all(type(v) is tuple and len(v) == 2 for v in known.values()):
        return None
    return known


def _article_key(source: Source, settings: str) -> str:
    return f"article:{source.path}:{source.digest}:{settings}"


def _with_text(root: Path, source: Source, config: SiteConfig) -> Source | Diagnostic:
    """The source with its text, read now if it was recognised by its metadata."""
    if source.text is not None:
        return source
    return read_source(root, root / source.path, config.articles.max_bytes)


# Fewer files than this are read in this process: starting workers would cost more.
PARALLEL_MIN_FILES = 200


def _read_many(work: list[tuple[Source, str]], config: SiteConfig, jobs: int) -> Iterator[Read]:
    if jobs <= 1 or len(work) < PARALLEL_MIN_FILES:
        yield from (_read_one(item, config) for item in work)
        return
    with worker_pool(jobs) as pool:
        chunk = max(1, len(work) // (jobs * 8))
        yield from pool.map(_read_one, work, [config] * len(work), chunksize=chunk)


def _read_one(item: tuple[Source, str], config: SiteConfig) -> Read:
    source, slug = item
    document = parse_source(source)
    if isinstance(document, Diagnostic):
        return None, [document]
    found: list[Diagnostic] = []
    article = read_article(document, slug, config, _renderers(), found)
    return article, found


@functools.cache
def _renderers() -> dict[bool, MarkdownRenderer]:
    """One pair of Markdown instances per process (imported articles keep the outlet's
    punctuation: smart_punctuation false)."""
    return {flag: MarkdownRenderer(smart_punctuation=flag) for flag in (True, False)}


def _read_to_blobs(read: Read) -> tuple[bytes, bytes | None]:
    """A read in marshal's format (the cache loads ten thousand in a twentieth of a
    second): the article without its body's parts, and those parts."""
    article, found = read
    fields = parts = None
    if article is not None:
        values = {name: getattr(article, name) for name in _STORED_FIELDS}
        values["date"] = article.date.isoformat()
        values["mentions"] = tuple(map(tuple, article.mentions))
        values["body"] = (article.body.digest, article.body.words)
        fields = tuple(values.values())
        body = article.body
        parts = marshal.dumps((body.html, body.text, body.excerpt_html))
    return marshal.dumps((fields, [_diag(d) for d in found])), parts


def _read_from_blob(blob: bytes, slug: str, key: str, bodies: BodySource) -> Read | None:
    """The read in a blob, or None if it is unreadable (the file is read again). Its
    body's parts are loaded from ``bodies`` when first used."""
    try:
        fields, found = marshal.loads(blob)
        diagnostics = [Diagnostic(Severity(d[0]), *d[1:]) for d in found]
        if fields is None:
            return None, diagnostics
        values = list(fields)
        if len(values) != len(_STORED_FIELDS):
            return None
        values[_DATE] = datetime.fromisoformat(values[_DATE])
        values[_MENTIONS] = tuple(map(Mention._make, values[_MENTIONS]))
        digest, words = values[_BODY]
        values[_BODY] = ArticleBody.stored(digest, words, bodies, key)
        # Positional: the stored fields are Article's, in order, but for the first and last.
        return Article(slug, *values, key), diagnostics  # type: ignore[call-arg]
    except (EOFError, ValueError, TypeError):
        return None


class CachedBodies:
    """The bodies of articles read from the cache (``BodySource``), by cache key. A
    damaged body is read again from its file."""

    def __init__(self, cache: ParseCache, root: Path, config: SiteConfig) -> None:
        self.cache, self.root, self.config = cache, root, config
        self.files: dict[str, tuple[str, str]] = {}
        """Each body's file and slug, by key."""
        self.process = os.getpid()

    def load(self, keys: list[str]) -> dict[str, BodyParts]:
        if os.getpid() != self.process:
            raise RuntimeError("a forked process cannot read the cache: load bodies before")
        stored = self.cache.get_details(keys)
        return {key: _body_parts(stored.get(key, b"")) or self._read_again(key) for key in keys}

    def _read_again(self, key: str) -> BodyParts:
        path, slug = self.files[key]
        source = read_source(self.root, self.root / path, self.config.articles.max_bytes)
        if isinstance(source, Diagnostic):
            raise ContentError([source])
        article, found = _read_one((source, slug), self.config)
        if article is None:
            raise ContentError(found)
        body = article.body
        return body.html, body.text, body.excerpt_html


def _body_parts(blob: bytes) -> BodyParts | None:
    try:
        parts = marshal.loads(blob)
    except (EOFError, ValueError, TypeError):
        return None
    if isinstance(parts, tuple) and len(parts) == 3 and all(type(p) is str for p in parts):
        return parts
    return None


# Slugs depend on the other files' names, and the digest is the cache key: neither is stored
# (they are Article's first and last fields).
_STORED_FIELDS = tuple(f.name for f in dataclasses.fields(Article))[1:-1]
_DATE, _MENTIONS = _STORED_FIELDS.index("date"), _STORED_FIELDS.index("mentions")
_BODY = _STORED_FIELDS.index("body")


def _settings_key(config: SiteConfig) -> str:
    """A digest of the settings read_article uses: with a file's path and bytes, the cache
    key of its article (the cache itself is wiped when the code version changes)."""
    settings = (
        config.timezone,
        [t.slug for t in config.topics],
        config.articles.summary_words,
        config.articles.display,
        config.articles.excerpt_words,
        config.articles.smart_punctuation,
    )
    return hashlib.sha256(json.dumps(settings).encode()).hexdigest()[:32]


def _diag(d: Diagnostic) -> list[object]:
    return [d.severity.value, d.path, d.line, d.message, d.hint, d.code]


Named = TypeVar("Named", Source, Document)


def slug_of(stem: str) -> str:
    """The slug of a file named ``stem``: most names are slugs already, and slugify costs
    ten milliseconds per thousand."""
    if len(stem) <= SLUG_MAX_LENGTH and _PLAIN_SLUG.fullmatch(stem):
        return stem
    return slugify(stem, max_length=SLUG_MAX_LENGTH) or "article"


_PLAIN_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def assign_slugs(
    documents: Iterable[Named], diagnostics: list[Diagnostic]
) -> list[tuple[Named, str]]:
    """Slug each file from its name; a collision gets ``-2``, ``-3``... in path order."""
    taken: dict[str, str] = {}
    result = []
    for document in documents:
        base = slug_of(document.stem)
        slug, counter = base, 1
        while slug in taken:
            counter += 1
            slug = f"{base}-{counter}"
        if slug != base:
            diagnostics.append(
                warning(
                    document.path,
                    None,
                    f"slug '{base}' is already used by {taken[base]}; published as '{slug}'",
                    "rename one of the files so each has its own slug",
                    "content-slug-collision",
                )
            )
        taken[slug] = document.path
        result.append((document, slug))
    return result


def read_article(
    document: Document,
    slug: str,
    config: SiteConfig,
    renderers: Mapping[bool, MarkdownRenderer],
    diagnostics: list[Diagnostic],
) -> Article | None:
    found: list[Diagnostic] = []
    fields = FieldReader(document, found)
    renderer = renderers[fields.flag("smart_punctuation", config.articles.smart_punctuation)]
    title = fields.text("title", required=True)
    when = fields.when("date", config.zone)
    source = fields.text("source", required=True)
    fields.warn_unknown(ARTICLE_KEYS)
    body_html = renderer.to_html(document.front.body)
    body_text = plain_text(body_html)
    shown = config.articles.display == "excerpt"
    body = ArticleBody(
        body_html, body_text, excerpt(body_html, config.articles.excerpt_words) if shown else ""
    )
    summary = fields.text("summary") or derive_summary(body_text, config.articles.summary_words)
    article = Article(
        slug=slug,
        title=title or "",
        date=when or _EPOCH,
        source=source or "",
        url=fields.url("url"),
        author=fields.text("author"),
        summary=summary,
        topics=read_topics(fields, config),
        tags=fields.words("tags"),
        issue_pin=fields.number("issue"),
        draft=fields.flag("draft"),
        body=body,
        mentions=read_mentions(fields),
        duplicate_of=fields.text("duplicate_of"),
        source_file=fields.text("source_file"),
        source_path=document.path,
    )
    if not body_text and not found:
        found.append(
            warning(
                document.path,
                document.front.body_line,
                "the article has no body text",
                "write the article text below the front matter",
                "content-empty-body",
            )
        )
    diagnostics.extend(found)
    return None if any(d.is_error for d in found) else article


def read_topics(fields: FieldReader, config: SiteConfig) -> tuple[str, ...]:
    known = [t.slug for t in config.topics]
    topics = fields.words("topics")
    for topic in topics:
        if topic not in known:
            fields.fail(
                "topics",
                f"unknown topic '{topic}'",
                did_you_mean(topic, known)
                or f"use the slug of a [[topics]] entry in site.toml: {', '.join(known)}",
                "content-unknown-topic",
            )
    return topics


def read_mentions(fields: FieldReader) -> tuple[Mention, ...]:
    value = fields.meta.get("related")
    if value is None:
        return ()
    hint = "write each entry as '- title: ...' with optional source, summary and url"
    if not isinstance(value, list):
        fields.fail("related", "'related' must be a list of stories", hint, "content-related")
        return ()
    mentions = []
    for index, entry in enumerate(value, start=1):
        if isinstance(entry, str):
            entry = {"title": entry}
        title = entry.get("title") if isinstance(entry, dict) else None
        if not isinstance(title, str) or not title.strip():
            fields.fail("related", f"related entry {index} has no title", hint, "content-related")
            continue
        unknown = [k for k in entry if k not in MENTION_KEYS]
        for key in unknown:
            fields.fail(
                "related",
                f"related entry {index} has an unknown key '{key}'",
                did_you_mean(str(key), MENTION_KEYS) or hint,
                "content-related",
            )
        text = {k: " ".join(str(entry[k]).split()) for k in MENTION_KEYS[1:] if entry.get(k)}
        if "url" in text and not is_web_url(text["url"]):
            fields.fail(
                "related",
                f"related entry {index} has a url that is not an absolute http(s) URL: "
                f"{text['url']!r}",
                "write the full address, starting with https://, or leave the url out",
                "content-related-url",
            )
            continue
        mentions.append(
            Mention(
                " ".join(title.split()), text.get("source"), text.get("summary"), text.get("url")
            )
        )
    return tuple(mentions)


def check_references(articles: list[Article], diagnostics: list[Diagnostic]) -> None:
    """Cross-file check: ``duplicate_of`` names another article."""
    slugs = {a.slug for a in articles}
    for article in articles:
        if article.duplicate_of and article.duplicate_of not in slugs - {article.slug}:
            diagnostics.append(
                error(
                    article.source_path,
                    None,
                    f"duplicate_of names '{article.duplicate_of}', which is not an article",
                    did_you_mean(article.duplicate_of, slugs)
                    or "use the slug (file name without .md) of another article",
                    "content-duplicate-of",
                )
            )
