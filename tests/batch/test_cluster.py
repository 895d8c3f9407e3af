"""A real Dask cluster (a scheduler and two workers on 127.0.0.1) and a real Oxigraph server (Graph Store Protocol)."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from conftest import ARTICLES, ROOT
from rdflib import Dataset
from rdflib.compare import isomorphic
from servers import free_port, wait_for_port

from kg.out.batch.build import run_build

BIN = Path(sys.executable).parent


def start(*command: str, log: Path) -> subprocess.Popen:
    handle = log.open("wb")
    return subprocess.Popen(list(command), stdout=handle, stderr=subprocess.STDOUT, cwd=ROOT)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def dask_cluster(tmp_path):
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    processes = [start(str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                       "--no-dashboard", log=tmp_path / "scheduler.log")]
    try:
        wait_for_port(port, processes[0], tmp_path / "scheduler.log")
        for i in range(2):
            processes.append(start(str(BIN / "dask"), "worker", address, "--nworkers", "1", "--nthreads", "1",
                                   "--host", "127.0.0.1", "--no-dashboard", "--name", f"kg-test-{i}",
                                   log=tmp_path / f"worker-{i}.log"))
        from distributed import Client

        with Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=60)
        yield address
    finally:
        for process in reversed(processes):
            stop(process)


def test_a_dask_cluster_writes_the_same_graph_as_a_local_build(dask_cluster, tmp_path):
    from distributed import Client

    local = run_build([str(ARTICLES)], tmp_path / "local", progress=False)
    remote = run_build([str(ARTICLES)], tmp_path / "cluster", scheduler=dask_cluster, batch_size=1, progress=False)
    assert remote.extracted == local.extracted == 2
    assert (tmp_path / "cluster" / "graph.trig").read_bytes() == (tmp_path / "local" / "graph.trig").read_bytes()
    ours, theirs = Dataset(), Dataset()
    ours.parse(tmp_path / "local" / "graph.trig")
    theirs.parse(tmp_path / "cluster" / "graph.trig")
    names = {g.identifier for g in ours.graphs() if len(g)}
    # one graph per article, and the graph of what kg derives from them all (kg.rdf.tenures)
    assert names == {g.identifier for g in theirs.graphs() if len(g)} and len(names) == 3
    assert all(isomorphic(ours.graph(name), theirs.graph(name)) for name in names)
    with Client(dask_cluster, timeout="30s") as client:
        # Both workers took part: each ran one of the two single-article batches.
        assert len(client.scheduler_info()["workers"]) == 2


def test_an_unreachable_scheduler_is_a_one_line_error(tmp_path):
    result = subprocess.run([sys.executable, "-m", "kg.out.cli", "build", str(ARTICLES), "-o", str(tmp_path / "o"),
                             "--scheduler", f"tcp://127.0.0.1:{free_port()}", "-q"],
                            capture_output=True, text=True, cwd=ROOT, check=False, timeout=120)
    assert result.returncode == 1 and "Dask scheduler" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "o").exists()


@pytest.fixture
def oxigraph_server(tmp_path):
    port = free_port()
    process = start(str(BIN / "oxigraph"), "serve", "--location", str(tmp_path / "db"), "--bind",
                    f"127.0.0.1:{port}", log=tmp_path / "oxigraph.log")
    try:
        wait_for_port(port, process, tmp_path / "oxigraph.log")
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


def sparql(base: str, query: str) -> list[dict]:
    url = f"{base}/query?{urllib.parse.urlencode({'query': query})}"
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())["results"]["bindings"]


def test_endpoint_receives_every_article_graph_through_the_graph_store_protocol(oxigraph_server, tmp_path):
    report = run_build([str(ARTICLES)], tmp_path / "out", endpoint=f"{oxigraph_server}/store", progress=False)
    assert report.graphs_sent == 3  # the two article graphs and the derived one (kg.rdf.tenures)
    graphs = sparql(oxigraph_server, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    local = Dataset()
    local.parse(tmp_path / "out" / "graph.trig")
    assert {b["g"]["value"] for b in graphs} == {str(g.identifier) for g in local.graphs() if len(g)}
    count = sparql(oxigraph_server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"]["value"]
    union = {(s, p, o) for s, p, o, _ in local.quads()}
    assert int(count) == len(union)
    # A rebuild replaces the graphs instead of adding to them.
    run_build([str(ARTICLES)], tmp_path / "out", endpoint=f"{oxigraph_server}/store", fresh=True, progress=False)
    again = sparql(oxigraph_server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"]["value"]
    assert again == count


def test_an_unreachable_endpoint_is_a_one_line_error(tmp_path):
    result = subprocess.run([sys.executable, "-m", "kg.out.cli", "build", str(ARTICLES), "-o", str(tmp_path / "o"),
                             "--endpoint", f"http://127.0.0.1:{free_port()}/store", "-q"],
                            capture_output=True, text=True, cwd=ROOT, check=False, timeout=120)
    assert result.returncode == 1 and "cannot reach" in result.stderr and "Traceback" not in result.stderr

