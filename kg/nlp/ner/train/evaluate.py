"""Score the NER model on MSRA ``test.bio`` and time it (``make bench-ner``).

Text goes the way live text goes: pkuseg words from the pipeline's own
tokenizer, then the character model. Scores are exact-span precision, recall
and F1 per label and overall (the CoNLL convention).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

from kg.nlp.lexicon import load_lexicon
from kg.nlp.ner.component import CharNer, ModelMissingError, load_name_pool, load_ner_model
from kg.nlp.ner.name_lists import split_name_lists
from kg.nlp.ner.train.corpus import CorpusError, read_bio

DEFAULT_TEST = Path(__file__).resolve().parents[4].parent / "shared" / "corpora" / "msra-ner" / "test.bio"


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1 from counts (0 where undefined)."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(gold: list[set[tuple[int, int, str]]], predicted: list[set[tuple[int, int, str]]]) -> dict[str, tuple[float, float, float, int]]:
    """Per-label and overall (key ``ALL``) P, R, F1 and gold count."""
    tp, fp, fn = Counter(), Counter(), Counter()
    for g, p in zip(gold, predicted, strict=True):
        for span in p & g:
            tp[span[2]] += 1
        for span in p - g:
            fp[span[2]] += 1
        for span in g - p:
            fn[span[2]] += 1
    labels = sorted(set(tp) | set(fp) | set(fn))
    table = {label: (*prf(tp[label], fp[label], fn[label]), tp[label] + fn[label]) for label in labels}
    total = (sum(tp.values()), sum(fp.values()), sum(fn.values()))
    table["ALL"] = (*prf(*total), total[0] + total[2])
    return table


def print_table(table: dict[str, tuple[float, float, float, int]]) -> None:
    """P, R, F1 and gold count, a line per label."""
    print(f"{'label':<6}{'P':>8}{'R':>8}{'F1':>8}{'gold':>8}")
    for label, (p, r, f, n) in table.items():
        print(f"{label:<6}{p:8.4f}{r:8.4f}{f:8.4f}{n:8d}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("test", nargs="?", type=Path, default=DEFAULT_TEST, help="a .bio file (default: MSRA test.bio)")
    parser.add_argument("--model", type=Path, default=None, help="model folder (default: the shipped kg/nlp/ner/model)")
    parser.add_argument("--persons", action="store_true",
                        help="also run the whole pipeline with and without the model and compare person recall")
    args = parser.parse_args(argv)

    from kg.nlp.pipeline import load_segmenter

    try:
        sentences = list(read_bio(args.test))
        model = load_ner_model(args.model)
        names = load_name_pool(args.model)
    except (OSError, CorpusError, ModelMissingError, UnicodeDecodeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    segmenter = load_segmenter()
    ner = CharNer(model, load_lexicon())  # the model's own spans; name lists are split below
    chars = sum(len(s.text) for s in sentences)

    started = time.perf_counter()
    docs = [segmenter.make_doc(s.text) for s in sentences]
    segmented = time.perf_counter()
    docs = list(ner.pipe(docs))
    split = [split_name_lists(sentence.text, [(e.start_char, e.end_char, e.label_) for e in doc.ents], names)
             for sentence, doc in zip(sentences, docs, strict=True)]
    finished = time.perf_counter()

    gold = [set(s.entities) for s in sentences]
    predicted = [{(e.start_char, e.end_char, e.label_) for e in doc.ents} for doc in docs]
    print(f"{args.test}: {len(sentences)} sentences, {chars} characters")
    print("the kg_char_ner component (model, then runs of glued names split again):")
    print_table(score(gold, [set(spans) for spans in split]))
    changed = sum(set(spans) != p for spans, p in zip(split, predicted, strict=True))
    overall = score(gold, predicted)["ALL"]
    print(f"the model alone (no name-list splitting, which changed {changed} sentences): "
          f"P={overall[0]:.4f} R={overall[1]:.4f} F1={overall[2]:.4f}")
    print(f"NER model alone: {chars / (finished - segmented):,.0f} chars/s")
    print(f"pkuseg + NER:    {chars / (finished - started):,.0f} chars/s "
          f"(pkuseg alone {chars / (segmented - started):,.0f} chars/s)")
    if args.persons:
        print_person_recall(sentences)
    return 0


def print_person_recall(sentences: list) -> None:
    """The persons the whole kg pipeline keeps, with and without the model, against gold PER."""
    from kg.nlp.pipeline import shared_pipeline

    nlp = shared_pipeline()
    gold = [{(s, e) for s, e, label in sentence.entities if label == "PER"} for sentence in sentences]
    texts = [sentence.text for sentence in sentences]
    print("persons kept by the kg pipeline (kg_persons) against gold PER spans:")
    ner = nlp.get_pipe("ner")
    default_scope = ner.scope
    runs = (("titles and lexicons only", ["ner"], "all"), ("with the NER model, all sentences", [], "all"),
            ("with the NER model, cue sentences", [], "cues"))
    try:
        for title, disabled, scope in runs:
            ner.set_scope(scope)
            with nlp.select_pipes(disable=disabled):
                found = [{(s.start_char, s.end_char) for s in doc.spans["kg_persons"]} for doc in nlp.pipe(texts)]
            p, r, f, _ = score([{(*g, "PER") for g in x} for x in gold],
                               [{(*y, "PER") for y in x} for x in found])["ALL"]
            print(f"  {title:<36} P={p:.4f} R={r:.4f} F1={f:.4f}")
    finally:
        ner.set_scope(default_scope)


if __name__ == "__main__":
    sys.exit(main())
