"""Copied aggregator text: finds the headline, source, date, byline, body paragraphs and the
related-stories block of a page copied from a news site or aggregator.

General rules rather than one parser per site: the body is the first run of prose; the
headline is the last title-like line above it; metadata lines sit between them; interface
text is recognised by ``Boilerplate``; the related block starts at a heading such as
"Related Articles" or "You may also like" and ends at the next interface text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from newsdigest.importers.base import ExtractionError, ImportedArticle, PageDate
from newsdigest.importers.boilerplate import Boilerplate
from newsdigest.importers.dates import is_relative_time, search_date
from newsdigest.model import Mention
from newsdigest.textnorm import normalise_title

RELATED_HEADING = re.compile(
    r"^(related( articles| stories| coverage| news| content| reading| links)?|you (may|might) "
    r"also (like|enjoy)|more (on this( story)?|stories|like this|from \w+( \w+)?)|recommended"
    r"( for you| stories| reading)?|read (more|next|also)|see also|further reading|"
    r"in other news|also read)\s*:?$",
    re.IGNORECASE,
)
NAVIGATION_HEADING = re.compile(
    r"^(trending( now| stories)?|most (read|popular|viewed|shared|commented)|popular"
    r"( now| stories)?|top stories|editor'?s picks|latest( news)?|what'?s hot)\s*:?$",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^(?:by|words by|written by|reporting by)\s+(.+)$", re.IGNORECASE)
_SOURCE_LABEL = re.compile(r"^(?:source|via|from|publisher)\s*:\s*(.+)$", re.IGNORECASE)
_BULLET = re.compile(r"^[•·▪◦‣*-]\s+(.+)$")
_UPDATED = re.compile(r"^(updated|modified|edited|last updated)\b", re.IGNORECASE)
_LABEL = re.compile(r"^(published|posted|date|first published)\s*:?\s*", re.IGNORECASE)
_FIELD_SEPARATORS = re.compile(r"\s+[|·•—–]\s+")
_SEPARATORS = " \t·|•—–-,:"
_SENTENCE_END = re.compile(r"[.!?…:;\"'”’)\]]$")
_WORD = re.compile(r"\w+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


def _split_fields(text: str) -> list[str]:
    return [part.strip() for part in _FIELD_SEPARATORS.split(text) if part.strip()]


def words(line: str) -> int:
    return len(_WORD.findall(line))


def is_prose(line: str) -> bool:
    """A paragraph of running text, not a label, headline or button."""
    count = words(line)
    return count >= 25 or (count >= 10 and bool(_SENTENCE_END.search(line)))


@dataclass
class _Meta:
    source: str | None = None
    source_rank: int = 0
    """How trustworthy ``source`` is: an explicit "Source:" label beats a guess."""
    date: PageDate | None = None
    updated: PageDate | None = None
    """Only used when the page prints no publication date."""
    author: str | None = None

    def offer_source(self, name: str, rank: int) -> None:
        name = name.strip(_SEPARATORS)
        if name and words(name) <= 8 and rank > self.source_rank:
            self.source, self.source_rank = name, rank


@dataclass
class _Item:
    title: str
    source: str | None = None
    summary: str | None = None
    seen: set[str] = field(default_factory=set)


def clean_lines(text: str) -> list[str]:
    """Lines with control characters removed and whitespace collapsed (blank lines kept)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    return [" ".join(_CONTROL.sub(" ", line).split()) for line in text.split("\n")]


def extract_text(text: str, *, origin: str, boilerplate: Boilerplate) -> ImportedArticle:
    lines = clean_lines(text)
    if not any(lines):
        raise ExtractionError("the file is empty")
    page = _Page(lines, boilerplate)
    start = page.body_start()
    if start is None:
        raise ExtractionError("no article text found: the page holds only interface text")
    title, meta = page.header(start)
    if title is None:
        raise ExtractionError("no headline found above the article text")
    end = page.body_end(start)
    paragraphs, byline = page.body(start, end, title)
    related = page.related(start)
    return ImportedArticle(
        title=title,
        source=meta.source,
        date=meta.date,
        author=meta.author or byline,
        url=None,
        summary=None,
        paragraphs=tuple(paragraphs),
        related=tuple(related),
        origin=origin,
    )


