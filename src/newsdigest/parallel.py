"""Work split across forked processes that inherit the data they work on.

Forking shares the parent's memory (the site model, an index, compiled templates) with the
workers for free; only each slice's results travel back. Where fork is not available or
the work is small, everything runs in this process, with the same results in the same
order.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

T = TypeVar("T")
SLICES_PER_JOB = 8
"""More slices than workers, so that a slow slice does not leave a core idle."""

# Set only inside forked workers, by the pool's initializer.
_work: Callable[[range], Sequence[object]] | None = None


def map_slices(
    work: Callable[[range], list[T]],
    total: int,
    jobs: int,
    min_total: int,
    before_fork: Callable[[], None] | None = None,
) -> Iterator[T]:
    """``work`` applied to consecutive slices of ``range(total)``: every result in order.
    ``jobs`` processes are used when ``total`` reaches ``min_total``; ``before_fork`` is
    called first, to load what they will need but cannot load themselves."""
    if jobs <= 1 or total < min_total or sys.platform != "linux":
        yield from work(range(total))
        return
    if before_fork is not None:
        before_fork()
    size = max(1, -(-total // (jobs * SLICES_PER_JOB)))
    slices = [range(start, min(start + size, total)) for start in range(0, total, size)]
    with worker_pool(jobs, partial(_adopt, work), fork=True) as pool:
        for results in pool.map(_run, slices):
            yield from results  # type: ignore[misc]


def worker_pool(
    jobs: int, initializer: Callable[[], None] | None = None, *, fork: bool = False
) -> ProcessPoolExecutor:
    """A process pool whose workers die with this process. A worker that outlived a killed
    build would wait for work forever, holding the site lock it inherited."""
    # Imported when first needed: a rebuild that changes little starts no process.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork") if fork else None
    return ProcessPoolExecutor(
        jobs, context, initializer=partial(_start_worker, os.getpid(), initializer)
    )


def _start_worker(parent: int, initializer: Callable[[], None] | None) -> None:
    _die_with(parent)
    if initializer is not None:
        initializer()


def _die_with(parent: int) -> None:
    """Ask Linux to kill this process when its parent dies (prctl PR_SET_PDEATHSIG)."""
    if sys.platform != "linux":
        return
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


_PR_SET_PDEATHSIG = 1


def _adopt(work: Callable[[range], Sequence[object]]) -> None:
    global _work
    _work = work


def _run(indices: range) -> Sequence[object]:
    assert _work is not None
    return _work(indices)
