"""Validation of front matter values: each reader returns a clean value or records a
diagnostic that names the file, the key's line and how to fix it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from newsdigest.content.documents import Document
from newsdigest.diagnostics import Diagnostic, did_you_mean, error, warning
from newsdigest.textnorm import web_url

DATE_HINT = "write an ISO date such as 2025-06-16 or 2025-06-16T09:30:00+09:00"


class FieldReader:
    """Reads typed values out of one document's front matter."""

    def __init__(self, document: Document, diagnostics: list[Diagnostic]) -> None:
        self.document = document
        self.meta = document.front.meta
        self.diagnostics = diagnostics

    def line(self, key: str) -> int:
        return self.document.front.key_lines.get(key, 1)

    def fail(self, key: str, message: str, hint: str | None, code: str) -> None:
        self.diagnostics.append(error(self.document.path, self.line(key), message, hint, code))

    def text(self, key: str, *, required: bool = False) -> str | None:
        value = self.meta.get(key)
        if value is None:
            if required:
                self.diagnostics.append(
                    error(
                        self.document.path,
                        1,
                        f"front matter has no '{key}'",
                        f"add a line '{key}: ...' to the front matter",
                        "content-missing-key",
                    )
                )
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.fail(key, f"'{key}' must be text", f"write it as '{key}: \"...\"'", "content-type")
            return None
        cleaned = " ".join(str(value).split())
        if required and not cleaned:
            self.fail(key, f"'{key}' is empty", f"give the article a {key}", "content-missing-key")
            return None
        return cleaned or None

    def url(self, key: str) -> str | None:
        value = self.text(key)
        if value is not None and not is_web_url(value):
            self.fail(
                key,
                f"'{key}' is not an absolute http(s) URL: {value!r}",
                "write the full address, starting with https://",
                "content-url",
            )
            return None
        return value

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.meta.get(key, default)
        if not isinstance(value, bool):
            self.fail(key, f"'{key}' must be true or false", None, "content-type")
            return False
        return value

    def number(self, key: str) -> int | None:
        value = self.meta.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.fail(key, f"'{key}' must be a whole number, not {value!r}", None, "content-type")
            return None
        return value

    def words(self, key: str) -> tuple[str, ...]:
        """A list of short strings; a single string is accepted as a one-item list."""
        value = self.meta.get(key)
        if value is None:
            return ()
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(i, str | int) for i in items):
            self.fail(
                key, f"'{key}' must be a list of words", f"write '{key}: [a, b]'", "content-type"
            )
            return ()
        return tuple(dict.fromkeys(" ".join(str(i).split()) for i in items if str(i).strip()))

    def when(self, key: str, zone: ZoneInfo) -> datetime | None:
        value = self.meta.get(key)
        if value is None:
            self.text(key, required=True)
            return None
        moment = to_datetime(value, zone)
        if moment is None:
            self.fail(key, f"'{key}' is not a date: {value!r}", DATE_HINT, "content-date")
        return moment

    def warn_unknown(self, known: Iterable[str]) -> None:
        known = tuple(known)
        for key in self.meta:
            if key not in known:
                self.diagnostics.append(
                    warning(
                        self.document.path,
                        self.line(key),
                        f"unknown front matter key '{key}'",
                        did_you_mean(key, known) or "it is ignored; README.md lists the keys",
                        "content-unknown-key",
                    )
                )


def to_datetime(value: Any, zone: ZoneInfo) -> datetime | None:
    """An aware datetime from a YAML/TOML date, datetime or ISO string (naive: site zone)."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0), tzinfo=zone)
    return None


def is_web_url(value: str) -> bool:
    return web_url(value) == value.strip()
