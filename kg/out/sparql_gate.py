"""The public side of ``kg serve``'s endpoint: one reading of each request, checked, then forwarded.

Oxigraph's server evaluates ``SERVICE <http://…>`` by sending requests from
the server to any host the query names. ``kg serve`` sends none unless told
to (``--allow-service``). The gate reads each SPARQL Protocol request once
(:func:`parse_request`) and refuses what it cannot read one way only: two
``Content-Type`` headers, two queries, a body beside a query string that
holds one, a chunked or compressed body, a content type Oxigraph does not
read. What it accepts it forwards in a form of its own (the fields it parsed,
encoded again; the query text it checked; only the ``Accept`` header), so the
server behind it reads exactly what the gate read. A query with a SERVICE
clause is answered 403.

The server behind is an :class:`~kg.out.engines.EnginePool`. A request whose
answer does not start within the time limit is answered 503 and its engine
replaced; the other requests on that engine finish there first
(Oxigraph's own ``--timeout-s`` does not stop a query that computes without
producing rows).
"""

from __future__ import annotations

import http.client
import sys
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from kg.out.engines import EnginePool
from kg.rdf.query import QueryError, services_in

#: the largest request body read (a query or a form holding one)
MAX_BODY_BYTES = 1 << 20
SPARQL_QUERY = "application/sparql-query"
FORM = "application/x-www-form-urlencoded"
#: the fields that carry an operation; one request carries at most one
OPERATION_FIELDS = ("query", "update")
#: headers passed on to Oxigraph: what it negotiates the answer's format with
FORWARDED_HEADERS = ("accept",)


class Refused(Exception):
    """A request the gate answers itself: ``status`` and a one-line ``message``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


@dataclass
class ForwardedRequest:
    """A request as the gate read it, and as it is sent on."""

    method: str
    target: str  # path and query string, encoded by the gate
    body: bytes | None = None
    content_type: str | None = None
    queries: list[str] = field(default_factory=list)  # the operation texts it carries


#: every ASCII byte stays as it is when a form is made ASCII; the others become %XX
_ASCII = bytes(range(0x80))


def _fields(encoded: bytes) -> list[tuple[str, str]]:
    """Form fields as Oxigraph reads them: ``&``-separated, ``+`` a space, the bytes percent-decoded, then
    read as UTF-8 with bad sequences replaced (raw bytes over 0x7F are read the same way as %XX)."""
    ascii_form = urllib.parse.quote_from_bytes(encoded, safe=_ASCII)
    return urllib.parse.parse_qsl(ascii_form, keep_blank_values=True, encoding="utf-8", errors="replace")


def parse_request(method: str, target: str, headers: list[tuple[str, str]], body: bytes) -> ForwardedRequest:
    """Read one request the only way the gate allows; raise :class:`Refused` for what could be read two ways."""
    named = [(key.lower(), value) for key, value in headers]
    for key, value in named:
        if "\r" in value or "\n" in value:
            raise Refused(400, f"the {key} header is folded over lines; send it on one line")
    for key in ("content-type", "content-length", "host"):
        if sum(1 for k, _ in named if k == key) > 1:
            raise Refused(400, f"the request has two {key} headers; send one")
    if any(k == "transfer-encoding" for k, _ in named):
        raise Refused(411, "a chunked body is not read here; send Content-Length")
    encoding = next((v.strip().lower() for k, v in named if k == "content-encoding"), "identity")
    if encoding != "identity":
        raise Refused(415, f"a body in {encoding} is not read here; send it uncompressed")
    parts = urllib.parse.urlsplit(target)
    path = parts.path or "/"
    url_fields = _fields(parts.query.encode("latin-1", "replace"))  # http.server reads the line as latin-1
    if method in ("GET", "HEAD"):
        if body:
            raise Refused(400, f"a {method} request carries no body")
        fields, texts, content_type, out_body = url_fields, [], None, None
    elif method == "POST":
        kinds = [v.split(";")[0].strip().lower() for k, v in named if k == "content-type"]
        kind = kinds[0] if kinds else ""
        if any(k in OPERATION_FIELDS for k, _ in url_fields):
            raise Refused(400, "the request has a body and a query in its URL at once; send one")
        if kind == SPARQL_QUERY:
            try:
                texts = [body.decode("utf-8")]
            except UnicodeDecodeError:
                raise Refused(400, "the query is not UTF-8") from None
            fields, content_type, out_body = url_fields, SPARQL_QUERY, texts[0].encode("utf-8")
        elif kind == FORM:
            fields, content_type = url_fields + _fields(body), FORM
            out_body, texts = urllib.parse.urlencode(fields).encode("ascii"), []
        else:
            raise Refused(415, f"a SPARQL request's body is {SPARQL_QUERY} or {FORM}, not {kind or 'untyped'}")
    else:
        raise Refused(405, f"{method} is not served here (the endpoint is read-only)")
    texts = texts + [value for key, value in fields if key in OPERATION_FIELDS]
    if len(texts) > 1:
        raise Refused(400, "the request carries two queries; send one")
    if content_type == FORM:
        forwarded_target = path
    else:
        rest = [(k, v) for k, v in fields if content_type is None or k not in OPERATION_FIELDS]
        forwarded_target = path + ("?" + urllib.parse.urlencode(rest) if rest else "")
    return ForwardedRequest(method, urllib.parse.quote(forwarded_target, safe="/?&=+%:@!$'()*,;~"),
                            out_body, content_type, texts)


def refused_service(queries: list[str]) -> str | None:
    """The endpoint a SERVICE clause in ``queries`` names, or None: a query that does not parse but has the
    word in it is refused too (Oxigraph might read what rdflib did not)."""
    for text in queries:
        try:
            services = services_in(text)
        except QueryError:
            services = ["?"] if "service" in text.lower() else []
        if services:
            return services[0]
    return None


class GateServer(ThreadingHTTPServer):
    """Listens on the endpoint's public port; forwards to the engines of ``upstream``."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], upstream: EnginePool, allow_service: bool,
                 timeout: float | None = None) -> None:
        super().__init__(address, GateHandler)
        self.upstream = upstream
        self.allow_service = allow_service
        self.query_timeout = timeout

    def handle_error(self, request, client_address) -> None:
        error = sys.exc_info()[1]
        if not isinstance(error, (BrokenPipeError, ConnectionResetError)):
            print(f"kg: endpoint request from {client_address[0]} failed: {error}", file=sys.stderr)


