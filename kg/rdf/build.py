"""Facts to RDF: an rdflib ``Dataset`` with one named graph per article.

Each article's graph holds its facts, the descriptions (type, label,
aliases) of the entities they touch, the article itself, and one reified
``rdf:Statement`` per fact carrying ``prov:wasDerivedFrom`` and
``kg:evidence``. The union of the graphs is the knowledge graph.
"""

from __future__ import annotations

from functools import lru_cache

from rdflib import Dataset, Graph, Literal, URIRef

from kg.facts import ArticleFacts, DateValue, Node, NodeKind, Relation
from kg.rdf.iris import node_iri, statement_iri
from kg.rdf.quads import QuadDataset, QuadGraph
from kg.rdf.vocab import KG, ORG, PROV, RDF, RDFS, SDO, SKOS, XSD, bind_prefixes, kg_term

PROPERTIES = {
    Relation.HOLDS: ORG.holds, Relation.MET: KG.met, Relation.SPOUSE: SDO.spouse,
    Relation.ATTENDEE: SDO.attendee, Relation.LOCATION: SDO.location, Relation.START_DATE: SDO.startDate,
    Relation.AUTHOR: SDO.author, Relation.PUBLISHER: SDO.publisher, Relation.MENTIONS: SDO.mentions,
    Relation.VISITOR: KG.visitor, Relation.DESTINATION: KG.destination, Relation.POST_IN: ORG.postIn,
}
CLASSES = {
    NodeKind.PERSON: SDO.Person, NodeKind.POST: ORG.Post, NodeKind.COUNTRY: SDO.Country,
    NodeKind.ORGANIZATION: SDO.Organization, NodeKind.PLACE: SDO.Place, NodeKind.EVENT: SDO.Event,
    NodeKind.ARTICLE: SDO.NewsArticle,
}
#: Facts about who said what are not reified (the article itself is their source).
UNREIFIED = {Relation.MENTIONS}


@lru_cache(maxsize=1 << 18)
def zh(text: str) -> Literal:
    """A Chinese-tagged literal (cached: labels and aliases repeat in every article that names the entity)."""
    return Literal(text, lang="zh")


def date_literal(value: DateValue) -> Literal:
    return Literal(value.iso(), datatype=XSD.date if value.year else XSD.gMonthDay)


def _labels(results: list[ArticleFacts], nodes: list[set[Node]]) -> tuple[dict[Node, str], dict[Node, set[str]]]:
    """One label per entity over the whole build, the other surface forms as aliases.

    ``nodes`` holds each result's ``nodes()``, computed once by the caller.
    """
    seen: dict[tuple[NodeKind, object], set[str]] = {}
    aliases: dict[tuple[NodeKind, object], set[str]] = {}
    for result, result_nodes in zip(results, nodes, strict=True):
        for node in result_nodes:
            seen.setdefault((node.kind, node.key), set()).add(node.label)
        for node, forms in result.aliases.items():
            aliases.setdefault((node.kind, node.key), set()).update(forms)
    labels, alts = {}, {}
    for result_nodes in nodes:
        for node in result_nodes:
            if node in labels:
                continue
            ident = (node.kind, node.key)
            label = min(seen[ident], key=lambda s: (len(s), s))
            labels[node] = label
            alts[node] = (seen[ident] | aliases.get(ident, set())) - {label}
    return labels, alts


def describe(graph: Graph | QuadGraph, node: Node, label: str, aliases: set[str]) -> URIRef:
    """Type, label and aliases of one entity."""
    iri = node_iri(node)
    graph.add((iri, RDF.type, CLASSES[node.kind]))
    if node.kind == NodeKind.EVENT and node.klass:
        graph.add((iri, RDF.type, kg_term(node.klass)))
    if node.kind != NodeKind.ARTICLE:
        graph.add((iri, RDFS.label, zh(label)))
        for alias in aliases:
            graph.add((iri, SKOS.altLabel, zh(alias)))
    return iri


def describe_article(graph: Graph | QuadGraph, result: ArticleFacts) -> URIRef:
    article = result.article
    iri = describe(graph, result.node, "", set())
    graph.add((iri, SDO.identifier, Literal(article.id)))
    if article.title:
        graph.add((iri, SDO.headline, zh(article.title)))
    if article.date:
        graph.add((iri, SDO.datePublished, Literal(article.date.isoformat(), datatype=XSD.date)))
    if article.dateline:
        graph.add((iri, SDO.dateline, zh(article.dateline.text)))
    if article.path:
        graph.add((iri, SDO.url, Literal(article.path)))
    graph.add((iri, KG.contentHash, Literal(article.content_hash)))
    return iri


def build_dataset(results: list[ArticleFacts]) -> QuadDataset:
    """All articles' facts as a dataset of per-article named graphs (``.to_rdflib()`` for rdflib's)."""
    dataset = QuadDataset()
    nodes = [result.nodes() for result in results]
    labels, alts = _labels(results, nodes)
    for result, result_nodes in zip(results, nodes, strict=True):
        art = node_iri(result.node)
        graph = dataset.graph(art)
        describe_article(graph, result)
        for node in result_nodes - {result.node}:
            describe(graph, node, labels[node], alts[node])
        for fact in result.facts:
            subject = node_iri(fact.subject)
            predicate = PROPERTIES[fact.relation]
            obj = date_literal(fact.object) if isinstance(fact.object, DateValue) else node_iri(fact.object)
            graph.add((subject, predicate, obj))
            if fact.relation in UNREIFIED:
                continue
            statement = statement_iri(subject, predicate, obj, art)
            graph.add((statement, RDF.type, RDF.Statement))
            graph.add((statement, RDF.subject, subject))
            graph.add((statement, RDF.predicate, predicate))
            graph.add((statement, RDF.object, obj))
            graph.add((statement, PROV.wasDerivedFrom, art))
            evidence = fact.evidence or (result.article.dateline.text if result.article.dateline else None)
            if evidence:
                graph.add((statement, KG.evidence, zh(evidence)))
    return dataset


def add_same_story(dataset: QuadDataset, pairs: list[tuple[str, str, float]], results: list[ArticleFacts]) -> None:
    """Link near-duplicate articles with ``kg:sameStoryAs``, each link in the named graph of its subject."""
    iris = {result.article.id: node_iri(result.node) for result in results}
    for a, b, _ in pairs:
        if a in iris and b in iris:
            dataset.graph(iris[a]).add((iris[a], KG.sameStoryAs, iris[b]))
            dataset.graph(iris[b]).add((iris[b], KG.sameStoryAs, iris[a]))


def union_graph(dataset: Dataset | QuadDataset) -> Graph:
    """Every triple of every named graph in one graph."""
    graph = bind_prefixes(Graph())
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph
