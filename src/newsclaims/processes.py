"""Process lifetimes: a worker process ends with the process it works for.

Both pools (the crawl's and ``ingest``'s) fork their workers from a forkserver, so a
worker's parent is the forkserver, not the command: a SIGKILLed command cannot stop its
pool, and a worker busy on a page reads no pipe that would tell it. It kept running (with
the forkserver and resource tracker waiting on it) until the page was done, unbounded once
the command's time limit could no longer kill it.
"""

from __future__ import annotations

import os
import select
import threading
import time


def pid_alive(pid: int) -> bool:
    """Whether a process of this host with this id exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def exit_with(pid: int) -> None:
    """End this process as soon as process ``pid`` is gone, however it died.

    A daemon thread waits on the process's pidfd (Linux), elsewhere polls for it every
    second; a process already gone ends this one at once.
    """
    try:
        handle: int | None = os.pidfd_open(pid)
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):  # no pidfd_open here
        handle = None

    def watch() -> None:
        if handle is not None:
            select.select([handle], [], [])
        else:
            while pid_alive(pid):
                time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, name="newsclaims-exit-with", daemon=True).start()