class GateHandler(BaseHTTPRequestHandler):
    """One request: read once, checked for SERVICE, then forwarded."""

    server: GateServer

    def log_message(self, format: str, *args) -> None:
        pass  # the terminal is for the endpoint's address

    def do_GET(self) -> None:
        self._handle()

    do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_GET

    def _body(self) -> bytes:
        lengths = self.headers.get_all("Content-Length") or []
        if len(lengths) > 1:
            raise Refused(400, "the request has two content-length headers; send one")
        if not lengths:
            return b""
        try:
            length = int(lengths[0].strip())
        except ValueError:
            raise Refused(400, f"Content-Length {lengths[0][:20]!r} is not a number") from None
        if length < 0:
            raise Refused(400, "a negative Content-Length")
        if length > MAX_BODY_BYTES:
            raise Refused(413, f"request body over {MAX_BODY_BYTES:,} bytes")
        return self.rfile.read(length)

    def _handle(self) -> None:
        try:
            body = self._body() if "Transfer-Encoding" not in self.headers else b""
            request = parse_request(self.command, self.path, list(self.headers.items()), body)
            service = None if self.server.allow_service else refused_service(request.queries)
            if service is not None:
                raise Refused(403, f"SERVICE <{service}> would make this server query another host; "
                                   "kg serve sends no requests unless started with --allow-service")
        except Refused as refusal:
            self._refuse(refusal.status, refusal.message)
            return
        self._forward(request)

    def _forward(self, request: ForwardedRequest) -> None:
        headers = {k: v for k, v in self.headers.items() if k.lower() in FORWARDED_HEADERS}
        if request.content_type:
            headers["Content-Type"] = request.content_type
        with self.server.upstream.lease() as lease:
            upstream = http.client.HTTPConnection(lease.address, timeout=self.server.query_timeout)
            try:
                upstream.request(request.method, request.target, body=request.body, headers=headers)
                answer = upstream.getresponse()
                self.send_response(answer.status, answer.reason)
                for key, value in answer.getheaders():
                    if key.lower() not in ("connection", "keep-alive", "transfer-encoding", "content-length"):
                        self.send_header(key, value)
                self.send_header("Connection", "close")  # the answer's end is the connection's end
                self.end_headers()
                if request.method != "HEAD":
                    while chunk := answer.read(1 << 16):
                        self.wfile.write(chunk)
            except TimeoutError:
                # Oxigraph does not stop a query that computes without answering (a COUNT over a cross
                # product): its engine is replaced, and stopped once the other requests on it are done.
                lease.abandon()
                self._refuse(503, f"the query ran over the time limit of {self.server.query_timeout:g} s and "
                                  "was stopped (kg serve --timeout SECONDS sets it)")
            except (ConnectionError, http.client.HTTPException, OSError) as exc:
                if isinstance(exc, (BrokenPipeError, ConnectionResetError)) and self.wfile.closed:
                    raise
                self._refuse(502, f"the Oxigraph server did not answer ({exc})")
            finally:
                upstream.close()

    def _refuse(self, status: int, message: str) -> None:
        data = (message + "\n").encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
