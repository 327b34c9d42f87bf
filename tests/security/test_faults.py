"""Faults: builds and imports killed with SIGKILL at random moments, and runs that overlap.
Nothing an editor wrote or a previous build produced may be lost or left half-written."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml

from newsdigest.build import BuildOptions, build
from newsdigest.locking import site_lock
from newsdigest.output.writer import finish_interrupted_commit

from conftest import MakeSite
from examples import EXAMPLES
from factories import article_text

KILLS = 8


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def write_articles(site: Path, version: str, count: int = 400) -> None:
    paragraph = (
        "The harbour board met again to discuss cranes, berths and the winter timetable. " * 8
    )
    folder = site / "content" / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        text = article_text(
            title=f"Harbour story {number} ({version})",
            date=f"2025-0{number % 9 + 1}-1{number % 9}",
            body="\n\n".join([paragraph] * 4),
        )
        (folder / f"story-{number}.md").write_text(text)


def run_killed(arguments: list[str], delay: float) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "newsdigest", *arguments],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(delay)
    process.send_signal(signal.SIGKILL)
    process.wait()


def test_a_killed_build_leaves_a_complete_site(make_site: MakeSite) -> None:
    site = make_site()
    output = site / "_site"
    write_articles(site, "old")
    build(site)
    old = snapshot(output)
    write_articles(site, "new")
    started = time.perf_counter()
    build(site, BuildOptions(output=site.parent / "reference"))
    duration = time.perf_counter() - started
    new = snapshot(site.parent / "reference")
    assert old != new
    rng = random.Random(7)
    for _ in range(KILLS):
        run_killed(["build", "--site", str(site)], rng.uniform(0.0, duration * 2.5))
        for path, data in snapshot(output).items():  # every file whole, never half-written
            assert data in (old.get(path), new.get(path))
        finish_interrupted_commit(output)  # what every build does first
        assert snapshot(output) in (old, new)
    build(site)
    assert snapshot(output) == new
    # No staging folder or commit record is left; the manifest of the output stays.
    assert sorted(p.name for p in site.iterdir() if p.name.startswith("._site")) == ["._site.files"]


def test_a_killed_import_leaves_no_partial_file(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site()
    pages = tmp_path / "pages"
    pages.mkdir()
    source = (EXAMPLES / "sources" / "newsharbor-ai-code.txt").read_text()
    for number in range(60):
        title = f"Brussels & Big Tech: AI code of practice, part {number}"
        (pages / f"page-{number}.txt").write_text(
            source.replace("Brussels & Big Tech: AI code of practice draws mixed reviews", title)
        )
    target = site / "content" / "articles"
    rng = random.Random(11)
    for _ in range(KILLS):
        run_killed(["import", "--site", str(site), str(pages)], rng.uniform(0.2, 3.0))
        for path in target.glob("*.md") if target.exists() else ():
            meta = yaml.safe_load(path.read_text().split("---\n")[1])
            assert meta["title"].startswith("Brussels & Big Tech")
            assert path.read_text().endswith("\n")
    result = subprocess.run(
        [sys.executable, "-m", "newsdigest", "import", "--site", str(site), str(pages)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert len(list(target.glob("*.md"))) == 60
    assert [p.name for p in target.iterdir() if p.name.startswith(".")] == []


def test_runs_on_one_site_wait_for_each_other(make_site: MakeSite) -> None:
    site = make_site({"content/articles/a.md": article_text()})
    messages: list[str] = []
    finished = threading.Event()

    def second_build() -> None:
        build(site, on_wait=messages.append)
        finished.set()

    with site_lock(site):
        thread = threading.Thread(target=second_build)
        thread.start()
        time.sleep(0.5)
        assert not finished.is_set()
        assert messages and "waiting for another newsdigest run" in messages[0]
        assert f"pid {os.getpid()}" in messages[0]
    thread.join(timeout=30)
    assert finished.is_set()
    assert (site / "_site" / "index.html").is_file()


def children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        text = (task / "children").read_text() if (task / "children").exists() else ""
        found.update(int(child) for child in text.split())
    return found


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(sys.platform != "linux", reason="worker processes are Linux-only")
def test_workers_do_not_outlive_a_killed_build(make_site: MakeSite) -> None:
    site = make_site()
    write_articles(site, "old")
    process = subprocess.Popen(
        [sys.executable, "-m", "newsdigest", "build", "--site", str(site), "--jobs", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while not workers and time.monotonic() < deadline and process.poll() is None:
        workers = children(process.pid)
        time.sleep(0.01)
    assert workers, "the build never started worker processes"
    process.send_signal(signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(pid) for pid in workers)
    build(site)  # and nothing holds the site's lock
    assert (site / "_site" / "index.html").is_file()
