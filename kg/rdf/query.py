"""SPARQL over a built graph: run a query, format the answer as a table, CSV or JSON.

Stores and graph files are both queried by Oxigraph (a file is loaded into
an in-memory store first); rdflib's parser only checks the query first, for
its one-line message with the error's position.
"""

from __future__ import annotations

import io
import itertools
import multiprocessing
import re
import shutil
import time
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue

from kg import KgError
from kg.rdf.files import FORMATS, load_dataset, triples_bytes
from kg.rdf.store import memory_store, open_store, query_store
from kg.rdf.vocab import PREFIXES, prefix_map

#: an answer: solutions of a SELECT, the boolean of an ASK, the triples of a CONSTRUCT or DESCRIBE
Answer = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


class QueryError(KgError, ValueError):
    """A query that does not parse or cannot run; the message gives the position."""


def _position(query: str, exc: Exception) -> str:
    line = getattr(exc, "lineno", None) or getattr(exc, "line_number", None)
    col = getattr(exc, "col", None) or getattr(exc, "column", None)
    loc = getattr(exc, "loc", None)
    if line is None and isinstance(loc, int):
        line = query.count("\n", 0, loc) + 1
        col = loc - (query.rfind("\n", 0, loc) + 1) + 1
    if line is None:
        match = re.search(r"line:?\s*(\d+).*?col:?\s*(\d+)", str(exc))
        if match:
            line, col = match.groups()
    return f"line {line}, column {col}" if line is not None else "unknown position"


#: the first keyword of a SPARQL Update operation (after any PREFIX and BASE declarations)
_UPDATE = re.compile(r"^\s*(?:(?:PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*"
                     r"(?:INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE)


def prepare(query: str):
    """Parse ``query`` with kg's prefixes predeclared; raise :class:`QueryError` on bad syntax, and on an
    update (kg answers queries; a graph is changed only by kg build)."""
    if not query.strip():
        raise QueryError("empty query")
    if _UPDATE.match(query):
        raise QueryError("this is a SPARQL Update; kg query answers SELECT, ASK, CONSTRUCT and DESCRIBE "
                         "(a graph changes only through kg build)")
    try:
        return prepareQuery(query, initNs=dict(PREFIXES))
    except Exception as exc:  # noqa: BLE001 - pyparsing and rdflib raise several types
        rdflib_error = exc
    # rdflib does not know what Oxigraph adds to SPARQL 1.1 (LATERAL, used by the canned lookups): what
    # Oxigraph parses is a query; run on an empty store, it is parsed and answers nothing. Not one that
    # names SERVICE: running it could send a request (check refuses it, or the real run reports errors).
    if _services_in_text(query):
        return None
    try:
        ox.Store().query(query, prefixes=prefix_map())
    except SyntaxError:
        message = str(getattr(rdflib_error, "msg", "") or rdflib_error).splitlines()[0][:160]
        raise QueryError(f"malformed SPARQL at {_position(query, rdflib_error)}: {message}") from None
    except (ValueError, OSError, RuntimeError):
        pass  # parsed; it failed on running, which the real run reports
    return None


#: what cannot hold a keyword: strings, IRIs and comments
_NOT_KEYWORDS = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>\s]*>|#[^\n]*')
#: the keyword as a token: not part of a prefixed name (ex:service), a variable (?service) or a longer word
_SERVICE = re.compile(r"(?<![\w:?$.\-])SERVICE(?![\w:.\-])(?:\s+SILENT)?\s*(<[^<>\s]*>|\S+)?", re.IGNORECASE)


def _services_in_text(query: str) -> list[str]:
    """The SERVICE clauses of a query found in its text (strings, IRIs and comments aside): what a parser
    that reads the query differently from rdflib could still see."""
    if not _SERVICE.search(_NOT_KEYWORDS.sub(" ", query)):
        return []
    return [(m.group(1) or "?").strip("<>") for m in _SERVICE.finditer(query)] or ["?"]


