"""Progress reporting: the core says what it is doing; the command line decides how it looks.

Core code never prints. It calls a ``Reporter``: silent in tests and library use, a rich
progress bar on a terminal, and plain lines when output goes to a file or a CI log.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import Protocol, TypeVar

T = TypeVar("T")
# Below this many items a stage is over before a progress bar would be worth drawing.
PROGRESS_THRESHOLD = 200


class Reporter(Protocol):
    def track(self, items: Iterable[T], total: int, description: str) -> Iterator[T]:
        """Yield ``items`` while showing progress through them."""
        ...


class NullReporter:
    def track(self, items: Iterable[T], total: int, description: str) -> Iterator[T]:
        yield from items


class ConsoleReporter:
    """A rich progress bar on a terminal; one plain line per long stage otherwise."""

    def __init__(self, *, terminal: bool | None = None) -> None:
        self.terminal = sys.stderr.isatty() if terminal is None else terminal

    def track(self, items: Iterable[T], total: int, description: str) -> Iterator[T]:
        if total < PROGRESS_THRESHOLD:
            yield from items
        elif self.terminal:
            from rich.progress import track

            yield from track(items, total=total, description=description, transient=True)
        else:
            sys.stderr.write(f"{description} ({total})...\n")
            yield from items
