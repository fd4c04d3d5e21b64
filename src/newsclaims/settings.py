"""Every default of newsclaims in one place: Scrapy's and our own ``NEWSCLAIMS_*``.

``scrapy crawl news`` and the ``newsclaims`` CLI both load this module. It holds plain
values only and reads nothing at import: the environment (``NEWSCLAIMS_DATABASE_URL``,
``NEWSCLAIMS_SOURCES``) is consulted when a command or a crawl starts, by
``newsclaims.config.environment``, so an import never freezes a value.

Polite by default: robots.txt obeyed, AutoThrottle on, a project user agent, size caps,
timeouts and retries; the telnet and remote-control consoles off.
"""

from __future__ import annotations

import os

BOT_NAME = "newsclaims"
SPIDER_MODULES = ["newsclaims.spiders"]
NEWSPIDER_MODULE = "newsclaims.spiders"
COMMANDS_MODULE = "newsclaims.crawl.commands"  # `scrapy crawl news` checks the sources file

USER_AGENT = "newsclaims/0.1 (+https://github.com/newsclaims/newsclaims; news research crawler)"
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_DELAY = 0.5
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
DOWNLOAD_FAIL_ON_DATALOSS = True
RETRY_ENABLED = True
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 5
DEPTH_PRIORITY = 1
# Scrapy works each response's output (its page item and the requests for its links) with
# this many asyncio tasks, all made per response: Scrapy's 100 cost the crawl's process
# ~2 ms a page on real pages. A page yields one item for the pipelines (and, rarely, a
# note on an over-long link); the requests are scheduled at once, so 8 leave room for the
# links while the page waits for its analysis.
CONCURRENT_ITEMS = 8
# Scrapy reads and parses each callback's source (inspect, ast) on every response to warn
# about a generator that returns a value; its cache is keyed by the bound method, a new
# one per request that dies with it, so it never hits: 1.5 % of the crawl's process.
# tests/test_spider_callbacks.py makes the same check of our callbacks once.
WARN_ON_GENERATOR_RETURN_VALUE = False
COOKIES_ENABLED = False

TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

ITEM_PIPELINES = {
    "newsclaims.pipelines.analyse.AnalysePipeline": 100,
    "newsclaims.pipelines.store.StorePipeline": 900,
}
EXTENSIONS = {
    "newsclaims.crawl.progress.Progress": 500,
    "newsclaims.crawl.quietlogs.QuietLogs": 0,
    "newsclaims.crawl.warcout.WarcOut": 510,
    "newsclaims.crawl.heap.FreezeHeap": 520,
}
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "newsclaims.crawl.redirects.HeadMetaRefreshMiddleware": 580,  # before Incremental, as Scrapy's
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "newsclaims.crawl.redirects.RecordedRedirectMiddleware": 600,
    # After redirects and decompression (590, 600) see the final response; before retries.
    "newsclaims.crawl.incremental.Incremental": 580,
}

