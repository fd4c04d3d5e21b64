"""Sanity checks for gold.jsonl / not_statements.jsonl (run: python3 check_gold.py). Not a test of the extractor."""

import collections
import glob
import json
import os
import re
import unicodedata

D = os.path.dirname(os.path.abspath(__file__)) + "/"


def norm(s):
    s = unicodedata.normalize("NFKC", s)
    s = (
        s.replace("“", '"')
        .replace("”", '"')
        .replace("‘", "'")
        .replace("’", "'")
        .replace("«", '"')
        .replace("»", '"')
    )
    s = re.sub(r"\s+", " ", s).strip()
    s = s.strip(" \"'.,;:!?-—")
    return s.casefold()


def match(a, b):
    a, b = norm(a), norm(b)
    if a == b:
        return True
    short, long_ = sorted([a, b], key=len)
    return short in long_ and len(short) >= 0.8 * len(long_)


docs = {os.path.basename(p): open(p, encoding="utf-8").read() for p in glob.glob(D + "*.txt")}
gold = [json.loads(l) for l in open(D + "gold.jsonl", encoding="utf-8")]
ns = [json.loads(l) for l in open(D + "not_statements.jsonl", encoding="utf-8")]
errs = []
OPEN = '"“«'
CLOSE = '"”»'
for e in gold:
    assert set(e) == {"doc", "quote", "speaker", "kind"}, e
    assert e["kind"] in ("direct", "partial")
    t = docs[e["doc"]]
    head, body = t.split("\n", 1)
    q = e["quote"]
    if q in head:
        errs.append(("gold quote in headline", e))
    cnt = body.count(q)
    if cnt != 1:
        errs.append(("gold quote count in body != 1", cnt, e))
        continue
    i = body.index(q)
    j = i + len(q)
    pre = body[:i].rstrip(" ")
    post = body[j:].lstrip(" ")
    if not pre or pre[-1] not in OPEN:
        errs.append(("not preceded by open mark", e))
    if not (post[:1] in CLOSE or post[:1] == "\n" or post == ""):
        errs.append(("not followed by close mark/eol", repr(post[:5]), e))
    # Daniel Okafor is introduced as Daniel "The Wall" Okafor
    if e["speaker"] is not None and e["speaker"] not in t and e["speaker"] != "Daniel Okafor":
        errs.append(("speaker not in doc", e))
for e in ns:
    t = docs[e["doc"]]
    if e["quote"] not in t:
        errs.append(("not-statement missing", e))
    if "headline" in e["why"] and e["quote"] not in t.split("\n", 1)[0]:
        errs.append(("headline ns not in headline", e))
    for g in gold:
        if g["doc"] == e["doc"] and match(g["quote"], e["quote"]):
            errs.append(("ns matches gold", e, g))
# gold entries must not match each other
by = collections.defaultdict(list)
for g in gold:
    by[g["doc"]].append(g)
for d, L in by.items():
    for a in range(len(L)):
        for b in range(a + 1, len(L)):
            if match(L[a]["quote"], L[b]["quote"]):
                errs.append(("gold pair ambiguous", L[a], L[b]))
# completeness: every quoted span in the docs is covered by gold or ns
spans = []
for d, t in docs.items():
    for para in t.split("\n"):
        for m in re.finditer(r'"([^"]*)"|“([^”]*)”|«([^»]*)»|"([^"\n]*)$', para):
            s = next(x for x in m.groups() if x is not None).strip()
            spans.append((d, s))
        # inner curly singles: only whole-word ‘...’ (skip apostrophes)
        for m in re.finditer(r"(?:(?<=\s)|^)[‘']([^‘’']+)[’'](?=[\s,.;:!?”\"]|$)", para):
            spans.append((d, m.group(1).strip()))
allq = [(g["doc"], g["quote"]) for g in gold] + [(e["doc"], e["quote"]) for e in ns]
for d, s in spans:
    if not any(d == d2 and (match(s, q) or norm(s) == norm(q)) for d2, q in allq):
        # the 'n' of rock 'n' roll is apostrophes, not a quote
        if not (d.startswith("velvet") and s == "n"):
            errs.append(("uncovered quoted span", d, s))
for x in errs:
    print(*x)
print("errors:", len(errs))
print(
    "docs:", len(docs), "gold:", len(gold), "not_statements:", len(ns), "spans found:", len(spans)
)
c = collections.Counter(g["doc"] for g in gold)
print(dict(sorted(c.items())))
print(
    collections.Counter(g["kind"] for g in gold),
    "null speakers:",
    sum(g["speaker"] is None for g in gold),
)
raise SystemExit(1 if errs else 0)
