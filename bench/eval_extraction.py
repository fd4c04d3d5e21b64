"""Article-text extraction on real pages (``../shared/eval/extraction``): newsclaims vs trafilatura.

Run from the repository root: ``python bench/eval_extraction.py [--dump DIR] [--only NAME]``.
Each page goes through ``newsclaims.pages.analyse.analyse_page`` (what a crawl stores and
``newsclaims extract`` prints) and through bare ``trafilatura.extract`` with its default,
``favor_precision``, ``favor_recall`` and ``fast`` settings, and through readability-lxml (when installed: it is measured, not a dependency);
the set's own scorer (``score_extraction.py``) scores each. The pages never enter the
project: this script only reads them when the folder exists.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import importlib.util
import io
import json
import sys
import tempfile
from collections.abc import Callable
from multiprocessing import Pool
from pathlib import Path
from types import ModuleType

import trafilatura

from newsclaims.pages.analyse import AnalysisOptions, analyse_page
from newsclaims.pages.decoding import decode_html
from newsclaims.pages.extraction import ExtractionError
from newsclaims.records import FetchedPage

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
SET = EVAL / "extraction"


def _newsclaims(html: bytes, url: str) -> str:
    text, encoding = decode_html(html)
    page = FetchedPage(
        url=url, requested_url=url, source="eval", status=200, html=text, encoding=encoding
    )
    try:
        return analyse_page(page, AnalysisOptions()).article.text
    except ExtractionError:
        return ""


def _trafilatura(**settings: bool) -> Callable[[bytes, str], str]:
    def run(html: bytes, url: str) -> str:
        return trafilatura.extract(decode_html(html)[0], url=url, **settings) or ""

    return run


def _readability(html: bytes, url: str) -> str:
    import lxml.html
    from readability import Document

    summary = Document(decode_html(html)[0], url=url).summary(html_partial=True)
    return lxml.html.fromstring(summary).text_content() if summary.strip() else ""


EXTRACTORS: dict[str, Callable[[bytes, str], str]] = {
    "newsclaims": _newsclaims,
    "trafilatura": _trafilatura(),
    "trafilatura favor_precision": _trafilatura(favor_precision=True),
    "trafilatura favor_recall": _trafilatura(favor_recall=True),
    "trafilatura fast": _trafilatura(fast=True),
    "readability-lxml": _readability,
}


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_extraction", EVAL / "score_extraction.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(job: tuple[str, str, str]) -> dict[str, str]:
    extractor, name, url = job
    if not url.startswith(("http://", "https://")):
        url = f"http://localhost/{name}"  # a few entries name no web address
    html = gzip.decompress((SET / "pages" / f"{name}.gz").read_bytes())
    try:
        text = EXTRACTORS[extractor](html, url)
    except Exception as exc:  # an extractor crash is an empty page, and is reported
        return {"source": name, "text": "", "error": f"{type(exc).__name__}: {exc}"}
    return {"source": name, "text": text}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dump", type=Path, help="write each extractor's JSON lines here")
    parser.add_argument("--only", action="append", choices=sorted(EXTRACTORS))
    args = parser.parse_args()
    if not SET.is_dir():
        print(f"{SET} not found: nothing to measure", file=sys.stderr)
        return 0
    expected = json.loads((SET / "expected.json").read_text(encoding="utf-8"))
    scorer = _scorer()
    print(f"extraction on {SET.name}/: {len(expected)} real pages, snippet scores")
    print(f"trafilatura {trafilatura.__version__}")
    print(f"{'extractor':<30}{'P':>7}{'R':>7}{'F1':>7}{'empty':>7}")
    with Pool() as pool, tempfile.TemporaryDirectory() as scratch:
        for extractor in args.only or EXTRACTORS:
            if extractor == "readability-lxml" and importlib.util.find_spec("readability") is None:
                print(f"{extractor:<30} not installed (pip install readability-lxml)")
                continue
            jobs = [(extractor, name, entry["url"]) for name, entry in expected.items()]
            rows = pool.map(_run, jobs, chunksize=4)
            folder = args.dump or Path(scratch)
            folder.mkdir(parents=True, exist_ok=True)
            pred = folder / f"{extractor.replace(' ', '_')}.jsonl"
            pred.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                scorer.main(str(pred))
            scores = dict(part.split("=") for part in out.getvalue().split())
            print(
                f"{extractor:<30}{scores['P']:>7}{scores['R']:>7}{scores['F1']:>7}"
                f"{scores['empty']:>7}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
