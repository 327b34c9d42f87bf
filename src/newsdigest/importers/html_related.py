"""The related-stories block of a saved HTML page, as ``Mention`` values.

Owns finding the block (by its heading or its ``related`` class) and reading each story
card in it: headline, link, outlet line and dek.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from lxml.html import HtmlElement

from newsdigest.model import Mention
from newsdigest.textnorm import normalise_title, unescape_and_collapse, web_url

_RELATED_HEADING = re.compile(
    r"^(related|you (may|might) also (like|enjoy|be interested)|more on this|read more"
    r"|recommended|see also|further reading|read next|more stories like this)\b"
)
_NOT_RELATED = re.compile(r"\b(most|trending|popular|comments?|topics?|tags?)\b")
_NOT_RELATED_CLASS = re.compile(r"most|trending|popular|comment|topic|tag")
_CALL_TO_ACTION = re.compile(r"^(read more|more|see all|see more|view all|continue reading)$")
_CONTAINERS = ("aside", "section", "div", "nav", "ul")
_HEADINGS = ("h2", "h3", "h4")
_ALL_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_TITLE_XPATH = (
    ".//*[self::h2 or self::h3 or self::h4 or self::h5 or self::h6"
    " or contains(@class, 'title') or contains(@class, 'headline')]"
)
_SOURCE_CLASSES = ("source", "outlet", "publisher")
_SUMMARY_CLASSES = ("dek", "summary", "excerpt", "description", "standfirst", "teaser")
# Shorter link texts in a related block are sections, tags, people or share buttons.
_MIN_TITLE_WORDS = 3
_MAX_SOURCE_WORDS = 6
_MAX_SOURCE_DIGIT_SHARE = 1 / 3
_MIN_SUMMARY_WORDS = 8


@dataclass(frozen=True, slots=True)
class _RelatedItem:
    """One story in a related block: its link, the element holding its title, and the
    element around both that holds nothing else (source line, dek)."""

    link: HtmlElement
    title: HtmlElement
    card: HtmlElement


def related_mentions(root: HtmlElement, base_url: str | None) -> tuple[Mention, ...]:
    """The stories in the page's related blocks, in page order, one per headline; relative
    links resolved against ``base_url``."""
    mentions: dict[str, Mention] = {}
    for item in _related_items(root):
        title = unescape_and_collapse(item.title.text_content())
        if title is None or len(title.split()) < _MIN_TITLE_WORDS:
            continue
        href = item.link.get("href", "").strip()
        mention = Mention(
            title=title,
            source=_item_source(item),
            summary=_item_summary(item),
            url=web_url(href, base_url),
        )
        mentions.setdefault(normalise_title(title), mention)
    return tuple(mentions.values())


def _related_items(root: HtmlElement) -> Iterator[_RelatedItem]:
    """The links of the page's related blocks, in page order."""
    boundary_of_link: dict[HtmlElement, HtmlElement] = {}
    for member, boundary in _related_blocks(root).items():
        for link in member.iter("a"):
            boundary_of_link.setdefault(link, boundary)
    for link in root.iter("a") if boundary_of_link else ():
        href = link.get("href", "").strip()
        if link in boundary_of_link and href and not href.startswith(("#", "javascript:")):
            yield _RelatedItem(link, _title_element(link), _card(link, boundary_of_link[link]))


def _related_blocks(root: HtmlElement) -> dict[HtmlElement, HtmlElement]:
    """Each element holding related links, mapped to the element bounding its block;
    blocks found by their heading come first, as they bound their links more tightly."""
    boundary_of: dict[HtmlElement, HtmlElement] = {}
    for heading in root.iter(*_HEADINGS):
        if _is_related_heading(heading.text_content()):
            start = heading
            while start.getnext() is None and start.getparent() is not None:
                start = start.getparent()
            for member in _links_after(start):
                boundary_of[member] = start.getparent()
    for element in root.iter(*_CONTAINERS):
        if _has_related_class(element) and not any(
            _has_related_class(ancestor) for ancestor in element.iterancestors(*_CONTAINERS)
        ):
            boundary_of[element] = element
    return boundary_of


def _is_related_heading(text: str) -> bool:
    key = normalise_title(text)
    return bool(_RELATED_HEADING.match(key)) and not _NOT_RELATED.search(key)


def _has_related_class(element: HtmlElement) -> bool:
    names = _class_and_id(element)
    return "related" in names and not _NOT_RELATED_CLASS.search(names)


def _links_after(start: HtmlElement) -> Iterator[HtmlElement]:
    """The siblings after a heading that hold its links: the first one with a link and the
    run of same-tag siblings after it (one list, or a row of cards), before any heading."""
    run_tag = None
    for sibling in start.itersiblings():
        if not isinstance(sibling, HtmlElement):
            continue
        if sibling.tag in _ALL_HEADINGS:
            return
        if run_tag is None and (sibling.tag == "a" or sibling.find(".//a") is not None):
            run_tag = sibling.tag
        elif run_tag is not None and sibling.tag != run_tag:
            return
        if run_tag is not None:
            yield sibling


def _title_element(link: HtmlElement) -> HtmlElement:
    """The headline inside a link that wraps a whole card (headline, date, dek), else
    the link itself."""
    titles = link.xpath(_TITLE_XPATH)
    return titles[0] if titles else link


def _card(link: HtmlElement, boundary: HtmlElement) -> HtmlElement:
    """The largest element around ``link`` inside the block that links nowhere else."""
    href = link.get("href")
    card = link
    for parent in link.iterancestors():
        if parent is boundary or {a.get("href") for a in parent.iter("a")} != {href}:
            break
        card = parent
    return card


def _item_source(item: _RelatedItem) -> str | None:
    texts = _card_texts(item)
    classed = next((text for element, text in texts if _has_class(element, _SOURCE_CLASSES)), None)
    return classed or next(
        (
            text
            for element, text in texts
            if len(element) == 0
            and element.tag != "time"
            and not _has_class(element, _SUMMARY_CLASSES)
            and _looks_like_outlet(text)
        ),
        None,
    )


def _looks_like_outlet(text: str) -> bool:
    """A short line naming an outlet, not a date, a time or a call to action."""
    return (
        len(text.split()) <= _MAX_SOURCE_WORDS
        and any(char.isalpha() for char in text)
        and sum(char.isdigit() for char in text) <= _MAX_SOURCE_DIGIT_SHARE * len(text)
        and not _CALL_TO_ACTION.match(text.lower())
    )


def _item_summary(item: _RelatedItem) -> str | None:
    texts = _card_texts(item)
    classed = next((text for element, text in texts if _has_class(element, _SUMMARY_CLASSES)), None)
    return classed or next(
        (
            text
            for element, text in texts
            if element.tag in ("p", "div") and len(text.split()) >= _MIN_SUMMARY_WORDS
        ),
        None,
    )


def _card_texts(item: _RelatedItem) -> list[tuple[HtmlElement, str]]:
    """The card's elements other than the title (and what contains it), with their text."""
    title_related = {item.title, *item.title.iterancestors(), *item.title.iter()}
    texts = []
    for element in item.card.iter():
        if not isinstance(element, HtmlElement) or element in title_related:
            continue
        text = unescape_and_collapse(element.text_content())
        if text is not None:
            texts.append((element, text))
    return texts


def _has_class(element: HtmlElement, words: Iterable[str]) -> bool:
    names = _class_and_id(element)
    return any(word in names for word in words)


def _class_and_id(element: HtmlElement) -> str:
    return f"{element.get('class', '')} {element.get('id', '')}".lower()
