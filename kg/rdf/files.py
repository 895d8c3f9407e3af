"""Reading and writing graph files: formats, deterministic output, no half-written files.

Graphs are Oxigraph ``Dataset`` objects on both sides: files are parsed
and written by Oxigraph (local files only: a JSON-LD ``@context`` that
points elsewhere is an error, not a request), and every output is sorted,
so the same graph always gives the same bytes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

from kg import KgError
from kg.rdf.iris import readable_iri
from kg.rdf.triples import union_triples
from kg.rdf.vocab import prefix_map

#: user-facing format name -> (Oxigraph format, file suffix); turtle, nt and xml hold the union of the graphs
FORMATS = {
    "turtle": (ox.RdfFormat.TURTLE, ".ttl"), "nt": (ox.RdfFormat.N_TRIPLES, ".nt"),
    "trig": (ox.RdfFormat.TRIG, ".trig"), "nquads": (ox.RdfFormat.N_QUADS, ".nq"),
    "jsonld": (ox.RdfFormat.JSON_LD, ".jsonld"), "xml": (ox.RdfFormat.RDF_XML, ".rdf"),
}
SUFFIX_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".trig": ox.RdfFormat.TRIG,
                  ".nq": ox.RdfFormat.N_QUADS, ".jsonld": ox.RdfFormat.JSON_LD, ".json": ox.RdfFormat.JSON_LD,
                  ".rdf": ox.RdfFormat.RDF_XML, ".xml": ox.RdfFormat.RDF_XML, ".owl": ox.RdfFormat.RDF_XML,
                  ".n3": ox.RdfFormat.N3}
#: formats that keep the named graphs
DATASET_FORMATS = {ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS, ox.RdfFormat.JSON_LD}


#: how much of an RDF/XML file is looked at for a DOCTYPE that declares entities
XML_HEAD_BYTES = 1 << 20
#: a percent escape: the sign that a file may hold kg IRIs of the old percent-encoded form
PERCENT_ESCAPE = re.compile(rb"%[0-9A-Fa-f]{2}")
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class GraphFileError(KgError, ValueError):
    """A graph file that cannot be read; the message names file and reason."""


def load_dataset(path: str | Path) -> ox.Dataset:
    """Parse any RDF file by its suffix; a triple format's triples land in the default graph."""
    path = Path(path)
    if not path.is_file():
        raise GraphFileError(f"{path}: no such graph file")
    fmt = SUFFIX_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise GraphFileError(f"{path}: unknown graph format (use one of {', '.join(sorted(SUFFIX_FORMATS))})")
    if fmt == ox.RdfFormat.RDF_XML:
        _refuse_xml_entities(path)
    try:
        dataset = ox.Dataset(ox.parse(path=str(path), format=fmt))
    except (SyntaxError, ValueError, OSError) as exc:
        reason = " ".join(str(exc).split())[:200]
        raise GraphFileError(f"{path}: not valid {fmt.name} ({reason})") from None
    return readable_dataset(dataset) if may_hold_percent_iris(path) else dataset


def may_hold_percent_iris(path: Path) -> bool:
    """Whether the file has a percent escape anywhere (read in chunks): only then can it hold IRIs of the
    old percent-encoded form, and only then is the dataset walked to rewrite them."""
    with path.open("rb") as handle:
        tail = b""
        while chunk := handle.read(1 << 20):
            if PERCENT_ESCAPE.search(tail + chunk):
                return True
            tail = chunk[-2:]
    return False


def _readable_term(term):
    if isinstance(term, ox.NamedNode):
        readable = readable_iri(term.value)
        return term if readable == term.value else ox.NamedNode(readable)
    if isinstance(term, ox.Triple):
        return ox.Triple(*(_readable_term(t) for t in term))
    return term


def readable_dataset(dataset: ox.Dataset) -> ox.Dataset:
    """``dataset`` with kg's IRIs in the readable form (kg.rdf.iris.readable_iri): graphs written with the
    old percent-encoded IRIs load as if written now. The same dataset when there was nothing to rewrite."""
    rewritten, changed = [], False
    for quad in dataset:
        originals = (quad.subject, quad.predicate, quad.object, quad.graph_name)
        terms = [_readable_term(t) for t in originals]
        changed = changed or any(new is not old for new, old in zip(terms, originals))
        rewritten.append(ox.Quad(*terms))
    return ox.Dataset(rewritten) if changed else dataset


