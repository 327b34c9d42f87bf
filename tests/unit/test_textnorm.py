from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsdigest.textnorm import fold_punctuation, normalise_title


def test_case_quotes_dashes_and_punctuation_are_ignored() -> None:
    variants = [
        "Pacific Rim Leaders Back 'Open Skies' Deal",
        "Pacific Rim Leaders Back ‘Open Skies’ Deal",
        "pacific rim leaders back “open skies” deal.",
        "  Pacific  Rim Leaders Back Open Skies Deal!",
    ]
    assert len({normalise_title(v) for v in variants}) == 1


def test_different_headlines_stay_different() -> None:
    assert normalise_title("Storm hits Florida") != normalise_title("Storm hits Texas")


def test_apostrophes_do_not_split_words() -> None:
    assert normalise_title("Kenya’s runner") == normalise_title("Kenyas runner")


def test_fold_punctuation_maps_typographic_forms() -> None:
    assert fold_punctuation("“a” – ‘b’ — c") == "\"a\" - 'b' - c"


@given(st.text())
def test_normalisation_is_idempotent(text: str) -> None:
    once = normalise_title(text)
    assert normalise_title(once) == once


@given(st.text())
def test_normalised_titles_have_no_outer_or_double_spaces(text: str) -> None:
    key = normalise_title(text)
    assert key == key.strip() and "  " not in key
