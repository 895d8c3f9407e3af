"""The ``kg`` command: build, query, view, serve, stats, validate, export."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from kg import __version__

EPILOG = "Each sub-command has its own --help. Errors are one line on stderr and a non-zero exit."


class UsageError(Exception):
    """A user mistake reported in one line."""


def _build(args: argparse.Namespace) -> int:
    from kg.facts import extract
    from kg.io.articles import iter_articles
    from kg.rdf.build import build_dataset, union_graph
    from kg.rdf.files import serialize
    from kg.rdf.store import write_store
    from kg.view.page import render_page

    articles = list(iter_articles(args.inputs))
    if not articles:
        raise UsageError("no articles in the input")
    seen: dict[str, str] = {}
    for article in articles:
        if article.id in seen and seen[article.id] != article.content_hash:
            raise UsageError(f"{article.path}: article id {article.id!r} is used twice with different text")
        seen[article.id] = article.content_hash
        for note in article.notes:
            print(f"kg: note: {note}", file=sys.stderr)
    results = extract(articles)
    dataset = build_dataset(results)
    out = Path(args.output)
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: exists and is not a folder")
    # Write everything into a staging folder first: a failure leaves the old output untouched.
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        (staging / "graph.ttl").write_bytes(serialize(dataset, "turtle"))
        (staging / "graph.trig").write_bytes(serialize(dataset, "trig"))
        (staging / "graph.html").write_text(render_page(union_graph(dataset), "kg knowledge graph"), encoding="utf-8")
        out.mkdir(exist_ok=True)
        for name in ("graph.ttl", "graph.trig", "graph.html"):
            (staging / name).replace(out / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    facts = sum(len(r.facts) for r in results)
    print(f"kg: {len(articles)} article(s), {facts} facts, {len(dataset)} triples -> {out}/graph.ttl, "
          f"{out}/graph.trig, {out}/graph.html")
    if args.store:
        quads = write_store(dataset, args.store)
        print(f"kg: {quads} quads loaded into the Oxigraph store {args.store}")
    return 0


def _query(args: argparse.Namespace) -> int:
    from kg.query import format_result, open_source, run

    if args.file:
        try:
            text = Path(args.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{args.file}: cannot read query ({exc})") from None
    elif args.query:
        text = args.query
    else:
        raise UsageError("give a query or -f FILE.rq")
    print(format_result(run(open_source(args.graph), text), args.format))
    return 0


def _view(args: argparse.Namespace) -> int:
    from kg.rdf.build import union_graph
    from kg.rdf.files import write_atomic
    from kg.rdf.store import load_any
    from kg.view.page import render_page

    if args.hops < 0:
        raise UsageError("--hops must be 0 or more")
    heading = "kg: " + Path(args.graph).name + (f" · {args.focus} ±{args.hops}" if args.focus else "")
    try:
        page = render_page(union_graph(load_any(args.graph)), heading, focus=args.focus, hops=args.hops,
                           size=args.size)
    except LookupError as exc:
        raise UsageError(f"{args.graph}: {exc.args[0]}") from None
    write_atomic(Path(args.output), page.encode("utf-8"))
    print(f"kg: page written to {args.output}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from kg.serve import serve

    return serve(args.source, port=args.port, page_port=args.page_port)


def _stats(args: argparse.Namespace) -> int:
    from kg.network import entity_network
    from kg.rdf.build import union_graph
    from kg.rdf.store import load_any
    from kg.stats import format_stats, graph_stats

    print(format_stats(graph_stats(entity_network(union_graph(load_any(args.graph))), top=args.top)))
    return 0


def _validate(args: argparse.Namespace) -> int:
    from kg.rdf.build import union_graph
    from kg.rdf.store import load_any
    from kg.validate import SHAPES, validate

    shapes = Path(args.shapes) if args.shapes else SHAPES
    violations = validate(union_graph(load_any(args.graph)), shapes)
    for v in violations:
        print(f"{v.severity}: {v.focus} {v.path}: {v.message}")
    if violations:
        print(f"kg: {args.graph}: {len(violations)} violation(s) of {shapes}", file=sys.stderr)
        return 1
    print(f"kg: {args.graph} conforms to {shapes}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from kg.rdf.files import serialize, write_atomic
    from kg.rdf.store import load_any

    data = serialize(load_any(args.graph), args.format)
    write_atomic(Path(args.output), data)
    print(f"kg: {args.format} written to {args.output}")
    return 0


def parser() -> argparse.ArgumentParser:
    """The argument parser of the ``kg`` command."""
    from kg.rdf.files import FORMATS

    top = argparse.ArgumentParser(prog="kg", description="Chinese news articles to a knowledge graph.",
                                  epilog=EPILOG)
    top.add_argument("--version", action="version", version=f"kg {__version__}")
    sub = top.add_subparsers(dest="command", required=True)

    build = sub.add_parser("build", help="articles to graph.ttl, graph.trig and graph.html",
                           description="Extract facts from articles (text files, folders, .jsonl) and write "
                                       "graph.ttl, graph.trig (one named graph per article) and graph.html.")
    build.add_argument("inputs", nargs="+", help="article files, folders or .jsonl files")
    build.add_argument("-o", "--output", required=True, help="output folder")
    build.add_argument("--store", metavar="DIR",
                       help="also load the graph into a persistent Oxigraph store in DIR (replacing it)")
    build.set_defaults(run=_build)

    query = sub.add_parser("query", help="SPARQL over a built graph",
                           description="Run a SPARQL 1.1 SELECT, ASK or CONSTRUCT query; kg's prefixes "
                                       "(kg, schema, org, prov, rdfs, skos, xsd) are predeclared.")
    query.add_argument("graph", help="graph file (.ttl, .trig, .nt, .nq, .jsonld, .rdf) or a store folder "
                                     "from kg build --store (queried in Oxigraph)")
    query.add_argument("query", nargs="?", help="the query text")
    query.add_argument("-f", "--file", help="read the query from a .rq file")
    query.add_argument("--format", choices=["table", "csv", "json"], default="table")
    query.set_defaults(run=_query)

    view = sub.add_parser("view", help="the interactive network page of a graph",
                          description="Write the self-contained network page: search, filters, and a panel "
                                      "with each node's facts and their evidence.")
    view.add_argument("graph", help="graph file or store folder")
    view.add_argument("-o", "--output", required=True, help="the .html file to write")
    view.add_argument("--focus", metavar="NAME", help="draw only the neighbourhood of the entity with this name")
    view.add_argument("--hops", type=int, default=2, help="how far from --focus to draw (default 2)")
    view.add_argument("--size", choices=["degree", "pagerank"], default="degree",
                      help="node size by degree or PageRank (default degree)")
    view.set_defaults(run=_view)

    serve = sub.add_parser("serve", help="a read-only SPARQL endpoint and the graph page on 127.0.0.1",
                           description="Serve a store or graph file: Oxigraph's SPARQL 1.1 Protocol endpoint "
                                       "at http://127.0.0.1:PORT/query (updates are refused) and the graph "
                                       "page at http://127.0.0.1:PAGE_PORT/. Ctrl-C stops both.")
    serve.add_argument("source", metavar="STORE_OR_GRAPH")
    serve.add_argument("--port", type=int, default=7878, help="SPARQL endpoint port (default 7878)")
    serve.add_argument("--page-port", type=int, default=None, help="graph page port (default PORT+1)")
    serve.set_defaults(run=_serve)

    stats = sub.add_parser("stats", help="counts, central persons, components and the meetings network",
                           description="Analyse the entity network with networkx.")
    stats.add_argument("graph", help="graph file or store folder")
    stats.add_argument("--top", type=int, default=10, help="how many central persons to list (default 10)")
    stats.set_defaults(run=_stats)

    validate = sub.add_parser("validate", help="check a graph against kg's SHACL shapes",
                              description="Validate with pyshacl against schemas/shapes.ttl; prints each "
                                          "violation and exits 1 when there is any.")
    validate.add_argument("graph", help="graph file or store folder")
    validate.add_argument("--shapes", help="another shapes file (Turtle)")
    validate.set_defaults(run=_validate)

    export = sub.add_parser("export", help="re-serialize a graph")
    export.add_argument("graph", help="graph file or store folder")
    export.add_argument("--format", choices=sorted(FORMATS), required=True)
    export.add_argument("-o", "--output", required=True)
    export.set_defaults(run=_export)
    return top


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``kg`` console script."""
    from kg.io.articles import ArticleError
    from kg.ner.component import ModelMissingError
    from kg.query import QueryError
    from kg.rdf.files import GraphFileError
    from kg.segmenter_model import ModelError
    from kg.serve import ServeError

    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except (UsageError, ArticleError, GraphFileError, QueryError, ModelError, ModelMissingError,
            ServeError) as exc:
        print(f"kg: error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # an output path that cannot be written, a disk that is full
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"kg: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("kg: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
