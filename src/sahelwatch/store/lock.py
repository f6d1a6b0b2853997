"""One ingest at a time, across processes: an advisory ``flock`` on ``ingest.lock``.

The kernel releases the lock when the holder dies (even by SIGKILL), so a
killed ingest never leaves the store locked.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from ..domain.errors import StoreBusyError


class IngestLock:
    def __init__(self, path: Path, wait: float = 0.0):
        self.path = path
        self.wait = wait
        self._fd: int | None = None

    def __enter__(self) -> "IngestLock":
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
                    os.close(fd)
                    raise StoreBusyError(str(self.path.parent), holder) from None
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} since {time.strftime('%Y-%m-%dT%H:%M:%S')}".encode(), 0)
        self._fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
