"""The kg command: errors are one line, nothing is half-written, queries format."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import ROOT, SAMPLES

KG = [sys.executable, "-m", "kg.out.cli"]


def run_kg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*KG, *args], capture_output=True, text=True, cwd=ROOT, check=False)


def one_line_error(result: subprocess.CompletedProcess) -> str:
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if "features.msgpack" not in line]
    assert len(lines) == 1 and lines[0].startswith("kg: error:"), result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02binary", b"\xff\xfe\xfa" * 5])
def test_bad_article_leaves_no_output(tmp_path, content):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    good = ROOT / "data" / "articles" / f"{SAMPLES[0]}.txt"
    out = tmp_path / "out"
    line = one_line_error(run_kg("build", str(good), str(bad), "-o", str(out)))
    assert str(bad) in line
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.")], "staging folder left behind"


def test_malformed_sparql_names_the_position(built):
    line = one_line_error(run_kg("query", str(built["all"] / "graph.ttl"), "SELECT ?x WHERE { ?x a }"))
    assert "malformed SPARQL" in line and "line 1" in line


def test_bad_graph_file_is_one_line(tmp_path):
    bad = tmp_path / "g.ttl"
    bad.write_text("this is not turtle <<<", encoding="utf-8")
    assert str(bad) in one_line_error(run_kg("query", str(bad), "ASK {}"))


def bindings(sparql_json: str) -> list[dict[str, str]]:
    """The rows of a SPARQL 1.1 Query Results JSON document, each variable to its value."""
    document = json.loads(sparql_json)
    return [{name: cell["value"] for name, cell in row.items()} for row in document["results"]["bindings"]]


def test_canned_queries_run_in_every_format(built):
    graph = str(built["all"] / "graph.ttl")
    offices = run_kg("query", graph, "-f", "schemas/queries/offices.rq", "--format", "json")
    assert json.loads(offices.stdout)["head"]["vars"] == ["person", "office"]  # SPARQL 1.1 Query Results JSON
    rows = bindings(offices.stdout)
    assert {"person": "汪洋", "office": "国务院副总理"} in rows
    meetings = run_kg("query", graph, "-f", "schemas/queries/meetings.rq", "--format", "csv")
    assert meetings.stdout.splitlines()[0] == "a,b,event,date,place"
    assert any(line.startswith("习近平,特朗普,") and "人民大会堂" in line for line in meetings.stdout.splitlines())
    attendees = run_kg("query", graph, "-f", "schemas/queries/attendees.rq")
    assert "彭丽媛" in attendees.stdout and attendees.stdout.rstrip().endswith("rows)")
    evidence = run_kg("query", graph, "-f", "schemas/queries/evidence.rq", "--format", "json")
    facts = bindings(evidence.stdout)
    assert all(row["sentence"] for row in facts)
    assert any(row["subject"] == "习近平" and "同美国总统特朗普举行会谈" in row["sentence"] for row in facts)


def test_csv_and_tsv_follow_the_sparql_results_formats_with_absolute_iris(built):
    graph = str(built["all"] / "graph.ttl")
    query = "SELECT ?p ?name WHERE { ?p a schema:Person ; rdfs:label ?name } ORDER BY ?name LIMIT 3"
    csv_lines = run_kg("query", graph, query, "--format", "csv").stdout.splitlines()
    assert csv_lines[0] == "p,name" and csv_lines[1].startswith("https://kg.example/id/person/")
    tsv_lines = run_kg("query", graph, query, "--format", "tsv").stdout.splitlines()
    assert tsv_lines[0] == "?p\t?name"
    iri, name = tsv_lines[1].split("\t")
    assert iri.startswith("<https://kg.example/id/person/") and iri.endswith(">") and name.endswith('"@zh')
    ask = json.loads(run_kg("query", graph, "ASK { ?p a schema:Person }", "--format", "json").stdout)
    assert ask["boolean"] is True


def test_ask_and_construct(built):
    graph = str(built["all"] / "graph.ttl")
    assert run_kg("query", graph, "ASK { ?p a schema:Person }").stdout.strip() == "true"
    out = run_kg("query", graph, "CONSTRUCT { ?a kg:met ?b } WHERE { ?a kg:met ?b }").stdout
    assert "met" in out


@pytest.mark.parametrize("command", ["export", "view", "build"])
def test_unwritable_output_is_one_line(built, command):
    target = "/proc/kg-nope/out"
    if command == "export":
        args = ("export", str(built["all"] / "graph.ttl"), "--format", "nt", "-o", target + ".nt")
    elif command == "view":
        args = ("view", str(built["all"] / "graph.ttl"), "-o", target + ".html")
    else:
        args = ("build", str(ROOT / "data" / "articles" / f"{SAMPLES[0]}.txt"), "-o", target)
    assert "/proc/kg-nope" in one_line_error(run_kg(*args))


def test_help_for_every_command():
    for command in ("build", "query", "view", "export"):
        result = run_kg(command, "--help")
        assert result.returncode == 0 and "usage: kg " + command in result.stdout


def test_view_and_export_write_files_as_build_does(built, tmp_path):
    import os
    import stat

    mask = os.umask(0o022)
    os.umask(mask)
    page, export = tmp_path / "page.html", tmp_path / "graph.nt"
    assert run_kg("view", str(built["all"] / "graph.ttl"), "-o", str(page)).returncode == 0
    assert run_kg("export", str(built["all"] / "graph.ttl"), "--format", "nt", "-o", str(export)).returncode == 0
    for path in (page, export):
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask, path  # not mkstemp's 0600


def test_an_update_is_refused_by_name():
    from kg.rdf.query import QueryError, prepare

    for update in ("INSERT DATA { <a:b> <a:c> <a:d> }", "PREFIX x: <a:> DELETE WHERE { ?s ?p ?o }"):
        with pytest.raises(QueryError, match="SPARQL Update"):
            prepare(update)


def test_a_table_is_cut_to_the_width_it_is_given():
    import pyoxigraph as ox

    from kg.rdf.query import format_result

    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("https://kg.example/id/x"), ox.NamedNode("https://kg.example/p"),
                      ox.Literal("很长的证据句" * 40)))
    table = format_result(store.query("SELECT ?s ?o WHERE { ?s ?p ?o }"), "table", width=60)
    assert max(len(line) for line in table.splitlines()) <= 60 and "…" in table
