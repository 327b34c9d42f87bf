"""Diagnostics: user-facing problems as data, collected across a run.

Stages return diagnostics instead of raising or printing, so one run reports every
content error at once. Only the CLI turns them into text and exit codes.

    NewsdigestError
     ├── ConfigError    site.toml is unusable (exit status 2)
     └── ContentError   content files have errors (exit status 1)
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem in one file, with where it is and how to fix it."""

    severity: Severity
    path: str
    """Path relative to the site root, with forward slashes."""
    line: int | None
    message: str
    hint: str | None = None
    code: str = ""
    """Stable identifier, e.g. ``config-unknown-key``; tests and docs refer to it."""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.severity.value}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def error(path: str, line: int | None, message: str, hint: str | None, code: str) -> Diagnostic:
    return Diagnostic(Severity.ERROR, path, line, message, hint, code)


def warning(path: str, line: int | None, message: str, hint: str | None, code: str) -> Diagnostic:
    return Diagnostic(Severity.WARNING, path, line, message, hint, code)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A "did you mean" hint for a misspelt name, or None when nothing is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


class NewsdigestError(Exception):
    """A problem the user must fix; carries the diagnostics that describe it."""

    exit_code = 1

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        super().__init__("\n".join(str(d) for d in diagnostics))
        self.diagnostics = tuple(diagnostics)


class ConfigError(NewsdigestError):
    exit_code = 2


class ContentError(NewsdigestError):
    exit_code = 1
