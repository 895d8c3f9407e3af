"""Code ``spacy train`` loads (``--code kg/nlp/ner/train/training.py``) to read kg's corpus.

spaCy's own corpus reader rebuilds each training Doc from its words, which
would lose the pkuseg features of :mod:`kg.nlp.ner.chars`; this reader keeps them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import DocBin
from spacy.training import Example
from spacy.util import registry

import kg.nlp.ner.ops  # noqa: F401  (registers the kg.openblas_ops.v1 callback train.cfg names)
from kg.nlp.ner.chars import copy_features


@registry.readers("kg.CharCorpus.v1")
def char_corpus(path: Path, limit: int = 0) -> Callable[[Language], Iterator[Example]]:
    """Examples from a DocBin of character Docs, features on both sides."""

    def read(nlp: Language) -> Iterator[Example]:
        docs = DocBin().from_disk(path).get_docs(nlp.vocab)
        for count, reference in enumerate(docs):
            if limit and count >= limit:
                break
            if len(reference):
                yield Example(copy_features(nlp.vocab, reference), reference)

    return read
