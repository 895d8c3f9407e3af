"""The sample articles scored with ../shared/eval/score.py (the acceptance measure)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import SAMPLES, SHARED

FLOORS = {"person": 0.95, "holds": 0.95, "met": 0.95, "spouse": 0.95,
          "attended": 0.8, "located": 0.8, "author": 0.8}


@pytest.mark.parametrize("name", SAMPLES)
def test_seed_scores(built, name):
    scorer = SHARED / "eval" / "score.py"
    gold = SHARED / "gold" / f"{name}.tsv"
    assert scorer.is_file() and gold.is_file(), f"../shared is missing ({scorer}, {gold})"
    result = subprocess.run([sys.executable, str(scorer), str(built[name] / "graph.ttl"), str(gold)],
                            capture_output=True, text=True, check=True)
    scores: dict[str, float] = {}
    for line in result.stdout.splitlines():
        match = re.match(r"^(\w+)\s+P=\S+ R=\S+ F1=(\S+)", line)
        if match:
            scores[match[1]] = float(match[2])
    for relation, floor in FLOORS.items():
        if relation in scores:
            assert scores[relation] >= floor, f"{relation} F1 {scores[relation]}\n{result.stdout}"
    overall = float(re.search(r"score: P=\S+ R=\S+ F1=(\S+)", result.stdout)[1])
    assert overall >= 0.9, result.stdout
