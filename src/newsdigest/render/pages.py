"""Rendering the planned pages: only those whose data or file changed, on every core.

A page's fingerprint hashes the theme and all the data the page shows. A page whose
fingerprint matches the previous build into the same folder, and whose file is still the
one that build wrote, is not rendered again. The rest are rendered by worker processes
forked from this one (``parallel``), which share the plan and the compiled templates.

Most pages also have a key: a hash of what their view is made of (``make_inputs``), the
site, the theme, the settings and the code. A page whose key matches the previous build's
is not even fingerprinted: its view, and so its fingerprint, are the ones recorded then.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

import jinja2

from newsdigest.cache import OutputRecord
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
    record: OutputRecord
    """The page's fingerprint and key; its file's state only if the file is kept."""
    data: bytes | None
    """The page's bytes; None: the file the output holds is still the page."""


class PageRenderer:
    def __init__(
        self,
        theme: Theme,
        site: dict[str, Any],
        previous: dict[str, OutputRecord],
        output: Path,
        settings: str,
        compiled: Path | None = None,
    ) -> None:
        """``settings``: everything but the site and the theme that views depend on (the
        configuration and the code, as text); ``compiled``: where compiled templates are
        kept between builds."""
        self.changed_articles: frozenset[str] | None = None
        """Set when only these articles' pages can differ from the last build's (see
        ``SinceLastBuild``): the pages of the others are kept if their files are."""
        self.env = theme.environment(compiled)
        self.site = {**site, **shared_chrome(self.env, site)}
        self.previous = previous
        """What the last build into ``output`` recorded of each page."""
        self.output = output
        self.base = theme.fingerprint() + json.dumps(self.site, sort_keys=True, ensure_ascii=False)
        self.key_base = hashlib.sha256(f"{self.base}\0{settings}".encode()).hexdigest()

    def render_all(
        self,
        plan: Sequence[PageOutput],
        jobs: int,
        before_fork: Callable[[], None] | None = None,
    ) -> Iterator[Rendered]:
        """Every page of ``plan`` in order. Pages whose key matches are found here; the
        rest are rendered by ``jobs`` processes where it pays (``before_fork`` loads what
        those cannot, such as article bodies kept in the cache)."""
        checked = [self._check(page) for page in plan]
        todo = [(p, c) for p, c in zip(plan, checked, strict=True) if isinstance(c, _Check)]
        render = partial(self._render_range, todo)
        fresh = map_slices(render, len(todo), jobs, PARALLEL_MIN_PAGES, before_fork)
        for check in checked:
            yield next(fresh) if isinstance(check, _Check) else check

    def _render_range(
        self, todo: Sequence[tuple[PageOutput, _Check]], indices: range
    ) -> list[Rendered]:
        return [self._render(*todo[index]) for index in indices]

    def _check(self, page: PageOutput) -> Rendered | _Check:
        """The page as the last build left it, if its key matches; else what rendering needs."""
        path = urls.output_path(page.route)
        state = file_state(os.path.join(self.output, path))
        previous = self.previous.get(path)
        if previous and previous.state == state and self._unchanged(page):
            return Rendered(path, previous, None)
        key = self._key(page)
        if key and previous and (previous.key, previous.state) == (key, state):
            return Rendered(path, previous, None)
        return _Check(path, state, key)

    def _unchanged(self, page: PageOutput) -> bool:
        """Whether the page is known to show what it did in the last build."""
        changed = self.changed_articles
        if changed is None:
            return False
        return page.listing or (page.article is not None and page.article not in changed)

    def _render(self, page: PageOutput, check: _Check) -> Rendered:
        path, state, key = check
        view = page.make_view()
        # ASCII JSON (non-ASCII escaped) is the quickest for the encoder and for hashing.
        data = json.dumps([page.template, page.meta, view], sort_keys=True)
        fingerprint = hashlib.sha256((self.base + data).encode()).hexdigest()
        previous = self.previous.get(path)
        if previous and (previous.fingerprint, previous.state) == (fingerprint, state):
            return Rendered(path, OutputRecord(fingerprint, state, key), None)
        context = {"site": self.site, "meta": page.meta, "view": view}
        page_bytes = render_page(self.env, page.template, context)
        return Rendered(path, OutputRecord(fingerprint, None, key), page_bytes)

    def files(
        self, name: str, inputs: str | None, make: Callable[[], dict[str, bytes]]
    ) -> dict[str, Rendered]:
        """Generated files made together (``name``: the feeds; the sitemap and search
        index), by path: those the last build wrote, if made of the same ``inputs`` and
        still as written; else ``make``'s."""
        key = self._hash(f"files\x01{name}\x01{inputs}") if inputs is not None else None
        kept = {path: record for path, record in self.previous.items() if key and record.key == key}
        states = {path: file_state(os.path.join(self.output, path)) for path in kept}
        if kept and all(record.state == states[path] for path, record in kept.items()):
            return {path: Rendered(path, record, None) for path, record in kept.items()}
        made = make().items()
        return {
            path: Rendered(path, OutputRecord(self._hash(data), None, key), data)
            for path, data in made
        }

    def _hash(self, text: str | bytes) -> str:
        data = text.encode() if isinstance(text, str) else text
        return hashlib.sha256(self.key_base.encode() + b"\x01" + data).hexdigest()

    def _key(self, page: PageOutput) -> str | None:
        inputs = page.make_inputs() if page.make_inputs else None
        if inputs is None:
            return None
        # repr is exact for the values views are made of, and several times quicker than JSON.
        made_of = f"{self.key_base}\x01{page.template}\x01{page.meta!r}\x01{inputs}"
        return hashlib.sha256(made_of.encode()).hexdigest()


class _Check(NamedTuple):
    path: str
    state: str
    key: str | None


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
