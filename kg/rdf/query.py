"""SPARQL over a built graph: run a query, format the answer as a table, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from pyoxigraph import Store
from rdflib import Dataset, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery

from kg import KgError
from kg.rdf.files import load_dataset
from kg.rdf.store import open_store, query_store
from kg.rdf.vocab import PREFIXES


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


def prepare(query: str):
    """Parse ``query`` with kg's prefixes predeclared; raise :class:`QueryError` on bad syntax."""
    if not query.strip():
        raise QueryError("empty query")
    try:
        return prepareQuery(query, initNs=dict(PREFIXES))
    except Exception as exc:  # noqa: BLE001 - pyparsing and rdflib raise several types
        message = str(getattr(exc, "msg", "") or exc).splitlines()[0][:160]
        raise QueryError(f"malformed SPARQL at {_position(query, exc)}: {message}") from None


def run(source: Dataset | Store, query: str):
    """Run a SELECT, ASK or CONSTRUCT/DESCRIBE query on a dataset or an Oxigraph store.

    The query is parsed by rdflib first in both cases, so a malformed query
    gets the same one-line message with its position either way.
    """
    prepared = prepare(query)
    try:
        if isinstance(source, Store):
            return query_store(source, query)
        return source.query(prepared)
    except Exception as exc:  # noqa: BLE001
        raise QueryError(f"query failed: {' '.join(str(exc).split())[:200]}") from None


def open_source(path: str) -> Dataset | Store:
    """What ``kg query`` reads: a kg store folder (queried in Oxigraph) or a graph file."""
    if Path(path).is_dir():
        return open_store(path)  # a folder that is no kg store gets a one-line error from here
    return load_dataset(path)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, URIRef):
        for prefix, namespace in PREFIXES.items():
            if str(value).startswith(str(namespace)):
                return f"{prefix}:{str(value)[len(str(namespace)):]}"
        return str(value)
    if isinstance(value, Literal):
        return str(value)
    return str(value)


def format_result(result, fmt: str = "table") -> str:
    """Text of a query result: ``table`` (aligned columns), ``csv`` or ``json``."""
    if result.type == "ASK":
        answer = bool(result.askAnswer)
        return json.dumps({"boolean": answer}) if fmt == "json" else ("true" if answer else "false")
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return result.graph.serialize(format="json-ld" if fmt == "json" else "turtle")
    names = [str(v) for v in result.vars]
    rows = [[_cell(row[v]) for v in result.vars] for row in result]
    if fmt == "json":
        return json.dumps([dict(zip(names, row)) for row in rows], ensure_ascii=False, indent=1)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(rows)
        return buffer.getvalue().rstrip("\n")
    lines = aligned_table(names, rows)
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


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
