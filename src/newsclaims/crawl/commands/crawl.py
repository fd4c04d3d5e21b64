"""``scrapy crawl news`` that checks the sources file first and holds the crawl lock.

Scrapy reports an error raised while the spider is built as a Deferred traceback; a
missing or invalid sources file is a usage error, so it gets one line and exit code 2,
as ``newsclaims crawl`` gives it. The run then holds the same lease as ``newsclaims
crawl`` (``crawl/lease.py``): a second run at once, by either command, exits 4 and does
nothing; a database that cannot be reached exits 3, and one that turns out misconfigured
mid-crawl (its writes spooled, the crawl stopped) exits 2, as with ``newsclaims crawl``.
"""

from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.crawler import Crawler
from scrapy.settings import Settings
from scrapy.spiders import Spider

from newsclaims import runstats
from newsclaims.config.sources import SourcesError
from newsclaims.crawl.configuration import database_url, load_config
from newsclaims.crawl.lease import crawl_lease, stop_when_lost
from newsclaims.storage import database as db
from newsclaims.storage.errors import DatabaseUnavailable, LockHeld
from newsclaims.storage.locks import Lease
from newsclaims.storage.owners import make_owner

EXIT_USAGE = 2


class Command(ScrapyCrawl):
    crawler: Crawler | None = None
    """The crawler this command ran: Scrapy forgets it once it is done, its stats say how
    the crawl ended."""

    def _create_crawler(self, spidercls: type[Spider] | str) -> Crawler:
        self.crawler = super()._create_crawler(spidercls)
        return self.crawler

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if args != ["news"] or self.settings is None:
            super().run(args, opts)
            return
        settings = self.settings.copy()
        if opts.spargs.get("sources"):
            settings.set("NEWSCLAIMS_SOURCES", opts.spargs["sources"], priority="cmdline")
        try:
            load_config(settings)
        except SourcesError as exc:
            self._fail(str(exc), EXIT_USAGE)
            return
        with ExitStack() as held:
            try:
                lease = held.enter_context(self._lease(self.settings))
            except (LockHeld, DatabaseUnavailable) as exc:
                self._fail(str(exc), exc.exit_code)
                return
            if self.crawler_process is not None:
                stop_when_lost(lease, self.crawler_process)
            super().run(args, opts)
        if lease.lost.is_set():
            self._fail("lost the crawl lock to another run while crawling; stopped", 1)
        elif self._stopped_by() is not None:
            self._fail(str(self._stopped_by()), EXIT_USAGE)

    def _stopped_by(self) -> str | None:
        """The misconfigured database's error, when that stopped the crawl (Scrapy itself
        would exit 0: the spider closed, only for a reason of ours)."""
        if self.crawler is None or self.crawler.stats is None:
            return None
        if self.crawler.stats.get_value("finish_reason") != runstats.DATABASE_MISCONFIGURED:
            return None
        return self.crawler.stats.get_value(runstats.STOPPED_BY)

    def _lease(self, settings: Settings) -> Lease:
        """The crawl's lease, the schema migrated first when the crawl would (the lease
        lives in it)."""
        url = database_url(settings)
        if settings.getbool("NEWSCLAIMS_AUTO_MIGRATE"):
            with db.database_errors(url):
                db.upgrade(url)
        owner = make_owner()
        settings.set("NEWSCLAIMS_RUN_OWNER", owner, priority="cmdline")  # the run row's owner
        return crawl_lease(settings, url, owner)

    def _fail(self, message: str, code: int) -> None:
        print(f"scrapy crawl news: error: {' '.join(message.split())}", file=sys.stderr)
        self.exitcode = code
