"""``kg_lexicon``: owns the pipeline's one :class:`Lexicon` and marks countries, bodies, titles, places and dates.

The other kg components take their lexicon from this one
(:func:`pipeline_lexicon`), so one instance, read from the folder the
config names, flows through the pipeline; ``nlp.to_disk`` writes the
lexicon files beside the component and ``nlp.from_disk`` reads them back
for every component that uses them.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp.grammar import find_dates
from kg.nlp.lexicon import DEFAULT_DIR, Lexicon, load_lexicon
from kg.nlp.records import doc_text, register_extensions
from kg.nlp.token_spans import remember_words


class LexiconMatcher:
    """Leftmost-longest matches of the lexicons in ``doc._.kg_units``; dates in ``doc._.kg_dates``."""

    def __init__(self, lexicon_dir: str | None):
        register_extensions()
        self.lexicon_dir = lexicon_dir
        self.lexicon = load_lexicon(lexicon_dir)

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        remember_words(doc)  # the segmenter's words, before a later component splits one
        doc._.kg_units = self.lexicon.scan(text)
        doc._.kg_dates = find_dates(text)
        return doc

    def to_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> None:
        """Copy the lexicon files this component read into ``path``."""
        source = Path(self.lexicon_dir) if self.lexicon_dir else DEFAULT_DIR
        shutil.copytree(source, path, dirs_exist_ok=True, ignore=shutil.ignore_patterns("*.py", "__pycache__"))

    def from_disk(self, path: str | Path, exclude: Iterable[str] = ()) -> LexiconMatcher:
        """Read the lexicons :meth:`to_disk` wrote (later components re-attach in their own ``from_disk``)."""
        self.lexicon_dir = str(path)
        self.lexicon = Lexicon.load(path)
        return self


def pipeline_lexicon(nlp: Language, lexicon_dir: str | None = None) -> Lexicon:
    """The pipeline's lexicon: the ``kg_lexicon`` component's, or without one the lexicons of ``lexicon_dir``."""
    for _, component in nlp.pipeline:
        if isinstance(component, LexiconMatcher):
            return component.lexicon
    return load_lexicon(lexicon_dir)


@Language.factory("kg_lexicon", default_config={"lexicon_dir": None})
def make_lexicon_matcher(nlp: Language, name: str, lexicon_dir: str | None) -> LexiconMatcher:
    """Create the lexicon matcher; ``lexicon_dir`` defaults to the project's ``data/lexicons``."""
    return LexiconMatcher(lexicon_dir)
