"""Text normalisation shared by the importers and the related-story logic."""

from __future__ import annotations

import functools
import posixpath
import re
import unicodedata
from html import unescape
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from slugify import slugify

# NFKC leaves typographic quotes and dashes alone, so they are folded by hand.
_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
    }
)
_NOT_WORD = re.compile(r"[^\w]+")


def fold_punctuation(text: str) -> str:
    """NFKC plus typographic quotes and dashes folded to their ASCII forms."""
    if text.isascii():  # nothing to fold, and by far the common case
        return text
    return unicodedata.normalize("NFKC", text).translate(_FOLD)


@functools.lru_cache(maxsize=1 << 16)
def normalise_title(title: str) -> str:
    """A comparison key for headlines: case, quotes, punctuation and spacing ignored."""
    folded = fold_punctuation(title).casefold().replace("'", "")
    return " ".join(_NOT_WORD.sub(" ", folded).split())


def collapse_whitespace(text: str | None) -> str | None:
    """Runs of whitespace as single spaces, ends trimmed; ``None`` when nothing is left."""
    collapsed = " ".join((text or "").split())
    return collapsed or None


def unescape_and_collapse(text: str | None) -> str | None:
    """HTML entities decoded (pages often double-escape metadata), whitespace collapsed;
    ``None`` when nothing is left."""
    return collapse_whitespace(unescape(text or ""))


def nonblank_lines(text: str) -> list[str]:
    """The lines holding any text, each with its whitespace collapsed."""
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def join_names(names: list[str]) -> str | None:
    """Several bylines as printed: "A and B", "A, B and C"."""
    unique = list(dict.fromkeys(names))
    if len(unique) <= 1:
        return unique[0] if unique else None
    return ", ".join(unique[:-1]) + " and " + unique[-1]


_TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|mc_cid|mc_eid|igshid|ref|ocid)$", re.IGNORECASE
)
_AMP_FORMS = (
    (re.compile(r"\.amp(\.html?)$"), r"\1"),  # story.amp.html
    (re.compile(r"(/amp)+/?$"), ""),  # story/amp/
    (re.compile(r"^/amp(?=/)"), ""),  # /amp/story
)


def web_url(url: str | None, base: str | None = None) -> str | None:
    """``url`` as an absolute http(s) URL (resolved against ``base`` when relative), or
    None for anything else, malformed addresses included."""
    if not url or not url.strip():
        return None
    try:
        resolved = urljoin(base, url.strip()) if base else url.strip()
        parts = urlsplit(resolved)
    except ValueError:  # e.g. "http://[broken" (an unclosed IPv6 bracket)
        return None
    return resolved if parts.scheme in ("http", "https") and parts.netloc else None


def canonical_url(url: str) -> str:
    """One spelling per page: lowercase host without ``www.``, no fragment, no tracking
    parameters, dot segments resolved, AMP variants folded, no trailing slash."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("amp.")
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    path = posixpath.normpath(parts.path) if parts.path else "/"
    for pattern, replacement in _AMP_FORMS:
        path = pattern.sub(replacement, path)
    path = path.rstrip("/") or "/"
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)
    ]
    query = [(k, v) for k, v in query if not (k == "amp" or (k == "outputType" and v == "amp"))]
    scheme = "https" if parts.scheme in ("http", "https") else parts.scheme
    return urlunsplit((scheme, host, path, urlencode(sorted(query)), ""))


# "Japan's" → "japans", not "japan-s"; "¥900" → "900", not "y-900".
_SLUG_REPLACEMENTS = [[mark, ""] for mark in ("'", "’", "¥", "€", "£", "$")]


def title_slug(title: str, max_length: int) -> str:
    """A readable URL slug for a headline, cut at a word boundary."""
    return slugify(
        title, max_length=max_length, word_boundary=True, replacements=_SLUG_REPLACEMENTS
    )
