"""The interactive network page: laid out in Python, drawn by vis-network, kg's own template around it.

The positions come from :mod:`kg.out.layout` (communities, ForceAtlas2) and
the page opens with physics off: it is still on its first paint. Node sizes
and label sizes follow importance (degree or PageRank), and vis draws a label
only once it is large enough on screen, so zooming in reveals the names of the
less connected. Articles and entities related to nothing but articles are
hidden until the page's toggle shows them.

pyvis 0.3.2 links bootstrap and other assets from CDNs even with
``cdn_resources="in_line"``, so kg renders pyvis's node and edge data into
its own Jinja2 template, which inlines the vis-network script and style that ship
inside the pyvis package: the page loads nothing from outside the machine.

Article text is untrusted. Labels, hover text and evidence reach the page
only as JSON in a ``<script type="application/json">`` block (with ``<``,
``>`` and ``&`` escaped) and are shown with ``textContent``, never parsed
as HTML. The page script (``page.js``) adds search, filters and the fact panel.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import jinja2
import networkx as nx
import pyvis
from markupsafe import Markup
from pyvis.network import Network

from kg.out.layout import layout
from kg.out.network import EDGE_TYPES, NODE_TYPES, Source, centrality, entity_network, neighbourhood

HERE = Path(__file__).parent
VIS_DIR = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
MAX_LABEL = 24  # longer labels (headlines) are cut on the canvas; the hover and the panel show them whole
SIZE_RANGE = (8, 40)
#: label font sizes (px) from the least to the most important node; a label is drawn once its on-screen
#: size reaches LABEL_THRESHOLD
LABEL_RANGE = (14, 36)
LABEL_THRESHOLD = 8
#: above this many nodes the page draws edges itself, one stroke per colour, and vis draws only those of
#: the selected node (with arrows and labels); vis drawing every edge cost 300 ms a frame at 10,000 nodes
LARGE_GRAPH = 1000
#: the most entities a page draws; first paint and pan measured by scripts/bench_page.py (README)
MAX_NODES = 10000

__all__ = ["EDGE_TYPES", "NODE_TYPES", "build_network", "render_network", "render_page"]


def _hover(data: dict) -> str:
    lines = [f"{data['label']}  [{data['kind']}]"]
    if data["aliases"]:
        lines.append("又称: " + "、".join(data["aliases"]))
    lines += ["日期: " + d for d in data["dates"]]
    return "\n".join(lines)


def minor_nodes(net: nx.MultiDiGraph) -> set:
    """Articles, and entities related to nothing but articles: hidden on the page until asked for."""
    articles = {n for n, d in net.nodes(data=True) if d.get("article")}
    linked = {n for a, b in net.edges() if a not in articles and b not in articles and a != b for n in (a, b)}
    return {n for n in net if n in articles or n not in linked}


def build_network(graph: Source | nx.MultiDiGraph, size: str = "degree") -> Network:
    """A pyvis network of the entities and relations, laid out (x, y, community), node size by ``degree``
    or ``pagerank``."""
    net = graph if isinstance(graph, nx.MultiDiGraph) else entity_network(graph)
    weights = centrality(net, size)
    positions, community = layout(net)
    minor = minor_nodes(net)
    page = Network(height="100%", width="100%", directed=True, cdn_resources="remote")
    for node in sorted(net, key=str):
        data = net.nodes[node]
        label = data["label"]
        short = label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"
        x, y = positions[str(node)]
        # No pyvis "group": vis would paint groups in its own colours, not the legend's.
        page.add_node(str(node), label=short, title=_hover(data), color=data["color"], typeColor=data["color"],
                      value=round(float(weights[node]), 6), x=x, y=y, community=community[str(node)],
                      minor=node in minor, fullLabel=label, kind=data["kind"], aliases=data["aliases"],
                      dates=data["dates"], importance=round(float(weights[node]), 6))
    for s, o, data in sorted(net.edges(data=True), key=lambda e: (str(e[0]), str(e[1]), e[2]["relation"])):
        name = data["relation"]
        sentences = [e["sentence"] for e in data["evidence"]]
        title = name + ("\n" + "\n".join(f"「{t}」" for t in sorted(set(sentences))) if sentences else "")
        page.add_edge(str(s), str(o), label=name.split()[0], title=title, relation=name,
                      evidence=data["evidence"], dates=data["dates"], ongoing=data["ongoing"],
                      arrows="" if data["symmetric"] else "to")
    return page


def _script_json(value: object) -> str:
    """JSON safe to place inside a <script> element."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


