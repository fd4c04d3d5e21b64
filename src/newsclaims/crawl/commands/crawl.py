"""``scrapy crawl news`` that checks the sources file first.

Scrapy reports an error raised while the spider is built as a Deferred traceback; a
missing or invalid sources file is a usage error, so it gets one line and exit code 2,
as ``newsclaims crawl`` gives it.
"""

from __future__ import annotations

import argparse
import sys

from scrapy.commands.crawl import Command as ScrapyCrawl

from newsclaims.config.sources import SourcesError
from newsclaims.crawl.configuration import load_config

EXIT_USAGE = 2


class Command(ScrapyCrawl):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if args == ["news"] and self.settings is not None:
            settings = self.settings.copy()
            if opts.spargs.get("sources"):
                settings.set("NEWSCLAIMS_SOURCES", opts.spargs["sources"], priority="cmdline")
            try:
                load_config(settings)
            except SourcesError as exc:
                print(f"scrapy crawl news: error: {' '.join(str(exc).split())}", file=sys.stderr)
                self.exitcode = EXIT_USAGE
                return
        super().run(args, opts)
