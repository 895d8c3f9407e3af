"""``make eval``: how well kg extracts facts from real news it was not built on.

Builds every item of ``../shared/corpora/news-dev`` and the two sample
articles, each as its own graph (the graph a ``kg build`` of that article
alone writes: same extraction, same assembly, same Turtle), scores each with
``../shared/eval/score.py`` against its gold file, and prints precision,
recall and F1 per relation for the broadcast items, the press articles, all
of news-dev, and the samples. Every miss and false alarm goes to
``build/eval/misses.txt``; the figures as JSON to ``build/eval/scores.json``.

    python scripts/evaluate.py [--out build/eval]

One process, models loaded once. ``tests/test_eval.py`` runs the same
scoring and holds the figures above a floor.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
NEWS_DEV = SHARED / "corpora" / "news-dev"
RELATIONS = ("person", "holds", "met", "spouse", "attended", "located", "author")


def load_scorer():
    """``../shared/eval/score.py`` as a module: the same measure the acceptance checks use."""
    spec = importlib.util.spec_from_file_location("kg_eval_score", SHARED / "eval" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def items() -> list[tuple[str, str, object, Path]]:
    """(group, id, article, gold file) for news-dev and the samples, articles read as kg reads them."""
    from kg.nlp.article_parts import read_articles

    out = []
    for article in read_articles([NEWS_DEV / "articles.jsonl"]):
        group = "broadcast" if article.id.startswith("xwlb_") else "press"
        out.append((group, article.id, article, NEWS_DEV / "gold" / f"{article.id}.tsv"))
    for article in read_articles([ROOT / "data" / "articles"]):
        out.append(("samples", article.id, article, SHARED / "gold" / f"{article.id}.tsv"))
    return out


def graph_turtle(article) -> bytes:
    """The graph.ttl that ``kg build`` of this one article writes."""
    from kg.facts.stories import merge_story_events
    from kg.nlp.doc_facts import extract
    from kg.rdf.build import build_dataset
    from kg.rdf.files import serialize

    results = merge_story_events(extract([article]), [])
    return serialize(build_dataset(results), "turtle")


def score_all(selected: Iterable[tuple[str, str, object, Path]] | None = None) -> dict[str, dict]:
    """Item id -> {"group", "report"}: score.py's report of each item's graph against its gold."""
    scorer = load_scorer()
    scored = {}
    with tempfile.TemporaryDirectory(prefix="kg-eval-") as tmp:
        for group, item, article, gold in selected if selected is not None else items():
            path = Path(tmp) / f"{item}.ttl"
            path.write_bytes(graph_turtle(article))
            scored[item] = {"group": group, "report": scorer.score(str(path), str(gold))}
    return scored


def totals(scored: dict[str, dict], groups: set[str]) -> dict[str, dict[str, float]]:
    """Relation (and "all") -> tp, fp, gold, P, R, F1 over the items of ``groups``."""
    counts = {r: [0, 0, 0] for r in RELATIONS}
    for entry in scored.values():
        if entry["group"] in groups:
            for relation, r in entry["report"].items():
                row = counts.setdefault(relation, [0, 0, 0])
                row[0] += r["tp"]
                row[1] += r["fp"]
                row[2] += r["gold"]
    counts["all"] = [sum(row[i] for row in counts.values()) for i in range(3)]
    out = {}
    for relation, (tp, fp, gold) in counts.items():
        p = tp / (tp + fp) if tp + fp else (1.0 if gold == 0 else 0.0)
        r = tp / gold if gold else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        out[relation] = {"tp": tp, "fp": fp, "gold": gold, "P": round(p, 3), "R": round(r, 3), "F1": round(f, 3)}
    return out


GROUPS = {"broadcast": {"broadcast"}, "press": {"press"}, "news-dev": {"broadcast", "press"}, "samples": {"samples"}}


def table(figures: dict[str, dict[str, dict]]) -> str:
    """Per relation: F1 per group, and P/R/F1 over all of news-dev."""
    lines = ["| relation | broadcast F1 | press F1 | news-dev P | R | F1 | gold | samples F1 |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for relation in (*RELATIONS, "all"):
        dev = figures["news-dev"][relation]
        cells = [figures["broadcast"][relation]["F1"], figures["press"][relation]["F1"], dev["P"], dev["R"],
                 dev["F1"], dev["gold"], figures["samples"][relation]["F1"]]
        lines.append(f"| {relation} | " + " | ".join(f"{c:.2f}" if isinstance(c, float) else f"{c:,}"
                                                    for c in cells) + " |")
    return "\n".join(lines)


def misses_text(scored: dict[str, dict]) -> str:
    """Every miss and false alarm, by item and relation."""
    lines = []
    for item in sorted(scored):
        for relation, r in sorted(scored[item]["report"].items()):
            lines += [f"{item}\t{relation}\tmissed\t{s}\t{o}" for s, o in r["missed"]]
            lines += [f"{item}\t{relation}\tfalse alarm\t{'|'.join(s)}\t{'|'.join(o)}" for s, o in r["false_alarms"]]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "build" / "eval"), help="folder for misses.txt and scores.json")
    args = parser.parse_args(argv)
    if not (NEWS_DEV / "articles.jsonl").is_file():
        print(f"evaluate: {NEWS_DEV} is missing (../shared beside the clone)", file=sys.stderr)
        return 2
    started = time.perf_counter()
    scored = score_all()
    figures = {name: totals(scored, groups) for name, groups in GROUPS.items()}
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "misses.txt").write_text(misses_text(scored), encoding="utf-8")
    (out / "scores.json").write_text(json.dumps(figures, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(table(figures))
    print(f"\n{len(scored)} items in {time.perf_counter() - started:.0f} s; misses and false alarms: "
          f"{out / 'misses.txt'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
