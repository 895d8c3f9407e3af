"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint and the graph page, on 127.0.0.1.

The endpoint is Oxigraph's own server (the ``oxigraph`` binary from PyPI) in
``serve-read-only`` mode, so updates are refused by the server itself; it
listens on a private port behind a small gate (:mod:`kg.out.sparql_gate`)
that refuses SERVICE clauses unless allowed, and stops queries that run
over the time limit (``--timeout-s``). The
page is a static file served by Python's standard HTTP server on a second
port. A graph file is first loaded into a temporary store, removed on exit.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox

from kg import KgError
from kg.out.sparql_gate import GateServer
from kg.rdf.store import data_folder, is_store, load_any, load_store_into

HOST = "127.0.0.1"
START_TIMEOUT_S = 30.0


class ServeError(KgError, RuntimeError):
    """The endpoint could not start; the message says why in one line."""


def oxigraph_binary() -> str:
    """The ``oxigraph`` server installed beside this Python (the venv), else on PATH."""
    found = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if not found:
        raise ServeError("the oxigraph server is not installed (make setup installs it into .venv)")
    return found


def _wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            message = log.read_text(encoding="utf-8", errors="replace")
            last = message.strip().splitlines()[-1] if message.strip() else f"exit status {process.returncode}"
            raise ServeError(f"oxigraph stopped at start on port {port}: {last[:200]}")
        try:
            with socket.create_connection((HOST, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise ServeError(f"oxigraph did not answer on {HOST}:{port} within {START_TIMEOUT_S:.0f} s")


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


class _PageServer(ThreadingHTTPServer):
    """The page's server; a browser that closes its connection early is not an error worth a traceback."""

    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        error = sys.exc_info()[1]
        if not isinstance(error, (BrokenPipeError, ConnectionResetError)):
            print(f"kg: page request from {client_address[0]} failed: {error}", file=sys.stderr)


class _PageHandler(SimpleHTTPRequestHandler):
    """Serves the one page; quiet, because the terminal is for the endpoint's address."""

    def log_message(self, format: str, *args) -> None:
        pass


def _free_port() -> int:
    """A port of 127.0.0.1 nobody listens on now: Oxigraph's, behind the public gate."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class _Engine:
    """The Oxigraph server behind the gate, on a private port; restarted when a query runs over the limit."""

    def __init__(self, location: Path, log: Path, timeout: float | None) -> None:
        self.location, self.log, self.timeout = location, log, timeout
        self.port = _free_port()
        self.address = f"{HOST}:{self.port}"
        self.process: subprocess.Popen | None = None
        self._lock = threading.Lock()
        self._stopping = False

    def start(self) -> subprocess.Popen:
        # Its messages go to a file: a pipe nobody reads could fill and stall it.
        with self.log.open("ab") as sink:
            self.process = subprocess.Popen(
                [oxigraph_binary(), "serve-read-only", "--location", str(self.location), "--bind", self.address,
                 *(["--timeout-s", str(max(1, round(self.timeout)))] if self.timeout else [])],
                stdout=sink, stderr=sink)
        _wait_for_port(self.port, self.process, self.log)
        return self.process

    def restart(self) -> None:
        with self._lock:
            self._halt()
            self.start()

    def wait(self) -> None:
        """Until the server exits of itself (a restart is not an exit)."""
        while True:
            process = self.process
            process.wait()
            with self._lock:
                if self.process is process and not self._stopping:
                    return

    def stop(self) -> None:
        self._stopping = True
        with self._lock:
            self._halt()

    def _halt(self) -> None:
        process = self.process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def serve(source: str | Path, port: int = 7878, page_port: int | None = None, ready=print,
          timeout: float | None = 30.0, allow_service: bool = False) -> int:
    """Serve ``source`` (a kg store folder or a graph file) until interrupted or terminated; a query that
    runs longer than ``timeout`` seconds is stopped by the server (None: no limit); SERVICE clauses are
    refused unless ``allow_service`` (:mod:`kg.out.sparql_gate`)."""
    from kg.out.view.page import render_page

    source = Path(source)
    page_port = page_port if page_port is not None else port + 1
    workdir = Path(tempfile.mkdtemp(prefix="kg-serve-"))
    process: subprocess.Popen | None = None
    engine: _Engine | None = None
    pages: _PageServer | None = None
    gate: GateServer | None = None
    pages_running = False
    # SIGTERM ends the server like Ctrl-C does, so the child and the temporary files go too.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        if is_store(source):
            location = data_folder(source)
            dataset = load_any(source)
        else:
            dataset = load_any(source)  # a graph file; a folder that is no store gets a one-line error
            location = workdir / "store"
            store = ox.Store(str(location))
            load_store_into(store, dataset)  # the dataset the page is drawn from: the file is read once
            del store
        (workdir / "page").mkdir()
        page = render_page(dataset, f"kg: {source.name}")
        (workdir / "page" / "index.html").write_text(page, encoding="utf-8")
        try:
            pages = _PageServer((HOST, page_port),
                                        partial(_PageHandler, directory=str(workdir / "page")))
        except OSError as exc:
            raise ServeError(f"cannot serve the page on {HOST}:{page_port}: {exc.strerror or exc}") from None
        engine = _Engine(location, workdir / "oxigraph.log", timeout)
        try:
            gate = GateServer((HOST, port), engine.address, allow_service, timeout, engine.restart)
        except OSError as exc:
            raise ServeError(f"cannot serve the endpoint on {HOST}:{port}: {exc.strerror or exc}") from None
        process = engine.start()
        threading.Thread(target=gate.serve_forever, daemon=True).start()
        threading.Thread(target=pages.serve_forever, daemon=True).start()
        pages_running = True
        ready(f"kg: SPARQL endpoint http://{HOST}:{port}/query (read-only), "
              f"graph page http://{HOST}:{page_port}/ ; Ctrl-C stops")
        sys.stdout.flush()
        engine.wait()
        raise ServeError(f"oxigraph exited with status {engine.process.returncode}")
    except KeyboardInterrupt:
        # A stop once serving (Ctrl-C, SIGTERM) is the normal end; during start-up it is an interruption.
        if pages_running:
            return 0
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)
        if process is not None:
            engine.stop()
        for server in (pages, gate):
            if server is not None:
                if pages_running:  # shutdown() would wait forever for a loop that never ran
                    server.shutdown()
                server.server_close()
        shutil.rmtree(workdir, ignore_errors=True)

