"""Canonical URLs, so one article is stored once whatever link led to it.

w3lib (a Scrapy dependency) does the RFC-level work; this module adds the
news-specific folding: tracking parameters, ``www.`` and the scheme.
"""

from __future__ import annotations

import hashlib
import re
from urllib.parse import urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url, url_query_cleaner

_TRACKING = re.compile(
    r"^(utm_[a-z_]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_ga|_gl|ocid|cmpid|"
    r"at_[a-z_]+|ns_[a-z_]+|icid|ito|xtor|ref|ref_src|src|feature|share|smid|"
    r"partner|ftag|taid|rss|mbid|yptr|cid)$",
    re.IGNORECASE,
)


def strip_tracking(url: str) -> str:
    """Drop tracking parameters and the fragment, keep every other query parameter."""
    parts = urlsplit(url)
    names = [pair.split("=", 1)[0] for pair in parts.query.split("&") if pair]
    tracking = [n for n in names if _TRACKING.match(n)]
    cleaned = url_query_cleaner(url, tracking, remove=True, keep_fragments=False)
    return cleaned


def canonical_url(url: str, declared: str | None = None) -> str:
    """The URL we store: the page's ``rel=canonical`` if it is on the same site, cleaned."""
    chosen = url
    if declared:
        absolute = urljoin(url, declared.strip())
        if _same_site(absolute, url):
            chosen = absolute
    return canonicalize_url(strip_tracking(chosen), keep_fragments=False)


def url_key(url: str) -> str:
    """The identity of a URL with ``www.`` and the scheme folded away (http == https)."""
    parts = urlsplit(canonical_url(url))
    host = (parts.hostname or "").lower().removeprefix("www.")
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    path = parts.path or "/"
    return urlunsplit(("", host + port, path, parts.query, "")).lstrip("/")


def url_hash(url: str) -> str:
    return hashlib.sha1(url_key(url).encode("utf-8")).hexdigest()


def registered_host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower().removeprefix("www.")


def _same_site(a: str, b: str) -> bool:
    """Only trust a canonical link pointing at the same site (syndication points elsewhere)."""
    return registered_host(a) == registered_host(b)


def host_name(domain: str) -> str:
    """A ``domains`` entry without its port ('127.0.0.1:8080' → '127.0.0.1')."""
    return domain.rsplit(":", 1)[0] if re.fullmatch(r".+:\d+", domain) else domain


def in_scope(url: str, domains: list[str], allow: list[str], deny: list[str]) -> bool:
    """Whether a source follows this link: on one of its hosts (or a subdomain; a port, when
    given, must match), matching an ``allow`` pattern when there are any, and no ``deny``."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    port = parts.port
    on_site = False
    for domain in domains:
        name = host_name(domain).lower()
        wanted_port = domain[len(name) + 1 :] if len(domain) > len(name) else None
        if (host == name or host.endswith("." + name)) and (
            wanted_port is None or str(port) == wanted_port
        ):
            on_site = True
    if not on_site:
        return False
    if allow and not any(re.search(pattern, url) for pattern in allow):
        return False
    return not any(re.search(pattern, url) for pattern in deny)
