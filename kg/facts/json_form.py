""":class:`ArticleFacts` as JSON and back, for the build state (``.kg-state/facts/<sha256>.json``).

Plain data a reader can open, not a pickle tied to kg's class names. Nodes
are written once in a table; facts and aliases refer to them by index. The
round trip gives equal records, in the same order, so an incremental build
assembles the same bytes as a build from scratch.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from kg.facts import ArticleFacts, DateValue, EventKey, Fact, Node, NodeKind, Relation
from kg.io.articles import Article, Dateline


def _node_json(node: Node) -> dict[str, Any]:
    key: Any = node.key
    if isinstance(key, EventKey):
        key = {"class": key.klass, "principals": list(key.principals), "date": key.date, "name": key.name}
    return {"kind": str(node.kind), "key": key, "label": node.label, "klass": node.klass}


def _node(data: dict[str, Any]) -> Node:
    key = data["key"]
    if isinstance(key, dict):
        key = EventKey(key["class"], tuple(key["principals"]), key["date"], key["name"])
    return Node(NodeKind(data["kind"]), key, data["label"], data["klass"])


def _article_json(article: Article) -> dict[str, Any]:
    line = article.dateline
    return {
        "id": article.id, "text": article.text, "title": article.title,
        "date": article.date.isoformat() if article.date else None, "source": article.source,
        "path": article.path, "notes": article.notes, "digest": article.digest,
        "input_bytes": article.input_bytes, "reporters": article.reporters, "byline": article.byline,
        "dateline": None if line is None else {
            "agency": line.agency, "place": line.place, "year": line.year, "month": line.month, "day": line.day,
            "reporters": line.reporters, "start": line.start, "end": line.end, "text": line.text},
    }


def _article(data: dict[str, Any]) -> Article:
    line = data["dateline"]
    return Article(
        id=data["id"], text=data["text"], title=data["title"],
        date=date.fromisoformat(data["date"]) if data["date"] else None, source=data["source"],
        path=data["path"], notes=list(data["notes"]), digest=data["digest"], input_bytes=data["input_bytes"],
        reporters=list(data["reporters"]), byline=data["byline"],
        dateline=None if line is None else Dateline(**line),
    )


def to_json(result: ArticleFacts) -> dict[str, Any]:
    """One article's facts as JSON-ready data."""
    index: dict[Node, int] = {}

    def ref(node: Node) -> int:
        if node not in index:
            index[node] = len(index)
        return index[node]

    ref(result.node)
    facts = []
    for fact in result.facts:
        obj = ({"date": [fact.object.year, fact.object.month, fact.object.day]}
               if isinstance(fact.object, DateValue) else ref(fact.object))
        facts.append([ref(fact.subject), str(fact.relation), obj, fact.article_id, fact.evidence, fact.start,
                      fact.end])
    aliases = [[ref(node), sorted(forms)] for node, forms in result.aliases.items()]
    return {"article": _article_json(result.article), "nodes": [_node_json(n) for n in index],
            "facts": facts, "aliases": aliases, "minhash": result.minhash}


def from_json(data: dict[str, Any]) -> ArticleFacts:
    """The :class:`ArticleFacts` that :func:`to_json` wrote."""
    nodes = [_node(n) for n in data["nodes"]]
    facts = []
    for subject, relation, obj, article_id, evidence, start, end in data["facts"]:
        value = DateValue(*obj["date"]) if isinstance(obj, dict) else nodes[obj]
        facts.append(Fact(nodes[subject], Relation(relation), value, article_id, evidence, start, end))
    aliases = {nodes[i]: set(forms) for i, forms in data["aliases"]}
    return ArticleFacts(_article(data["article"]), nodes[0], facts, aliases, data["minhash"])
