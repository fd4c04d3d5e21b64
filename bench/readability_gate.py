"""Would skipping trafilatura's readability comparison where it cannot win pay? (No: see below.)

trafilatura 2.3.1 runs readability after its own extraction and keeps readability's text only
when its own is empty, readability's is more than twice as long, or its own body has no
paragraph text or more tables than paragraphs (``external._prefer_readability``, outside
"recall" focus). Readability's text is a part of the page's text (scripts and styles dropped,
their tails kept) plus "VIDEO" per video iframe, so ``text_bound`` is an upper bound on its
length; where our text is non-empty, well-formed and at least half of it, readability cannot
win and is handed an empty tree. This script installs that gate (here only: newsclaims does
not), checks the body's XML is identical with and without it and the bound is never below
readability's real length, then times the ``bare_extraction`` call gated and not, alternating
in one process. 2026-12-03: identical on 548 pages, worst length/bound 0.99; CPU gated/ungated
0.80 and 0.785 on invented pages, 0.998 and 1.016 on the 179 real ones, so not adopted
(docs/choices.md; docs/performance.md; bench/results/readability_gate.txt).

Run: python bench/readability_gate.py [invented|real] [PAGES]   (real: ../shared/eval's pages)
"""

from __future__ import annotations

import copy
import gzip
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus
import lxml.html
import realpages
import trafilatura
import trafilatura.core
import trafilatura.external
from lxml import etree
from trafilatura.utils import trim

import newsclaims.pages.preload  # noqa: F401  (what the workers start with)
from newsclaims.pages.extraction import _extractor, parse_html

_COLLAPSED_TEXT_LENGTH = etree.XPath("string-length(normalize-space(string(.)))")
_XML_SPACES = (" ", "\t", "\n", "\r")
_trafilatura_compare = trafilatura.core.compare_extraction
_gate = {"on": False}


def text_bound(tree: Any) -> int:
    """libxml2's collapsed text (XML's spaces, never shorter than ``trim``) +2 for its ends;
    a script's text X shortens it by X's non-space characters less 2; an iframe may gain
    " VIDEO "."""
    bound = int(_COLLAPSED_TEXT_LENGTH(tree)) + 2
    for element in tree.iter("script", "style", "iframe"):
        if element.tag == "iframe":
            bound += len(" VIDEO ")
        else:
            text = element.text or ""
            bound += 2 - (len(text) - sum(map(text.count, _XML_SPACES)))
    return bound


def _gated_compare(cleaned: Any, raw: Any, body: Any, text: str, options: Any) -> Any:
    if (
        _gate["on"]
        and options.focus != "recall"
        and text
        and body.xpath(".//p//text()")
        and len(body.findall(".//table")) <= len(body.findall(".//p"))
        and 2 * len(text) >= text_bound(raw)
    ):
        raw = lxml.html.HtmlElement()
    return _trafilatura_compare(cleaned, raw, body, text, options)


def _pages(kind: str, count: int) -> list[str]:
    if kind == "real":
        files = sorted(realpages.EVAL_PAGES.glob("*.html.gz"))[:count]
        return [gzip.decompress(f.read_bytes()).decode("utf-8", "replace") for f in files]
    folder = Path(tempfile.mkdtemp(prefix="nc_bench_gate_"))
    try:
        corpus.generate(folder, count)
        return [f.read_text("utf-8") for f in sorted(folder.rglob("*.html"))[:count]]
    finally:
        shutil.rmtree(folder)


def _extract(html: str, gated: bool) -> Any:
    _gate["on"] = gated
    try:
        return trafilatura.bare_extraction(
            parse_html(html), options=_extractor("https://bench.test/a", date(2026, 12, 3))
        )
    finally:
        _gate["on"] = False


def main() -> None:
    kind = sys.argv[1] if len(sys.argv) > 1 else "invented"
    pages = _pages(kind, int(sys.argv[2]) if len(sys.argv) > 2 else 200)
    trafilatura.core.compare_extraction = _gated_compare  # type: ignore[assignment]
    differ, worst = 0, 0.0
    for html in pages:
        gated, ungated = _extract(html, True), _extract(html, False)
        differ += (gated is None) != (ungated is None) or (
            gated is not None and etree.tostring(gated.body) != etree.tostring(ungated.body)
        )
        tree = parse_html(html)
        extracted = trafilatura.external.try_readability(copy.deepcopy(tree))
        length = len(trim(etree.tostring(extracted, method="text", encoding=str)))
        worst = max(worst, length / max(text_bound(tree), 1))
    print(
        f"{len(pages)} {kind} pages: {differ} bodies differ; readability length/bound at most {worst:.3f}"
    )
    cpu: dict[bool, float] = {True: 0.0, False: 0.0}
    for _ in range(4):
        for gated in (False, True):
            for html in pages:
                start = time.process_time()
                _extract(html, gated)
                cpu[gated] += time.process_time() - start
    per_page = {g: 1000 * t / (4 * len(pages)) for g, t in cpu.items()}
    print(
        f"bare_extraction CPU per page: ungated {per_page[False]:.2f} ms, gated "
        f"{per_page[True]:.2f} ms, gated/ungated {cpu[True] / cpu[False]:.3f}"
    )


if __name__ == "__main__":
    main()
