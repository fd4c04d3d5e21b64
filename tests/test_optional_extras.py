"""The base install runs without the optional extras (`redis`: scrapy-redis, redis).

The wheel check installs only the base package; a module-level import of scrapy_redis on
the single-machine path once broke `newsclaims demo` there while the suite (with the
extras installed) passed.
"""

from __future__ import annotations

import subprocess
import sys

WITHOUT_REDIS = """
import sys
sys.modules["scrapy_redis"] = None  # any import of it now raises ImportError
sys.modules["redis"] = None
import newsclaims.cli.main, newsclaims.crawl.runner, newsclaims.crawl.commands.crawl
import newsclaims.pipelines.store, newsclaims.pipelines.analyse, newsclaims.ingest.driver
from scrapy.settings import Settings
from newsclaims.crawl.lease import crawl_lease
lease = crawl_lease(Settings({"NEWSCLAIMS_LOCK_TTL": 60}), "sqlite://", "host:1:x")
print("ok", lease.owner)
"""


def test_single_machine_crawl_modules_import_without_the_redis_extra():
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_REDIS], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok host:1:x")
