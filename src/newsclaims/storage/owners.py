"""Who runs a crawl (``host:pid:token``), and whether that process can still be alive."""

from __future__ import annotations

import os
import socket
import uuid

from newsclaims.processes import pid_alive


def _host() -> str:
    return socket.gethostname()[:120]


def make_owner() -> str:
    return f"{_host()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def owner_is_dead(owner: str) -> bool:
    """True when the owner is a process of this host that no longer exists (a SIGKILLed
    crawl); False for a live one or one on another host (its lease has to expire)."""
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != _host() or not pid_text.isdigit():
        return False
    return not pid_alive(int(pid_text))
