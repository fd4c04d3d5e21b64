"""A generated news site of any size, for crawls too big for the hand-written fixtures.

``GeneratedSite(150)`` serves ``http://gen.test/``: a front page, section pages of ten
stories, an RSS feed, a sitemap with ``lastmod`` and ``count`` on-topic articles, each
with its own wording (seeded by its number, so no two are near-duplicates) and quotes.
``revise(n)`` changes story ``n``'s text and its sitemap date, as an outlet's update would.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

HOST = "gen.test"
PER_SECTION = 10
_BASE_DATE = datetime(2014, 12, 1, 6, 0, tzinfo=UTC)
_PLACES = ["Mosul", "Raqqa", "Kobani", "Ramadi", "Tikrit", "Sinjar", "Fallujah", "Deir ez-Zor"]
_OBJECTS = ["checkpoints", "bridges", "fuel depots", "training camps", "convoys",
            "command posts", "weapons stores", "artillery positions", "supply routes"]  # fmt: skip
_ADJECTIVES = ["heavy", "sustained", "precise", "overnight", "repeated", "renewed", "fresh"]
_VERBS = ["said", "told reporters", "added", "insisted", "warned", "noted"]
_NAMES = ["Ada Brennan", "Tomas Keller", "Miriam Osei", "Viktor Lund", "Hana Sato",
          "Pablo Ferreira", "Greta Holm", "Samir Haddad", "Lena Vogt", "Omar Castell"]  # fmt: skip
_FILLER = ("officials monitoring the campaign described damage to {obj} and said local "
           "forces had moved into areas around {place} after days of {adj} bombardment")  # fmt: skip


@dataclass
class GeneratedSite:
    count: int
    delay: float = 0.0
    """Seconds each article response waits (a slower site, for killing a crawl mid-way)."""
    host: str = HOST
    padding: int = 0
    """Bytes of inline script each article carries: real pages weigh up to 1.6 MB (185 KB on
    average), mostly scripts and markup (for tests of how much a crawl holds at once)."""
    revisions: dict[int, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def article_path(self, number: int) -> str:
        day = _BASE_DATE + timedelta(hours=number)
        return (
            f"/news/{day:%Y/%m/%d}/story-{number}-coalition-air-strikes-near-{_slug(number)}.html"
        )

    def article_url(self, number: int) -> str:
        return f"http://{self.host}{self.article_path(number)}"

    def revise(self, number: int) -> None:
        with self._lock:
            self.revisions[number] = self.revisions.get(number, 0) + 1

    def modified(self, number: int) -> datetime:
        return _BASE_DATE + timedelta(hours=number, days=30 * self.revisions.get(number, 0))

    @property
    def sections(self) -> int:
        return (self.count + PER_SECTION - 1) // PER_SECTION

    def sources_toml(self, proxy_host: str | None = None) -> str:
        """A sources file crawling the whole site (depth 2: front → section → story)."""
        root = f"http://{self.host}"
        return (
            "[crawl]\ndepth = 3\nmin_words = 20\n\n"
            f'[[sources]]\nname = "gen"\ndomains = ["{self.host}"]\n'
            f'feeds = ["{root}/feed.rss"]\nsitemaps = ["{root}/sitemap.xml"]\n'
            f'start_pages = ["{root}/"]\n'
        )

    def page(self, path: str) -> tuple[str, bytes, datetime] | None:
        """(content type, body, last modified) for a path, None when there is no such page."""
        if path in ("", "/", "/index.html"):
            links = "".join(
                f'<li><a href="/section/{s}/">Section {s}</a></li>' for s in range(self.sections)
            )
            return "text/html", _listing("Front page", links), _BASE_DATE
        if path == "/robots.txt":
            return "text/plain", b"User-agent: *\nAllow: /\n", _BASE_DATE
        if path == "/feed.rss":
            return "application/rss+xml", self._feed(), _BASE_DATE
        if path == "/sitemap.xml":
            return "application/xml", self._sitemap(), _BASE_DATE
        if path.startswith("/section/"):
            number = path.removeprefix("/section/").strip("/")
            if not number.isdigit() or int(number) >= self.sections:
                return None
            first = int(number) * PER_SECTION
            links = "".join(
                f'<li><a href="{self.article_path(n)}">Story {n}</a></li>'
                for n in range(first, min(first + PER_SECTION, self.count))
            )
            return "text/html", _listing(f"Section {number}", links), _BASE_DATE
        if path.startswith("/news/") and "/story-" in path:
            story = path.split("/story-", 1)[1].split("-", 1)[0]
            if not story.isdigit() or int(story) >= self.count:
                return None
            if path != self.article_path(int(story)):
                return None
            return "text/html", self._article(int(story)), self.modified(int(story))
        return None

    def _feed(self) -> bytes:
        items = "".join(
            f"<item><title>Story {n}</title><link>{self.article_url(n)}</link>"
            f"<pubDate>{format_datetime(_BASE_DATE + timedelta(hours=n))}</pubDate></item>"
            for n in range(max(0, self.count - 20), self.count)
        )
        return (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Gen</title>'
            f"<link>http://{self.host}/</link>{items}</channel></rss>"
        ).encode()

    def _sitemap(self) -> bytes:
        urls = "".join(
            f"<url><loc>{self.article_url(n)}</loc>"
            f"<lastmod>{self.modified(n):%Y-%m-%dT%H:%M:%SZ}</lastmod></url>"
            for n in range(self.count)
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
        ).encode()

    def _article(self, number: int) -> bytes:
        rng = random.Random(number * 7919 + self.revisions.get(number, 0))
        place = _PLACES[number % len(_PLACES)]
        speaker = _NAMES[number % len(_NAMES)]
        title = f"Coalition air strikes hit ISIS {rng.choice(_OBJECTS)} near {place} ({number})"
        paragraphs = [
            f"U.S.-led coalition warplanes carried out {rng.randint(3, 40)} air strikes against "
            f"Islamic State militants near {place} on day {number} of the campaign, "
            f"the coalition said in a statement.",
            f'"We struck {rng.choice(_OBJECTS)} and {rng.choice(_OBJECTS)} with '
            f'{rng.choice(_ADJECTIVES)} force," {speaker} {rng.choice(_VERBS)}, '
            f"speaking for the coalition.",
        ]
        for _ in range(4):
            words = _FILLER.format(
                obj=rng.choice(_OBJECTS), place=rng.choice(_PLACES), adj=rng.choice(_ADJECTIVES)
            ).split()
            rng.shuffle(words)
            paragraphs.append(" ".join(words).capitalize() + f" (report {number}).")
        if self.revisions.get(number):
            paragraphs.append(
                f"Updated: officials revised the account of the strikes (revision "
                f"{self.revisions[number]})."
            )
        published = _BASE_DATE + timedelta(hours=number)
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        return (
            f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            f'<link rel="canonical" href="{self.article_url(number)}">'
            '<meta property="og:type" content="article">'
            f'<meta property="article:published_time" content="{published.isoformat()}">'
            f"{_script(self.padding)}</head>"
            '<body><header><nav><a href="/">Home</a></nav></header>'
            f"<article><h1>{title}</h1>{body}</article>"
            f'<footer><a href="/section/{number // PER_SECTION}/">More stories</a></footer>'
            "</body></html>"
        ).encode()


def _slug(number: int) -> str:
    return _PLACES[number % len(_PLACES)].lower().replace(" ", "-")


def _script(size: int) -> str:
    """An inline script of about ``size`` bytes (none for 0)."""
    if size <= 0:
        return ""
    line = "window.dataLayer.push({event: 'page', slot: 1234567890});\n"
    return f"<script>{line * (size // len(line) + 1)}</script>"


def _listing(title: str, links: str) -> bytes:
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        '<meta property="og:type" content="website"></head>'
        f"<body><h1>{title}</h1><ul>{links}</ul></body></html>"
    ).encode()
