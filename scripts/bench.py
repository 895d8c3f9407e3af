"""Batch throughput of kg build beside raw pkuseg segmentation, measured in one run.

usage: python scripts/bench.py [--articles N]

The corpus: the sentences of ../shared/corpora/msra-ner/train.bio joined
into articles of about 2,000 characters, written as .jsonl.gz (N articles,
and 1% more from later sentences for the incremental step). Reported:

* raw pkuseg segmentation alone (the pipeline's own tokenizer), chars/s;
* ``kg build`` on one process, and with ``--workers 2``, chars/s of wall
  time (start-up and model loading included) and the ratio of each to
  segmentation; the peak memory of each process that extracted;
* an incremental rebuild: the same output folder, the corpus plus 1% new
  articles; its time against the full build's, and whether its graph equals
  the from-scratch build of the same input (the ``--workers 2`` run);
* the store load rate: the final graph into an Oxigraph store, quads/s.

Figures, not assertions: the machine is shared and noisy.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "msra-ner" / "train.bio"
KG = [sys.executable, "-m", "kg.cli"]


def articles(limit: int, size: int = 2000) -> list[str]:
    """The first ``limit`` articles of ~``size`` characters made of train.bio sentences."""
    out, current, sentence = [], [], []
    with open(CORPUS, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                sentence.append(line.split("\t", 1)[0])
                continue
            if sentence:
                current.append("".join(sentence))
                sentence = []
            if sum(map(len, current)) >= size:
                out.append("".join(current))
                current = []
                if len(out) >= limit:
                    break
    return out


def write_jsonl_gz(path: Path, texts: list[str], first_id: int) -> None:
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        for number, text in enumerate(texts, first_id):
            handle.write(json.dumps({"id": f"msra-{number:06d}", "text": text}, ensure_ascii=False) + "\n")


def segmentation_speed(texts: list[str]) -> float:
    from kg.nlp.pipeline import load_segmenter

    tokenizer = load_segmenter().tokenizer
    start = time.perf_counter()
    for text in texts:
        tokenizer(text)
    return sum(map(len, texts)) / (time.perf_counter() - start)


def kg_build(inputs: list[Path], out: Path, report: Path, *extra: str) -> tuple[float, dict]:
    """Wall seconds of one ``kg build`` process, and its report."""
    start = time.perf_counter()
    subprocess.run([*KG, "build", *map(str, inputs), "-o", str(out), "-q", "--report", str(report), *extra],
                   check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start, json.loads(report.read_text(encoding="utf-8"))


def peaks(report: dict) -> str:
    values = sorted(report["worker_peak_mb"].values())
    return ", ".join(f"{v:,.0f} MiB" for v in values) or "none"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000,
                        help="corpus size in articles of ~2,000 chars (train.bio holds about 1,070)")
    args = parser.parse_args()
    if not CORPUS.is_file():
        print(f"bench: {CORPUS} not found", file=sys.stderr)
        return 1
    texts = articles(args.articles + max(args.articles // 100, 1))
    # train.bio holds about 1,070 articles of 2,000 characters: the last 1% is the incremental step's.
    extra_count = max(len(texts) // 101, 1)
    base, extra = texts[:-extra_count], texts[-extra_count:]
    chars, extra_chars = sum(map(len, base)), sum(map(len, extra))
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as folder:
        work = Path(folder)
        write_jsonl_gz(work / "base.jsonl.gz", base, 0)
        write_jsonl_gz(work / "more.jsonl.gz", extra, len(base))
        print(f"corpus: {len(base):,} articles, {chars:,} characters (MSRA train.bio sentences), "
              f"+{len(extra)} articles ({extra_chars:,} characters) for the incremental step")
        seg = segmentation_speed(base)
        print(f"pkuseg segmentation alone: {seg:,.0f} chars/s")

        one_s, one = kg_build([work / "base.jsonl.gz"], work / "one", work / "one.json")
        one_rate = chars / one_s
        print(f"kg build, 1 process: {one_s:,.1f} s, {one_rate:,.0f} chars/s, "
              f"ratio to segmentation {one_rate / seg:.2f}; peak memory {peaks(one)}")

        inc_s, inc = kg_build([work / "base.jsonl.gz", work / "more.jsonl.gz"], work / "one", work / "inc.json")
        phases = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in inc["phase_seconds"].items())
        print(f"incremental rebuild (+{len(extra)} articles, {inc['extracted']} extracted, "
              f"{inc['unchanged']:,} unchanged): {inc_s:,.1f} s, {inc_s / one_s:.1%} of the full build "
              f"(reading and extracting {inc['extraction_seconds']:.1f} s; {phases})")

        two_s, two = kg_build([work / "base.jsonl.gz", work / "more.jsonl.gz"], work / "two", work / "two.json",
                              "--workers", "2")
        two_rate = (chars + extra_chars) / two_s
        print(f"kg build, --workers 2: {two_s:,.1f} s, {two_rate:,.0f} chars/s, ratio to segmentation "
              f"{two_rate / seg:.2f}, {two_rate / one_rate:.2f}x one process; peak memory per worker {peaks(two)}")
        same = (work / "one" / "graph.trig").read_bytes() == (work / "two" / "graph.trig").read_bytes()
        print(f"incremental graph equals the from-scratch build of the same input: {'yes' if same else 'NO'} "
              f"({two['triples']:,} triples, {two['facts']:,} facts, {two['same_story_pairs']} same-story pairs)")

        from kg.rdf.files import load_dataset
        from kg.rdf.store import write_store

        dataset = load_dataset(work / "two" / "graph.trig")
        start = time.perf_counter()
        quads = write_store(dataset, work / "store")
        load_s = time.perf_counter() - start
        print(f"store load: {quads:,} quads (article graphs and their union) in {load_s:.1f} s, "
              f"{quads / load_s:,.0f} quads/s")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
