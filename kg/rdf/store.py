"""A persistent Oxigraph store: written by ``kg build --store``, read by ``kg query`` and ``kg serve``.

The store holds the same quads as ``graph.trig`` (one named graph per
article), and its default graph holds their union. Oxigraph's own "default
graph as union" option repeats a triple once per graph that states it, so a
``COUNT`` would differ from the same query on a graph file; a materialized
union keeps the RDF merge semantics (each triple once) in the store and in
``kg serve``. Answers come back as rdflib results, so one formatter serves
files and stores alike.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef, Variable
from rdflib.query import Result

from kg.rdf.files import GraphFileError, trig_bytes
from kg.rdf.vocab import bind_prefixes, prefix_map

#: a file kg writes into every store it makes, so a folder is known for a store before it is opened
MARKER = "kg-store.txt"


def is_store(path: str | Path) -> bool:
    """True when ``path`` is a folder holding a store kg wrote."""
    return (Path(path) / MARKER).is_file()


def write_store(dataset: Dataset, path: str | Path) -> int:
    """Replace the store at ``path`` with ``dataset``'s quads; returns the quad count.

    The store is loaded in a sibling folder and moved into place, so a failure
    leaves the old store as it was.
    """
    path = Path(path)
    if path.exists() and not is_store(path) and (not path.is_dir() or any(path.iterdir())):
        raise GraphFileError(f"{path}: exists and is not a kg store (refusing to overwrite it)")
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))
    old = staging.with_name(staging.name + ".old")
    try:
        store = ox.Store(str(staging / "data"))
        load_store_into(store, dataset)
        count = len(store)
        del store  # release the database lock before the folder moves
        (staging / MARKER).write_text("An Oxigraph store written by kg build --store; the data is in data/.\n",
                                      encoding="utf-8")
        if path.exists():
            path.replace(old)
        staging.replace(path)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
    return count


def open_store(path: str | Path) -> ox.Store:
    """Open a kg store for reading; several readers may share it."""
    path = Path(path)
    if not is_store(path):
        raise GraphFileError(f"{path}: not a kg store (no {MARKER}; kg build --store DIR makes one)")
    try:
        return ox.Store.read_only(str(path / "data"))
    except OSError as exc:
        raise GraphFileError(f"{path}: cannot open the store ({' '.join(str(exc).split())[:160]})") from None


def data_folder(path: str | Path) -> Path:
    """The folder the Oxigraph database itself lives in (what ``oxigraph --location`` takes)."""
    return Path(path) / "data"


UNION_UPDATE = "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


def load_store_into(store: ox.Store, dataset: Dataset) -> None:
    """Add ``dataset``'s named graphs to an open store, and their union to its default graph."""
    store.bulk_load(input=trig_bytes(dataset), format=ox.RdfFormat.TRIG)
    store.update(UNION_UPDATE)
    store.flush()


def to_rdflib(term):
    """An Oxigraph term as the rdflib term of the same value."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise GraphFileError(f"unsupported term in a query answer: {term!r}")


def query_store(store: ox.Store, text: str) -> Result:
    """Run SPARQL on the store (its default graph is the union of the named graphs) as an rdflib result."""
    answer = store.query(text, prefixes=prefix_map())
    if isinstance(answer, ox.QueryBoolean):
        result = Result("ASK")
        result.askAnswer = bool(answer)
    elif isinstance(answer, ox.QuerySolutions):
        result = Result("SELECT")
        result.vars = [Variable(v.value) for v in answer.variables]
        result.bindings = [{var: to_rdflib(value) for var, value in zip(result.vars, row) if value is not None}
                           for row in answer]
    else:
        result = Result("CONSTRUCT")
        result.graph = bind_prefixes(Graph())
        for triple in answer:
            result.graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
    return result


def store_dataset(store: ox.Store) -> Dataset:
    """The store's article graphs as an in-memory rdflib dataset (for the page and networkx)."""
    dataset = bind_prefixes(Dataset(default_union=True))
    for quad in _quads(store):
        dataset.add(quad)
    return dataset


def _quads(store: ox.Store) -> Iterator[tuple]:
    for quad in store:
        if isinstance(quad.graph_name, ox.DefaultGraph):
            continue  # the union, rebuilt by the dataset itself
        yield (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object),
               to_rdflib(quad.graph_name))


def load_any(path: str | Path) -> Dataset:
    """A graph file or a kg store, read into an rdflib dataset whose default graph is the union."""
    from kg.rdf.files import load_dataset

    if Path(path).is_dir():
        store = open_store(path)  # a folder that is no kg store gets the one-line error from here
        try:
            return store_dataset(store)
        finally:
            del store
    return load_dataset(path)