@lru_cache(maxsize=1)
def _template() -> jinja2.Template:
    """The page template, autoescaped (Jinja2)."""
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE), autoescape=True,
                                     keep_trailing_newline=True)
    return environment.get_template("template.html")


def render_network(net: nx.MultiDiGraph, heading: str = "kg", size: str = "degree") -> str:
    """The page of an entity network, as one self-contained HTML string."""
    page_net = build_network(net, size)
    large = len(page_net.nodes) > LARGE_GRAPH
    options = {
        "physics": False,  # laid out already (kg.out.layout): the first paint is the final one
        "layout": {"improvedLayout": False},
        "interaction": {"hover": not large, "tooltipDelay": 120, "hideEdgesOnDrag": large,
                        "hideEdgesOnZoom": large},
        "edges": {"font": {"size": 10, "align": "middle"}, "smooth": False},
        "nodes": {"shape": "dot", "font": {"face": "Noto Sans CJK SC, sans-serif"},
                  "scaling": {"min": SIZE_RANGE[0], "max": SIZE_RANGE[1],
                              "label": {"enabled": True, "min": LABEL_RANGE[0], "max": LABEL_RANGE[1],
                                        "drawThreshold": LABEL_THRESHOLD, "maxVisible": LABEL_RANGE[1]}}},
    }
    if large:  # vis draws edges one by one (300 ms a frame at 15,000): page.js draws them in batches
        for edge in page_net.edges:
            edge["hidden"] = True
    data = {"nodes": page_net.nodes, "edges": page_net.edges, "options": options, "size": size,
            "batchEdges": large,
            # a graph of nothing but articles and unrelated entities shows them: a blank page helps no one
            "showMinor": all(node["minor"] for node in page_net.nodes),
            "legend": [{"name": n, "color": c} for n, c in NODE_TYPES.values()],
            "relations": list(EDGE_TYPES.values())}
    return _template().render(
        title=heading,
        vis_css=Markup((VIS_DIR / "vis-network.css").read_text(encoding="utf-8")),
        vis_js=Markup((VIS_DIR / "vis-network.min.js").read_text(encoding="utf-8")),
        page_css=Markup((HERE / "page.css").read_text(encoding="utf-8")),
        page_js=Markup((HERE / "page.js").read_text(encoding="utf-8")),
        data=Markup(_script_json(data)),
    )


def render_page(graph: Source, heading: str = "kg", *, focus: str | None = None, hops: int = 2,
                size: str = "degree", max_nodes: int = MAX_NODES) -> str:
    """The page of a whole graph, or of the ``hops``-neighbourhood of the entity named ``focus``.

    Above ``max_nodes`` entities the page draws the ``max_nodes`` most connected
    ones and says so (make bench-page measures first paint and pan up to 20,000).
    """
    net = entity_network(graph)
    if focus:
        net = neighbourhood(net, focus, hops)
    total = len(net)
    if max_nodes and total > max_nodes:
        degree = centrality(net, "degree")
        keep = sorted(net, key=lambda n: (-degree[n], str(n)))[:max_nodes]
        net = net.subgraph(keep).copy()
        heading = f"{heading} · {max_nodes:,} of {total:,} entities (the most connected; kg view --focus NAME)"
    return render_network(net, heading, size)
