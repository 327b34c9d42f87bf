"""One newsdigest run at a time per site: builds and imports take an exclusive lock.

The lock is an advisory ``flock`` on ``.newsdigest/lock`` in the site folder. The
operating system releases it when the process ends, however it ends, so a killed run
never leaves a stale lock behind.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; runs are not serialised there
    fcntl = None  # type: ignore[assignment]

STATE_DIR = ".newsdigest"


@contextmanager
def site_lock(root: Path, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the site's lock; if another run holds it, tell ``on_wait`` and wait for it."""
    folder = root / STATE_DIR
    folder.mkdir(exist_ok=True)
    with open(folder / "lock", "a+", encoding="utf-8") as handle:
        if fcntl is not None:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "another process"
                if on_wait is not None:
                    on_wait(f"waiting for another newsdigest run on this site ({holder}) to finish")
                fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle, fcntl.LOCK_UN)
