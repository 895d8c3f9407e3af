"""``kg_entity_spans``: the entities kg settled on, as ``doc.ents``.

The last component. Persons come from ``kg_persons`` (already token spans);
countries and bodies from the lexicon (``doc._.kg_units``) and dates
(``doc._.kg_dates``) are character matches, so the tokens they end inside
are split here; the NER's places and bodies stay where nothing kg found
overlaps them. Labels: PERSON, GPE, ORG, DATE, LOC. Posts are in
``doc.spans["kg_posts"]`` and events in ``doc.spans["kg_events"]``.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from kg.nlp.lexicon import COUNTRY, COUNTRY_ABBR, ORG
from kg.nlp.records import PERSONS, get_list, register_extensions
from kg.nlp.token_spans import Overlaps, token_spans

UNIT_LABELS = {COUNTRY: "GPE", COUNTRY_ABBR: "GPE", ORG: "ORG"}
MODEL_LABELS = {"LOC": "LOC", "ORG": "ORG", "GPE": "GPE"}


class EntitySpans:
    """Sets ``doc.ents`` from the persons, units, dates and the NER's places and bodies."""

    def __init__(self) -> None:
        register_extensions()

    def __call__(self, doc: Doc) -> Doc:
        model = [(e.start_char, e.end_char, MODEL_LABELS[e.label_]) for e in doc.ents if e.label_ in MODEL_LABELS]
        persons = [(s.start_char, s.end_char, "PERSON") for s in doc.spans.get(PERSONS, [])]
        found = persons + [(u.start, u.end, UNIT_LABELS[u.kind]) for u in get_list(doc, "kg_units")
                           if u.kind in UNIT_LABELS]
        found += [(d.start, d.end, "DATE") for d in get_list(doc, "kg_dates")]
        # The NER's places and bodies where nothing found above overlaps them: the lexicon's reading wins.
        taken = Overlaps(found)
        found += [(s, e, label) for s, e, label in model if not taken.any(s, e)]
        doc, spans = token_spans(doc, found)
        # Persons first: a name wins over a body or country it overlaps.
        doc.ents = filter_spans(sorted(spans, key=lambda s: s.label_ != "PERSON"))
        return doc


@Language.factory("kg_entity_spans")
def make_entity_spans(nlp: Language, name: str) -> EntitySpans:
    """Create the component that sets ``doc.ents``."""
    return EntitySpans()


__all__ = ["EntitySpans"]
