"""Running a build: one at a time per site, skipped when nothing changed since the last one.

The stages themselves (content → site model → pages → output folder) are in ``pipeline``;
this module decides whether they need to run, and records what they produced.
"""

from __future__ import annotations

import dataclasses
import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsdigest.cache import CacheDamaged, open_cache
from newsdigest.config import Overrides, ensure_site
from newsdigest.diagnostics import Diagnostic, Severity
from newsdigest.locking import STATE_DIR, site_lock
from newsdigest.report import NullReporter, Reporter
from newsdigest.stamp import Stamp, input_stamp, is_current, output_stamp

DEFAULT_OUTPUT = "_site"


@dataclass(frozen=True, slots=True)
class BuildOptions:
    overrides: Overrides = field(default_factory=Overrides)
    output: Path | None = None
    """Defaults to ``_site`` in the site folder."""
    include_drafts: bool = False
    jobs: int | None = None
    """Processes for reading articles, ranking related lists and rendering pages; all cores
    when None."""
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
    up_to_date: bool = False
    """Nothing had changed since the last build into this folder, so nothing was done."""


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
    with site_lock(root, on_wait), _collector_paused():
        return _build(root, options or BuildOptions(), reporter or NullReporter())


@contextmanager
def _collector_paused() -> Iterator[None]:
    """A build allocates millions of objects that live until it ends, and makes almost no
    reference cycles: the cyclic garbage collector's passes over them are wasted work
    (measured: a sixth of a 10,000-article rebuild). Paused for the build, then restored."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _build(root: Path, options: BuildOptions, reporter: Reporter) -> BuildResult:
    try:
        return _build_with_cache(root, options, reporter)
    except CacheDamaged:
        # The damaged cache is gone: the build runs again as a clean one.
        return _build_with_cache(root, dataclasses.replace(options, clean=True), reporter)


def _build_with_cache(root: Path, options: BuildOptions, reporter: Reporter) -> BuildResult:
    started = time.perf_counter()
    output = (options.output or root / DEFAULT_OUTPUT).resolve()
    settings = repr((options.overrides, options.include_drafts, str(output)))
    inputs = input_stamp(root, settings)  # before anything is read: later edits count
    with open_cache(root / STATE_DIR, clean=options.clean) as cache:
        previous = cache.stamp(output)
        if previous and not options.clean and is_current(previous[0], inputs, output):
            cache.keep_entries()
            return _replayed(previous[1], output, started)
        # Imported here: the stages' libraries take longer to load than a build that finds
        # nothing changed takes to run.
        from newsdigest.pipeline import render_site

        result, states = render_site(root, options, reporter, cache, output)
        stamp = Stamp(inputs, output_stamp(states), tuple(sorted(states)))
        cache.record_stamp(output, stamp, _recorded(result))
    return dataclasses.replace(result, seconds=time.perf_counter() - started)


_COUNTS = ("articles", "issues", "pages", "feeds", "files")


def _recorded(result: BuildResult) -> dict[str, Any]:
    """What a build that finds nothing changed reports again: counts and warnings."""
    return {
        **{name: getattr(result, name) for name in _COUNTS},
        "diagnostics": [dataclasses.astuple(d) for d in result.diagnostics],
    }


def _replayed(recorded: dict[str, Any], output: Path, started: float) -> BuildResult:
    return BuildResult(
        output=output,
        **{name: recorded[name] for name in _COUNTS},
        written=0,
        seconds=time.perf_counter() - started,
        diagnostics=tuple(Diagnostic(Severity(d[0]), *d[1:]) for d in recorded["diagnostics"]),
        up_to_date=True,
    )
