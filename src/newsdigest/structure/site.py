"""Assembles the whole site model from loaded content: topics, issues, related lists."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from newsdigest.config import SiteConfig
from newsdigest.diagnostics import Diagnostic
from newsdigest.model import Article, IssueIntro, Page, SiteModel
from newsdigest.structure.issues import group_issues
from newsdigest.structure.related import build_related
from newsdigest.structure.topics import assign_topics, build_topics


def build_model(
    config: SiteConfig,
    articles: Sequence[Article],
    pages: Sequence[Page],
    intros: Mapping[int, IssueIntro],
) -> tuple[SiteModel, list[Diagnostic]]:
    # Newest first, slug as tie-break: the order is independent of file discovery.
    ordered = sorted(assign_topics(articles, config), key=lambda a: (-a.date.timestamp(), a.slug))
    issues, issue_of, diagnostics = group_issues(ordered, config, intros)
    model = SiteModel(
        config=config,
        articles={a.slug: a for a in ordered},
        issues=issues,
        topics=build_topics([a for a in ordered if not a.duplicate_of], config),
        pages=tuple(sorted(pages, key=lambda p: p.slug)),
        related=build_related(ordered, config.related.count),
        issue_of=issue_of,
    )
    return model, diagnostics
