"""Where extraction runs: in this process, in N worker processes, or on a Dask cluster.

Each runner takes an iterator of article batches and yields their results in
the same order, keeping only a few batches in flight, so a corpus of any
size streams through with bounded memory. Every process loads the pkuseg
model, the NER model and the lexicons once (``shared_pipeline``) and keeps
them for all its batches.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import socket
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

from kg.facts import ArticleFacts
from kg.io.articles import Article
from kg.nlp.doc_facts import extract
from kg.out.batch.children import die_with_parent

IN_FLIGHT_PER_WORKER = 2
# The NER model multiplies matrices in numpy's OpenBLAS (kg/nlp/ner/ops.py), which
# starts one thread per core in every process unless told otherwise.
BLAS_THREADS = "OPENBLAS_NUM_THREADS"


@dataclass
class BatchResult:
    """The facts of one batch, and the process that made them with its peak memory so far."""

    results: list[ArticleFacts]
    worker: str
    peak_mb: float


def peak_memory_mb() -> float:
    """This process's peak resident memory, in MiB.

    Linux's ``VmHWM`` where there is one: ``ru_maxrss`` carries over the peak
    of the process that forked this one before it exec'd (a benchmark or a
    notebook that had loaded models itself would be counted).
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def extract_batch(articles: list[Article], config: str | None = None) -> BatchResult:
    """Facts of a batch of articles, each with its MinHash signature and without its text (not needed after).

    ``config``: the text of the pipeline config (None: kg's own); text, not a path, so a Dask worker on
    another machine runs the same pipeline.
    """
    from kg.facts.stories import signature
    from kg.nlp.pipeline import shared_pipeline

    results = extract(articles, shared_pipeline(config))
    for result in results:
        result.minhash = signature(result.article.text)
        result.article = replace(result.article, text="")
    return BatchResult(results, f"{socket.gethostname()}:{os.getpid()}", peak_memory_mb())


def warm_up(config: str | None = None) -> None:
    """Load the pipeline in a fresh worker before its first batch."""
    from kg.nlp.pipeline import shared_pipeline

    shared_pipeline(config)


def _start_pool_worker(config: str | None, parent: int) -> None:
    """A pool worker's first step: it dies with the build (kill -9 included), then loads the pipeline."""
    die_with_parent(parent)
    warm_up(config)


class LocalRunner:
    """Extraction in this process."""

    def __init__(self, config: str | None = None) -> None:
        self.config = config

    def warm_up(self) -> None:
        """Load the models now rather than with the first batch."""
        warm_up(self.config)

    def map(self, batches: Iterable[list[Article]]) -> Iterator[BatchResult]:
        for batch in batches:
            yield extract_batch(batch, self.config)

    def close(self, finished: bool = True) -> None:
        pass


def _ordered(submit, batches: Iterable[list[Article]], window: int) -> Iterator:
    """Submit batches keeping at most ``window`` pending; yield each result (``.get()``-able) in order."""
    pending: deque = deque()
    for batch in batches:
        pending.append(submit(batch))
        if len(pending) >= window:
            yield pending.popleft()
    while pending:
        yield pending.popleft()


@contextmanager
def blas_threads_for(workers: int) -> Iterator[None]:
    """Processes spawned inside give their BLAS a share of the cores (at least one thread).

    N workers each running one BLAS thread per core would contend for the
    cores: on the 2-core machine, ``kg build --workers 2`` over 1,000
    articles took 46 and 52 s with two threads per worker, 39 and 43 s with
    one (alternating runs). A value the user has set is kept.
    """
    if BLAS_THREADS in os.environ:
        yield
        return
    os.environ[BLAS_THREADS] = str(max(1, (os.cpu_count() or 1) // max(workers, 1)))
    try:
        yield
    finally:
        del os.environ[BLAS_THREADS]


class PoolRunner:
    """Extraction in ``workers`` processes on this machine (spawned, so each starts clean)."""

    def __init__(self, workers: int, config: str | None = None) -> None:
        self.workers, self.config = workers, config
        context = multiprocessing.get_context("spawn")
        with blas_threads_for(workers):  # the workers read it as they start
            self.pool = context.Pool(workers, initializer=_start_pool_worker, initargs=(config, os.getpid()))

    def warm_up(self) -> None:
        """Nothing to do: each worker loads the models as it starts (the pool's initializer)."""

    def map(self, batches: Iterable[list[Article]]) -> Iterator[list[ArticleFacts]]:
        submit = lambda batch: self.pool.apply_async(extract_batch, (batch, self.config))
        for handle in _ordered(submit, batches, self.workers * IN_FLIGHT_PER_WORKER):
            yield handle.get()

    def close(self, finished: bool = True) -> None:
        """Stop the workers. Every result is in by now (or the build failed), so nothing is lost by not
        waiting for each worker to tear its models down, which takes a second."""
        self.pool.terminate()
        self.pool.join()


class DaskRunner:
    """Extraction on a Dask distributed cluster, through its scheduler's address."""

    def __init__(self, scheduler: str, config: str | None = None) -> None:
        from distributed import Client

        self.config = config
        self.client = Client(scheduler, timeout="30s")
        self.workers = max(len(self.client.scheduler_info().get("workers", {})), 1)

    def warm_up(self) -> None:
        """Load the models on every worker of the cluster now."""
        self.client.run(warm_up, self.config)

    def map(self, batches: Iterable[list[Article]]) -> Iterator[list[ArticleFacts]]:
        submit = lambda batch: self.client.submit(extract_batch, batch, self.config, pure=False)
        for future in _ordered(submit, batches, self.workers * IN_FLIGHT_PER_WORKER):
            yield future.result()
            future.release()

    def close(self, finished: bool = True) -> None:
        self.client.close()
