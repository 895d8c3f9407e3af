"""``kg stats``: what a graph holds, measured with networkx on its entity network."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import networkx as nx

from kg.out.network import centrality
from kg.rdf.query import aligned_table
from kg.rdf.tenures import PostChange
from kg.rdf.vocab import KG

#: the relation the meetings network is made of, by its term (the page's name for it may change)
MET = str(KG.met)


@dataclass
class GraphStats:
    """Counts and rankings of one entity network."""

    nodes_by_type: Counter = field(default_factory=Counter)
    edges_by_relation: Counter = field(default_factory=Counter)
    central_persons: list[tuple[str, float, int]] = field(default_factory=list)  # label, PageRank, degree
    component_sizes: list[int] = field(default_factory=list)
    meetings: list[tuple[str, str, int]] = field(default_factory=list)  # person, person, evidence sentences
    post_changes: list[PostChange] = field(default_factory=list)  # posts that changed holder
    top: int = 10  # how many rows the ranked tables list


def graph_stats(net: nx.MultiDiGraph, top: int = 10) -> GraphStats:
    """Node and edge counts by type, the most central persons, components and the meetings network."""
    stats = GraphStats()
    stats.nodes_by_type.update(data["kind"] for _, data in net.nodes(data=True))
    stats.edges_by_relation.update(data["relation"] for _, _, data in net.edges(data=True))
    rank, degree = centrality(net, "pagerank"), centrality(net, "degree")
    persons = [n for n, data in net.nodes(data=True) if data["person"]]
    persons.sort(key=lambda n: (-rank[n], net.nodes[n]["label"]))
    stats.central_persons = [(net.nodes[n]["label"], rank[n], degree[n]) for n in persons[:top]]
    components = nx.connected_components(net.to_undirected(as_view=True))
    stats.component_sizes = sorted((len(c) for c in components), reverse=True)
    meetings = [(net.nodes[a]["label"], net.nodes[b]["label"], len(data["evidence"]))
                for a, b, data in net.edges(data=True) if data["predicate"] == MET]
    stats.meetings = sorted(tuple(sorted(pair[:2])) + (pair[2],) for pair in meetings)
    stats.top = top
    return stats


def format_stats(stats: GraphStats) -> str:
    """The report ``kg stats`` prints: plain aligned tables."""
    total_nodes, total_edges = sum(stats.nodes_by_type.values()), sum(stats.edges_by_relation.values())
    lines = [f"nodes: {total_nodes}"]
    lines += aligned_table(["type", "count"], [[k, str(v)] for k, v in stats.nodes_by_type.most_common()])
    lines += ["", f"edges: {total_edges}"]
    lines += aligned_table(["relation", "count"], [[k, str(v)] for k, v in stats.edges_by_relation.most_common()])
    sizes = stats.component_sizes
    lines += ["", (f"connected components: {len(sizes)} (largest {sizes[0] if sizes else 0} nodes; "
                  f"sizes {', '.join(map(str, sizes[:10]))}{' ...' if len(sizes) > 10 else ''})")]
    lines += ["", "most central persons (PageRank on the undirected entity network):"]
    lines += aligned_table(["person", "pagerank", "degree"],
                    [[label, f"{rank:.4f}", str(degree)] for label, rank, degree in stats.central_persons])
    lines += ["", f"meetings network: {len(stats.meetings)} pairs met"]
    # the pairs with the most evidence first, as many as --top
    shown = sorted(stats.meetings, key=lambda m: (-m[2], m[0], m[1]))[:stats.top]
    lines += aligned_table(["person", "met", "evidence"], [[a, b, str(n)] for a, b, n in shown])
    if len(stats.meetings) > len(shown):
        lines.append(f"... and {len(stats.meetings) - len(shown)} more pairs (--top N lists more)")
    lines += ["", f"posts that changed holder: {len(stats.post_changes)}"]
    if stats.post_changes:
        changes = stats.post_changes[:stats.top]
        lines += aligned_table(["post", "held by", "over by", "now held by", "since"],
                               [[c.post, c.before, c.ended, c.after, c.since] for c in changes])
        if len(stats.post_changes) > len(changes):
            lines.append(f"... and {len(stats.post_changes) - len(changes)} more (--top N lists more)")
    return "\n".join(lines)
