"""Which source an archived page belongs to: a configured source's domain, else its own.

Unknown hosts are stored under their registered domain (``news.example.co.uk`` →
``example.co.uk``), read from the public suffix list tldextract ships; it never goes to
the network (``suffix_list_urls=()``), so ingest works offline.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

import tldextract

from newsclaims.config.sources import SourcesFile
from newsclaims.discovery.urls import in_scope, registered_host


@lru_cache(maxsize=1)
def _extractor() -> tldextract.TLDExtract:
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def registered_domain(url: str) -> str:
    """``example.co.uk`` for any host under it; a host without a known suffix without ``www.``."""
    host = (urlsplit(url).hostname or "").lower()
    parts = _extractor()(host)
    if parts.domain and parts.suffix:
        return f"{parts.domain}.{parts.suffix}"
    return registered_host(url) or "unknown"


@dataclass(frozen=True)
class SourceMatcher:
    """Configured sources by domain (a subdomain matches too), or one forced source."""

    domains: tuple[tuple[str, str], ...] = ()
    forced: str | None = None

    @classmethod
    def from_config(cls, config: SourcesFile | None, forced: str | None = None) -> SourceMatcher:
        pairs = [(d, s.name) for s in (config.sources if config else []) for d in s.domains]
        # The most specific domain first: news.example.com before example.com.
        pairs.sort(key=lambda pair: -len(pair[0]))
        return cls(tuple(pairs), forced)

    def source_for(self, url: str) -> str:
        if self.forced:
            return self.forced
        for domain, name in self.domains:
            if in_scope(url, [domain], [], []):
                return name
        return registered_domain(url)
