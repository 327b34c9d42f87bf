from __future__ import annotations

import json
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdigest.diagnostics import ConfigError
from newsdigest.output.writer import finish_interrupted_commit, safe_relative, write_site


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
    # No staging folder or commit record is left behind; the manifest of the output stays.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["._site.files", "_site"]


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


def test_a_commit_cut_short_is_completed_by_the_next_write(tmp_path: Path) -> None:
    output = tmp_path / "_site"
    write_site(output, [(".nojekyll", b""), ("a.html", b"old a"), ("b.html", b"old b")])
    # A run killed after its commit record: a.html already moved, b.html still staged.
    (output / "a.html").write_bytes(b"new a")
    (tmp_path / "._site.staging").mkdir()
    (tmp_path / "._site.staging" / "b.html").write_bytes(b"new b")
    record = {"removed": ["gone.html"], "files": [".nojekyll", "a.html", "b.html"]}
    (tmp_path / "._site.commit").write_text(json.dumps(record))
    (output / "gone.html").write_bytes(b"removed by that run")
    finish_interrupted_commit(output)
    assert site_files(output) == {".nojekyll": b"", "a.html": b"new a", "b.html": b"new b"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["._site.files", "_site"]
    assert json.loads((tmp_path / "._site.files").read_text())["files"] == record["files"]


def test_an_older_commit_record_is_completed_and_the_output_walked_next_time(
    tmp_path: Path,
) -> None:
    output = tmp_path / "_site"
    write_site(output, [(".nojekyll", b""), ("a.html", b"a")])
    (output / "gone.html").write_bytes(b"removed by that run")
    (tmp_path / "._site.commit").write_text('["gone.html"]')  # a bare list: no manifest
    (output / "stray.html").write_bytes(b"left by that run")
    write_site(output, [(".nojekyll", b""), ("a.html", b"a")])
    assert site_files(output) == {".nojekyll": b"", "a.html": b"a"}


def test_removed_pages_are_found_in_the_manifest(tmp_path: Path) -> None:
    output = tmp_path / "_site"
    write_site(output, [(".nojekyll", b""), ("a/index.html", b"A"), ("b/index.html", b"B")])
    (output / "mine.txt").write_bytes(b"put here by hand")
    write_site(output, [(".nojekyll", b""), ("a/index.html", b"A")])
    # What the last build wrote and this one does not is removed; files the manifest does
    # not name are not newsdigest's to remove.
    assert site_files(output) == {
        ".nojekyll": b"",
        "a/index.html": b"A",
        "mine.txt": b"put here by hand",
    }
    write_site(output, [(".nojekyll", b""), ("a/index.html", b"A")], reuse=False)
    assert site_files(output) == {".nojekyll": b"", "a/index.html": b"A"}  # a clean write


def test_without_a_manifest_the_output_is_walked(tmp_path: Path) -> None:
    output = tmp_path / "_site"
    write_site(output, [(".nojekyll", b""), ("a.html", b"A")])
    (tmp_path / "._site.files").write_text("not a manifest")
    (output / "stray.html").write_bytes(b"S")
    write_site(output, [(".nojekyll", b""), ("a.html", b"A")])
    assert site_files(output) == {".nojekyll": b"", "a.html": b"A"}


def test_files_staged_without_a_commit_record_are_dropped(tmp_path: Path) -> None:
    output = tmp_path / "_site"
    write_site(output, [(".nojekyll", b""), ("a.html", b"old")])
    (tmp_path / "._site.staging").mkdir()
    (tmp_path / "._site.staging" / "a.html").write_bytes(b"never committed")
    write_site(output, [(".nojekyll", b""), ("a.html", b"old"), ("b.html", b"b")])
    assert site_files(output) == {".nojekyll": b"", "a.html": b"old", "b.html": b"b"}


def test_only_changed_files_are_replaced(tmp_path: Path) -> None:
    output = tmp_path / "_site"
    write_site(output, [(".nojekyll", b""), ("a/index.html", b"A"), ("b/index.html", b"B")])
    inodes = {name: (output / name / "index.html").stat().st_ino for name in "ab"}
    written = write_site(
        output, [(".nojekyll", b""), ("a/index.html", None), ("b/index.html", b"B2")]
    )
    assert written == 1
    assert (output / "a" / "index.html").stat().st_ino == inodes["a"]
    assert (output / "b" / "index.html").stat().st_ino != inodes["b"]
    assert site_files(output)["b/index.html"] == b"B2"


def test_a_page_may_turn_from_a_file_into_a_folder(tmp_path: Path) -> None:
    output = tmp_path / "_site"
    write_site(output, [(".nojekyll", b""), ("news", b"file"), ("old/x/index.html", b"x")])
    write_site(output, [(".nojekyll", b""), ("news/index.html", b"folder")])
    assert site_files(output) == {".nojekyll": b"", "news/index.html": b"folder"}
    assert not (output / "old").exists()  # emptied folders go too


def test_a_symlink_planted_in_the_output_is_not_followed(tmp_path: Path) -> None:
    output = tmp_path / "_site"
    outside = tmp_path / "outside"
    outside.mkdir()
    write_site(output, [(".nojekyll", b""), ("index.html", b"home")])
    (output / "articles").symlink_to(outside)
    write_site(output, [(".nojekyll", b""), ("index.html", b"home"), ("articles/a.html", b"A")])
    assert list(outside.iterdir()) == []
    assert not (output / "articles").is_symlink()
    assert site_files(output)["articles/a.html"] == b"A"


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


@given(st.lists(st.sampled_from(["a", ".", "..", "", "b.html", "/"]), max_size=5).map("".join))
def test_paths_are_judged_as_posix_paths_would_be(relative: str) -> None:
    path = PurePosixPath(relative)
    inside = not path.is_absolute() and ".." not in path.parts and bool(path.parts)
    if inside:
        assert safe_relative(relative) == relative
    else:
        with pytest.raises(ValueError):
            safe_relative(relative)


_names = st.sampled_from(["a", "b", "c"])
_paths = st.lists(_names, min_size=1, max_size=3).map("/".join)
_sites = st.dictionaries(_paths, st.binary(max_size=3), max_size=6)


@settings(max_examples=60)
@given(st.lists(_sites, min_size=1, max_size=5))
def test_the_output_always_holds_exactly_the_last_site(
    tmp_path_factory: pytest.TempPathFactory, sites: list[dict[str, bytes]]
) -> None:
    output = tmp_path_factory.mktemp("writes") / "_site"
    for files in sites:
        # A path that is a folder in the same site (a/b beside a) cannot be a file too.
        files = {p: d for p, d in files.items() if not any(q.startswith(f"{p}/") for q in files)}
        write_site(output, [(".nojekyll", b""), *sorted(files.items())])
        assert site_files(output) == {".nojekyll": b"", **files}
        assert not any(p.is_dir() and not any(p.iterdir()) for p in output.rglob("*"))
    assert sorted(p.name for p in output.parent.iterdir()) == ["._site.files", "_site"]
