"""The public side of ``kg serve``'s endpoint: refuses SERVICE, forwards the rest to Oxigraph.

Oxigraph's server evaluates ``SERVICE <http://…>`` by sending requests from
the server to any host the query names. ``kg serve`` sends none unless told
to (``--allow-service``): this small proxy reads each SPARQL Protocol request
(``query=`` in the URL or a form, or an ``application/sparql-query`` body),
answers 403 with one line when the query has a SERVICE clause, and forwards
every other request unchanged to the Oxigraph server listening on another
port of 127.0.0.1, streaming its answer back. A request whose answer does
not start within the time limit is answered 503 and the engine restarted
(Oxigraph's own ``--timeout-s`` does not stop a query that computes without
producing rows).
"""

from __future__ import annotations

import http.client
import sys
import urllib.parse
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from kg.rdf.query import QueryError, services_in

#: the largest request body read (a query or a form holding one)
MAX_BODY_BYTES = 1 << 20
#: headers that belong to one connection, not to the request or the answer
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade",
              "host", "content-length"}


class GateServer(ThreadingHTTPServer):
    """Listens on the endpoint's public port; ``upstream`` is Oxigraph's ``host:port``."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], upstream: str, allow_service: bool,
                 timeout: float | None = None, on_timeout: Callable[[], None] | None = None) -> None:
        super().__init__(address, GateHandler)
        self.upstream = upstream
        self.allow_service = allow_service
        self.query_timeout = timeout
        self.on_timeout = on_timeout

    def handle_error(self, request, client_address) -> None:
        error = sys.exc_info()[1]
        if not isinstance(error, (BrokenPipeError, ConnectionResetError)):
            print(f"kg: endpoint request from {client_address[0]} failed: {error}", file=sys.stderr)


class GateHandler(BaseHTTPRequestHandler):
    """One request: checked for SERVICE, then forwarded."""

    server: GateServer

    def log_message(self, format: str, *args) -> None:
        pass  # the terminal is for the endpoint's address

    def do_GET(self) -> None:
        self._forward(None)

    def do_HEAD(self) -> None:
        self._forward(None)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            self._refuse(413, f"request body over {MAX_BODY_BYTES:,} bytes")
            return
        self._forward(self.rfile.read(length))

    do_PUT = do_DELETE = do_PATCH = do_POST  # Oxigraph's read-only server refuses them itself

    def _query_text(self, body: bytes | None) -> str:
        fields = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if body and kind == "application/x-www-form-urlencoded":
            fields.update(urllib.parse.parse_qs(body.decode("utf-8", "replace")))
        elif body and kind == "application/sparql-query":
            return body.decode("utf-8", "replace")
        return "\n".join(fields.get("query", []))

    def _forward(self, body: bytes | None) -> None:
        query = self._query_text(body)
        # Parsed only when the word is there: most queries pass through with no rdflib parse on the way.
        if query and not self.server.allow_service and "service" in query.lower():
            try:
                services = services_in(query)
            except QueryError:
                services = []  # Oxigraph answers a malformed query with its own error
            if services:
                self._refuse(403, f"SERVICE <{services[0]}> would make this server query another host; "
                                  "kg serve sends no requests unless started with --allow-service")
                return
        upstream = http.client.HTTPConnection(self.server.upstream, timeout=self.server.query_timeout)
        try:
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            upstream.request(self.command, self.path, body=body, headers=headers)
            answer = upstream.getresponse()
            self.send_response(answer.status, answer.reason)
            for key, value in answer.getheaders():
                if key.lower() not in HOP_BY_HOP:
                    self.send_header(key, value)
            self.send_header("Connection", "close")  # the answer's end is the connection's end
            self.end_headers()
            if self.command != "HEAD":
                while chunk := answer.read(1 << 16):
                    self.wfile.write(chunk)
        except TimeoutError:
            # Oxigraph does not stop a query that computes without answering (a COUNT over a cross
            # product): the engine is restarted, so no core stays busy after the client gave up.
            if self.server.on_timeout is not None:
                self.server.on_timeout()
            self._refuse(503, f"the query ran over the time limit of {self.server.query_timeout:g} s and was "
                              "stopped (kg serve --timeout SECONDS sets it)")
        except OSError as exc:
            self._refuse(502, f"the Oxigraph server did not answer ({exc})")
        finally:
            upstream.close()

    def _refuse(self, status: int, message: str) -> None:
        data = (message + "\n").encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
