"""What ``newsdigest import`` prints: one line per source, or the articles themselves."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

import click

from newsdigest.importers.base import ImportedArticle
from newsdigest.importers.run import Outcome


def print_outcomes(outcomes: Sequence[Outcome], stdout_format: str | None, dry_run: bool) -> int:
    """Print the run and its summary line; return how many sources failed."""
    for outcome in outcomes:
        if stdout_format and outcome.article is not None and outcome.status != "failed":
            click.echo(_as(stdout_format, outcome))
        else:
            _print_line(outcome, dry_run)
    counts = {s: sum(o.status == s for o in outcomes) for s in ("imported", "skipped", "failed")}
    verb = "would import" if dry_run else "imported"
    click.echo(
        f"{verb} {counts['imported']}, skipped {counts['skipped']} duplicates, "
        f"failed {counts['failed']}",
        err=bool(stdout_format),
    )
    return counts["failed"]


def _print_line(outcome: Outcome, dry_run: bool) -> None:
    if outcome.status == "failed":
        click.secho(f"failed    {outcome.origin}: {outcome.message}", fg="red", err=True)
        return
    if outcome.status == "skipped":
        click.echo(f"skipped   {outcome.origin}: {outcome.message}")
        return
    label = "would write" if dry_run else "imported "
    note = f" ({outcome.message})" if outcome.message else ""
    click.echo(f"{label} {_shown(outcome.path)}{note}  <- {outcome.origin}")
    for warning in outcome.warnings:
        click.secho(f"          warning: {warning}", fg="yellow", err=True)


def _as(stdout_format: str, outcome: Outcome) -> str:
    article = outcome.article
    assert article is not None
    if stdout_format == "text":
        return "\n\n".join(article.paragraphs) + "\n"
    if stdout_format == "json":
        return json.dumps(as_json(article), ensure_ascii=False, indent=2)
    return outcome.text or ""


def as_json(article: ImportedArticle) -> dict[str, object]:
    """The extracted fields, in the examples' expected-JSON shape."""
    when = article.date
    return {
        "title": article.title,
        "source": article.source,
        "date": when.isoformat() if isinstance(when, date | datetime) else None,
        "author": article.author,
        "url": article.url,
        "summary": article.summary,
        "body_paragraphs": list(article.paragraphs),
        "related": [
            {"title": m.title, "source": m.source, "summary": m.summary, "url": m.url}
            for m in article.related
        ],
    }


def _shown(path: Path | None) -> str:
    if path is None:
        return ""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
