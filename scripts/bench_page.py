"""How large a graph the page stays responsive with, measured in headless Chromium.

usage: python scripts/bench_page.py [--sizes 200,2000,10000,20000] [--screenshots DIR]

For each size, a synthetic entity network (persons, posts, events and
places, with about 1.5 relations per node) is laid out and rendered into the
page kg writes, and opened in Debian's Chromium. Reported per size: the
seconds kg took to lay out and write the page, its size, the time from
navigation to the first frame of the laid-out graph, and the median time of
a search (focus the node, fill the panel) and of a pan until the next frame
is painted. Marks (issue 17): first paint within 3 s at 10,000 nodes, search
and pan within 100 ms. Figures, not assertions: the machine is shared and
noisy. ``--screenshots`` saves what the first view of each page looks like.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

FIRST_PAINT_LIMIT_S = 3.0
ACTION_LIMIT_MS = 100.0
KINDS = [("人物 Person", "#e4572e", 0.4), ("职务 Post", "#f3a712", 0.2), ("事件 Event", "#29335c", 0.3),
         ("地点 Place", "#8e6c8a", 0.1)]
RELATIONS = {("人物 Person", "职务 Post"): "担任 holds", ("人物 Person", "事件 Event"): "出席 attended",
             ("人物 Person", "人物 Person"): "会见 met", ("事件 Event", "地点 Place"): "地点 location"}


def synthetic_network(size: int, seed: int = 7):
    """A random entity network shaped like kg's: ``size`` nodes, about 1.5 edges per node."""
    import networkx as nx

    rng = random.Random(seed)
    net = nx.MultiDiGraph()
    by_kind: dict[str, list[str]] = {}
    for i in range(size):
        kind, color, _ = rng.choices(KINDS, weights=[w for _, _, w in KINDS])[0]
        node = f"https://kg.example/id/bench/{i}"
        net.add_node(node, label=f"节点{i}", kind=kind, color=color, person=kind.startswith("人物"),
                     aliases=[], dates=[])
        by_kind.setdefault(kind, []).append(node)
    pairs = list(RELATIONS.items())
    edges = 0  # counted here: asking the graph each time is quadratic
    while edges < size * 1.5:
        (source_kind, target_kind), relation = rng.choice(pairs)
        if not by_kind.get(source_kind) or not by_kind.get(target_kind):
            continue
        s, o = rng.choice(by_kind[source_kind]), rng.choice(by_kind[target_kind])
        if s != o and not net.has_edge(s, o, key=relation):
            edges += 1
            net.add_edge(s, o, key=relation, relation=relation, symmetric=relation.startswith("会见"),
                         evidence=[{"sentence": f"{s[-4:]}与{o[-4:]}的证据句。", "article": "基准文章", "date": ""}],
                         dates=[], ongoing=False)
    return net


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=1280,900"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)


ACTION = """
var done = arguments[arguments.length - 1], what = arguments[0], label = arguments[1];
var start = performance.now();
if (what === "search") { window.kgSearch(label); }
else { var p = window.kgNetwork.getViewPosition(); window.kgNetwork.moveTo({position: {x: p.x + 200, y: p.y}}); }
requestAnimationFrame(function () { requestAnimationFrame(function () { done(performance.now() - start); }); });
"""


def measure(chrome, page: Path, size: int, screenshot: Path | None) -> tuple[float, float, float]:
    """(seconds to the first painted frame, median search ms, median pan ms) for one page."""
    started = time.perf_counter()
    chrome.get(page.as_uri())
    while chrome.execute_script("return window.kgFirstPaintMs === undefined"):
        if time.perf_counter() - started > 180:
            return float("inf"), float("nan"), float("nan")
        time.sleep(0.05)
    first_paint = chrome.execute_script("return window.kgFirstPaintMs") / 1000
    if screenshot is not None:
        chrome.save_screenshot(str(screenshot))
    rng = random.Random(size)
    searches = [chrome.execute_async_script(ACTION, "search", f"节点{rng.randrange(size)}") for _ in range(7)]
    pans = [chrome.execute_async_script(ACTION, "pan", "") for _ in range(7)]
    return first_paint, statistics.median(searches), statistics.median(pans)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="200,2000,10000,20000", help="node counts, comma-separated")
    parser.add_argument("--screenshots", type=Path, help="save the first view of each page here (PNG)")
    args = parser.parse_args()
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        print("bench: chromium and chromedriver are needed (make browser-deps)", file=sys.stderr)
        return 1
    from kg.out.view.page import render_network

    if args.screenshots:
        args.screenshots.mkdir(parents=True, exist_ok=True)
    chrome = browser()
    chrome.set_script_timeout(60)
    responsive = 0
    print(f"{'nodes':>7}{'edges':>8}{'layout s':>10}{'page MB':>9}{'first paint s':>15}{'search ms':>11}"
          f"{'pan ms':>9}  marks")
    try:
        with tempfile.TemporaryDirectory(prefix="kg-page-bench-") as folder:
            for size in (int(s) for s in args.sizes.split(",")):
                net = synthetic_network(size)
                page = Path(folder) / f"page-{size}.html"
                began = time.perf_counter()
                page.write_text(render_network(net, f"bench {size:,} nodes"), encoding="utf-8")
                render_s = time.perf_counter() - began
                shot = args.screenshots / f"page-{size}.png" if args.screenshots else None
                first_paint, search_ms, pan_ms = measure(chrome, page, size, shot)
                ok = first_paint <= FIRST_PAINT_LIMIT_S and search_ms <= ACTION_LIMIT_MS and pan_ms <= ACTION_LIMIT_MS
                responsive = size if ok and size > responsive else responsive
                print(f"{size:>7}{net.number_of_edges():>8}{render_s:>10.1f}{page.stat().st_size / 1e6:>9.1f}"
                      f"{first_paint:>15.2f}{search_ms:>11.0f}{pan_ms:>9.0f}  {'met' if ok else 'missed'}")
    finally:
        chrome.quit()
    print(f"largest size that met the marks: {responsive} nodes (first paint within {FIRST_PAINT_LIMIT_S:.0f} s, "
          f"search and pan paint within {ACTION_LIMIT_MS:.0f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
