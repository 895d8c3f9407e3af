"""Posts in time: per person and post, one ``org:Membership`` dated by the articles that attest it.

Each article says what holds on its date (``schema:datePublished``, or the
dateline's day when the metadata gives none): that a person holds a post
(``org:holds``), took it up (``kg:tookUpPost``), left it (``kg:leftPost``),
held it before (``kg:formerlyHeld``, 原/前) or is its holder-elect
(``kg:postElect``). Gathered over every article of a build, each person and
post gets one membership in the named graph :data:`DERIVED`
(``<https://kg.example/graph/derived>``)::

    id:membership/王毅/外交部部长 a org:Membership ;
        org:member id:person/王毅 ; kg:post id:post/外交部部长 ;
        kg:firstAttested "2023-07-26"^^xsd:date ; kg:lastAttested "2025-03-07"^^xsd:date ;
        kg:current true ;
        org:memberDuring [ a time:Interval ; time:hasBeginning [ time:inXSDDate "2023-07-25" ] ] .

A post one person holds at a time (its title ends in a head of that kind,
``schemas/post_kinds.tsv``, after a body or country; not a deputy's or
a member's post) passes to the next holder: the earlier tenure ends when
another holder is first attested after its last attestation. That end is
inferred, and kept apart from a reported one (免去, 原): ``kg:supersededOn``
(the successor's first attestation) and ``kg:supersededBy`` (the successor)
on the membership, and a ``time:hasEnd`` instant marked ``kg:inferred``.

The graph is made from the facts of all articles at assembly, so an
incremental build (older facts read from the build state) extends the
intervals exactly as a build from scratch would.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import pyoxigraph as ox
from rdflib import URIRef

from kg.facts import ArticleFacts, Node, Relation
from kg.facts import article_day as attested_on
from kg.rdf.iris import iri_segment, node_iri
from kg.rdf.triples import TripleIndex
from kg.rdf.vocab import BASE, ID, KG, ORG, RDFS, SCHEMAS, TIME, XSD, A, named, ontology

#: the named graph of what kg derives from all articles together: the memberships, and the CAMEO codes of
#: the event classes the graph uses (the union, graph.ttl, holds them too)
DERIVED = ox.NamedNode(BASE + "graph/derived")
#: a post not attested this long before the person's latest attested post is taken as no longer held
STALE_AFTER = timedelta(days=365)
#: what each relation tells about a tenure
_KINDS = {Relation.HOLDS: "held", Relation.TOOK_UP: "started", Relation.LEFT: "ended",
          Relation.FORMERLY: "former", Relation.ELECT: "elect"}
DATE, BOOLEAN = named(XSD.date), named(XSD.boolean)


@dataclass
class Tenure:
    """What the articles say about one person in one post: the dates of each kind of attestation (None for
    an article with no date)."""

    held: list[date | None] = field(default_factory=list)
    started: list[date | None] = field(default_factory=list)
    ended: list[date | None] = field(default_factory=list)
    former: list[date | None] = field(default_factory=list)
    elect: list[date | None] = field(default_factory=list)

    def holding_dates(self) -> list[date]:
        """Dated attestations that the person held the post (holding now, or taking it up)."""
        return sorted(d for d in self.held + self.started if d)

    def end(self) -> tuple[bool, date | None]:
        """Whether the tenure is over by the latest article, and the earliest date by which it was: a
        departure or a 原/前 on or after the last attestation of holding (an earlier one was followed by a
        return to the post). An undated one ends a tenure with no dated attestation."""
        held = self.holding_dates()
        last = held[-1] if held else None
        ends = [d for d in self.ended + self.former if d and (last is None or d >= last)]
        if ends:
            return True, min(ends)
        undated = None in self.ended + self.former
        return undated and last is None, None

    def current(self, person_latest: date | None = None) -> bool:
        """Held by the latest article: attested as held, not ended since, and not left behind: news names
        officials by their present posts, so a post last attested more than :data:`STALE_AFTER` before the
        person's latest attested post (上海市委书记 in 2020, 国务院总理 in 2025) is taken as over."""
        if not (self.held or self.started) or self.end()[0]:
            return False
        held = self.holding_dates()
        return not (held and person_latest and held[-1] < person_latest - STALE_AFTER)


