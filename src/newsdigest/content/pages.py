"""Standalone pages (``content/pages/``) and issue intros (``content/issues/<number>.md``)."""

from __future__ import annotations

from pathlib import Path

from slugify import slugify

from newsdigest.content.documents import discover, read_document
from newsdigest.content.fields import FieldReader
from newsdigest.content.markup import MarkdownRenderer
from newsdigest.diagnostics import Diagnostic, error
from newsdigest.model import IssueIntro, Page

PAGES_DIR = "content/pages"
ISSUES_DIR = "content/issues"
# Top-level folders the site itself writes; a page with one of these slugs would collide.
RESERVED_SLUGS = frozenset(
    {"articles", "issues", "topics", "archive", "briefs", "static", "search", "subscribe", "404"}
)


def load_pages(
    root: Path, renderer: MarkdownRenderer, max_bytes: int
) -> tuple[tuple[Page, ...], list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    pages = []
    for path in discover(root, PAGES_DIR):
        document = read_document(root, path, max_bytes)
        if isinstance(document, Diagnostic):
            diagnostics.append(document)
            continue
        slug = slugify(document.stem)
        if slug in RESERVED_SLUGS or not slug:
            diagnostics.append(
                error(
                    document.path,
                    None,
                    f"the page name '{document.stem}' is reserved by the site",
                    "rename the file, e.g. to about.md",
                    "content-reserved-slug",
                )
            )
            continue
        fields = FieldReader(document, diagnostics)
        title = fields.text("title", required=True)
        fields.warn_unknown(("title",))
        if title:
            body = renderer.to_html(document.front.body)
            pages.append(Page(slug, title, body, document.path))
    return tuple(pages), diagnostics


def load_issue_intros(
    root: Path, renderer: MarkdownRenderer, max_bytes: int
) -> tuple[dict[int, IssueIntro], list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    intros: dict[int, IssueIntro] = {}
    for path in discover(root, ISSUES_DIR):
        document = read_document(root, path, max_bytes)
        if isinstance(document, Diagnostic):
            diagnostics.append(document)
            continue
        if not document.stem.isdigit():
            diagnostics.append(
                error(
                    document.path,
                    None,
                    "an issue file must be named after the issue's number",
                    "rename it, e.g. to content/issues/3.md for issue 3",
                    "content-issue-name",
                )
            )
            continue
        fields = FieldReader(document, diagnostics)
        title = fields.text("title")
        fields.warn_unknown(("title",))
        number = int(document.stem)
        intros[number] = IssueIntro(
            number, title, renderer.to_html(document.front.body), document.path
        )
    return intros, diagnostics
