"""One build at a time per output folder: an advisory lock on ``<out>/.kg-lock``.

Two ``kg build`` runs into one folder would each read the same state and
the last to finish would drop the other's articles. The second run fails at
once with one line naming the holder (its process id, written in the lock
file). The lock is ``flock`` on an open file: the kernel releases it when
the holder exits, even after ``kill -9``, so a stale lock file blocks nothing.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from kg import KgError

LOCK_FILE = ".kg-lock"


class FolderBusy(KgError, RuntimeError):
    """Another kg process is building into the same output folder."""


@contextlib.contextmanager
def build_lock(out: Path) -> Iterator[None]:
    """Hold the output folder's lock for the duration of the ``with`` block, or fail with one line."""
    created = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    path = out / LOCK_FILE
    handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held open for the lock's lifetime
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise FolderBusy(f"{out}: another kg build is writing here ({holder}); wait for it to finish") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"kg build, process {os.getpid()}")
        handle.flush()
        yield
    finally:
        if created and [p.name for p in out.iterdir()] == [LOCK_FILE]:
            # A build that failed before writing anything leaves no folder behind (never a half-written graph).
            path.unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                out.rmdir()
        handle.close()  # closing releases the lock
