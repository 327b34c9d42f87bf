"""Publication dates as pages print them: ISO, dd-mm-yyyy, "June 16, 2025", "16 June 2025",
with optional times and zone abbreviations; and relative times, which are never dates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from newsdigest.importers.base import PageDate

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
# Common abbreviations on news pages; ambiguous ones (IST, CST) take their most frequent
# meaning in news use.
_ZONES = {
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "WET": 0,
    "BST": 60,
    "CET": 60,
    "CEST": 120,
    "EET": 120,
    "EEST": 180,
    "MSK": 180,
    "IST": 330,
    "ICT": 420,
    "WIB": 420,
    "SGT": 480,
    "HKT": 480,
    "CST": -360,
    "AWST": 480,
    "PHT": 480,
    "JST": 540,
    "KST": 540,
    "ACST": 570,
    "AEST": 600,
    "AEDT": 660,
    "NZST": 720,
    "NZDT": 780,
    "EST": -300,
    "EDT": -240,
    "CDT": -300,
    "MST": -420,
    "MDT": -360,
    "PST": -480,
    "PDT": -420,
    "AKST": -540,
    "HST": -600,
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_TIME = (
    r"(?:(?:,|\s+at|\s*[-–—|·])?\s*(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?(?::(?P<second>\d{2}))?"
    r"\s*(?P<ampm>[ap]\.?\s?m\.?)?(?(minute)|(?(ampm)|(?!)))"  # a bare number is not a time
    r"\s*(?P<zone>Z|[+-]\d{2}:?\d{2}|(?:UTC|GMT)[+-]\d{1,2}(?::?\d{2})?|[A-Z]{2,5}\b)?)?"
)
_PATTERNS = [
    re.compile(
        r"(?<!\d)(?P<year>\d{4})-(?P<mon>\d{2})-(?P<day>\d{2})"
        r"(?:[T ](?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?"
        r"\s*(?P<zone>Z|[+-]\d{2}:?\d{2}|[A-Z]{2,5}\b)?)?(?!\d)"
    ),
    re.compile(r"(?<!\d)(?P<day>\d{1,2})[-/.](?P<mon>\d{1,2})[-/.](?P<year>\d{4})(?!\d)" + _TIME),
    re.compile(
        r"\b" + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})(?!\d)" + _TIME,
        re.IGNORECASE,
    ),
    re.compile(
        r"(?<!\d)(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+"
        + _MONTH
        + r",?\s+(?P<year>\d{4})(?!\d)"
        + _TIME,
        re.IGNORECASE,
    ),
]
_RELATIVE = re.compile(
    r"^(?:time|updated|published|posted|edited)?\s*:?\s*"
    r"(?:(?:\d+|an?|one|a few)\s*(?:sec|second|min|minute|hr|hour|day|week|month|year)s?\s+ago"
    r"|just now|moments? ago|yesterday|today|last (?:week|month|year))\.?$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class DateMatch:
    value: PageDate
    start: int
    end: int


def is_relative_time(line: str) -> bool:
    """``time12 minutes ago``, ``Updated 3 hours ago``, ``yesterday``: never a date."""
    return bool(_RELATIVE.match(line.strip()))


def search_date(line: str) -> DateMatch | None:
    """The earliest absolute date in ``line``, as printed (no zone conversion)."""
    found = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(line):
            value = _to_value(match)
            if value is not None:
                found.append(DateMatch(value, match.start(), match.end()))
                break
    return min(found, key=lambda m: m.start) if found else None


def parse_date(text: str) -> PageDate | None:
    """A date that is the whole of ``text`` (after trimming), else None."""
    match = search_date(text.strip())
    return match.value if match and match.start == 0 and match.end == len(text.strip()) else None


def _to_value(match: re.Match[str]) -> PageDate | None:
    parts = match.groupdict()
    month = _MONTHS.get((parts.get("month") or "").lower().rstrip(".")) or int(
        parts.get("mon") or 0
    )
    day, year = int(parts["day"]), int(parts["year"])
    numeric_day_first = parts.get("mon") and not re.match(r"\d{4}", match.group(0))
    if numeric_day_first and month > 12 >= day:
        day, month = month, day  # mm-dd-yyyy: the second number cannot be a month
    try:
        when = date(year, month, day)
    except ValueError:
        return None
    if parts.get("hour") is None:
        return when
    raw_hour, ampm = int(parts["hour"]), (parts.get("ampm") or "").lower()
    hour = raw_hour % 12 + (12 if ampm.startswith("p") else 0) if ampm else raw_hour
    if hour > 23 or int(parts.get("minute") or 0) > 59:
        return when
    clock = time(hour, int(parts.get("minute") or 0), int(parts.get("second") or 0))
    return datetime.combine(when, clock, tzinfo=_zone(parts.get("zone")))


def _zone(text: str | None) -> timezone | None:
    if not text:
        return None
    if text.upper() in _ZONES:
        return timezone(timedelta(minutes=_ZONES[text.upper()]))
    offset = re.fullmatch(r"(?:UTC|GMT)?([+-])(\d{1,2}):?(\d{2})?", text)
    if not offset:
        return None
    sign = -1 if offset.group(1) == "-" else 1
    minutes = int(offset.group(2)) * 60 + int(offset.group(3) or 0)
    return timezone(sign * timedelta(minutes=minutes)) if minutes < 24 * 60 else None
