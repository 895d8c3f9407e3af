"""``kg build --endpoint URL``: put the graph into a SPARQL server through the Graph Store HTTP Protocol.

Each article's named graph is sent with ``PUT URL?graph=<article IRI>``, which
replaces that graph on the server (so a rebuilt article's old facts go), and
the union with ``PUT URL?default``, as in kg's own store. Oxigraph's protocol
endpoint is ``http://HOST:PORT/store``.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

import pyoxigraph as ox

from kg import KgError
from kg.rdf.files import triples_bytes
from kg.rdf.triples import union_triples

TIMEOUT_S = 120


class EndpointError(KgError, RuntimeError):
    """The server refused or could not be reached; the message says which graph and why."""


def _put(url: str, triples, what: str) -> None:
    body = triples_bytes(triples)
    request = urllib.request.Request(url, data=body, method="PUT",
                                     headers={"Content-Type": "application/n-triples"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace").strip().splitlines()
        raise EndpointError(f"{url}: the server refused {what} (HTTP {exc.code}"
                            f"{': ' + detail[0][:160] if detail else ''})") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise EndpointError(f"{url}: cannot reach the server ({reason})") from None


def upload(dataset: ox.Dataset, endpoint: str) -> int:
    """Replace each named graph of ``dataset`` and the default graph (their union) on the server."""
    if not endpoint.startswith(("http://", "https://")):
        raise EndpointError(f"{endpoint}: not an http(s) URL")
    separator = "&" if "?" in endpoint else "?"
    graphs: dict[str, set[tuple]] = {}
    for quad in dataset:
        if isinstance(quad.graph_name, ox.NamedNode):
            graphs.setdefault(quad.graph_name.value, set()).add((quad.subject, quad.predicate, quad.object))
    for name in sorted(graphs):
        target = f"{endpoint}{separator}graph={urllib.parse.quote(name, safe='')}"
        _put(target, graphs[name], f"graph {name}")
    _put(f"{endpoint}{separator}default", union_triples(dataset), "the default graph")
    return len(graphs)
