"""Markdown to safe HTML, and the text derived from it (plain text, summaries, excerpts).

The only place that turns editor text into HTML. Raw HTML in content is allowed by
Markdown, so every result goes through nh3 (Ammonia): scripts, event handlers and
``javascript:`` URLs never reach a page.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import markdown
import nh3
from markdown.treeprocessors import InlineProcessor
from markdown.util import Registry

# smarty: typographic quotes and dashes; sane_lists: lists behave as editors expect.
_EXTENSIONS = ["sane_lists", "tables"]
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)]*$")
_QUOTES = ("'", '"')
# What each inline pattern's regular expression needs in the text to match at all (any
# one of the strings). Inline patterns cost most of a conversion, tried on every text
# node even when they cannot match, so a document is converted without the patterns it
# gives no chance: the same HTML, sooner. Tabs and carriage returns keep ``linebreak``
# because Markdown turns them into the spaces it looks for. Patterns not named here are
# always kept.
_TRIGGERS: dict[str, tuple[str, ...]] = {
    "backtick": ("`",),
    "escape": ("\\",),
    "reference": ("[",),
    "link": ("[",),
    "image_link": ("![",),
    "image_reference": ("![",),
    "short_reference": ("[",),
    "short_image_ref": ("![",),
    "autolink": ("<",),
    "automail": ("<",),
    "linebreak": ("  \n", " \r", "\t"),
    "html": ("<",),
    "entity": ("&",),
    "em_strong": ("*", "_"),
    "em_strong2": ("_",),
    "smarty-em-dashes": ("---",),
    "smarty-en-dashes": ("--",),
    "smarty-ellipses": ("...",),
    **{f"smarty-quotes-{index}": _QUOTES for index in range(15)},
}
# A document gets a Markdown instance per distinct set of patterns it cannot use; past
# this many sets, the full instance is used rather than growing without bound.
_MAX_VARIANTS = 32


class MarkdownRenderer:
    """Configured Markdown instances, one per set of inline patterns left out (see
    ``_TRIGGERS``), each reset between documents: cheaper than building one per document."""

    def __init__(self, *, smart_punctuation: bool = True) -> None:
        self._extensions = [*_EXTENSIONS, "smarty"] if smart_punctuation else _EXTENSIONS
        self._variants: dict[frozenset[str], markdown.Markdown] = {}

    def to_html(self, text: str) -> str:
        return sanitise(self._instance_for(text).reset().convert(text))

    def _instance_for(self, text: str) -> markdown.Markdown:
        unused = frozenset(
            name for name, needs in _TRIGGERS.items() if not any(s in text for s in needs)
        )
        if unused not in self._variants and len(self._variants) >= _MAX_VARIANTS:
            unused = frozenset()
        instance = self._variants.get(unused)
        if instance is None:
            instance = self._variants[unused] = self._without(unused)
        return instance

    def _without(self, patterns: frozenset[str]) -> markdown.Markdown:
        instance = markdown.Markdown(extensions=self._extensions, output_format="html")
        smarty = instance.treeprocessors["smarty"] if "smarty" in self._extensions else None
        registries: list[Registry[Any]] = [instance.inlinePatterns]
        if isinstance(smarty, InlineProcessor):
            registries.append(smarty.inlinePatterns)
        for registry in registries:
            for name in patterns:
                registry.deregister(name, strict=False)
        if isinstance(smarty, InlineProcessor) and not len(smarty.inlinePatterns):
            instance.treeprocessors.deregister("smarty")
        return instance


def sanitise(fragment: str) -> str:
    return nh3.clean(fragment)


def absolutise(fragment: str, base_url: str) -> str:
    """Resolve relative ``href``/``src`` against ``base_url`` (feed readers need absolute)."""
    return nh3.clean(fragment, url_relative=("rewrite_with_base", base_url))


def rebase_links(fragment: str, base_path: str) -> str:
    """Give links written from the site root (``/feed.xml``) the site's base path.
    Under ``/`` nothing changes: the fragment was sanitised when it was read."""
    if base_path == "/":
        return fragment

    def rebase(url: str) -> str:
        if url.startswith("/") and not url.startswith("//"):
            return base_path + url[1:]
        return url

    return nh3.clean(fragment, url_relative=rebase)


def plain_text(fragment: str) -> str:
    """Text of an HTML fragment, one block (paragraph, heading, list item) per line."""
    collector = _TextCollector()
    collector.feed(fragment)
    collector.close()
    lines = (" ".join(line.split()) for line in "".join(collector.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def derive_summary(text: str, max_words: int) -> str:
    """The first paragraph, cut at a sentence end within ``max_words`` when possible."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    words = first.split()
    if len(words) <= max_words:
        return first
    kept = words[:max_words]
    for end in range(len(kept), max_words // 3, -1):
        if _SENTENCE_END.search(kept[end - 1]):
            return " ".join(kept[:end])
    return " ".join(kept).rstrip(",;:") + "…"


def excerpt(fragment: str, min_words: int) -> str:
    """The leading top-level blocks of ``fragment`` holding at least ``min_words`` words."""
    splitter = _BlockSplitter()
    splitter.feed(fragment)
    splitter.close()
    words, end = 0, 0
    for block_end, block_words in splitter.blocks:
        words += block_words
        end = block_end
        if words >= min_words:
            break
    return fragment[:end].rstrip()


class _TextCollector(HTMLParser):
    _BLOCKS = frozenset(
        {
            "p",
            "div",
            "li",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "blockquote",
            "pre",
            "tr",
            "br",
            "hr",
            "ul",
            "ol",
            "table",
            "dt",
            "dd",
            "figcaption",
        }
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data.replace("\n", " "))


class _BlockSplitter(HTMLParser):
    """Records where each top-level element ends and how many words it holds."""

    _VOID = frozenset({"br", "hr", "img", "wbr", "input", "meta", "link"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[int, int]] = []
        self._depth = 0
        self._words = 0
        self._line_offsets = [0]

    def feed(self, data: str) -> None:
        # HTMLParser counts lines at "\n" only, so offsets must too.
        for line in data.split("\n"):
            self._line_offsets.append(self._line_offsets[-1] + len(line) + 1)
        super().feed(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self._VOID:
            self._depth += 1
        elif self._depth == 0:
            self._close_block()

    def handle_endtag(self, tag: str) -> None:
        if tag in self._VOID:
            return
        self._depth = max(self._depth - 1, 0)
        if self._depth == 0:
            self._close_block()

    def handle_data(self, data: str) -> None:
        self._words += len(data.split())

    def _close_block(self) -> None:
        line, column = self.getpos()
        offset = self._line_offsets[line - 1] + column
        end = self.rawdata.find(">", offset) + 1
        self.blocks.append((end, self._words))
        self._words = 0
