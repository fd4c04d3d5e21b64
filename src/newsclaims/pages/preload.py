"""Imported by the forkserver that the analysis workers are forked from, and by no one else.

Each worker used to load the analysis modules and, on its first page without a declared
language, py3langid's model (~70 MB of arrays) on its own. Loaded here once, before any
worker is forked, they are shared copy-on-write by every worker (the model's arrays are
only read, so their pages stay shared), and a recycled worker starts with them in place.

The same holds for dateparser, which htmldate calls on a page that declares no date
(about one real page in forty reaches it): the first string it fails to parse makes it
compile a regex for each of its ~200 languages (over 600 locales), 1.8 s of CPU and ~42 MB, once in each
worker. Compiled here, it is paid once per run and shared.

So does jusText's stop-list, which trafilatura's last fallback uses on a page of no known
language (about one real page in ten): every language's words in one tuple and a frozenset,
154,484 strings, built on the first such page in each worker for 0.6 s of CPU and ~27 MB of
its memory (the largest block tracemalloc found in a worker after 500 real pages).
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
with contextlib.suppress(Exception):  # trafilatura's and jusText's internals: as above
    from justext.core import define_stoplist
    from trafilatura.external import jt_stoplist_init

    define_stoplist(jt_stoplist_init())  # the tuple, and the frozenset cached for it
gc.freeze()  # the garbage collector then never writes to these objects' pages
