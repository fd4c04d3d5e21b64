"""The whole pipeline against bare trafilatura, in ONE run on the same invented corpus.

(a) bare single-process ``trafilatura.extract`` over the article pages;
(b) ``newsclaims crawl`` of the corpus served on loopback, into SQLite;
(c) the same crawl into PostgreSQL;
(d) ``newsclaims ingest`` of the same pages as one WARC.gz, into SQLite;
(e) the same ingest into PostgreSQL.

For each: pages/s (article pages / wall time, start-up included), the ratio to (a), CPU
seconds of every process of the run (the command and its workers, sampled with psutil;
the loopback web server is reported apart), and the peaks of their summed RSS and of
their summed PSS (shared pages divided among the processes sharing them). The machine
may be shared: compare the ratios, which are measured side by side.

Run: python bench/pipeline.py [--pages N | --real COPIES [--topic all|configured]] [--modes abcde] [--out FILE]

``--real``: the same runs on real pages (bench/realpages.py: ../shared/eval's 179 pages, COPIES
copies each under the bench outlets' hosts), the measurement issue 12 started from.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psutil
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus
import realpages

ROOT = Path(__file__).resolve().parents[1]
POSTGRES_URL = os.environ.get(
    "NEWSCLAIMS_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
FAST = [
    "-s", "DOWNLOAD_DELAY=0",
    "-s", "AUTOTHROTTLE_ENABLED=False",
    "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16",
    "-s", "NEWSCLAIMS_EXTRACT_WORKERS=2",
]  # fmt: skip


@dataclass
class Figure:
    name: str
    pages: int
    seconds: float
    cpu: float
    peak_mb: float
    peak_pss_mb: float
    note: str = ""
    parent_cpu: float | None = None
    """CPU seconds of the command's own process alone (the crawl's Scrapy parent)."""

    @property
    def rate(self) -> float:
        return self.pages / self.seconds


class TreeMonitor:
    """CPU seconds and peak summed RSS and PSS of a process and all its descendants.

    RSS counts a page shared by several processes (libraries, what workers inherit from
    the forkserver) once in each; PSS divides it among them, so summed PSS is the memory
    the run really takes.
    """

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        self.root = psutil.Process(pid)
        self.interval = interval
        self.cpu: dict[int, float] = {}
        self.roles: dict[int, str] = {}
        self.peak = 0
        self.peak_pss = 0
        self.at_peak: list[int] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> None:
        try:
            processes = [self.root, *self.root.children(recursive=True)]
        except psutil.Error:
            return
        sizes, shares = [], []
        for process in processes:
            try:
                with process.oneshot():
                    times = process.cpu_times()
                    self.cpu[process.pid] = times.user + times.system
                    if process.pid not in self.roles:
                        self.roles[process.pid] = self.role(process)
                    memory = process.memory_full_info()
                    sizes.append(memory.rss)
                    shares.append(memory.pss)
            except psutil.Error:
                continue
        if sum(sizes) > self.peak:
            self.peak, self.at_peak = sum(sizes), sizes
        self.peak_pss = max(self.peak_pss, sum(shares))

    def role(self, process: psutil.Process) -> str:
        """parent (the command), workers, or helpers (forkserver, resource tracker): a
        worker forked from the forkserver keeps its command line, not its parent."""
        if process.pid == self.root.pid:
            return "parent"
        command = " ".join(process.cmdline())
        helper = "forkserver" in command or "resource_tracker" in command
        return "helpers" if helper and process.ppid() == self.root.pid else "workers"

    def by_role(self) -> dict[str, float]:
        """CPU seconds per role (a worker that exits between samples loses < 0.2 s)."""
        totals = dict.fromkeys(("parent", "workers", "helpers"), 0.0)
        for pid, seconds in self.cpu.items():
            totals[self.roles.get(pid, "workers")] += seconds
        return totals

    def stop(self) -> tuple[float, float]:
        self._stop.set()
        self._thread.join()
        return sum(self.cpu.values()), self.peak / 2**20


def run_monitored(name: str, pages: int, command: list[str], log: Path) -> Figure:
    started = time.perf_counter()
    with log.open("w") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        monitor = TreeMonitor(process.pid)
        code = process.wait()
    seconds = time.perf_counter() - started
    cpu, peak = monitor.stop()
    parent_cpu = monitor.cpu.get(process.pid)
    if code != 0:
        raise SystemExit(f"{name} failed ({code}); see {log}:\n{log.read_text()[-3000:]}")
    processes = "+".join(f"{size / 2**20:.0f}" for size in monitor.at_peak)
    roles = monitor.by_role()  # the parent's share is main's "parent CPU/page"
    split = " ".join(f"{role} {1000 * seconds / pages:.1f}" for role, seconds in roles.items())
    note = (
        f"{summary_note(log.read_text())}; CPU ms/page by process: {split}; "
        f"RSS MB per process at peak {processes}"
    )
    figure = Figure(name, pages, seconds, cpu, peak, monitor.peak_pss / 2**20, note=note)
    figure.parent_cpu = parent_cpu
    return figure


def summary_note(output: str) -> str:
    wanted = ("stored articles", "skipped off-topic", "errors", "damaged records")
    found = []
    for line in output.splitlines():
        stripped = line.strip()
        for label in wanted:
            if stripped.startswith(label):
                found.append(f"{label.split()[0]} {stripped.split()[-1]}")
    return ", ".join(found)


def bare_trafilatura(articles: list[tuple[str, Path]]) -> Figure:
    import trafilatura

    process = psutil.Process()
    documents = [(url, file.read_text(encoding="utf-8")) for url, file in articles]
    before = process.cpu_times()
    started = time.perf_counter()
    for url, html in documents:
        trafilatura.extract(html, url=url)
    seconds = time.perf_counter() - started
    after = process.cpu_times()
    cpu = after.user - before.user + after.system - before.system
    memory = process.memory_full_info()
    return Figure("(a) bare trafilatura.extract, 1 process", len(documents), seconds, cpu,
                  memory.rss / 2**20, memory.pss / 2**20)  # fmt: skip


def write_warc(articles: list[tuple[str, Path]], path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, file in articles:
            body = file.read_bytes()
            headers = StatusAndHeaders(
                "200 OK",
                [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))],
                protocol="HTTP/1.1",
            )
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers
            )
            writer.write_record(record)


class Postgres:
    def __init__(self) -> None:
        self.admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        self.names: list[str] = []

    def fresh(self) -> str:
        name = f"nc_bench_{uuid.uuid4().hex[:8]}"
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        self.names.append(name)
        return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)

    def drop(self) -> None:
        with self.admin.connect() as connection:
            for name in self.names:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--modes", default="abcde")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "pipeline.txt")
    parser.add_argument("--keep", type=Path, help="generate the corpus here and keep it")
    parser.add_argument(
        "--real",
        type=int,
        metavar="COPIES",
        help="instead of the invented corpus, ../shared/eval's real pages, COPIES copies each",
    )
    parser.add_argument(
        "--topic",
        choices=("all", "configured"),
        default="all",
        help="with --real: keep every page (default) or use the fixture web's topic",
    )
    parser.add_argument(
        "--concurrency",
        type=int,
        default=32,
        help="the crawls' CONCURRENT_REQUESTS (the project's default is 16)",
    )
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="nc-bench-"))
    site = args.keep or work / "site"
    try:
        if args.real:
            articles = realpages.generate(site, args.real, args.topic)
        elif (site / "articles.json").exists():
            import json

            articles = [(u, Path(f)) for u, f in json.loads((site / "articles.json").read_text())]
            articles = articles[: args.pages] if len(articles) >= args.pages else []
        else:
            articles = []
        if not articles and not args.real:
            shutil.rmtree(site, ignore_errors=True)
            articles = corpus.generate(site, args.pages)
        sizes = [file.stat().st_size for _, file in articles]
        figures: list[Figure] = []
        newsclaims = [sys.executable, "-m", "newsclaims.cli.main"]
        sources = str(site / "sources.toml")
        postgres = Postgres() if {"c", "e"} & set(args.modes) else None

        if "a" in args.modes:
            figures.append(bare_trafilatura(articles))

        server = None
        if {"b", "c"} & set(args.modes):
            server = subprocess.Popen(
                [
                    sys.executable,
                    str(Path(__file__).resolve().parent / "serve_corpus.py"),
                    str(site),
                ],
                stdout=subprocess.PIPE,
                text=True,
            )
            assert server.stdout is not None
            proxy = server.stdout.readline().strip()
            server_monitor = TreeMonitor(server.pid, interval=1.0)
        targets = []
        if "b" in args.modes:
            targets.append(("(b) newsclaims crawl → SQLite", f"sqlite:///{work / 'crawl.db'}"))
        if "c" in args.modes and postgres:
            targets.append(("(c) newsclaims crawl → PostgreSQL", postgres.fresh()))
        for name, url in targets:
            command = [*newsclaims, "crawl", "--sources", sources, "--db", url, "--proxy", proxy,
                       "-s", f"NEWSCLAIMS_SPOOL_DIR={work / 'spool'}", *FAST, "-s", f"CONCURRENT_REQUESTS={args.concurrency}", "--log-level", "ERROR"]  # fmt: skip
            figures.append(run_monitored(name, len(articles), command, work / "crawl.log"))
        server_note = ""
        if server is not None:
            server_cpu, server_peak = server_monitor.stop()
            server.terminate()
            server.wait()
            server_note = f"loopback web server (not counted above): {server_cpu:.0f} s CPU, {server_peak:.0f} MB"

        ingests = []
        if "d" in args.modes:
            ingests.append(
                ("(d) newsclaims ingest WARC → SQLite", f"sqlite:///{work / 'ingest.db'}")
            )
        if "e" in args.modes and postgres:
            ingests.append(("(e) newsclaims ingest WARC → PostgreSQL", postgres.fresh()))
        if ingests:
            warc = work / "corpus.warc.gz"
            write_warc(articles, warc)
            for name, url in ingests:
                command = [*newsclaims, "ingest", str(warc), "--sources", sources, "--db", url,
                           "--workers", "2", "--progress-interval", "0"]  # fmt: skip
                figures.append(run_monitored(name, len(articles), command, work / "ingest.log"))
        if postgres:
            postgres.drop()
        report(args, figures, sizes, server_note)
    finally:
        shutil.rmtree(work, ignore_errors=True)  # the databases; a --keep corpus lives elsewhere


def report(
    args: argparse.Namespace, figures: list[Figure], sizes: list[int], server_note: str
) -> None:
    base = next((f for f in figures if f.name.startswith("(a)")), None)
    load = os.getloadavg()
    if args.real:
        command = f"--real {args.real} --topic {args.topic}"
        kind = (
            f"real pages (../shared/eval/extraction, {args.real} copies each, topic {args.topic})"
        )
    else:
        command, kind = f"--pages {args.pages}", "invented article pages"
    if args.concurrency != 32:
        command += f" --concurrency {args.concurrency}"
    lines = [
        f"bench/pipeline.py {command} --modes {args.modes}  ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)",
        f"corpus: {len(sizes)} {kind}, {min(sizes) // 1000}-{max(sizes) // 1000} KB "
        f"(mean {sum(sizes) // len(sizes) // 1000} KB), 8 outlets; {os.cpu_count()} cores; "
        f"load average at the end {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} (machine shared)",
        "",
        f"{'run':<44} {'pages/s':>8} {'x (a)':>6} {'2 idle cores':>12} {'wall s':>7} {'CPU s':>7} {'CPU/page ms':>11} {'peak RSS':>8} {'peak PSS':>8}  stored",
    ]
    for figure in figures:
        ratio = f"{figure.rate / base.rate:.2f}" if base else "-"
        # What the run would reach on two idle cores, from its CPU per page (the wall-clock
        # ratio mostly measures the other tenants of a shared machine).
        cores = 1 if figure.name.startswith("(a)") else 2
        idle = f"{cores * base.cpu / figure.cpu:.2f}x" if base else "-"
        lines.append(
            f"{figure.name:<44} {figure.rate:8.1f} {ratio:>6} {idle:>12} {figure.seconds:7.1f} {figure.cpu:7.1f} "
            f"{1000 * figure.cpu / figure.pages:11.1f} {figure.peak_mb:8.0f} {figure.peak_pss_mb:8.0f}  {figure.note}"
        )
    if server_note:
        lines.append(server_note)
    output = "\n".join(lines)
    print(output)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("a") as fh:
        fh.write(output + "\n\n")


if __name__ == "__main__":
    main()
