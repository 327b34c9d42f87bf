"""Typed, validated site configuration loaded from ``site.toml``.

Every setting is a field of a frozen dataclass below; the loader walks those fields, so
adding a setting means adding a field (with its default and docstring) and nothing else.
Wrong types and unknown keys become diagnostics with the key path, line and a hint.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slugify import slugify

from newsdigest.diagnostics import ConfigError, Diagnostic, did_you_mean, error

CONFIG_FILE = "site.toml"

Cadence = Literal["daily", "weekly", "monthly"]
Display = Literal["full", "excerpt", "summary"]


@dataclass(frozen=True, slots=True)
class TopicRule:
    name: str
    """Display name, e.g. ``Economy & Trade``."""
    slug: str
    """URL segment: ``/topics/<slug>/``."""
    keywords: tuple[str, ...] = ()
    """Words or phrases that assign an article to this topic (case-insensitive)."""
    fallback: bool = False
    """Articles that match no topic's keywords go here."""


@dataclass(frozen=True, slots=True)
class IssuesConfig:
    cadence: Cadence = "weekly"
    """How articles are grouped into issues: one issue per day, ISO week or month."""
    first_number: int = 1
    """Number of the oldest issue."""


@dataclass(frozen=True, slots=True)
class RelatedConfig:
    count: int = 5
    """At most this many related stories per article."""
    threshold: float = 0.25
    """Computed candidates scoring below this are left out."""
    include_newer: bool = False
    """List articles published after this one (old pages then change as the site grows)."""
    named_weight: float = 2.0
    """Score of a story the article's source page named: above any computed score, so
    named stories come first."""
    text_weight: float = 1.0
    """Weight of text similarity (1.0 = as similar as the article is to itself)."""
    topic_weight: float = 0.2
    """Weight of shared topics (Jaccard overlap)."""
    tag_weight: float = 0.2
    """Weight of shared tags (Jaccard overlap)."""


@dataclass(frozen=True, slots=True)
class FeedsConfig:
    issues: int = 20
    """Items in ``feed.xml`` and ``atom.xml`` (one per issue)."""
    articles: int = 50
    """Items in ``articles.xml`` (one per article)."""
    topics: int = 20
    """Items in each ``topics/<slug>/feed.xml``."""


@dataclass(frozen=True, slots=True)
class ArticlesConfig:
    display: Display = "full"
    """What article pages and feeds show: the full text, an excerpt, or only the summary."""
    excerpt_words: int = 60
    """Length of an excerpt, rounded up to whole paragraphs."""
    summary_words: int = 50
    """Length of a summary derived from the body when front matter has none."""
    max_topics: int = 2
    """Topics assigned from keyword rules to an article that names none."""
    max_bytes: int = 5_000_000
    """Content files (articles, pages, issue intros) larger than this are refused."""
    smart_punctuation: bool = True
    """Typographic quotes and dashes for articles that do not say; it doubles the cost of
    rendering Markdown."""


@dataclass(frozen=True, slots=True)
class ImportConfig:
    boilerplate: tuple[str, ...] = ()
    """Extra interface lines the importers drop, on top of the built-in list."""
    max_bytes: int = 5_000_000
    """Larger sources are refused: no single article is that big."""


@dataclass(frozen=True, slots=True)
class SiteConfig:
    title: str = "My news digest"
    description: str = ""
    base_url: str = "http://localhost:8000/"
    """Absolute URL the site is published at; its path prefixes every internal link."""
    language: str = "en"
    timezone: str = "UTC"
    """IANA zone for dates written without one, and for grouping into issues."""
    author: str = ""
    theme: str = "default"
    """A folder under ``themes/``, or the built-in default theme."""
    issues: IssuesConfig = IssuesConfig()
    topics: tuple[TopicRule, ...] = ()
    related: RelatedConfig = RelatedConfig()
    feeds: FeedsConfig = FeedsConfig()
    articles: ArticlesConfig = ArticlesConfig()
    import_: ImportConfig = field(default=ImportConfig(), metadata={"key": "import"})

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True, slots=True)
class Overrides:
    """Settings given on the command line; ``None`` keeps the value from ``site.toml``."""

    base_url: str | None = None


def load_config(root: Path, overrides: Overrides | None = None) -> SiteConfig:
    """Read ``root/site.toml``; raise ConfigError listing every problem found."""
    ensure_site(root)
    text = (root / CONFIG_FILE).read_text(encoding="utf-8", errors="replace")
    config, diagnostics = parse_config(text, overrides or Overrides())
    if diagnostics:
        raise ConfigError(diagnostics)
    return config