def gather(results: Iterable[ArticleFacts]) -> dict[tuple[Node, Node], Tenure]:
    """Every person-post pair the facts speak of, with its attestations (one pair per person key and post
    key: 俄总统 and 俄罗斯总统 are one post, whatever label each article gives it)."""
    tenures: dict[tuple[str, str], tuple[Node, Node, Tenure]] = {}
    for result in results:
        when = attested_on(result.article)
        for fact in result.facts:
            kind = _KINDS.get(fact.relation)
            if kind is not None and isinstance(fact.object, Node):
                ident = (str(fact.subject.key), str(fact.object.key))
                entry = tenures.setdefault(ident, (fact.subject, fact.object, Tenure()))
                getattr(entry[2], kind).append(when)
    return {(person, post): tenure for person, post, tenure in tenures.values()}


@lru_cache(maxsize=1)
def _post_kinds() -> dict[str, tuple[str, ...]]:
    """``schemas/post_kinds.tsv``: kind -> words (beside the ontology: what the graph's tenures mean, not
    what extraction reads, so editing it re-extracts nothing)."""
    kinds: dict[str, tuple[str, ...]] = {}
    text = (SCHEMAS / "post_kinds.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            kind, word = line.split("\t")[:2]
            kinds[kind.strip()] = (*kinds.get(kind.strip(), ()), word.strip())
    return kinds


def single_holder(title: str) -> bool:
    """True when ``title`` names a post one person holds at a time: it ends in a single-holder head with a
    body or country before it (a bare 总统 stands for every country's), and is no deputy's or member's post."""
    kinds = _post_kinds()
    if any(mark in title for mark in kinds["shared_mark"]) or title.endswith(kinds["shared_end"]):
        return False
    return any(title.endswith(head) and len(title) > len(head) for head in kinds["single_head"])


@dataclass(frozen=True)
class Succession:
    """An inferred end: the tenure was over by ``on``, when ``successor`` was first attested in the post."""

    on: date
    successor: Node


def successions(tenures: dict[tuple[Node, Node], Tenure]) -> dict[tuple[Node, Node], Succession]:
    """For each tenure of a single-holder post with no reported end, the first attestation of another holder
    after its last attestation, if there is one."""
    by_post: dict[Node, list[tuple[Node, Tenure]]] = {}
    for (person, post), tenure in tenures.items():
        if single_holder(str(post.key)) and tenure.holding_dates():
            by_post.setdefault(post, []).append((person, tenure))
    found: dict[tuple[Node, Node], Succession] = {}
    for post, holders in by_post.items():
        if len(holders) < 2:
            continue
        people = {str(person.key): person for person, _ in holders}
        attested = sorted({(day, str(person.key)) for person, tenure in holders for day in tenure.holding_dates()})
        for person, tenure in holders:
            if tenure.end()[0]:
                continue  # a reported end says more than an inference
            last = tenure.holding_dates()[-1]
            after = next(((day, key) for day, key in attested if day > last and key != str(person.key)), None)
            if after is not None:
                found[(person, post)] = Succession(after[0], people[after[1]])
    return found


def _day(value: date) -> ox.Literal:
    return ox.Literal(value.isoformat(), datatype=DATE)


def membership_iri(person: Node, post: Node) -> ox.NamedNode:
    """``id:membership/<person>/<post>``: stable, so separately built graphs merge."""
    return ox.NamedNode(f"{ID}membership/{iri_segment(str(person.key))}/{iri_segment(str(post.key))}")


def add_tenures(dataset: ox.Dataset, results: list[ArticleFacts]) -> int:
    """Add one membership per person and post to ``dataset``'s :data:`DERIVED` graph; how many."""
    tenures = gather(results)
    add = dataset.add

    def triple(s, p, o) -> None:
        add(ox.Quad(s, p, o, DERIVED))

    superseded = successions(tenures)
    latest: dict[object, date] = {}  # per person, the latest day any post of theirs is attested
    for (person, _), tenure in tenures.items():
        held = tenure.holding_dates()
        if held and (person.key not in latest or held[-1] > latest[person.key]):
            latest[person.key] = held[-1]
    for (person, post), tenure in sorted(tenures.items(), key=lambda item: membership_iri(*item[0]).value):
        member = membership_iri(person, post)
        triple(member, A, named(ORG.Membership))
        triple(member, named(ORG.member), node_iri(person))
        triple(member, named(KG.post), node_iri(post))
        held = tenure.holding_dates()
        if held:
            triple(member, named(KG.firstAttested), _day(held[0]))
            triple(member, named(KG.lastAttested), _day(held[-1]))
        ended, ended_by = tenure.end()
        if ended_by:
            triple(member, named(KG.endedBy), _day(ended_by))
        elected = sorted(d for d in tenure.elect if d)
        if elected:
            triple(member, named(KG.electedOn), _day(elected[0]))
        succession = superseded.get((person, post))
        if succession is not None:
            triple(member, named(KG.supersededOn), _day(succession.on))
            triple(member, named(KG.supersededBy), node_iri(succession.successor))
        current = tenure.current(latest.get(person.key)) and succession is None
        triple(member, named(KG.current), ox.Literal("true" if current else "false", datatype=BOOLEAN))
        interval = ox.NamedNode(f"{member.value}/interval")
        triple(member, named(ORG.memberDuring), interval)
        triple(interval, A, named(TIME.Interval))
        starts = sorted(d for d in tenure.started if d)
        departures = sorted(d for d in tenure.ended if d and (not held or d >= held[-1]))
        reported_end = departures[0] if ended and departures else None
        inferred_end = succession.on if succession is not None and reported_end is None else None
        for edge, day in (("hasBeginning", starts[0] if starts else None), ("hasEnd", reported_end or inferred_end)):
            if day is not None:
                instant = ox.NamedNode(f"{member.value}/{'start' if edge == 'hasBeginning' else 'end'}")
                triple(interval, named(TIME[edge]), instant)
                triple(instant, A, named(TIME.Instant))
                triple(instant, named(TIME.inXSDDate), _day(day))
                if edge == "hasEnd" and inferred_end is not None:
                    triple(instant, named(KG.inferred), ox.Literal("true", datatype=BOOLEAN))
    return len(tenures)


@dataclass(frozen=True)
class PostChange:
    """A post that changed holder: ``before`` held it until ``ended`` (the date by which it was over),
    ``after`` holds it from ``since`` (taken up, or first attested)."""

    post: str
    before: str
    ended: str
    after: str
    since: str


def changed_posts(dataset: ox.Dataset | TripleIndex) -> list[PostChange]:
    """Posts whose tenure of one holder is over (an end reported, or inferred from a successor) while another
    holder's is current, from the memberships of a built graph, in order of post and date."""
    graph = dataset if isinstance(dataset, TripleIndex) else TripleIndex.of(dataset)

    def label(node) -> str:
        found = graph.value(node, named(RDFS.label))
        return found.value if found is not None else node.value

    def value(node, term) -> str:
        found = graph.value(node, named(term)) if node is not None else None
        return found.value if found is not None else ""

    by_post: dict[object, list] = {}
    for membership, post in graph.subject_objects(named(KG.post)):
        by_post.setdefault(post, []).append(membership)
    changes = []
    for post, members in by_post.items():
        over = [m for m in members
                if value(m, KG.current) == "false" and (value(m, KG.endedBy) or value(m, KG.supersededOn))]
        held = [m for m in members if value(m, KG.current) == "true"]
        for old in over:
            for new in held:
                before, after = graph.value(old, named(ORG.member)), graph.value(new, named(ORG.member))
                if before != after:
                    beginning = graph.value(graph.value(new, named(ORG.memberDuring)), named(TIME.hasBeginning))
                    since = value(beginning, TIME.inXSDDate) or value(new, KG.firstAttested)  # taken up, or first seen
                    ended = value(old, KG.endedBy) or value(old, KG.supersededOn)
                    changes.append(PostChange(label(post), label(before), ended, label(after), since))
    return sorted(changes, key=lambda c: (c.post, c.ended, c.since, c.before, c.after))


def add_event_codes(dataset: ox.Dataset) -> None:
    """State in :data:`DERIVED` the CAMEO code ``schemas/kg.ttl`` gives each event class the graph uses, so a
    query can line kg's events up with GDELT's without the ontology at hand."""
    used = {quad.object for quad in dataset.quads_for_predicate(A) if quad.object.value.startswith(str(KG))}
    for klass in sorted(used, key=lambda term: term.value):
        code = ontology().value(URIRef(klass.value), KG.cameoCode)
        if code is not None:
            dataset.add(ox.Quad(klass, named(KG.cameoCode), ox.Literal(str(code)), DERIVED))


__all__ = ["DERIVED", "PostChange", "Succession", "Tenure", "add_event_codes", "add_tenures", "attested_on", "changed_posts", "gather", "membership_iri", "single_holder", "successions"]
