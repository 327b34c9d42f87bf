"""Finding content files and reading them into front matter + body, as diagnostics on failure."""

from __future__ import annotations

import functools
import hashlib
import os
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISLNK

from newsdigest.content.frontmatter import FrontMatter, FrontMatterError, split_front_matter
from newsdigest.diagnostics import Diagnostic, error, warning
from newsdigest.stamp import metadata_signature

CONTENT_SUFFIX = ".md"
DEFAULT_MAX_BYTES = 5_000_000


@dataclass(frozen=True, slots=True)
class Source:
    """A content file read and decoded, its front matter not parsed yet."""

    path: str
    """Relative to the site root, with forward slashes."""
    stem: str
    text: str | None
    """None when the file was recognised by its metadata and not read (see
    ``read_source``)."""
    digest: str
    """SHA-256 of the file's bytes: the cache key's content part."""
    signature: str | None = None
    """The file's metadata as read (``stamp.metadata_signature``), unless it was racy."""


@dataclass(frozen=True, slots=True)
class Document:
    path: str
    """Relative to the site root, with forward slashes."""
    stem: str
    front: FrontMatter
    digest: str
    """SHA-256 of the file's bytes: the cache key's content part."""


def discover(root: Path, folder: str) -> Iterator[str]:
    """Markdown files under ``root/folder``, sorted so that every run sees the same order.
    Names starting with ``.`` or ``_`` are skipped, and linked folders are not entered.
    Paths are strings: ten thousand ``Path`` objects would cost a tenth of a second."""
    # Folders may have been replaced by links since the last build.
    _real.cache_clear()
    _folder_inside.cache_clear()
    found: list[tuple[list[str], str]] = []
    pending: list[tuple[list[str], str]] = [([], str(root / folder))]
    while pending:
        relative, current = pending.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:  # gone, or unreadable: skipped, as os.walk does
            continue
        for entry in entries:
            if entry.name.startswith((".", "_")):
                continue
            # The directory entry's type, known without a stat; links to files are files.
            if entry.is_dir(follow_symlinks=False):
                pending.append(([*relative, entry.name], entry.path))
            elif entry.name.endswith(CONTENT_SUFFIX) and entry.is_file():
                found.append(([*relative, entry.name], entry.path))
    for _, path in sorted(found):
        yield path


def read_document(
    root: Path, path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES
) -> Document | Diagnostic:
    source = read_source(root, path, max_bytes)
    return source if isinstance(source, Diagnostic) else parse_source(source)


def read_source(
    root: Path,
    path: str | Path,
    max_bytes: int = DEFAULT_MAX_BYTES,
    known: Mapping[str, Sequence[str]] | None = None,
) -> Source | Diagnostic:
    """The file's text, or why it cannot be content (outside link, too large, binary, not
    UTF-8). ``known`` holds the signature and digest of each file read by the last build
    (by relative path): a file whose metadata still matches is not read again, as git
    does. Its text is then None."""
    relative = _relative(root, path)
    file = os.fspath(path)
    stat = os.lstat(file)
    if not _inside(os.fspath(root), file, stat):
        return warning(
            relative,
            None,
            "this is a link to a file outside the site; it is not followed",
            "copy the file into content/ instead of linking to it",
            "content-outside-link",
        )
    if S_ISLNK(stat.st_mode):
        stat = os.stat(file)
    signature = metadata_signature(stat, time.time_ns())
    size = stat.st_size
    if size > max_bytes:
        return error(
            relative,
            None,
            f"the file is larger than the limit for content files ({size:,} > {max_bytes:,} bytes)",
            "split it, or raise [articles] max_bytes in site.toml",
            "content-too-large",
        )
    previous = known.get(relative) if known and signature else None
    if previous and previous[0] == signature:
        return Source(relative, _stem(relative), None, previous[1], signature)
    with open(file, "rb") as stream:
        data = stream.read()
    if b"\x00" in data:
        return error(
            relative,
            None,
            "this is a binary file, not Markdown text",
            "remove it from content/ or save it as UTF-8 text",
            "content-binary",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return error(
            relative,
            line,
            "the file is not valid UTF-8 text",
            "re-save it with UTF-8 encoding",
            "content-encoding",
        )
    return Source(relative, _stem(relative), text, hashlib.sha256(data).hexdigest(), signature)


def _relative(root: Path, path: str | Path) -> str:
    """``path`` relative to ``root``, with forward slashes (as ``relative_to`` gives it, in
    a fraction of the time: ten thousand files are read each build)."""
    text, prefix = os.fspath(path), str(root) + os.sep
    if not text.startswith(prefix):
        return Path(path).relative_to(root).as_posix()
    return text[len(prefix) :].replace(os.sep, "/")


def _stem(relative: str) -> str:
    return os.path.splitext(relative.rpartition("/")[2])[0]


def _inside(root: str, path: str, stat: os.stat_result) -> bool:
    """Whether ``path`` (a file under ``root``; ``stat``: not following links) really is
    inside it, links followed. Only links cost a full resolution: a folder is judged
    once, a plain file not at all."""
    if S_ISLNK(stat.st_mode):
        return _within(_real(root), os.path.realpath(path))
    return _folder_inside(root, os.path.dirname(path))


@functools.lru_cache(maxsize=256)
def _folder_inside(root: str, folder: str) -> bool:
    return _within(_real(root), _real(folder))


def _within(real_root: str, real: str) -> bool:
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


@functools.lru_cache(maxsize=256)
def _real(folder: str) -> str:
    return os.path.realpath(folder)


def parse_source(source: Source) -> Document | Diagnostic:
    if source.text is None:
        raise ValueError(f"{source.path} was recognised by its metadata, not read")
    try:
        front = split_front_matter(source.text)
    except FrontMatterError as exc:
        return error(source.path, exc.line, str(exc), exc.hint, "content-front-matter")
    return Document(source.path, source.stem, front, source.digest)
