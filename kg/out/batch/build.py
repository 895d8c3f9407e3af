"""``kg build``: stream the articles, extract only what is new, assemble the graph, write everything.

Steps: read the inputs one article at a time; skip articles whose text the
output folder's state already holds (same id, same sha256); extract the rest
in batches (here, in worker processes or on a Dask cluster); cache their
facts; find near-duplicate stories; assemble the dataset from every
article's facts; stage graph.ttl, graph.trig and graph.html, the store when
asked, and the manifest; send the endpoint its graphs when asked; then switch
the staged parts in together (:mod:`kg.out.batch.commit`).
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import json
import multiprocessing
import os
import shutil
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from kg import KgError
from kg.io.articles import Article, ArticleError, input_files
from kg.nlp.article_parts import read_articles
from kg.nlp.fingerprint import extractor_fingerprint
from kg.nlp.lexicon import load_lexicon
from kg.out.batch.children import die_with_parent
from kg.out.batch.commit import Staged, commit, recover
from kg.out.batch.lock import build_lock
from kg.out.batch.outputs import OUTPUTS, stage_outputs
from kg.out.batch.progress import Progress
from kg.out.batch.state import BuildState
from kg.rdf.triples import union_triples

BATCH_SIZE = 16


class BuildError(KgError, ValueError):
    """A build that cannot go on; the message is one line."""


@dataclass
class BuildReport:
    """What one build did."""

    articles: int = 0  # in the graph, old and new
    extracted: int = 0
    unchanged: int = 0
    facts: int = 0  # distinct (subject, relation, object): a fact two editions state counts once
    triples: int = 0
    same_story_pairs: int = 0
    quads_in_store: int = 0
    graphs_sent: int = 0
    store_seconds: float = 0.0
    extraction_seconds: float = 0.0
    seconds: float = 0.0
    worker_peak_mb: dict[str, float] = field(default_factory=dict)  # the process that extracted -> peak MiB
    phase_seconds: dict[str, float] = field(default_factory=dict)  # the steps after extraction

    def as_json(self) -> str:
        """The report as JSON (``kg build --report FILE``)."""
        return json.dumps(asdict(self), indent=1, sort_keys=True)


class _Phases:
    """``with clock("name"):`` adds the block's seconds to ``timings["name"]``."""

    def __init__(self, timings: dict[str, float]) -> None:
        self.timings = timings

    @contextlib.contextmanager
    def __call__(self, name: str):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = round(self.timings.get(name, 0.0) + time.perf_counter() - start, 3)


@contextlib.contextmanager
def paused_gc():
    """No cyclic garbage collection inside the block.

    Assembling and writing the graph allocates millions of small tuples and
    terms and frees them by reference counting; the collector's full passes
    over every fact in memory made these steps a third slower.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def batched(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    """Lists of up to ``size`` articles."""
    batch: list[Article] = []
    for article in articles:
        batch.append(article)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


@dataclass
class BuildSession:
    """What ``kg build --watch`` keeps warm between rounds: the extraction
    runner with its loaded models, the output folder's state with its facts
    in memory, the same-story index, and what each unchanged input file held.
    """

    runner: object | None = None
    state: BuildState | None = None
    stories: object | None = None  # kg.facts.stories.StoryIndex
    # input file -> ((size, mtime_ns), [(article id, sha256, input bytes)]) as last read
    listings: dict[Path, tuple[tuple[int, int], list[tuple[str, str, int]]]] = field(default_factory=dict)

    def close(self) -> None:
        """Stop the runner's workers, if any."""
        if self.runner is not None:
            self.runner.close(True)
            self.runner = None


def file_signature(path: Path) -> tuple[int, int]:
    """(size, mtime_ns): what tells a watching build that a file changed."""
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def make_runner(workers: int = 1, scheduler: str | None = None, config: str | None = None):
    """The runner for these options: in this process, in worker processes, or on a Dask cluster.

    ``config``: the pipeline config's text (None: kg's own).
    """
    from kg.out.batch.runners import DaskRunner, LocalRunner, PoolRunner

    if scheduler:
        try:
            return DaskRunner(scheduler, config)
        except (OSError, TimeoutError, ValueError) as exc:
            raise BuildError(f"cannot reach the Dask scheduler at {scheduler} ({exc})") from None
    return PoolRunner(workers, config) if workers > 1 else LocalRunner(config)


