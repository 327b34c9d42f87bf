"""The build cache: parsed articles, output fingerprints and build stamps, kept between
builds in ``.newsdigest/cache.sqlite3``.

Reading an article (YAML, Markdown, sanitising) is most of a build's work, and most files
do not change between builds. Entries are keyed by the file's path and bytes plus every
setting and the code version that shape the result, so a stale entry can never be used.
The cache knows nothing about articles: it stores JSON values under string keys. A file
that is not a cache of this schema (corrupt, foreign, older) is replaced, never trusted.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import sqlite3
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

from newsdigest import __version__
from newsdigest.stamp import Stamp

SCHEMA = 11
CACHE_FILE = "cache.sqlite3"
TEMPLATES_FOLDER = "templates"
"""Beside the cache file: the theme's compiled templates (see ``Theme.environment``)."""
# Blobs are in marshal's format, which belongs to one Python version.
_SCHEMA_ID = f"{SCHEMA}/{__version__}/py{sys.version_info[0]}.{sys.version_info[1]}"
_MAP_BYTES = 1 << 30
_BATCH = 500  # SQLite allows at most 999 parameters per statement in older builds


class OutputRecord(NamedTuple):
    """What a build recorded of one file it wrote."""

    fingerprint: str
    """A hash of what the file was rendered from."""
    state: str | None
    """The file's state (``stamp.file_state``)."""
    key: str | None
    """A hash of what the data it shows was made from, if known."""


