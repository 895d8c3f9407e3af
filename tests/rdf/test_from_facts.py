"""Facts made by hand to RDF: classes, properties, reified evidence, stable IRIs, date literals."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from kg.facts import ArticleFacts, DateValue, EventKey, Node, NodeKind, Relation, article_node, person_node
from kg.io.articles import Article
from kg.rdf.build import build_dataset
from kg.rdf.iris import node_iri
from kg.rdf.validate import rdflib_graph
from kg.rdf.vocab import ID, KG, ORG, PROV, SDO

ARTICLE = Article(id="a1", text="国务院总理李强同新加坡总理黄循财举行会谈。", title="李强同黄循财会谈")
POST = Node(NodeKind.POST, "国务院总理", "国务院总理")
TALKS = Node(NodeKind.EVENT, EventKey("Talks", ("李强", "黄循财"), "2024-03-28"), "会谈", "Talks")
SENTENCE = "国务院总理李强同新加坡总理黄循财举行会谈。"


def facts() -> ArticleFacts:
    result = ArticleFacts(ARTICLE, article_node(ARTICLE))
    result.add(person_node("李强"), Relation.HOLDS, POST, SENTENCE)
    result.add(person_node("李强"), Relation.MET, person_node("黄循财"), SENTENCE)
    result.add(TALKS, Relation.ATTENDEE, person_node("黄循财"), SENTENCE)
    result.add(TALKS, Relation.START_DATE, DateValue(2024, 3, 28), SENTENCE)
    result.add(result.node, Relation.MENTIONS, person_node("李强"), SENTENCE)
    result.alias(person_node("李强"), "国务院总理李强")
    return result


def test_entities_get_stable_iris_and_events_a_digest_of_their_key():
    assert node_iri(person_node("李强")).value == str(ID) + "person/李强"
    assert node_iri(TALKS).value.startswith(str(ID) + "event/") and node_iri(TALKS) == node_iri(
        Node(NodeKind.EVENT, EventKey("Talks", ("李强", "黄循财"), "2024-03-28"), "另一个标签", "Talks"))


def test_facts_become_typed_triples_in_the_article_graph():
    dataset = build_dataset([facts()])
    # the article's graph, and the derived graph of its post-holding (kg.rdf.tenures)
    assert {quad.graph_name.value for quad in dataset} == {node_iri(article_node(ARTICLE)).value,
                                                          "https://kg.example/graph/derived"}
    triples = set(rdflib_graph(dataset))
    li, post, talks = (URIRef(node_iri(n).value) for n in (person_node("李强"), POST, TALKS))
    assert (li, RDF.type, SDO.Person) in triples and (post, RDF.type, ORG.Post) in triples
    assert (talks, RDF.type, KG.Talks) in triples and (talks, RDF.type, SDO.Event) in triples
    assert (li, ORG.holds, post) in triples and (li, KG.met, URIRef(node_iri(person_node("黄循财")).value)) in triples
    assert (talks, SDO.startDate, Literal("2024-03-28", datatype=XSD.date)) in triples
    assert (li, RDFS.label, Literal("李强", lang="zh")) in triples


def test_each_fact_but_mentions_is_reified_with_its_sentence_and_article():
    dataset = build_dataset([facts()])
    graph = rdflib_graph(dataset)
    statements = set(graph.subjects(RDF.type, RDF.Statement))
    assert len(statements) == 4  # holds, met, attendee, startDate; mentions are not reified
    for statement in statements:
        assert graph.value(statement, KG.evidence) == Literal(SENTENCE, lang="zh")
        assert graph.value(statement, PROV.wasDerivedFrom) == URIRef(node_iri(article_node(ARTICLE)).value)


def test_the_same_facts_give_the_same_triples():
    assert set(build_dataset([facts()])) == set(build_dataset([facts()]))
