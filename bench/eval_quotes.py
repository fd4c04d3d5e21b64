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
import ast
import contextlib
import importlib.util
import io
import json
import sys
import tempfile
from collections import Counter
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
                verbose=True,
                ignore_path=str(folder / ignore) if ignore else None,
            )
        if not args.dump:
            pred.unlink()
        lines = out.getvalue().splitlines()
        print(f"== {name}")
        print("\n".join(line for line in lines if not line.startswith(ERROR_PREFIXES)))
        print("errors by class: " + error_classes(lines, folder / gold))
    seeds(scorer)
    return 0


def seeds(scorer: ModuleType) -> None:
    """The five seed pages against the shared spec (the acceptance set), same scorer."""
    spec = ROOT.parent / "shared" / "spec" / "seed_quotes.jsonl"
    if not spec.exists():
        return
    with tempfile.TemporaryDirectory() as tmp:
        gold = Path(tmp) / "gold.jsonl"
        rows = [json.loads(line) for line in spec.open(encoding="utf-8") if line.strip()]
        gold.write_text(
            "".join(json.dumps({**r, "doc": Path(r["seed"]).stem}) + "\n" for r in rows)
        )
        pred = Path(tmp) / "pred.jsonl"
        found = predictions(ROOT / "tests" / "data" / "seeds")
        pred.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in found))
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            scorer.main(str(gold), str(pred), verbose=True)
    lines = out.getvalue().splitlines()
    print("== seeds (shared spec)")
    print("\n".join(line for line in lines if not line.startswith(ERROR_PREFIXES)))
    print("errors by class: " + error_classes(lines, gold_rows=rows))


ERROR_PREFIXES = ("MISS ", "WRONG", "EXTRA")


def error_classes(
    lines: list[str], gold_path: Path | None = None, gold_rows: list[dict] | None = None
) -> str:
    """Count the scorer's error lines by class: missed and false quotes; wrong speakers by
    the gold speaker's type, and whether the extractor gave no speaker at all."""
    if gold_rows is None:
        assert gold_path is not None
        gold_rows = [json.loads(line) for line in gold_path.open(encoding="utf-8")]
    types = {
        (row.get("doc") or Path(row.get("seed", "")).stem, row["quote"][:60]): row.get(
            "speaker_type"
        )
        or "person"
        for row in gold_rows
    }
    counts: Counter[str] = Counter()
    for line in lines:
        if not line.startswith(ERROR_PREFIXES):
            continue
        kind, record = line[:5].strip(), ast.literal_eval(line[5:].strip())
        if kind == "WRONG":
            doc, quote, _gold_speaker, predicted = record
            how = "none given" if not predicted else "wrong name"
            counts[f"speaker {types.get((doc, quote), 'person')}: {how}"] += 1
        else:
            counts["missed quote" if kind == "MISS" else "false quote"] += 1
    return ", ".join(f"{label} {n}" for label, n in sorted(counts.items())) or "none"


if __name__ == "__main__":
    sys.exit(main())
