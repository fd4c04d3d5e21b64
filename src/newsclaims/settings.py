"""Every Scrapy default of newsclaims in one place (``scrapy crawl news`` uses this module).

Polite by default: robots.txt obeyed, AutoThrottle on, a project user agent, size caps,
timeouts and retries; the telnet and remote-control consoles off.
"""

from __future__ import annotations

import os

from newsclaims.config.environment import database_url, sources_path

BOT_NAME = "newsclaims"
SPIDER_MODULES = ["newsclaims.spiders"]
NEWSPIDER_MODULE = "newsclaims.spiders"

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
COOKIES_ENABLED = False

TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

ITEM_PIPELINES = {
    "newsclaims.pipelines.extract.ExtractPipeline": 100,
    "newsclaims.pipelines.paragraphs.ParagraphDedupPipeline": 200,
    "newsclaims.pipelines.topic.TopicFilterPipeline": 300,
    "newsclaims.pipelines.quotes.QuotePipeline": 400,
    "newsclaims.pipelines.store.StorePipeline": 900,
}
EXTENSIONS = {
    "newsclaims.crawl.progress.Progress": 500,
}

# newsclaims' own settings (override with -s NAME=value or the newsclaims CLI flags).
NEWSCLAIMS_DATABASE_URL = database_url()
NEWSCLAIMS_SOURCES = str(sources_path())
NEWSCLAIMS_EXTRACT_WORKERS = max(1, (os.cpu_count() or 2))
NEWSCLAIMS_PROGRESS_INTERVAL = 10.0
NEWSCLAIMS_SPOOL_DIR = ".newsclaims/spool"
