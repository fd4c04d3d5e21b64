"""htmldate's bound at midnight on pages published the day they are read: time lost, CPU?

Until 2026-12-03 newsclaims gave htmldate ``max_date`` as a bare date, which htmldate reads as
that day's midnight: a page published at 00:01 or later on the day of its fetch (a live
crawl's usual page) had its precise date refused and came back as the day at 00:00. The
bound is now the end of the day (docs/choices.md). This script runs newsclaims' trafilatura
call (``pages.extraction.trafilatura_document``) on invented pages dated today and, as a
control, yesterday, with the old bound and the new one, alternating in one process: how many
dates come back without their time, and the CPU. 2026-12-03, 200 pages: dated today with no
date in the URL, 200 -> 0 without their time; with the day in the URL htmldate takes the
URL's day under either bound (200 -> 200; newsclaims stores the page's own
``article:published_time`` there, which it reads itself); CPU within the machine's noise
(ratios 0.90-1.07), so the refused date did not send htmldate on a costly search here.

Run: python bench/sameday_dates.py [PAGES]   (default 200)
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus

import newsclaims.pages.preload  # noqa: F401  (what the workers start with)
from newsclaims.pages import extraction

_new_params = extraction._date_params
_ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00")
_SPELLED = re.compile(
    r"\d\d (?:January|February|March|April|May|June|July|August|September|"
    r"October|November|December) \d{4}"
)


def _old_params(today: date) -> dict[str, Any]:
    return {**_new_params(today), "max_date": today.isoformat()}


_PATH_DAY = re.compile(r"/\d{4}/\d\d/\d\d/")


def dated(url: str, html: str, when: datetime, path_day: bool) -> tuple[str, str]:
    """The page and its URL with every date (meta, JSON-LD, <time>) set to ``when``; the
    paths' dates too, or (``path_day`` false) taken out, as many outlets' URLs have none."""
    day = f"/{when:%Y/%m/%d}/" if path_day else "/"
    html = _SPELLED.sub(f"{when:%d %B %Y}", _ISO.sub(when.isoformat(), html))
    return _PATH_DAY.sub(day, url), _PATH_DAY.sub(day, html)


def run(pages: list[tuple[str, str]], today: date, bound: str) -> tuple[float, int]:
    """CPU seconds of the call over the pages, and how many dates lost their time."""
    extraction._date_params = _old_params if bound == "midnight" else _new_params  # type: ignore[assignment]
    truncated = 0
    started = time.process_time()
    for url, html in pages:
        document = extraction.trafilatura_document(extraction.parse_html(html), url, today)
        if document is not None and document.date and document.date.endswith("T00:00:00"):
            truncated += 1
    spent = time.process_time() - started
    extraction._date_params = _new_params  # type: ignore[assignment]
    return spent, truncated


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    now = datetime.now(UTC)
    today = now.date()
    midnight = datetime.combine(today, datetime.min.time(), UTC)
    variants = {
        "today, no date in the URL": (midnight + timedelta(minutes=1), False),
        "today, the day in the URL": (midnight + timedelta(minutes=1), True),
        "yesterday, no date in the URL": (midnight - timedelta(hours=10), False),
    }
    with tempfile.TemporaryDirectory() as tmp:
        files = corpus.generate(Path(tmp), count)
        raw = [(url, path.read_bytes().decode("utf-8")) for url, path in files]
    print(f"bench/sameday_dates.py {count}  ({now:%Y-%m-%d %H:%M} UTC), pages of bench/corpus.py")
    print("CPU of trafilatura_document per page, htmldate bound at midnight vs end of day")
    for label, (when, path_day) in variants.items():
        pages = [dated(url, html, when, path_day) for url, html in raw]
        run(pages[:20], today, "end")  # warm: caches, lazy imports
        spent: dict[str, list[float]] = {"midnight": [], "end": []}
        truncated = {}
        for _ in range(3):
            for bound in ("midnight", "end"):
                seconds, truncated[bound] = run(pages, today, bound)
                spent[bound].append(seconds / len(pages) * 1000)
        ratios = [e / m for m, e in zip(spent["midnight"], spent["end"], strict=True)]
        print(
            f"  dated {label} ({when:%H:%M} UTC): midnight "
            + " / ".join(f"{v:.2f}" for v in spent["midnight"])
            + " ms, end of day "
            + " / ".join(f"{v:.2f}" for v in spent["end"])
            + " ms, ratio "
            + " / ".join(f"{r:.3f}" for r in ratios)
            + f"; dates without their time {truncated['midnight']} -> {truncated['end']} "
            f"of {len(pages)}"
        )


if __name__ == "__main__":
    main()