def ensure_site(root: Path) -> None:
    """Raise ConfigError unless ``root`` holds a ``site.toml``."""
    if not (root / CONFIG_FILE).is_file():
        raise ConfigError(
            [
                error(
                    CONFIG_FILE,
                    None,
                    f"no {CONFIG_FILE} in {root}",
                    "run the command inside a site folder, pass --site DIR, "
                    "or create one with 'newsdigest init DIR'",
                    "config-missing",
                )
            ]
        )


def parse_config(text: str, overrides: Overrides) -> tuple[SiteConfig, list[Diagnostic]]:
    """Parse and validate TOML text; return the config and the problems found."""
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        line = int(match.group(1)) if match else None
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        hint = "check the TOML syntax: strings need quotes, tables look like [name]"
        return SiteConfig(), [error(CONFIG_FILE, line, message, hint, "config-syntax")]
    if overrides.base_url is not None:
        table["base_url"] = overrides.base_url
    reader = _Reader(text)
    # Invalid values were dropped (defaults stand in), so the cross-field checks can still
    # run and one pass reports every problem.
    config = _normalise(reader.build(SiteConfig, table, ()), reader)
    return config, reader.diagnostics


KeyPath = tuple[str | int, ...]


class _Reader:
    """Builds dataclasses from TOML tables, recording a diagnostic for each mismatch."""

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")
        self.diagnostics: list[Diagnostic] = []

    def report(self, path: KeyPath, message: str, hint: str | None, code: str) -> None:
        name = _dotted(path)
        self.diagnostics.append(
            error(CONFIG_FILE, _line_of(self.lines, path), f"{name}: {message}", hint, code)
        )

    def build(self, cls: type[Any], table: Mapping[str, Any], path: KeyPath) -> Any:
        fields = {f.metadata.get("key", f.name): f for f in dataclasses.fields(cls)}
        hints = typing.get_type_hints(cls)
        values: dict[str, Any] = {}
        for key, value in table.items():
            if key not in fields:
                hint = did_you_mean(key, fields) or "remove it; README.md lists every setting"
                self.report((*path, key), "unknown setting", hint, "config-unknown-key")
                continue
            spec = fields[key]
            converted = self.convert(hints[spec.name], value, (*path, key))
            if converted is not _INVALID:
                values[spec.name] = converted
        missing = [
            f.name
            for f in dataclasses.fields(cls)
            if f.default is dataclasses.MISSING and f.name not in values
        ]
        for name in missing:
            self.diagnostics.append(
                error(
                    CONFIG_FILE,
                    _line_of(self.lines, path),
                    f"{_dotted((*path, name))}: is required",
                    f"add {name} = ... to this table",
                    "config-missing-key",
                )
            )
        return _INVALID if missing else cls(**values)

    def convert(self, hint: Any, value: Any, path: KeyPath) -> Any:
        origin = typing.get_origin(hint)
        if dataclasses.is_dataclass(hint):
            if not isinstance(value, dict):
                return self.mismatch(path, "a table", value)
            return self.build(typing.cast(type[Any], hint), value, path)
        if origin is Literal:
            choices = typing.get_args(hint)
            if value not in choices:
                listed = ", ".join(repr(c) for c in choices)
                hint_text = did_you_mean(str(value), choices) or f"use one of {listed}"
                self.report(
                    path, f"must be one of {listed}, not {value!r}", hint_text, "config-type"
                )
                return _INVALID
            return value
        if origin is tuple:
            item_type = typing.get_args(hint)[0]
            if not isinstance(value, list):
                return self.mismatch(path, "a list", value)
            items = [self.convert(item_type, item, (*path, i)) for i, item in enumerate(value)]
            return tuple(item for item in items if item is not _INVALID)
        if origin in (types.UnionType, typing.Union):
            return value
        expected = {
            str: "a string",
            int: "a whole number",
            bool: "true or false",
            float: "a number",
        }
        accepted = (int, float) if hint is float else hint
        if isinstance(value, bool) != (hint is bool) or not isinstance(value, accepted):
            return self.mismatch(path, expected[hint], value)
        return float(value) if hint is float else value

    def mismatch(self, path: KeyPath, expected: str, value: Any) -> object:
        got = type(value).__name__
        names = {
            "dict": "table",
            "list": "list",
            "str": "string",
            "int": "number",
            "float": "number",
        }
        self.report(path, f"must be {expected}, not a {names.get(got, got)}", None, "config-type")
        return _INVALID


