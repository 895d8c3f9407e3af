"""Plain records the spaCy components leave on a ``Doc`` (as ``Doc._`` extensions).

Offsets are character offsets into ``doc.text``; the last component,
``kg_entity_spans``, turns them into token spans in ``doc.ents``.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

import numpy
from spacy.attrs import IDX, LENGTH, SENT_START
from spacy.tokens import Doc

from kg.nlp.grammar import DateMention, Office


@dataclass
class PersonMention:
    """One mention of a person; ``name`` is the bare name (no title)."""

    start: int
    end: int
    name: str
    offices: list[Office] = field(default_factory=list)
    foreign: bool = False


@dataclass
class EntityMention:
    """A span the statistical NER model labelled PER, LOC or ORG."""

    start: int
    end: int
    label: str


@dataclass
class Holding:
    """A person holds the post an office names, said in the sentence at ``evidence``."""

    person: str
    office: Office
    evidence: tuple[int, int]


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
    "kg_entities": list,     # EntityMention from the NER model
    "kg_units": list,        # kg.nlp.lexicon.Unit matches
    "kg_dates": list,        # DateMention
    "kg_persons": list,      # PersonMention
    "kg_holdings": list,     # Holding
    "kg_spouses": list,      # Spouses
    "kg_events": list,       # EventRecord
}


def register_extensions() -> None:
    """Declare the ``Doc._`` attributes the kg components read and write."""
    for name in EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


def get_list(doc: Doc, name: str) -> list:
    """``doc._.<name>``, created empty when no component has set it yet."""
    value = getattr(doc._, name)
    if value is None:
        value = []
        setattr(doc._, name, value)
    return value


def sentence_spans(doc: Doc) -> list[tuple[int, int]]:
    """Character spans of the sentences (the whole text when none were set).

    Several components ask for them, and ``doc.sents`` walks every token in
    Python each time; this reads the token arrays once and keeps the answer
    on the Doc (sentence boundaries do not move after the sentencizer).
    """
    cached = doc.user_data.get(_SENTENCES_KEY)
    if cached is not None and cached[0] == len(doc):
        return cached[1]
    if not len(doc) or not doc.has_annotation("SENT_START"):
        spans = [(0, len(doc_text(doc)))]
    else:
        array = doc.to_array([SENT_START, IDX, LENGTH]).astype("int64")
        starts = [0, *(i for i in numpy.flatnonzero(array[:, 0] == 1).tolist() if i)]
        ends = array[:, 1] + array[:, 2]
        bounds = [*starts[1:], len(doc)]
        spans = [(int(array[a, 1]), int(ends[b - 1])) for a, b in zip(starts, bounds)]
    doc.user_data[_SENTENCES_KEY] = (len(doc), spans)
    return spans


_SENTENCES_KEY = ("kg", "sentence_spans")
_TEXT_KEY = ("kg", "text")


def remember_text(doc: Doc, text: str) -> Doc:
    """Keep the text ``doc`` was made from, so :func:`doc_text` never rebuilds it from the tokens."""
    doc.user_data[_TEXT_KEY] = (len(doc), text)
    return doc


def doc_text(doc: Doc) -> str:
    """``doc.text``, kept on the Doc: spaCy rebuilds it from every token on each call."""
    cached = doc.user_data.get(_TEXT_KEY)
    if cached is not None and cached[0] == len(doc):
        return cached[1]
    text = doc.text
    doc.user_data[_TEXT_KEY] = (len(doc), text)
    return text


def sentence_of(sentences: list[tuple[int, int]], offset: int) -> tuple[int, int]:
    """The sentence span that holds character ``offset``."""
    starts = [s for s, _ in sentences]
    index = max(bisect.bisect_right(starts, offset) - 1, 0)
    return sentences[index]


__all__ = [
    "DateMention",
    "EntityMention",
    "EventRecord",
    "Holding",
    "Office",
    "PersonMention",
    "Spouses",
    "doc_text",
    "get_list",
    "register_extensions",
    "remember_text",
    "sentence_of",
    "sentence_spans",
]