def _write_page(dataset, path: Path) -> None:
    from kg.out.view.page import render_page

    path.write_text(render_page(dataset, "kg knowledge graph"), encoding="utf-8")


class _PageWriter:
    """graph.html written in a forked process while this one writes Turtle and TriG, or here and now.

    The page and the two serializations each take about a second for 1,000
    articles; on two cores they overlap. Only a process with no other thread
    forks (a Dask client's threads could hold locks the child would wait on).
    The child dies with the build, and tells why it failed through a pipe (a
    note written to disk would fail on the disk that made the page fail).
    """

    def __init__(self, dataset, path: Path) -> None:
        self.process: multiprocessing.Process | None = None
        if "fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1:
            _write_page(dataset, path)
            return
        context = multiprocessing.get_context("fork")
        self.reasons, sender = context.Pipe(duplex=False)
        self.process = context.Process(target=_write_page_or_tell, args=(dataset, path, os.getpid(), sender),
                                       daemon=True)
        self.process.start()
        sender.close()

    def finish(self) -> None:
        """Wait for the page; raise :class:`BuildError` with the child's reason when it failed."""
        if self.process is None:
            return
        self.process.join()
        if self.process.exitcode != 0:
            reason = self.reasons.recv() if self.reasons.poll() else f"exit code {self.process.exitcode}"
            raise BuildError(f"writing graph.html failed ({reason})")

    def stop(self) -> None:
        """End the child if it still runs (the build failed elsewhere)."""
        if self.process is not None and self.process.is_alive():
            self.process.terminate()
            self.process.join()


def _write_page_or_tell(dataset, path: Path, parent: int, reasons) -> None:
    """In the forked process: write the page, or send the reason it failed and exit 1 (no traceback)."""
    die_with_parent(parent)
    try:
        _write_page(dataset, path)
    except BaseException as exc:  # noqa: BLE001 - any failure becomes the parent's one-line error
        with contextlib.suppress(Exception):
            reasons.send(exc.strerror if isinstance(exc, OSError) and exc.strerror else f"{type(exc).__name__}: {exc}")
        os._exit(1)


def _stage_outputs(dataset, out: Path) -> Path:
    """graph.ttl, graph.trig and graph.html written into a new output generation, switched in later by the
    build's commit (:mod:`kg.out.batch.commit`): a failure or a kill leaves the previous set as it was."""
    from kg.rdf.files import serialize

    def write(staging: Path) -> None:
        page = _PageWriter(dataset, staging / "graph.html")
        try:
            (staging / "graph.ttl").write_bytes(serialize(dataset, "turtle"))
            (staging / "graph.trig").write_bytes(serialize(dataset, "trig"))
            page.finish()
        finally:
            page.stop()

    staging = stage_outputs(out, write)
    _remove_legacy_staging(out)
    return staging


def _remove_legacy_staging(out: Path) -> None:
    """Staging folders beside ``out`` that builds of earlier kg versions left when killed (.out.xxxxxxxx
    holding only graph files)."""
    for entry in out.parent.glob(f".{out.name}.*"):
        if entry.is_dir() and not entry.is_symlink() and all(p.name in OUTPUTS or p.suffix == ".error"
                                                             for p in entry.iterdir()):
            shutil.rmtree(entry, ignore_errors=True)


