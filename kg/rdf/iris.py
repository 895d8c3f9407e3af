"""Stable, readable IRIs: the same entity gets the same IRI in every article and every run.

An entity's IRI carries its name as multilingual DBpedia does
(``https://kg.example/id/person/习近平``): an IRI per RFC 3987, whose path keeps
every character RFC 3987 allows as it is (letters and digits of any script,
``- . _ ~``) and percent-encodes the rest as UTF-8 (ASCII punctuation, spaces,
controls, private-use and non-characters). Graphs written before this used
percent-encoded URIs (``id:person/%E4%B9%A0…``); :func:`readable_iri` turns
those into the readable form, and kg applies it when it reads a graph file.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from urllib.parse import quote, unquote

import pyoxigraph as ox

from kg.facts import Node, NodeKind
from kg.rdf.vocab import ID

_PATHS = {NodeKind.PERSON: "person", NodeKind.POST: "post", NodeKind.COUNTRY: "country",
          NodeKind.ORGANIZATION: "org", NodeKind.PLACE: "place", NodeKind.ARTICLE: "article"}
#: ASCII characters an IRI path segment keeps as they are (RFC 3986 unreserved)
_UNRESERVED_ASCII = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def _is_ucschar(code: int) -> bool:
    """RFC 3987 ``ucschar``: the non-ASCII characters an IRI may carry unencoded outside its query."""
    if code < 0xA0 or 0xD800 <= code <= 0xF8FF or 0xFDD0 <= code <= 0xFDEF:
        return False  # ASCII and C1 controls, surrogates, the BMP's private use, non-characters
    if code <= 0xFFEF:
        return True
    if code <= 0xFFFF or code >= 0xF0000 or (code & 0xFFFF) >= 0xFFFE:
        return False  # specials, planes 15-16 (private use), each plane's last two code points
    return code >= 0xE1000 or code < 0xE0000


def iri_segment(text: str) -> str:
    """``text`` as one IRI path segment: readable characters kept, the rest percent-encoded (UTF-8)."""
    return "".join(ch if ch in _UNRESERVED_ASCII or _is_ucschar(ord(ch)) else quote(ch, safe="")
                   for ch in text)


@lru_cache(maxsize=1 << 16)  # the same entities recur in every article: encode them once
def node_iri(node: Node) -> ox.NamedNode:
    """``id:person/习近平`` for named things; events get a digest of their key."""
    if node.kind == NodeKind.EVENT:
        return ox.NamedNode(f"{ID}event/{_digest(str(node.key))}")
    return ox.NamedNode(f"{ID}{_PATHS[node.kind]}/{iri_segment(node.key)}")


def statement_iri(subject: ox.NamedNode, predicate: ox.NamedNode, obj: ox.NamedNode | ox.Literal,
                  article: ox.NamedNode) -> ox.NamedNode:
    """The reified statement of one fact in one article (a digest of the terms' values)."""
    return ox.NamedNode(f"{ID}statement/{_digest(' '.join(t.value for t in (subject, predicate, obj, article)))}")


def readable_iri(iri: str) -> str:
    """A kg IRI in the readable form: an old percent-encoded one (``id:person/%E4%B9%A0…``) decoded and
    encoded again by :func:`iri_segment`, segment by segment; any other IRI as it is."""
    if not iri.startswith(str(ID)) or "%" not in iri:
        return iri
    path = iri[len(str(ID)):]
    return str(ID) + "/".join(iri_segment(unquote(segment)) for segment in path.split("/"))