class ParseCache:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._used: set[str] = set()
        self._keep = False
        self._db = self._open()
        self.compiled_templates = path.parent / TEMPLATES_FOLDER
        self.compiled_templates.mkdir(exist_ok=True)

    def _open(self) -> sqlite3.Connection:
        db = self._open_file()
        # Read through a memory map: a build reads tens of megabytes in large values, and
        # reading them a page per system call took twice as long.
        db.execute(f"PRAGMA mmap_size = {_MAP_BYTES}")
        return db

    def _open_file(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            db = sqlite3.connect(self.path)
            row = db.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
            if row and row[0] == _SCHEMA_ID:
                return db
            db.close()
        except sqlite3.DatabaseError:
            pass  # not a cache of ours: start afresh
        self.path.unlink(missing_ok=True)
        db = sqlite3.connect(self.path)
        db.executescript(
            "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT);"
            "CREATE TABLE entries (key TEXT PRIMARY KEY, value TEXT);"
            "CREATE TABLE blobs (key TEXT PRIMARY KEY, value BLOB, detail BLOB);"
            "CREATE TABLE outputs (path TEXT PRIMARY KEY, fingerprint TEXT, state TEXT, key TEXT);"
            "CREATE TABLE stamps (folder TEXT PRIMARY KEY, inputs TEXT, outputs TEXT,"
            " paths TEXT, result TEXT);"
        )
        db.execute("INSERT INTO meta VALUES ('schema', ?)", (_SCHEMA_ID,))
        db.commit()
        return db

    def get(self, key: str) -> Any | None:
        self._used.add(key)
        row = self._db.execute("SELECT value FROM entries WHERE key = ?", (key,)).fetchone()
        return None if row is None else json.loads(row[0])

    def get_many(self, keys: list[str]) -> dict[str, Any]:
        """The stored values of those ``keys`` that have one (one query per batch)."""
        return {key: json.loads(value) for key, value in self._select("entries", keys).items()}

    def get_blobs(self, keys: list[str]) -> dict[str, bytes]:
        """Like ``get_many``, for values stored as bytes."""
        return self._select("blobs", keys)

    def get_details(self, keys: list[str]) -> dict[str, bytes]:
        """The details stored with those blobs that have one (see ``put_blob``)."""
        stored = self._select("blobs", keys, "detail")
        return {key: detail for key, detail in stored.items() if detail}

    def _select(self, table: str, keys: list[str], column: str = "value") -> dict[str, Any]:
        self._used.update(keys)
        found: dict[str, Any] = {}
        for start in range(0, len(keys), _BATCH):
            batch = keys[start : start + _BATCH]
            marks = ",".join("?" * len(batch))
            query = f"SELECT key, {column} FROM {table} WHERE key IN ({marks})"
            found.update(self._db.execute(query, batch).fetchall())
        return found

    def put_blob(self, key: str, value: bytes, detail: bytes | None = None) -> None:
        """Store ``value`` under ``key``, with a ``detail`` that only ``get_details`` reads:
        reading a value does not read its detail, however large."""
        self._used.add(key)
        self._db.execute("INSERT OR REPLACE INTO blobs VALUES (?, ?, ?)", (key, value, detail))

    def put(self, key: str, value: Any) -> None:
        self._used.add(key)
        self._db.execute(
            "INSERT OR REPLACE INTO entries VALUES (?, ?)",
            (key, json.dumps(value, ensure_ascii=False)),
        )

    def output_records(self, folder: Path) -> dict[str, OutputRecord]:
        """What the last build into ``folder`` recorded of each file it wrote there."""
        prefix = f"{folder}/"
        rows = self._db.execute(
            "SELECT path, fingerprint, state, key FROM outputs WHERE substr(path, 1, ?) = ?",
            (len(prefix), prefix),
        )
        start, make = len(prefix), OutputRecord._make
        return {row[0][start:]: make(row[1:]) for row in rows}

    def record_outputs(
        self,
        folder: Path,
        outputs: dict[str, OutputRecord],
        previous: Mapping[str, OutputRecord],
    ) -> None:
        """Record ``outputs`` as what ``folder`` holds, writing only the records that differ
        from ``previous`` (what ``output_records`` gave this build)."""
        prefix = f"{folder}/"
        gone = [(prefix + path,) for path in previous if path not in outputs]
        self._db.executemany("DELETE FROM outputs WHERE path = ?", gone)
        self._db.executemany(
            "INSERT OR REPLACE INTO outputs VALUES (?, ?, ?, ?)",
            (
                (prefix + path, *record)
                for path, record in outputs.items()
                if previous.get(path) != record
            ),
        )

    def stamp(self, folder: Path) -> tuple[Stamp, Any] | None:
        """The stamp of the last build into ``folder``, and the result it recorded."""
        row = self._db.execute(
            "SELECT inputs, outputs, paths, result FROM stamps WHERE folder = ?", (str(folder),)
        ).fetchone()
        if row is None:
            return None
        inputs, outputs, paths, result = row
        return Stamp(inputs, outputs, tuple(json.loads(paths))), json.loads(result)

    def record_stamp(self, folder: Path, stamp: Stamp, result: Any) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO stamps VALUES (?, ?, ?, ?, ?)",
            (str(folder), stamp.inputs, stamp.outputs, json.dumps(stamp.paths), json.dumps(result)),
        )

    def keep(self, keys: list[str]) -> None:
        """Keep these entries or blobs although this build did not read them."""
        self._used.update(keys)

    def keep_entries(self) -> None:
        """This build reads no entries (nothing changed): keep them all when closing."""
        self._keep = True

    def discard(self) -> None:
        """Drop this build's changes and the file itself (it is damaged)."""
        with contextlib.suppress(sqlite3.DatabaseError):  # closing may fail too
            self._db.close()
        self.path.unlink(missing_ok=True)

    def close(self, *, prune: bool = True) -> None:
        """Commit; with ``prune``, first drop entries this build did not use (files removed
        or changed since)."""
        if prune and not self._keep:
            # The unused keys are found here: few of them, against ten thousand used ones.
            for table in ("entries", "blobs"):
                keys = self._db.execute(f"SELECT key FROM {table}").fetchall()
                unused = [key for key in keys if key[0] not in self._used]
                self._db.executemany(f"DELETE FROM {table} WHERE key = ?", unused)
        self._db.commit()
        self._db.close()


@contextmanager
def open_cache(folder: Path, *, clean: bool = False) -> Iterator[ParseCache]:
    """The cache in ``folder`` for one build (one transaction); ``clean`` starts it empty."""
    path = folder / CACHE_FILE
    if clean:
        path.unlink(missing_ok=True)
        shutil.rmtree(folder / TEMPLATES_FOLDER, ignore_errors=True)
    cache = ParseCache(path)
    try:
        yield cache
        cache.close()
    except sqlite3.DatabaseError as error:  # readable as ours when opened, damaged inside
        cache.discard()
        raise CacheDamaged(str(path)) from error
    except BaseException:
        cache.close(prune=False)  # a build that stopped early did not see every file
        raise


class CacheDamaged(Exception):
    """The cache file turned out damaged during a build; it has been removed."""