# newsclaims' own settings (override with -s NAME=value, the CLI flags, or, for the two
# marked "env", the environment variable of the same name).
NEWSCLAIMS_DATABASE_URL = "sqlite:///newsclaims.db"  # env
NEWSCLAIMS_SOURCES = "sources.toml"  # env
NEWSCLAIMS_MIN_WORDS = (
    20  # a floor for what is stored, low so a wire brief passes (crawl.min_words)
)
NEWSCLAIMS_CRAWL_DEPTH = 3  # link-following depth (sources file: crawl.depth)
NEWSCLAIMS_EXTRACT_WORKERS = max(1, (os.cpu_count() or 2))  # analysis processes
# Downloaded pages wait in Scrapy's scraper slot for the analysis workers (and then for the
# batch write); past SCRAPER_SLOT_MAX_ACTIVE_SIZE bytes of them the engine starts no new
# download. Each costs the crawl's process ~4x its size (body, decoded text, the copy pickled
# for a worker), and Scrapy's 5 MB held ~22 real pages (224 KiB each) where two workers take
# two at a time. Unless it is set, the spider sets the limit to this much per worker: 1 MB for
# two took 34 MB off a bench crawl of 895 real pages, the rate within the noise
# (docs/performance.md, "Pages waiting for the analysis"). Raise it for slow, far sites when
# the workers sit idle between downloads.
NEWSCLAIMS_WAITING_BYTES_PER_WORKER = 500_000
NEWSCLAIMS_AUTO_MIGRATE = True  # `scrapy crawl news` upgrades the schema; the CLI does it first
NEWSCLAIMS_PROGRESS_INTERVAL = 10.0  # seconds between progress lines; 0 turns them off
NEWSCLAIMS_PROGRESS_TO_STDERR = False  # the CLI prints progress on stderr, Scrapy logs it
NEWSCLAIMS_ANALYSIS_TIMEOUT = 30.0  # seconds one page may take in analysis; 0: no limit
# Bounds on degenerate pages (pages.analyse.bounded_quotes); a bound hit is noted in
# fetch_errors beside the stored article.
NEWSCLAIMS_MAX_MARKS_PER_PARAGRAPH = 400  # more quote marks: not prose, not searched
NEWSCLAIMS_MAX_QUOTES_PER_PARAGRAPH = 50
NEWSCLAIMS_MAX_QUOTES_PER_PAGE = 1000
NEWSCLAIMS_LOG_JSON = False  # one JSON object per log line on stderr (crawl --log-json)
# The crawl writes in batches (pipelines/store.py): one transaction per this many items, or
# after this many seconds, whichever comes first (ingest uses the same figures).
NEWSCLAIMS_WRITE_BATCH = 50
NEWSCLAIMS_WRITE_INTERVAL = 2.0
NEWSCLAIMS_SPOOL_DIR = ".newsclaims/spool"  # base: each database has a subdirectory here
# A write that meets a database outage is retried this many times, after 0.5 s, 1 s, 2 s, 4 s
# (the backoff doubling, at most 30 s), before its item goes to the spool; while the
# database stays down, later writes are tried once each.
NEWSCLAIMS_DB_WRITE_RETRIES = 4
NEWSCLAIMS_DB_WRITE_BACKOFF = 0.5
# Incremental crawling: a known page is fetched again (conditionally) only when its
# feed/sitemap entry says it changed or this many seconds passed; failed pages sooner.
NEWSCLAIMS_INCREMENTAL = True
NEWSCLAIMS_REVISIT_AFTER = 7 * 24 * 3600.0
NEWSCLAIMS_REVISIT_LISTINGS_AFTER = 3600.0  # section pages (not articles): new links appear
NEWSCLAIMS_RETRY_ERRORS_AFTER = 3600.0
# The crawl lock and run heartbeats: a dead holder's lease expires after this many seconds
# (at once when it was a process of this host).
NEWSCLAIMS_LOCK_TTL = 60.0
NEWSCLAIMS_RUN_OWNER = ""  # set by the runner: host:pid:token of this process
# Distributed crawling (``newsclaims crawl --redis URL``, crawl/distributed.py).
NEWSCLAIMS_REDIS_URL = ""  # a Redis URL: run as a worker on a shared frontier
NEWSCLAIMS_REDIS_IDLE_CLOSE = 15.0  # a worker closes once the frontier was empty this long
NEWSCLAIMS_REDIS_SEEN_TTL = 6 * 3600.0  # a fingerprint older than this counts as unseen
NEWSCLAIMS_REDIS_PREFIX = "newsclaims"  # Redis keys: PREFIX:news:requests, …:seen, …
NEWSCLAIMS_WARC_OUT = ""  # a folder: write every response as WARC.gz there (crawl --warc-out)
NEWSCLAIMS_WARC_MAX_BYTES = 1024**3  # a new WARC file once the current one passes this size

# PostgreSQL waits (env, seconds; 0 = no limit): a server that accepts connections but never
# answers is an outage after this long, not a hang. SQLite waits on locks instead (60 s).
NEWSCLAIMS_DB_CONNECT_TIMEOUT = 10  # env; the driver counts whole seconds, at least 2
NEWSCLAIMS_DB_STATEMENT_TIMEOUT = 300  # env; per statement (an export's fetches count apart)
