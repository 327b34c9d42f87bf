"""Text normalisation shared by the importers and the related-story logic."""

from __future__ import annotations

import re
import unicodedata

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
    return unicodedata.normalize("NFKC", text).translate(_FOLD)


def normalise_title(title: str) -> str:
    """A comparison key for headlines: case, quotes, punctuation and spacing ignored."""
    folded = fold_punctuation(title).casefold().replace("'", "")
    return " ".join(_NOT_WORD.sub(" ", folded).split())
