"""The entity network of a graph, as networkx sees it: what the page draws and ``kg stats`` measures.

Nodes are the entities kg writes (persons, posts, events, countries,
organizations, places, articles), each with its label, type and aliases.
Edges are the relations between them, each with the sentences and articles
that say so (from the reified statements).
"""

from __future__ import annotations

import networkx as nx
import pyoxigraph as ox

from kg.rdf.triples import TripleIndex
from kg.rdf.vocab import (
    ALT_LABEL,
    DERIVED_FROM,
    EVIDENCE,
    KG,
    LABEL,
    OBJECT,
    ORG,
    PREDICATE,
    SDO,
    STATEMENT,
    SUBJECT,
    A,
    display_name,
    legend_colour,
    named,
    ordered_terms,
    symmetric_properties,
)

#: class -> (legend name, colour), from schemas/kg.ttl; the first listed wins when a node has several
#: (an event is also kg:Talks)
NODE_TYPES = {named(klass): (display_name(klass), legend_colour(klass)) for klass in ordered_terms(KG.legendOrder)}
#: property -> relation name shown on the page and in tables, from schemas/kg.ttl
EDGE_TYPES = {named(prop): display_name(prop) for prop in ordered_terms(KG.relationOrder)}
SYMMETRIC = {named(prop) for prop in symmetric_properties()}
MEASURES = ("degree", "pagerank")

PERSON, START_DATE, PUBLISHED = named(SDO.Person), named(SDO.startDate), named(SDO.datePublished)
ARTICLE = named(SDO.NewsArticle)
HOLDS, MEMBER = named(ORG.holds), named(ORG.member)
MEMBERSHIP_POST, CURRENT = named(KG.post), named(KG.current)
NAMES = (LABEL, named(SDO.headline), named(SDO.identifier))

#: what the network reads: an index of a dataset's union, or the dataset itself
Source = TripleIndex | ox.Dataset


def node_type(graph: TripleIndex, node: ox.NamedNode) -> ox.NamedNode | None:
    """The class the page files ``node`` under, or None when kg does not draw it."""
    types = set(graph.objects(node, A))
    for klass in NODE_TYPES:
        if klass in types:
            return klass
    return None


def node_label(graph: TripleIndex, node: ox.NamedNode) -> str:
    """A node's display name: its label, else an article's headline, else the end of its IRI."""
    for predicate in NAMES:
        values = sorted(v.value for v in graph.objects(node, predicate))
        if values:
            return values[0]
    return node.value.rsplit("/", 1)[-1]


def evidence_of(graph: TripleIndex) -> dict[tuple, list[dict[str, str]]]:
    """(s, p, o) -> the evidence of that fact: [{"sentence", "article", "date"}], the article as its
    headline, the date as the day it speaks for ("" when undated)."""
    out: dict[tuple, list[dict[str, str]]] = {}
    for statement in graph.subjects(A, STATEMENT):
        key = (graph.value(statement, SUBJECT), graph.value(statement, PREDICATE), graph.value(statement, OBJECT))
        article = graph.value(statement, DERIVED_FROM)
        source = node_label(graph, article) if article is not None else ""
        published = graph.value(article, PUBLISHED) if article is not None else None
        for sentence in graph.objects(statement, EVIDENCE):
            out.setdefault(key, []).append({"sentence": sentence.value, "article": source,
                                            "date": published.value if published is not None else ""})
    return out


def current_holdings(graph: TripleIndex) -> set[tuple]:
    """(person, post) pairs whose membership (kg.rdf.tenures) is held by the latest article: on the page's
    time axis they run on past their last attestation."""
    held = set()
    for membership, post in graph.subject_objects(MEMBERSHIP_POST):
        current = graph.value(membership, CURRENT)
        person = graph.value(membership, MEMBER)
        if person is not None and current is not None and current.value == "true":
            held.add((person, post))
    return held


def entity_network(source: Source) -> nx.MultiDiGraph:
    """The entities and relations of a graph as a networkx multigraph (edge key = relation).

    Nodes are IRI strings, each with its label, kind, colour, aliases and dates.
    """
    graph = source if isinstance(source, TripleIndex) else TripleIndex.of(source)
    net = nx.MultiDiGraph()
    for klass in NODE_TYPES:
        for node in graph.subjects(A, klass):
            if not isinstance(node, ox.NamedNode) or node.value in net:
                continue
            kind = node_type(graph, node)
            net.add_node(node.value, label=node_label(graph, node), kind=NODE_TYPES[kind][0],
                         color=NODE_TYPES[kind][1], person=kind == PERSON, article=kind == ARTICLE,
                         aliases=sorted(a.value for a in graph.objects(node, ALT_LABEL)),
                         dates=sorted(d.value for d in graph.objects(node, START_DATE)))
    evidence = evidence_of(graph)
    ongoing = current_holdings(graph)
    for predicate, name in EDGE_TYPES.items():
        for s, o in graph.subject_objects(predicate):
            if s.value not in net or o.value not in net:
                continue
            symmetric = predicate in SYMMETRIC
            if symmetric and net.has_edge(o.value, s.value, key=name):
                continue  # one edge for both directions of a symmetric relation
            found = evidence.get((s, predicate, o), []) + evidence.get((o, predicate, s), [])
            unique = sorted({(e["sentence"], e["article"], e["date"]) for e in found})
            # The days the articles that state it speak for: when the fact is attested (the page's time axis).
            net.add_edge(s.value, o.value, key=name, relation=name, predicate=predicate.value, symmetric=symmetric,
                         evidence=[{"sentence": t, "article": a, "date": d} for t, a, d in unique],
                         dates=sorted({d for _, _, d in unique if d}),
                         ongoing=predicate == HOLDS and (s, o) in ongoing)
    return net


def find_nodes(net: nx.MultiDiGraph, name: str) -> list[str]:
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
