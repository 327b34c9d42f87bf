"""Build orchestration: config → content → site model → rendered files → output folder.

Each stage is a function of the previous stage's data; this module only runs them in
order, gathers their diagnostics and stops before writing if any is an error.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from newsdigest.cache import ParseCache, open_cache
from newsdigest.config import Overrides, ensure_site, load_config
from newsdigest.content.articles import load_articles
from newsdigest.content.markup import MarkdownRenderer
from newsdigest.content.pages import load_issue_intros, load_pages
from newsdigest.diagnostics import ContentError, Diagnostic, has_errors
from newsdigest.locking import STATE_DIR, site_lock
from newsdigest.model import SiteModel
from newsdigest.output.writer import write_site
from newsdigest.render import feeds, urls
from newsdigest.render.plan import PageOutput, find_collisions, plan_pages
from newsdigest.render.sitemap import robots, sitemap
from newsdigest.render.theme import Theme, find_theme, render_page
from newsdigest.render.urls import SiteUrls
from newsdigest.render.views import ViewBuilder
from newsdigest.report import NullReporter, Reporter
from newsdigest.structure.site import StoredRelations, build_model

DEFAULT_OUTPUT = "_site"


@dataclass(frozen=True, slots=True)
class BuildOptions:
    overrides: Overrides = field(default_factory=Overrides)
    output: Path | None = None
    """Defaults to ``_site`` in the site folder."""
    include_drafts: bool = False
    jobs: int | None = None
    """Processes for reading articles; all cores when None."""
    clean: bool = False
    """Start with an empty cache and write every file anew instead of reusing unchanged
    files of the previous build."""


@dataclass(frozen=True, slots=True)
class BuildResult:
    output: Path
    articles: int
    issues: int
    pages: int
    feeds: int
    files: int
    written: int
    seconds: float
    diagnostics: tuple[Diagnostic, ...]


def load_site(
    root: Path,
    options: BuildOptions,
    reporter: Reporter | None = None,
    cache: ParseCache | None = None,
) -> tuple[SiteModel, list[Diagnostic]]:
    """Config and content into the site model; raise ContentError listing every error."""
    config = load_config(root, options.overrides)
    renderer = MarkdownRenderer()
    articles, diagnostics = load_articles(
        root,
        config,
        include_drafts=options.include_drafts,
        reporter=reporter,
        cache=cache,
        jobs=options.jobs or os.cpu_count() or 1,
    )
    limit = config.articles.max_bytes
    pages, page_problems = load_pages(root, renderer, limit)
    intros, intro_problems = load_issue_intros(root, renderer, limit)
    diagnostics += page_problems + intro_problems
    if has_errors(diagnostics):
        raise ContentError(diagnostics)
    memo = StoredRelations(cache) if cache else None
    model, model_problems = build_model(config, articles, pages, intros, memo=memo)
    return model, diagnostics + model_problems


def build(
    root: Path,
    options: BuildOptions | None = None,
    *,
    on_wait: Callable[[str], None] | None = None,
    reporter: Reporter | None = None,
) -> BuildResult:
    """Build the site; one build or import of a site runs at a time (``on_wait`` is told
    when this one has to wait for another)."""
    root = root.resolve()
    ensure_site(root)
    with site_lock(root, on_wait):
        return _build(root, options or BuildOptions(), reporter or NullReporter())


def _build(root: Path, options: BuildOptions, reporter: Reporter) -> BuildResult:
    started = time.perf_counter()
    with open_cache(root / STATE_DIR, clean=options.clean) as cache:
        model, diagnostics = load_site(root, options, reporter, cache)
        theme = find_theme(root, model.config.theme)
        site_urls = SiteUrls(model.config.base_url)
        views = ViewBuilder(model, site_urls)
        plan = plan_pages(model, views)
        output = (options.output or root / DEFAULT_OUTPUT).resolve()
        pages = _PageRenderer(theme, views.site(), cache.output_fingerprints(output), output)
        files = dict(pages.render(reporter.track(plan, len(plan), "Rendering pages")))
        feed_files = dict(_render_feeds(model, site_urls, pages.env, plan))
        extras = _extra_files(site_urls, views, plan)
        statics = {urls.static(name): path.read_bytes() for name, path in theme.static_files()}
        origins = [(urls.output_path(p.route), p.origin) for p in plan]
        origins += [(path, "generated file") for path in (*feed_files, *extras, *statics)]
        collisions = find_collisions(origins)
        if collisions:
            raise ContentError(diagnostics + collisions)
        everything: dict[str, bytes | None] = {**files, **feed_files, **extras, **statics}
        written = write_site(output, sorted(everything.items()), reuse=not options.clean)
        cache.record_outputs(output, pages.fingerprints)
    return BuildResult(
        output=output,
        articles=len(model.articles),
        issues=len(model.issues),
        pages=len(files),
        feeds=len(feed_files),
        files=len(everything),
        written=written,
        seconds=time.perf_counter() - started,
        diagnostics=tuple(diagnostics),
    )


class _PageRenderer:
    """Renders pages, except those whose inputs match the previous build into the same
    folder: a page's fingerprint hashes the theme and all the data it shows."""

    def __init__(
        self, theme: Theme, site: dict[str, Any], previous: dict[str, str], output: Path
    ) -> None:
        self.env = theme.environment()
        self.site = {**site, **_shared_chrome(self.env, site)}
        self.previous = previous
        self.output = output
        self.base = theme.fingerprint() + json.dumps(self.site, sort_keys=True, ensure_ascii=False)
        self.fingerprints: dict[str, str] = {}

    def render(self, plan: Iterable[PageOutput]) -> Iterator[tuple[str, bytes | None]]:
        for page in plan:
            path = urls.output_path(page.route)
            data = json.dumps(
                [page.template, page.meta, page.view], sort_keys=True, ensure_ascii=False
            )
            fingerprint = hashlib.sha256((self.base + data).encode()).hexdigest()
            self.fingerprints[path] = fingerprint
            if self.previous.get(path) == fingerprint and (self.output / path).is_file():
                yield path, None
            else:
                context = {"site": self.site, "meta": page.meta, "view": page.view}
                yield path, render_page(self.env, page.template, context)


