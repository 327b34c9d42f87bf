from __future__ import annotations

from pathlib import Path

import pytest

from newsdigest.diagnostics import ConfigError
from newsdigest.output.writer import safe_relative, write_site


def site_files(output: Path) -> dict[str, bytes]:
    return {
        p.relative_to(output).as_posix(): p.read_bytes() for p in output.rglob("*") if p.is_file()
    }


def test_output_holds_exactly_the_new_files(tmp_path: Path) -> None:
    output = tmp_path / "_site"
    write_site(output, [(".nojekyll", b""), ("a/index.html", b"A"), ("gone.html", b"G")])
    written = write_site(output, [(".nojekyll", b""), ("a/index.html", b"A2")])
    assert site_files(output) == {".nojekyll": b"", "a/index.html": b"A2"}
    assert written == 1  # .nojekyll was unchanged and reused
    assert [p.name for p in tmp_path.iterdir()] == ["_site"]  # no staging left behind


def test_unchanged_files_are_reused_not_rewritten(tmp_path: Path) -> None:
    output = tmp_path / "_site"
    write_site(output, [(".nojekyll", b""), ("a.html", b"same")])
    inode = (output / "a.html").stat().st_ino
    write_site(output, [(".nojekyll", b""), ("a.html", b"same")])
    assert (output / "a.html").stat().st_ino == inode
    write_site(output, [(".nojekyll", b""), ("a.html", b"same")], reuse=False)
    assert (output / "a.html").stat().st_ino != inode


def test_a_failure_while_writing_leaves_the_previous_site(tmp_path: Path) -> None:
    output = tmp_path / "_site"
    write_site(output, [(".nojekyll", b""), ("index.html", b"old")])

    def broken():  # type: ignore[no-untyped-def]
        yield "index.html", b"new"
        raise RuntimeError("renderer crashed")

    with pytest.raises(RuntimeError):
        write_site(output, broken())
    assert site_files(output) == {".nojekyll": b"", "index.html": b"old"}


def test_an_interrupted_swap_is_recovered(tmp_path: Path) -> None:
    output = tmp_path / "_site"
    write_site(output, [(".nojekyll", b""), ("index.html", b"old")])
    output.rename(tmp_path / "._site.old")  # killed between the two renames
    write_site(output, [(".nojekyll", b""), ("index.html", b"new")])
    assert site_files(output)["index.html"] == b"new"


def test_folders_that_are_not_builds_are_never_replaced(tmp_path: Path) -> None:
    precious = tmp_path / "documents"
    precious.mkdir()
    (precious / "thesis.txt").write_text("years of work")
    with pytest.raises(ConfigError) as caught:
        write_site(precious, [(".nojekyll", b"")])
    assert "not written by newsdigest" in caught.value.diagnostics[0].message
    assert (precious / "thesis.txt").read_text() == "years of work"


@pytest.mark.parametrize("bad", ["../escape.html", "/etc/passwd", "a/../../b", ""])
def test_paths_cannot_leave_the_output(bad: str) -> None:
    with pytest.raises(ValueError):
        safe_relative(bad)