def _refuse_xml_entities(path: Path) -> None:
    """An RDF/XML file that declares entities (<!ENTITY …>) could expand them without bound (the
    "billion laughs"): kg refuses it before parsing. Declarations stand in the DOCTYPE, before the root."""
    with open(path, "rb") as handle:
        head = handle.read(XML_HEAD_BYTES)
    doctype = head.find(b"<!DOCTYPE")
    if doctype == -1:
        return
    if b"<!ENTITY" in head[doctype:] or b"]>" not in head[doctype:] and b"[" in head[doctype:]:
        raise GraphFileError(f"{path}: RDF/XML that declares XML entities; kg does not expand them "
                             "(they can grow without bound): remove the DOCTYPE or convert the file")


def _refuse_xml_invalid(triples) -> None:
    """RDF/XML cannot hold characters XML 1.0 forbids (most control characters): say so, instead of
    writing a file no parser reads back."""
    for _, _, obj in triples:
        value = obj.value if isinstance(obj, ox.Literal) else ""
        bad = XML_INVALID.search(value)
        if bad:
            raise GraphFileError(f"a literal holds U+{ord(bad.group()):04X}, which RDF/XML cannot write; "
                                 "export as turtle, nt, trig, nquads or jsonld")


# Prefixes for Turtle and TriG. The ``id:`` prefix is left out: its local names hold slashes, which
# Turtle would have to escape.
_OX_PREFIXES = {prefix: ns for prefix, ns in sorted(prefix_map().items()) if prefix != "id"}


def _triple_key(triple) -> tuple[str, str, str]:
    """Sort key of a triple: its terms in N-Triples form."""
    return str(triple[0]), str(triple[1]), str(triple[2])


def turtle_bytes(triples) -> bytes:
    """Turtle of ``(s, p, o)`` triples in a stable order: same triples, same bytes."""
    return triples_bytes(triples, ox.RdfFormat.TURTLE)


def triples_bytes(triples, fmt: ox.RdfFormat = ox.RdfFormat.N_TRIPLES) -> bytes:
    """Sorted ``(s, p, o)`` triples in an Oxigraph triple format (Turtle, N-Triples, RDF/XML)."""
    ordered = [ox.Triple(*t) for t in sorted(triples, key=_triple_key)]
    return ox.serialize(ordered, format=fmt, prefixes=None if fmt == ox.RdfFormat.N_TRIPLES else _OX_PREFIXES)


def _graph_key(name) -> tuple[int, str]:
    return (0, "") if isinstance(name, ox.DefaultGraph) else (1, name.value)


def sorted_quads(dataset: ox.Dataset) -> list[ox.Quad]:
    """The quads, graph by graph (the default graph first, then by name), each graph's triples sorted."""
    return sorted(dataset, key=lambda q: (_graph_key(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))


def trig_bytes(dataset: ox.Dataset) -> bytes:
    """TriG with named graphs sorted by name, each graph's triples sorted: same dataset, same bytes."""
    return ox.serialize(sorted_quads(dataset), format=ox.RdfFormat.TRIG, prefixes=_OX_PREFIXES)


def nquads_bytes(dataset: ox.Dataset) -> bytes:
    """N-Quads, one line per quad, sorted: same dataset, same bytes."""
    lines = sorted(ox.serialize(dataset, format=ox.RdfFormat.N_QUADS).decode("utf-8").splitlines())
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else b""


def serialize(dataset: ox.Dataset, fmt: str) -> bytes:
    """``dataset`` in one of :data:`FORMATS` (turtle, nt and xml flatten the graphs into their union)."""
    if fmt not in FORMATS:
        raise GraphFileError(f"unknown format {fmt!r} (use one of {', '.join(FORMATS)})")
    oxigraph_format, _ = FORMATS[fmt]
    if fmt == "trig":
        return trig_bytes(dataset)
    if fmt == "nquads":
        return nquads_bytes(dataset)
    if oxigraph_format in DATASET_FORMATS:
        return ox.serialize(sorted_quads(dataset), format=oxigraph_format, prefixes=_OX_PREFIXES)
    triples = union_triples(dataset)
    if fmt == "xml":
        triples = list(triples)
        _refuse_xml_invalid(triples)
    return triples_bytes(triples, oxigraph_format)


__all__ = ["FORMATS", "GraphFileError", "load_dataset", "readable_dataset", "serialize"]
