"""Rendering the planned pages: only those whose data or file changed, on every core.

A page's fingerprint hashes the theme and all the data the page shows. A page whose
fingerprint matches the previous build into the same folder, and whose file is still the
one that build wrote, is not rendered again. The rest are rendered by worker processes
forked from this one (``parallel``), which share the plan and the compiled templates.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

import jinja2

from newsdigest.parallel import map_slices
from newsdigest.render import urls
from newsdigest.render.plan import PageOutput
from newsdigest.render.theme import Theme, render_page
from newsdigest.stamp import file_state

# Fewer pages than this are rendered in this process: forking workers would cost more.
PARALLEL_MIN_PAGES = 400
CHROME = {"header_html": "_header.html", "footer_html": "_footer.html"}


class Rendered(NamedTuple):
    path: str
    fingerprint: str
    data: bytes | None
    """The page's bytes; None: the file the output holds is still the page."""
    kept_state: str | None
    """That file's state (``stamp.file_state``) when it is kept, else None."""


class PageRenderer:
    def __init__(
        self,
        theme: Theme,
        site: dict[str, Any],
        previous: dict[str, tuple[str, str]],
        output: Path,
    ) -> None:
        self.env = theme.environment()
        self.site = {**site, **shared_chrome(self.env, site)}
        self.previous = previous
        """Fingerprint and file state of each page as of the last build into ``output``."""
        self.output = output
        self.base = theme.fingerprint() + json.dumps(self.site, sort_keys=True, ensure_ascii=False)

    def render_all(self, plan: Sequence[PageOutput], jobs: int) -> Iterator[Rendered]:
        """Every page of ``plan`` in order, rendered by ``jobs`` processes where it pays."""
        return map_slices(partial(self.render_range, plan), len(plan), jobs, PARALLEL_MIN_PAGES)

    def render_range(self, plan: Sequence[PageOutput], indices: range) -> list[Rendered]:
        return [self.render(plan[index]) for index in indices]

    def render(self, page: PageOutput) -> Rendered:
        path = urls.output_path(page.route)
        view = page.make_view()
        # ASCII JSON (non-ASCII escaped) is the quickest for the encoder and for hashing.
        data = json.dumps([page.template, page.meta, view], sort_keys=True)
        fingerprint = hashlib.sha256((self.base + data).encode()).hexdigest()
        state = file_state(self.output / path)
        if self.previous.get(path) == (fingerprint, state):
            return Rendered(path, fingerprint, None, state)
        context = {"site": self.site, "meta": page.meta, "view": view}
        return Rendered(path, fingerprint, render_page(self.env, page.template, context), None)


def shared_chrome(env: jinja2.Environment, site: dict[str, Any]) -> dict[str, str]:
    """The masthead and footer, the same on every page, rendered once per build (they were
    the largest share of rendering time). Themes without these partials are left as they are."""
    chrome = {}
    for key, template in CHROME.items():
        try:
            chrome[key] = env.get_template(template).render(site=site)
        except jinja2.TemplateNotFound:
            continue
    return chrome
