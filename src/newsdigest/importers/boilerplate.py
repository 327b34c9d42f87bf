"""Interface text that copied pages carry around the article: phrases and line shapes.

Rules are general (navigation bars, cookie banners, share rows, app and newsletter
prompts, copyright lines); ``site.toml`` ``[import] boilerplate`` adds exact lines, and an
import run adds short lines that several pages of the same run repeat.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from newsdigest.textnorm import fold_punctuation

# Whole lines, compared case-insensitively without surrounding punctuation.
PHRASES = frozenset(
    {
        "logo",
        "menu",
        "search",
        "sign in",
        "log in",
        "login",
        "sign up",
        "register",
        "subscribe",
        "subscribe now",
        "skip to main content",
        "skip to content",
        "advertisement",
        "advertising",
        "ad",
        "sponsored",
        "sponsored content",
        "promoted",
        "share",
        "share this",
        "share this article",
        "share this story",
        "share on",
        "facebook",
        "x",
        "twitter",
        "linkedin",
        "email",
        "e-mail",
        "whatsapp",
        "reddit",
        "copy link",
        "print",
        "save",
        "comments",
        "comment",
        "no comments yet",
        "be the first to comment",
        "post comment",
        "add a comment",
        "load more comments",
        "show comments",
        "accept",
        "accept all",
        "accept cookies",
        "reject all",
        "reject non-essential",
        "manage preferences",
        "cookie settings",
        "cookie policy",
        "read more",
        "continue reading",
        "read the full story",
        "download the app",
        "get the app",
        "try our ai features",
        "orange background",
        "app-storeplay-store",
        "app store",
        "google play",
        "back to top",
        "home",
        "next",
        "previous",
        "close",
        "listen",
        "tweet",
        "settings",
        "log in to comment",
        "sign in to comment",
        "open the app",
        "listen to this article",
        "follow us",
        "more",
        "see more",
        "show more",
        "privacy",
        "privacy policy",
        "terms",
        "terms of use",
        "about",
        "about us",
        "contact",
        "contact us",
        "careers",
        "advertise",
        "newsletter",
        "newsletters",
        "top",
    }
)
_RULES = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^(skip|jump) to\b",
        r"\bcookies?\b.*\b(we use|accept|consent|preferences|personalis|personaliz|this site)",
        r"\b(we use|this site uses)\b.*\bcookies?\b",
        r"^(©|\(c\)|copyright\b)|\ball rights reserved\b|©\s*\d{4}",
        r"^(sign up|subscribe)\b.*\b(newsletter|brief|briefing|inbox|email|digest|updates)\b",
        r"^(enter|your) (your )?e-?mail( address)?$",
        r"\b(download|get|install)\b.{0,40}\bapp\b",
        r"\bapp ?store\b|\bgoogle play\b|\bplay ?store\b",
        r"^explore what .* can do for you:?$",
        r"^comments?\s*\(\d+\)$|^\d+\s+comments?$",
        r"^(share|post) (on|to|via) \w+$",
        r"^(follow|like) us on\b",
        r"^(tags?|topics?|filed under|categories)\s*:",
        r"^(photo|image|video|illustration|picture)( credit)?\s*:",
        r"^(estimated )?(reading|read) time\b|^\d+\s*min(ute)?s?( read)?$",
        r"^(audio|listen)\b.{0,30}\b(version|article|story|available)\b",
        r"^we (value|respect|care about) your privacy",
        r"\b(in|open|use) the app\b",
        r"\bin your inbox\b",
        r"^(error )?404\b|^page not found$",
        r"^search( \w+)?$",
        r"^story continues below$",
        r"^(enjoyed|liked|like) (this|the|our) (story|article|read|reporting)\b",
        r"\b(weekend|daily|morning|evening|weekly) (edition|briefing|newsletter|digest)\b.*"
        r"\b(every|each|inbox|sign|subscribe|get)\b",
        r"^get (the|our) .*\b(edition|newsletter|briefing)\b",
    )
]
_NAV_SEPARATORS = re.compile(r"\s+[|•·/]\s+")
_BYLINE_START = re.compile(r"^(by|written by|reporting by)\s", re.IGNORECASE)


def _key(line: str) -> str:
    return fold_punctuation(line).casefold().strip(" .:!?…-–—•*|>\t")


class Boilerplate:
    """Decides whether a line is interface text rather than part of an article."""

    def __init__(self, extra: Iterable[str] = ()) -> None:
        self.extra = frozenset(_key(line) for line in extra if line.strip())

    def with_lines(self, lines: Iterable[str]) -> Boilerplate:
        """A copy that also drops ``lines`` (e.g. repeated across pages of one run)."""
        return Boilerplate([*self.extra, *lines])

    def __contains__(self, line: str) -> bool:
        key = _key(line)
        if not key:
            return False
        if key in PHRASES or key in self.extra:
            return True
        if len(key.split()) <= 40 and any(rule.search(line) for rule in _RULES):
            return True
        return is_navigation(line)


def is_navigation(line: str) -> bool:
    """``Home | World | Business``: three or more short items in a separated row."""
    if _BYLINE_START.match(line) or any(ch.isdigit() for ch in line):
        return False  # "By A · Outlet · 19.09.2025" is metadata, not a menu
    items = _NAV_SEPARATORS.split(line.strip())
    return len(items) >= 3 and all(0 < len(item.split()) <= 3 for item in items)
