"""kg serve under attack and under load: one reading of every request, no SERVICE whatever the encoding,
no request failed by a stopped query or by a build switching the store (real servers on 127.0.0.1)."""

from __future__ import annotations

import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from conftest import ROOT
from servers import free_port

from kg.out.sparql_gate import Refused, parse_request

SLOW_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
COUNT_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


# --- the gate's one reading, without sockets ---------------------------------------------------------------

@pytest.mark.parametrize(("method", "target", "headers", "body", "status"), [
    ("POST", "/query", [("Content-Type", "text/plain"), ("Content-Type", "application/sparql-query")],
     b"ASK {}", 400),
    ("GET", "/query?query=ASK%7B%7D&query=ASK%7B%7D", [], b"", 400),
    ("POST", "/query?query=ASK%7B%7D", [("Content-Type", "application/sparql-query")], b"ASK {}", 400),
    ("POST", "/query?query=ASK%7B%7D", [("Content-Type", "application/x-www-form-urlencoded")], b"x=1", 400),
    ("POST", "/query", [("Content-Type", "application/x-www-form-urlencoded")], b"query=a&update=b", 400),
    ("POST", "/query", [("Content-Type", "text/plain")], b"ASK {}", 415),
    ("POST", "/query", [], b"ASK {}", 415),
    ("GET", "/query?query=ASK%7B%7D", [], b"ASK {}", 400),
    ("POST", "/query", [("Content-Type", "application/sparql-query"), ("Content-Encoding", "gzip")], b"x", 415),
    ("POST", "/query", [("Content-Type", "application/sparql-query"), ("Transfer-Encoding", "chunked")], b"", 411),
    ("POST", "/query", [("Content-Type", "application/sparql-query")], b"\xff\xfe", 400),
    ("PUT", "/store", [("Content-Type", "text/turtle")], b"<a> <b> <c> .", 405),
])
def test_a_request_that_could_be_read_two_ways_is_refused(method, target, headers, body, status):
    with pytest.raises(Refused) as refused:
        parse_request(method, target, headers, body)
    assert refused.value.status == status and "\n" not in refused.value.message


def test_the_gate_forwards_what_it_read_and_nothing_else():
    form = urllib.parse.urlencode({"query": "ASK { ?s ?p \"é\" }"}).encode() + b"&default-graph-uri=x"
    request = parse_request("POST", "/query", [("Content-Type", "application/x-www-form-urlencoded; charset=x")],
                            form)
    assert request.queries == ['ASK { ?s ?p "é" }'] and request.target == "/query"
    assert urllib.parse.parse_qsl(request.body.decode()) == [("query", 'ASK { ?s ?p "é" }'),
                                                             ("default-graph-uri", "x")]
    raw = parse_request("POST", "/query", [("Content-Type", "application/x-www-form-urlencoded")],
                        "query=ASK{?s ?p \"é\"}".encode())  # raw UTF-8 in a form reads as %XX would
    assert raw.queries == ['ASK{?s ?p "é"}']
    get = parse_request("GET", "/query?query=ASK+%7B%7D&default-graph-uri=g", [], b"")
    assert get.queries == ["ASK {}"] and get.body is None
    assert urllib.parse.parse_qsl(urllib.parse.urlsplit(get.target).query) == [("query", "ASK {}"),
                                                                               ("default-graph-uri", "g")]


# --- a real endpoint -----------------------------------------------------------------------------------------

def start_serve(source, *extra: str) -> tuple[subprocess.Popen, int]:
    port, page_port = free_port(), free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "kg.out.cli", "serve", str(source), "--port", str(port), "--page-port",
         str(page_port), *extra], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    if "SPARQL endpoint" not in line:
        process.kill()
        raise AssertionError(f"kg serve did not start: {line}{process.stderr.read()}")
    return process, port


def stop_serve(process: subprocess.Popen) -> None:
    process.terminate()
    assert process.wait(timeout=30) == 0


