"""``kg validate``: check a built graph against kg's SHACL shapes (``schemas/shapes.ttl``) with pyshacl.

pySHACL works on rdflib graphs: this is where kg's Oxigraph dataset is
handed to rdflib, as N-Triples of the union of its graphs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from kg.rdf.files import GraphFileError, triples_bytes
from kg.rdf.triples import union_triples
from kg.rdf.vocab import SCHEMAS, bind_prefixes

SHAPES = SCHEMAS / "shapes.ttl"


@dataclass(frozen=True)
class Violation:
    """One failed constraint: the node, the property path and the message."""

    focus: str
    path: str
    message: str
    severity: str


def _load_shapes(path: Path) -> Graph:
    shapes = Graph()
    try:
        shapes.parse(str(path), format="turtle")
    except (OSError, ValueError) as exc:
        raise GraphFileError(f"{path}: cannot read the shapes ({' '.join(str(exc).split())[:160]})") from None
    except Exception as exc:  # noqa: BLE001 - the Turtle parser raises its own types
        raise GraphFileError(f"{path}: not valid Turtle ({' '.join(str(exc).split())[:160]})") from None
    return shapes


def rdflib_graph(dataset: ox.Dataset) -> Graph:
    """The union of ``dataset``'s graphs as an rdflib graph, kg's prefixes bound."""
    return bind_prefixes(Graph()).parse(data=triples_bytes(union_triples(dataset)), format="nt")


def validate(graph: Graph | ox.Dataset, shapes_path: Path = SHAPES) -> list[Violation]:
    """The violations of ``graph`` against the shapes; an empty list when it conforms."""
    from pyshacl import validate as shacl_validate

    if isinstance(graph, ox.Dataset):
        graph = rdflib_graph(graph)

    conforms, report, _ = shacl_validate(graph, shacl_graph=_load_shapes(shapes_path), inference="none",
                                         allow_warnings=True)
    if conforms:
        return []
    found = []
    for result in report.subjects(SH.resultSeverity, None):
        message = report.value(result, SH.resultMessage)
        path = report.value(result, SH.resultPath)
        found.append(Violation(
            focus=str(report.value(result, SH.focusNode)),
            path=graph.namespace_manager.normalizeUri(path) if isinstance(path, URIRef) else "",
            message=str(message) if message is not None else "constraint failed",
            severity=str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]))
    return sorted(found, key=lambda v: (v.focus, v.path, v.message))
