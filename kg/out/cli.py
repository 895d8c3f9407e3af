"""The ``kg`` command: build, query, view, serve, stats, validate, export."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path

from kg import KgError, __version__

EPILOG = "Each sub-command has its own --help. Errors are one line on stderr and a non-zero exit."
#: how long kg query and kg serve let one query run, in seconds
QUERY_TIMEOUT_S = 30.0


class UsageError(KgError):
    """A user mistake reported in one line."""


def _read_config(path: str) -> str:
    from kg.nlp.pipeline import read_config

    return read_config(path)


def _build(args: argparse.Namespace) -> int:
    from kg.out.batch.build import run_build

    if args.interval <= 0:
        raise UsageError("--interval must be more than 0 seconds")
    options = {"store": Path(args.store) if args.store else None, "endpoint": args.endpoint,
               "workers": args.workers, "scheduler": args.scheduler, "fresh": args.fresh,
               "progress": not args.quiet, "config": _read_config(args.config) if args.config else None}
    if args.watch:
        from kg.out.batch.watch import watch

        print(f"kg: watching {', '.join(args.inputs)} every {args.interval:g} s; Ctrl-C stops", file=sys.stderr)
        return watch(args.inputs, Path(args.output), interval=args.interval,
                     on_round=lambda report: _print_build(args, report), **options)
    _print_build(args, run_build(args.inputs, Path(args.output), **options))
    return 0


def _print_build(args: argparse.Namespace, report) -> None:
    """The summary lines of one build, and its --report file."""
    from kg.io.atomic import write_atomic

    out = args.output
    print(f"kg: {report.articles} article(s) ({report.extracted} extracted, {report.unchanged} unchanged), "
          f"{report.facts} facts, {report.triples} triples, {report.same_story_pairs} same-story pair(s) "
          f"-> {out}/graph.ttl, {out}/graph.trig, {out}/graph.html ({report.seconds:.1f} s)", flush=True)
    if args.store:
        print(f"kg: {report.quads_in_store} quads loaded into the Oxigraph store {args.store}")
    if args.endpoint:
        print(f"kg: {report.graphs_sent} named graphs and the default graph sent to {args.endpoint}")
    if args.report:
        write_atomic(Path(args.report), report.as_json().encode("utf-8"))
    sys.stdout.flush()


def _query(args: argparse.Namespace) -> int:
    from kg.rdf.query import open_source, parse_bindings, write_answer

    if args.file:
        try:
            text = Path(args.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{args.file}: cannot read query ({exc})") from None
    elif args.query:
        text = args.query
    else:
        raise UsageError("give a query or -f FILE.rq")
    bindings = parse_bindings(args.bind)
    sys.stdout.flush()
    write_answer(sys.stdout.buffer, open_source(args.graph), text, args.format, args.timeout or None,
                 allow_service=args.allow_service, bindings=bindings)
    return 0


def _view(args: argparse.Namespace) -> int:
    from kg.io.atomic import write_atomic
    from kg.out.view.page import render_page
    from kg.rdf.store import load_any

    if args.hops < 0:
        raise UsageError("--hops must be 0 or more")
    heading = "kg: " + Path(args.graph).name + (f" · {args.focus} ±{args.hops}" if args.focus else "")
    try:
        page = render_page(load_any(args.graph), heading, focus=args.focus, hops=args.hops,
                           size=args.size, max_nodes=args.max_nodes)
    except LookupError as exc:
        raise UsageError(f"{args.graph}: {exc.args[0]}") from None
    write_atomic(Path(args.output), page.encode("utf-8"))
    print(f"kg: page written to {args.output}")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from kg.out.serve import serve

    return serve(args.source, port=args.port, page_port=args.page_port, timeout=args.timeout or None,
                 allow_service=args.allow_service)


def _stats(args: argparse.Namespace) -> int:
    from kg.out.network import entity_network
    from kg.out.stats import format_stats, graph_stats
    from kg.rdf.store import union_index
    from kg.rdf.tenures import changed_posts

    union = union_index(args.graph)  # indexed once for the network and the posts
    stats = graph_stats(entity_network(union), top=args.top)
    stats.post_changes = changed_posts(union)
    print(format_stats(stats))
    return 0


def _validate(args: argparse.Namespace) -> int:
    from kg.rdf.store import load_any
    from kg.rdf.validate import SHAPES, validate

    shapes = Path(args.shapes) if args.shapes else SHAPES
    violations = validate(load_any(args.graph), shapes)
    for v in violations:
        print(f"{v.severity}: {v.focus} {v.path}: {v.message}")
    if violations:
        print(f"kg: {args.graph}: {len(violations)} violation(s) of {shapes}", file=sys.stderr)
        return 1
    print(f"kg: {args.graph} conforms to {shapes}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from kg.io.atomic import write_atomic
    from kg.rdf.files import serialize
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
    build.add_argument("inputs", nargs="+",
                       help="article files, folders, glob patterns, .jsonl or .jsonl.gz files (streamed)")
    build.add_argument("-o", "--output", required=True,
                       help="output folder; building into it again extracts only new or changed articles")
    build.add_argument("--store", metavar="DIR",
                       help="also load the graph into a persistent Oxigraph store in DIR (replacing it)")
    build.add_argument("--workers", type=int, default=1, help="extraction processes on this machine (default 1)")
    build.add_argument("--scheduler", metavar="tcp://HOST:8786",
                       help="run the extraction on a Dask distributed cluster through this scheduler")
    build.add_argument("--endpoint", metavar="URL",
                       help="also PUT the graphs to a Graph Store Protocol endpoint (Oxigraph: http://HOST:PORT/store)")
    build.add_argument("--fresh", action="store_true", help="forget what the output folder remembers; extract all")
    build.add_argument("--config", metavar="FILE.cfg",
                       help="another spaCy pipeline config (default: kg/nlp/config.cfg); e.g. other lexicons "
                            "([components.kg_lexicon] lexicon_dir) or the NER model on every sentence")
    build.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    build.add_argument("--report", metavar="FILE.json",
                       help="write what the build did as JSON (counts, times, each worker's peak memory)")
    build.add_argument("--watch", action="store_true",
                       help="stay running with the models loaded: rebuild whenever the inputs change "
                            "(new or edited files in the folders and patterns given); Ctrl-C stops")
    build.add_argument("--interval", type=float, default=2.0, metavar="SECONDS",
                       help="with --watch: how often to look at the inputs (default 2)")
    build.set_defaults(run=_build)

    query = sub.add_parser("query", help="SPARQL over a built graph",
                           description="Run a SPARQL 1.1 SELECT, ASK or CONSTRUCT query; kg's prefixes "
                                       "(kg, schema, org, prov, rdfs, skos, xsd) are predeclared.")
    query.add_argument("graph", help="graph file (.ttl, .trig, .nt, .nq, .jsonld, .rdf) or a store folder "
                                     "from kg build --store (queried in Oxigraph)")
    query.add_argument("query", nargs="?", help="the query text")
    query.add_argument("-f", "--file", help="read the query from a .rq file")
    query.add_argument("--format", choices=["table", "csv", "tsv", "json"], default="table",
                       help="table for people (IRIs shortened, cut to the terminal); csv, tsv and json are the "
                            "SPARQL 1.1 result formats with absolute IRIs (default table)")
    query.add_argument("--timeout", type=float, default=QUERY_TIMEOUT_S, metavar="SECONDS",
                       help=f"stop a query that runs longer (default {QUERY_TIMEOUT_S:g}; 0 for no limit)")
    query.add_argument("--allow-service", action="store_true",
                       help="let SERVICE clauses query other hosts (off: kg sends no requests)")
    query.add_argument("--bind", action="append", default=[], metavar="NAME=VALUE",
                       help="set ?NAME before the query runs (repeatable): <IRI>, a YYYY-MM-DD date, or text "
                            "(the canned queries in schemas/queries take person=, post=, date=)")
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
    # kg.out.view.page.MAX_NODES (not imported here: kg --help must start fast)
    view.add_argument("--max-nodes", type=int, default=10000,
                      help="draw at most this many entities, the most connected (default 10000; 0: all)")
    view.set_defaults(run=_view)

    serve = sub.add_parser("serve", help="a read-only SPARQL endpoint and the graph page on 127.0.0.1",
                           description="Serve a store or graph file: Oxigraph's SPARQL 1.1 Protocol endpoint "
                                       "at http://127.0.0.1:PORT/query (updates are refused) and the graph "
                                       "page at http://127.0.0.1:PAGE_PORT/. Ctrl-C stops both.")
    serve.add_argument("source", metavar="STORE_OR_GRAPH")
    serve.add_argument("--port", type=int, default=7878, help="SPARQL endpoint port (default 7878)")
    serve.add_argument("--page-port", type=int, default=None, help="graph page port (default PORT+1)")
    serve.add_argument("--timeout", type=float, default=QUERY_TIMEOUT_S, metavar="SECONDS",
                       help=f"the server stops a query that runs longer (default {QUERY_TIMEOUT_S:g}; 0: no limit)")
    serve.add_argument("--allow-service", action="store_true",
                       help="let SERVICE clauses make the server query other hosts (off by default)")
    serve.set_defaults(run=_serve)

    stats = sub.add_parser("stats", help="counts, central persons, components and the meetings network",
                           description="Analyse the entity network with networkx.")
    stats.add_argument("graph", help="graph file or store folder")
    stats.add_argument("--top", type=int, default=10,
                       help="how many rows each ranked table lists: central persons, meeting pairs, posts that "
                            "changed holder (default 10)")
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
    for stream in (sys.stdout, sys.stderr):  # a file name that is not UTF-8 is printed escaped, never a traceback
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except KgError as exc:
        print(f"kg: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader went away (kg query … | head): stop quietly, as other tools do
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except OSError as exc:  # an output path that cannot be written, a disk that is full
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"kg: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("kg: interrupted", file=sys.stderr)
        return 130


def run() -> None:
    """The console script: :func:`main`, then a fast exit after a build.

    A build process holds a gigabyte of models and facts; letting the
    interpreter free it object by object takes over a second. The outputs
    are written and closed by then, so the process flushes and ends at once.
    """
    code = main()
    if len(sys.argv) > 1 and sys.argv[1] == "build":
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    run()
