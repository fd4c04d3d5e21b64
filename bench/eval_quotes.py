"""Quote and speaker quality on real, independently annotated news (``../shared/eval``).

Run from the repository root: ``python bench/eval_quotes.py [--dump DIR]``. For each set
it runs the same quote extractor a crawl runs on every article's paragraphs and scores
the result with the set's own scorer (``score_quotes.py``). The texts never enter the
project: this script only reads them when the folder exists. ``--dump DIR`` writes the
predictions (one JSON line per quote) so two versions of the code can be compared
exactly.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import sys
from pathlib import Path
from types import ModuleType

from newsclaims.quotes.extract import extract_quotes, read_text_document

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
SETS = {
    "polnear_dev": ("gold.jsonl", "nondirect.jsonl"),
    "fakes_dev": ("gold.jsonl", None),
}


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_quotes", EVAL / "score_quotes.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def predictions(texts: Path) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for path in sorted(texts.glob("*.txt")):
        headline, paragraphs = read_text_document(path.read_text(encoding="utf-8"))
        for quote in extract_quotes(paragraphs, headline):
            rows.append(
                {
                    "doc": path.stem,
                    "quote": quote.quote,
                    "speaker": quote.speaker,
                    "kind": quote.kind,
                    "paragraph": quote.paragraph,
                    "start": quote.start,
                }
            )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dump", type=Path, help="write each set's predictions here")
    args = parser.parse_args()
    if not EVAL.is_dir():
        print(f"{EVAL} not found: nothing to measure", file=sys.stderr)
        return 0
    scorer = _scorer()
    for name, (gold, ignore) in SETS.items():
        folder = EVAL / name
        rows = predictions(folder / "texts")
        dump = args.dump or Path(".")
        if args.dump:
            dump.mkdir(parents=True, exist_ok=True)
        pred = dump / f"{name}.pred.jsonl"
        pred.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            scorer.main(
                str(folder / gold),
                str(pred),
                ignore_path=str(folder / ignore) if ignore else None,
            )
        if not args.dump:
            pred.unlink()
        print(f"== {name}")
        print(out.getvalue().rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