def _services(node) -> list[str]:
    """The endpoints of the SERVICE clauses in a parsed query's algebra."""
    found = []
    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            found.append(str(node.get("term")))
        for value in node.values():
            found += _services(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            found += _services(value)
    return found


def services_in(query: str) -> list[str]:
    """The endpoints a query's SERVICE clauses name (a malformed query raises :class:`QueryError`)."""
    prepared = prepare(query)
    in_text = _services_in_text(query)
    # The parsed algebra, and the keyword in the text too: a query that rdflib reads without a SERVICE
    # but another parser (Oxigraph's) might read with one is refused as well.
    return (_services(prepared.algebra) or in_text) if prepared is not None else in_text


def check(query: str, *, allow_service: bool = False) -> None:
    """Parse ``query`` (a malformed one raises :class:`QueryError` with its position) and refuse a SERVICE
    clause, which would make kg send requests to other hosts, unless ``allow_service``."""
    services = services_in(query)
    if services and not allow_service:
        raise QueryError(f"SERVICE <{services[0]}> would query another host; kg does not send requests "
                         "unless told to (--allow-service)")


#: Bindings of query variables to terms, as ``kg query --bind NAME=VALUE`` gives them
Bindings = dict[ox.Variable, ox.NamedNode | ox.Literal]
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def parse_bindings(pairs: list[str]) -> Bindings:
    """``NAME=VALUE`` pairs as variable bindings: ``<IRI>`` an IRI, ``YYYY-MM-DD`` an ``xsd:date``,
    ``"text"`` a plain string, anything else a name as kg writes labels (``"text"@zh``), so that a
    canned query finds ``?p rdfs:label ?person`` through the index. A malformed pair raises
    :class:`QueryError`.
    Oxigraph binds a variable only where the query selects it (``SELECT ?person …``)."""
    bindings: Bindings = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        name = name.strip().lstrip("?$")
        if not equals or not _NAME.fullmatch(name):
            raise QueryError(f"--bind {pair!r}: give NAME=VALUE (a variable name, then its value)")
        if value.startswith("<") and value.endswith(">") and len(value) > 2:
            term: ox.NamedNode | ox.Literal = ox.NamedNode(value[1:-1])
        elif _DAY.fullmatch(value):
            term = ox.Literal(value, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date"))
        elif len(value) >= 2 and value[0] == value[-1] == '"':
            term = ox.Literal(value[1:-1])
        else:
            term = ox.Literal(value, language="zh")
        bindings[ox.Variable(name)] = term
    return bindings


def run(source: ox.Store, query: str, *, allow_service: bool = False, bindings: Bindings | None = None) -> Answer:
    """Run a SELECT, ASK or CONSTRUCT/DESCRIBE query on a store (see :func:`open_source`), once
    :func:`check` has passed it; ``bindings`` set variables first (see :func:`parse_bindings`)."""
    check(query, allow_service=allow_service)
    return _execute(source, query, bindings)


def _execute(source: ox.Store, query: str, bindings: Bindings | None = None) -> Answer:
    try:
        return query_store(source, query, bindings)
    except (SyntaxError, ValueError, OSError, RuntimeError) as exc:
        # RuntimeError: Oxigraph binds only variables the query selects (SEP-0007 substitution)
        raise QueryError(f"query failed: {' '.join(str(exc).split())[:200]}") from None


def answer_within(source: ox.Store, query: str, fmt: str, timeout: float | None, *,
                  allow_service: bool = False, bindings: Bindings | None = None) -> str:
    """The formatted answer of ``query`` as one string (see :func:`write_answer`)."""
    out = io.BytesIO()
    write_answer(out, source, query, fmt, timeout, allow_service=allow_service, bindings=bindings)
    return out.getvalue().decode("utf-8").rstrip("\r\n")


def write_answer(out: BinaryIO, source: ox.Store, query: str, fmt: str, timeout: float | None, *,
                 allow_service: bool = False, bindings: Bindings | None = None) -> None:
    """Write the formatted answer of ``query`` (``bindings`` set first) to ``out``, computed in a forked
    process that is stopped after ``timeout`` seconds (None: no limit, and no process): Oxigraph cannot be
    interrupted from Python once a query runs. The ``json``, ``csv`` and ``tsv`` answers of a SELECT stream:
    Oxigraph serializes each row as it is found and it reaches ``out`` in blocks of
    :data:`STREAM_BLOCK` bytes, so listing everything starts at once and holds no more than a block (a
    query stopped by its time limit leaves the rows written so far). A table is aligned on all its
    rows, and comes whole. The query is checked here, once, so a malformed one or a SERVICE clause is
    reported before any process starts."""
    check(query, allow_service=allow_service)
    if not timeout:
        _write_formatted(_execute(source, query, bindings), fmt, out.write)
        out.flush()
        return
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_answer_into, args=(sender, source, query, fmt, bindings), daemon=True)
    child.start()
    sender.close()
    deadline = time.monotonic() + timeout
    try:
        while True:
            if not receiver.poll(max(0.0, deadline - time.monotonic())):
                raise QueryError(f"the query ran over its time limit of {timeout:g} s and was stopped "
                                 "(--timeout SECONDS sets it, 0 for none)")
            kind, payload = receiver.recv()
            if kind == "block":
                out.write(payload)
                out.flush()
            elif kind == "error":
                raise QueryError(payload)
            else:
                return
    except EOFError:
        raise QueryError(f"the query stopped without an answer (exit code {child.exitcode})") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()


#: how many bytes of a streamed answer go through the pipe at a time
STREAM_BLOCK = 1 << 16


class _Blocks(io.RawIOBase):
    """A binary file that hands what is written to ``send`` in blocks of :data:`STREAM_BLOCK` bytes."""

    def __init__(self, send) -> None:
        super().__init__()
        self._send, self._buffer = send, bytearray()
        self.ends_line = True

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self._buffer += data
        if data:
            self.ends_line = bytes(data[-1:]) == b"\n"
        if len(self._buffer) >= STREAM_BLOCK:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self._buffer:
            self._send(bytes(self._buffer))
            self._buffer.clear()


#: a CONSTRUCT answer up to this many triples is written sorted; a longer one streams in arrival order
SORTED_TRIPLES_MAX = 100_000
#: triples per block of a streamed CONSTRUCT answer
TRIPLES_BLOCK = 10_000


def _write_triples(result: ox.QueryTriples, fmt: str, write) -> None:
    """A CONSTRUCT or DESCRIBE answer as Turtle (JSON-LD for ``json``): sorted when it is small, else in
    blocks as Oxigraph finds the triples, so a huge answer starts at once and memory holds one block."""
    rdf_format = FORMATS["jsonld" if fmt == "json" else "turtle"][0]
    triples = ((t.subject, t.predicate, t.object) for t in result)
    head = list(itertools.islice(triples, SORTED_TRIPLES_MAX + 1))
    if len(head) <= SORTED_TRIPLES_MAX:
        write(triples_bytes(head, rdf_format) + b"\n")
        return
    rest = iter(lambda: list(itertools.islice(triples, TRIPLES_BLOCK)), [])
    blocks = itertools.chain((head[i:i + TRIPLES_BLOCK] for i in range(0, len(head), TRIPLES_BLOCK)), rest)
    if rdf_format == ox.RdfFormat.JSON_LD:  # a JSON-LD array of node objects: the arrays' items joined
        write(b"[")
        for number, block in enumerate(blocks):
            write((b"," if number else b"") + triples_bytes(block, rdf_format).strip()[1:-1])
        write(b"]\n")
        return
    for number, block in enumerate(blocks):
        text = triples_bytes(block, rdf_format)
        if number:  # the prefixes are declared once, at the top
            text = b"".join(line for line in text.splitlines(keepends=True) if not line.startswith(b"@prefix "))
        write(text)


def _write_formatted(result: Answer, fmt: str, write) -> None:
    """Write a query answer through ``write`` (bytes): streamed for the SPARQL results formats and large
    CONSTRUCT answers, else the text of :func:`format_result` and a newline."""
    if isinstance(result, ox.QueryTriples):
        _write_triples(result, fmt, write)
        return
    if fmt in RESULT_FORMATS:
        blocks = _Blocks(write)
        result.serialize(output=blocks, format=RESULT_FORMATS[fmt])
        if not blocks.ends_line:
            blocks.write(b"\n")  # JSON ends without one; a terminal's prompt should not follow it
        blocks.flush()
    else:
        write((format_result(result, fmt) + "\n").encode("utf-8"))


def _answer_into(sender, source: ox.Store, query: str, fmt: str, bindings: Bindings | None) -> None:
    try:
        _write_formatted(_execute(source, query, bindings), fmt, lambda block: sender.send(("block", block)))
        sender.send(("done", None))
    except KgError as exc:
        sender.send(("error", str(exc)))
    finally:
        sender.close()


def open_source(path: str) -> ox.Store:
    """What ``kg query`` reads: a kg store folder, or a graph file loaded into an in-memory store."""
    if Path(path).is_dir():
        return open_store(path)  # a folder that is no kg store gets a one-line error from here
    return memory_store(load_dataset(path))


_NAMESPACES = [(prefix, str(namespace)) for prefix, namespace in PREFIXES.items()]


def _cell(value) -> str:
    """A term as a table cell: IRIs in kg's prefixes shortened, literals as their text."""
    if value is None:
        return ""
    if isinstance(value, ox.NamedNode):
        for prefix, namespace in _NAMESPACES:
            if value.value.startswith(namespace):
                return f"{prefix}:{value.value[len(namespace):]}"
    return value.value


#: the SPARQL 1.1 result formats other tools read, written by Oxigraph's own serializers
RESULT_FORMATS = {"json": ox.QueryResultsFormat.JSON, "csv": ox.QueryResultsFormat.CSV,
                  "tsv": ox.QueryResultsFormat.TSV}
#: the narrowest a table column is cut to when the table is wider than the terminal
MIN_COLUMN = 12


def format_result(result: Answer, fmt: str = "table", width: int | None = None) -> str:
    """Text of a query answer. ``json``, ``csv`` and ``tsv`` are the SPARQL 1.1 Query Results JSON, CSV and
    TSV formats (absolute IRIs, as other tools read them); ``table`` is for people: IRIs in kg's prefixes
    shortened, one line per row, long cells cut to fit ``width`` columns (the terminal's by default). A
    CONSTRUCT or DESCRIBE answer is Turtle, or JSON-LD for ``json``."""
    if isinstance(result, ox.QueryTriples):
        triples = [(t.subject, t.predicate, t.object) for t in result]
        return triples_bytes(triples, FORMATS["jsonld" if fmt == "json" else "turtle"][0]).decode("utf-8")
    if fmt in RESULT_FORMATS:
        return result.serialize(format=RESULT_FORMATS[fmt]).decode("utf-8").rstrip("\r\n")
    if isinstance(result, ox.QueryBoolean):
        return "true" if bool(result) else "false"
    names = [v.value for v in result.variables]
    # A table keeps one line per row: an evidence paragraph's line breaks become spaces.
    rows = [[" ".join(_cell(row[i]).split()) for i in range(len(names))] for row in result]
    lines = aligned_table(names, fitted(names, rows, width or shutil.get_terminal_size().columns))
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


def fitted(header: list[str], rows: list[list[str]], width: int) -> list[list[str]]:
    """``rows`` with the widest cells cut (…) until a table of them fits ``width`` columns, no column
    narrower than its header or :data:`MIN_COLUMN`."""
    widths = [max([display_width(h)] + [display_width(r[i]) for r in rows]) for i, h in enumerate(header)]
    floor = [max(MIN_COLUMN, display_width(h)) for h in header]
    while sum(widths) + 2 * (len(widths) - 1) > width:
        widest = max(range(len(widths)), key=lambda i: widths[i] - floor[i])
        if widths[widest] <= floor[widest]:
            break
        widths[widest] -= 1
    return [[_cut(cell, w) for cell, w in zip(row, widths, strict=True)] for row in rows]


def _cut(text: str, width: int) -> str:
    """``text`` cut to ``width`` display columns, ending in … when cut."""
    if display_width(text) <= width:
        return text
    out, used = [], 1
    for char in text:
        used += display_width(char)
        if used > width:
            break
        out.append(char)
    return "".join(out) + "…"


def aligned_table(header: list[str], rows: list[list[str]]) -> list[str]:
    """Lines of a plain table: the header, a rule, the rows, columns aligned for CJK text."""
    widths = [max([display_width(h)] + [display_width(r[i]) for r in rows]) for i, h in enumerate(header)]
    return [aligned_row(header, widths), "  ".join("-" * w for w in widths)] + [aligned_row(r, widths) for r in rows]


def display_width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if "\u2e80" <= c <= "\uffef" else 1 for c in text)


def aligned_row(cells: list[str], widths: list[int]) -> str:
    """Cells padded to their column widths, two spaces apart."""
    return "  ".join(c + " " * (w - display_width(c)) for c, w in zip(cells, widths)).rstrip()
