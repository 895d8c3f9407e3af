"""The request phase of ``make fuzz``: random SPARQL Protocol requests through ``kg serve``'s gate.

Requests are built from pieces (methods, paths, ``query`` fields given once
or twice, in the URL, a form or a body; percent-encoded, ``+`` for spaces,
raw bytes; repeated, folded, chunked or compressed headers; content types
with parameters and in capitals), half of them carrying a SERVICE clause in
some spelling. The gate answers each with a refusal or a request it forwards.
Two rules must hold for every forwarded request:

* what it forwards carries exactly the queries the gate checked (read back from
  the forwarded bytes, as the server behind reads them);
* no forwarded query holds a SERVICE clause.

A request breaking either is a ``leak``; any exception other than a refusal
is a ``crash``.
"""

from __future__ import annotations

import random
import traceback
import urllib.parse

BENIGN = ["SELECT * WHERE { ?s ?p ?o } LIMIT 1", "ASK { ?s a schema:Person }", 'SELECT ?x WHERE { ?x ?p "é服务" }',
          "SELECT ?service WHERE { ?service ex:service ?o }"]
SERVICE = ["SELECT * WHERE { SERVICE <http://127.0.0.1:9/s> { ?x ?y ?z } }",
           "SELECT * WHERE { sErViCe SILENT <http://127.0.0.1:9/> { ?x ?y ?z } }",
           "PREFIX t: <http://127.0.0.1:9/> SELECT * WHERE { SERVICE t:s { ?x ?y ?z } }",
           "SELECT * WHERE { # c\nSERVICE\n<http://127.0.0.1:9/s> { ?x ?y ?z } }",
           "SELECT * WHERE { ?a ?b ?c LATERAL { SERVICE <http://127.0.0.1:9/> { ?x ?y ?z } } }",
           "SELECT * WHERE { SERVICE ?endpoint { ?x ?y ?z } VALUES ?endpoint { <http://127.0.0.1:9/> } }"]
TYPES = ["application/sparql-query", "application/x-www-form-urlencoded", "APPLICATION/SPARQL-QUERY; charset=utf-8",
         "application/x-www-form-urlencoded;charset=UTF-8", "text/plain", "", "application/sparql-update"]


def _encode(rng: random.Random, fields: list[tuple[str, str]]) -> str:
    """Fields as a URL query or form, encoded one of several ways."""
    how = rng.choice(["plus", "percent", "raw", "all"])
    if how == "plus":
        return urllib.parse.urlencode(fields)
    if how == "percent":
        return urllib.parse.urlencode(fields, quote_via=urllib.parse.quote)
    if how == "all":
        return "&".join(f"{k}=" + "".join(f"%{b:02X}" for b in v.encode()) for k, v in fields)
    return "&".join(f"{k}={v}".replace(" ", "+").replace("&", "%26").replace("#", "%23") for k, v in fields)


def random_request(rng: random.Random) -> tuple[str, str, list[tuple[str, str]], bytes]:
    """(method, target, headers, body) of one random request."""
    queries = [rng.choice(SERVICE if rng.random() < 0.5 else BENIGN) for _ in range(rng.choice([1, 1, 1, 2]))]
    method = rng.choice(["GET", "GET", "POST", "POST", "POST", "HEAD", "PUT"])
    path = rng.choice(["/query", "/query", "/", "/store", "/update", "http://x/query"])
    url_fields = [("query", q) for q in queries] if method in ("GET", "HEAD") or rng.random() < 0.2 else []
    if rng.random() < 0.3:
        url_fields.append(("default-graph-uri", "https://kg.example/g"))
    headers = [("Host", "127.0.0.1")]
    for _ in range(rng.choice([0, 1, 1, 2])):
        headers.append(("Content-Type", rng.choice(TYPES)))
    if rng.random() < 0.1:
        headers.append(rng.choice([("Transfer-Encoding", "chunked"), ("Content-Encoding", "gzip"),
                                   ("Content-Type", "text/plain\r\n application/sparql-query")]))
    body = b""
    if method != "GET" or rng.random() < 0.05:
        if rng.random() < 0.5:
            body = queries[-1].encode("utf-8")
        else:
            body = _encode(rng, [("query", q) for q in queries]).encode("latin-1", "replace")
        if rng.random() < 0.05:
            body = bytes(rng.randrange(256) for _ in range(rng.randint(1, 200)))
    query_string = _encode(rng, url_fields) if url_fields else ""
    target = path + ("?" + query_string if query_string else "")
    return method, target, headers, body


def read_back(forwarded) -> list[str]:
    """The queries a server reads from the forwarded request (its URL, its form or its body)."""
    fields = urllib.parse.parse_qsl(urllib.parse.urlsplit(forwarded.target).query, keep_blank_values=True)
    texts = [v for k, v in fields if k in ("query", "update")]
    if forwarded.content_type == "application/sparql-query":
        texts.append(forwarded.body.decode("utf-8"))
    elif forwarded.content_type == "application/x-www-form-urlencoded":
        texts += [v for k, v in urllib.parse.parse_qsl(forwarded.body.decode("ascii"), keep_blank_values=True)
                  if k in ("query", "update")]
    return texts


def fuzz_requests(count: int, seed: int) -> tuple[dict[str, int], list[str]]:
    """Outcomes (forwarded, refused, leak, crash) of ``count`` random requests, and what went wrong."""
    from kg.out.sparql_gate import Refused, parse_request, refused_service

    rng = random.Random(seed)
    outcomes: dict[str, int] = {}
    problems: list[str] = []
    for number in range(count):
        method, target, headers, body = random_request(rng)
        try:
            forwarded = parse_request(method, target, headers, body)
            if refused_service(forwarded.queries) is not None:
                raise Refused(403, "SERVICE")
            texts = read_back(forwarded)
            if sorted(texts) != sorted(forwarded.queries):
                outcome = "leak"
                problems.append(f"request {number}: forwards {texts!r}, checked {forwarded.queries!r}")
            elif any("service <" in t.lower() or "service t:" in t.lower() or "service ?" in t.lower()
                     or "service\n" in t.lower() for t in texts):
                outcome = "leak"
                problems.append(f"request {number}: SERVICE forwarded: {target[:80]!r}")
            else:
                outcome = "forwarded"
        except Refused:
            outcome = "refused"
        except Exception:  # noqa: BLE001 - the gate must answer every request with a status
            outcome = "crash"
            problems.append(f"request {number}: {traceback.format_exc().strip().splitlines()[-1][:160]}")
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes, problems
