"""A persistent Oxigraph store: written by ``kg build --store``, read by ``kg query`` and ``kg serve``.

The store holds the same quads as ``graph.trig`` (one named graph per
article), and its default graph holds their union. Oxigraph's own "default
graph as union" option repeats a triple once per graph that states it, so a
``COUNT`` would differ from the same query on a graph file; a materialized
union keeps the RDF merge semantics (each triple once) in the store and in
``kg serve``. A graph file is queried the same way, loaded into an
in-memory store, so files and stores answer alike.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from pathlib import Path

import pyoxigraph as ox

from kg.io.atomic import replace_link
from kg.rdf.files import GraphFileError, load_dataset, readable_dataset
from kg.rdf.triples import TripleIndex
from kg.rdf.vocab import ID, prefix_map

#: a file kg writes into every store it makes, so a folder is known for a store before it is opened
MARKER = "kg-store.txt"
#: the folder inside a store that holds its database generations; ``data`` links to the current one
GENERATIONS = ".generations"


def is_store(path: str | Path) -> bool:
    """True when ``path`` is a folder holding a store kg wrote."""
    return (Path(path) / MARKER).is_file()


#: a file in each generation that ``kg serve`` holds a shared lock on while it serves that generation
SERVING_LOCK = "serving.lock"
_MARKER_TEXT = "An Oxigraph store written by kg build --store; the data is in data/.\n"


def _claim(path: Path) -> None:
    """Make ``path`` a kg store folder before anything is loaded into it, so a build killed in its first
    load leaves a folder the next build recognises (and takes over) rather than one it refuses."""
    # a folder holding only .generations is one whose first build was killed before the marker existed
    if path.exists() and not is_store(path) and (
            not path.is_dir() or any(entry.name != GENERATIONS for entry in path.iterdir())):
        raise GraphFileError(f"{path}: exists and is not a kg store (refusing to overwrite it)")
    try:
        (path / GENERATIONS).mkdir(parents=True, exist_ok=True)
        if not is_store(path):
            (path / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
    except OSError as exc:
        raise GraphFileError(f"{path}: cannot write the store ({exc.strerror or exc})") from None


def stage_store(dataset: ox.Dataset, path: str | Path) -> tuple[Path, int]:
    """Load ``dataset`` into a new generation of the store at ``path``, not yet current; returns the
    generation folder and its quad count. :func:`switch_store` makes it current; a failure here leaves the
    store as it was."""
    path = Path(path)
    _claim(path)
    _adopt_plain_data(path)
    try:
        staging = Path(tempfile.mkdtemp(prefix="gen-", dir=path / GENERATIONS))
    except OSError as exc:
        raise GraphFileError(f"{path}: cannot write the store ({exc.strerror or exc})") from None
    try:
        store = ox.Store(str(staging / "data"))
        load_store_into(store, dataset)
        count = len(store)
        del store  # release the database lock before the folder is switched in
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise GraphFileError(f"{path}: cannot write the store ({' '.join(str(exc).split())[:160]})") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging, count


def switch_store(path: str | Path, generation: Path | str | None) -> None:
    """Make ``generation`` (a folder of ``.generations``, or None: none) the store's data with one rename of
    a link."""
    path = Path(path)
    if generation is None:
        (path / "data").unlink(missing_ok=True)
    else:
        replace_link(path / "data", f"{GENERATIONS}/{Path(generation).name}/data")


def current_generation(path: str | Path) -> Path | None:
    """The generation folder the store's ``data`` link points at (None: no link)."""
    data = Path(path) / "data"
    if not data.is_symlink():
        return None
    return Path(path) / GENERATIONS / Path(os.readlink(data)).parts[1]


def write_store(dataset: ox.Dataset, path: str | Path) -> int:
    """Replace the store at ``path`` with ``dataset``'s quads; returns the quad count.

    The database is loaded into a new generation folder inside the store (``.generations/gen-…/data``) and
    ``data`` is switched to it with one rename of a link: a failure or a kill at any moment leaves the old
    store, or the new one, whole. Generations that are not current are removed.
    """
    staging, count = stage_store(dataset, path)
    switch_store(path, staging)
    remove_stale_generations(path)
    return count


def _adopt_plain_data(path: Path) -> None:
    """A store an older kg wrote holds ``data`` as a folder: move it into a generation of its own, so the
    switch below is one rename of a link (the only step with no store in place, once per old store)."""
    data = path / "data"
    if data.is_dir() and not data.is_symlink():
        legacy = Path(tempfile.mkdtemp(prefix="gen-", dir=path / GENERATIONS))
        data.rename(legacy / "data")
        replace_link(data, f"{GENERATIONS}/{legacy.name}/data")


