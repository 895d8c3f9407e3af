"""Plain records the spaCy components leave on a ``Doc`` (as ``Doc._`` extensions).

Offsets are character offsets into ``doc.text``; the last component,
``kg_entity_spans``, turns them into token spans in ``doc.ents``.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from spacy.tokens import Doc

from kg.grammar import DateMention, Office


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

    @property
    def key(self) -> tuple[str, tuple[str, ...]]:
        """Identity within a document: the same class with the same principals is one event."""
        return self.klass, tuple(sorted(self.principals))


EXTENSIONS = {
    "kg_entities": list,     # EntityMention from the NER model
    "kg_units": list,        # kg.lexicon.Unit matches
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
    """Character spans of the sentences (the whole text when none were set)."""
    if doc.has_annotation("SENT_START"):
        return [(s.start_char, s.end_char) for s in doc.sents]
    return [(0, len(doc.text))]


def sentence_of(sentences: list[tuple[int, int]], offset: int) -> tuple[int, int]:
    """The sentence span that holds character ``offset``."""
    starts = [s for s, _ in sentences]
    index = max(bisect.bisect_right(starts, offset) - 1, 0)
    return sentences[index]


__all__ = ["DateMention", "EntityMention", "EventRecord", "Holding", "Office", "PersonMention", "Spouses",
           "get_list", "register_extensions", "sentence_of", "sentence_spans"]
