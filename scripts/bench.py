"""Batch throughput of kg build beside raw pkuseg segmentation, measured in one run.

usage: python scripts/bench.py [--articles N]

The corpus: the sentences of ../shared/corpora/msra-ner/train.bio joined
into articles of about 2,000 characters, written as .jsonl.gz (N articles,
and 1% more from later sentences for the incremental step). Reported:

* raw pkuseg segmentation alone (spaCy's Chinese tokenizer with spacy-pkuseg
  as shipped), and kg's own segmenter (the same words, faster), chars/s,
  each timed before and after the one-process build (the machine's speed drifts);
* ``kg build`` on one process, and with ``--workers 2``, chars/s of wall
  time (start-up and model loading included) and the ratio of each to
  segmentation; the peak memory of each process that extracted;
* an incremental rebuild: the same output folder, the corpus plus 1% new
  articles; its time against the full build's, and whether its graph equals
  the from-scratch build of the same input (the ``--workers 2`` run). Twice:
  a new ``kg build`` process (which loads the models again), and a running
  ``kg build --watch`` (models loaded) that finds the new file in its folder;
  the watch's time runs from the file's arrival to the new report;
* the store load rate: the final graph into an Oxigraph store, quads/s;
* one long article with no sentence punctuation at 10k, 100k and 990k
  characters: the cost per character stays flat, evidence stays bounded.

Figures, not assertions: the machine is shared and noisy.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import itertools
import json
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "msra-ner" / "train.bio"
KG = [sys.executable, "-m", "kg.out.cli"]


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


@lru_cache(maxsize=2)
def _segmenter(which: str):
    """``raw``: spaCy's Chinese tokenizer with spacy-pkuseg as shipped; ``kg``: the pipeline's own."""
    import spacy
    from spacy.lang.zh import ChineseTokenizer, try_pkuseg_import

    from kg.nlp.pipeline import load_segmenter
    from kg.nlp.segmenter.model import require_model

    if which == "raw":  # a vocabulary of its own, as kg's has: new words cost the first time they are seen
        tokenizer = ChineseTokenizer(spacy.blank("zh").vocab, segmenter="pkuseg")
        tokenizer.pkuseg_seg = try_pkuseg_import(str(require_model()), "default")
    else:
        tokenizer = load_segmenter().tokenizer
    gc.collect()
    gc.freeze()  # as kg's own processes do after loading their models: the same footing for both figures
    return tokenizer


def segmentation_speed(texts: list[str], which: str = "raw") -> float:
    """Characters per second of a segmenter (see :func:`_segmenter`) alone, its model already loaded."""
    tokenizer = _segmenter(which)
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


def watch_rebuild(inbox: Path, out: Path, report: Path, new_file: Path) -> tuple[float, dict]:
    """Seconds from ``new_file``'s arrival in a watched ``inbox`` to the rebuilt graph, and the round's report."""
    watcher = subprocess.Popen([*KG, "build", str(inbox), "-o", str(out), "-q", "--report", str(report),
                                "--watch", "--interval", "0.2"], cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    try:
        first = _wait_report(report, None, watcher)  # the first round: nothing new, models loaded
        start = time.perf_counter()
        shutil.copy(new_file, inbox / new_file.name)
        second = _wait_report(report, first, watcher)
        return time.perf_counter() - start, second
    finally:
        watcher.send_signal(signal.SIGTERM)
        watcher.communicate(timeout=120)


def _wait_report(path: Path, previous: dict | None, watcher: subprocess.Popen) -> dict:
    while watcher.poll() is None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = None
        if data is not None and data != previous:
            return data
        time.sleep(0.02)
    raise RuntimeError(f"kg build --watch ended: {watcher.stderr.read() if watcher.stderr else ''}")


def peaks(report: dict) -> str:
    values = sorted(report["worker_peak_mb"].values())
    return ", ".join(f"{v:,.0f} MiB" for v in values) or "none"


LONG_SIZES = (10_000, 100_000, 990_000)


def long_articles(texts: list[str], work: Path) -> None:
    """One article of 10k, 100k and 990k characters with no sentence punctuation (the MSRA sentences run
    together): ``kg build`` time, chars/s, peak memory and output sizes. The cost per character should stay
    flat (issue 16: it grew faster than the text, and a 990,000-character article did not finish)."""
    run = "".join(texts)
    run = "".join(c for c in run if c not in "。！？!?；;\n")
    timed: list[tuple[int, float]] = []
    for size in LONG_SIZES:
        folder = work / f"long-{size}"
        folder.mkdir()
        text = (run * (size // len(run) + 1))[:size]
        (folder / "article.txt").write_text(text, encoding="utf-8")
        seconds, report = kg_build([folder / "article.txt"], folder / "out", folder / "report.json")
        sizes = ", ".join(f"{name} {(folder / 'out' / name).stat().st_size / 1e6:,.1f} MB"
                          for name in ("graph.ttl", "graph.trig", "graph.html"))
        print(f"one article of {size:,} characters, no sentence punctuation: {seconds:,.1f} s "
              f"(extraction {report['extraction_seconds']:,.1f} s, {size / report['extraction_seconds']:,.0f} "
              f"chars/s), {report['facts']:,} facts, peak memory {peaks(report)}; {sizes}")
        timed.append((size, report["extraction_seconds"]))
    # Each build loads the models first; the cost of the characters added from one size to the next leaves
    # that out, and is what must stay flat.
    for (small, small_s), (large, large_s) in itertools.pairwise(timed):
        print(f"from {small:,} to {large:,} characters: {(large - small) / max(large_s - small_s, 1e-9):,.0f} "
              f"chars/s of extraction for the added characters")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000,
                        help="corpus size in articles of ~2,000 chars (train.bio holds about 1,070)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (printed) to look into")
    parser.add_argument("--skip-long", action="store_true", help="leave out the long single articles")
    parser.add_argument("--only-long", action="store_true", help="time only the long single articles")
    args = parser.parse_args()
    if not CORPUS.is_file():
        print(f"bench: {CORPUS} not found", file=sys.stderr)
        return 1
    texts = articles(args.articles + max(args.articles // 100, 1))
    # train.bio holds about 1,070 articles of 2,000 characters: the last 1% is the incremental step's.
    extra_count = max(len(texts) // 101, 1)
    base, extra = texts[:-extra_count], texts[-extra_count:]
    if args.only_long:
        with tempfile.TemporaryDirectory(prefix="kg-bench-") as folder:
            long_articles(base, Path(folder))
        return 0
    chars, extra_chars = sum(map(len, base)), sum(map(len, extra))
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as folder:
        work = Path(folder) if not args.keep else Path(tempfile.mkdtemp(prefix="kg-bench-kept-"))
        # Every build reads the corpus from the folder ``inbox`` (article URLs name the files), where the
        # 1% arrives as a second file; it waits in ``later`` until then.
        inbox, later = work / "inbox", work / "later"
        inbox.mkdir()
        later.mkdir()
        write_jsonl_gz(inbox / "base.jsonl.gz", base, 0)
        write_jsonl_gz(later / "more.jsonl.gz", extra, len(base))
        if args.keep:
            print(f"work folder: {work}")
        print(f"corpus: {len(base):,} articles, {chars:,} characters (MSRA train.bio sentences), "
              f"+{len(extra)} articles ({extra_chars:,} characters) for the incremental step")
        # This machine's speed drifts by 10-20% over minutes, so segmentation is timed just before and
        # just after the one-process build, and the ratios use the mean of the two.
        seg_before, kg_seg_before = segmentation_speed(base), segmentation_speed(base, "kg")
        one_s, one = kg_build([inbox], work / "one", work / "one.json")
        seg_after, kg_seg_after = segmentation_speed(base), segmentation_speed(base, "kg")
        seg, kg_seg = (seg_before + seg_after) / 2, (kg_seg_before + kg_seg_after) / 2
        print(f"raw pkuseg segmentation alone (spacy-pkuseg in spaCy's tokenizer): {seg:,.0f} chars/s "
              f"(the mean of {seg_before:,.0f} before and {seg_after:,.0f} after the one-process build)")
        print(f"kg's segmenter alone (the same words, kg.nlp.segmenter.fast): {kg_seg:,.0f} chars/s "
              f"({kg_seg_before:,.0f} before, {kg_seg_after:,.0f} after), {kg_seg / seg:.2f}x raw pkuseg")
        one_rate = chars / one_s
        print(f"kg build, 1 process: {one_s:,.1f} s, {one_rate:,.0f} chars/s, ratio to raw pkuseg "
              f"{one_rate / seg:.2f}, to kg's segmenter {one_rate / kg_seg:.2f}; peak memory {peaks(one)}")
        # The same input on two workers right after, so the ratio is not carried off by the machine's drift.
        pair_s, pair = kg_build([inbox], work / "two-base", work / "two-base.json", "--workers", "2")
        print(f"kg build, --workers 2, the same {len(base):,} articles right after: {pair_s:,.1f} s, "
              f"{chars / pair_s:,.0f} chars/s, {one_s / pair_s:.2f}x one process; peak memory per worker "
              f"{peaks(pair)}")

        shutil.copytree(work / "one", work / "watched")  # the same built state, for the watch below
        shutil.copy(later / "more.jsonl.gz", inbox)
        inc_s, inc = kg_build([inbox], work / "one", work / "inc.json")
        phases = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in inc["phase_seconds"].items())
        print(f"incremental rebuild (+{len(extra)} articles, {inc['extracted']} extracted, "
              f"{inc['unchanged']:,} unchanged): {inc_s:,.1f} s, {inc_s / one_s:.1%} of the full build "
              f"(reading and extracting {inc['extraction_seconds']:.1f} s; {phases})")

        (inbox / "more.jsonl.gz").unlink()
        watch_s, watched = watch_rebuild(inbox, work / "watched", work / "watch.json", later / "more.jsonl.gz")
        phases = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in watched["phase_seconds"].items())
        print(f"incremental rebuild in kg build --watch (+{len(extra)} articles, {watched['extracted']} extracted, "
              f"{watched['unchanged']:,} unchanged): {watch_s:,.1f} s from the file's arrival, "
              f"{watch_s / one_s:.1%} of the full build (reading and extracting "
              f"{watched['extraction_seconds']:.1f} s; {phases})")

        two_s, two = kg_build([inbox], work / "two", work / "two.json",
                              "--workers", "2")
        two_rate = (chars + extra_chars) / two_s
        print(f"kg build, --workers 2: {two_s:,.1f} s, {two_rate:,.0f} chars/s, ratio to raw pkuseg "
              f"{two_rate / seg:.2f}, {two_rate / one_rate:.2f}x one process; peak memory per worker {peaks(two)}")
        scratch = (work / "two" / "graph.trig").read_bytes()
        same = (work / "one" / "graph.trig").read_bytes() == scratch == (work / "watched" / "graph.trig").read_bytes()
        print(f"incremental graphs (new process and watch) equal the from-scratch build of the same input: "
              f"{'yes' if same else 'NO'} "
              f"({two['triples']:,} triples, {two['facts']:,} facts, {two['same_story_pairs']} same-story pairs)")

        from kg.rdf.files import load_dataset
        from kg.rdf.store import write_store

        dataset = load_dataset(work / "two" / "graph.trig")
        start = time.perf_counter()
        quads = write_store(dataset, work / "store")
        load_s = time.perf_counter() - start
        print(f"store load: {quads:,} quads (article graphs and their union) in {load_s:.1f} s, "
              f"{quads / load_s:,.0f} quads/s")
        if not args.skip_long:
            long_articles(base, work)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
