"""What the kg components hand on, on the ``Doc``: Spans with extensions, and a few plain records.

* ``doc.ents``: the NER's entities (PER, LOC, ORG; ``ner`` or another spaCy
  NER: ``PERSON`` counts as ``PER``), and at the end of the pipeline the
  entities kg settled on (``kg_entity_spans``).
* ``doc.spans["kg_persons"]``: persons (``span._.kg_name``, ``._.kg_offices``,
  ``._.kg_foreign``), from ``kg_persons``.
* ``doc.spans["kg_posts"]``: the posts persons hold (``span._.kg_holders``,
  ``._.kg_office``, and ``._.kg_changes``: per holder, a change of office or
  None), from ``kg_persons``.
* ``doc.spans["kg_events"]``: one span per sentence that reports events
  (``span._.kg_events``: their :class:`EventRecord`), from ``kg_relations``.

spaCy keeps a Span's extension values by its character offsets, so two
spans over the same characters would share them: a post several persons
hold is one span with all its holders, a sentence of several events one
span with all its events.
* ``doc._.kg_units`` and ``doc._.kg_dates`` (the lexicon's matches, character
  offsets, from ``kg_lexicon``) and ``doc._.kg_spouses``.
"""

from __future__ import annotations

import bisect
import functools
from dataclasses import dataclass, field

import numpy
from spacy.attrs import IDX, LENGTH, SENT_START
from spacy.tokens import Doc, Span

from kg.nlp.grammar import DateMention, Office
from kg.nlp.token_spans import token_spans


@dataclass
class PersonMention:
    """One mention of a person; ``name`` is the bare name (no title)."""

    start: int
    end: int
    name: str
    offices: list[Office] = field(default_factory=list)
    foreign: bool = False


@dataclass
class Holding:
    """A person holds the post an office names, said in the sentence at ``evidence``; ``change`` tells a
    change of office instead (kg.nlp.office_changes: "start", "end", "former", "elect"; None: held now)."""

    person: str
    office: Office
    evidence: tuple[int, int]
    change: str | None = None


@dataclass
class Spouses:
    """Two persons married, said at ``evidence``."""

    a: str
    b: str
    evidence: tuple[int, int]


@dataclass
class EventRecord:
    """An event (talks, meeting, ceremony, signing, visit) found in one document."""

    klass: str
    label: str
    principals: tuple[str, ...]
    evidence: tuple[int, int]
    attendees: dict[str, tuple[int, int]] = field(default_factory=dict)  # name -> evidence sentence
    met: list[tuple[str, str]] = field(default_factory=list)
    place: str | None = None
    date: DateMention | None = None
    visitor: str | None = None
    destination: str | None = None
    #: what the text calls a gathering (推动长江经济带发展领导小组会议); part of its identity
    name: str | None = None

    @property
    def key(self) -> tuple[str, tuple[str, ...], str | None]:
        """Identity within a document: the same class with the same principals (and name) is one event."""
        return self.klass, tuple(sorted(self.principals)), self.name


EXTENSIONS = {
    "kg_units": list,        # kg.nlp.lexicon.Unit matches
    "kg_dates": list,        # DateMention
    "kg_spouses": list,      # Spouses
}
SPAN_EXTENSIONS = ("kg_name", "kg_offices", "kg_foreign", "kg_holders", "kg_office", "kg_changes", "kg_events")
PERSONS, POSTS, EVENTS = "kg_persons", "kg_posts", "kg_events"
#: NER labels read as persons: kg's own and spaCy's pretrained pipelines'
PERSON_LABELS = {"PER", "PERSON"}


def register_extensions() -> None:
    """Declare the ``Doc._`` and ``Span._`` attributes the kg components read and write."""
    for name in EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    for name in SPAN_EXTENSIONS:
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)


def get_list(doc: Doc, name: str) -> list:
    """``doc._.<name>``, created empty when no component has set it yet."""
    value = getattr(doc._, name)
    if value is None:
        value = []
        setattr(doc._, name, value)
    return value


def set_persons(doc: Doc, persons: list[PersonMention]) -> Doc:
    """Publish ``persons`` as ``doc.spans["kg_persons"]``; the Doc to go on with (tokens split to fit)."""
    doc, spans = token_spans(doc, [(p.start, p.end, "PERSON") for p in persons])
    for span, person in zip(spans, persons, strict=True):
        span._.kg_name, span._.kg_offices, span._.kg_foreign = person.name, person.offices, person.foreign
    doc.spans[PERSONS] = spans
    return doc


def get_persons(doc: Doc) -> list[PersonMention]:
    """The persons of ``doc``: ``kg_persons``'s spans, or without that component the NER's person entities."""
    if PERSONS in doc.spans:
        return [PersonMention(s.start_char, s.end_char, s._.kg_name, s._.kg_offices or [], bool(s._.kg_foreign))
                for s in doc.spans[PERSONS]]
    return [PersonMention(e.start_char, e.end_char, e.text) for e in doc.ents if e.label_ in PERSON_LABELS]


def _grouped(items: list, edges) -> dict[tuple[int, int], list]:
    """``items`` grouped by their character edges, in first-seen order."""
    groups: dict[tuple[int, int], list] = {}
    for item in items:
        groups.setdefault(edges(item), []).append(item)
    return groups


def set_holdings(doc: Doc, holdings: list[Holding]) -> Doc:
    """Publish ``holdings`` as ``doc.spans["kg_posts"]``: one span per post, with its holders; the Doc to go
    on with."""
    groups = _grouped(holdings, lambda h: (h.office.start, h.office.end))
    doc, spans = token_spans(doc, [(start, end, "POST") for start, end in groups])
    for span, group in zip(spans, groups.values(), strict=True):
        span._.kg_holders, span._.kg_office = [h.person for h in group], group[0].office
        span._.kg_changes = [h.change for h in group]
    doc.spans[POSTS] = spans
    return doc


