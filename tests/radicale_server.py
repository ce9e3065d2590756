"""A real Radicale CalDAV server for the tests: 127.0.0.1, a free port, a temp folder.

Radicale runs as its own process (`python -m radicale --config FILE`) so a test talks
to it over HTTP exactly as tickle talks to any CalDAV server. Users are checked
against an htpasswd file with the `plain` method, which needs no extra package.
Every request is logged at INFO level; `requests()` reads that log so a test can
count what a sync sent (for example: no PUT when nothing changed).
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self

USER = "rep"
PASSWORD = "s3cret-pass"

_REQUEST_LINE = re.compile(r"\[INFO\] (\w+) request for '([^']*)'(?: with depth '\w+')? received")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class RadicaleServer:
    folder: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def user_url(self) -> str:
        return f"{self.url}/{USER}/"

    @property
    def log_path(self) -> Path:
        return self.folder / "radicale.log"

    def start(self, timeout: float = 20.0) -> Self:
        self.folder.mkdir(parents=True, exist_ok=True)
        users = self.folder / "users"
        users.write_text(f"{USER}:{PASSWORD}\n")
        config = self.folder / "config"
        config.write_text(
            "[server]\n"
            f"hosts = 127.0.0.1:{self.port}\n"
            "[auth]\n"
            "type = htpasswd\n"
            f"htpasswd_filename = {users}\n"
            "htpasswd_encryption = plain\n"
            # Radicale waits a second after a refused login by default; tests need no wait.
            "delay = 0\n"
            "[storage]\n"
            f"filesystem_folder = {self.folder / 'storage'}\n"
            # Radicale reads every item of a list on each write; by default it hashes each
            # file to check its cache, which made the 1000th PUT of a list take 200 ms.
            "use_mtime_and_size_for_item_cache = True\n"
            "[logging]\n"
            "level = info\n"
        )
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "radicale", "--config", str(config)],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        log.close()
        self._wait_until_listening(timeout)
        return self

    def _wait_until_listening(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"radicale exited early:\n{self.log_path.read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"radicale did not listen within {timeout} s")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def new_calendar_url(self) -> str:
        """A fresh, not yet created collection URL: each test its own list."""
        return f"{self.user_url}tasks-{uuid.uuid4().hex[:12]}/"

    def requests(self) -> list[tuple[str, str]]:
        """(method, path) of every request the server has received so far."""
        text = self.log_path.read_text(errors="replace")
        return _REQUEST_LINE.findall(text)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
