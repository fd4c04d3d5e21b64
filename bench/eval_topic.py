"""Topic recall and false accepts of the default profile on a labelled set built from what we have.

Run from the repository root: ``python bench/eval_topic.py [-v]``. Positives: the five seed
texts (tests/data/seeds), the fixture web's on-topic pages (seeds, the Kobani report, the
wire brief, the syndicated copy, the robots-disallowed draft) and the ``fakes_dev`` articles
that report coalition strikes (chosen by reading them; listed below by id, their text stays
in ``../shared/eval``). Negatives: the fixture web's off-topic articles, every ``polnear_dev``
article (US politics, 2016) and every ``eval/extraction`` page as newsclaims extracts it.
Each text is scored by ``newsclaims.pages.topic.score_topic`` with ``DEFAULT_TOPIC``.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path
from urllib.parse import urlsplit

from newsclaims.config.sources import DEFAULT_TOPIC
from newsclaims.pages.decoding import decode_html
from newsclaims.pages.extraction import ExtractionError, extract_article
from newsclaims.pages.topic import TopicVerdict, score_topic
from newsclaims.quotes import read_text_document

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
SITE = ROOT / "fixtures" / "site"
# fakes_dev articles whose reporting includes strikes by the US-led coalition.
FAKES_POSITIVE = ("633_1962495716", "685_1965495364", "285_1924058032")
FIXTURE_POSITIVE = {
    "seed_article",
    "on_topic_article",
    "brief_article",
    "syndicated_copy",
    "robots_disallowed",
}

Text = tuple[str, str | None, str]  # (label, headline, body)


def _text_file(path: Path) -> Text:
    headline, paragraphs = read_text_document(path.read_text(encoding="utf-8"))
    return path.stem, headline, "\n".join(paragraphs)


def _page(label: str, body: bytes, url: str) -> Text | None:
    try:
        article = extract_article(decode_html(body)[0], url, "bench", min_words=0)
    except ExtractionError:
        return None
    return label, article.title, article.text


def fixture_pages(positive: bool) -> list[Text]:
    entries = json.loads((SITE / "expected.json").read_text(encoding="utf-8"))
    wanted = FIXTURE_POSITIVE if positive else {"off_topic_article"}
    texts = []
    for entry in entries:
        if entry["kind"] in wanted:
            parts = urlsplit(entry["url"])
            body = (SITE / str(parts.hostname) / parts.path.lstrip("/")).read_bytes()
            if (text := _page(entry["url"], body, entry["url"])) is not None:
                texts.append(text)
    return texts


def positives() -> list[Text]:
    texts = [_text_file(p) for p in sorted((ROOT / "tests" / "data" / "seeds").glob("*.txt"))]
    texts += fixture_pages(positive=True)
    fakes = EVAL / "fakes_dev" / "texts"
    if fakes.is_dir():
        texts += [_text_file(fakes / f"{doc}.txt") for doc in FAKES_POSITIVE]
    return texts


def negatives() -> list[Text]:
    texts = fixture_pages(positive=False)
    polnear = EVAL / "polnear_dev" / "texts"
    if polnear.is_dir():
        texts += [_text_file(p) for p in sorted(polnear.glob("*.txt"))]
    extraction = EVAL / "extraction"
    if extraction.is_dir():
        expected = json.loads((extraction / "expected.json").read_text(encoding="utf-8"))
        for name, entry in sorted(expected.items()):
            url = entry["url"] if entry["url"].startswith("http") else f"http://localhost/{name}"
            body = gzip.decompress((extraction / "pages" / f"{name}.gz").read_bytes())
            if (text := _page(name, body, url)) is not None:
                texts.append(text)
    return texts


def _explain(verdict: TopicVerdict) -> str:
    return ", ".join(f"{term}×{n}" for term, n in sorted(verdict.hits.items()))


def main() -> int:
    verbose = "-v" in sys.argv
    results = {}
    for name, texts in (("positives", positives()), ("negatives", negatives())):
        verdicts = [
            (label, score_topic(title, body, DEFAULT_TOPIC)) for label, title, body in texts
        ]
        results[name] = verdicts
    pos, neg = results["positives"], results["negatives"]
    accepted = sum(v.on_topic for _, v in pos)
    false = [(label, v) for label, v in neg if v.on_topic]
    print(f"topic profile {DEFAULT_TOPIC.name!r}, threshold {DEFAULT_TOPIC.threshold}")
    print(f"positives {len(pos)}: accepted {accepted}, recall {accepted / len(pos):.3f}")
    print(
        f"negatives {len(neg)}: accepted {len(false)}, false-accept rate {len(false) / len(neg):.3f}"
    )
    for label, verdict in pos:
        if verbose or not verdict.on_topic:
            mark = "kept  " if verdict.on_topic else "MISSED"
            print(f"  {mark} {verdict.score:5.1f} {label[:60]}  {_explain(verdict)}")
    for label, verdict in false:
        print(f"  FALSE  {verdict.score:5.1f} {label[:60]}  {_explain(verdict)}")
    if verbose:
        top = sorted(neg, key=lambda item: -item[1].score)[:10]
        for label, verdict in top:
            print(f"  neg    {verdict.score:5.1f} {label[:60]}  {_explain(verdict)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
