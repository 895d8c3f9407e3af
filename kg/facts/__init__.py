"""Facts: the plain typed records between the language side and the RDF side.

Nothing here knows spaCy or RDF. The language side (:mod:`kg.nlp.doc_facts`)
makes :class:`ArticleFacts` from an annotated article; the RDF side
(:mod:`kg.rdf.build`) turns them into triples; the build state stores them
as JSON (:mod:`kg.facts.json_form`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from kg.io.articles import Article


class NodeKind(StrEnum):
    """What an entity is; the RDF layer maps each kind to a class."""

    PERSON = "Person"
    POST = "Post"
    COUNTRY = "Country"
    ORGANIZATION = "Organization"
    PLACE = "Place"
    EVENT = "Event"
    ARTICLE = "Article"


class Relation(StrEnum):
    """What a fact says; the RDF layer maps each relation to a property."""

    HOLDS = "holds"
    MET = "met"
    SPOUSE = "spouse"
    ATTENDEE = "attendee"
    LOCATION = "location"
    START_DATE = "startDate"
    AUTHOR = "author"
    PUBLISHER = "publisher"
    MENTIONS = "mentions"
    VISITOR = "visitor"
    DESTINATION = "destination"
    POST_IN = "postIn"
    # Changes of office (the article's date dates them; kg.rdf.tenures gathers them per person and post):
    TOOK_UP = "tookUpPost"      # 任命X为Y, 当选为Y, 就任Y: the tenure starts (and the person holds the post)
    LEFT = "leftPost"           # 免去X的Y职务, 卸任, 辞去: the tenure ends
    FORMERLY = "formerlyHeld"   # 原Y, 前Y: held before the article's date, no longer
    ELECT = "postElect"         # 当选总统, 候任: elected or designated, not yet holding


@dataclass(frozen=True)
class EventKey:
    """An event's identity: its class, its principals' person keys (sorted), its ISO date ("" undated),
    and for a gathering its name (推动长江经济带发展领导小组会议)."""

    klass: str
    principals: tuple[str, ...]
    date: str = ""
    name: str = ""

    def __str__(self) -> str:
        return "|".join([self.klass, *self.principals, self.date]) + (f"|{self.name}" if self.name else "")

    def undated(self) -> EventKey:
        """The same event with no date: what an edition that does not date it would call it."""
        return replace(self, date="")


@dataclass(frozen=True)
class Node:
    """An entity: ``kind`` and ``key`` make its identity; ``label`` is how it reads."""

    kind: NodeKind
    key: str | EventKey
    label: str
    klass: str | None = None  # a finer class for events (Talks, WelcomeCeremony, ...)


@dataclass(frozen=True)
class DateValue:
    """A calendar day, the year possibly unknown (then an ``xsd:gMonthDay``)."""

    year: int | None
    month: int
    day: int

    def iso(self) -> str:
        if self.year:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        return f"--{self.month:02d}-{self.day:02d}"


@dataclass(frozen=True)
class Fact:
    """``subject relation object``, said by ``evidence`` (a sentence, or a bounded window of a long one) in
    ``article_id``; ``start`` and ``end`` are the evidence's character offsets in the article text kg read."""

    subject: Node
    relation: Relation
    object: Node | DateValue
    article_id: str
    evidence: str | None = None
    start: int | None = None
    end: int | None = None


@dataclass
class ArticleFacts:
    """Everything kg learned from one article."""

    article: Article
    node: Node
    facts: list[Fact] = field(default_factory=list)
    aliases: dict[Node, set[str]] = field(default_factory=dict)
    #: MinHash signature of the article text (kg.facts.stories), for near-duplicate detection
    minhash: list[int] | None = None
    _seen: set[Fact] = field(default_factory=set, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._seen = set(self.facts)

    def add(self, subject: Node, relation: Relation, obj: Node | DateValue, evidence: str | None,
            span: tuple[int, int] | None = None) -> None:
        fact = Fact(subject, relation, obj, self.article.id, evidence, *(span or (None, None)))
        if fact not in self._seen:  # a set beside the list: the list keeps the order, the set the speed
            self._seen.add(fact)
            self.facts.append(fact)

    def alias(self, node: Node, surface: str) -> None:
        if surface and surface != node.label:
            self.aliases.setdefault(node, set()).add(surface)

    def nodes(self) -> set[Node]:
        out = {self.node}
        for fact in self.facts:
            out.add(fact.subject)
            if isinstance(fact.object, Node):
                out.add(fact.object)
        return out


def person_key(name: str) -> str:
    """Identity of a person: the bare name; a foreign full name keys on its last part (唐纳德·特朗普 -> 特朗普)."""
    for joiner in "·•‧・":
        if joiner in name:
            return name.split(joiner)[-1]
    return name


def person_node(name: str) -> Node:
    key = person_key(name)
    return Node(NodeKind.PERSON, key, key)


def article_day(article: Article) -> date | None:
    """The day an article speaks for: its date, else its dateline's day when the dateline gives the year."""
    if article.date:
        return article.date
    line = article.dateline
    if line is None or not line.year:
        return None
    try:
        return date(line.year, line.month, line.day)
    except ValueError:  # 2月30日 in a dateline
        return None


def article_node(article: Article) -> Node:
    """The node of the article itself."""
    return Node(NodeKind.ARTICLE, article.id, article.title or article.id)


__all__ = ["ArticleFacts", "DateValue", "EventKey", "Fact", "Node", "NodeKind", "Relation",
           "article_day", "article_node", "person_key", "person_node"]
