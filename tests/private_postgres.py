"""A PostgreSQL server of a test's own (``initdb`` into a temporary directory, its own
port on 127.0.0.1), so an outage test can stop and restart it without touching the
shared server other tests use.

As root (initdb refuses to run as root) the server runs as the ``postgres`` user.
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import os
import pwd
import random
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import IO

import pytest
from sqlalchemy import create_engine, text

from .conftest import IN_CI


def binaries() -> Path | None:
    """The directory of ``initdb`` and ``pg_ctl``: the newest under /usr/lib/postgresql,
    else wherever ``initdb`` is on PATH; None when there is none."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path else None


def required_binaries() -> Path:
    """``binaries()`` for a test that needs them: missing, the test fails in CI (a check
    CI skips is no check) and is skipped elsewhere, with the reason."""
    found = binaries()
    if found is None:
        message = "no PostgreSQL server binaries (initdb) under /usr/lib/postgresql or on PATH"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return found


def _ephemeral_ports() -> tuple[int, int]:
    """The range the kernel hands out for ``bind(0)`` (other tests' servers use it)."""
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 32768, 60999


def _claim_port(exclude: set[int]) -> tuple[int, IO[str]]:
    """A free port outside the ephemeral range, claimed by an exclusive ``flock`` on a file
    named after it: no ``bind(0)`` elsewhere gets it, and no other private server (another
    pytest worker) picks it, even while this one is stopped for an outage."""
    low, high = _ephemeral_ports()
    pool = range(20000, low) if low > 21000 else range(high + 1, 65536)
    for port in random.sample(pool, 200):
        if port in exclude:
            continue
        claim = open(Path(tempfile.gettempdir()) / f"newsclaims-pg-port-{port}.lock", "w")  # noqa: SIM115
        try:
            fcntl.flock(claim, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            claim.close()
            continue
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:  # in use by something else: keep looking
                claim.close()
                continue
        return port, claim
    raise RuntimeError("no free port for a private PostgreSQL server")


class PrivatePostgres:
    """``initdb`` at construction; a failure leaves nothing behind. ``start`` moves to
    another port when the claimed one is taken all the same (by a process outside the
    tests), but only before the first start: clients hold the URL after that."""

    START_ATTEMPTS = 5

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.user = "postgres" if os.geteuid() == 0 else None
        self.directory = Path(tempfile.mkdtemp(prefix="newsclaims-pg-"))
        self.data = self.directory / "data"
        self.started = False
        self.port, self._port_claim = _claim_port(set())
        try:
            if self.user:
                entry = pwd.getpwnam(self.user)
                os.chown(self.directory, entry.pw_uid, entry.pw_gid)
            self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust",
                      "-E", "UTF8", "--no-sync", "--no-instructions")  # fmt: skip
        except BaseException:
            self.remove()
            raise

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run(
            [str(self.bin_dir / tool), *args],
            check=True, capture_output=True, text=True, user=self.user,
        )  # fmt: skip

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        tried = {self.port}
        for attempt in range(1, self.START_ATTEMPTS + 1):
            log = self.directory / f"server-{attempt}.log"
            options = (
                f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory} "
                "-c fsync=off -c full_page_writes=off"
            )
            try:
                self._run("pg_ctl", "-D", str(self.data), "-o", options,
                          "-l", str(log), "-w", "-t", "60", "start")  # fmt: skip
            except subprocess.CalledProcessError:
                text = log.read_text(errors="replace") if log.exists() else ""
                if self.started or "could not bind" not in text:
                    raise
                self._port_claim.close()
                self.port, self._port_claim = _claim_port(tried)
                tried.add(self.port)
                continue
            self.started = True
            return
        raise RuntimeError(f"private PostgreSQL: no port to bind after {len(tried)} tries")

    def stop(self, mode: str = "immediate") -> None:
        """``immediate``: as a crash would, no clean shutdown (recovery at the next start)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def create_database(self, name: str) -> str:
        engine = create_engine(self.url(), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        finally:
            engine.dispose()
        return self.url(name)

    def remove(self) -> None:
        if self.data.exists():
            with contextlib.suppress(subprocess.CalledProcessError):  # not running
                self.stop("immediate")
        shutil.rmtree(self.directory, ignore_errors=True)
        self._port_claim.close()
