"""Facts: plain typed records between the language side and the RDF side.

:func:`facts_from_doc` reads what the spaCy components left on a ``Doc``
and returns :class:`ArticleFacts`: nodes (persons, posts, countries,
places, events, the article) and facts (subject, relation, object, the
evidence sentence). The RDF layer only ever sees these records.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.tokens import Doc

from kg.grammar import DateMention
from kg.io.articles import Article
from kg.lexicon import COUNTRY, COUNTRY_ABBR, Lexicon, load_lexicon
from kg.nlp.records import EventRecord, doc_text, get_list, sentence_of, sentence_spans

# Node kinds.
PERSON, POST, COUNTRY_KIND, ORGANIZATION, PLACE, EVENT, ARTICLE = (
    "Person", "Post", "Country", "Organization", "Place", "Event", "Article")

# Relations (the RDF layer maps each to a property).
HOLDS, MET, SPOUSE, ATTENDEE, LOCATION, START_DATE = "holds", "met", "spouse", "attendee", "location", "startDate"
AUTHOR, PUBLISHER, MENTIONS, VISITOR, DESTINATION, POST_IN = (
    "author", "publisher", "mentions", "visitor", "destination", "postIn")


@dataclass(frozen=True)
class Node:
    """An entity: ``kind`` and ``key`` make its identity; ``label`` is how it reads."""

    kind: str
    key: str
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
    """``subject relation object``, said by ``evidence`` (a sentence) in ``article_id``."""

    subject: Node
    relation: str
    object: Node | DateValue
    article_id: str
    evidence: str | None = None


@dataclass
class ArticleFacts:
    """Everything kg learned from one article."""

    article: Article
    node: Node
    facts: list[Fact] = field(default_factory=list)
    aliases: dict[Node, set[str]] = field(default_factory=dict)
    #: MinHash signature of the article text (kg.batch.dedupe), for near-duplicate detection
    minhash: list[int] | None = None

    def add(self, subject: Node, relation: str, obj: Node | DateValue, evidence: str | None) -> None:
        fact = Fact(subject, relation, obj, self.article.id, evidence)
        if fact not in self.facts:
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
    return Node(PERSON, key, key)


def resolve_date(mention: DateMention | None, article: Article) -> DateValue | None:
    """A date mention with the year and month the article gives (9日 + 11月9日电 -> --11-09)."""
    if mention is None:
        return None
    month = mention.month or article.month
    if month is None:
        return None
    year = mention.year or article.year
    return DateValue(year, month, mention.day)


def facts_from_doc(article: Article, doc: Doc, lexicon: Lexicon | None = None) -> ArticleFacts:
    """Turn the annotations on ``doc`` (made from ``article.text``) into facts."""
    lexicon = lexicon or load_lexicon()
    text = doc_text(doc)
    art = Node(ARTICLE, article.id, article.title or article.id)
    result = ArticleFacts(article, art)

    def sentence(span: tuple[int, int]) -> str:
        return text[span[0]:span[1]].strip()

    sentences = sentence_spans(doc)

    for mention in get_list(doc, "kg_persons"):
        person = person_node(mention.name)
        result.add(art, MENTIONS, person, sentence(sentence_of(sentences, mention.start)))
        result.alias(person, mention.name)
        if mention.offices:
            result.alias(person, mention.offices[-1].text + mention.name)

    for holding in get_list(doc, "kg_holdings"):
        office = holding.office
        post = Node(POST, office.text, office.text)
        person = person_node(holding.person)
        evidence = sentence(holding.evidence)
        result.add(person, HOLDS, post, evidence)
        if office.bodies:
            body = "".join(office.bodies)
            result.add(post, POST_IN, Node(ORGANIZATION, body, body), evidence)
        elif office.countries:
            country = office.countries[-1]
            result.add(post, POST_IN, Node(COUNTRY_KIND, country, country), evidence)

    for pair in get_list(doc, "kg_spouses"):
        result.add(person_node(pair.a), SPOUSE, person_node(pair.b), sentence(pair.evidence))

    for event in get_list(doc, "kg_events"):
        _event_facts(result, event, article, sentence)

    for unit in get_list(doc, "kg_units"):
        if unit.kind in (COUNTRY, COUNTRY_ABBR):
            name = lexicon.country_name(unit.text)
            if name:
                country = Node(COUNTRY_KIND, name, name)
                result.add(art, MENTIONS, country, sentence(sentence_of(sentences, unit.start)))
                result.alias(country, unit.text)

    if article.dateline:
        line = article.dateline
        agency = Node(ORGANIZATION, line.agency, line.agency)
        result.add(art, PUBLISHER, agency, None)
        for reporter in line.reporters:
            result.add(art, AUTHOR, person_node(reporter), None)
    return result


def _event_facts(result: ArticleFacts, event: EventRecord, article: Article, sentence) -> None:
    when = resolve_date(event.date, article)
    key = "|".join([event.klass, *sorted(person_key(p) for p in event.principals), when.iso() if when else ""])
    node = Node(EVENT, key, event.label, event.klass)
    evidence = sentence(event.evidence)
    for name, where in event.attendees.items():
        result.add(node, ATTENDEE, person_node(name), sentence(where))
    for a, b in event.met:
        result.add(person_node(a), MET, person_node(b), evidence)
    if event.place:
        result.add(node, LOCATION, Node(PLACE, event.place, event.place), evidence)
    if when:
        result.add(node, START_DATE, when, evidence)
    if event.visitor:
        result.add(node, VISITOR, person_node(event.visitor), evidence)
    if event.destination:
        result.add(node, DESTINATION, Node(COUNTRY_KIND, event.destination, event.destination), evidence)


def extract(articles: Iterable[Article], nlp=None) -> list[ArticleFacts]:
    """Run the pipeline over ``articles`` and collect their facts."""
    from kg.nlp.pipeline import shared_pipeline

    nlp = nlp or shared_pipeline()
    articles = list(articles)
    docs = nlp.pipe(a.text for a in articles)  # the tokenizer keeps each text on its Doc (remember_text)
    return [facts_from_doc(article, doc) for article, doc in zip(articles, docs)]