def raw_request(port: int, head: str, body: bytes = b"") -> tuple[int, str]:
    """Send bytes exactly as written (repeated headers and all) and read the status line and body."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(head.replace("\n", "\r\n").encode("utf-8") + b"\r\n" + body)
        data = b""
        while chunk := connection.recv(65536):
            data += chunk
    status_line, _, rest = data.partition(b"\r\n")
    return int(status_line.split()[1]), rest.partition(b"\r\n\r\n")[2].decode("utf-8", "replace")


@pytest.fixture
def listener():
    """A port of ours that a SERVICE clause names; records every connection that reaches it."""
    heard: list = []
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    sock.settimeout(0.2)
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = sock.accept()
                heard.append(connection.recv(4096))
                connection.close()
            except (TimeoutError, OSError):
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield sock.getsockname()[1], heard
    stop.set()
    thread.join()
    sock.close()


def test_service_is_refused_however_the_request_is_written(built, listener):
    target, heard = listener
    service = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{target}/sparql> {{ ?x ?y ?z }} }}"
    variants = {
        "prefixed": f"PREFIX t: <http://127.0.0.1:{target}/> SELECT * WHERE {{ SERVICE t:sparql {{ ?x ?y ?z }} }}",
        "commented": f"SELECT * WHERE {{ # a comment\nservice\n<http://127.0.0.1:{target}/s> {{ ?x ?y ?z }} }}",
        "silent": f"SELECT * WHERE {{ SeRvIcE SILENT <http://127.0.0.1:{target}/> {{ ?x ?y ?z }} }}",
    }
    process, port = start_serve(built["all"] / "graph.trig")
    try:
        answers = {}
        length = len(service.encode())
        # the request: two Content-Type headers, the server behind reading the other one
        answers["two types"] = raw_request(port, f"POST /query HTTP/1.1\nHost: x\nContent-Type: text/plain\n"
                                                 f"Content-Type: application/sparql-query\n"
                                                 f"Content-Length: {length}\n", service.encode())
        answers["body"] = raw_request(port, f"POST /query HTTP/1.1\nHost: x\nContent-Type: application/sparql-query\n"
                                            f"Content-Length: {length}\n", service.encode())
        form = urllib.parse.urlencode({"query": service}).encode()
        answers["form"] = raw_request(port, f"POST /query HTTP/1.1\nHost: x\nContent-Type: "
                                            f"application/x-www-form-urlencoded\nContent-Length: {len(form)}\n", form)
        answers["body and url"] = raw_request(
            port, f"POST /query?query={urllib.parse.quote(service)} HTTP/1.1\nHost: x\nContent-Type: "
                  f"application/sparql-query\nContent-Length: 6\n", b"ASK {}")
        answers["two queries"] = raw_request(
            port, f"GET /query?query=ASK%7B%7D&query={urllib.parse.quote(service)} HTTP/1.1\nHost: x\n")
        answers["percent-encoded"] = raw_request(
            port, "GET /query?query=" + "".join(f"%{b:02X}" for b in service.encode()) + " HTTP/1.1\nHost: x\n")
        answers["chunked"] = raw_request(
            port, "POST /query HTTP/1.1\nHost: x\nContent-Type: application/sparql-query\n"
                  "Transfer-Encoding: chunked\n", f"{length:x}\r\n".encode() + service.encode() + b"\r\n0\r\n\r\n")
        for name, text in variants.items():
            answers[name] = raw_request(port, f"GET /query?query={urllib.parse.quote(text)} HTTP/1.1\nHost: x\n")
        time.sleep(1)
        assert heard == []  # not one connection reached the listener
        for name, (status, text) in answers.items():
            assert status in (400, 403, 411), (name, status, text)
            assert len(text.strip().splitlines()) == 1, (name, text)
        ok = raw_request(port, f"GET /query?query={urllib.parse.quote(COUNT_QUERY)} HTTP/1.1\nHost: x\n"
                               "Accept: application/sparql-results+json\n")
        assert ok[0] == 200 and '"n"' in ok[1]  # everything else goes through
    finally:
        stop_serve(process)


def _ask(port: int, query: str, timeout: float = 60) -> tuple[int, str, float]:
    url = f"http://127.0.0.1:{port}/query?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return answer.status, answer.read().decode("utf-8"), time.perf_counter() - started
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8"), time.perf_counter() - started
    except OSError as error:
        return 0, str(error), time.perf_counter() - started


def load(port: int, clients: int, per_client: int, pause: float = 0.01) -> list[tuple[int, str, float]]:
    """``clients`` threads each asking ``per_client`` small queries; every answer."""
    answers: list = []

    def client() -> None:
        for _ in range(per_client):
            answers.append(_ask(port, COUNT_QUERY))
            time.sleep(pause)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    return answers, threads


def test_a_stopped_query_fails_no_other(built):
    process, port = start_serve(built["all"] / "graph.trig", "--timeout", "2")
    try:
        answers, threads = load(port, 8, 50, pause=0.1)  # paced to span the stop
        time.sleep(0.3)
        slow = _ask(port, SLOW_QUERY, timeout=120)
        for thread in threads:
            thread.join()
        assert slow[0] == 503 and "time limit" in slow[1]
        failed = [a for a in answers if a[0] != 200]
        assert len(answers) == 400 and failed == []
        latencies = sorted(a[2] for a in answers)
        print(f"8 x 50 with a stopped query: 0 errors, p50 {statistics.median(latencies) * 1000:.0f} ms, "
              f"p99 {latencies[int(len(latencies) * 0.99)] * 1000:.0f} ms")
        assert _ask(port, COUNT_QUERY)[0] == 200  # the replacement engine answers
    finally:
        stop_serve(process)


def test_the_endpoint_follows_a_new_store_generation_without_failing(built, tmp_path):
    import pyoxigraph as ox

    from kg.rdf.files import load_dataset
    from kg.rdf.store import GENERATIONS, write_store

    store = tmp_path / "store"
    dataset = load_dataset(built["all"] / "graph.trig")
    write_store(dataset, store)
    marker = ox.Quad(ox.NamedNode("https://kg.example/id/article/new"), ox.NamedNode("https://kg.example/p"),
                     ox.Literal("new"), ox.NamedNode("https://kg.example/id/article/new"))
    ask_new = 'ASK { ?s ?p "new" }'
    process, port = start_serve(store)
    try:
        assert '"boolean":false' in _ask(port, ask_new)[1].replace(" ", "")
        answers, threads = load(port, 4, 40, pause=0.02)
        time.sleep(0.2)
        dataset.add(marker)
        write_store(dataset, store)  # what kg build --store does
        switched = time.monotonic()
        while '"boolean":true' not in _ask(port, ask_new)[1].replace(" ", ""):
            assert time.monotonic() - switched < 10, "the endpoint still answers from the old generation"
            time.sleep(0.2)
        for thread in threads:
            thread.join()
        assert [a for a in answers if a[0] != 200] == []
        write_store(dataset, store)  # the generation served before is released and removed in time
        deadline = time.monotonic() + 10
        while len(list((store / GENERATIONS).iterdir())) > 2 and time.monotonic() < deadline:
            time.sleep(0.2)
            write_store(dataset, store)
        assert len(list((store / GENERATIONS).iterdir())) <= 2
    finally:
        stop_serve(process)
