"""The Oxigraph store: kg build --store, kg query on it, and the commands that read it."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT, SAMPLES
from test_cli import one_line_error, run_kg

from kg.rdf.files import GraphFileError, load_dataset
from kg.rdf.query import format_result, open_source, parse_bindings, run
from kg.rdf.store import is_store, open_store, write_store
from kg.rdf.triples import union_triples

QUERIES = sorted((ROOT / "schemas" / "queries").glob("*.rq"))
#: the values the parameterized canned queries are run with (kg query --bind)
BINDINGS = {"career": ["person=特朗普"], "timeline": ["person=特朗普"],
            "holders": ["post=国务院副总理", "date=2017-11-09"]}


def rows(result) -> list[tuple]:
    return sorted(tuple(str(v) if v is not None else "" for v in row) for row in result)


def test_store_holds_every_quad_of_the_trig(built):
    quads = set(load_dataset(built["all"] / "graph.trig"))
    store = open_store(built["store"])
    union = union_triples(quads)
    assert is_store(built["store"]) and len(store) == len(quads) + len(union) and len(quads) > 900
    # one named graph per article and the derived graph (kg.rdf.tenures), and their union as default
    assert len(list(store.named_graphs())) == 3


@pytest.mark.parametrize("query", QUERIES, ids=lambda p: p.stem)
def test_canned_queries_answer_the_same_on_store_and_file(built, query):
    text = query.read_text(encoding="utf-8")
    bindings = parse_bindings(BINDINGS.get(query.stem, []))
    from_file = rows(run(open_source(str(built["all"] / "graph.trig")), text, bindings=bindings))
    from_store = rows(run(open_source(str(built["store"])), text, bindings=bindings))
    # holders.rq needs dated tenures, and the samples' datelines give no year (tests/rdf/test_tenures.py
    # runs it on dated articles)
    assert from_store == from_file and (from_file or query.stem == "holders")


def test_kg_query_reads_a_store_in_every_format(built):
    ask = run_kg("query", str(built["store"]), "ASK { ?a kg:met ?b . ?a rdfs:label \"习近平\"@zh }")
    assert ask.returncode == 0 and ask.stdout.strip() == "true"
    result = run_kg("query", str(built["store"]), "-f", "schemas/queries/offices.rq", "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)["results"]["bindings"]
    assert any(row["person"]["value"] == "汪洋" for row in rows)
    construct = "CONSTRUCT { ?p a schema:Person } WHERE { ?p a schema:Person }"
    assert len(list(run(open_store(built["store"]), construct))) >= 12
    assert "schema:Person" in format_result(run(open_store(built["store"]), construct))


def test_malformed_sparql_on_a_store_is_one_line(built):
    assert "line 1" in one_line_error(run_kg("query", str(built["store"]), "SELECT ?x WHERE { ?x"))


def test_store_refuses_to_overwrite_a_folder_that_is_not_one(tmp_path, built):
    folder = tmp_path / "precious"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(GraphFileError):
        write_store(load_dataset(built["all"] / "graph.trig"), folder)
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert "not a kg store" in one_line_error(run_kg("query", str(folder), "ASK {}"))


def test_rebuilding_a_store_replaces_its_content(tmp_path, built):
    target = tmp_path / "store"
    write_store(load_dataset(built["all"] / "graph.trig"), target)
    write_store(load_dataset(built[SAMPLES[0]] / "graph.trig"), target)
    assert len(list(open_store(target).named_graphs())) == 2  # the article's and the derived graph


def test_a_store_is_switched_whole_and_a_failed_write_keeps_the_old_one(tmp_path, built, monkeypatch):
    from kg.rdf import store as store_module

    target = tmp_path / "store"
    write_store(load_dataset(built[SAMPLES[0]] / "graph.trig"), target)
    assert (target / "data").is_symlink()

    def broken(store, dataset):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store_module, "load_store_into", broken)
    with pytest.raises(store_module.GraphFileError, match="No space left"):  # one line, the reason in it
        write_store(load_dataset(built["all"] / "graph.trig"), target)
    monkeypatch.undo()
    assert len(list(open_store(target).named_graphs())) == 2  # the old store, whole
    write_store(load_dataset(built["all"] / "graph.trig"), target)
    assert len(list(open_store(target).named_graphs())) == 3
    generations = list((target / store_module.GENERATIONS).iterdir())
    assert len(generations) == 1  # the replaced and the failed generations are gone


def test_a_store_an_older_kg_wrote_is_adopted(tmp_path, built):
    import pyoxigraph as ox

    target = tmp_path / "store"
    target.mkdir()
    old = ox.Store(str(target / "data"))  # the layout before generations: data/ a plain folder
    old.bulk_extend(load_dataset(built[SAMPLES[0]] / "graph.trig"))
    old.flush()
    del old
    (target / "kg-store.txt").write_text("old", encoding="utf-8")
    write_store(load_dataset(built["all"] / "graph.trig"), target)
    assert (target / "data").is_symlink() and len(list(open_store(target).named_graphs())) == 3


def test_kg_query_stops_a_query_over_its_time_limit(built):
    import time

    cross = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    started = time.monotonic()
    message = one_line_error(run_kg("query", str(built["all"] / "graph.trig"), cross, "--timeout", "2"))
    assert "time limit of 2 s" in message
    assert time.monotonic() - started < 60  # generous: the point is that it ends
    result = run_kg("query", str(built["all"] / "graph.trig"), "ASK { ?s ?p ?o }", "--timeout", "20")
    assert result.returncode == 0 and "true" in result.stdout


def test_kg_query_sends_no_request_for_service_unless_allowed(built):
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(2)
    port = listener.getsockname()[1]
    try:
        query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
        assert "--allow-service" in one_line_error(run_kg("query", str(built["store"]), query))
        with pytest.raises(TimeoutError):
            listener.accept()  # nobody called
    finally:
        listener.close()


class _Recorder:
    """A binary output that keeps each write apart."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.writes.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


