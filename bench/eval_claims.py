"""Claims across outlets on real news: fakes_dev's statements reported by two outlets.

Run from the repository root: ``python bench/eval_claims.py``. Reads
``../shared/eval/fakes_dev`` only when it exists (its texts never enter the project).

The gold statements reported by two articles are found from the annotations alone: gold
quotes of two different articles whose texts match (the set's own rule, or the same
sentence with a respelled name) and whose speakers agree. Then the project's extractor runs on every article and its quotes go
through the project's claim matching (``ClaimIndex``, the in-memory twin of the store's
claim tables), and the script reports:

- each two-article statement: joined (both articles' quotes share a claim), or why not
  (a quote not found, no speaker, different speakers, or not matched);
- wrong merges: claims that hold quotes matching two different gold statements.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from rapidfuzz import fuzz

from newsclaims.claims import ClaimIndex, claim_sentences
from newsclaims.quotes import extract_quotes, read_text_document

ROOT = Path(__file__).resolve().parent.parent
FAKES = ROOT.parent / "shared" / "eval" / "fakes_dev"
SCORER = ROOT.parent / "shared" / "eval" / "score_quotes.py"
CLAIM_KINDS = {"direct", "partial"}


@dataclass
class Found:
    doc: str
    quote: str
    speaker: str | None
    claims: set[int]


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_quotes", SCORER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _same_words(a: str, b: str, scorer: ModuleType) -> bool:
    """The scorer's own match, or the same sentence with a respelled name ("Deir Ezzor" /
    "Deir ez-Zor"): a character-level ratio of 90 on the normalised texts."""
    return scorer.match(a, b) or fuzz.ratio(scorer.norm(a), scorer.norm(b)) >= 90


def gold_pairs(gold: list[dict[str, str]], scorer: ModuleType) -> list[tuple[dict, dict]]:
    statements = [g for g in gold if g.get("kind") in CLAIM_KINDS]
    pairs = []
    for i, a in enumerate(statements):
        for b in statements[i + 1 :]:
            if a["doc"] == b["doc"] or not _same_words(a["quote"], b["quote"], scorer):
                continue
            if scorer.speaker_ok(a["speaker"], b["speaker"], a.get("speaker_type") or "person"):
                pairs.append((a, b))
    return pairs


def extracted(scorer: ModuleType) -> list[Found]:
    index = ClaimIndex()
    found: list[Found] = []
    for path in sorted((FAKES / "texts").glob("*.txt")):
        headline, paragraphs = read_text_document(path.read_text(encoding="utf-8"))
        for quote in extract_quotes(paragraphs, headline):
            claims: set[int] = set()
            if quote.speaker and quote.kind in CLAIM_KINDS:
                for span in claim_sentences(quote.quote):
                    if any(ch.isalnum() for ch in span.text):
                        claims.add(index.add_or_match(quote.speaker, span.text)[0])
            found.append(Found(path.stem, quote.quote, quote.speaker, claims))
    return found


def _find(found: list[Found], gold: dict, scorer: ModuleType) -> Found | None:
    return next(
        (f for f in found if f.doc == gold["doc"] and scorer.match(gold["quote"], f.quote)), None
    )


def main() -> int:
    if not FAKES.is_dir():
        print(f"{FAKES} not found: nothing to measure", file=sys.stderr)
        return 0
    scorer = _scorer()
    gold = [json.loads(line) for line in (FAKES / "gold.jsonl").open(encoding="utf-8")]
    pairs = gold_pairs(gold, scorer)
    found = extracted(scorer)
    print(f"fakes_dev: {len(pairs)} statements reported by two articles (from the annotations)")
    joined = 0
    for a, b in pairs:
        fa, fb = _find(found, a, scorer), _find(found, b, scorer)
        if fa is None or fb is None:
            verdict = "a quote not found"
        elif not fa.speaker or not fb.speaker:
            verdict = f"no speaker ({fa.speaker!r} / {fb.speaker!r})"
        elif fa.speaker != fb.speaker:
            verdict = f"different speakers ({fa.speaker!r} / {fb.speaker!r})"
        elif fa.claims & fb.claims:
            verdict = "one claim, both articles"
            joined += 1
        else:
            verdict = "same speaker, claims not matched"
        print(f"  {a['speaker'][:30]:<30} {a['doc']} + {b['doc']}: {verdict}")
    print(f"joined: {joined}/{len(pairs)}")

    statement_of: dict[int, set[int]] = defaultdict(set)
    statements = [g for g in gold if g.get("kind") in CLAIM_KINDS]
    group = {id(g): i for i, g in enumerate(statements)}
    for a, b in pairs:  # the two reports of one statement are one statement
        group[id(b)] = group[id(a)]
    for g in statements:
        hit = _find(found, g, scorer)
        if hit is not None:
            for claim in hit.claims:
                statement_of[claim].add(group[id(g)])
    merged = {claim: ids for claim, ids in statement_of.items() if len(ids) > 1}
    print(f"wrong merges (a claim holding two different gold statements): {len(merged)}")
    for ids in merged.values():
        for i in sorted(ids):
            print(f"  merged: {statements[i]['doc']} {statements[i]['quote'][:60]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
