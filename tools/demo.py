"""The bundled demo served by ``newsdigest serve`` from a scratch copy, for the tools."""

from __future__ import annotations

import shutil
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from newsdigest.server import DevServer

REPO = Path(__file__).resolve().parent.parent


def chromium() -> str:
    """Debian's Chromium, or exit with a message saying how to get it."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        sys.exit("this tool needs Chromium (Debian package: chromium)")
    return path


@contextmanager
def serving_demo() -> Iterator[DevServer]:
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder)
        shutil.copy(REPO / "site.toml", site)
        shutil.copytree(REPO / "content", site / "content")
        server = DevServer(site, port=0)
        server.rebuild()
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield server
        finally:
            server.stop()
