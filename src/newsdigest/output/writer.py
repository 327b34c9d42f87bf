"""Writes a complete site into a staging folder beside the output, then swaps it in.

A failed or interrupted build never leaves a half-written site: the previous output stays
in place until the new one is complete, and the two are exchanged atomically. Files whose
bytes did not change are hard-linked from the previous output instead of being rewritten.
"""

from __future__ import annotations

import ctypes
import os
import shutil
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from newsdigest.diagnostics import ConfigError, error
from newsdigest.render import urls


def write_site(
    output: Path, files: Iterable[tuple[str, bytes | None]], *, reuse: bool = True
) -> int:
    """Replace ``output`` with exactly ``files`` (path, bytes); return how many were written.

    ``None`` instead of bytes means "the same as in the previous output" (the caller knows
    it from the page's fingerprint): that file is carried over without being rendered."""
    output = output.resolve()
    check_output_folder(output)
    staging = output.with_name(f".{output.name}.staging")
    retired = output.with_name(f".{output.name}.old")
    _recover(output, retired)
    for leftover in (staging, retired):
        if leftover.exists():
            shutil.rmtree(leftover)
    staging.mkdir(parents=True)
    count = 0
    for relative, data in files:
        target = staging / safe_relative(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        previous = output / relative
        if data is None or (reuse and _same_bytes(previous, data)):
            _carry_over(previous, target)
            continue
        target.write_bytes(data)
        count += 1
    _swap_in(staging, output, retired)
    return count


def _carry_over(previous: Path, target: Path) -> None:
    """The previous build's file, hard-linked (no copy, no new inode) where possible."""
    try:
        os.link(previous, target)
    except OSError:
        shutil.copy2(previous, target)


def _swap_in(staging: Path, output: Path, retired: Path) -> None:
    """Put the staged site in place. On Linux the two folders are exchanged in one atomic
    step (renameat2 RENAME_EXCHANGE): at every instant ``output`` is a complete site."""
    if not output.exists():
        staging.rename(output)
    elif _exchange(staging, output):
        shutil.rmtree(staging)
    else:  # no atomic exchange here: two renames, and _recover() covers the gap
        output.rename(retired)
        staging.rename(output)
        shutil.rmtree(retired)


def _exchange(first: Path, second: Path) -> bool:
    renameat2 = getattr(_libc(), "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _EXCHANGE)
    return bool(result == 0)


def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


_AT_FDCWD = -100
_EXCHANGE = 2  # RENAME_EXCHANGE


def check_output_folder(output: Path) -> None:
    """Refuse to replace a folder that is not a previous build: it may hold someone's files."""
    if output.exists() and not output.is_dir():
        _refuse(output, "is a file, not a folder")
    if output.is_dir() and any(output.iterdir()) and not (output / urls.NOJEKYLL).exists():
        _refuse(output, "is not empty and was not written by newsdigest")


def safe_relative(relative: str) -> PurePosixPath:
    path = PurePosixPath(relative)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"refusing to write outside the output folder: {relative!r}")
    return path


def _refuse(output: Path, why: str) -> None:
    raise ConfigError(
        [
            error(
                str(output),
                None,
                f"the output folder {why}",
                "choose another folder with --output, or empty this one",
                "output-folder",
            )
        ]
    )


def _recover(output: Path, retired: Path) -> None:
    """A build killed between the two renames leaves only the retired copy: put it back."""
    if not output.exists() and retired.is_dir():
        retired.rename(output)


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False
