"""Instructions per byte of the quote extractor, for callgrind (noise-free, machine-free).

CPU seconds on a shared machine vary by 2x between days; instruction counts do not. Run
twice under valgrind, with and without the extraction, and subtract (start-up and imports
cancel out):

    for run in 0 1; do PYTHONHASHSEED=0 valgrind --tool=callgrind \\
        --callgrind-out-file=/dev/null python bench/quotes_instructions.py $run WARM DIR...
    done 2>&1 | grep Collected

``WARM`` is a folder of articles (or ``-`` for none) extracted first, so that the word
tests are warm as in a long crawl; each article of the ``DIR`` folders (plain text, the
headline first, as ``../shared/eval/*/texts``) is then extracted once when ``run`` is 1.
The script prints the bytes measured. bench/results/quotes.txt has the figures.
"""

from __future__ import annotations

import sys
from pathlib import Path

from newsclaims.quotes.extract import extract_quotes, read_text_document


def _articles(folders: list[str]) -> list[tuple[str | None, list[str]]]:
    return [
        read_text_document(path.read_text(encoding="utf-8"))
        for folder in folders
        for path in sorted(Path(folder).glob("*.txt"))
    ]


def main() -> None:
    run, warm, *folders = sys.argv[1:]
    for headline, paragraphs in _articles([] if warm == "-" else [warm]):
        extract_quotes(paragraphs, headline)
    articles = _articles(folders)
    if run == "1":
        for headline, paragraphs in articles:
            extract_quotes(paragraphs, headline)
    size = sum(len((h or "").encode()) + sum(len(p.encode()) for p in ps) for h, ps in articles)
    print(size)


if __name__ == "__main__":
    main()
