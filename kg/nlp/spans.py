"""``kg_entity_spans``: turn the character-offset records into token spans.

pkuseg often splits names (刘|鹤, 李|忠发) and sometimes glues words across
a boundary (做|大中|美). This last component splits tokens wherever an
entity boundary falls inside one, then sets ``doc.ents`` (PERSON, GPE, ORG,
DATE, and LOC or ORG from the NER model) and ``doc.spans["kg_posts"]`` (the offices that name posts).
"""

from __future__ import annotations

import bisect
from itertools import pairwise

from spacy.attrs import IDX
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kg.nlp.lexicon import COUNTRY, COUNTRY_ABBR, ORG
from kg.nlp.records import get_list, register_extensions

UNIT_LABELS = {COUNTRY: "GPE", COUNTRY_ABBR: "GPE", ORG: "ORG"}
MODEL_LABELS = {"LOC": "LOC", "ORG": "ORG"}


def split_tokens_at(doc: Doc, offsets: set[int]) -> None:
    """Split every token that a character offset in ``offsets`` falls inside."""
    if not offsets or not len(doc):
        return
    starts = doc.to_array([IDX]).tolist()
    # Only the tokens an offset falls strictly inside need a split; find them by bisection.
    inside: dict[int, list[int]] = {}
    for offset in sorted(offsets):
        i = bisect.bisect_right(starts, offset) - 1
        if i >= 0 and starts[i] < offset < starts[i] + len(doc[i].text):
            inside.setdefault(i, []).append(offset - starts[i])
    if not inside:
        return
    with doc.retokenize() as retokenizer:
        for i, cuts in inside.items():
            token = doc[i]
            bounds = [0, *cuts, len(token.text)]
            pieces = [token.text[a:b] for a, b in pairwise(bounds)]
            retokenizer.split(token, pieces, heads=[(token, 0)] * len(pieces))


def _model_places_and_bodies(doc: Doc, found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The NER model's LOC and ORG spans that overlap nothing found before.

    The model's PER spans already went through ``kg_persons``; for places and
    bodies the lexicon's reading wins wherever the two overlap.
    """
    extra = []
    for entity in get_list(doc, "kg_entities"):
        if entity.label in MODEL_LABELS and not any(s < entity.end and entity.start < e for s, e, _ in found):
            extra.append((entity.start, entity.end, MODEL_LABELS[entity.label]))
    return extra


class EntitySpans:
    """Aligns persons, units, dates and posts to tokens."""

    def __init__(self) -> None:
        register_extensions()

    def __call__(self, doc: Doc) -> Doc:
        wanted: list[tuple[int, int, str]] = []
        wanted += [(p.start, p.end, "PERSON") for p in get_list(doc, "kg_persons")]
        wanted += [(u.start, u.end, UNIT_LABELS[u.kind]) for u in get_list(doc, "kg_units") if u.kind in UNIT_LABELS]
        wanted += [(d.start, d.end, "DATE") for d in get_list(doc, "kg_dates")]
        wanted += _model_places_and_bodies(doc, wanted)
        posts = [(h.office.start, h.office.end, "POST") for h in get_list(doc, "kg_holdings")]
        split_tokens_at(doc, {o for s, e, _ in wanted + posts for o in (s, e)})
        spans = [doc.char_span(s, e, label=label) for s, e, label in wanted]
        # Persons first: a name wins over a body or country it overlaps.
        ordered = sorted((s for s in spans if s is not None), key=lambda s: (s.label_ != "PERSON"))
        doc.ents = filter_spans(ordered)
        doc.spans["kg_posts"] = [s for s in (doc.char_span(a, b, label=lab) for a, b, lab in posts) if s is not None]
        return doc


@Language.factory("kg_entity_spans")
def make_entity_spans(nlp: Language, name: str) -> EntitySpans:
    """Create the span aligner."""
    return EntitySpans()


__all__ = ["EntitySpans", "Span", "split_tokens_at"]
