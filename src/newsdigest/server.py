"""``newsdigest serve``: build, serve the site under its base path, rebuild on change.

A watcher thread (watchfiles) notes changes to ``content/``, ``themes/`` and ``site.toml``;
the build loop rebuilds and bumps an *epoch*. Pages get a small script, only when served,
that long-polls the epoch and reloads. A failed build keeps the last good site and shows
its errors over every page until the next build succeeds.
"""

from __future__ import annotations

import html
import json
import mimetypes
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from newsdigest.build import BuildOptions, build
from newsdigest.config import CONFIG_FILE, Overrides, load_config
from newsdigest.diagnostics import NewsdigestError
from newsdigest.locking import STATE_DIR

PREVIEW_DIR = "preview"
RELOAD_PATH = "/__newsdigest/reload"
LONG_POLL_SECONDS = 25.0
WATCHED = ("content", "themes", CONFIG_FILE)

_RELOAD_SCRIPT = """<script>(function(){var epoch=%d;function poll(){fetch("%s?epoch="+epoch)
.then(function(r){return r.json()}).then(function(d){if(d.epoch!==epoch){location.reload()}
else{poll()}}).catch(function(){setTimeout(poll,1000)})}poll()})();</script>"""
_OVERLAY = """<div role="alert" style="position:fixed;inset:auto 0 0 0;max-height:60vh;
overflow:auto;background:#7f1d1d;color:#fff;font:14px/1.5 ui-monospace,monospace;
padding:1rem 1.5rem;
z-index:2147483647"><strong>The last build failed; this is the previous site.</strong>
<ul style="margin:.5rem 0 0;padding-left:1.2rem">%s</ul></div>"""


@dataclass
class PreviewState:
    """What the server shows: the epoch of the last build attempt and its errors."""

    epoch: int = 0
    errors: list[str] = field(default_factory=list)
    changed: threading.Condition = field(default_factory=threading.Condition)

    def publish(self, errors: list[str]) -> None:
        with self.changed:
            self.epoch += 1
            self.errors = errors
            self.changed.notify_all()

    def wait_past(self, epoch: int, timeout: float) -> int:
        with self.changed:
            self.changed.wait_for(lambda: self.epoch != epoch, timeout=timeout)
            return self.epoch


class DevServer:
    def __init__(
        self,
        root: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 8000,
        drafts: bool = False,
        log: Callable[[str], None] = lambda message: None,
    ) -> None:
        self.root = root.resolve()
        self.log = log
        self.drafts = drafts
        self.output = self.root / STATE_DIR / PREVIEW_DIR
        self.state = PreviewState()
        self.base_path = _path_of(load_config(self.root).base_url)
        self.httpd = _QuietServer((host, port), self._handler())
        self.httpd.daemon_threads = True
        self.stopping = threading.Event()
        self.watching = threading.Event()
        """Set once file changes are being watched."""

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        name = host.decode() if isinstance(host, bytes) else host
        return f"http://{name}:{port}{self.base_path}"

    def rebuild(self) -> bool:
        """Build into the preview folder; publish the outcome to open pages."""
        options = BuildOptions(Overrides(base_url=self.url), self.output, self.drafts)
        try:
            result = build(self.root, options, on_wait=self.log)
        except NewsdigestError as exc:
            errors = [str(d) for d in exc.diagnostics if d.is_error] or [str(exc)]
            self.state.publish(errors)
            self.log(f"build failed: {len(errors)} error(s); still serving the last good site")
            return False
        self.state.publish([])
        self.log(f"rebuilt {result.pages} pages in {result.seconds:.2f} s")
        return True

    def serve_forever(self) -> None:
        """Serve and rebuild on changes until ``stop()`` (or Ctrl+C in the caller)."""
        watcher = threading.Thread(target=self._watch, daemon=True)
        watcher.start()
        try:
            self.httpd.serve_forever(poll_interval=0.2)
        finally:
            self.stopping.set()

    def stop(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def _watch(self) -> None:
        from watchfiles import watch

        paths = [self.root / name for name in WATCHED if (self.root / name).exists()]
        # yield_on_timeout: the first (empty) batch tells us the watch is armed.
        batches = watch(
            *paths,
            stop_event=self.stopping,
            debounce=100,
            step=50,
            rust_timeout=200,
            yield_on_timeout=True,
        )
        for changes in batches:
            self.watching.set()
            if changes:
                self.rebuild()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.respond(self)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler

    def respond(self, request: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(request.path)
        if parts.path == RELOAD_PATH:
            since = int(parse_qs(parts.query).get("epoch", ["0"])[0] or 0)
            epoch = self.state.wait_past(since, LONG_POLL_SECONDS)
            return _send(
                request, HTTPStatus.OK, "application/json", json.dumps({"epoch": epoch}).encode()
            )
        if parts.path in ("/", "") and self.base_path != "/":
            request.send_response(HTTPStatus.FOUND)
            request.send_header("Location", self.base_path)
            request.end_headers()
            return None
        file = self.resolve(parts.path)
        if file is None:
            file = self.output / "404.html"
            status = HTTPStatus.NOT_FOUND
        else:
            status = HTTPStatus.OK
        if not file.is_file():
            return _send(request, HTTPStatus.NOT_FOUND, "text/plain", b"Not found\n")
        data = file.read_bytes()
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if kind == "text/html":
            data = self.inject(data)
            kind = "text/html; charset=utf-8"
        return _send(request, status, kind, data)

    def resolve(self, url_path: str) -> Path | None:
        """The file for a URL path under the base path; None outside it or outside the site."""
        path = unquote(url_path)
        if not path.startswith(self.base_path):
            return None
        candidate = (self.output / path[len(self.base_path) :]).resolve()
        if not candidate.is_relative_to(self.output.resolve()):
            return None
        if candidate.is_dir():
            candidate = candidate / "index.html"
        return candidate if candidate.is_file() else None

    def inject(self, page: bytes) -> bytes:
        """Add the reload script (and the error overlay after a failed build)."""
        extra = _RELOAD_SCRIPT % (self.state.epoch, RELOAD_PATH)
        if self.state.errors:
            items = "".join(f"<li>{html.escape(error)}</li>" for error in self.state.errors)
            extra = _OVERLAY % items + extra
        marker = b"</body>"
        if marker in page:
            return page.replace(marker, extra.encode() + marker, 1)
        return page + extra.encode()


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        """A browser that navigates away drops its reload request: not worth a traceback."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


def _path_of(base_url: str) -> str:
    return urlsplit(base_url).path or "/"


def _send(request: BaseHTTPRequestHandler, status: HTTPStatus, kind: str, data: bytes) -> None:
    request.send_response(status)
    request.send_header("Content-Type", kind)
    request.send_header("Content-Length", str(len(data)))
    request.send_header("Cache-Control", "no-store")
    request.end_headers()
    request.wfile.write(data)
