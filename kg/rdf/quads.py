"""A plain in-memory set of quads, for assembling a build's graph fast.

rdflib's own store indexes every triple three ways as it is added, which
made assembling a large build's graph the slowest step after extraction.
kg only adds triples while it assembles and reads them back once to write
the files, so it keeps a set per named graph and turns the result into an
rdflib ``Dataset`` only where something asks for one (:meth:`to_rdflib`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rdflib import Dataset, URIRef

from kg.rdf.vocab import bind_prefixes


class QuadGraph:
    """One named graph: its identifier and its triples."""

    def __init__(self, identifier: URIRef) -> None:
        self.identifier = identifier
        self._triples: set[tuple] = set()

    def add(self, triple: tuple) -> None:
        self._triples.add(triple)

    def __iter__(self) -> Iterator[tuple]:
        return iter(self._triples)

    def __len__(self) -> int:
        return len(self._triples)


class QuadDataset:
    """Named graphs of triples, with the parts of rdflib's ``Dataset`` interface kg's writers use."""

    def __init__(self) -> None:
        self._graphs: dict[URIRef, QuadGraph] = {}

    def graph(self, identifier: URIRef) -> QuadGraph:
        """The graph named ``identifier``, created empty if new."""
        graph = self._graphs.get(identifier)
        if graph is None:
            graph = self._graphs[identifier] = QuadGraph(identifier)
        return graph

    def graphs(self) -> Iterator[QuadGraph]:
        return iter(self._graphs.values())

    def quads(self, pattern: tuple = (None, None, None, None)) -> Iterator[tuple]:
        """Every quad as ``(s, p, o, graph name)``; only the all-wildcard pattern is supported."""
        if any(part is not None for part in pattern):
            raise NotImplementedError("QuadDataset.quads takes no pattern; use to_rdflib() to search")
        for name, graph in self._graphs.items():
            for s, p, o in graph:
                yield s, p, o, name

    def union(self) -> set[tuple]:
        """The distinct triples over all graphs."""
        out: set[tuple] = set()
        for graph in self._graphs.values():
            out.update(graph)
        return out

    def __len__(self) -> int:
        return len(self.union())

    def union_index(self) -> TripleIndex:
        """The triples of all graphs, indexed for the lookups the network page makes."""
        return TripleIndex(triple for graph in self._graphs.values() for triple in graph)

    def to_rdflib(self) -> Dataset:
        """The same quads in an rdflib ``Dataset`` whose default graph is their union."""
        dataset = bind_prefixes(Dataset(default_union=True))
        for name, graph in self._graphs.items():
            dataset.addN((s, p, o, dataset.graph(name)) for s, p, o in graph)
        return dataset


class TripleIndex:
    """Triples grouped by predicate, with per-predicate lookups built on first use.

    Answers the few rdflib ``Graph`` lookups kg's network reads (``objects``,
    ``subjects``, ``value``, ``subject_objects``) several times faster than
    loading the triples into an rdflib graph, which indexes every triple three
    ways through its event-dispatching store. Only the predicates asked about
    are indexed further.
    """

    def __init__(self, triples: Iterable[tuple]) -> None:
        # A triple stated in several graphs comes once per graph here; lookups drop the repeats.
        self._raw: dict[object, list[tuple]] = {}
        for s, p, o in triples:
            self._raw.setdefault(p, []).append((s, o))
        self._pairs: dict[object, list[tuple]] = {}
        self._objects: dict[object, dict] = {}
        self._subjects: dict[object, dict] = {}

    def _distinct_pairs(self, predicate) -> list[tuple]:
        pairs = self._pairs.get(predicate)
        if pairs is None:
            pairs = self._pairs[predicate] = list(dict.fromkeys(self._raw.get(predicate, ())))
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
        return iter(sorted(self._index(predicate, self._subjects, False).get(obj, ()), key=str))

    def subject_objects(self, predicate) -> Iterator[tuple]:
        return iter(self._distinct_pairs(predicate))

    def value(self, subject, predicate):
        """One object of ``(subject, predicate)`` (the smallest, so the answer is stable), or None."""
        found = self._index(predicate, self._objects, True).get(subject)
        return min(found) if found else None
