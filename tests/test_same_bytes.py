"""The same inputs give the same bytes: kg's outputs for the samples and news-dev, as recorded.

A refactor must keep every digest; a deliberate change of output records
them again (``python scripts/same_bytes.py record``) in the same commit.
"""

from __future__ import annotations

import importlib.util
import json

import pytest
from conftest import ROOT, SHARED


def _script():
    spec = importlib.util.spec_from_file_location("same_bytes", ROOT / "scripts" / "same_bytes.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_outputs_match_the_recorded_digests():
    assert (SHARED / "corpora" / "news-dev" / "articles.jsonl").is_file(), "../shared/corpora/news-dev is missing"
    same_bytes = _script()
    recorded = json.loads(same_bytes.DIGESTS.read_text(encoding="utf-8"))
    text = (SHARED / "corpora" / "news-dev" / "articles.jsonl").read_text(encoding="utf-8")
    items = sum(1 for line in text.splitlines() if line.strip())
    assert len(recorded) == items + 4  # the samples together and alone, news-dev together and its items alone
    assert same_bytes.differences(recorded, same_bytes.compute()) == []


def test_a_changed_digest_is_reported():
    same_bytes = _script()
    recorded = {"a": {"graph.ttl": "1", "graph.trig": "2"}, "b": {"graph.ttl": "3"}}
    now = {"a": {"graph.ttl": "1", "graph.trig": "9"}}
    assert same_bytes.differences(recorded, now) == ["a: graph.trig", "b: not built"]


@pytest.fixture(autouse=True)
def _no_cwd_change():
    import os

    here = os.getcwd()
    yield
    assert os.getcwd() == here
