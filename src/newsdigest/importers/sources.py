"""Where import material comes from: files, folders (recursed), globs, http(s) URLs and
standard input; and which importer reads it."""

from __future__ import annotations

import glob
import sys
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit

from newsdigest import __version__

Format = Literal["text", "html", "feed", "markdown"]
USER_AGENT = f"newsdigest/{__version__} (article import for a static news digest)"
FETCH_TIMEOUT = 20.0


@dataclass(frozen=True, slots=True)
class RawSource:
    origin: str
    """The path as given, the URL, or ``-``."""
    data: bytes | None
    """None when it could not be read; ``problem`` says why."""
    problem: str | None = None
    url: str | None = None
    """For fetched pages: the final URL after redirects (base for relative links)."""


def collect(arguments: list[str], *, max_bytes: int) -> Iterator[RawSource]:
    """Every source named on the command line, in a stable order (folders sorted)."""
    for argument in arguments:
        if argument == "-":
            yield _limited("-", sys.stdin.buffer.read(max_bytes + 1), max_bytes)
        elif urlsplit(argument).scheme in ("http", "https"):
            yield fetch(argument, max_bytes=max_bytes)
        else:
            yield from _local(argument, max_bytes)


def _local(argument: str, max_bytes: int) -> Iterator[RawSource]:
    path = Path(argument)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p, path))
    elif path.is_file():
        files = [path]
    else:
        files = sorted(Path(p) for p in glob.glob(argument, recursive=True) if Path(p).is_file())
        if not files:
            yield RawSource(argument, None, "no such file, folder or matching files")
            return
    for file in files:
        yield read_file(file, max_bytes)


def _hidden(path: Path, base: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(base).parts)


def read_file(path: Path, max_bytes: int) -> RawSource:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return RawSource(str(path), None, _too_big(size, max_bytes))
        return RawSource(str(path), path.read_bytes())
    except OSError as exc:
        return RawSource(str(path), None, exc.strerror or str(exc))


def fetch(url: str, *, max_bytes: int, timeout: float = FETCH_TIMEOUT) -> RawSource:
    """GET ``url`` (redirects followed) with a clear user agent, a timeout and a size cap."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(max_bytes + 1)
            final = response.geturl()
    except HTTPError as exc:
        exc.close()
        return RawSource(url, None, f"could not fetch: HTTP {exc.code} {exc.reason}")
    except (URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        return RawSource(url, None, f"could not fetch: {reason}")
    source = _limited(url, data, max_bytes)
    return RawSource(source.origin, source.data, source.problem, final)


def _limited(origin: str, data: bytes, max_bytes: int) -> RawSource:
    if len(data) > max_bytes:
        return RawSource(origin, None, _too_big(len(data), max_bytes))
    return RawSource(origin, data)


def _too_big(size: int, limit: int) -> str:
    return (
        f"the file is larger than the import limit ({size:,} > {limit:,} bytes); "
        "raise [import] max_bytes in site.toml if it really is one article"
    )


def detect_format(data: bytes, origin: str) -> Format:
    """The importer for ``data``: by content first, then by file extension."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"---", b"+++")):
        return "markdown"
    if head.startswith(b"<?xml") or head.startswith((b"<rss", b"<feed", b"<rdf")):
        return "feed" if any(tag in head for tag in (b"<rss", b"<feed", b"<rdf")) else "html"
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<!--")):
        return "html"
    suffix = Path(urlsplit(origin).path).suffix.lower()
    return {
        ".html": "html",
        ".htm": "html",
        ".xml": "feed",
        ".rss": "feed",
        ".atom": "feed",
        ".md": "markdown",
        ".markdown": "markdown",
    }.get(suffix, "text")  # type: ignore[return-value]
