"""Reading and writing graph files: formats, deterministic output, no half-written files."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, Literal, URIRef

from kg import KgError
from kg.rdf.vocab import bind_prefixes, prefix_map

#: user-facing format name -> (rdflib format, file suffix)
FORMATS = {
    "turtle": ("turtle", ".ttl"), "nt": ("nt", ".nt"), "trig": ("trig", ".trig"),
    "nquads": ("nquads", ".nq"), "jsonld": ("json-ld", ".jsonld"), "xml": ("xml", ".rdf"),
}
SUFFIX_FORMATS = {".ttl": "turtle", ".nt": "nt", ".trig": "trig", ".nq": "nquads", ".jsonld": "json-ld",
                  ".json": "json-ld", ".rdf": "xml", ".xml": "xml", ".owl": "xml", ".n3": "n3"}


class GraphFileError(KgError, ValueError):
    """A graph file that cannot be read; the message names file and reason."""


def load_dataset(path: str | Path) -> Dataset:
    """Parse any RDF file by its suffix into a dataset whose default graph is the union."""
    path = Path(path)
    if not path.is_file():
        raise GraphFileError(f"{path}: no such graph file")
    fmt = SUFFIX_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise GraphFileError(f"{path}: unknown graph format (use one of {', '.join(sorted(SUFFIX_FORMATS))})")
    dataset = Dataset(default_union=True)
    try:
        dataset.parse(str(path), format=fmt)
    except Exception as exc:  # noqa: BLE001 - parsers raise many types; report one line
        reason = " ".join(str(exc).split())[:200]
        raise GraphFileError(f"{path}: not valid {fmt} ({reason})") from None
    return bind_prefixes(dataset, override=False)


def _sorted_graph(graph: Graph) -> Graph:
    """A copy whose triples were added in sorted order (rdflib's output follows insertion)."""
    copy = bind_prefixes(Graph())
    for triple in sorted(graph, key=lambda t: tuple(x.n3() for x in t)):
        copy.add(triple)
    return copy


# Turtle and TriG are written by Oxigraph's serializer (7x faster than rdflib's on kg's graphs) from
# triples sorted here, so the same graph always gives the same bytes. The ``id:`` prefix is left out:
# its local names hold slashes, which Turtle would have to escape.
_OX_PREFIXES = {prefix: ns for prefix, ns in sorted(prefix_map().items()) if prefix != "id"}


# Terms repeat across a graph's triples (every statement names rdf:Statement, every label is tagged @zh)
# and across the Turtle and TriG of one build: each distinct term is converted and keyed once.
_CACHE_LIMIT = 1 << 20


@lru_cache(maxsize=_CACHE_LIMIT)
def _ox_term(term):
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    return ox.BlankNode(str(term))


@lru_cache(maxsize=_CACHE_LIMIT)
def _n3(term) -> str:
    return term.n3()


def _triple_key(triple) -> tuple[str, str, str]:
    return _n3(triple[0]), _n3(triple[1]), _n3(triple[2])


def turtle_bytes(graph) -> bytes:
    """Turtle of a graph (or any iterable of triples) in a stable order: same triples, same bytes."""
    return triples_bytes(graph, ox.RdfFormat.TURTLE)


def triples_bytes(triples, fmt: ox.RdfFormat = ox.RdfFormat.N_TRIPLES) -> bytes:
    """Sorted triples in an Oxigraph triple format (Turtle, N-Triples)."""
    ordered = [ox.Triple(*map(_ox_term, t)) for t in sorted(triples, key=_triple_key)]
    return ox.serialize(ordered, format=fmt, prefixes=_OX_PREFIXES if fmt == ox.RdfFormat.TURTLE else None)


def _ox_quads(dataset, sort: bool = True) -> list:
    """The dataset's non-empty graphs as Oxigraph quads, graphs by name (and triples sorted if ``sort``)."""
    quads = []
    for graph in sorted((g for g in dataset.graphs() if len(g)), key=lambda g: str(g.identifier)):
        default = str(graph.identifier).startswith("urn:x-rdflib:")
        name = ox.DefaultGraph() if default else ox.NamedNode(str(graph.identifier))
        triples = sorted(graph, key=_triple_key) if sort else graph
        quads += [ox.Quad(*map(_ox_term, t), name) for t in triples]
    return quads


def trig_bytes(dataset) -> bytes:
    """TriG with named graphs sorted by name, each graph's triples sorted: same dataset, same bytes."""
    return ox.serialize(_ox_quads(dataset), format=ox.RdfFormat.TRIG, prefixes=_OX_PREFIXES)


def serialize(dataset: Dataset, fmt: str) -> bytes:
    """``dataset`` in one of :data:`FORMATS` (turtle, nt, xml, jsonld flatten the graphs)."""
    if fmt not in FORMATS:
        raise GraphFileError(f"unknown format {fmt!r} (use one of {', '.join(FORMATS)})")
    rdflib_format, _ = FORMATS[fmt]
    if fmt == "trig":
        return trig_bytes(dataset)
    if fmt == "nquads":
        return nquads_bytes(dataset)
    triples = {(s, p, o) for s, p, o, _ in dataset.quads((None, None, None, None))}
    if fmt == "turtle":
        return turtle_bytes(triples)
    if fmt == "nt":
        return triples_bytes(triples, ox.RdfFormat.N_TRIPLES)
    union = bind_prefixes(Graph())
    for triple in triples:
        union.add(triple)
    return _sorted_graph(union).serialize(format=rdflib_format, encoding="utf-8")


def nquads_bytes(dataset) -> bytes:
    """N-Quads, one line per quad, sorted: same dataset, same bytes."""
    quads = _ox_quads(dataset, sort=False)  # the lines are sorted below
    lines = sorted(ox.serialize(quads, format=ox.RdfFormat.N_QUADS).decode("utf-8").splitlines())
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


__all__ = ["FORMATS", "GraphFileError", "load_dataset", "serialize"]
