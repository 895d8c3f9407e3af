"""The union of a dataset's named graphs, indexed for the lookups the entity network makes.

A build's graph, a graph file and a store all come as an Oxigraph
``Dataset``; the network page and ``kg stats`` read the union of its
graphs (each triple once, whichever articles state it) through
:class:`TripleIndex`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox


def union_triples(dataset: Iterable[ox.Quad]) -> set[tuple]:
    """The distinct ``(subject, predicate, object)`` of every graph."""
    return {(quad.subject, quad.predicate, quad.object) for quad in dataset}


class TripleIndex:
    """Triples grouped by predicate, with per-predicate lookups built on first use.

    Only the predicates asked about are indexed further; lookups answer with
    Oxigraph terms.
    """

    def __init__(self, triples: Iterable[tuple]) -> None:
        self._raw: dict[ox.NamedNode, list[tuple]] = {}
        for s, p, o in triples:
            self._raw.setdefault(p, []).append((s, o))
        self._pairs: dict[object, list[tuple]] = {}
        self._objects: dict[object, dict] = {}
        self._subjects: dict[object, dict] = {}

    @classmethod
    def of(cls, dataset: Iterable[ox.Quad]) -> TripleIndex:
        """The index of the union of ``dataset``'s graphs."""
        return cls(union_triples(dataset))

    def _distinct_pairs(self, predicate) -> list[tuple]:
        pairs = self._pairs.get(predicate)
        if pairs is None:
            pairs = self._pairs[predicate] = sorted(set(self._raw.get(predicate, ())),
                                                    key=lambda pair: (pair[0].value, pair[1].value))
        return pairs

    def _index(self, predicate, into: dict, forward: bool) -> dict:
        table = into.get(predicate)
        if table is None:
            table = into[predicate] = {}
            for s, o in self._distinct_pairs(predicate):
                key, value = (s, o) if forward else (o, s)
                table.setdefault(key, []).append(value)
        return table

    def objects(self, subject, predicate) -> Iterator:
        return iter(self._index(predicate, self._objects, True).get(subject, ()))

    def subjects(self, predicate, obj) -> Iterator:
        """The subjects of ``(predicate, obj)`` in IRI order, so what is drawn from them comes in a stable order."""
        return iter(self._index(predicate, self._subjects, False).get(obj, ()))

    def subject_objects(self, predicate) -> Iterator[tuple]:
        """The ``(subject, object)`` pairs of ``predicate``, ordered by their values."""
        return iter(self._distinct_pairs(predicate))

    def value(self, subject, predicate):
        """One object of ``(subject, predicate)`` (the first by value, so the answer is stable), or None."""
        found = self._index(predicate, self._objects, True).get(subject)
        return found[0] if found else None
