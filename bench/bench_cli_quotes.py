"""Memory and first-output latency of `newsclaims quotes` over many text files.

Run from the repository root: `python bench/bench_cli_quotes.py [SRC]` (the output is kept
in bench/results/cli_quotes.txt). It writes FILES text files of invented quoted
paragraphs to a temporary directory and runs the real CLI on all of them, printing the
child's peak RSS and how long until its first line of output. SRC points PYTHONPATH at
another tree's `src/` to compare (e.g. an older checkout).
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FILES = 16
PARAGRAPHS = 1500
NAMES = ["Ana Ruiz", "Tomas Berg", "Lena Okafor", "Pavel Nemec", "Ines Duarte"]


def write_corpus(folder: Path) -> list[Path]:
    paths = []
    for n in range(FILES):
        lines = ["Officials weigh the next phase"]
        for i in range(PARAGRAPHS):
            name = NAMES[(n + i) % len(NAMES)]
            lines.append(f'"Phase {i} of plan {n} is on schedule," {name} said on Tuesday.')
        path = folder / f"story-{n:02}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def run(paths: list[Path], src: str | None) -> tuple[float, float, int]:
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = src
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "newsclaims.cli.main", "quotes", *map(str, paths)],
        stdout=subprocess.PIPE,
        env=env,
    )
    assert process.stdout is not None
    process.stdout.readline()
    first = time.perf_counter() - start
    rows = 1 + sum(1 for _ in process.stdout)
    _, _, usage = os.wait4(process.pid, 0)
    return first, usage.ru_maxrss / 1024, rows


def main() -> None:
    src = sys.argv[1] if len(sys.argv) > 1 else None
    with tempfile.TemporaryDirectory() as folder:
        paths = write_corpus(Path(folder))
        size = sum(p.stat().st_size for p in paths) / 1e6
        first, peak, rows = run(paths, src)
    print(f"python {platform.python_version()} on {platform.machine()}, tree: {src or 'this one'}")
    print(f"{FILES} files, {size:.1f} MB of text, {rows} quote rows")
    print(f"first row after {first:.1f} s; peak RSS {peak:.0f} MiB")


if __name__ == "__main__":
    main()
