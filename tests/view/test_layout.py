"""The page's layout (kg.out.layout): every node placed, the same graph the same positions."""

from __future__ import annotations

import networkx as nx

from kg.out.layout import layout


def two_clusters_and_strays() -> nx.MultiDiGraph:
    net = nx.MultiDiGraph()
    for cluster in ("a", "b"):
        members = [f"{cluster}{i}" for i in range(12)]
        net.add_nodes_from(members)
        net.add_edges_from((x, y) for i, x in enumerate(members) for y in members[i + 1:])  # a clique each
    net.add_edge("a0", "b0")  # one bridge: one component of two communities
    net.add_nodes_from(["lone1", "lone2"])  # isolated
    net.add_edge("pair1", "pair2")  # a separate pair
    return net


def test_every_node_gets_a_place_and_the_same_graph_the_same_places():
    net = two_clusters_and_strays()
    positions, community = layout(net)
    assert set(positions) == set(net) == set(community)
    assert len(set(positions.values())) == len(net), "no two nodes on one spot"
    again, _ = layout(nx.MultiDiGraph(net))
    assert again == positions


def test_communities_keep_together_and_strays_go_below():
    positions, community = layout(two_clusters_and_strays())
    assert community["a1"] == community["a5"] != community["b1"] == community["b5"]

    def centre(prefix: str) -> tuple[float, float]:
        points = [p for n, p in positions.items() if n.startswith(prefix) and n[1:].isdigit()]
        return sum(x for x, _ in points) / len(points), sum(y for _, y in points) / len(points)

    (ax, ay), (bx, by) = centre("a"), centre("b")
    spread = max(abs(positions[f"a{i}"][0] - ax) + abs(positions[f"a{i}"][1] - ay) for i in range(12))
    assert abs(ax - bx) + abs(ay - by) > spread, "the two communities are apart"
    lowest_cluster = max(y for n, (_, y) in positions.items() if n[0] in "ab")
    assert all(positions[n][1] > lowest_cluster for n in ("lone1", "lone2", "pair1", "pair2"))


def test_kg_view_caps_the_page_where_the_page_module_does():
    from kg.out.cli import parser
    from kg.out.view.page import MAX_NODES

    args = parser().parse_args(["view", "graph.ttl", "-o", "graph.html"])
    assert args.max_nodes == MAX_NODES >= 10_000
