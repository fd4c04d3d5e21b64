"""Match cost per new quote sentence as the number of stored claims grows.

Claims are synthetic sentences (8-30 words drawn from a Zipf vocabulary whose head
is real English function words, so unrelated sentences share words the way real
ones do), spread over 1,000 speakers plus one heavy speaker holding 10% of all
claims. Each size is measured with two kinds of queries:

* variant: a stored claim with one word replaced or one word inserted (must match),
* new: a fresh sentence (must not match; it is added, as in the pipeline).

Half the queries go to the heavy speaker, whose own claim count grows with N, so
growth in per-speaker candidates would show. Stored claims are bulk-loaded with
``ClaimIndex.extend`` (vectorised signatures); the measured path is the ordinary
one-at-a-time ``add_or_match``, and for SQLite ``storage.claims.record_batch`` (what
``storage.writer`` runs) with one quote sentence per call: lookup, verify, and the
mention (and new claim) inserted. Its sentence keys are computed before the clock
starts, as the analysis workers compute them before the writer runs.

Query times are CPU time (SQLite runs in this process), so other jobs on the shared
machine do not count.

The ratio column compares medians: on a shared 2-core machine the means also pick
up other processes' bursts. Splitting quotes into sentences is timed apart: it
does not touch the index.

Run: .venv/bin/python bench/bench_claims.py > bench/results/claims.txt
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from sqlalchemy import create_engine, insert, select
from sqlalchemy.orm import Session

from newsclaims import models
from newsclaims.claims.article_keys import quote_sentence_keys
from newsclaims.claims.forms import match_form
from newsclaims.claims.index import ClaimIndex
from newsclaims.claims.matching import claim_band_buckets, claim_band_keys
from newsclaims.claims.sentences import claim_sentences
from newsclaims.storage.claims import ClaimableQuote, record_batch

SPEAKERS = 1000
HEAVY = "Heavy Speaker"
HEAVY_SHARE = 0.10
WARMUP = 200
FUNCTION_WORDS_TEXT = (
    "the of and to a in that is was he for it with as his on be at by i this had are but from "
    "or have an they which one you were her all she there would their we him been has when who "
    "will more if out so said what up its about into than them can only other new some could "
    "time these two may then do first any my now such like our over man me even most made after "
    "also did many before must through back years where much your way well down should because "
    "each just those people how too little state good very make world still own see men work "
    "long get here between both life being under"
)


class Corpus:
    """Synthetic sentences over a Zipf vocabulary (no negation words, see claims.NEGATIONS)."""

    def __init__(self, seed: int, vocabulary: int = 30_000) -> None:
        self.rng = np.random.default_rng(seed)
        letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
        invented = {
            "".join(self.rng.choice(letters, size=self.rng.integers(4, 11)))
            for _ in range(vocabulary)
        }
        function_words = FUNCTION_WORDS_TEXT.split()
        self.words = np.array(function_words + sorted(invented - set(function_words)))
        ranks = np.arange(1, len(self.words) + 1)
        self.p = (1 / ranks) / (1 / ranks).sum()

    def sentences(self, count: int) -> list[str]:
        lengths = self.rng.integers(8, 31, size=count)
        flat = self.rng.choice(self.words, size=int(lengths.sum()), p=self.p)
        bounds = np.concatenate(([0], np.cumsum(lengths)))
        return [" ".join(flat[bounds[i] : bounds[i + 1]]).capitalize() + "." for i in range(count)]

    def variant(self, sentence: str) -> str:
        """One word replaced or one word inserted: a tolerated outlet difference."""
        words = sentence.rstrip(".").split()
        position = int(self.rng.integers(1, len(words)))
        new_word = str(self.rng.choice(self.words, p=self.p))
        if self.rng.random() < 0.5:
            words[position] = new_word
        else:
            words.insert(position, new_word)
        return " ".join(words) + "."


@dataclass
class Query:
    speaker: str
    sentence: str
    expect_match: bool


def _speaker_of(i: int) -> str:
    return f"Speaker {i % SPEAKERS:04d}"


def grow(index: ClaimIndex, corpus: Corpus, stored: dict[str, list[str]], target: int) -> float:
    """Bulk-load claims until the index holds ``target``; returns seconds taken."""
    started = time.perf_counter()
    missing = target - len(index)
    heavy = int(missing * HEAVY_SHARE)
    batches = {HEAVY: corpus.sentences(heavy)}
    for i, sentence in enumerate(corpus.sentences(missing - heavy)):
        batches.setdefault(_speaker_of(i), []).append(sentence)
    for speaker, sentences in batches.items():
        index.extend(speaker, sentences)
        stored.setdefault(speaker, []).extend(sentences)
    return time.perf_counter() - started


def make_queries(corpus: Corpus, stored: dict[str, list[str]], count: int) -> list[Query]:
    queries = []
    fresh = corpus.sentences(count)
    for i in range(count):
        speaker = HEAVY if i % 2 == 0 else _speaker_of(int(corpus.rng.integers(SPEAKERS)))
        if i % 4 < 2:
            pool = stored[speaker]
            original = pool[int(corpus.rng.integers(len(pool)))]
            queries.append(Query(speaker, corpus.variant(original), True))
        else:
            queries.append(Query(speaker, fresh[i], False))
    return queries


@dataclass
class Timing:
    query: Query
    micros: float
    matched: bool


def run(
    queries: list[Query],
    match: Callable[[Query], bool],
    matched_stored: Callable[[Query], bool] | None = None,
) -> list[Timing]:
    """Time each query once (a new sentence is stored by the first run, so never rerun).

    ``matched_stored``, when given, says after the clock stopped whether the query
    matched a claim stored before it (``match``'s answer is then not used).
    """
    timings = []
    for query in queries:
        started = time.process_time()
        matched = match(query)
        micros = (time.process_time() - started) * 1e6
        if matched_stored is not None:
            matched = matched_stored(query)
        timings.append(Timing(query, micros, matched))
    return timings


def summarise(timings: list[Timing]) -> dict[str, float]:
    """Microseconds per query (mean, p50, p95) and the share matched as expected."""
    times = sorted(t.micros for t in timings)
    return {
        "mean": statistics.fmean(times),
        "p50": times[len(times) // 2],
        "p95": times[int(len(times) * 0.95)],
        "ok": statistics.fmean(t.matched == t.query.expect_match for t in timings),
    }


def memory_match(index: ClaimIndex) -> Callable[[Query], bool]:
    def match(query: Query) -> bool:
        return not index.add_or_match(query.speaker, query.sentence)[2]

    return match


def memory_candidates(index: ClaimIndex, queries: list[Query]) -> float:
    """Mean LSH candidates per query (counted apart so timing excludes the counting)."""
    return statistics.fmean(
        len(index.candidates(q.speaker, claim_band_keys(match_form(q.sentence)))) for q in queries
    )


def _report(label: str, size: int, stats: dict[str, float], base: float | None) -> str:
    ratio = stats["p50"] / base if base else 1.0
    candidates = f"{stats['cand']:>6.2f}" if "cand" in stats else f"{'-':>6}"
    return (
        f"{label:<8} {size:>9,} {stats['mean']:>9.1f} {stats['p50']:>8.1f} {stats['p95']:>8.1f} "
        f"{ratio:>6.2f}x {candidates} {stats['ok']:>7.2%}"
    )


HEADER = (
    f"{'store':<8} {'claims':>9} {'mean_us':>9} {'p50_us':>8} {'p95_us':>8} {'p50/10k':>7} "
    f"{'cands':>6} {'correct':>8}"
)


def bench_memory(sizes: list[int], query_count: int) -> None:
    corpus = Corpus(seed=7)
    index = ClaimIndex()
    stored: dict[str, list[str]] = {}
    print("in-memory ClaimIndex.add_or_match, per sentence")
    print(HEADER)
    base = None
    for size in sizes:
        load = grow(index, corpus, stored, size)
        queries = make_queries(corpus, stored, query_count)
        run(make_queries(corpus, stored, WARMUP), memory_match(index))
        heavy = [q for q in queries if q.speaker == HEAVY]
        candidates = memory_candidates(index, queries), memory_candidates(index, heavy)
        timings = run(queries, memory_match(index))
        stats = summarise(timings) | {"cand": candidates[0]}
        base = base or stats["p50"]
        print(_report("memory", size, stats, base), f"  load {load:.1f}s")
        for kind, label in ((True, "variant"), (False, "new")):
            part = summarise([t for t in timings if t.query.expect_match is kind])
            print(
                f"{'':<8} {label:>9} {part['mean']:>9.1f} {part['p50']:>8.1f} {part['p95']:>8.1f}"
            )
        part = summarise([t for t in timings if t.query.speaker == HEAVY])
        print(
            f"{'':<8} {'heavy':>9} {part['mean']:>9.1f} {part['p50']:>8.1f} {part['p95']:>8.1f}"
            f" {'':>7} {candidates[1]:>6.2f}   (heavy speaker holds {len(stored[HEAVY]):,})"
        )


def _load_sqlite(session: Session, stored: dict[str, list[str]]) -> int:
    """Bulk-insert claims and signature rows with Core executemany (no ORM per row);
    returns the number of claims (their ids are 1 to that)."""
    speaker_ids = {name: i + 1 for i, name in enumerate(sorted(stored))}
    session.execute(insert(models.Speaker), [{"id": i, "name": n} for n, i in speaker_ids.items()])
    now = datetime.now(UTC)
    claim_id = 0
    for name, sentences in stored.items():
        forms = [match_form(s) for s in sentences]
        buckets = claim_band_buckets(forms).tolist()
        claims, signatures = [], []
        for sentence, form, row in zip(sentences, forms, buckets, strict=True):
            claim_id += 1
            claims.append(
                {
                    "id": claim_id,
                    "speaker_id": speaker_ids[name],
                    "canonical_text": sentence,
                    "match_text": form,
                    "created_at": now,
                }
            )
            signatures.extend(
                {"claim_id": claim_id, "band": b, "speaker_id": speaker_ids[name], "bucket": k}
                for b, k in enumerate(row)
            )
        session.execute(insert(models.Claim), claims)
        session.execute(insert(models.ClaimSignature), signatures)
    session.commit()
    return claim_id


class StoreRecorder:
    """Queries recorded into SQLite by ``record_batch``, one quote of one sentence each.

    Every query gets a stored quote row and its sentence keys up front (untimed).
    """

    def __init__(self, session: Session, speaker_ids: dict[str, int], claims: int) -> None:
        self.session, self.speaker_ids = session, speaker_ids
        self.newest_claim = claims
        """Claim ids only grow: a query matched a stored claim iff its id is at most this."""
        session.execute(insert(models.Source), [{"id": 1, "name": "bench"}])
        session.execute(
            insert(models.Article),
            [
                {
                    "id": 1,
                    "source_id": 1,
                    "url": "https://bench.example/",
                    "canonical_url": "https://bench.example/",
                    "url_hash": "bench",
                    "fetched_at": datetime.now(UTC),
                    "text": "",
                    "content_hash": "",
                    "http_status": 200,
                }
            ],
        )
        self.quotes: dict[int, ClaimableQuote] = {}

    def prepare(self, queries: list[Query]) -> None:
        first = len(self.quotes) + 1
        rows = [
            {
                "id": first + i,
                "article_id": 1,
                "paragraph_position": first + i,
                "start": 0,
                "end": len(query.sentence),
                "text": query.sentence,
                "kind": "direct",
                "speaker_id": self.speaker_ids[query.speaker],
            }
            for i, query in enumerate(queries)
        ]
        self.session.execute(insert(models.Quote), rows)
        self.session.commit()
        for row, query in zip(rows, queries, strict=True):
            self.quotes[id(query)] = ClaimableQuote(
                row["id"], row["speaker_id"], quote_sentence_keys(query.sentence), query.sentence
            )

    def record(self, query: Query) -> bool:
        record_batch(self.session, [self.quotes[id(query)]])
        return False  # the answer comes from matched_stored, off the clock

    def matched_stored(self, query: Query) -> bool:
        mention = models.ClaimMention
        claim_id = self.session.scalar(
            select(mention.claim_id)
            .where(mention.quote_id == self.quotes[id(query)].quote_id)
            .order_by(mention.sentence_start)
            .limit(1)
        )
        assert claim_id is not None, query
        matched = claim_id <= self.newest_claim
        self.newest_claim = max(self.newest_claim, claim_id)
        return matched


def bench_sqlite(sizes: list[int], query_count: int) -> None:
    print("\nSQLite storage.claims.record_batch, one sentence per call (lookup + verify + insert)")
    print(HEADER)
    base = None
    for size in sizes:
        corpus = Corpus(seed=7)
        stored: dict[str, list[str]] = {}
        grow(ClaimIndex(), corpus, stored, size)
        with tempfile.TemporaryDirectory() as tmp:
            engine = create_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
            models.Base.metadata.create_all(engine)
            with Session(engine) as session:
                started = time.perf_counter()
                claims = _load_sqlite(session, stored)
                load = time.perf_counter() - started
                ids = {name: i + 1 for i, name in enumerate(sorted(stored))}
                recorder = StoreRecorder(session, ids, claims)
                warmup = make_queries(corpus, stored, WARMUP)
                queries = make_queries(corpus, stored, query_count)
                recorder.prepare(warmup + queries)
                run(warmup, recorder.record, recorder.matched_stored)
                stats = summarise(run(queries, recorder.record, recorder.matched_stored))
                base = base or stats["p50"]
                print(_report("sqlite", size, stats, base), f"  (load {load:.1f}s)")
            engine.dispose()


def bench_sentences(quote_count: int) -> None:
    """Sentence splitting per quote (three sentences each), independent of stored claims."""
    corpus = Corpus(seed=11)
    sentences = corpus.sentences(3 * quote_count)
    quotes = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
    claim_sentences(quotes[0])
    started = time.perf_counter()
    for quote in quotes:
        claim_sentences(quote)
    micros = (time.perf_counter() - started) / len(quotes) * 1e6
    print(f"\nclaim_sentences (pysbd): {micros:.0f} us per three-sentence quote")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--sqlite-sizes", default="10000,100000")
    parser.add_argument("--queries", type=int, default=2000)
    args = parser.parse_args()
    started = time.perf_counter()
    bench_memory([int(s) for s in args.sizes.split(",")], args.queries)
    if args.sqlite_sizes:
        bench_sqlite([int(s) for s in args.sqlite_sizes.split(",")], args.queries)
    bench_sentences(500)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\ntotal {time.perf_counter() - started:.0f}s, peak RSS {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
