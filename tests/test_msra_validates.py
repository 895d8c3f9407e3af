"""kg's own output on general news passes its own shapes: 1,000 MSRA articles built, then ``kg validate``
(no person with two spouses, no event without a participant, no statement without evidence)."""

from __future__ import annotations

import importlib.util

from conftest import ROOT, SHARED


def test_a_thousand_msra_articles_validate(tmp_path):
    from kg.out.cli import main

    assert (SHARED / "corpora" / "msra-ner" / "train.bio").is_file(), "../shared/corpora/msra-ner is missing"
    spec = importlib.util.spec_from_file_location("kg_bench", ROOT / "scripts" / "bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    corpus = tmp_path / "msra.jsonl.gz"
    bench.write_jsonl_gz(corpus, bench.articles(1000), 0)
    assert main(["build", str(corpus), "-o", str(tmp_path / "out"), "-q", "--workers", "2"]) == 0
    assert main(["validate", str(tmp_path / "out" / "graph.trig")]) == 0
