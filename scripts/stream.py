"""``make stream``: build the four-year news stream as a user would, and measure the graph it gives.

usage: python scripts/stream.py [--stream FILE] [--out build/stream] [--workers 2] [--sample 100] [--seed 1]

Builds ``../shared/corpora/news-stream`` (gzipped JSONL, read as it is) with
``kg build --workers N --store`` from scratch, then prints:

* the build's time and peak memory (the build process and each worker, from ``--report``);
* nodes per type (persons, posts, events, ...) and the quads in the store;
* the time of ``kg stats`` on the store;
* the score of ``../shared/eval/tenure_truth.py`` (who held a post on a day, from the public record);

and writes a seeded random sample of persons and posts, each with one evidence sentence, to
``OUT/sample.md`` for a person to judge (mark each line ``y`` or ``n``). Figures, not assertions.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
KG = [str(ROOT / ".venv" / "bin" / "kg")]
CLASSES = {"persons": "schema:Person", "posts": "org:Post", "events": "schema:Event", "countries": "schema:Country",
           "organizations": "schema:Organization", "places": "schema:Place", "articles": "schema:NewsArticle"}
#: one evidence sentence for each node of a class: the first statement about it, in a stable order
EVIDENCE = """SELECT ?node ?label (MIN(?said) AS ?sentence) WHERE {{
  ?node a {klass} ; rdfs:label ?label .
  ?st rdf:subject|rdf:object ?node ; kg:evidence ?said .
}} GROUP BY ?node ?label"""


def kg_query(store: Path, query: str) -> list[dict[str, str]]:
    """Rows of a query on the store, as {variable: value}."""
    done = subprocess.run([*KG, "query", str(store), query, "--format", "json", "--timeout", "0"],
                          capture_output=True, text=True, check=True)
    return [{k: v["value"] for k, v in row.items()} for row in json.loads(done.stdout)["results"]["bindings"]]


def build(stream: Path, out: Path, workers: int) -> tuple[float, dict]:
    """Build from scratch; (seconds, the build's --report)."""
    report = out / "report.json"
    started = time.perf_counter()
    subprocess.run([*KG, "build", str(stream), "-o", str(out / "graph"), "--store", str(out / "store"),
                    "--workers", str(workers), "--fresh", "--report", str(report)], check=True)
    seconds = time.perf_counter() - started
    return seconds, json.loads(report.read_text(encoding="utf-8"))


def write_sample(store: Path, path: Path, size: int, seed: int) -> None:
    """``size`` random persons and ``size`` random posts, each with one evidence sentence, as Markdown."""
    rng = random.Random(seed)
    lines = ["# A sample of the stream's nodes to judge", "",
             f"Seed {seed}. Mark each line y (it is what its type says) or n.", ""]
    for title, klass in (("Persons", "schema:Person"), ("Posts", "org:Post")):
        rows = sorted(kg_query(store, EVIDENCE.format(klass=klass)), key=lambda r: r["node"])
        chosen = rng.sample(rows, min(size, len(rows)))
        lines += [f"## {title} ({len(chosen)} of the {len(rows)} with evidence)", ""]
        for number, row in enumerate(chosen, 1):
            sentence = " ".join(row["sentence"].split())
            at = max(sentence.find(row["label"]) - 60, 0)  # the window around the name, as the judge needs it
            sentence = ("…" if at else "") + sentence[at:at + 140]
            lines.append(f"{number}. [ ] **{row['label']}**: {sentence}")
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stream", type=Path, default=SHARED / "corpora" / "news-stream" / "xwlb-2022-2026.jsonl.gz")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "stream")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sample", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    store = args.out / "store"

    seconds, report = build(args.stream, args.out, args.workers)
    children_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    workers_peak = max(report.get("worker_peak_mb", {}).values(), default=0.0)
    print(f"stream: {report['articles']:,} articles, {report['facts']:,} facts, {report['quads_in_store']:,} quads "
          f"in {seconds / 60:.1f} min on {args.workers} worker(s); peak memory: largest process "
          f"{children_peak:,.0f} MiB, largest extracting worker {workers_peak:,.0f} MiB")
    phases = ", ".join(f"{name} {value:.0f} s" for name, value in sorted(report.get("phase_seconds", {}).items()))
    print(f"stream: extraction {report['extraction_seconds']:.0f} s; then {phases}")

    counts = kg_query(store, "SELECT " + " ".join(f"(COUNT(DISTINCT ?{name}) AS ?n_{name})" for name in CLASSES)
                      + " WHERE { " + " UNION ".join(f"{{ ?{name} a {klass} }}" for name, klass in CLASSES.items())
                      + " }")[0]
    print("stream: nodes: " + ", ".join(f"{int(counts[f'n_{name}']):,} {name}" for name in CLASSES))

    started = time.perf_counter()
    subprocess.run([*KG, "stats", str(store)], capture_output=True, check=True)
    print(f"stream: kg stats on the store: {time.perf_counter() - started:.1f} s")

    truth = subprocess.run([sys.executable, str(SHARED / "eval" / "tenure_truth.py"), str(ROOT), str(store)],
                           capture_output=True, text=True, check=True)
    (args.out / "tenure_truth.txt").write_text(truth.stdout, encoding="utf-8")
    print(f"stream: tenure truth: {truth.stdout.strip().splitlines()[-1]}")

    write_sample(store, args.out / "sample.md", args.sample, args.seed)
    print(f"stream: a sample to judge in {args.out / 'sample.md'}; "
          f"tenure answers in {args.out / 'tenure_truth.txt'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
