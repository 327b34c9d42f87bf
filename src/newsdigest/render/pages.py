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
from typing import Any

import jinja2

from newsdigest.parallel import map_slices
from newsdigest.render import urls
from newsdigest.render.plan import PageOutput
from newsdigest.render.theme import Theme, render_page
from newsdigest.stamp import file_state

# Fewer pages than this are rendered in this process: forking workers would cost more.
PARALLEL_MIN_PAGES = 400
CHROME = {"header_html": "_header.html", "footer_html": "_footer.html"}

Rendered = tuple[str, str, bytes | None]
"""Output path, fingerprint, and the page's bytes (None: the previous file still holds)."""


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
        data = json.dumps([page.template, page.meta, page.view], sort_keys=True, ensure_ascii=False)
        fingerprint = hashlib.sha256((self.base + data).encode()).hexdigest()
        if self.previous.get(path) == (fingerprint, file_state(self.output / path)):
            return path, fingerprint, None
        context = {"site": self.site, "meta": page.meta, "view": page.view}
        return path, fingerprint, render_page(self.env, page.template, context)


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
