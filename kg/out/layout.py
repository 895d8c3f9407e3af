"""Where the page draws each entity: a layout computed once in Python, so the page opens still.

networkx's ForceAtlas2 compares every pair of nodes, which takes minutes at
10,000 nodes, so the layout works in two levels. Louvain communities (seeded)
are laid out as weighted super-nodes sized by their membership, then each
community's own members are laid out with ForceAtlas2 inside its disc. Whole
components that touch nothing else (a pair of persons, a lone post) are
packed in rows below the main drawing rather than scattered through it.
Everything is seeded and ordered, so the same graph gives the same page.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np

SEED = 7
#: pixels of radius per square root of a community's size: about 60 px between neighbouring nodes
UNIT = 34.0
#: communities larger than this are laid out by the sparse spring layout (ForceAtlas2 is quadratic)
LARGEST_FORCEATLAS = 1500
ITERATIONS = 60
#: the share of the drawing's circle the community discs fill
FILL = 0.35

Positions = dict[str, tuple[int, int]]


def undirected(net: nx.MultiDiGraph) -> tuple[nx.Graph, list[str]]:
    """The simple undirected graph of ``net`` on integers (the node names, sorted, give their numbers), and
    the names. Integers, not strings: Louvain walks sets of nodes, and the order of a set of strings
    changes with Python's hash seed from one process to the next; the same graph must give the same page."""
    names = sorted(str(n) for n in net)
    number = {name: i for i, name in enumerate(names)}
    simple = nx.Graph()
    simple.add_nodes_from(range(len(names)))
    simple.add_edges_from(sorted({tuple(sorted((number[str(a)], number[str(b)]))) for a, b in net.edges() if a != b}))
    return simple, names


def communities(simple: nx.Graph) -> list[list[int]]:
    """Louvain communities (seeded), each sorted, the largest first."""
    found = nx.community.louvain_communities(simple, seed=SEED) if len(simple) else []
    return sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))


def _disc(simple: nx.Graph, members: list[int]) -> np.ndarray:
    """Positions of one community's members, centred, within a radius of ``UNIT * sqrt(size)``."""
    if len(members) == 1:
        return np.zeros((1, 2))
    sub = simple.subgraph(members)
    if len(members) > LARGEST_FORCEATLAS:
        pos = nx.spring_layout(sub, seed=SEED, iterations=30)
    else:
        pos = nx.forceatlas2_layout(sub, seed=SEED, max_iter=ITERATIONS)
    points = np.array([pos[m] for m in members], dtype=float)
    points -= points.mean(axis=0)
    # half the members lie within the disc: leaves pushed far out by ForceAtlas2 must not shrink the core
    reach = float(np.median(np.sqrt((points ** 2).sum(axis=1)))) or 1.0
    return points * (UNIT * math.sqrt(len(members)) / reach)


def _super_layout(simple: nx.Graph, groups: list[list[int]], member_of: dict[int, int]) -> np.ndarray:
    """Centres for the communities that link to others: ForceAtlas2 on the community graph, with each
    community's disc as its size so discs do not overlap."""
    meta = nx.Graph()
    meta.add_nodes_from(range(len(groups)))
    for a, b in simple.edges():
        ca, cb = member_of.get(a), member_of.get(b)
        if ca is not None and cb is not None and ca != cb:
            weight = meta.get_edge_data(ca, cb, {"weight": 0})["weight"]
            meta.add_edge(ca, cb, weight=weight + 1)
    radii = {i: math.sqrt(len(g)) for i, g in enumerate(groups)}
    pos = nx.forceatlas2_layout(meta, seed=SEED, max_iter=ITERATIONS, weight="weight", node_size=radii,
                                scaling_ratio=4.0)
    centres = np.array([pos[i] for i in range(len(groups))], dtype=float)
    centres -= centres.mean(axis=0)
    return centres * _spacing(centres, np.array([UNIT * radii[i] for i in range(len(groups))]))


def _spacing(centres: np.ndarray, radii: np.ndarray) -> float:
    """Pixels per layout unit that make the discs fill :data:`FILL` of the circle the drawing spans.
    ForceAtlas2 leaves a few communities far out and stacks some pairs together, so neither the
    widest nor the nearest distances give a useful scale; the spread (root mean square distance from
    the centre) against the discs' total area does."""
    spread = float(np.sqrt((centres ** 2).sum(axis=1).mean()))
    if len(centres) < 2 or spread == 0:
        return 1.0
    return float(np.sqrt((radii ** 2).sum() / FILL)) / spread


def _pack_rows(discs: list[np.ndarray], top: float, width: float) -> list[np.ndarray]:
    """Place small separate components left to right in rows starting at ``top``, within ``width``."""
    placed, x, y, row_height = [], -width / 2, top, 0.0
    for points in discs:
        radius = max(float(np.abs(points).max()), UNIT / 2)
        if x + 2 * radius > width / 2 and x > -width / 2:
            x, y, row_height = -width / 2, y + row_height + UNIT, 0.0
        placed.append(points + np.array([x + radius, y + radius]))
        x += 2 * radius + UNIT
        row_height = max(row_height, 2 * radius)
    return placed


def layout(net: nx.MultiDiGraph) -> tuple[Positions, dict[str, int]]:
    """(node -> (x, y) in page pixels, node -> community number, the largest community 0)."""
    simple, names = undirected(net)
    groups = communities(simple)
    member_of = {m: i for i, group in enumerate(groups) for m in group}
    linked = {member_of[a] for a, b in simple.edges() if member_of[a] != member_of[b]}
    linked |= {member_of[b] for a, b in simple.edges() if member_of[a] != member_of[b]}
    main = [i for i in range(len(groups)) if i in linked]
    loose = [i for i in range(len(groups)) if i not in linked]
    positions: dict[int, tuple[float, float]] = {}
    discs = {i: _disc(simple, groups[i]) for i in range(len(groups))}
    if main:
        centres = _super_layout(simple, [groups[i] for i in main], member_of={
            m: k for k, i in enumerate(main) for m in groups[i]})
        for k, i in enumerate(main):
            for member, point in zip(groups[i], discs[i] + centres[k]):
                positions[member] = (float(point[0]), float(point[1]))
    if positions:
        spread = np.array(list(positions.values()))
        top, width = float(spread[:, 1].max()) + 3 * UNIT, max(float(np.ptp(spread[:, 0])), 20 * UNIT)
    else:
        top, width = 0.0, UNIT * 4 * math.sqrt(len(loose) + 1)
    for i, points in zip(loose, _pack_rows([discs[i] for i in loose], top, width)):
        for member, point in zip(groups[i], points):
            positions[member] = (float(point[0]), float(point[1]))
    # whole pixels: vis reports positions as integers, and the page is smaller
    return ({names[n]: (round(x), round(y)) for n, (x, y) in positions.items()},
            {names[n]: community for n, community in member_of.items()})
