"""The bundled fixture web, served over real HTTP on loopback for the demo and the tests.

It answers as an HTTP proxy: the crawler asks for ``http://www.voanews.test/...`` through
``http_proxy=http://127.0.0.1:PORT`` and gets ``fixtures/site/www.voanews.test/...``.
So the fixture pages keep real absolute links and nothing reaches the open internet.
Special cases (redirects, truncated responses) are listed in ``fixtures/site/_routes.json``.
Every page carries an ``ETag`` and ``Last-Modified`` and answers a conditional request
with 304, as news sites' servers and CDNs do. A ``GeneratedSite`` can be served beside
the files (``gen.test``), for crawls of any size.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import unquote, urlsplit

from newsclaims.fixtureweb.generated import GeneratedSite

CONTENT_TYPES = {
    ".html": "text/html",
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".txt": "text/plain",
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".png": "image/png",
}
# Shipped as package data (newsclaims.fixtures), so `newsclaims demo` works from a wheel.
DEFAULT_ROOT = Path(str(resources.files("newsclaims.fixtures"))) / "site"


class FixtureServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, root: Path, port: int = 0, generated: GeneratedSite | None = None) -> None:
        self.root = root.resolve()
        self.generated = generated
        self.not_modified: list[str] = []
        routes_file = self.root / "_routes.json"
        routes = json.loads(routes_file.read_text()) if routes_file.exists() else {}
        self.redirects: dict[str, str] = routes.get("redirects", {})
        self.truncate: set[str] = set(routes.get("truncate", []))
        self.requested: list[str] = []
        self._lock = threading.Lock()
        super().__init__(("127.0.0.1", port), _Handler)

    @property
    def proxy_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def log_request_url(self, url: str) -> None:
        with self._lock:
            self.requested.append(url)

    def log_not_modified(self, url: str) -> None:
        with self._lock:
            self.not_modified.append(url)

    def file_for(self, host: str, path: str) -> Path | None:
        relative = unquote(path).lstrip("/")
        if not relative or relative.endswith("/"):
            relative += "index.html"
        candidate = (self.root / host / relative).resolve()
        if not candidate.is_relative_to(self.root / host) or not candidate.is_file():
            return None
        return candidate


class _Handler(BaseHTTPRequestHandler):
    server: FixtureServer
    server_version = "newsclaims-fixtures/1.0"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def _answer(self, send_body: bool) -> None:
        target = (
            self.path if "://" in self.path else f"http://{self.headers.get('Host', '')}{self.path}"
        )
        parts = urlsplit(target)
        host = (parts.hostname or "").lower()
        url = f"http://{host}{parts.path}"
        self.server.log_request_url(target)
        if url in self.server.redirects:
            self.send_response(301)
            self.send_header("Location", self.server.redirects[url])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        generated = self.server.generated
        if generated is not None and host == generated.host:
            page = generated.page(parts.path)
            if page is not None and parts.path.startswith("/news/") and generated.delay:
                time.sleep(generated.delay)
        else:
            file = self.server.file_for(host, parts.path)
            page = None
            if file is not None:
                modified = datetime.fromtimestamp(int(file.stat().st_mtime), UTC)
                content_type = CONTENT_TYPES.get(file.suffix, "application/octet-stream")
                page = (content_type, file.read_bytes(), modified)
        if page is None:
            body = b"<html><head><title>404</title></head><body><h1>Not found</h1></body></html>"
            self._send(404, "text/html", body, send_body)
            return
        content_type, body, modified = page
        validators = {
            "ETag": '"' + hashlib.sha1(body).hexdigest()[:20] + '"',
            "Last-Modified": format_datetime(modified, usegmt=True),
        }
        if self._not_modified(validators["ETag"], modified):
            self.server.log_not_modified(target)
            self.send_response(304)
            for name, value in validators.items():
                self.send_header(name, value)
            self.end_headers()
            return
        if url in self.server.truncate:
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body) * 2))
            self.end_headers()
            if send_body:
                self.wfile.write(body)
            self.close_connection = True
            return
        self._send(200, content_type, body, send_body, validators)

    def _not_modified(self, etag: str, modified: datetime) -> bool:
        """RFC 9110: If-None-Match decides when present, else If-Modified-Since."""
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            return etag in [tag.strip() for tag in if_none_match.split(",")]
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                return parsedate_to_datetime(since) >= modified
            except (TypeError, ValueError):
                return False
        return False

    def _send(
        self,
        status: int,
        content_type: str,
        body: bytes,
        send_body: bool,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)


def start_fixture_server(
    root: Path = DEFAULT_ROOT, port: int = 0, generated: GeneratedSite | None = None
) -> FixtureServer:
    """Start serving in a background thread; call ``shutdown()`` when done."""
    server = FixtureServer(root, port, generated)
    threading.Thread(target=server.serve_forever, name="fixture-server", daemon=True).start()
    return server