class _Page:
    def __init__(self, lines: list[str], boilerplate: Boilerplate) -> None:
        self.lines = lines
        self.boilerplate = boilerplate

    def is_noise(self, line: str) -> bool:
        return line in self.boilerplate or is_relative_time(line)

    def is_heading(self, line: str) -> bool:
        return bool(RELATED_HEADING.match(line) or NAVIGATION_HEADING.match(line))

    def content(self, start: int, stop: int | None = None) -> list[int]:
        """Indices of non-blank lines in ``[start, stop)``."""
        stop = len(self.lines) if stop is None else stop
        return [i for i in range(start, stop) if self.lines[i]]

    def body_start(self) -> int | None:
        """The first prose line followed by more prose (a lone banner sentence is not a body)."""
        candidates = [
            i
            for i in self.content(0)
            if not self.is_noise(self.lines[i]) and not self.is_heading(self.lines[i])
        ]
        for position, index in enumerate(candidates):
            line = self.lines[index]
            if not is_prose(line):
                continue
            # Another paragraph soon after (an advert or pull quote may sit between).
            following = candidates[position + 1 : position + 4]
            if words(line) >= 40 or any(is_prose(self.lines[i]) for i in following):
                return index
            if not following or self.is_heading(self.lines[following[0]]):
                return index
        return None

    def header(self, start: int) -> tuple[str | None, _Meta]:
        """The headline and the metadata lines above the body.

        The headline is the title-like line that metadata (byline, source, date) follows,
        skipping repeats of it; failing that, the last title-like line above the body."""
        meta = _Meta()
        lines = [
            self.lines[i]
            for i in self.content(0, start)
            if not self.is_noise(self.lines[i]) or _SOURCE_LABEL.match(self.lines[i])
        ]
        is_meta = [self._read_meta(line, meta) for line in lines]
        candidates = [
            i
            for i, line in enumerate(lines)
            if not is_meta[i] and words(line) >= 3 and not line.isupper()
        ]
        title = next((lines[i] for i in candidates if self._meta_follows(lines, is_meta, i)), None)
        if title is None and candidates:
            title = lines[candidates[-1]]
        if title is not None:
            position = lines.index(title)
            for line, meta_line in zip(lines[position + 1 :], is_meta[position + 1 :], strict=True):
                if not meta_line and words(line) <= 5 and not line.isupper() and line != title:
                    meta.offer_source(line, 1)  # a bare outlet name under the headline
        meta.date = meta.date or meta.updated
        return title, meta

    @staticmethod
    def _meta_follows(lines: list[str], is_meta: list[bool], index: int) -> bool:
        own = normalise_title(lines[index])
        for line, meta_line in zip(lines[index + 1 :], is_meta[index + 1 :], strict=True):
            if normalise_title(line) != own:
                return meta_line
        return False

    def _read_meta(self, line: str, meta: _Meta) -> bool:
        """Record byline, source and date from a metadata line; True if it was one."""
        if byline := _BYLINE.match(line):
            name, *rest = _split_fields(byline.group(1))
            meta.author = meta.author or name
            for part in rest:
                if not self._read_meta(part, meta):
                    meta.offer_source(part, 3)
            return True
        if label := _SOURCE_LABEL.match(line):
            meta.offer_source(label.group(1), 4)
            return True
        if (outlet := _source_line(line)) is not None and is_relative_time(
            line[len(outlet) :].strip(_SEPARATORS)
        ):
            meta.offer_source(outlet, 3)
            return True
        found = search_date(line)
        if found is None or words(line) > 14:
            return False
        if _UPDATED.match(line):
            meta.updated = meta.updated or found.value
            return True
        meta.date = meta.date or found.value
        before, after = line[: found.start], line[found.end :]
        for part, rank in ((before, 3), (after, 2)):
            part = _LABEL.sub("", part.strip(_SEPARATORS))
            if part and not part.isupper() and not _LABEL.fullmatch(part):
                meta.offer_source(part, rank)
        return True

    def body_end(self, start: int) -> int:
        """Where the article stops: a related/navigation heading, or a run of interface text."""
        previous_noise = False
        for index in self.content(start):
            line = self.lines[index]
            if self.is_heading(line):
                return index
            noise = self.is_noise(line)
            if noise and previous_noise:
                return index
            previous_noise = noise
        return len(self.lines)

    def body(self, start: int, end: int, title: str) -> tuple[list[str], str | None]:
        """The paragraphs, and a byline printed below the article ("Reporting by ...")."""
        own = normalise_title(title)
        paragraphs, byline = [], None
        for index in self.content(start, end):
            line = self.lines[index]
            if found := _BYLINE.match(line):
                byline = byline or _split_fields(found.group(1))[0]
                continue
            if self.is_noise(line) or normalise_title(line) == own:
                continue
            if words(line) >= 8 or _SENTENCE_END.search(line):
                paragraphs.append(line)
        return paragraphs, byline

    def related(self, start: int) -> list[Mention]:
        """Items of the first related block after the body start, deduplicated by title."""
        lines = self.content(start)
        heading = next((i for i in lines if RELATED_HEADING.match(self.lines[i])), None)
        if heading is None:
            return []
        block = []
        for index in self.content(heading + 1):
            line = self.lines[index]
            if is_relative_time(line) or line.casefold().strip(" .›»>") in _ITEM_NOISE:
                continue
            if self.is_noise(line) or self.is_heading(line):
                break
            block.append(line)
        return _mentions(_parse_items(block))


