"""The entity network of a graph, as networkx sees it: what the page draws and ``kg stats`` measures.

Nodes are the entities kg writes (persons, posts, events, countries,
organizations, places, articles), each with its label, type and aliases.
Edges are the relations between them, each with the sentences and articles
that say so (from the reified statements).
"""

from __future__ import annotations

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from kg.rdf.vocab import KG, SDO, display_name, legend_colour, ordered_terms, symmetric_properties

#: class -> (legend name, colour), from schemas/kg.ttl; the first listed wins when a node has several
#: (an event is also kg:Talks)
NODE_TYPES = {klass: (display_name(klass), legend_colour(klass)) for klass in ordered_terms(KG.legendOrder)}
#: property -> relation name shown on the page and in tables, from schemas/kg.ttl
EDGE_TYPES = {prop: display_name(prop) for prop in ordered_terms(KG.relationOrder)}
SYMMETRIC = symmetric_properties()
MEASURES = ("degree", "pagerank")


def node_type(graph: Graph, node: URIRef) -> URIRef | None:
    """The class the page files ``node`` under, or None when kg does not draw it."""
    types = set(graph.objects(node, RDF.type))
    for klass in NODE_TYPES:
        if klass in types:
            return klass
    return None


def node_label(graph: Graph, node: URIRef) -> str:
    """A node's display name: its label, else an article's headline, else the end of its IRI."""
    for predicate in (RDFS.label, SDO.headline, SDO.identifier):
        values = sorted(str(v) for v in graph.objects(node, predicate))
        if values:
            return values[0]
    return str(node).rsplit("/", 1)[-1]


def evidence_of(graph: Graph) -> dict[tuple, list[dict[str, str]]]:
    """(s, p, o) -> the evidence of that fact: [{"sentence", "article"}], article as its headline."""
    out: dict[tuple, list[dict[str, str]]] = {}
    for statement in graph.subjects(RDF.type, RDF.Statement):
        key = (graph.value(statement, RDF.subject), graph.value(statement, RDF.predicate),
               graph.value(statement, RDF.object))
        article = graph.value(statement, PROV.wasDerivedFrom)
        source = node_label(graph, article) if article is not None else ""
        for sentence in graph.objects(statement, KG.evidence):
            out.setdefault(key, []).append({"sentence": str(sentence), "article": source})
    return out


def entity_network(graph: Graph) -> nx.MultiDiGraph:
    """The entities and relations of ``graph`` as a networkx multigraph (edge key = relation)."""
    net = nx.MultiDiGraph()
    for klass in NODE_TYPES:
        for node in graph.subjects(RDF.type, klass):
            if not isinstance(node, URIRef) or node in net:
                continue
            kind = node_type(graph, node)
            net.add_node(node, label=node_label(graph, node), kind=NODE_TYPES[kind][0],
                         color=NODE_TYPES[kind][1], person=kind == SDO.Person,
                         aliases=sorted(str(a) for a in graph.objects(node, SKOS.altLabel)),
                         dates=sorted(str(d) for d in graph.objects(node, SDO.startDate)))
    evidence = evidence_of(graph)
    for predicate, name in EDGE_TYPES.items():
        for s, o in sorted(graph.subject_objects(predicate), key=lambda t: (str(t[0]), str(t[1]))):
            if s not in net or o not in net:
                continue
            symmetric = predicate in SYMMETRIC
            if symmetric and net.has_edge(o, s, key=name):
                continue  # one edge for both directions of a symmetric relation
            found = evidence.get((s, predicate, o), []) + evidence.get((o, predicate, s), [])
            unique = sorted({(e["sentence"], e["article"]) for e in found})
            net.add_edge(s, o, key=name, relation=name, symmetric=symmetric,
                         evidence=[{"sentence": t, "article": a} for t, a in unique])
    return net


def find_nodes(net: nx.MultiDiGraph, name: str) -> list[URIRef]:
    """Nodes whose label or alias is ``name`` (exactly), else those whose label contains it."""
    exact = [n for n, d in net.nodes(data=True) if name == d["label"] or name in d["aliases"]]
    if exact:
        return sorted(exact, key=str)
    return sorted((n for n, d in net.nodes(data=True) if name in d["label"]), key=str)


def neighbourhood(net: nx.MultiDiGraph, focus: str, hops: int) -> nx.MultiDiGraph:
    """The part of ``net`` within ``hops`` relations of the entity named ``focus`` (either direction)."""
    centres = find_nodes(net, focus)
    if not centres:
        raise LookupError(f"no entity named {focus!r} in the graph")
    undirected = net.to_undirected(as_view=True)
    keep: set = set()
    for centre in centres:
        keep |= set(nx.single_source_shortest_path_length(undirected, centre, cutoff=hops))
    return net.subgraph(keep).copy()


def centrality(net: nx.MultiDiGraph, measure: str = "degree") -> dict:
    """Node -> importance: its number of distinct neighbours, or its PageRank on the undirected graph."""
    simple = nx.Graph(net.to_undirected(as_view=True))
    if measure == "pagerank":
        return nx.pagerank(simple) if len(simple) else {}
    if measure == "degree":
        return dict(simple.degree())
    raise ValueError(f"unknown measure {measure!r} (use one of {', '.join(MEASURES)})")
