"""``kg_lexicon``: marks countries, bodies, titles, places and dates on the Doc."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp.grammar import find_dates
from kg.nlp.lexicon import load_lexicon
from kg.nlp.records import doc_text, register_extensions


class LexiconMatcher:
    """Leftmost-longest matches of the lexicons in ``doc._.kg_units``; dates in ``doc._.kg_dates``."""

    def __init__(self, lexicon_dir: str | None):
        register_extensions()
        self.lexicon_dir = lexicon_dir
        self.lexicon = load_lexicon(lexicon_dir)

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        doc._.kg_units = self.lexicon.scan(text)
        doc._.kg_dates = find_dates(text)
        return doc


@Language.factory("kg_lexicon", default_config={"lexicon_dir": None})
def make_lexicon_matcher(nlp: Language, name: str, lexicon_dir: str | None) -> LexiconMatcher:
    """Create the lexicon matcher; ``lexicon_dir`` defaults to the project's ``data/lexicons``."""
    return LexiconMatcher(lexicon_dir)