@dataclass
class BuildPlan:
    """What one build works from: the input files, the output folder's state, and what it has done so far."""

    files: list[Path]
    out: Path
    state: BuildState
    meter: Progress
    session: BuildSession | None
    started: float
    config: str | None = None  # the pipeline config's text (None: kg's own)
    report: BuildReport = field(default_factory=BuildReport)
    seen: dict[str, str] = field(default_factory=dict)  # article id -> sha256 of its text, as given

    def known(self, article_id: str, digest: str, where: Path) -> bool:
        """Record an article; False when the same article was already given."""
        if article_id in self.seen:
            if self.seen[article_id] != digest:
                raise ArticleError(f"{where}: article id {article_id!r} is used twice with different text")
            return False  # the same article given twice is read once
        self.seen[article_id] = digest
        return True


def plan_build(inputs: list[str], out: Path, *, workers: int = 1, fresh: bool = False, progress: bool = True,
               session: BuildSession | None = None, config: str | None = None) -> BuildPlan:
    """Check the options, list the input files and open the output folder's state."""
    started = time.perf_counter()
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise BuildError(f"{out}: exists and is not a folder")
    if workers < 1:
        raise BuildError("--workers must be 1 or more")
    files = input_files(inputs)
    if session is not None and session.state is not None and not fresh:
        state = session.state
    else:
        state = BuildState(out, fresh=fresh, extractor=extractor_fingerprint(config))
    meter = Progress(total_bytes=sum(f.stat().st_size for f in files), enabled=progress)
    return BuildPlan(files, out, state, meter, session, started, config)


def _unchanged_listing(plan: BuildPlan, path: Path, signature: tuple[int, int]) -> list[tuple[str, str, int]] | None:
    """What a watching session read from ``path`` before, when the file and its articles' facts are unchanged."""
    listing = plan.session.listings.get(path) if plan.session is not None else None
    if listing is None or listing[0] != signature:
        return None
    return listing[1] if all(plan.state.is_current(i, d) for i, d, _ in listing[1]) else None


def pending_articles(plan: BuildPlan) -> Iterator[Article]:
    """The articles whose text the state does not hold yet, read one at a time; the others are counted."""
    report, meter = plan.report, plan.meter
    lexicon = load_lexicon()  # datelines and headlines, read with the lexicon the pipeline reads
    if plan.config is not None:
        from kg.nlp.pipeline import config_lexicon  # spaCy parses the config; only then is it loaded here

        lexicon = config_lexicon(plan.config)
    for path in plan.files:
        signature = file_signature(path)
        listing = _unchanged_listing(plan, path, signature)
        if listing is not None:  # read in an earlier round of this session, and untouched since
            for article_id, digest, size in listing:
                if plan.known(article_id, digest, path):
                    report.unchanged += 1
                    meter.advance(skipped=1, input_bytes=size)
            continue
        entries: list[tuple[str, str, int]] = []
        for article in read_articles([path], lexicon):
            entries.append((article.id, article.content_hash, article.input_bytes))
            if not plan.known(article.id, article.content_hash, article.path or path):
                continue
            for note in article.notes:
                print(f"kg: note: {note}", file=sys.stderr)
            if plan.state.is_current(article.id, article.content_hash):
                report.unchanged += 1
                meter.advance(skipped=1, input_bytes=article.input_bytes)
                continue
            meter.advance(articles=1, chars=len(article.text), input_bytes=article.input_bytes)
            yield article
        if plan.session is not None:
            plan.session.listings[path] = (signature, entries)


def extract_new(plan: BuildPlan, *, workers: int = 1, scheduler: str | None = None,
                batch_size: int = BATCH_SIZE) -> None:
    """Extract the pending articles in batches and keep their facts in the state."""
    session = plan.session
    runner = session.runner if session is not None else None
    batches = batched(pending_articles(plan), batch_size)
    finished = False
    try:
        first = next(batches, None)
        if first is not None:  # workers start (and load their models) only when something needs extracting
            runner = runner or make_runner(workers, scheduler, plan.config)
            if session is not None:
                session.runner = runner
            for batch_result in runner.map(itertools.chain([first], batches)):
                for result in batch_result.results:
                    plan.state.put(result)
                    plan.report.extracted += 1
                plan.report.worker_peak_mb[batch_result.worker] = batch_result.peak_mb
        finished = True
    finally:
        if runner is not None and session is None:  # a session's runner lives on; its owner closes it
            runner.close(finished)
        plan.meter.close(finished)
    plan.report.extraction_seconds = time.perf_counter() - plan.started
    if not plan.seen:
        raise BuildError("no articles in the input")


