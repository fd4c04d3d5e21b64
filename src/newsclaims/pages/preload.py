"""Imported by the forkserver that the analysis workers are forked from, and by no one else.

Each worker used to load the analysis modules and, on its first page without a declared
language, py3langid's model (~70 MB of arrays) on its own. Loaded here once, before any
worker is forked, they are shared copy-on-write by every worker (the model's arrays are
only read, so their pages stay shared), and a recycled worker starts with them in place.
"""

from __future__ import annotations

import gc

import py3langid

import newsclaims.pages.analyse  # noqa: F401  (loaded for the workers)

py3langid.classify("load the model")
gc.freeze()  # the garbage collector then never writes to these objects' pages
