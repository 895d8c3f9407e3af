"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint and the graph page, on 127.0.0.1.

The endpoint is Oxigraph's own server (the ``oxigraph`` binary from PyPI) in
``serve-read-only`` mode, so updates are refused by the server itself; it
listens on a private port behind a small gate (:mod:`kg.out.sparql_gate`)
that refuses SERVICE clauses unless allowed, and stops queries that run
over the time limit by replacing the engine (:mod:`kg.out.engines`). A store
a build switches to a new generation is served from it within a second. The
page is a static file served by Python's standard HTTP server on a second
port. A graph file is first loaded into a temporary store, removed on exit.
"""

from __future__ import annotations

import shutil
import signal
import sys
import tempfile
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox

from kg import KgError
from kg.io.atomic import write_atomic
from kg.out.engines import HOST, EngineError, EnginePool
from kg.out.sparql_gate import GateServer
from kg.rdf.store import SERVING_LOCK, current_generation, data_folder, is_store, load_any, load_store_into


class ServeError(KgError, RuntimeError):
    """The endpoint could not start; the message says why in one line."""


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


#: how often kg serve looks whether a build switched the store to a new generation
WATCH_INTERVAL_S = 0.5


def _generation_of(source: Path) -> tuple[Path, Path | None]:
    """Where the engine opens a store (its current generation's database, the link resolved, so a later
    switch does not move the ground under a running engine) and the generation's serving lock."""
    generation = current_generation(source)
    if generation is None:  # an older kg's store: data is a plain folder
        return data_folder(source), None
    return generation / "data", generation / SERVING_LOCK


def _render_page(dataset, source: Path, folder: Path) -> None:
    from kg.out.view.page import render_page

    write_atomic(folder / "index.html", render_page(dataset, f"kg: {source.name}").encode("utf-8"))


class _StoreWatcher:
    """Follows a store's generations: when a build switches ``data``, a new engine takes over (the old one
    finishes its requests first) and the page is drawn again from the new generation."""

    def __init__(self, source: Path, pool: EnginePool, page_folder: Path, serving: Path) -> None:
        self.source, self.pool, self.page_folder = source, pool, page_folder
        self.serving = serving  # the database the current engine opened

    def poll(self) -> None:
        location, lock = _generation_of(self.source)
        if location == self.serving or not location.exists():
            return
        try:
            self.pool.replace(self.pool.current, location, lock)
        except EngineError as exc:
            print(f"kg: the store's new generation could not be served yet ({exc}); still serving the last one",
                  file=sys.stderr)
            return
        self.serving = location
        try:
            _render_page(load_any(self.source), self.source, self.page_folder)
        except (KgError, OSError) as exc:
            print(f"kg: the page was not redrawn for the new generation ({exc})", file=sys.stderr)


def serve(source: str | Path, port: int = 7878, page_port: int | None = None, ready=print,
          timeout: float | None = 30.0, allow_service: bool = False) -> int:
    """Serve ``source`` (a kg store folder or a graph file) until interrupted or terminated; a query that
    runs longer than ``timeout`` seconds is stopped by the server (None: no limit); SERVICE clauses are
    refused unless ``allow_service`` (:mod:`kg.out.sparql_gate`). A store that a build switches to a new
    generation is served from it within a second, without a request failing."""
    source = Path(source)
    page_port = page_port if page_port is not None else port + 1
    workdir = Path(tempfile.mkdtemp(prefix="kg-serve-"))
    pool = EnginePool(workdir / "oxigraph.log", timeout)
    pages: _PageServer | None = None
    gate: GateServer | None = None
    watcher: _StoreWatcher | None = None
    pages_running = False
    # SIGTERM ends the server like Ctrl-C does, so the child and the temporary files go too.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        lock = None
        if is_store(source):
            dataset = load_any(source)
            location, lock = _generation_of(source)
        else:
            dataset = load_any(source)  # a graph file; a folder that is no store gets a one-line error
            location = workdir / "store"
            store = ox.Store(str(location))
            load_store_into(store, dataset)  # the dataset the page is drawn from: the file is read once
            del store
        (workdir / "page").mkdir()
        _render_page(dataset, source, workdir / "page")
        del dataset
        try:
            pages = _PageServer((HOST, page_port),
                                        partial(_PageHandler, directory=str(workdir / "page")))
        except OSError as exc:
            raise ServeError(f"cannot serve the page on {HOST}:{page_port}: {exc.strerror or exc}") from None
        try:
            gate = GateServer((HOST, port), pool, allow_service, timeout)
        except OSError as exc:
            raise ServeError(f"cannot serve the endpoint on {HOST}:{port}: {exc.strerror or exc}") from None
        try:
            pool.start(location, lock)
        except EngineError as exc:
            raise ServeError(str(exc)) from None
        if lock is not None:
            watcher = _StoreWatcher(source, pool, workdir / "page", location)
        threading.Thread(target=gate.serve_forever, daemon=True).start()
        threading.Thread(target=pages.serve_forever, daemon=True).start()
        pages_running = True
        ready(f"kg: SPARQL endpoint http://{HOST}:{port}/query (read-only), "
              f"graph page http://{HOST}:{page_port}/ ; Ctrl-C stops")
        sys.stdout.flush()
        while not pool.current.exited():
            time.sleep(WATCH_INTERVAL_S)
            if watcher is not None:
                watcher.poll()
        raise ServeError(f"oxigraph exited with status {pool.current.process.returncode}")
    except KeyboardInterrupt:
        # A stop once serving (Ctrl-C, SIGTERM) is the normal end; during start-up it is an interruption.
        if pages_running:
            return 0
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)
        pool.close()
        for server in (pages, gate):
            if server is not None:
                if pages_running:  # shutdown() would wait forever for a loop that never ran
                    server.shutdown()
                server.server_close()
        shutil.rmtree(workdir, ignore_errors=True)
