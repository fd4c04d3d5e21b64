"""Imported by the forkserver that the analysis workers are forked from, and by no one else.

Each worker used to load the analysis modules and, on its first page without a declared
language, py3langid's model (~70 MB of arrays) on its own. Loaded here once, before any
worker is forked, they are shared copy-on-write by every worker (the model's arrays are
only read, so their pages stay shared), and a recycled worker starts with them in place.

The same holds for dateparser, which htmldate calls on a page that declares no date
(about one real page in forty reaches it): the first string it fails to parse makes it
compile a regex for each of its ~200 languages (over 600 locales), 1.8 s of CPU and ~42 MB, once in each
worker. Compiled here, it is paid once per run and shared.
"""

from __future__ import annotations

import contextlib
import gc

import py3langid

import newsclaims.pages.analyse  # noqa: F401  (loaded for the workers)

py3langid.classify("load the model")
# htmldate's own (internal) parser: if a later htmldate moves it, the workers compile
# dateparser themselves as before, rather than every worker failing to start.
with contextlib.suppress(Exception):
    from htmldate.extractors import get_external_parser

    get_external_parser().get_date_data("0 preload 0")  # no locale parses it: all compiled
gc.freeze()  # the garbage collector then never writes to these objects' pages
