"""The graph page: offline, escaped, and drawn in a real headless Chromium."""

from __future__ import annotations

import re
import shutil
import time

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.rdf.files import load_dataset
from kg.rdf.vocab import SDO
from kg.view.page import render_page

EVIL = '<img src=x onerror="window.kgXss=1">'
VIEW_COUNT = """
PREFIX schema: <https://schema.org/> PREFIX org: <http://www.w3.org/ns/org#>
SELECT (COUNT(DISTINCT ?n) AS ?count) WHERE {
  ?n a ?c . VALUES ?c { schema:Person org:Post schema:Event schema:Country schema:Organization
                        schema:Place schema:NewsArticle } FILTER isIRI(?n) }
"""


def graph_node_count(path) -> int:
    return int(next(iter(load_dataset(path).query(VIEW_COUNT)))[0])


def test_page_links_nothing_outside(built):
    page = (built["all"] / "graph.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.IGNORECASE)
    assert "<link" not in page.lower()
    assert "default-src 'none'" in page


def test_untrusted_label_never_reaches_markup():
    graph = Graph()
    person = URIRef("https://kg.example/id/person/x")
    graph.add((person, RDF.type, SDO.Person))
    graph.add((person, RDFS.label, Literal(EVIL, lang="zh")))
    page = render_page(graph)
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
    assert drawn == graph_node_count(built["all"] / "graph.ttl") > 10
    outside = [u for u in requested_urls(browser) if not u.startswith(("file:", "data:", "about:"))]
    assert outside == []
    legend = browser.execute_script("return document.getElementById('legend').textContent")
    assert "人物 Person" in legend


def test_browser_shows_html_label_as_text(browser, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains

    graph = Graph()
    person = URIRef("https://kg.example/id/person/x")
    graph.add((person, RDF.type, SDO.Person))
    graph.add((person, RDFS.label, Literal(EVIL, lang="zh")))
    page = tmp_path / "evil.html"
    page.write_text(render_page(graph), encoding="utf-8")
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
    from kg.view.page import NODE_TYPES, build_network

    net = build_network(load_dataset(built["all"] / "graph.ttl"))
    legend_colours = {c for _, c in NODE_TYPES.values()}
    assert {n["color"] for n in net.nodes} <= legend_colours
    assert all("group" not in n for n in net.nodes)
