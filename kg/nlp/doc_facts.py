"""From an annotated ``Doc`` to :class:`kg.facts.ArticleFacts`: the adapter at the seam.

The components leave their Spans and records on the Doc (:mod:`kg.nlp.records`); this
module reads them once and states the facts: persons mentioned, posts held,
spouses, events with their attendees, place and date, countries mentioned,
and the article's publisher and authors from its dateline.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from spacy.language import Language
from spacy.tokens import Doc

from kg.facts import (
    ArticleFacts,
    DateValue,
    EventKey,
    Node,
    NodeKind,
    Relation,
    article_node,
    person_key,
    person_node,
)
from kg.io.articles import Article
from kg.nlp.grammar import DateMention, Office
from kg.nlp.lexicon import COUNTRY, COUNTRY_ABBR, Lexicon, load_lexicon
from kg.nlp.lexicon_matcher import pipeline_lexicon
from kg.nlp.pipeline import shared_pipeline
from kg.nlp.records import (
    EventRecord,
    doc_text,
    get_events,
    get_holdings,
    get_list,
    get_persons,
    sentence_of,
    sentence_spans,
)

#: the longest evidence a fact keeps: a longer sentence (a text with no sentence punctuation) gives a window of
#: it around the fact, so a 200,000-character line is not copied into every statement
MAX_EVIDENCE_CHARS = 300


def resolve_date(mention: DateMention | None, article: Article) -> DateValue | None:
    """A date mention with the year and month the article gives (9日 + 11月9日电 -> --11-09)."""
    if mention is None:
        return None
    month = mention.month or article.month
    if month is None:
        return None
    year = mention.year or article.year
    return DateValue(year, month, mention.day)


def post_key(office: Office, lexicon: Lexicon) -> str:
    """A post's identity: its text with a short form of its country written out (俄总统 and 俄罗斯总统
    are one post; the label keeps what the text wrote)."""
    if office.countries:
        country = office.countries[0]
        for length in range(min(len(country), len(office.text)), 0, -1):  # the longest form first: 美国, not 美
            prefix = office.text[:length]
            if lexicon.country_name(prefix) == country:
                return country + office.text[length:]
    return office.text


#: the facts a holding gives, by its change of office (kg.nlp.office_changes): a post taken up is held too
CHANGE_RELATIONS = {None: (Relation.HOLDS,), "start": (Relation.HOLDS, Relation.TOOK_UP), "end": (Relation.LEFT,),
                    "former": (Relation.FORMERLY,), "elect": (Relation.ELECT,)}


def facts_from_doc(article: Article, doc: Doc, lexicon: Lexicon | None = None) -> ArticleFacts:
    """Turn the annotations on ``doc`` (made from ``article.text``) into facts."""
    lexicon = lexicon or load_lexicon()
    text = doc_text(doc)
    art = article_node(article)
    result = ArticleFacts(article, art)

    def sentence(span: tuple[int, int], *names: str) -> tuple[str, tuple[int, int]]:
        """The evidence of a fact said in the sentence ``span``: the sentence, or for a long one (a text with
        no sentence punctuation) a window of :data:`MAX_EVIDENCE_CHARS` around the first of ``names`` it
        holds; with its character offsets."""
        start, end = span
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end - start > MAX_EVIDENCE_CHARS:
            focus = min((at for at in (text.find(n, start, end) for n in names if n) if at != -1), default=start)
            start = max(start, min(focus - MAX_EVIDENCE_CHARS // 4, end - MAX_EVIDENCE_CHARS))
            end = start + MAX_EVIDENCE_CHARS
        return text[start:end], (start, end)

    sentences = sentence_spans(doc)

    for mention in get_persons(doc):
        person = person_node(mention.name)
        result.add(art, Relation.MENTIONS, person, *sentence(sentence_of(sentences, mention.start), mention.name))
        result.alias(person, mention.name)
        if mention.offices:
            result.alias(person, mention.offices[-1].text + mention.name)

    for holding in get_holdings(doc):
        office = holding.office
        post = Node(NodeKind.POST, post_key(office, lexicon), office.text)
        evidence = sentence(holding.evidence, office.text, holding.person)
        for relation in CHANGE_RELATIONS[holding.change]:
            result.add(person_node(holding.person), relation, post, *evidence)
        if office.bodies:
            body = "".join(office.bodies)
            result.add(post, Relation.POST_IN, Node(NodeKind.ORGANIZATION, body, body), *evidence)
        elif office.countries:
            country = office.countries[-1]
            result.add(post, Relation.POST_IN, Node(NodeKind.COUNTRY, country, country), *evidence)

    for pair in get_list(doc, "kg_spouses"):
        result.add(person_node(pair.a), Relation.SPOUSE, person_node(pair.b), *sentence(pair.evidence, pair.a))

    for event in get_events(doc):
        _event_facts(result, event, article, sentence)

    for unit in get_list(doc, "kg_units"):
        if unit.kind in (COUNTRY, COUNTRY_ABBR):
            name = lexicon.country_name(unit.text)
            if name:
                country = Node(NodeKind.COUNTRY, name, name)
                result.add(art, Relation.MENTIONS, country, *sentence(sentence_of(sentences, unit.start), unit.text))
                result.alias(country, unit.text)

    if article.dateline:
        line = article.dateline
        result.add(art, Relation.PUBLISHER, Node(NodeKind.ORGANIZATION, line.agency, line.agency), None)
    for reporter in article.dateline.reporters if article.dateline else []:
        result.add(art, Relation.AUTHOR, person_node(reporter), None)  # the dateline is its evidence
    for reporter in article.reporters:
        result.add(art, Relation.AUTHOR, person_node(reporter), article.byline)
    return result


def _event_facts(result: ArticleFacts, event: EventRecord, article: Article,
                 sentence: Callable[..., tuple[str, tuple[int, int]]]) -> None:
    if not event.attendees and not event.visitor:
        return  # a gathering bodies held that no named person attended is no fact about persons
    when = resolve_date(event.date, article)
    key = EventKey(event.klass, tuple(sorted(person_key(p) for p in event.principals)), when.iso() if when else "",
                   event.name or "")
    node = Node(NodeKind.EVENT, key, event.label, event.klass)
    evidence = sentence(event.evidence, *event.principals, *event.attendees)
    for name, where in event.attendees.items():
        result.add(node, Relation.ATTENDEE, person_node(name), *sentence(where, name))
    for a, b in event.met:
        result.add(person_node(a), Relation.MET, person_node(b), *sentence(event.evidence, a, b))
    if event.place:
        result.add(node, Relation.LOCATION, Node(NodeKind.PLACE, event.place, event.place), *evidence)
    if when:
        result.add(node, Relation.START_DATE, when, *evidence)
    if event.visitor:
        result.add(node, Relation.VISITOR, person_node(event.visitor), *evidence)
    if event.destination:
        country = Node(NodeKind.COUNTRY, event.destination, event.destination)
        result.add(node, Relation.DESTINATION, country, *evidence)
        if not event.place and event.visitor in event.attendees:  # a reported visit is located where it went
            result.add(node, Relation.LOCATION, country, *evidence)


def extract(articles: Iterable[Article], nlp: Language | None = None) -> list[ArticleFacts]:
    """Run the pipeline over ``articles`` and collect their facts."""
    nlp = nlp or shared_pipeline()
    lexicon = pipeline_lexicon(nlp)
    articles = list(articles)
    docs = nlp.pipe(a.text for a in articles)  # the tokenizer keeps each text on its Doc (remember_text)
    return [facts_from_doc(article, doc, lexicon) for article, doc in zip(articles, docs)]
