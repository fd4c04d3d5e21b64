"""The outage tests' private PostgreSQL server: it leaves nothing behind when it cannot be
made, and it still starts when its port was taken between choosing it and binding it."""

from __future__ import annotations

import socket
import subprocess
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from .private_postgres import PrivatePostgres, required_binaries


@pytest.fixture
def bin_dir() -> Path:
    return required_binaries()


def test_a_failed_initdb_leaves_no_directory(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # where it makes its directory
    with pytest.raises((OSError, subprocess.CalledProcessError)):
        PrivatePostgres(tmp_path / "no-such-bin")
    assert [p.name for p in tmp_path.iterdir() if p.is_dir()] == []


def test_a_port_taken_before_the_start_moves_the_server_to_another(bin_dir):
    server = PrivatePostgres(bin_dir)
    try:
        taken = server.port
        with socket.create_server(("127.0.0.1", taken)):  # someone else binds it first
            server.start()
        assert server.port != taken
        engine = create_engine(server.url())
        try:
            with engine.connect() as connection:
                assert connection.scalar(text("SELECT 1")) == 1
        finally:
            engine.dispose()
    finally:
        server.remove()