def assemble(plan: BuildPlan, clock: _Phases):
    """Every article's facts (old and new), their same-story pairs, and the dataset they make."""
    from kg.facts.stories import StoryIndex, merge_story_events
    from kg.rdf.build import add_same_story, build_dataset

    session = plan.session
    with clock("load cached facts"):
        results = list(plan.state.results())
    with clock("near-duplicates"):
        stories = session.stories if session is not None and session.stories is not None else StoryIndex()
        pairs = stories.update((r.article.id, r.minhash) for r in results)
    with clock("assemble graph"):
        results = merge_story_events(results, pairs)
        dataset = build_dataset(results)
        add_same_story(dataset, pairs, results)
    if session is not None:
        session.stories = stories
    return results, pairs, dataset


def write_everything(plan: BuildPlan, dataset, clock: _Phases, *, store: Path | None = None,
                     endpoint: str | None = None) -> None:
    """Stage the files, the store and the manifest, send the endpoint its graphs, then commit the three
    together (:mod:`kg.out.batch.commit`): a failure at any step leaves the last good state as it was."""
    report = plan.report
    staged = Staged(plan.out, store=store)
    try:
        with clock("write ttl, trig, html"):
            staged.outputs = _stage_outputs(dataset, plan.out)
        if store is not None:
            from kg.rdf.store import stage_store

            with clock("store"):
                staged.store_generation, report.quads_in_store = stage_store(dataset, store)
            report.store_seconds = report.phase_seconds["store"]
        if endpoint:
            from kg.rdf.endpoint import upload

            with clock("endpoint"):
                report.graphs_sent = upload(dataset, endpoint)
        plan.state.stage()
        staged.manifest = True
    except BaseException:
        staged.discard()
        raise
    commit(staged)  # on a failure it switches back what it switched and discards the rest
    plan.state.prune()


def run_build(inputs: list[str], out: Path, *, store: Path | None = None, endpoint: str | None = None,
              workers: int = 1, scheduler: str | None = None, fresh: bool = False,
              batch_size: int = BATCH_SIZE, progress: bool = True,
              session: BuildSession | None = None, config: str | None = None) -> BuildReport:
    """Build (or update) the graph in ``out`` from ``inputs``: plan, extract, assemble, write.

    With a ``session`` (``kg build --watch``), the runner, the state and the
    same-story index outlive the call, and input files unchanged since the
    session last read them are not read again. ``config`` is the text of another
    pipeline config (``kg build --config``).
    """
    with build_lock(out):  # one build per output folder; a second one fails with one line
        return _run_locked(inputs, out, store=store, endpoint=endpoint, workers=workers, scheduler=scheduler,
                           fresh=fresh, batch_size=batch_size, progress=progress, session=session, config=config)


def _run_locked(inputs: list[str], out: Path, *, store, endpoint, workers, scheduler, fresh, batch_size,
                progress, session, config) -> BuildReport:
    recover(Path(out))  # a commit a kill interrupted is finished before anything is read
    plan = plan_build(inputs, out, workers=workers, fresh=fresh, progress=progress, session=session,
                      config=config)
    extract_new(plan, workers=workers, scheduler=scheduler, batch_size=batch_size)
    report = plan.report
    clock = _Phases(report.phase_seconds)
    with paused_gc():
        results, pairs, dataset = assemble(plan, clock)
        write_everything(plan, dataset, clock, store=store, endpoint=endpoint)
    if session is not None:
        session.state = plan.state
    report.articles = len(results)
    report.facts = len({(f.subject, f.relation, f.object) for r in results for f in r.facts})
    report.triples = len(union_triples(dataset))
    report.same_story_pairs = len(pairs)
    report.seconds = time.perf_counter() - plan.started
    return report
