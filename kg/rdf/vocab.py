"""The vocabulary, declared once: namespaces, prefixes, and the ``kg:`` terms of ``schemas/kg.ttl``.

``KG`` is closed over the terms the ontology declares: ``KG["Nope"]`` is an
error, not a new IRI, so a typo or a lexicon's unknown event class cannot
mint terms no one declared. Labels for the page's legend and tables come
from the same file (``rdfs:label`` in zh and en, ``kg:legendColour``,
``kg:legendOrder``).
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD, ClosedNamespace

from kg import KgError

#: ``schemas/``, installed inside the package as ``kg.schemas``
SCHEMAS = Path(str(resources.files("kg.schemas")))
ONTOLOGY = SCHEMAS / "kg.ttl"

BASE = "https://kg.example/"
ID = Namespace(BASE + "id/")
SDO = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
OA = Namespace("http://www.w3.org/ns/oa#")  # W3C Web Annotation: where in a text the evidence stands
TIME = Namespace("http://www.w3.org/2006/time#")  # W3C OWL-Time: the intervals posts are held in


@lru_cache(maxsize=1)
def ontology() -> Graph:
    """``schemas/kg.ttl``, parsed once."""
    return Graph().parse(ONTOLOGY, format="turtle")


def _declared_terms(namespace: str) -> list[str]:
    graph = ontology()
    return sorted({str(s)[len(namespace):] for s in graph.subjects(RDF.type, None)
                   if str(s).startswith(namespace) and len(str(s)) > len(namespace)})


KG = ClosedNamespace(BASE + "ontology#", _declared_terms(BASE + "ontology#"))

PREFIXES = {
    "kg": KG, "id": ID, "schema": SDO, "org": ORG, "prov": PROV, "rdf": RDF, "rdfs": RDFS,
    "skos": SKOS, "xsd": XSD, "owl": OWL, "oa": OA, "time": TIME,
}


class VocabularyError(KgError):
    """A ``kg:`` term that ``schemas/kg.ttl`` does not declare."""


def kg_term(name: str) -> URIRef:
    """``kg:name``, declared in the ontology, or a one-line :class:`VocabularyError`."""
    try:
        return KG[name]
    except KeyError:
        raise VocabularyError(f"kg:{name} is not declared in {ONTOLOGY.name} (declare it there first)") from None


@lru_cache(maxsize=256)
def named(term: URIRef) -> ox.NamedNode:
    """A vocabulary term as the Oxigraph term graphs are built and read with (made once per term)."""
    return ox.NamedNode(str(term))


def _reification_terms() -> tuple[ox.NamedNode, ...]:
    return tuple(named(t) for t in (RDF.type, RDFS.label, SKOS.altLabel, RDF.Statement, RDF.subject, RDF.predicate,
                                    RDF.object, PROV.wasDerivedFrom, KG.evidence))


#: the terms every graph kg writes and reads is made of, in Oxigraph form: types, labels, and the
#: reified statement of each fact with its source and evidence
A, LABEL, ALT_LABEL, STATEMENT, SUBJECT, PREDICATE, OBJECT, DERIVED_FROM, EVIDENCE = _reification_terms()
#: the evidence's place in the article text: ``kg:evidenceAt`` an ``oa:TextPositionSelector`` with
#: ``oa:start`` and ``oa:end`` (character offsets) and ``oa:exact`` (the evidence itself)
EVIDENCE_AT, POSITION_SELECTOR, POSITION_START, POSITION_END, EXACT = (
    named(KG.evidenceAt), named(OA.TextPositionSelector), named(OA.start), named(OA.end), named(OA.exact))


def bind_prefixes(graph: Graph, override: bool = True) -> Graph:
    """Bind kg's prefixes on ``graph`` (a Graph or Dataset) and return it."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=override)
    return graph


def prefix_map() -> dict[str, str]:
    """Prefix -> namespace IRI, as SPARQL engines and serializers take them."""
    return {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


def display_name(term: URIRef) -> str:
    """The ontology's labels of ``term`` as the page shows them: ``"人物 Person"``."""
    labels = {label.language: str(label) for label in ontology().objects(term, RDFS.label)}
    if "zh" not in labels or "en" not in labels:
        raise KeyError(f"{term} has no zh and en rdfs:label in {ONTOLOGY.name}")
    return f"{labels['zh']} {labels['en']}"


def ordered_terms(order: URIRef) -> list[URIRef]:
    """The terms the ontology ranks with ``order`` (kg:legendOrder for classes, kg:relationOrder for properties)."""
    graph = ontology()
    return [term for _, term in sorted((int(rank), term) for term, rank in graph.subject_objects(order))]


def symmetric_properties() -> set[URIRef]:
    """The properties the ontology declares symmetric (kg:met, schema:spouse)."""
    return set(ontology().subjects(RDF.type, OWL.SymmetricProperty))


def legend_colour(term: URIRef) -> str:
    """The colour the page gives a class."""
    colour = ontology().value(term, KG.legendColour)
    if colour is None:
        raise KeyError(f"{term} has no kg:legendColour in {ONTOLOGY.name}")
    return str(colour)


__all__ = [
    "ALT_LABEL",
    "BASE",
    "DERIVED_FROM",
    "EVIDENCE",
    "EVIDENCE_AT",
    "EXACT",
    "ID",
    "KG",
    "LABEL",
    "OA",
    "OBJECT",
    "ORG",
    "OWL",
    "POSITION_END",
    "POSITION_SELECTOR",
    "POSITION_START",
    "PREDICATE",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SDO",
    "SKOS",
    "STATEMENT",
    "SUBJECT",
    "TIME",
    "XSD",
    "A",
    "VocabularyError",
    "bind_prefixes",
    "display_name",
    "kg_term",
    "legend_colour",
    "named",
    "ontology",
    "ordered_terms",
    "prefix_map",
    "symmetric_properties",
]
