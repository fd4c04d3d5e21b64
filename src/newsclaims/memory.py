"""glibc's malloc: hand page-sized blocks back to the system when they are freed.

glibc serves a block of 128 KiB or more with its own ``mmap`` and unmaps it on ``free``,
but it raises that threshold to the size of every such block freed (up to 32 MiB). After
the first large page, every body, decoded text, parse buffer and pickled page (100 KiB to
a few MiB each, several a second) came from the heap instead, where freed space stays
with the process. Fixing the threshold at its initial 128 KiB (as setting
``MALLOC_MMAP_THRESHOLD_`` does) cut the summed memory of a 3,580-real-page crawl by
6% (703, 691 → 657, 650 MB PSS), the crawl's own process 271, 277 → 252, 260 MB RSS; the
price is ~1 ms of system CPU a page in a worker, its page faults (bench/results/memory.txt,
docs/choices.md 2026-12-02).
"""

from __future__ import annotations

import ctypes
import os
import sys

MMAP_THRESHOLD = 128 * 1024
_ENV = "MALLOC_MMAP_THRESHOLD_"
_M_MMAP_THRESHOLD = -3  # mallopt's parameter number (malloc.h)
_applied = False


def return_large_blocks() -> None:
    """Fix the threshold in this process (``mallopt``) and, through the environment, in
    every process it starts (the analysis forkserver and its workers). A value the
    operator set in the environment (``MALLOC_MMAP_THRESHOLD_`` or glibc's tunable) is kept;
    elsewhere than glibc this does nothing."""
    global _applied
    operator_set = _ENV in os.environ or "malloc.mmap_threshold" in os.environ.get(
        "GLIBC_TUNABLES", ""
    )
    if _applied or operator_set or not sys.platform.startswith("linux"):
        return
    _applied = True
    os.environ[_ENV] = str(MMAP_THRESHOLD)
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # no mallopt in this C library
        return
    mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