def remove_stale_generations(path: str | Path) -> None:
    """Delete the generations the ``data`` link does not point at (replaced ones, ones a kill left), except
    those ``kg serve`` is serving (it holds their :data:`SERVING_LOCK`)."""
    path = Path(path)
    current = current_generation(path)
    if not (path / GENERATIONS).is_dir():
        return
    for entry in (path / GENERATIONS).iterdir():
        if current is not None and entry.name == current.name:
            continue
        if entry.is_dir() and not entry.is_symlink():
            if not _served(entry):
                shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def _served(generation: Path) -> bool:
    """True when a ``kg serve`` holds this generation's serving lock."""
    lock = generation / SERVING_LOCK
    if not lock.is_file():
        return False
    try:
        with open(lock, "a") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    return False


def open_store(path: str | Path) -> ox.Store:
    """Open a kg store for reading; several readers may share it."""
    path = Path(path)
    if not is_store(path):
        raise GraphFileError(f"{path}: not a kg store (no {MARKER}; kg build --store DIR makes one)")
    if not (path / "data").exists():
        raise GraphFileError(f"{path}: the store holds no data yet (its first build did not finish; "
                             "kg build --store writes it)")
    try:
        return ox.Store.read_only(str(path / "data"))
    except OSError as exc:
        raise GraphFileError(f"{path}: cannot open the store ({' '.join(str(exc).split())[:160]})") from None


def data_folder(path: str | Path) -> Path:
    """The folder the Oxigraph database itself lives in (what ``oxigraph --location`` takes)."""
    return Path(path) / "data"


def load_store_into(store: ox.Store, dataset: ox.Dataset) -> None:
    """Add ``dataset``'s quads to an open store, and the union of its named graphs to its default graph,
    both through Oxigraph's bulk loader (the union as N-Triples that Oxigraph writes and reads: on a
    million quads 3 s and 7 s, where a union of Python terms took 24 s and a SPARQL INSERT of it 15 s
    of the 20 s that 470k quads took)."""
    store.bulk_extend(dataset)
    _load_union(store, (quad.triple for quad in dataset))


def _load_union(store: ox.Store, triples) -> None:
    """Bulk-load ``triples`` (the store's named graphs' triples; repeats are dropped by the store) into
    its default graph, as N-Triples written and read by Oxigraph."""
    text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    store.bulk_load(input=text, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
    store.flush()


#: whether a store may hold kg IRIs of the old percent-encoded form: every entity has a type
PERCENT_IRI_ASK = f'ASK {{ ?s a ?c FILTER (STRSTARTS(STR(?s), "{ID}") && CONTAINS(STR(?s), "%")) }}'


def memory_store(dataset: ox.Dataset) -> ox.Store:
    """An in-memory store of ``dataset`` laid out as kg's stores are (the union as the default graph)."""
    store = ox.Store()
    load_store_into(store, dataset)
    return store


def query_store(store: ox.Store, text: str, substitutions: dict | None = None,
                ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """Run SPARQL on the store (its default graph is the union of the named graphs), kg's prefixes declared;
    ``substitutions`` binds variables to terms before it runs (``kg query --bind``)."""
    return store.query(text, prefixes=prefix_map(), substitutions=substitutions or None)


def store_dataset(store: ox.Store) -> ox.Dataset:
    """The store's article graphs (not the materialized union) as an in-memory dataset."""
    return ox.Dataset(quad for quad in store if not isinstance(quad.graph_name, ox.DefaultGraph))


def union_index(path: str | Path) -> TripleIndex:
    """The union of a graph file's or a store's graphs, indexed (:class:`~kg.rdf.triples.TripleIndex`). A
    store's default graph is that union already: it is read as it is, not rebuilt from every article's graph
    (on the stream's store, 29 s of ``kg stats``' 74)."""
    if Path(path).is_dir():
        store = open_store(path)
        try:
            if not store.query(PERCENT_IRI_ASK):
                return TripleIndex((q.subject, q.predicate, q.object)
                                   for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        finally:
            del store
    return TripleIndex.of(load_any(path))


def load_any(path: str | Path) -> ox.Dataset:
    """A graph file or a kg store, read into a dataset."""
    if Path(path).is_dir():
        store = open_store(path)  # a folder that is no kg store gets the one-line error from here
        try:
            dataset = store_dataset(store)
            # a store of the old percent-encoded IRIs is rewritten; asked of the store first, so that a
            # store of readable ones is not walked term by term in Python
            return readable_dataset(dataset) if store.query(PERCENT_IRI_ASK) else dataset
        finally:
            del store
    return load_dataset(path)
