"""kg stats, kg validate and kg view --focus on the sample graph."""

from __future__ import annotations

import json
import re

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS
from test_cli import one_line_error, run_kg

from kg.out.network import centrality, entity_network, neighbourhood
from kg.out.stats import graph_stats
from kg.rdf.files import load_dataset
from kg.rdf.validate import rdflib_graph, validate
from kg.rdf.vocab import KG, SDO


def sample_network(built):
    return entity_network(load_dataset(built["all"] / "graph.trig"))


def test_the_page_of_the_trig_equals_the_page_of_the_turtle(built):
    from kg.out.view.page import render_page

    by_graph = render_page(load_dataset(built["all"] / "graph.trig"), "kg knowledge graph")
    assert by_graph == render_page(load_dataset(built["all"] / "graph.ttl"), "kg knowledge graph")
    assert by_graph == (built["all"] / "graph.html").read_text(encoding="utf-8")  # what kg build wrote


def test_stats_counts_ranks_and_lists_meetings(built):
    net = sample_network(built)
    stats = graph_stats(net, top=5)
    assert stats.nodes_by_type["人物 Person"] == sum(1 for _, d in net.nodes(data=True) if d["person"]) >= 12
    assert sum(stats.edges_by_relation.values()) == net.number_of_edges()
    assert {label for label, _, _ in stats.central_persons[:2]} == {"习近平", "特朗普"}
    assert ("习近平", "特朗普") in {(a, b) for a, b, _ in stats.meetings}
    assert sum(stats.component_sizes) == net.number_of_nodes()


def test_kg_stats_prints_the_tables(built):
    result = run_kg("stats", str(built["store"]), "--top", "3")
    assert result.returncode == 0, result.stderr
    assert re.search(r"^nodes: \d+", result.stdout, re.MULTILINE)
    assert "connected components:" in result.stdout and "meetings network: 1 pairs met" in result.stdout
    central = result.stdout.split("most central persons")[1].split("meetings network")[0]
    assert len([line for line in central.splitlines() if "0." in line]) == 3


def test_pagerank_and_degree_rank_the_hosts_first(built):
    net = sample_network(built)
    for measure in ("degree", "pagerank"):
        weights = centrality(net, measure)
        persons = sorted((n for n in net if net.nodes[n]["person"]), key=lambda n: -weights[n])
        assert {net.nodes[n]["label"] for n in persons[:2]} == {"习近平", "特朗普"}


def test_focus_draws_only_the_neighbourhood(built, tmp_path):
    net = sample_network(built)
    one = neighbourhood(net, "汪洋", 1)
    two = neighbourhood(net, "汪洋", 2)
    assert {net.nodes[n]["label"] for n in one} >= {"汪洋", "国务院副总理"}
    assert len(one) < len(two) <= len(net)
    page = tmp_path / "focus.html"
    result = run_kg("view", str(built["all"] / "graph.ttl"), "--focus", "汪洋", "--hops", "1", "-o", str(page),
                    "--size", "pagerank")
    assert result.returncode == 0, result.stderr
    data = json.loads(re.search(r'id="kg-data">(.*?)</script>', page.read_text(encoding="utf-8"), re.DOTALL).group(1))
    assert len(data["nodes"]) == len(one) and data["size"] == "pagerank"


def test_focus_on_an_unknown_name_is_one_line(built, tmp_path):
    line = one_line_error(run_kg("view", str(built["all"] / "graph.ttl"), "--focus", "无名氏", "-o",
                                 str(tmp_path / "x.html")))
    assert "无名氏" in line and not (tmp_path / "x.html").exists()


def test_sample_graph_conforms_to_the_shapes(built):
    assert validate(load_dataset(built["all"] / "graph.trig")) == []
    result = run_kg("validate", str(built["store"]))
    assert result.returncode == 0 and "conforms" in result.stdout


def test_broken_graph_violations_are_printed(built, tmp_path):
    graph = rdflib_graph(load_dataset(built["all"] / "graph.trig"))
    person = next(graph.subjects(RDFS.label, Literal("习近平", lang="zh")))
    graph.add((person, RDFS.label, Literal("习主席", lang="zh")))  # a second label
    statement = next(graph.subjects(RDF.type, RDF.Statement))
    graph.remove((statement, KG.evidence, None))  # a fact without its sentence
    event = URIRef("https://kg.example/id/event/empty")
    graph.add((event, RDF.type, SDO.Event))  # no label, no attendee
    violations = validate(graph)
    messages = {(v.focus, v.message) for v in violations}
    assert (str(person), "a person needs exactly one rdfs:label") in messages
    assert (str(statement), "a statement needs its evidence sentence") in messages
    assert {m for f, m in messages if f == str(event)} >= {"an event needs a label"}
    assert any(f == str(event) and "attendee" in m for f, m in messages)
    broken = tmp_path / "broken.ttl"
    graph.serialize(broken, format="turtle")
    result = run_kg("validate", str(broken))
    assert result.returncode == 1 and "a person needs exactly one rdfs:label" in result.stdout
    assert result.stderr.startswith("kg: ") and "violation" in result.stderr


def test_a_large_graph_page_draws_the_most_connected_entities(built):
    from kg.out.view.page import render_page

    graph = load_dataset(built["all"] / "graph.trig")
    page = render_page(graph, "big", max_nodes=10)
    data = json.loads(re.search(r'id="kg-data">(.*?)</script>', page, re.DOTALL).group(1))
    assert len(data["nodes"]) == 10
    assert {"习近平", "特朗普"} <= {n["fullLabel"] for n in data["nodes"]}
    assert f"10 of {len(entity_network(graph))} entities" in page


def test_stats_top_limits_the_meeting_pairs_too(built):
    from kg.out.stats import format_stats

    stats = graph_stats(sample_network(built), top=1)
    stats.meetings = [("甲", "乙", 3), ("丙", "丁", 5), ("戊", "己", 1)]
    text = format_stats(stats)
    meetings = text.split("meetings network")[1].split("posts that changed holder")[0]
    assert "丙" in meetings and "甲" not in meetings and "2 more pairs" in meetings
