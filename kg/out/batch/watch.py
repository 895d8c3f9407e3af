"""``kg build --watch``: keep the models loaded and rebuild whenever the inputs change.

A newsroom's corpus grows every day. A watching build does the first build,
then looks at its inputs every ``interval`` seconds (the files the patterns
and folders name, with their sizes and modification times) and, when
something changed, runs an incremental build in the same process
(:class:`~kg.out.batch.build.BuildSession`): no model loading, no re-reading of
files it has read, and the same-story index only hashes the new articles.
Each round writes its outputs through a staging folder, exactly like
``kg build``, so a reader never sees a half-written graph.

A round whose inputs are bad (a file still being copied, a damaged gzip)
prints its one-line error and leaves the previous outputs in place; the
next change triggers a new round. SIGTERM or Ctrl-C stops the watch.
"""

from __future__ import annotations

import gc
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

from kg import KgError
from kg.io.articles import input_files
from kg.out.batch.build import BuildReport, BuildSession, file_signature, make_runner, run_build


class WatchStopped(Exception):
    """SIGTERM asked the watch to end."""


def input_snapshot(inputs: list[str]) -> tuple | None:
    """The input files with their signatures, or None when the inputs name no readable file yet."""
    try:
        return tuple((path, file_signature(path)) for path in input_files(inputs))
    except (KgError, OSError):  # an input gone or unreadable between two looks
        return None


def settle_memory() -> None:
    """Collect this round's garbage, then freeze what survives (mostly every article's facts).

    The collector's full passes would otherwise walk all those facts again
    and again in the next round: a quarter of a round that adds 1% of the
    articles. Frozen objects are still freed when nothing refers to them.
    """
    gc.collect()
    gc.freeze()


def watch(inputs: list[str], out: Path, *, interval: float, on_round: Callable[[BuildReport], None],
          fresh: bool = False, **options) -> int:
    """Build, then rebuild on every change of ``inputs`` until SIGTERM or Ctrl-C; returns the exit code.

    ``options`` are :func:`run_build`'s (store, endpoint, workers, scheduler, progress).
    """
    def stop(signum, frame):
        raise WatchStopped

    previous_handler = signal.signal(signal.SIGTERM, stop)
    session = BuildSession()
    last: tuple | None = None
    try:
        # The models load now, not when the first new article arrives: a watcher is there to answer fast.
        session.runner = make_runner(options.get("workers", 1), options.get("scheduler"), options.get("config"))
        session.runner.warm_up()
        while True:
            snapshot = input_snapshot(inputs)
            if snapshot is not None and snapshot != last:
                last = snapshot
                try:
                    on_round(run_build(inputs, out, session=session, fresh=fresh, **options))
                    fresh = False
                except KgError as exc:
                    print(f"kg: error: {exc} (the previous outputs stay; waiting for the next change)",
                          file=sys.stderr, flush=True)
                settle_memory()
            time.sleep(interval)
    except (WatchStopped, KeyboardInterrupt):
        print("kg: watch stopped", file=sys.stderr, flush=True)
        return 0
    finally:
        session.close()
        signal.signal(signal.SIGTERM, previous_handler)
