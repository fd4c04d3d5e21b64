"""A hostile news site on loopback: every kind of bad page a crawl meets, served for real.

Unlike the fixture web (a proxy for ``*.test`` hosts) this site is reached directly, at
``http://127.0.0.1:PORT/``, so links on a host with a port are exercised too. The pages
are invented and generated in code (a gzip bomb does not belong in a repository); each
path is one case, listed in ``PAGES`` with what a crawl should make of it. The tests and
``docs/hostile.md`` go through them page by page.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

LONG_URL_PATH = "/long/" + "a" * 8000
SLOW_SECONDS = 6.0  # longer than the download timeout the tests set
BOMB_SIZE = 64 * 1024 * 1024  # decompressed; 64 KiB on the wire

ARTICLE_ONE = (
    "The harbour authority in Port Verrin closed the northern quay on Tuesday after "
    "inspectors found cracks in the sea wall, diverting ferries to the southern terminal. "
    '"We will not reopen the quay until engineers have checked every metre of it," said '
    "Mara Okonkwo, the harbour master, adding that repairs could take a month. Fishing "
    "crews said the closure would cost them a week of landings, and the town council "
    "promised emergency payments. Ferry timetables will change from Thursday, the "
    "operator said, and passengers should allow an extra hour for the journey. Harbour "
    "staff will be on hand at both terminals to help travellers with heavy luggage."
)
ARTICLE_TWO = (
    "Ferry passengers in Port Verrin faced delays of up to two hours on Wednesday as "
    "sailings moved to the southern terminal of the harbour. "
    '"The southern quay was never built for this many ferries," said Tomas Reyes, a '
    "spokesman for the operator. The harbour authority said the northern quay would stay "
    "closed while engineers inspect the sea wall, and that buses would link the two "
    "terminals every twenty minutes until the work is done."
)
FILLER = (
    "The harbour authority in Port Verrin said the ferry timetable would change again "
    "next week while engineers finish inspecting the sea wall on the northern quay."
)


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _page(title: str, *paragraphs: str, links: str = "", head: str = "") -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>{head}</head>"
        f"<body><article><h1>{title}</h1>{body}</article>{links}</body></html>"
    ).encode()


@dataclass(frozen=True)
class Answer:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0


def _calendar(path: str) -> Answer:
    """/calendar/YYYY/MM: a month page that always links the next month (a crawler trap)."""
    year, month = (int(part) for part in path.split("/")[2:4])
    year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    link = f"<a href='/calendar/{year:04d}/{month:02d}'>next month</a>"
    return Answer(body=_page(f"Events {path}", "No events.", links=link))


def _nested() -> bytes:
    depth = 50_000
    text = f"<p>{ARTICLE_TWO}</p>"
    return (
        "<html><head><title>Nested harbour story</title></head><body>"
        + "<div>" * depth
        + text
        + "</div>" * depth
        + "</body></html>"
    ).encode()


STATIC: dict[str, Callable[[], Answer]] = {
    "/robots.txt": lambda: Answer(
        body=b"User-agent: *\nDisallow: /private/\n", content_type="text/plain"
    ),
    "/news/quay-closed.html": lambda: Answer(body=_page("Harbour quay closed", ARTICLE_ONE)),
    "/news/ferry-delays.html": lambda: Answer(body=_page("Ferry delays", ARTICLE_TWO)),
    "/quote-flood.html": lambda: Answer(body=_page("Quote marks", FILLER, '"' * 60_000, FILLER)),
    "/formula.html": lambda: Answer(
        body=_page(
            "Spreadsheet harbour",
            FILLER,
            '"=HYPERLINK(""http://evil.example/x"",""click here""),+SUM(1;2),-3,@cmd|\' /C calc\'!A0" '
            "said Ada Lind, the harbour clerk, in a message sent to the ferry operator.",
        )
    ),
    "/charset.html": lambda: Answer(
        body=_page(
            "Café owners and the quay",
            FILLER,
            "\u201cOur café lost half its customers this week,\u201d said Zoë Brandt, who "
            "runs a café on the northern quay of the harbour in Port Verrin.",
        ),
        content_type="text/html; charset=iso-8859-1",
    ),
    "/nested.html": lambda: Answer(body=_nested()),
    "/bomb.html": lambda: Answer(
        body=gzip.compress(b" " * BOMB_SIZE, compresslevel=9),
        headers=(("Content-Encoding", "gzip"),),
    ),
    "/loop-a": lambda: Answer(status=302, headers=(("Location", "/loop-b"),)),
    "/loop-b": lambda: Answer(status=302, headers=(("Location", "/loop-a"),)),
    "/elsewhere": lambda: Answer(
        status=302, headers=(("Location", "http://offsite.invalid/story.html"),)
    ),
    LONG_URL_PATH: lambda: Answer(body=_page("Long", FILLER)),
    "/report.pdf": lambda: Answer(body=PDF, content_type="application/pdf"),
    "/document": lambda: Answer(body=PDF, content_type="application/pdf"),
    "/site-name.html": lambda: Answer(
        body=_page(
            "Harbour pilots",
            ARTICLE_TWO.replace("Ferry passengers", "Harbour pilots and ferry passengers"),
            head=f"<meta property='og:site_name' content='{'Port Verrin ' * 25}'>",
        )
    ),
    "/nul.html": lambda: Answer(body=_page("Nul bytes", FILLER).replace(b"quay", b"qu\x00ay")),
    "/binary.html": lambda: Answer(body=bytes(range(256)) * 64),
    "/empty.html": lambda: Answer(body=b""),
    "/error500.html": lambda: Answer(status=500, body=b"<html><body>oops</body></html>"),
    "/gone410.html": lambda: Answer(status=410, body=b"<html><body>gone</body></html>"),
    "/slow.html": lambda: Answer(body=_page("Slow", FILLER), delay=SLOW_SECONDS),
    "/sql.html": lambda: Answer(
        body=_page(
            "Harbour records'); DROP TABLE articles;--",
            FILLER,
            '"Robert\'); DROP TABLE articles; -- was never a ferry passenger," said Ines '
            "Moreau, the harbour archivist, reading from the ledger of the northern quay.",
        )
    ),
    "/private/secret.html": lambda: Answer(body=_page("Secret", FILLER)),
}

INDEX_LINKS = [path for path in STATIC if path != "/robots.txt"] + ["/calendar/2026/01"]


def _index() -> Answer:
    links = "".join(f"<li><a href='{p}'>item {i}</a></li>" for i, p in enumerate(INDEX_LINKS))
    links += "<li><a href='http://offsite.invalid/elsewhere.html'>elsewhere</a></li>"
    return Answer(body=_page("Latest", "Latest items.", links=f"<ul>{links}</ul>"))


class HostileSite(ThreadingHTTPServer):
    """Serve the hostile pages on 127.0.0.1 (port 0: any free port); log every request."""

    daemon_threads = True

    def __init__(self, port: int = 0) -> None:
        self.requested: list[str] = []
        self._lock = threading.Lock()
        super().__init__(("127.0.0.1", port), _Handler)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.server_address[1]}"

    def answer(self, path: str) -> Answer:
        with self._lock:
            self.requested.append(path)
        if path == "/":
            return _index()
        if path.startswith("/calendar/") and path.count("/") == 3:
            return _calendar(path)
        make = STATIC.get(path)
        if make is None:
            return Answer(status=404, body=b"<html><body>not found</body></html>")
        return make()

    def start(self) -> HostileSite:
        threading.Thread(target=self.serve_forever, name="hostile-site", daemon=True).start()
        return self


class _Handler(BaseHTTPRequestHandler):
    server: HostileSite
    server_version = "hostile/1.0"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        answer = self.server.answer(urlsplit(self.path).path)
        if answer.delay:
            time.sleep(answer.delay)
        try:
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            for name, value in answer.headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(answer.body)
        except (BrokenPipeError, ConnectionResetError):  # the crawler gave up first
            pass


SOURCES_TEMPLATE = """\
[crawl]
depth = 3
min_words = 20

[topic]
name = "harbour"
threshold = 2.0
[topic.terms]
"harbour" = 1.0
"quay" = 1.0
"ferry" = 1.0

[[sources]]
name = "hostile"
display_name = "Port Verrin Harbour News"
domains = ["{host}"]
start_pages = ["{base}/"]
"""


def sources_toml(site: HostileSite) -> str:
    """A sources file that crawls the hostile site (one source, a harbour topic)."""
    return SOURCES_TEMPLATE.format(host=site.host, base=site.base_url)
