"""Facts to RDF: an Oxigraph ``Dataset`` with one named graph per article.

Each article's graph holds its facts, the descriptions (type, label,
aliases) of the entities they touch, the article itself, and one reified
``rdf:Statement`` per fact carrying ``prov:wasDerivedFrom`` and
``kg:evidence``. The union of the graphs is the knowledge graph. Terms are
Oxigraph's from the start: the files, the store and the page read the same
dataset, with no conversion on the way.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import pyoxigraph as ox

from kg.facts import ArticleFacts, DateValue, Node, NodeKind, Relation
from kg.rdf.iris import node_iri, statement_iri
from kg.rdf.tenures import add_event_codes, add_tenures, attested_on
from kg.rdf.vocab import (
    ALT_LABEL,
    DERIVED_FROM,
    EVIDENCE,
    EVIDENCE_AT,
    KG,
    LABEL,
    OBJECT,
    ORG,
    POSITION_END,
    POSITION_START,
    PREDICATE,
    SDO,
    STATEMENT,
    SUBJECT,
    XSD,
    A,
    kg_term,
    named,
)

PROPERTIES = {relation: named(term) for relation, term in {
    Relation.HOLDS: ORG.holds, Relation.MET: KG.met, Relation.SPOUSE: SDO.spouse,
    Relation.ATTENDEE: SDO.attendee, Relation.LOCATION: SDO.location, Relation.START_DATE: SDO.startDate,
    Relation.AUTHOR: SDO.author, Relation.PUBLISHER: SDO.publisher, Relation.MENTIONS: SDO.mentions,
    Relation.VISITOR: KG.visitor, Relation.DESTINATION: KG.destination, Relation.POST_IN: ORG.postIn,
    Relation.TOOK_UP: KG.tookUpPost, Relation.LEFT: KG.leftPost, Relation.FORMERLY: KG.formerlyHeld,
    Relation.ELECT: KG.postElect,
}.items()}
CLASSES = {kind: named(term) for kind, term in {
    NodeKind.PERSON: SDO.Person, NodeKind.POST: ORG.Post, NodeKind.COUNTRY: SDO.Country,
    NodeKind.ORGANIZATION: SDO.Organization, NodeKind.PLACE: SDO.Place, NodeKind.EVENT: SDO.Event,
    NodeKind.ARTICLE: SDO.NewsArticle,
}.items()}
#: Facts about who said what are not reified (the article itself is their source).
UNREIFIED = {Relation.MENTIONS}

SAME_STORY = named(KG.sameStoryAs)
DATE, MONTH_DAY, XSD_INTEGER = named(XSD.date), named(XSD.gMonthDay), named(XSD.integer)

#: adds one triple to one named graph
AddTriple = Callable[[object, ox.NamedNode, object], None]


@lru_cache(maxsize=1 << 18)
def zh(text: str) -> ox.Literal:
    """A Chinese-tagged literal (cached: labels and aliases repeat in every article that names the entity)."""
    return ox.Literal(text, language="zh")


def date_literal(value: DateValue) -> ox.Literal:
    return ox.Literal(value.iso(), datatype=DATE if value.year else MONTH_DAY)


def graph_adder(dataset: ox.Dataset, name: ox.NamedNode) -> AddTriple:
    """A function that adds triples to the graph ``name`` of ``dataset``."""
    add = dataset.add
    return lambda s, p, o: add(ox.Quad(s, p, o, name))


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


def describe(add: AddTriple, node: Node, label: str, aliases: set[str]) -> ox.NamedNode:
    """Type, label and aliases of one entity."""
    iri = node_iri(node)
    add(iri, A, CLASSES[node.kind])
    if node.kind == NodeKind.EVENT and node.klass:
        add(iri, A, named(kg_term(node.klass)))
    if node.kind != NodeKind.ARTICLE:
        add(iri, LABEL, zh(label))
        for alias in aliases:
            add(iri, ALT_LABEL, zh(alias))
    return iri


def describe_article(add: AddTriple, result: ArticleFacts) -> ox.NamedNode:
    article = result.article
    iri = describe(add, result.node, "", set())
    add(iri, named(SDO.identifier), ox.Literal(article.id))
    if article.title:
        add(iri, named(SDO.headline), zh(article.title))
    published = attested_on(article)  # the metadata's date, else the dateline's day
    if published:
        add(iri, named(SDO.datePublished), ox.Literal(published.isoformat(), datatype=DATE))
    if article.dateline:
        add(iri, named(SDO.dateline), zh(article.dateline.text))
    if article.path:
        add(iri, named(SDO.url), ox.Literal(article.path))
    add(iri, named(KG.contentHash), ox.Literal(article.content_hash))
    return iri


def build_dataset(results: list[ArticleFacts]) -> ox.Dataset:
    """All articles' facts as a dataset of per-article named graphs, and the posts in time that they
    attest together (:mod:`kg.rdf.tenures`)."""
    dataset = ox.Dataset()
    nodes = [result.nodes() for result in results]
    labels, alts = _labels(results, nodes)
    for result, result_nodes in zip(results, nodes, strict=True):
        art = node_iri(result.node)
        add = graph_adder(dataset, art)
        describe_article(add, result)
        for node in result_nodes - {result.node}:
            describe(add, node, labels[node], alts[node])
        for fact in result.facts:
            subject = node_iri(fact.subject)
            predicate = PROPERTIES[fact.relation]
            obj = date_literal(fact.object) if isinstance(fact.object, DateValue) else node_iri(fact.object)
            add(subject, predicate, obj)
            if fact.relation in UNREIFIED:
                continue
            statement = statement_iri(subject, predicate, obj, art)
            add(statement, A, STATEMENT)
            add(statement, SUBJECT, subject)
            add(statement, PREDICATE, predicate)
            add(statement, OBJECT, obj)
            add(statement, DERIVED_FROM, art)
            evidence = fact.evidence or (result.article.dateline.text if result.article.dateline else None)
            if evidence:
                add(statement, EVIDENCE, zh(evidence))
            if fact.evidence and fact.start is not None:
                # where the evidence stands in the article text (W3C Web Annotation's TextPositionSelector)
                at = ox.NamedNode(f"{statement.value}/at/{fact.start}-{fact.end}")
                add(statement, EVIDENCE_AT, at)  # an oa:TextPositionSelector (the range kg.ttl declares)
                add(at, POSITION_START, ox.Literal(str(fact.start), datatype=XSD_INTEGER))
                add(at, POSITION_END, ox.Literal(str(fact.end), datatype=XSD_INTEGER))
    add_tenures(dataset, results)
    add_event_codes(dataset)
    return dataset


def add_same_story(dataset: ox.Dataset, pairs: list[tuple[str, str, float]], results: list[ArticleFacts]) -> None:
    """Link near-duplicate articles with ``kg:sameStoryAs``, each link in the named graph of its subject."""
    iris = {result.article.id: node_iri(result.node) for result in results}
    for a, b, _ in pairs:
        if a in iris and b in iris:
            dataset.add(ox.Quad(iris[a], SAME_STORY, iris[b], iris[a]))
            dataset.add(ox.Quad(iris[b], SAME_STORY, iris[a], iris[b]))
