from __future__ import annotations

import pytest

from newsdigest.report import PROGRESS_THRESHOLD, ConsoleReporter, NullReporter


def test_short_stages_pass_through_silently(capsys: pytest.CaptureFixture[str]) -> None:
    items = list(range(PROGRESS_THRESHOLD - 1))
    assert list(ConsoleReporter(terminal=False).track(items, len(items), "Reading")) == items
    assert capsys.readouterr().err == ""


def test_long_stages_print_one_plain_line_when_not_a_terminal(
    capsys: pytest.CaptureFixture[str],
) -> None:
    items = list(range(PROGRESS_THRESHOLD))
    assert (
        list(ConsoleReporter(terminal=False).track(iter(items), len(items), "Rendering pages"))
        == items
    )
    assert capsys.readouterr().err == f"Rendering pages ({PROGRESS_THRESHOLD})...\n"


def test_terminals_get_a_progress_bar_that_yields_every_item() -> None:
    items = list(range(PROGRESS_THRESHOLD * 2))
    assert list(ConsoleReporter(terminal=True).track(items, len(items), "Rendering")) == items
    assert list(NullReporter().track(items, len(items), "x")) == items