_INVALID = object()


def _normalise(config: SiteConfig, reader: _Reader) -> SiteConfig:
    """Cross-field checks and canonical forms, run once every field has the right type."""
    parts = urlsplit(config.base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        reader.report(
            ("base_url",),
            f"must be an absolute http(s) URL, not {config.base_url!r}",
            "for GitHub Pages use https://USER.github.io/REPO/",
            "config-base-url",
        )
    try:
        ZoneInfo(config.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        reader.report(
            ("timezone",),
            f"unknown time zone {config.timezone!r}",
            "use an IANA name such as 'Europe/London' or 'Asia/Tokyo'",
            "config-timezone",
        )
    _check_topics(config.topics, reader)
    _check_minimums(config, reader)
    base_url = config.base_url if config.base_url.endswith("/") else config.base_url + "/"
    return dataclasses.replace(config, base_url=base_url)


def _check_topics(topics: tuple[TopicRule, ...], reader: _Reader) -> None:
    seen: set[str] = set()
    for index, topic in enumerate(topics):
        if topic.slug != slugify(topic.slug) or not topic.slug:
            reader.report(
                ("topics", index, "slug"),
                f"{topic.slug!r} is not a valid slug",
                f"use lowercase letters, digits and hyphens, e.g. {slugify(topic.name)!r}",
                "config-topic-slug",
            )
        if topic.slug in seen:
            reader.report(
                ("topics", index, "slug"),
                f"topic slug {topic.slug!r} is used twice",
                "give each topic its own slug",
                "config-topic-duplicate",
            )
        seen.add(topic.slug)
    fallbacks = [i for i, t in enumerate(topics) if t.fallback]
    for index in fallbacks[1:]:
        reader.report(
            ("topics", index, "fallback"),
            "only one topic can be the fallback",
            "set fallback = true on a single topic",
            "config-topic-fallback",
        )


_MINIMUMS: tuple[tuple[KeyPath, float], ...] = (
    (("issues", "first_number"), 0),
    (("related", "count"), 0),
    (("related", "threshold"), 0),
    (("related", "named_weight"), 0),
    (("related", "text_weight"), 0),
    (("related", "topic_weight"), 0),
    (("related", "tag_weight"), 0),
    (("feeds", "issues"), 1),
    (("feeds", "articles"), 1),
    (("feeds", "topics"), 1),
    (("articles", "excerpt_words"), 1),
    (("articles", "summary_words"), 1),
    (("articles", "max_topics"), 1),
    (("articles", "max_bytes"), 1),
    (("import", "max_bytes"), 1),
)


def _check_minimums(config: SiteConfig, reader: _Reader) -> None:
    for path, minimum in _MINIMUMS:
        section, name = path
        attribute = "import_" if section == "import" else str(section)  # a Python keyword
        value = getattr(getattr(config, attribute), str(name))
        if value < minimum:
            reader.report(path, f"must be at least {minimum}, not {value}", None, "config-range")


def _dotted(path: KeyPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _line_of(lines: list[str], path: KeyPath) -> int | None:
    """Best-effort line of a key in the TOML text, for the diagnostic (None if not found)."""
    if not path:
        return None
    if isinstance(path[-1], int):
        headers = [
            n for n, raw in enumerate(lines, 1) if raw.strip() == f"[[{_dotted(path[:-1])}]]"
        ]
        return headers[path[-1]] if path[-1] < len(headers) else None
    table = [p for p in path[:-1] if isinstance(p, str)]
    want_index = next((p for p in path if isinstance(p, int)), None)
    header = ".".join(table)
    key = path[-1]
    current, occurrence = "", -1
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if line.startswith("[["):
            current = line.strip("[] ")
            occurrence = occurrence + 1 if current == header else occurrence
            continue
        if line.startswith("["):
            current = line.strip("[] ")
            if isinstance(key, str) and current == ".".join([*table, key]):
                return number
            continue
        in_table = current == header and (want_index is None or occurrence == want_index)
        if (
            in_table
            and isinstance(key, str)
            and re.match(rf"[\"']?{re.escape(key)}[\"']?\s*=", line)
        ):
            return number
    return None
