"""RDF output: vocabulary, provenance, stable IRIs, determinism, formats."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import ARTICLES, ROOT, SAMPLES, read_with_rdflib
from rdflib import Graph, Literal
from rdflib.namespace import RDF, RDFS

from kg.rdf.files import FORMATS
from kg.rdf.vocab import KG, PROV, SDO


def test_every_kg_term_is_declared_with_labels_and_comment(built):
    ontology = Graph().parse(ROOT / "schemas" / "kg.ttl")
    used = set()
    for triple in read_with_rdflib(built["all"] / "graph.trig").quads((None, None, None, None)):
        used |= {t for t in triple[:3] if str(t).startswith(str(KG))}
    assert used, "the graph uses kg: terms"
    for term in used:
        langs = {lbl.language for lbl in ontology.objects(term, RDFS.label)}
        assert {"zh", "en"} <= langs, f"{term} lacks zh/en labels"
        assert ontology.value(term, RDFS.comment) is not None, f"{term} lacks a comment"


def test_met_is_declared_symmetric():
    ontology = Graph().parse(ROOT / "schemas" / "kg.ttl")
    from rdflib.namespace import OWL
    assert (KG.met, RDF.type, OWL.SymmetricProperty) in ontology


def test_each_article_has_a_named_graph_with_reified_evidence(built):
    dataset = read_with_rdflib(built["all"] / "graph.trig")
    derived = "https://kg.example/graph/derived"  # what kg derives from all articles (kg.rdf.tenures)
    names = {str(g.identifier) for g in dataset.graphs() if len(g)} - {derived}
    articles = {str(a) for a in dataset.subjects(RDF.type, SDO.NewsArticle)}
    assert articles == names and len(names) == len(SAMPLES)
    for graph in (g for g in dataset.graphs() if len(g) and str(g.identifier) != derived):
        holds = list(graph.triples((None, URIRef_holds(), None)))
        assert holds
        for s, p, o in holds:
            statements = [st for st in graph.subjects(RDF.subject, s)
                          if (st, RDF.predicate, p) in graph and (st, RDF.object, o) in graph]
            assert statements, f"no statement for {s} {p} {o}"
            st = statements[0]
            assert (st, PROV.wasDerivedFrom, graph.identifier) in graph
            evidence = str(graph.value(st, KG.evidence))
            label = str(graph.value(s, RDFS.label))
            assert label in evidence


def URIRef_holds():
    from kg.rdf.vocab import ORG
    return ORG.holds


def test_one_node_per_person_across_both_samples(built):
    graph = read_with_rdflib(built["all"] / "graph.ttl")
    labels = [str(graph.value(p, RDFS.label)) for p in set(graph.subjects(RDF.type, SDO.Person))]
    assert len(labels) == len(set(labels))
    for person in set(graph.subjects(RDF.type, SDO.Person)):
        assert len(list(graph.objects(person, RDFS.label))) == 1


def test_separate_builds_merge_by_union(built):
    union = Graph()
    for name in SAMPLES:
        for triple in read_with_rdflib(built[name] / "graph.ttl").triples((None, None, None)):
            union.add(triple)
    people = {str(union.value(p, RDFS.label)) for p in union.subjects(RDF.type, SDO.Person)}
    persons = set(union.subjects(RDF.type, SDO.Person))
    assert len(persons) == len(people)
    together = read_with_rdflib(built["all"] / "graph.ttl")
    assert persons == set(together.subjects(RDF.type, SDO.Person))


def test_same_input_gives_same_bytes_across_processes(tmp_path):
    """Two builds in fresh interpreters with different hash seeds write identical files."""
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"run{seed}"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run([sys.executable, "-m", "kg.out.cli", "build", str(ARTICLES), "-o", str(out)],
                       check=True, env=env, capture_output=True)
        outputs.append(out)
    for name in ("graph.ttl", "graph.trig", "graph.html"):
        assert (outputs[0] / name).read_bytes() == (outputs[1] / name).read_bytes(), name


def test_dates_are_typed(built):
    graph = read_with_rdflib(built[SAMPLES[0]] / "graph.ttl")
    dates = [o for o in graph.objects(None, SDO.startDate)]
    assert dates and all(isinstance(d, Literal) and d.datatype is not None for d in dates)
    assert {str(d) for d in dates} == {"--11-09"}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_export_round_trips(built, tmp_path, fmt):
    from kg.out.cli import main

    target = tmp_path / f"graph{FORMATS[fmt][1]}"
    assert main(["export", str(built["all"] / "graph.trig"), "--format", fmt, "-o", str(target)]) == 0
    original = read_with_rdflib(built["all"] / "graph.trig")
    again = read_with_rdflib(target)
    assert set(again.triples((None, None, None))) == set(original.triples((None, None, None)))


def test_each_evidence_is_located_by_its_character_offsets(built):
    from kg.nlp.article_parts import read_articles

    texts = [article.text for article in read_articles([ARTICLES])]
    graph = read_with_rdflib(built["all"] / "graph.trig")
    rows = list(graph.query("""
        PREFIX kg: <https://kg.example/ontology#> PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?statement ?start ?end (GROUP_CONCAT(?evidence; separator="\\u0001") AS ?evidences)
        WHERE { ?statement kg:evidence ?evidence ; kg:evidenceAt ?at . ?at oa:start ?start ; oa:end ?end }
        GROUP BY ?statement ?start ?end"""))
    assert len(rows) > 50
    for _, start, end, evidences in rows:
        assert any(text[int(start):int(end)] in str(evidences).split("\u0001") for text in texts)
