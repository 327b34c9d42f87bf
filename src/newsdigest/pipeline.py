"""The build's stages in order: config → content → site model → rendered files → output.

Each stage is a function of the previous stage's data; this module only runs them in
order, gathers their diagnostics and stops before writing if any is an error.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from functools import partial
from itertools import chain, islice
from pathlib import Path

import jinja2

from newsdigest.build import BuildOptions, BuildResult
from newsdigest.cache import OutputRecord, ParseCache
from newsdigest.config import load_config
from newsdigest.content.articles import load_articles
from newsdigest.content.markup import MarkdownRenderer
from newsdigest.content.pages import load_issue_intros, load_pages
from newsdigest.diagnostics import ContentError, Diagnostic, has_errors
from newsdigest.model import Article, Issue, SinceLastBuild, SiteModel, load_bodies
from newsdigest.output.writer import write_site
from newsdigest.render import feeds, urls
from newsdigest.render.pages import PageRenderer
from newsdigest.render.plan import PageOutput, find_collisions, plan_pages
from newsdigest.render.sitemap import robots, sitemap
from newsdigest.render.theme import find_theme
from newsdigest.render.urls import SiteUrls
from newsdigest.render.views import ViewBuilder, join_sections
from newsdigest.report import Reporter
from newsdigest.stamp import code_stamp, file_state
from newsdigest.structure.site import build_model
from newsdigest.structure.stored import StoredFeatures, StoredRelations


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
        jobs=_jobs(options),
    )
    limit = config.articles.max_bytes
    pages, page_problems = load_pages(root, renderer, limit)
    intros, intro_problems = load_issue_intros(root, renderer, limit)
    diagnostics += page_problems + intro_problems
    if has_errors(diagnostics):
        raise ContentError(diagnostics)
    memo = StoredRelations(cache) if cache else None
    features = StoredFeatures(cache) if cache else None
    model, model_problems = build_model(
        config, articles, pages, intros, memo=memo, features=features, jobs=_jobs(options)
    )
    return model, diagnostics + model_problems


def render_site(
    root: Path, options: BuildOptions, reporter: Reporter, cache: ParseCache, output: Path
) -> tuple[BuildResult, dict[str, str]]:
    """Build the site into ``output``; return the result and the state of every file
    written (see ``stamp.file_state``)."""
    model, diagnostics = load_site(root, options, reporter, cache)
    theme = find_theme(root, model.config.theme)
    site_urls = SiteUrls(model.config.base_url)
    views = ViewBuilder(model, site_urls)
    plan = plan_pages(model, views)
    settings = repr((model.config, code_stamp()))
    previous = cache.output_records(output)
    pages = PageRenderer(theme, views.site(), previous, output, settings, cache.compiled_templates)
    since, made_with = model.since_last_build, _made_with(model, views, pages)
    written_by = cache.get(_BUILT_WITH + str(output))
    pages.changed_articles = _changed_articles(since, written_by, made_with)
    feed_files = pages.files(
        "feeds",
        views.feeds_inputs(_feed_issues(model), _listed(model), model.config.feeds.topics),
        lambda: dict(_render_feeds(model, site_urls, pages.env, views)),
    )
    lists = pages.files(
        "lists",
        join_sections([repr(list(_sitemap_entries(plan, site_urls)))], [views.search_inputs()]),
        lambda: _lists(site_urls, views, plan),
    )
    generated = [*feed_files.values(), *lists.values()]
    statics = {urls.static(name): path.read_bytes() for name, path in theme.static_files()}
    small_files = {**_plain_files(site_urls), **statics}
    origins = [(urls.output_path(p.route), p.origin) for p in plan]
    others = [*(file.path for file in generated), *small_files]
    collisions = find_collisions(origins + [(path, "generated file") for path in others])
    if collisions:
        raise ContentError(diagnostics + collisions)
    # Pages go to the writer as they are rendered: holding them all would double the memory.
    records: dict[str, OutputRecord] = {}
    bodies = (article.body for article in model.articles.values())
    rendering = pages.render_all(plan, _jobs(options), partial(load_bodies, bodies))
    rendered = reporter.track(rendering, len(plan), "Rendering pages")

    def files() -> Iterator[tuple[str, bytes | None]]:
        for page in chain(rendered, generated):
            records[page.path] = page.record
            yield page.path, page.data
        yield from small_files.items()

    written = write_site(output, files(), reuse=not options.clean)
    # Kept files' states come from the renderer: no second stat.
    for path, record in records.items():
        if record.state is None:
            records[path] = record._replace(state=file_state(output / path))
    states = {path: record.state or "" for path, record in records.items()}
    states.update((path, file_state(output / path)) for path in small_files)
    cache.record_outputs(output, records, pages.previous)
    if since:
        cache.put(_BUILT_WITH + str(output), [since.this_build, *made_with])
    result = BuildResult(
        output=output,
        articles=len(model.articles),
        issues=len(model.issues),
        pages=len(plan),
        feeds=len(feed_files),
        files=len(states),
        written=written,
        seconds=0.0,
        diagnostics=tuple(diagnostics),
    )
    return result, states


_BUILT_WITH = "built-with:"
"""What the last build into an output folder was, and was made with (``_made_with``)."""


def _made_with(model: SiteModel, views: ViewBuilder, pages: PageRenderer) -> list[str]:
    """What article pages show besides their article (``SinceLastBuild``): the site,
    settings, theme and code (the pages' key base), and the issues (number, title, dates,
    size) they link to."""
    issues = repr([views.issue_ref(issue) for issue in model.issues])
    return [pages.key_base, hashlib.sha256(issues.encode()).hexdigest()]


def _changed_articles(
    since: SinceLastBuild | None, written_by: object, made_with: list[str]
) -> frozenset[str] | None:
    """The articles whose pages may differ from those in the output folder, if known: the
    output must have been written by the build ``since`` compares with (``written_by``:
    what that folder recorded), made the same way."""
    if since and since.articles is not None and written_by == [since.earlier_build, *made_with]:
        return since.articles
    return None


def _jobs(options: BuildOptions) -> int:
    return options.jobs or os.cpu_count() or 1


def _lists(site_urls: SiteUrls, views: ViewBuilder, plan: list[PageOutput]) -> dict[str, bytes]:
    """The files that list every page or article: the sitemap and the search index."""
    return {
        urls.SITEMAP: sitemap(site_urls, _sitemap_entries(plan, site_urls)),
        urls.SEARCH_INDEX: _json(views.search_index()),
    }


def _plain_files(site_urls: SiteUrls) -> dict[str, bytes]:
    plain = {urls.ROBOTS: robots(site_urls), urls.NOJEKYLL: b""}
    if site_urls.custom_domain:
        plain[urls.CNAME] = f"{site_urls.custom_domain}\n".encode()
    return plain


def _feed_issues(model: SiteModel) -> list[Issue]:
    return list(reversed(model.issues))[: model.config.feeds.issues]


def _listed(model: SiteModel) -> list[Article]:
    """The articles of the all-articles feed: the newest that are not syndicated copies."""
    listed = (a for a in model.articles.values() if a.slug not in model.canonical_of)
    return list(islice(listed, model.config.feeds.articles))


def _render_feeds(
    model: SiteModel, site_urls: SiteUrls, env: jinja2.Environment, views: ViewBuilder
) -> Iterator[tuple[str, bytes]]:
    template = env.get_template("feed_issue.html")
    in_feeds = _feed_issues(model)
    issue_html = {issue.number: template.render(view=views.issue(issue)) for issue in in_feeds}
    yield urls.FEED_RSS, feeds.issues_feed(model, site_urls, issue_html, atom=False)
    yield urls.FEED_ATOM, feeds.issues_feed(model, site_urls, issue_html, atom=True)
    yield urls.FEED_JSON, feeds.issues_json_feed(model, site_urls, issue_html)
    config = model.config
    yield (
        urls.FEED_ARTICLES,
        feeds.articles_feed(
            model, site_urls, urls.FEED_ARTICLES, f"{config.title}: all articles", _listed(model)
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
        yield output.route, output.day