def get_holdings(doc: Doc) -> list[Holding]:
    """The posts held in ``doc``, each with the sentence that says so."""
    if POSTS not in doc.spans:
        return []
    sentences = sentence_spans(doc)
    return [Holding(holder, s._.kg_office, sentence_of(sentences, s.start_char), change)
            for s in doc.spans[POSTS]
            for holder, change in zip(s._.kg_holders, s._.kg_changes or [None] * len(s._.kg_holders), strict=True)]


def set_events(doc: Doc, events: list[EventRecord]) -> Doc:
    """Publish ``events`` as ``doc.spans["kg_events"]``: one span per reporting sentence, with its events;
    the Doc to go on with."""
    groups = _grouped(events, lambda e: e.evidence)
    doc, spans = token_spans(doc, [(start, end, "EVENTS") for start, end in groups])
    for span, group in zip(spans, groups.values(), strict=True):
        span._.kg_events = group
    doc.spans[EVENTS] = spans
    return doc


def get_events(doc: Doc) -> list[EventRecord]:
    """The events of ``doc`` in the order the text first names them."""
    return [event for span in doc.spans.get(EVENTS, []) for event in span._.kg_events]


def sentence_spans(doc: Doc) -> list[tuple[int, int]]:
    """Character spans of the sentences (the whole text when none were set).

    Several components ask for them, and ``doc.sents`` walks every token in
    Python each time; this reads the token arrays once and keeps the answer
    on the Doc (sentence boundaries do not move after the sentencizer).
    """
    cached = doc.user_data.get(_SENTENCES_KEY)
    if cached is not None:  # a token split moves no sentence edge (kg.nlp.token_spans keeps them)
        return cached[1]
    if not len(doc) or not doc.has_annotation("SENT_START"):
        return [(0, len(doc_text(doc)))]  # not kept: a sentencizer may still run
    else:
        array = doc.to_array([SENT_START, IDX, LENGTH]).astype("int64")
        starts = [0, *(i for i in numpy.flatnonzero(array[:, 0] == 1).tolist() if i)]
        ends = array[:, 1] + array[:, 2]
        bounds = [*starts[1:], len(doc)]
        spans = [(int(array[a, 1]), int(ends[b - 1])) for a, b in zip(starts, bounds)]
        spans = SentenceSpans(_bounded(spans, doc_text(doc)))
    doc.user_data[_SENTENCES_KEY] = (len(doc), spans)
    return spans


def _bounded(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Sentences no longer than :data:`MAX_SENTENCE_CHARS`: a longer one (a text with no sentence
    punctuation) is cut after its last clause mark (，、；) before the limit, else at the limit, so the rules,
    which compare the persons of a sentence with each other, cost the same per character on any text."""
    out = []
    for start, end in spans:
        while end - start > MAX_SENTENCE_CHARS:
            limit = start + MAX_SENTENCE_CHARS
            cut = max(text.rfind(mark, start + MAX_SENTENCE_CHARS // 2, limit) for mark in "，、；,;")
            cut = cut + 1 if cut != -1 else limit
            out.append((start, cut))
            start = cut
        out.append((start, end))
    return out


_SENTENCES_KEY = ("kg", "sentence_spans")
#: the longest sentence the rules read at once (real news sentences, long lists included, stay under it)
MAX_SENTENCE_CHARS = 1000
_TEXT_KEY = ("kg", "text")


def remember_text(doc: Doc, text: str) -> Doc:
    """Keep the text ``doc`` was made from, so :func:`doc_text` never rebuilds it from the tokens."""
    doc.user_data[_TEXT_KEY] = (len(doc), text)
    return doc


def doc_text(doc: Doc) -> str:
    """``doc.text``, kept on the Doc: spaCy rebuilds it from every token on each call."""
    cached = doc.user_data.get(_TEXT_KEY)
    if cached is not None:  # splitting or merging tokens leaves the text as it was
        return cached[1]
    text = doc.text
    doc.user_data[_TEXT_KEY] = (len(doc), text)
    return text


class SentenceSpans(list):
    """The sentence spans of a Doc, with their starts kept for lookups (asked once per mention)."""

    @functools.cached_property
    def starts(self) -> list[int]:
        return [start for start, _ in self]


def sentence_of(sentences: list[tuple[int, int]], offset: int) -> tuple[int, int]:
    """The sentence span that holds character ``offset``."""
    starts = sentences.starts if isinstance(sentences, SentenceSpans) else [s for s, _ in sentences]
    index = max(bisect.bisect_right(starts, offset) - 1, 0)
    return sentences[index]


def within(persons: list, starts: list[int], span: tuple[int, int]) -> list:
    """The persons (sorted by start, ``starts`` their starts) that start inside ``span``."""
    return persons[bisect.bisect_left(starts, span[0]):bisect.bisect_left(starts, span[1])]


__all__ = [
    "EVENTS",
    "PERSONS",
    "POSTS",
    "DateMention",
    "EventRecord",
    "Holding",
    "Office",
    "PersonMention",
    "Spouses",
    "doc_text",
    "get_events",
    "get_holdings",
    "get_list",
    "get_persons",
    "register_extensions",
    "remember_text",
    "sentence_of",
    "sentence_spans",
    "set_events",
    "set_holdings",
    "set_persons",
    "within",
]
