"""The interactive network page: pyvis builds the network, kg's own template renders it.

pyvis 0.3.2 links bootstrap and other assets from CDNs even with
``cdn_resources="in_line"``, so kg renders pyvis's node and edge data into
its own template, which inlines the vis-network script and style that ship
inside the pyvis package: the page loads nothing from outside the machine.

Article text is untrusted. Labels and hover text reach the page only as
JSON in a ``<script type="application/json">`` block (with ``<``, ``>`` and
``&`` escaped) and are shown with ``textContent``, never parsed as HTML.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyvis
from pyvis.network import Network
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from kg.rdf.vocab import KG, ORG, SDO

TEMPLATE = Path(__file__).with_name("template.html")
VIS_DIR = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"

#: class -> (legend name, color)
NODE_TYPES = {
    SDO.Person: ("人物 Person", "#e4572e"),
    ORG.Post: ("职务 Post", "#f3a712"),
    SDO.Event: ("事件 Event", "#29335c"),
    SDO.Country: ("国家 Country", "#669bbc"),
    SDO.Organization: ("机构 Organization", "#4f9d69"),
    SDO.Place: ("地点 Place", "#8e6c8a"),
    SDO.NewsArticle: ("文章 Article", "#9a9a9a"),
}
#: property -> (edge label, source is the subject)
EDGE_TYPES = {
    ORG.holds: "担任 holds", KG.met: "会见 met", SDO.spouse: "配偶 spouse", SDO.attendee: "出席 attended",
    SDO.location: "地点 location", SDO.author: "作者 author", SDO.publisher: "发布 publisher",
    KG.visitor: "访问者 visitor", KG.destination: "目的地 destination", ORG.postIn: "隶属 post in",
}
SYMMETRIC = {KG.met, SDO.spouse}
MAX_LABEL = 24  # longer labels (headlines) are cut on the canvas; the hover shows them whole


def _type_of(graph: Graph, node: URIRef) -> URIRef | None:
    types = set(graph.objects(node, RDF.type))
    for klass in NODE_TYPES:  # the first listed wins (an event is also kg:Talks)
        if klass in types:
            return klass
    return None


def _label(graph: Graph, node: URIRef) -> str:
    for predicate in (RDFS.label, SDO.headline, SDO.identifier):
        values = sorted(str(v) for v in graph.objects(node, predicate))
        if values:
            return values[0]
    return str(node).rsplit("/", 1)[-1]


def _evidence(graph: Graph) -> dict[tuple, list[str]]:
    """(s, p, o) -> evidence sentences, from the reified statements."""
    out: dict[tuple, list[str]] = {}
    for statement in graph.subjects(RDF.type, RDF.Statement):
        key = (graph.value(statement, RDF.subject), graph.value(statement, RDF.predicate),
               graph.value(statement, RDF.object))
        for sentence in graph.objects(statement, KG.evidence):
            out.setdefault(key, []).append(str(sentence))
    return out


def view_nodes(graph: Graph) -> dict[URIRef, URIRef]:
    """The entities the page draws: IRI -> class."""
    nodes = {}
    for klass in NODE_TYPES:
        for node in graph.subjects(RDF.type, klass):
            if isinstance(node, URIRef) and node not in nodes:
                nodes[node] = _type_of(graph, node)
    return nodes


def build_network(graph: Graph) -> Network:
    """A pyvis network of the graph's entities and relations."""
    net = Network(height="100%", width="100%", directed=True, cdn_resources="remote")
    nodes = view_nodes(graph)
    for node in sorted(nodes, key=str):
        klass = nodes[node]
        kind, color = NODE_TYPES[klass]
        label = _label(graph, node)
        lines = [f"{label}  [{kind}]"]
        aliases = sorted(str(a) for a in graph.objects(node, SKOS.altLabel))
        if aliases:
            lines.append("又称: " + "、".join(aliases))
        for date in sorted(str(d) for d in graph.objects(node, SDO.startDate)):
            lines.append("日期: " + date)
        # No pyvis "group": vis would paint groups in its own colours, not the legend's.
        short = label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"
        net.add_node(str(node), label=short, title="\n".join(lines), color=color)
    evidence = _evidence(graph)
    seen = set()
    for predicate, name in EDGE_TYPES.items():
        for s, o in sorted(graph.subject_objects(predicate), key=lambda t: (str(t[0]), str(t[1]))):
            if s not in nodes or o not in nodes:
                continue
            key = frozenset((s, o)) if predicate in SYMMETRIC else (s, o)
            if (predicate, key) in seen:
                continue
            seen.add((predicate, key))
            sentences = evidence.get((s, predicate, o), []) + evidence.get((o, predicate, s), [])
            title = name + ("\n" + "\n".join(f"「{t}」" for t in sorted(set(sentences))) if sentences else "")
            net.add_edge(str(s), str(o), label=name.split()[0], title=title,
                         arrows="" if predicate in SYMMETRIC else "to")
    return net


def _script_json(value: object) -> str:
    """JSON safe to place inside a <script> element."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def render_page(graph: Graph, heading: str = "kg") -> str:
    """The whole page as one self-contained HTML string."""
    net = build_network(graph)
    options = {
        "physics": {"solver": "forceAtlas2Based", "stabilization": {"iterations": 300}},
        "interaction": {"hover": True, "tooltipDelay": 120},
        "edges": {"font": {"size": 10, "align": "middle"}, "smooth": False},
        "nodes": {"shape": "dot", "size": 14, "font": {"face": "Noto Sans CJK SC, sans-serif"}},
    }
    data = {"nodes": net.nodes, "edges": net.edges, "options": options,
            "legend": [{"name": n, "color": c} for n, c in NODE_TYPES.values()]}
    page = TEMPLATE.read_text(encoding="utf-8")
    replacements = {
        "{{VIS_CSS}}": (VIS_DIR / "vis-network.css").read_text(encoding="utf-8"),
        "{{VIS_JS}}": (VIS_DIR / "vis-network.min.js").read_text(encoding="utf-8"),
        "{{DATA}}": _script_json(data),
        "{{TITLE}}": heading.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"),
    }
    for marker, value in replacements.items():
        page = page.replace(marker, value)
    return page
