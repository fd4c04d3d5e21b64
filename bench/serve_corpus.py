"""Serve a bench corpus (bench/corpus.py) as a loopback proxy; prints the proxy URL, then serves.

Run: python bench/serve_corpus.py DIR
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from newsclaims.fixtureweb.server import FixtureServer


class QuietServer(FixtureServer):
    def log_request_url(self, url: str) -> None:
        """Keep no list of requests: a 10,000-page crawl should not grow the server."""


if __name__ == "__main__":
    server = QuietServer(Path(sys.argv[1]))
    print(server.proxy_url, flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
