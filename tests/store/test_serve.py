"""kg serve: a real Oxigraph SPARQL endpoint on 127.0.0.1, queried with SPARQLWrapper, read-only."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from conftest import ROOT
from servers import free_port


def start(source, port: int, page_port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "kg.out.cli", "serve", str(source), "--port", str(port), "--page-port", str(page_port)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()  # the ready line, printed once the endpoint answers
    if "SPARQL endpoint" not in line:
        process.kill()
        raise AssertionError(f"kg serve did not start: {line}{process.stderr.read()}")
    return process


def stop(process: subprocess.Popen, port: int) -> None:
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=20) == 0
    with pytest.raises(OSError):  # the endpoint went with it
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


@pytest.fixture(params=["graph", "store"])
def endpoint(request, built):
    source = built["all"] / "graph.trig" if request.param == "graph" else built["store"]
    port, page_port = free_port(), free_port()
    process = start(source, port, page_port)
    try:
        yield port, page_port
    finally:
        if process.poll() is None:
            stop(process, port)


def test_select_over_http_with_sparqlwrapper(endpoint):
    from SPARQLWrapper import JSON, SPARQLWrapper

    port, _ = endpoint
    client = SPARQLWrapper(f"http://127.0.0.1:{port}/query")
    client.setQuery("""PREFIX schema: <https://schema.org/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
                       SELECT ?name WHERE { ?p a schema:Person ; rdfs:label ?name } ORDER BY ?name""")
    client.setReturnFormat(JSON)
    names = [b["name"]["value"] for b in client.query().convert()["results"]["bindings"]]
    assert {"习近平", "特朗普", "汪洋"} <= set(names)


def test_update_is_refused(endpoint):
    from urllib.error import HTTPError

    from SPARQLWrapper import POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    port, _ = endpoint
    for path in ("update", "query"):
        client = SPARQLWrapper(f"http://127.0.0.1:{port}/query", updateEndpoint=f"http://127.0.0.1:{port}/{path}")
        client.setMethod(POST)
        client.setQuery("INSERT DATA { <https://kg.example/x> <https://kg.example/p> \"injected\" }")
        with pytest.raises((SPARQLWrapperException, HTTPError)):
            client.query()
    check = SPARQLWrapper(f"http://127.0.0.1:{port}/query")
    check.setQuery("ASK { ?s ?p \"injected\" }")
    check.setReturnFormat("json")
    assert check.query().convert()["boolean"] is False


def test_the_page_is_served_beside_the_endpoint(endpoint):
    _, page_port = endpoint
    with urllib.request.urlopen(f"http://127.0.0.1:{page_port}/", timeout=10) as response:
        page = response.read().decode("utf-8")
    assert "kg-data" in page and "特朗普" in page


def test_a_busy_port_is_a_one_line_error(built):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "kg.out.cli", "serve", str(built["store"]), "--port", str(port),
             "--page-port", str(free_port())],
            check=False, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip().startswith("kg: error:") and len(result.stderr.strip().splitlines()) == 1


def test_serve_leaves_no_temporary_store(built, tmp_path):
    port, page_port = free_port(), free_port()
    env_tmp = tmp_path / "tmp"
    env_tmp.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-m", "kg.out.cli", "serve", str(built["all"] / "graph.trig"), "--port", str(port),
         "--page-port", str(page_port)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "TMPDIR": str(env_tmp)})
    assert "SPARQL endpoint" in process.stdout.readline()
    assert any(env_tmp.iterdir())
    stop(process, port)
    time.sleep(0.2)
    assert not any(env_tmp.iterdir())


def _get(port: int, query: str, timeout: float = 30):
    import urllib.error
    import urllib.parse

    url = f"http://127.0.0.1:{port}/query?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, answer.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def test_service_is_refused_and_no_request_leaves_the_server(built):
    """A SERVICE clause pointing at a listener of ours: kg serve refuses it, and the listener hears nothing."""
    heard = []
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(3)
    target = listener.getsockname()[1]
    port, page_port = free_port(), free_port()
    process = start(built["all"] / "graph.trig", port, page_port)
    try:
        status, text = _get(port, f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{target}/sparql> {{ ?s ?p ?o }} }}")
        assert status == 403 and "SERVICE" in text and "--allow-service" in text
        try:
            heard.append(listener.accept())
        except TimeoutError:
            pass
        assert heard == []
        status, text = _get(port, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")  # the rest goes through
        assert status == 200 and '"n"' in text
    finally:
        listener.close()
        stop(process, port)


def test_a_query_over_the_time_limit_is_stopped_by_the_server(built):
    port, page_port = free_port(), free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "kg.out.cli", "serve", str(built["all"] / "graph.trig"), "--port", str(port),
         "--page-port", str(page_port), "--timeout", "2"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    assert "SPARQL endpoint" in process.stdout.readline()
    try:
        started = time.monotonic()
        status, _ = _get(port, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
                         timeout=120)
        assert status >= 400  # stopped, not answered: a finished count would be 200
        assert time.monotonic() - started < 60  # a generous bound: the point is that it ends at all
    finally:
        stop(process, port)


NATURAL_IRI_QUERY = """PREFIX org: <http://www.w3.org/ns/org#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?name ?post WHERE { <https://kg.example/id/person/习近平> rdfs:label ?name ; org:holds ?post }"""


def test_a_person_is_found_by_the_natural_iri_with_sparqlwrapper_and_curl(endpoint):
    import json
    import shutil

    from SPARQLWrapper import JSON, SPARQLWrapper

    port, _ = endpoint
    client = SPARQLWrapper(f"http://127.0.0.1:{port}/query")
    client.setQuery(NATURAL_IRI_QUERY)
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    assert rows and {row["name"]["value"] for row in rows} == {"习近平"}
    # the posts come back readable as well: no percent escape in a name
    assert all(row["post"]["value"].startswith("https://kg.example/id/post/") and "%" not in row["post"]["value"]
               for row in rows)
    curl = shutil.which("curl")
    assert curl, "curl is needed (make browser-deps installs it)"
    answer = subprocess.run([curl, "-sS", "-G", "-H", "Accept: application/sparql-results+json",
                             "--data-urlencode", f"query={NATURAL_IRI_QUERY}", f"http://127.0.0.1:{port}/query"],
                            capture_output=True, text=True, timeout=30, check=True)
    assert json.loads(answer.stdout)["results"]["bindings"] == rows