@pytest.mark.parametrize("timeout", [None, 30.0])
def test_listing_everything_streams_rows_in_blocks(timeout):
    import json

    import pyoxigraph as ox

    from kg.rdf.query import STREAM_BLOCK, write_answer

    rows = 20_000
    store = ox.Store()
    store.extend(ox.Quad(ox.NamedNode(f"https://kg.example/id/person/p{i}"),
                         ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                         ox.Literal(f"人物{i}", language="zh"), ox.DefaultGraph()) for i in range(rows))
    out = _Recorder()
    write_answer(out, store, "SELECT ?p ?name WHERE { ?p rdfs:label ?name }", "json", timeout)
    assert len(out.writes) > 3, "the answer arrives in blocks, not whole"
    assert all(len(block) <= 2 * STREAM_BLOCK for block in out.writes)
    document = json.loads(b"".join(out.writes))
    assert len(document["results"]["bindings"]) == rows
    csv = _Recorder()
    write_answer(csv, store, "SELECT ?name WHERE { ?p rdfs:label ?name }", "csv", timeout)
    lines = b"".join(csv.writes).decode("utf-8").splitlines()
    assert lines[0] == "name" and len(lines) == rows + 1 and len(csv.writes) > 1


def test_a_store_holds_the_graphs_and_their_union_once_each(built, tmp_path):
    import pyoxigraph as ox

    from kg.rdf.files import GraphFileError
    from kg.rdf.store import load_any, load_store_into, memory_store

    graph = built["all"] / "graph.trig"
    dataset = ox.Dataset(ox.parse(path=str(graph), format=ox.RdfFormat.TRIG))
    on_disk, in_memory = ox.Store(str(tmp_path / "store")), memory_store(dataset)
    load_store_into(on_disk, dataset)
    assert set(on_disk) == set(in_memory)
    named = [q for q in in_memory if not isinstance(q.graph_name, ox.DefaultGraph)]
    assert set(named) == set(dataset)
    default = list(in_memory.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    assert default and len(default) == len({(q.subject, q.predicate, q.object) for q in in_memory})
    broken = tmp_path / "broken.nq"
    broken.write_text("<https://kg.example/a> <https://kg.example/b> .\n", encoding="utf-8")
    with pytest.raises(GraphFileError, match="broken.nq"):
        load_any(broken)


def test_an_old_store_is_read_with_readable_iris(tmp_path):
    import pyoxigraph as ox

    from kg.rdf.store import load_any, write_store

    old = ox.NamedNode("https://kg.example/id/person/%E4%B9%A0%E8%BF%91%E5%B9%B3")
    article = ox.NamedNode("https://kg.example/id/article/a")
    person = ox.NamedNode("https://schema.org/Person")
    write_store(ox.Dataset([ox.Quad(old, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                                    person, article)]), tmp_path / "old")
    subjects = {q.subject.value for q in load_any(tmp_path / "old")}
    assert subjects == {"https://kg.example/id/person/习近平"}
