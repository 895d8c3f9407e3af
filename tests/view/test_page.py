"""The graph page: offline, escaped, and drawn in a real headless Chromium."""

from __future__ import annotations

import re
import shutil
import time

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.namespace import RDF, RDFS

from kg.out.view.page import render_page
from kg.rdf.files import load_dataset
from kg.rdf.vocab import SDO, named

EVIL = '<img src=x onerror="window.kgXss=1">'
VIEW_COUNT = """
PREFIX schema: <https://schema.org/> PREFIX org: <http://www.w3.org/ns/org#>
SELECT (COUNT(DISTINCT ?n) AS ?count) WHERE {
  ?n a ?c . VALUES ?c { schema:Person org:Post schema:Event schema:Country schema:Organization
                        schema:Place schema:NewsArticle } FILTER isIRI(?n) }
"""


def graph_node_count(path) -> int:
    return int(next(iter(Graph().parse(path).query(VIEW_COUNT)))[0])  # counted by rdflib, not by kg


def test_page_links_nothing_outside(built):
    page = (built["all"] / "graph.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.IGNORECASE)
    assert "<link" not in page.lower()
    assert "default-src 'none'" in page


def evil_graph() -> tuple[str, ox.Dataset]:
    """A graph of one person whose label is an HTML element with a script in it."""
    person = ox.NamedNode("https://kg.example/id/person/x")
    return person.value, ox.Dataset([
        ox.Quad(person, named(RDF.type), named(SDO.Person)),
        ox.Quad(person, named(RDFS.label), ox.Literal(EVIL, language="zh")),
    ])


def test_untrusted_label_never_reaches_markup():
    page = render_page(evil_graph()[1])
    assert EVIL not in page and "<img" not in page


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary, driver = shutil.which("chromium"), shutil.which("chromedriver")
    assert binary and driver, "chromium and chromedriver are required (make browser-deps installs them)"
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1280,900"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    chrome = webdriver.Chrome(service=Service(driver), options=options)
    yield chrome
    chrome.quit()


def load(browser, path):
    browser.get_log("performance")  # drop what earlier pages logged
    browser.get(path.resolve().as_uri())
    deadline = time.time() + 30
    while time.time() < deadline:
        if browser.execute_script("return window.kgNodeCount !== undefined"):
            return
        time.sleep(0.2)
    raise AssertionError("the page never drew its network")


def requested_urls(browser) -> list[str]:
    import json

    urls = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def test_browser_draws_every_node_and_requests_nothing_outside(browser, built):
    page = built["all"] / "graph.html"
    load(browser, page)
    drawn = browser.execute_script("return window.kgNetwork.body.data.nodes.length")
    articles = len(list(Graph().parse(built["all"] / "graph.ttl").subjects(RDF.type, SDO.NewsArticle)))
    assert 10 < drawn <= graph_node_count(built["all"] / "graph.ttl") - articles, "articles hidden at first"
    browser.find_element("id", "show-minor").click()
    drawn = browser.execute_script("return window.kgNetwork.body.data.nodes.length")
    assert drawn == graph_node_count(built["all"] / "graph.ttl") > 10
    outside = [u for u in requested_urls(browser) if not u.startswith(("file:", "data:", "about:"))]
    assert outside == []
    legend = browser.execute_script("return document.getElementById('type-filters').textContent")
    assert "人物 Person" in legend


def evil_page(tmp_path) -> tuple[str, object]:
    """The page of :func:`evil_graph`."""
    person, graph = evil_graph()
    page = tmp_path / "evil.html"
    page.write_text(render_page(graph), encoding="utf-8")
    return person, page


def test_browser_shows_html_label_as_text(browser, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains

    person, page = evil_page(tmp_path)
    load(browser, page)
    time.sleep(1.5)  # let the layout settle before hovering
    x, y = browser.execute_script(
        "var n = window.kgNetwork; var id = n.body.data.nodes.getIds()[0];"
        "var p = n.canvasToDOM(n.getPositions([id])[id]); return [p.x, p.y];")
    canvas = browser.find_element("css selector", "#graph canvas")
    rect = canvas.rect
    ActionChains(browser).move_to_element_with_offset(
        canvas, int(x - rect["width"] / 2), int(y - rect["height"] / 2)).perform()
    deadline = time.time() + 10
    tooltip = ""
    while time.time() < deadline and EVIL not in tooltip:
        tooltip = browser.execute_script(
            "var t = document.querySelector('div.vis-tooltip'); return t ? t.textContent : ''")
        time.sleep(0.2)
    assert EVIL in tooltip, "the hover text shows the label as text"
    assert browser.execute_script("return document.querySelectorAll('div.vis-tooltip img').length") == 0
    assert browser.execute_script("return window.kgXss === undefined")
    label = browser.execute_script("return window.kgNetwork.body.data.nodes.get(arguments[0]).label",
                                   str(person))
    # The canvas label is the raw text, cut to the page's label length; the hover holds it whole.
    assert label.endswith("…") and EVIL.startswith(label[:-1])


def test_node_colours_follow_the_legend(built):
    from kg.out.view.page import NODE_TYPES, build_network

    net = build_network(load_dataset(built["all"] / "graph.ttl"))
    legend_colours = {c for _, c in NODE_TYPES.values()}
    assert {n["color"] for n in net.nodes} <= legend_colours
    assert all("group" not in n for n in net.nodes)


def panel(browser) -> dict:
    return browser.execute_script("""
        var p = document.getElementById('panel');
        return {hidden: p.hidden, title: document.getElementById('panel-title').textContent,
                facts: Array.from(document.querySelectorAll('#panel-facts li.fact')).map(function (li) {
                    return {text: li.textContent,
                            evidence: Array.from(li.querySelectorAll('blockquote')).map(function (q) {
                                return q.textContent; })}; })};""")


def search(browser, text: str) -> None:
    from selenium.webdriver.common.keys import Keys

    box = browser.find_element("id", "search")
    box.clear()
    box.send_keys(text, Keys.ENTER)


def test_search_finds_a_name_and_the_panel_shows_facts_with_evidence(browser, built):
    load(browser, built["all"] / "graph.html")
    search(browser, "汪洋")
    shown = panel(browser)
    assert not shown["hidden"] and shown["title"] == "汪洋"
    holds = [f for f in shown["facts"] if f["text"].startswith("担任 holds") and "国务院副总理" in f["text"]]
    assert holds and any("汪洋" in e for e in holds[0]["evidence"])
    assert all("—" in e for e in holds[0]["evidence"]), "each evidence names its article"
    selected = browser.execute_script("return window.kgNetwork.getSelectedNodes()")
    assert len(selected) == 1 and "汪洋" in browser.execute_script(
        "return window.kgNetwork.body.data.nodes.get(arguments[0]).fullLabel", selected[0])


def test_search_by_alias_and_a_miss_says_so(browser, built):
    load(browser, built["all"] / "graph.html")
    search(browser, "中方")
    assert panel(browser)["title"] == "中国"
    search(browser, "不存在的人")
    status = browser.find_element("id", "search-status").text
    assert "not found" in status


def test_clicking_a_node_opens_its_panel(browser, built):
    from selenium.webdriver.common.action_chains import ActionChains

    load(browser, built["all"] / "graph.html")
    browser.execute_script("window.kgNetwork.stopSimulation(); window.kgNetwork.setOptions({physics: false});")
    node = browser.execute_script(
        "return window.kgNetwork.body.data.nodes.get({filter: function (n) { return n.fullLabel === '特朗普'; }})[0].id")
    browser.execute_script("window.kgNetwork.focus(arguments[0], {scale: 1.5, animation: false})", node)
    x, y = browser.execute_script(
        "var n = window.kgNetwork; var p = n.canvasToDOM(n.getPositions([arguments[0]])[arguments[0]]);"
        "return [p.x, p.y];", node)
    canvas = browser.find_element("css selector", "#graph canvas")
    rect = canvas.rect
    ActionChains(browser).move_to_element_with_offset(
        canvas, int(x - rect["width"] / 2), int(y - rect["height"] / 2)).click().perform()
    deadline = time.time() + 5
    while time.time() < deadline and panel(browser)["hidden"]:
        time.sleep(0.1)
    shown = panel(browser)
    assert shown["title"] == "特朗普"
    met = [f for f in shown["facts"] if f["text"].startswith("会见 met")]
    assert met and "习近平" in met[0]["text"] and met[0]["evidence"]


def test_filters_hide_a_type_and_a_relation(browser, built):
    load(browser, built["all"] / "graph.html")
    before = browser.execute_script("return window.kgNetwork.body.data.nodes.length")
    persons = browser.execute_script("return window.kgNetwork.body.data.nodes.get({filter: function (n) {"
                                     " return n.kind === '人物 Person'; }}).length")
    browser.find_element("css selector", "#type-filters input[value='人物 Person']").click()
    assert browser.execute_script("return window.kgNetwork.body.data.nodes.length") == before - persons > 0
    edges = browser.execute_script("return window.kgNetwork.body.data.edges.length")
    browser.find_element("css selector", "#relation-filters input[value='出席 attended']").click()
    assert browser.execute_script("return window.kgNetwork.body.data.edges.length") < edges
    search(browser, "习近平")  # a search brings a filtered type back
    assert panel(browser)["title"] == "习近平"
    assert browser.execute_script("return window.kgNetwork.body.data.nodes.length") == before


def test_html_label_is_text_in_the_panel(browser, tmp_path):
    _, page = evil_page(tmp_path)
    load(browser, page)
    search(browser, "<img")
    assert panel(browser)["title"] == EVIL
    assert browser.execute_script("return document.querySelectorAll('#panel img, #controls img').length") == 0
    assert browser.execute_script("return window.kgXss === undefined")


DATED = [  # articles written for this test: a minister appointed, attested, then replaced
    ("appointed", "2023-03-12", "全国人大常委会会议决定，任命周明远为外交部部长。"),
    ("attested", "2023-10-01", "外交部部长周明远在北京会见斐济总理兰布卡。"),
    ("removed", "2024-05-20", "全国人大常委会会议决定，免去周明远的外交部部长职务，任命陈立华为外交部部长。"),
]


def dated_page(tmp_path):
    import json

    from kg.out.batch.build import run_build

    with open(tmp_path / "news.jsonl", "w", encoding="utf-8") as handle:
        handle.writelines(json.dumps({"id": i, "title": i, "date": d, "text": t}, ensure_ascii=False) + "\n"
                          for i, d, t in DATED)
    run_build([str(tmp_path / "news.jsonl")], tmp_path / "out", progress=False)
    return tmp_path / "out" / "graph.html"


def test_a_persons_panel_shows_posts_and_events_on_a_time_axis(browser, tmp_path):
    load(browser, dated_page(tmp_path))
    search(browser, "周明远")
    rows = browser.execute_script("""
        if (document.getElementById('panel-timeline').hidden) { return null; }
        return Array.from(document.querySelectorAll('#timeline li')).map(function (li) {
            var bar = li.querySelector('.bar');
            return {text: li.textContent, left: parseFloat(bar.style.left), width: parseFloat(bar.style.width)}; });""")
    assert rows, "the timeline is shown"
    post = next(r for r in rows if "担任" in r["text"] and "外交部部长" in r["text"])
    assert "2023-03-12 – 2023-10-01" in post["text"] and post["left"] == 0 and post["width"] > 0
    left = next(r for r in rows if "离任" in r["text"])
    assert "2024-05-20" in left["text"] and left["left"] > 95
    meeting = next(r for r in rows if "会见" in r["text"] and "2023-10-01" in r["text"])
    assert 0 < meeting["left"] < 100


def test_the_date_fields_show_what_held_in_their_span(browser, tmp_path):
    load(browser, dated_page(tmp_path))
    shown = """return window.kgNetwork.body.data.edges.get().filter(function (e) { return e.relation === '担任 holds'; })
                .map(function (e) { var n = window.kgNetwork.body.data.nodes;
                                    return n.get(e.from).fullLabel + '→' + n.get(e.to).fullLabel; })
                .filter(function (text) { return text.endsWith('外交部部长'); }).sort();"""
    assert browser.execute_script(shown) == ["周明远→外交部部长", "陈立华→外交部部长"]

    def set_date(field: str, value: str) -> None:
        browser.execute_script("var box = document.getElementById(arguments[0]); box.value = arguments[1];"
                               "box.dispatchEvent(new Event('change'));", field, value)

    set_date("date-from", "2024-06-01")
    assert browser.execute_script(shown) == ["陈立华→外交部部长"]  # the removed minister's tenure is before it
    set_date("date-from", "2023-01-01")
    set_date("date-to", "2023-12-31")
    assert browser.execute_script(shown) == ["周明远→外交部部长"]
    events = "return window.kgNetwork.body.data.nodes.get().filter(function (n) { return n.dates.length; }).length"
    assert browser.execute_script(events) == 1  # the meeting of 2023-10-01
    set_date("date-to", "2023-06-30")
    assert browser.execute_script(events) == 0


def test_a_post_still_held_runs_to_the_end_of_the_axis(browser, tmp_path):
    load(browser, dated_page(tmp_path))
    search(browser, "陈立华")
    text = browser.execute_script("return document.getElementById('timeline').textContent")
    assert "外交部部长" in text and "still held" in text


def test_the_page_opens_laid_out_and_still(browser, built):
    load(browser, built["all"] / "graph.html")
    first = browser.execute_script("""var net = window.kgNetwork; var ids = net.body.data.nodes.getIds();
        var data = JSON.parse(document.getElementById('kg-data').textContent);
        var given = {}; data.nodes.forEach(function (n) { given[n.id] = [n.x, n.y]; });
        var now = net.getPositions(ids);
        return {paint: window.kgFirstPaintMs, physics: net.physics.options.enabled,
                moved: ids.filter(function (id) { return now[id].x !== given[id][0] || now[id].y !== given[id][1]; }).length};""")
    assert first["paint"] > 0 and first["physics"] is False and first["moved"] == 0


def test_colour_by_community_and_back(browser, built):
    from selenium.webdriver.support.ui import Select

    load(browser, built["all"] / "graph.html")
    colours = """return window.kgNetwork.body.data.nodes.get().map(function (n) {
        return [n.color, n.typeColor, n.community]; });"""
    before = browser.execute_script(colours)
    assert all(colour == typed for colour, typed, _ in before)
    Select(browser.find_element("id", "colour-by")).select_by_value("community")
    after = browser.execute_script(colours)
    by_community: dict = {}
    for colour, _, community in after:
        by_community.setdefault(community, set()).add(colour)
    assert len(by_community) > 1 and all(len(c) == 1 for c in by_community.values())
    assert len({c for c, _, _ in after}) > 1 and after != before
    Select(browser.find_element("id", "colour-by")).select_by_value("type")
    assert browser.execute_script(colours) == before


def large_network(size: int = 1200):
    """A chain-and-star entity network above the page's large-graph mark (edges drawn by the page)."""
    import networkx as nx

    net = nx.MultiDiGraph()
    for i in range(size):
        kind, colour = ("人物 Person", "#e4572e") if i % 3 else ("职务 Post", "#f3a712")
        net.add_node(f"https://kg.example/id/person/n{i}", label=f"人{i}", kind=kind, color=colour,
                     person=bool(i % 3), article=False, aliases=[], dates=[])
    for i in range(1, size):
        for j in {i - 1, i // 7}:
            if j != i:
                net.add_edge(f"https://kg.example/id/person/n{i}", f"https://kg.example/id/person/n{j}",
                             key="会见 met", relation="会见 met", symmetric=True, dates=[], ongoing=False,
                             evidence=[{"sentence": f"人{i}会见人{j}。", "article": "文", "date": ""}])
    return net


def test_a_large_graph_draws_its_edges_in_batches_and_still_searches(browser, tmp_path):
    from kg.out.view.page import LARGE_GRAPH, render_network

    net = large_network()
    assert len(net) > LARGE_GRAPH
    page = tmp_path / "large.html"
    page.write_text(render_network(net, "large"), encoding="utf-8")
    load(browser, page)
    deadline = time.time() + 10
    while time.time() < deadline and browser.execute_script("return window.kgEdgesDrawn === undefined"):
        time.sleep(0.1)
    assert browser.execute_script("return window.kgEdgesDrawn") == net.number_of_edges()
    visible = "return window.kgNetwork.body.data.edges.get({filter: function (e) { return !e.hidden; }}).length"
    assert browser.execute_script(visible) == 0, "vis itself draws no edge of a large graph"
    browser.find_element("css selector", "#relation-filters input[value='会见 met']").click()
    browser.execute_script("window.kgNetwork.redraw()")
    assert browser.execute_script("return window.kgEdgesDrawn") == 0
    search(browser, "人700")
    shown = panel(browser)
    assert shown["title"] == "人700" and any("人699" in f["text"] for f in shown["facts"])


def test_a_persons_panel_groups_facts_by_relation_with_dates(browser, tmp_path):
    load(browser, dated_page(tmp_path))
    search(browser, "周明远")
    groups = browser.execute_script(
        "return Array.from(document.querySelectorAll('#panel-facts li.group')).map(function (g) { return g.textContent; })")
    assert len(groups) == len(set(groups)) > 1 and "担任 holds" in groups
    holds = [f for f in panel(browser)["facts"] if f["text"].startswith("担任 holds") and "外交部部长" in f["text"]]
    assert holds and "2023-03-12 – 2023-10-01" in holds[0]["text"]


def test_the_heading_wraps_between_words_not_inside_them(browser, tmp_path):
    import networkx as nx

    from kg.out.view.page import render_network

    page = tmp_path / "heading.html"
    page.write_text(render_network(nx.MultiDiGraph(), "kg · 2,000 of 5,063 entities (the most connected)"),
                    encoding="utf-8")
    load(browser, page)
    lines = browser.execute_script("""
        var heading = document.getElementById('heading'), range = document.createRange(), tops = {};
        var text = heading.firstChild;
        for (var i = 0; i < text.length; i++) {
          range.setStart(text, i); range.setEnd(text, i + 1);
          var top = Math.round(range.getBoundingClientRect().top);
          (tops[top] = tops[top] || []).push(text.data[i]);
        }
        return Object.keys(tops).sort(function (a, b) { return a - b; }).map(function (t) { return tops[t].join(''); });""")
    assert len(lines) > 1, "the heading is long enough to wrap"
    assert all(line.strip().split(" ")[-1] in ["kg", "·", "2,000", "of", "5,063", "entities", "(the", "most", "connected)"]
               for line in lines[:-1]), lines
