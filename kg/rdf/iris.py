"""Stable IRIs: the same entity gets the same IRI in every article and every run."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from urllib.parse import quote

import pyoxigraph as ox

from kg.facts import Node, NodeKind
from kg.rdf.vocab import ID

_PATHS = {NodeKind.PERSON: "person", NodeKind.POST: "post", NodeKind.COUNTRY: "country",
          NodeKind.ORGANIZATION: "org", NodeKind.PLACE: "place", NodeKind.ARTICLE: "article"}


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


@lru_cache(maxsize=1 << 16)  # the same entities recur in every article: quote them once
def node_iri(node: Node) -> ox.NamedNode:
    """``id:person/%E4%B9%A0…`` for named things; events get a digest of their key."""
    if node.kind == NodeKind.EVENT:
        return ox.NamedNode(f"{ID}event/{_digest(str(node.key))}")
    return ox.NamedNode(f"{ID}{_PATHS[node.kind]}/{quote(node.key, safe='')}")


def statement_iri(subject: ox.NamedNode, predicate: ox.NamedNode, obj: ox.NamedNode | ox.Literal,
                  article: ox.NamedNode) -> ox.NamedNode:
    """The reified statement of one fact in one article (a digest of the terms' values)."""
    return ox.NamedNode(f"{ID}statement/{_digest(' '.join(t.value for t in (subject, predicate, obj, article)))}")