_FULL_STOPS = (".", "!", "?", "…", '."', ".”", ".'", ".’")
_ITEM_NOISE = frozenset({"read more", "continue reading", "more", "read the story", "read"})


def _parse_items(block: list[str]) -> list[_Item]:
    """Group a related block's lines into items. Sites print an item's source line either
    after its title (the source belongs to the item above) or before it (to the one below);
    the block's first line tells which."""
    source_first = bool(block) and _source_marker(block[0]) is not None
    items: list[_Item] = []
    pending: str | None = None
    for line in block:
        current = items[-1] if items else None
        marker = _source_marker(line)
        if marker is not None:
            if source_first:
                pending = marker
            elif current is not None:
                current.source = current.source or marker
            continue
        if current is not None and normalise_title(line) in current.seen:
            continue
        if current is not None and is_prose(line) and line.endswith(_FULL_STOPS):
            # A sentence is a summary, never a headline: the item's own, or a repeat of it.
            current.summary = current.summary or line
            continue
        if current is not None and current.summary is None and is_prose(line):
            current.summary = line
            continue
        bare = current is not None and not (current.source or current.summary)
        if bare and not source_first and words(line) <= 4:  # an outlet name under the title
            assert current is not None
            current.source = line
            continue
        items.append(_Item(title=line, source=pending, seen={normalise_title(line)}))
        pending = None
    return items


def _mentions(items: list[_Item]) -> list[Mention]:
    mentions, seen = [], set()
    for item in items:
        key = normalise_title(item.title)
        if key and key not in seen:
            seen.add(key)
            mentions.append(Mention(item.title, item.source, item.summary))
    return mentions


def _source_marker(line: str) -> str | None:
    """The outlet named by a bullet (``• NHK``, ``- Outlet · 2 days ago``) or a dated or
    timed line (``Outlet · 2 hours ago``, ``Outlet | 2025-07-18``)."""
    bullet = _BULLET.match(line)
    text = bullet.group(1) if bullet else line
    outlet = _source_line(text)
    if outlet is not None:
        return outlet
    return text.strip() if bullet else None


def _source_line(line: str) -> str | None:
    """``Atlas Newswire · 2 hours ago`` or ``Kansai Herald | 2025-07-18``: the outlet part."""
    for separator in (" · ", " | ", " • ", " — ", " – ", " - "):
        if separator in line:
            name, _, rest = line.partition(separator)
            rest = rest.strip()
            if is_relative_time(rest) or search_date(rest) is not None:
                return name.strip() or None
    return None
