"""Work split across forked processes that inherit the data they work on.

Forking shares the parent's memory (the site model, an index, compiled templates) with the
workers for free; only each slice's results travel back. Where fork is not available or
the work is small, everything runs in this process, with the same results in the same
order.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from typing import TypeVar

T = TypeVar("T")
SLICES_PER_JOB = 8
"""More slices than workers, so that a slow slice does not leave a core idle."""

# Set only inside forked workers, by the pool's initializer.
_work: Callable[[range], Sequence[object]] | None = None


def map_slices(
    work: Callable[[range], list[T]], total: int, jobs: int, min_total: int
) -> Iterator[T]:
    """``work`` applied to consecutive slices of ``range(total)``: every result in order.
    ``jobs`` processes are used when ``total`` reaches ``min_total``."""
    if jobs <= 1 or total < min_total or sys.platform != "linux":
        yield from work(range(total))
        return
    size = max(1, -(-total // (jobs * SLICES_PER_JOB)))
    slices = [range(start, min(start + size, total)) for start in range(0, total, size)]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(jobs, context, initializer=partial(_adopt, work)) as pool:
        for results in pool.map(_run, slices):
            yield from results  # type: ignore[misc]


def _adopt(work: Callable[[range], Sequence[object]]) -> None:
    global _work
    _work = work


def _run(indices: range) -> Sequence[object]:
    assert _work is not None
    return _work(indices)
