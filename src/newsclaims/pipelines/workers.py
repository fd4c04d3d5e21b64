"""What the crawl's analysis worker processes run, in a module that imports no Scrapy.

A worker imports the module of every function it is sent; sent from
``pipelines.analyse``, the initializer loaded Scrapy and Twisted into every worker
(~26 MB each, for nothing).
"""

from __future__ import annotations

import os
import select
import signal
import threading
import time

from newsclaims.storage.owners import pid_alive


def start_worker(crawl_pid: int) -> None:
    """Worker initializer: the crawl handles Ctrl-C and shuts the pool down; the worker
    dies with the crawl."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with(crawl_pid)


def _exit_with(crawl_pid: int) -> None:
    """End this worker as soon as the crawl process is gone, however it died.

    A SIGKILLed crawl cannot stop its pool, and a worker's parent is the forkserver, not
    the crawl; a worker busy on a page reads no pipe that would tell it, and kept running
    (with the forkserver and resource tracker waiting on it) until the page was done,
    unbounded once the crawl's time limit could no longer kill it. A thread waits on the
    crawl's pidfd (Linux), elsewhere polls for it every second.
    """
    try:
        handle: int | None = os.pidfd_open(crawl_pid)
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):  # no pidfd_open here
        handle = None

    def watch() -> None:
        if handle is not None:
            select.select([handle], [], [])
        else:
            while pid_alive(crawl_pid):
                time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, name="newsclaims-crawl-watch", daemon=True).start()
