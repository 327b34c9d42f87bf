"""Split a content file into front matter (YAML ``---`` or TOML ``+++``) and body.

Line numbers are kept so that errors point at the real line of the file.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from typing import Any

import yaml

# The C loader is ~10x faster; fall back to the pure-Python one where libyaml is missing.
_YamlLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_FENCES = {"---": "yaml", "+++": "toml"}
_LINES = re.compile(r"[^\n]*\n|[^\n]+$")
_KEY_LINE = re.compile(r"""^["']?([A-Za-z_][\w-]*)["']?\s*[:=]""")


@dataclass(frozen=True, slots=True)
class FrontMatter:
    meta: dict[str, Any]
    body: str
    body_line: int
    """1-based line of the file where the body starts."""
    key_lines: dict[str, int]
    """1-based line of each top-level key, for diagnostics."""


class FrontMatterError(ValueError):
    def __init__(self, message: str, line: int | None, hint: str) -> None:
        super().__init__(message)
        self.line = line
        self.hint = hint


def split_front_matter(text: str) -> FrontMatter:
    """Parse ``text``; raise FrontMatterError with a line and a hint when it is malformed."""
    text = text.removeprefix("\ufeff")
    # Split on "\n" only: str.splitlines() also breaks at characters such as U+0085 and
    # U+2028 that may legitimately appear inside a title.
    lines = _LINES.findall(text)
    fence = lines[0].strip() if lines else ""
    if fence not in _FENCES:
        raise FrontMatterError(
            "the file does not start with front matter",
            1,
            "begin with a line '---', then 'title:', 'date:' and 'source:' lines, then '---'",
        )
    closers = {fence, "..."} if fence == "---" else {fence}
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in closers), None)
    if end is None:
        raise FrontMatterError(
            "the front matter opened on line 1 is never closed",
            len(lines),
            f"add a line '{fence}' after the last front matter key",
        )
    raw = "".join(lines[1:end])
    meta = _parse(_FENCES[fence], raw)
    key_lines: dict[str, int] = {}
    for offset, line in enumerate(lines[1:end], start=2):
        match = _KEY_LINE.match(line)
        if match:
            key_lines.setdefault(match.group(1), offset)
    return FrontMatter(meta, "".join(lines[end + 1 :]), end + 2, key_lines)


def _parse(kind: str, raw: str) -> dict[str, Any]:
    if kind == "toml":
        try:
            meta: object = tomllib.loads(raw)
        except tomllib.TOMLDecodeError as exc:
            match = re.search(r"line (\d+)", str(exc))
            line = int(match.group(1)) + 1 if match else None
            message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
            raise FrontMatterError(
                f"invalid TOML front matter: {message}",
                line,
                'TOML needs quoted strings (title = "...") and lists in brackets',
            ) from None
    else:
        try:
            meta = yaml.load(raw, Loader=_YamlLoader) if raw.strip() else {}
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 2 if mark else None
            raise FrontMatterError(
                f"invalid YAML front matter: {exc.problem or exc.context}",
                line,
                "quote values that contain ': ' or start with a quote, '#', '[' or '{'",
            ) from None
        except yaml.YAMLError as exc:
            raise FrontMatterError(
                f"invalid YAML front matter: {exc}", None, "check the YAML syntax"
            ) from None
    if not isinstance(meta, dict):
        raise FrontMatterError(
            "front matter must be a set of 'key: value' lines",
            2,
            "write one 'key: value' per line, e.g. 'title: My headline'",
        )
    return {str(key): value for key, value in meta.items()}