CHROME = {"header_html": "_header.html", "footer_html": "_footer.html"}


def _shared_chrome(env: jinja2.Environment, site: dict[str, Any]) -> dict[str, str]:
    """The masthead and footer, the same on every page, rendered once per build (they were
    the largest share of rendering time). Themes without these partials are left as they are."""
    chrome = {}
    for key, template in CHROME.items():
        try:
            chrome[key] = env.get_template(template).render(site=site)
        except jinja2.TemplateNotFound:
            continue
    return chrome


def _extra_files(
    site_urls: SiteUrls, views: ViewBuilder, plan: list[PageOutput]
) -> dict[str, bytes]:
    extras = {
        urls.SITEMAP: sitemap(site_urls, _sitemap_entries(plan, site_urls)),
        urls.ROBOTS: robots(site_urls),
        urls.NOJEKYLL: b"",
        urls.SEARCH_INDEX: _json(views.search_index()),
    }
    if site_urls.custom_domain:
        extras[urls.CNAME] = f"{site_urls.custom_domain}\n".encode()
    return extras


def _render_feeds(
    model: SiteModel, site_urls: SiteUrls, env: jinja2.Environment, plan: list[PageOutput]
) -> Iterator[tuple[str, bytes]]:
    issue_html = {
        p.view["number"]: env.get_template("feed_issue.html").render(view=p.view)
        for p in plan
        if p.template == "issue.html"
    }
    yield urls.FEED_RSS, feeds.issues_feed(model, site_urls, issue_html, atom=False)
    yield urls.FEED_ATOM, feeds.issues_feed(model, site_urls, issue_html, atom=True)
    yield urls.FEED_JSON, feeds.issues_json_feed(model, site_urls, issue_html)
    listed = [a for a in model.articles.values() if a.slug not in model.canonical_of]
    config = model.config
    yield (
        urls.FEED_ARTICLES,
        feeds.articles_feed(
            model,
            site_urls,
            urls.FEED_ARTICLES,
            f"{config.title}: all articles",
            listed[: config.feeds.articles],
        ),
    )
    for topic in model.topics:
        members = [model.articles[s] for s in topic.article_slugs][: config.feeds.topics]
        route = urls.topic_feed(topic.slug)
        yield (
            route,
            feeds.articles_feed(model, site_urls, route, f"{config.title}: {topic.name}", members),
        )


def _json(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _sitemap_entries(
    plan: list[PageOutput], site_urls: SiteUrls
) -> Iterator[tuple[str, str | None]]:
    """Every page that is its own canonical version (not the 404, not syndicated copies)."""
    for output in plan:
        if output.meta["canonical"] != site_urls.absolute(output.route):
            continue
        date = output.view.get("date")
        yield output.route, date["iso"][:10] if isinstance(date, dict) else None
