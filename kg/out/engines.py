"""The Oxigraph servers behind ``kg serve``'s gate, replaced without failing a request.

One engine (an ``oxigraph serve-read-only`` process on a private port of
127.0.0.1) answers at a time. It is replaced when a query runs over the time
limit (the only way to stop a query Oxigraph computes without answering) and
when a build switches the store to a new generation. A replacement starts the
new engine and waits until it answers, makes it current, and only then stops
the old one, once the requests it was answering are done: no request fails
because of a switch.

While an engine serves a store generation it holds a shared lock on that
generation (:data:`kg.rdf.store.SERVING_LOCK`), so a build does not delete
the files under it.
"""

from __future__ import annotations

import contextlib
import fcntl
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from kg import KgError

HOST = "127.0.0.1"
START_TIMEOUT_S = 30.0
#: how long a replaced engine is given to finish the requests it holds, beyond the query time limit
DRAIN_GRACE_S = 30.0


class EngineError(KgError, RuntimeError):
    """An engine could not start; the message says why in one line."""


def oxigraph_binary() -> str:
    """The ``oxigraph`` server installed beside this Python (the venv), else on PATH."""
    found = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if not found:
        raise EngineError("the oxigraph server is not installed (make setup installs it into .venv)")
    return found


def free_port() -> int:
    """A port of 127.0.0.1 nobody listens on now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Engine:
    """One Oxigraph server process on ``location``, with the count of requests it is answering."""

    def __init__(self, location: Path, log: Path, timeout: float | None, serving_lock: Path | None) -> None:
        self.location, self.log, self.timeout = location, log, timeout
        self.serving_lock = serving_lock
        self.port = free_port()
        self.address = f"{HOST}:{self.port}"
        self.in_flight = 0
        self.process: subprocess.Popen | None = None
        self._lock_file = None
        if serving_lock is not None:
            with contextlib.suppress(OSError):  # a read-only store: nothing could delete it anyway
                self._lock_file = open(serving_lock, "a")  # noqa: SIM115 - held while the engine serves
                fcntl.flock(self._lock_file.fileno(), fcntl.LOCK_SH)

    def start(self) -> Engine:
        """Start the process and wait until it accepts connections."""
        # Its messages go to a file: a pipe nobody reads could fill and stall it.
        with self.log.open("ab") as sink:
            self.process = subprocess.Popen(
                [oxigraph_binary(), "serve-read-only", "--location", str(self.location), "--bind", self.address,
                 *(["--timeout-s", str(max(1, round(self.timeout)))] if self.timeout else [])],
                stdout=sink, stderr=sink)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                message = self.log.read_text(encoding="utf-8", errors="replace").strip()
                last = message.splitlines()[-1] if message else f"exit status {self.process.returncode}"
                self.stop()
                raise EngineError(f"oxigraph stopped at start on port {self.port}: {last[:200]}")
            try:
                with socket.create_connection((HOST, self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise EngineError(f"oxigraph did not answer on {self.address} within {START_TIMEOUT_S:.0f} s")

    def exited(self) -> bool:
        return self.process is not None and self.process.poll() is not None

    def stop(self) -> None:
        """End the process and release the generation it served."""
        process = self.process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._lock_file is not None:
            self._lock_file.close()
            self._lock_file = None


class Lease:
    """One request's hold on an engine (``with pool.lease() as lease``)."""

    def __init__(self, pool: EnginePool, engine: Engine) -> None:
        self.pool, self.engine = pool, engine
        self.address = engine.address
        self.abandoned = False

    def abandon(self) -> None:
        """The request ran over the time limit: replace the engine, which stops once its other requests end."""
        self.abandoned = True
        self.pool.release(self.engine)
        self.pool.replace(self.engine)


class EnginePool:
    """The current engine and the ones being drained."""

    def __init__(self, log: Path, timeout: float | None) -> None:
        self.log, self.timeout = log, timeout
        self.current: Engine | None = None
        self._lock = threading.Condition()
        self._switching = threading.Lock()  # one replacement at a time
        self._retiring: list[Engine] = []
        self._closed = False

    def start(self, location: Path, serving_lock: Path | None = None) -> None:
        """The first engine, on ``location``."""
        self.current = Engine(location, self.log, self.timeout, serving_lock).start()

    @contextlib.contextmanager
    def lease(self) -> Iterator[Lease]:
        """Hold the current engine for one request."""
        with self._lock:
            engine = self.current
            engine.in_flight += 1
        lease = Lease(self, engine)
        try:
            yield lease
        finally:
            if not lease.abandoned:
                self.release(engine)

    def release(self, engine: Engine) -> None:
        with self._lock:
            engine.in_flight -= 1
            self._lock.notify_all()

    def replace(self, old: Engine, location: Path | None = None, serving_lock: Path | None = None) -> bool:
        """Start an engine on ``location`` (None: the old one's) in place of ``old``, if ``old`` is still the
        current one; returns whether it did. A failed start keeps the old engine and raises."""
        with self._switching:
            if self.current is not old or self._closed:
                return False  # replaced already (two queries over the limit at once)
            if location is None:
                location, serving_lock = old.location, old.serving_lock
            new = Engine(location, self.log, self.timeout, serving_lock).start()
            with self._lock:
                self.current = new
                self._retiring.append(old)
        threading.Thread(target=self._drain, args=(old,), daemon=True).start()
        return True

    def _drain(self, engine: Engine) -> None:
        """Stop ``engine`` once no request holds it (or after the time limit and a grace, whichever first)."""
        deadline = time.monotonic() + (self.timeout or 0) + DRAIN_GRACE_S
        with self._lock:
            while engine.in_flight > 0 and time.monotonic() < deadline:
                self._lock.wait(timeout=0.5)
        engine.stop()
        with self._lock:
            if engine in self._retiring:
                self._retiring.remove(engine)

    def close(self) -> None:
        """Stop every engine now."""
        with self._switching:
            self._closed = True
            with self._lock:
                engines = [e for e in [self.current, *self._retiring] if e is not None]
        for engine in engines:
            engine.stop()
