"""Turn the MSRA ``.bio`` files into spaCy ``DocBin`` files for training.

Usage::

    python -m kg.ner.corpus ../shared/corpora/msra-ner corpus/

writes ``train.spacy`` and ``dev.spacy`` (the last 5% of ``train.bio``, held
out whole: sentences next to each other share names, so an interleaved dev
set would flatter the model) and ``test.spacy``, and prints how many entities end inside a pkuseg word.
Those are kept, not dropped: the model reads characters (see
:mod:`kg.ner.chars`), so every entity falls on token boundaries there.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, DocBin

from kg.lexicon import Lexicon, load_lexicon
from kg.ner.chars import char_doc

LABELS = ("PER", "LOC", "ORG")


class CorpusError(ValueError):
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


def convert(path: Path, segmenter: Language, lexicon: Lexicon, report: AlignmentReport) -> Iterator[Doc]:
    """Character Docs with gold entities, one for each sentence of ``path``."""
    for sentence in read_bio(path):
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="folder with train.bio and test.bio")
    parser.add_argument("output", type=Path, help="folder for the .spacy files")
    parser.add_argument("--dev-share", type=float, default=0.05,
                        help="share of train.bio, from its end, held out as dev (default 0.05)")
    args = parser.parse_args(argv)

    for name in ("train", "test"):
        if not (args.source / f"{name}.bio").is_file():
            print(f"error: {args.source / name}.bio not found", file=sys.stderr)
            return 2
    from kg.nlp.pipeline import load_segmenter

    segmenter = load_segmenter()
    lexicon = load_lexicon()
    args.output.mkdir(parents=True, exist_ok=True)
    summary = {}
    for name in ("train", "test"):
        path = args.source / f"{name}.bio"
        report = AlignmentReport()
        try:
            docs = list(convert(path, segmenter, lexicon, report))
        except (CorpusError, UnicodeDecodeError) as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        for line in report.lines(name):
            print(line)
        summary[name] = {"entities": dict(report.entities), "inside_pkuseg_word": dict(report.inside_word)}
        # The test file is kept whole; the tail of the training file is dev.
        cut = len(docs) - int(len(docs) * args.dev_share) if name == "train" else len(docs)
        DocBin(docs=docs[:cut], store_user_data=False).to_disk(args.output / f"{name}.spacy")
        if name == "train":
            DocBin(docs=docs[cut:], store_user_data=False).to_disk(args.output / "dev.spacy")
            print(f"train: {cut} sentences, dev: {len(docs) - cut} sentences")
    (args.output / "alignment.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
