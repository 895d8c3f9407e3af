"""A plain in-memory set of quads, for assembling a build's graph fast.

rdflib's own store indexes every triple three ways as it is added, which
made assembling a large build's graph the slowest step after extraction.
kg only adds triples while it assembles and reads them back once to write
the files, so it keeps a set per named graph and turns the result into an
rdflib ``Dataset`` only where something asks for one (:meth:`to_rdflib`).
"""

from __future__ import annotations

from collections.abc import Iterator

from rdflib import Dataset, URIRef

from kg.rdf.vocab import PREFIXES


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

    def to_rdflib(self) -> Dataset:
        """The same quads in an rdflib ``Dataset`` whose default graph is their union."""
        dataset = Dataset(default_union=True)
        for prefix, namespace in PREFIXES.items():
            dataset.bind(prefix, namespace)
        for name, graph in self._graphs.items():
            dataset.addN((s, p, o, dataset.graph(name)) for s, p, o in graph)
        return dataset
