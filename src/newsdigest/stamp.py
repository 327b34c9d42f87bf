"""Whether a build can stop early: nothing it reads has changed since the last build into
the same output folder, and that folder still holds exactly what the last build wrote.

Like make and git, this compares file metadata (size, inode, modification and change
times), not bytes: stating ten thousand files takes milliseconds where reading them takes a
second. A build reads ``site.toml`` and everything under ``content/`` and ``themes/``;
newsdigest's own files count too, so an upgraded or edited installation builds afresh.

File times have a granularity (a clock tick; whole seconds on some file systems), so a
file changed within one tick of being stated could change again unseen. As in git, such
"racy" files are stamped by their bytes: the next stamp, taken from metadata, then differs,
and that build runs in full.
"""

from __future__ import annotations

import functools
import hashlib
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
INPUTS = ("site.toml", "content", "themes")
_SKIPPED = frozenset({"__pycache__"})
# File times move in clock ticks of at most 10 ms on Linux; times in whole seconds suggest
# a file system that keeps only seconds (FAT keeps two).
FINE_TICK_NS = 20_000_000
COARSE_TICK_NS = 2_000_000_000


@dataclass(frozen=True, slots=True)
class Stamp:
    """The state of one build's inputs and outputs, as last recorded."""

    inputs: str
    outputs: str
    paths: tuple[str, ...]
    """Every file the build wrote, relative to the output folder."""


def input_stamp(root: Path, settings: str) -> str:
    """A digest of ``settings`` (what the command line chose) and of every file a build of
    ``root`` reads: its metadata, or its bytes while it is racy."""
    digest = hashlib.sha256(settings.encode())
    now = time.time_ns()
    for base in (root / name for name in INPUTS):
        for entry in _stats(base, now):
            digest.update(entry.encode())
    digest.update(code_stamp().encode())
    return digest.hexdigest()


@functools.cache
def code_stamp() -> str:
    """A digest of newsdigest's own files (their metadata, or bytes while racy), taken once
    per process: the code a process runs does not change under it."""
    digest = hashlib.sha256()
    for entry in _stats(PACKAGE, time.time_ns()):
        digest.update(entry.encode())
    return digest.hexdigest()


def file_state(path: Path | str) -> str:
    """The identity of one written file: replacing, editing or deleting it changes this."""
    try:
        stat = os.stat(path, follow_symlinks=False)
    except OSError:
        return "missing"
    return f"{stat.st_ino}:{stat.st_size}:{stat.st_mtime_ns}"


def output_stamp(states: Mapping[str, str]) -> str:
    """A digest of the states of every file in an output folder (see ``file_state``)."""
    digest = hashlib.sha256()
    for relative, state in sorted(states.items()):
        digest.update(f"{relative}\0{state}\n".encode())
    return digest.hexdigest()


def is_current(stamp: Stamp | None, inputs: str, output: Path) -> bool:
    return (
        stamp is not None
        and stamp.inputs == inputs
        and output_stamp({p: file_state(output / p) for p in stamp.paths}) == stamp.outputs
    )


def _stats(base: Path, now: int) -> list[str]:
    """One line per file under ``base`` (or for ``base`` itself), in a stable order."""
    try:
        if not base.is_dir():
            return [_line(str(base), base.stat(), now)]
    except OSError:
        return [f"{base}\0missing"]
    lines = []
    seen: set[tuple[int, int]] = set()  # folders by inode: a symlink loop is walked once
    pending = [str(base)]
    while pending:
        folder = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                try:
                    stat = entry.stat()
                except OSError:
                    lines.append(f"{entry.path}\0missing")
                    continue
                if not entry.is_dir():
                    lines.append(_line(entry.path, stat, now))
                elif entry.name not in _SKIPPED and (stat.st_dev, stat.st_ino) not in seen:
                    seen.add((stat.st_dev, stat.st_ino))
                    pending.append(entry.path)
    return sorted(lines)


def _line(path: str, stat: os.stat_result, now: int) -> str:
    signature = metadata_signature(stat, now)
    if signature is None:  # racy: the bytes decide
        try:
            return f"{path}\0{hashlib.sha256(Path(path).read_bytes()).hexdigest()}"
        except OSError:
            return f"{path}\0missing"
    return f"{path}\0{signature}"


def metadata_signature(stat: os.stat_result, now: int) -> str | None:
    """A file's size, inode and times, which any change to it changes; None while it is
    racy (changed within a clock tick of ``now``, so it could change again unseen)."""
    changed = max(stat.st_mtime_ns, stat.st_ctime_ns)
    tick = COARSE_TICK_NS if changed % 1_000_000_000 == 0 else FINE_TICK_NS
    if changed >= now - tick:
        return None
    return f"{stat.st_size}\0{stat.st_ino}\0{stat.st_mtime_ns}\0{stat.st_ctime_ns}"
