"""Turn the MSRA ``.bio`` files into spaCy ``DocBin`` files for training.

Usage::

    python -m kg.nlp.ner.train.corpus ../shared/corpora/msra-ner corpus/

writes ``train.spacy`` and ``dev.spacy`` (the last 5% of ``train.bio``, held
out whole: sentences next to each other share names, so an interleaved dev
set would flatter the model) and ``test.spacy``, and prints how many entities
end inside a pkuseg word. Those are kept, not dropped: the model reads
characters (see :mod:`kg.nlp.ner.chars`), so every entity falls on token
boundaries there. In half of the training sentences with persons, the names
are made up anew before segmenting, so that pkuseg meets names it has not
learnt, as it does in live text (see :mod:`kg.nlp.ner.train.name_swap`). What the
training persons are made of is saved as ``name_parts.json``, which ships
with the model (see :mod:`kg.nlp.ner.name_parts`).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, DocBin

from kg import KgError
from kg.nlp.lexicon import Lexicon, load_lexicon
from kg.nlp.ner.chars import char_doc
from kg.nlp.ner.name_parts import NamePool
from kg.nlp.ner.train.name_swap import swap_names

LABELS = ("PER", "LOC", "ORG")


class CorpusError(KgError, ValueError):
    """A ``.bio`` file that cannot be read; the message names file and line."""


@dataclass
class Sentence:
    """One sentence of a ``.bio`` file: its text and character-offset entities."""

    text: str
    entities: list[tuple[int, int, str]]


def read_bio(path: Path) -> Iterator[Sentence]:
    """Sentences of a ``<char>TAB<tag>`` file, a blank line between sentences."""
    chars: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            line = line.rstrip("\n")
            if not line:
                if chars:
                    yield Sentence("".join(chars), bio_spans(tags))
                chars, tags = [], []
                continue
            char, sep, tag = line.rpartition("\t")
            if not sep or len(char) != 1:
                raise CorpusError(f"{path}:{number}: expected '<char>\\t<tag>', got {line!r}")
            chars.append(char)
            tags.append(tag)
    if chars:
        yield Sentence("".join(chars), bio_spans(tags))


def bio_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """Entity spans ``(start, end, label)`` from BIO tags; a stray I- opens a span."""
    spans: list[tuple[int, int, str]] = []
    start, label = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, kind = tag.partition("-")
        continues = prefix == "I" and kind == label and start >= 0
        if continues:
            continue
        if start >= 0:
            spans.append((start, i, label))
            start, label = -1, ""
        if prefix in ("B", "I") and kind:
            start, label = i, kind
    return spans


@dataclass
class AlignmentReport:
    """How the corpus's entities sit on pkuseg words, by label."""

    entities: Counter = field(default_factory=Counter)
    inside_word: Counter = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)

    def add(self, label: str, aligned: bool, example: str) -> None:
        self.entities[label] += 1
        if not aligned:
            self.inside_word[label] += 1
            shown = self.examples.setdefault(label, [])
            if len(shown) < 5:
                shown.append(example)

    def lines(self, name: str) -> list[str]:
        """A readable summary, one line per label and one in all."""
        out = []
        for label in sorted(self.entities):
            total, bad = self.entities[label], self.inside_word[label]
            out.append(
                f"{name} {label}: {total} entities, {bad} ({bad / total:.1%}) begin or end inside "
                f"a pkuseg word, e.g. {', '.join(self.examples.get(label, [])) or '-'}"
            )
        total, bad = sum(self.entities.values()), sum(self.inside_word.values())
        out.append(f"{name} all: {total} entities, {bad} ({bad / max(total, 1):.1%}) inside a pkuseg word")
        return out


def convert(sentences: Iterable[Sentence], segmenter: Language, lexicon: Lexicon,
            report: AlignmentReport) -> Iterator[Doc]:
    """Character Docs with gold entities, one for each sentence."""
    for sentence in sentences:
        words_doc = segmenter.make_doc(sentence.text)
        doc = char_doc(segmenter.vocab, [t.text_with_ws for t in words_doc], lexicon, store_strings=True)
        ents = []
        for start, end, label in sentence.entities:
            aligned = words_doc.char_span(start, end) is not None
            expanded = words_doc.char_span(start, end, alignment_mode="expand")
            report.add(label, aligned, f"{sentence.text[start:end]}→{expanded.text if expanded else '?'}")
            ents.append(doc.char_span(start, end, label=label))
        doc.ents = ents
        yield doc


def with_swapped_names(sentences: list[Sentence], pool: NamePool, share: float,
                       seed: int) -> tuple[list[Sentence], int]:
    """``sentences`` with the persons of about ``share`` of them renamed, and how many were.

    The names are made from ``pool``, the parts of the training persons
    (see :mod:`kg.nlp.ner.train.name_swap`).
    """
    rng = random.Random(seed)
    out, swapped = [], 0
    for sentence in sentences:
        has_person = any(label == "PER" for _, _, label in sentence.entities)
        if has_person and rng.random() < share:
            text = swap_names(sentence.text, sentence.entities, pool, rng)
            if text != sentence.text:
                swapped += 1
                sentence = Sentence(text, sentence.entities)
        out.append(sentence)
    return out, swapped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="folder with train.bio and test.bio")
    parser.add_argument("output", type=Path, help="folder for the .spacy files")
    parser.add_argument("--dev-share", type=float, default=0.05,
                        help="share of train.bio, from its end, held out as dev (default 0.05)")
    parser.add_argument("--swap-share", type=float, default=0.5,
                        help="share of training sentences with persons whose names are made up anew "
                             "(default 0.5; see kg.nlp.ner.train.name_swap)")
    parser.add_argument("--seed", type=int, default=17, help="seed for the made-up names (default 17)")
    args = parser.parse_args(argv)

    for name in ("train", "test"):
        if not (args.source / f"{name}.bio").is_file():
            print(f"error: {args.source / name}.bio not found", file=sys.stderr)
            return 2
    from kg.nlp.pipeline import load_segmenter

    segmenter = load_segmenter()
    lexicon = load_lexicon()
    args.output.mkdir(parents=True, exist_ok=True)
    try:
        train = list(read_bio(args.source / "train.bio"))
        test = list(read_bio(args.source / "test.bio"))
    except (CorpusError, UnicodeDecodeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    # The tail of the training file is dev, held out whole; the test file is kept whole.
    cut = len(train) - int(len(train) * args.dev_share)
    train, dev = train[:cut], train[cut:]
    pool = NamePool.from_names((s.text[a:b] for s in train for a, b, label in s.entities if label == "PER"),
                               lexicon.surnames)
    pool.to_json(args.output / "name_parts.json")
    train, swapped = with_swapped_names(train, pool, args.swap_share, args.seed)
    print(f"train: {len(train)} sentences ({swapped} with made-up person names), dev: {len(dev)} sentences")
    summary = {}
    for name, sentences in (("train", train), ("dev", dev), ("test", test)):
        report = AlignmentReport()
        docs = list(convert(sentences, segmenter, lexicon, report))
        for line in report.lines(name):
            print(line)
        summary[name] = {"entities": dict(report.entities), "inside_pkuseg_word": dict(report.inside_word)}
        DocBin(docs=docs, store_user_data=False).to_disk(args.output / f"{name}.spacy")
    (args.output / "alignment.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
