"""Throughput of the kg pipeline beside raw pkuseg segmentation, measured in one run.

usage: python scripts/bench.py [--chars N]

Articles are made from the sentences of ../shared/corpora/msra-ner/train.bio
grouped into about 2,000 characters each. Prints characters per second for
segmentation alone and for the full extraction (pipeline + facts), with and
without the NER model, and their ratios. Figures, not assertions: the machine is shared and noisy.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "msra-ner" / "train.bio"


def articles(limit_chars: int) -> list[str]:
    """Sentences of train.bio joined into ~2,000-character articles."""
    out, current, sentence, total = [], [], [], 0
    with open(CORPUS, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                sentence.append(line.split("\t", 1)[0])
                continue
            if sentence:
                current.append("".join(sentence))
                sentence = []
            if sum(map(len, current)) >= 2000:
                out.append("".join(current))
                total += len(out[-1])
                current = []
                if total >= limit_chars:
                    break
    return out


def extraction_speed(nlp, texts: list[str], chars: int) -> float:
    """Characters per second through the pipeline and fact extraction."""
    from kg.facts import facts_from_doc
    from kg.io.articles import Article

    start = time.perf_counter()
    for i, doc in enumerate(nlp.pipe(texts)):
        facts_from_doc(Article(id=str(i), text=texts[i]), doc)
    return chars / (time.perf_counter() - start)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=300_000, help="corpus size in characters")
    args = parser.parse_args()
    if not CORPUS.is_file():
        print(f"bench: {CORPUS} not found", file=sys.stderr)
        return 1
    from kg.nlp.pipeline import load_pipeline

    texts = articles(args.chars)
    chars = sum(map(len, texts))
    nlp = load_pipeline()
    tokenizer = nlp.tokenizer
    start = time.perf_counter()
    for text in texts:
        tokenizer(text)
    seg = chars / (time.perf_counter() - start)
    full = extraction_speed(nlp, texts, chars)
    with nlp.select_pipes(disable=["ner"]):
        without_ner = extraction_speed(nlp, texts, chars)
    print(f"corpus: {len(texts)} articles, {chars} characters (MSRA train.bio sentences)")
    print(f"pkuseg segmentation alone: {seg:,.0f} chars/s")
    print(f"kg extraction (pipeline + facts): {full:,.0f} chars/s, ratio to segmentation {full / seg:.2f}")
    print(f"kg extraction without the NER model: {without_ner:,.0f} chars/s, "
          f"ratio to segmentation {without_ner / seg:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
